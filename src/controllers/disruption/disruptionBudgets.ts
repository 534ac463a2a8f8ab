/**
 * PodDisruptionBudgets of a run: the disruption controller's status, computed when the
 * eviction API asks (pkg/controller/disruption, and the eviction subresource in
 * pkg/registry/core/pod/storage/eviction.go; rules recalled from upstream):
 *
 * - the pods a PDB guards: its namespace's pods its selector selects (nil or empty
 *   selector: none), not ended;
 * - currentHealthy: those Running and Ready and not Terminating;
 * - desiredHealthy: minAvailable as a number; minAvailable as a percentage of the
 *   expected count (the scale of the pods' controllers: a Deployment's replicas, a
 *   DaemonSet's desired pods), rounded up; or expected - maxUnavailable (a percentage
 *   rounded up);
 * - disruptionsAllowed = max(0, currentHealthy - desiredHealthy).
 *
 * An eviction of a healthy pod takes one allowed disruption; with none left it is refused
 * (429 "Cannot evict pod as it would violate the pod's disruption budget."). A pod that is
 * not healthy may go while the budget holds (currentHealthy >= desiredHealthy: the
 * IfHealthyBudget policy). A pod guarded by two PDBs cannot be evicted (upstream answers
 * 500: "This pod has more than one PodDisruptionBudget, which the eviction subresource
 * does not support."). Pending pods and pods no PDB guards are always evicted.
 *
 * Simplification: the status is computed at the moment of the eviction (upstream's
 * controller updates it asynchronously, and the eviction decrements the stored status).
 */
import type { ClusterState } from "../../apiserver/clusterState.js";
import { selectorMatches } from "../../apiserver/admission/validation/objectMeta.js";
import { PodPhase } from "../../model/podTable.js";
import type { LabelSelector } from "../../model/types.js";
import type { PodTemplate } from "../../model/podTemplate.js";

export interface PdbSpec {
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  selector: LabelSelector | undefined;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export const EVICTION_REFUSED_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
export const EVICTION_MULTIPLE_PDBS_MESSAGE = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

/** The eviction API's answer; a refusal names the PodDisruptionBudget (namespace/name) that refused it. */
export type EvictionAnswer = { allowed: true } | { allowed: false; message: string; pdb: string };

/** intstr.GetScaledValueFromIntOrPercent with roundUp. */
function scaled(v: number | string, total: number): number {
  if (typeof v === "number") return v;
  return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
}

export class DisruptionBudgets {
  /** Per template: the PDBs that select its pods. */
  private readonly pdbsOfTemplate: number[][];
  /** Per PDB: the pods it guards that have not ended (kept from pod events). */
  private readonly guarded: Set<number>[];
  /** Evictions refused so far. */
  refused = 0;
  /** Per PDB: the object exists (created at the start or applied since). */
  private readonly exists: boolean[];
  /** Per PDB: evictions it refused (a pod two PDBs guard counts for both). */
  readonly refusedBy: number[];

  constructor(
    private readonly cluster: ClusterState,
    readonly pdbs: readonly PdbSpec[],
    templates: readonly PodTemplate[],
    /** The scale (spec.replicas, desired pods) of a pod's controller, by owner id; undefined for none. */
    private readonly scaleOf: (owner: number) => number | undefined,
  ) {
    this.pdbsOfTemplate = templates.map((t) => {
      const labels = t.pod.metadata?.labels ?? {};
      const ns = t.pod.metadata?.namespace ?? "default";
      return pdbs.flatMap((p, i) => (p.namespace === ns && p.selector && Object.keys(p.selector.matchLabels ?? {}).length + (p.selector.matchExpressions ?? []).length > 0 && selectorMatches(p.selector, labels) ? [i] : []));
    });
    this.guarded = pdbs.map(() => new Set<number>());
    this.exists = pdbs.map((p) => p.startUs === undefined);
    this.refusedBy = pdbs.map(() => 0);
    if (pdbs.length === 0) return;
    cluster.onPodCreated.push((pod) => {
      for (const i of this.pdbsOfTemplate[cluster.pods.template[pod]]) this.guarded[i].add(pod);
    });
    cluster.onPodEnded.push((pod) => {
      for (const i of this.pdbsOfTemplate[cluster.pods.template[pod]]) this.guarded[i].delete(pod);
    });
  }

  /** PDB i is created (by an apply action). */
  create(i: number): void {
    this.exists[i] = true;
  }

  /** The PDBs (indices) that guard pods of template t. */
  guardsOf(template: number): readonly number[] {
    return this.pdbsOfTemplate[template];
  }

  /** The status of PDB i now: [currentHealthy, desiredHealthy]. */
  status(i: number): { currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number } {
    const c = this.cluster;
    const p = this.pdbs[i];
    let pods = 0;
    let healthy = 0;
    const owners = new Set<number>();
    for (const pod of this.guarded[i]) {
      pods++;
      if (c.available(pod)) healthy++;
      owners.add(c.pods.owner[pod]);
    }
    let expected = pods;
    if (p.maxUnavailable !== undefined || typeof p.minAvailable === "string") {
      expected = 0;
      for (const o of owners) expected += this.scaleOf(o) ?? 1;
    }
    let desired: number;
    if (p.maxUnavailable !== undefined) desired = Math.max(0, expected - scaled(p.maxUnavailable, expected));
    else desired = p.minAvailable !== undefined ? scaled(p.minAvailable, expected) : 0;
    // a PDB not created yet guards nothing: any disruption is allowed
    if (!this.exists[i]) return { currentHealthy: healthy, desiredHealthy: 0, disruptionsAllowed: healthy };
    return { currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: Math.max(0, healthy - desired) };
  }

  /** The eviction API for pod `pod`: may it be deleted now? */
  evict(pod: number): EvictionAnswer {
    const c = this.cluster;
    const guards = this.pdbsOfTemplate[c.pods.template[pod]].filter((g) => this.exists[g]);
    if (guards.length === 0 || c.pods.phase[pod] !== PodPhase.Running) return { allowed: true };
    if (guards.length > 1) {
      this.refused++;
      for (const g of guards) this.refusedBy[g]++;
      return { allowed: false, message: EVICTION_MULTIPLE_PDBS_MESSAGE, pdb: guards.map((g) => `${this.pdbs[g].namespace}/${this.pdbs[g].name}`).join("+") };
    }
    const s = this.status(guards[0]);
    const ok = c.available(pod) ? s.disruptionsAllowed > 0 : s.currentHealthy >= s.desiredHealthy;
    if (ok) return { allowed: true };
    this.refused++;
    this.refusedBy[guards[0]]++;
    return { allowed: false, message: EVICTION_REFUSED_MESSAGE, pdb: `${this.pdbs[guards[0]].namespace}/${this.pdbs[guards[0]].name}` };
  }
}
