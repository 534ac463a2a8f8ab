/**
 * A pod's topology spread constraints compiled against the snapshot's strings
 * (upstream podtopologyspread common.go), explicit ones or the plugin's defaults.
 *
 * Field defaults (v1 API + scheduler): minDomains 1, nodeAffinityPolicy Honor,
 * nodeTaintsPolicy Ignore. matchLabelKeys: the pod's values for those keys are ANDed
 * into the selector as `key In (value)` (keys the pod lacks are ignored). A null
 * selector matches nothing.
 *
 * Default constraints apply only to pods without their own: with defaultingType
 * System, hostname (maxSkew 3) and zone (maxSkew 5), both ScheduleAnyway; with List,
 * args.defaultConstraints. Their selector is built from the Services selecting the pod
 * plus the ReplicaSets / StatefulSets (and ReplicationControllers) owning it; when that
 * selector is empty, no defaults apply.
 */
import type { LabelSelector, TopologySpreadConstraint } from "../../../model/types.js";
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from "../../../model/wellKnown.js";
import { compileLabelSelector, selectorMatches, type CompiledLabelSelector } from "../../labels/labelSelector.js";
import { labelSelectorError } from "../interpodaffinity/selectorError.js";

/** Upstream systemDefaultConstraints (plugins/podtopologyspread/plugin.go). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly DefaultConstraint[] = [
  { maxSkew: 3, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: "ScheduleAnyway" },
  { maxSkew: 5, topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: "ScheduleAnyway" },
];

/** v1 TopologySpreadConstraint.minDomains default. */
export const DEFAULT_MIN_DOMAINS = 1;

export interface DefaultConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
}

export interface SpreadArgs {
  defaultingType: "System" | "List";
  defaultConstraints: DefaultConstraint[];
}

export interface CompiledSpreadConstraint {
  readonly maxSkew: number;
  readonly key: number;
  readonly isHostname: boolean;
  /** DoNotSchedule (filter) or ScheduleAnyway (score). */
  readonly hard: boolean;
  readonly selector: CompiledLabelSelector;
  /**
   * An empty selector ({} without matchLabelKeys) selects everything, yet upstream's
   * countPodsMatchSelector counts nothing for it; the pod still matches itself.
   */
  readonly countsNothing: boolean;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
  /** 1 when the incoming pod matches the selector (its own placement adds one). */
  readonly selfMatch: number;
  /** Why labelSelector fails to convert (upstream: the phase fails with Error), or null. */
  readonly parseError: string | null;
}

export interface PodSpreadConstraints {
  /** The pod declares constraints (else they are defaults, or none). */
  readonly explicit: boolean;
  readonly hard: CompiledSpreadConstraint[];
  readonly soft: CompiledSpreadConstraint[];
}

export function compilePodConstraints(pod: CompiledPod, snapshot: Snapshot, args: SpreadArgs): PodSpreadConstraints {
  const own = pod.spec.topologySpreadConstraints ?? [];
  if (own.length > 0) {
    const all = own.map((c) => compileConstraint(c, pod, snapshot));
    return { explicit: true, hard: all.filter((c) => c.hard), soft: all.filter((c) => !c.hard) };
  }
  const defaults = args.defaultingType === "System" ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints;
  if (defaults.length === 0) return { explicit: false, hard: [], soft: [] };
  const selector = defaultSelector(pod, snapshot);
  if (selector === null) return { explicit: false, hard: [], soft: [] };
  const all = defaults.map((d) => compileConstraint({ ...d, labelSelector: selector }, pod, snapshot));
  return { explicit: false, hard: all.filter((c) => c.hard), soft: all.filter((c) => !c.hard) };
}

function compileConstraint(c: TopologySpreadConstraint, pod: CompiledPod, snapshot: Snapshot): CompiledSpreadConstraint {
  const strings = snapshot.strings;
  let sel: LabelSelector | undefined = c.labelSelector;
  const extra = (c.matchLabelKeys ?? []).filter((k) => k in pod.labels).map((k) => ({ key: k, operator: "In", values: [pod.labels[k]] }));
  if (sel && extra.length > 0) sel = { matchLabels: sel.matchLabels, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
  const selector = compileLabelSelector(sel, strings);
  return {
    maxSkew: c.maxSkew,
    key: strings.key(c.topologyKey),
    isHostname: c.topologyKey === LABEL_HOSTNAME,
    hard: c.whenUnsatisfiable === "DoNotSchedule",
    selector,
    countsNothing: !selector.matchesNothing && selector.reqs.length === 0,
    minDomains: c.minDomains ?? DEFAULT_MIN_DOMAINS,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") === "Honor",
    honorNodeTaints: (c.nodeTaintsPolicy ?? "Ignore") === "Honor",
    selfMatch: selectorMatches(selector, pod.labelIds, strings.valueInt) ? 1 : 0,
    parseError: labelSelectorError(c.labelSelector),
  };
}

/**
 * The selector of the default constraints (upstream helper.DefaultSelector): the
 * union of the selectors of the Services in the pod's namespace that select the pod,
 * ANDed with the selector of the ReplicaSets / StatefulSets that own it. null when
 * nothing selects the pod.
 *
 * Simplification: upstream finds the owning ReplicaSet/StatefulSet through the pod's
 * controller ownerReference; compiled templates do not keep ownerReferences, so here
 * an owner is a ReplicaSet/StatefulSet in the namespace whose selector matches the
 * pod's labels. ReplicationControllers are not part of the snapshot.
 */
export function defaultSelector(pod: CompiledPod, snapshot: Snapshot): LabelSelector | null {
  const labels = pod.labels;
  const matchLabels: Record<string, string> = {};
  let any = false;
  for (const svc of snapshot.services) {
    if ((svc.metadata?.namespace ?? "default") !== pod.namespace) continue;
    const s = svc.spec?.selector;
    if (!s || Object.keys(s).length === 0) continue;
    if (!Object.entries(s).every(([k, v]) => labels[k] === v)) continue;
    Object.assign(matchLabels, s);
    any = true;
  }
  const matchExpressions: NonNullable<LabelSelector["matchExpressions"]> = [];
  const owners = [...snapshot.replicaSets, ...snapshot.statefulSets];
  for (const o of owners) {
    if ((o.metadata?.namespace ?? "default") !== pod.namespace) continue;
    const sel = o.spec?.selector;
    if (!sel) continue;
    const compiled = compileLabelSelector(sel, snapshot.strings);
    if (compiled.reqs.length === 0 || !selectorMatches(compiled, pod.labelIds, snapshot.strings.valueInt)) continue;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) matchExpressions.push({ key: k, operator: "In", values: [v] });
    matchExpressions.push(...(sel.matchExpressions ?? []));
    any = true;
  }
  if (!any) return null;
  return { matchLabels, matchExpressions };
}
