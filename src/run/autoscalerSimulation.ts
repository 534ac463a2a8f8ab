/**
 * The Cluster Autoscaler's scheduling simulation (src/cloud/autoscaler/simulation.ts) on
 * kube-scheduler's own plugins: the run's first profile's PreFilter and Filter, on a
 * snapshot of the cluster plus template nodes. Scoring plays no part.
 *
 * kubesim builds a fresh snapshot per scan (rows 0..N-1 are the cluster's node rows,
 * template nodes come after) and asks kubesim's scheduling cycle in record mode, which
 * evaluates every node: the answer is exact, not fast (fine for the clusters of a
 * capacity study; a scan of 1,000 pending pods on 100 nodes is 100,000 filter calls).
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import { LIFECYCLE_TAINTS, ConditionStatus } from "../model/nodeTable.js";
import type { Node } from "../model/types.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import type { PodTemplate } from "../model/podTemplate.js";
import type { Namespace } from "../model/types.js";
import { Snapshot } from "../scheduler/snapshot.js";
import { buildRuntimes } from "../scheduler/config/runtime.js";
import type { SchedulerConfiguration } from "../scheduler/config/schedulerConfig.js";
import type { CompiledPod } from "../scheduler/compiled.js";
import type { SchedulingCycle } from "../scheduler/cycle.js";
import type { SchedulingSimulation } from "../cloud/autoscaler/simulation.js";
import type { DaemonSetSpec } from "../controllers/daemonSet/daemonSetController.js";

export function v1NodeOf(n: NodeSpec, name = n.name): Node {
  const allocatable: Record<string, string> = { cpu: `${n.cpuMilli}m`, memory: String(n.memoryBytes), "ephemeral-storage": String(n.ephemeralBytes), pods: String(n.pods) };
  for (const [r, v] of Object.entries(n.extended)) allocatable[r] = String(v);
  return { metadata: { name, labels: n.labels }, spec: { taints: n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) }, status: { allocatable } };
}

export class SchedulerSimulation implements SchedulingSimulation {
  private snapshot!: Snapshot;
  private cycle!: SchedulingCycle;
  private compiled: CompiledPod[] = [];
  private simPods = new Map<number, number>();
  private templatesAdded = 0;

  constructor(
    private readonly cluster: ClusterState,
    private readonly nodes: readonly NodeSpec[],
    private readonly templates: readonly PodTemplate[],
    private readonly namespaces: readonly Namespace[],
    private readonly config: SchedulerConfiguration,
    private readonly daemonSets: readonly DaemonSetSpec[] = [],
  ) {}

  reset(): void {
    const snap = (this.snapshot = new Snapshot());
    for (const ns of this.namespaces) snap.addNamespace(ns);
    const c = this.cluster;
    this.nodes.forEach((n, i) => {
      snap.addNode(v1NodeOf(n));
      const bits = c.nodes.lifecycleTaints[i];
      if (bits !== 0) snap.setTaints(i, [...n.taints, ...LIFECYCLE_TAINTS.filter((t) => (bits & t.bit) !== 0)]);
      // Only Ready, existing, schedulable nodes take pods in the simulation.
      if (c.nodes.exists[i] === 0 || c.nodes.unschedulable[i] === 1 || c.nodes.readyCondition[i] !== ConditionStatus.True) snap.setUnschedulable(i, true);
    });
    this.compiled = this.templates.map((t) => snap.compile(t.pod));
    this.simPods = new Map();
    for (let i = 0; i < this.nodes.length; i++) {
      for (const p of c.podsOn(i)) this.simPods.set(p, snap.addPod(this.compiled[c.pods.template[p]], c.pods.names[p], i));
    }
    this.cycle = buildRuntimes(this.config, snap, {})[0].cycle;
    this.templatesAdded = 0;
  }

  /**
   * The template node carries the DaemonSet pods that would run on the group's node
   * (upstream builds template NodeInfos with them): those of DaemonSets that exist now
   * and select node row `row`, with their requests.
   */
  addTemplateNode(row: number): number {
    const node = this.snapshot.addNode(v1NodeOf(this.nodes[row], `template-${this.nodes[row].pool}-${this.templatesAdded++}`));
    for (const d of this.daemonSets) {
      if (d.startUs !== undefined && d.startUs > this.cluster.now) continue;
      const k = d.nodes.indexOf(row);
      if (k >= 0) this.snapshot.addPod(this.compiled[d.templates[k]], `${d.name}-template`, node);
    }
    return node;
  }

  firstFit(template: number, candidates: readonly number[]): number {
    if (candidates.length === 0) return -1;
    this.cycle.scheduleOne(this.compiled[template], -1, -1, true);
    const rec = this.cycle.record;
    if (rec === null) return -1;
    for (const n of candidates) if (rec.feasible[n] === 1) return n;
    return -1;
  }

  reasons(node: number): string[] {
    return this.cycle.reasons(node);
  }

  place(template: number, node: number): number {
    return this.snapshot.addPod(this.compiled[template], "simulated", node);
  }

  remove(simPod: number): void {
    this.snapshot.removePod(simPod);
  }

  simPodOf(pod: number): number {
    return this.simPods.get(pod) ?? -1;
  }

  exclude(node: number): void {
    this.snapshot.setUnschedulable(node, true);
  }
}
