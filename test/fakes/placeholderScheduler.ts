/**
 * A stand-in for the kube-scheduler in tests of the cluster loop, so expected times are
 * exact: pods are placed in zero virtual time, in one pass per instant in creation
 * order, on the least allocated fitting Ready node (lowest mean of cpu and memory
 * requested fractions after placing; ties to the lowest node index). Fit: cpu, memory,
 * ephemeral storage, pod count, extended resources, NoSchedule/NoExecute taints against
 * tolerations, nodeSelector. Pods that fit nowhere wait until capacity frees, then all
 * are retried in creation order. No backoff, no scoring plugins, no affinity or spread:
 * the real scheduler (src/scheduler/) is tested against upstream in test/scheduler/.
 */
import type { ComponentFactory } from "../../src/run/context.js";
import type { ClusterState } from "../../src/apiserver/clusterState.js";
import type { NodeSpec, TaintSpec } from "../../src/model/nodeSpec.js";
import { PodPhase } from "../../src/model/podTable.js";
import type { PodTemplate } from "../../src/model/podTemplate.js";
import type { Toleration } from "../../src/model/types.js";
import type { Simulation } from "../../src/engine/simulation.js";

/** v1 Toleration.ToleratesTaint: empty key with Exists matches all; empty effect matches all effects. */
function tolerates(tol: Toleration, taint: TaintSpec): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (tol.operator === "Exists") return true;
  if (tol.operator !== undefined && tol.operator !== "Equal") return false;
  return (tol.value ?? "") === (taint.value ?? "");
}

/** Per template: what the fit check needs. */
interface Fit {
  ephemeralBytes: number;
  /** [resource, amount] pairs. */
  extended: [string, number][];
  tolerations: Toleration[];
  nodeSelector: Record<string, string>;
}

class LeastAllocatedPlacer {
  private readonly extendedReq: Map<string, number>[];
  private readonly fits: Fit[];

  constructor(
    private readonly cluster: ClusterState,
    private readonly nodeSpecs: readonly NodeSpec[],
    templates: readonly PodTemplate[],
  ) {
    this.extendedReq = nodeSpecs.map(() => new Map());
    this.fits = templates.map((t) => ({
      ephemeralBytes: t.requests.ephemeralBytes,
      extended: [...t.requests.scalars].filter(([, v]) => v > 0),
      tolerations: t.pod.spec?.tolerations ?? [],
      nodeSelector: t.pod.spec?.nodeSelector ?? {},
    }));
  }

  account(pod: number, node: number, sign: number): void {
    const req = this.extendedReq[node];
    for (const [r, v] of this.fits[this.cluster.pods.template[pod]].extended) req.set(r, (req.get(r) ?? 0) + sign * v);
  }

  place(pod: number): number {
    const { nodes, pods } = this.cluster;
    const t = this.fits[pods.template[pod]];
    const cpu = pods.cpuReq[pod];
    const mem = pods.memReq[pod];
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < nodes.count; i++) {
      if (nodes.ready[i] === 0 || nodes.exists[i] === 0 || nodes.unschedulable[i] === 1) continue;
      if (nodes.podCount[i] + 1 > nodes.podsAlloc[i]) continue;
      const cpuAfter = nodes.cpuReq[i] + cpu;
      const memAfter = nodes.memReq[i] + mem;
      if (cpuAfter > nodes.cpuAlloc[i] || memAfter > nodes.memAlloc[i]) continue;
      if (t.ephemeralBytes > 0 && nodes.ephReq[i] + t.ephemeralBytes > nodes.ephAlloc[i]) continue;
      const spec = this.nodeSpecs[i];
      if (t.extended.some(([r, v]) => (this.extendedReq[i].get(r) ?? 0) + v > (spec.extended[r] ?? 0))) continue;
      if (spec.taints.some((taint) => taint.effect !== "PreferNoSchedule" && !t.tolerations.some((tol) => tolerates(tol, taint)))) continue;
      if (Object.entries(t.nodeSelector).some(([k, v]) => spec.labels[k] !== v)) continue;
      const score = (cpuAfter / nodes.cpuAlloc[i] + memAfter / nodes.memAlloc[i]) / 2;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}

class PlaceholderScheduling {
  private readonly active: number[] = [];
  private unschedulable: number[] = [];
  private readonly deleted = new Set<number>();
  private passPending = false;
  private readonly passId: number;
  /** Templates that failed in the current pass: their other pods would fail too. */
  private readonly failedTemplates = new Set<number>();

  constructor(
    private readonly sim: Simulation,
    private readonly placer: LeastAllocatedPlacer,
    private readonly cluster: ClusterState,
  ) {
    this.passId = sim.on("placeholder.pass", () => this.pass());
  }

  podCreated(pod: number): void {
    this.active.push(pod);
    this.requestPass();
  }

  podDeleted(pod: number): void {
    this.deleted.add(pod);
  }

  capacityChanged(): void {
    if (this.unschedulable.length === 0) return;
    for (const p of this.unschedulable) this.active.push(p);
    this.unschedulable = [];
    this.requestPass();
  }

  private requestPass(): void {
    if (this.passPending) return;
    this.passPending = true;
    this.sim.schedule(0, this.passId);
  }

  private pass(): void {
    this.passPending = false;
    this.failedTemplates.clear();
    // Retried pods were created before new ones; keep creation order (pod ids grow).
    this.active.sort((a, b) => a - b);
    for (const pod of this.active) {
      if (this.deleted.delete(pod)) continue;
      const t = this.cluster.pods.template[pod];
      const node = this.failedTemplates.has(t) ? -1 : this.placer.place(pod);
      if (node < 0) {
        this.failedTemplates.add(t);
        this.unschedulable.push(pod);
      } else {
        this.cluster.bind(pod, node);
      }
    }
    this.active.length = 0;
  }
}

/** The stand-in as a run component: `simulate(s, { components: [placeholderScheduler] })`. */
export const placeholderScheduler: ComponentFactory = ({ sim, spec, cluster }) => {
  const placer = new LeastAllocatedPlacer(cluster, spec.nodes, spec.templates);
  const scheduling = new PlaceholderScheduling(sim, placer, cluster);
  cluster.onPodCreated.push((pod) => scheduling.podCreated(pod));
  cluster.onPendingPodDeleted.push((pod) => scheduling.podDeleted(pod));
  cluster.onPodBound.push((pod) => placer.account(pod, cluster.pods.node[pod], 1));
  cluster.onPodEnded.push((pod) => {
    const phase = cluster.endedPhase;
    if (phase === PodPhase.Scheduled || phase === PodPhase.Running) placer.account(pod, cluster.pods.node[pod], -1);
  });
  cluster.onNodeCapacityFreed.push(() => scheduling.capacityChanged());
  cluster.onNodeReady.push(() => scheduling.capacityChanged());
  return { name: "placeholder-scheduler" };
};

