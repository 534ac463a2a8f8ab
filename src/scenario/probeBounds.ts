/**
 * The probes' share of a run's periodic work (bounds.ts, limits.controlPlaneOperations):
 * every probe of every running pod ticks once a periodSeconds (10 s by default), whether
 * or not it probes then. Pods counted at their most: replicas (and scale actions above
 * them), one daemon pod per node, a Job's parallelism, one bare Pod. PoissonArrivals are
 * not counted (their pods come and go).
 */
import type { Container } from "../model/types.js";
import { PROBE_DEFAULT_PERIOD_S } from "../apiserver/admission/defaults.js";
import type { PathSegment } from "./errors.js";
import type { Scenario } from "./schema.js";
import { workloadEntries } from "./workloadEntries.js";

/** Probe ticks per second of one pod of the spec: the sum over its probes of 1 / periodSeconds. */
function ticksPerPodPerSecond(containers: readonly Container[] | undefined): number {
  let rate = 0;
  for (const c of containers ?? []) {
    for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (p) rate += 1 / (p.periodSeconds || PROBE_DEFAULT_PERIOD_S);
  }
  return rate;
}

export function probeTicksPerSecond(s: Scenario): { field: PathSegment[]; perSecond: number; what: string }[] {
  const parts: { field: PathSegment[]; perSecond: number; what: string }[] = [];
  const nodes = s.nodePools.reduce((n, p) => n + p.count, 0);
  for (const { w, path: at } of workloadEntries(s)) {
    let pods = 0;
    let containers: readonly Container[] | undefined;
    if (w.kind === "Deployment" || w.kind === "StatefulSet") {
      pods = w.spec.replicas ?? 1;
      for (const a of s.actions) if (a.type === "scale" && a.namespace === (w.metadata.namespace ?? "default") && (w.kind === "Deployment" ? a.deployment : a.statefulSet) === w.metadata.name) pods = Math.max(pods, a.replicas);
      containers = w.spec.template.spec?.containers as Container[] | undefined;
    } else if (w.kind === "DaemonSet") {
      pods = nodes;
      containers = w.spec.template.spec?.containers as Container[] | undefined;
    } else if (w.kind === "Job") {
      pods = w.spec.parallelism ?? 1;
      containers = w.spec.template.spec?.containers as Container[] | undefined;
    } else if (w.kind === "Pod") {
      pods = 1;
      containers = w.spec.containers as Container[] | undefined;
    } else continue;
    const rate = pods * ticksPerPodPerSecond(containers);
    if (rate > 0) parts.push({ field: at, perSecond: rate, what: `probes of ${w.metadata.name}` });
  }
  return parts;
}
