/**
 * The Cluster Autoscaler's scale-down (core/scaledown: planner, unneeded nodes,
 * actuator), run by the main loop when it did not scale up:
 *
 * - a Ready node of an autoscaled group is unneeded while its utilization (the larger of
 *   requested cpu and memory over allocatable, every pod counted) is below the threshold
 *   (0.5), its pods other than DaemonSet pods can be placed on the other nodes
 *   (simulated with the scheduler's filters) and every PodDisruptionBudget guarding them
 *   allows a disruption;
 * - not within --scale-down-delay-after-add of a scale-up, a node unneeded for
 *   --scale-down-unneeded-time (10 m) whose group is above its min size is removed:
 *   empty ones first, up to 10 at a time, then others one at a time, each checked again
 *   on a snapshot without the nodes already chosen; a non-empty node is drained as
 *   upstream does (tainted ToBeDeletedByClusterAutoscaler:NoSchedule, pods evicted
 *   through the eviction API (DaemonSet pods stay), retried up to
 *   --max-pod-eviction-time), then its machine is deleted (events.csv ScaleDown).
 */
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { ConditionStatus, LifecycleTaint } from "../../model/nodeTable.js";
import { MachineState } from "../cloudProvider.js";
import type { AutoscalerSpec } from "../spec.js";
import type { AutoscalerParts } from "./parts.js";
import { MAX_DRAIN_PARALLELISM, MAX_EMPTY_BULK_DELETE, MAX_POD_EVICTION_TIME_US } from "./defaults.js";

export class ScaleDown {
  /** Per node row: since when it has been unneeded (us), -1 when it is not. */
  private readonly unneededSinceUs: Float64Array;
  /** Per node row: 1 while the autoscaler removes it. */
  readonly deleting: Uint8Array;
  private drains = 0;
  /** Nodes removed, and drains that failed. */
  removed = 0;
  failures = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly spec: AutoscalerSpec,
    private readonly p: AutoscalerParts,
  ) {
    this.unneededSinceUs = new Float64Array(cluster.nodes.count).fill(-1);
    this.deleting = new Uint8Array(cluster.nodes.count);
  }

  private get groups() {
    return this.p.cloud.groups;
  }

  private utilization(node: number): number {
    const n = this.cluster.nodes;
    const cpu = n.cpuAlloc[node] > 0 ? n.cpuReq[node] / n.cpuAlloc[node] : 0;
    const mem = n.memAlloc[node] > 0 ? n.memReq[node] / n.memAlloc[node] : 0;
    return Math.max(cpu, mem);
  }

  /** The node's pods that must move (not DaemonSet pods, not already terminating). */
  private podsToMove(node: number): number[] {
    const c = this.cluster;
    return c.podsOn(node).filter((p) => c.pods.deletionUs[p] < 0 && !this.p.isDaemonSetPod(p));
  }

  /**
   * No PodDisruptionBudget forbids moving these pods (core/scaledown/pdb basic.go
   * CanRemovePods): every PDB guarding one of them allows at least one disruption now.
   * When one allows fewer than it guards here, upstream evicts them one at a time; the
   * drain's retries (every 5 s, up to max-pod-eviction-time) do the same here.
   */
  private pdbsAllow(pods: readonly number[]): boolean {
    for (const p of pods) for (const b of this.p.guardsOf(this.cluster.pods.template[p])) if (this.p.disruptionsAllowed(b) < 1) return false;
    return true;
  }

  /** One loop's scale-down; `lastScaleUpUs` holds it off for scale-down-delay-after-add. */
  run(lastScaleUpUs: number): void {
    const nodes = this.cluster.nodes;
    const cloud = this.p.cloud;
    const sim = this.p.simulation;
    const all = Array.from({ length: nodes.count }, (_, i) => i);
    // Below the threshold first (cheap); the simulation only when some node is.
    const below: number[] = [];
    for (let n = 0; n < nodes.count; n++) {
      const g = cloud.groupOf[n];
      const candidate = g >= 0 && this.groups[g].autoscaled && this.deleting[n] === 0 && cloud.state[n] === MachineState.Running && nodes.exists[n] === 1 && nodes.readyCondition[n] === ConditionStatus.True && nodes.unschedulable[n] === 0 && this.utilization(n) < this.spec.scaleDownUtilizationThreshold;
      if (candidate) below.push(n);
      else this.unneededSinceUs[n] = -1;
    }
    if (below.length === 0) return;
    sim.reset();
    for (let n = 0; n < nodes.count; n++) if (this.deleting[n] === 1) sim.exclude(n);
    for (const n of below) {
      if (!this.removable(n, all)) {
        this.unneededSinceUs[n] = -1;
        continue;
      }
      if (this.unneededSinceUs[n] < 0) this.unneededSinceUs[n] = this.sim.now;
    }
    if (this.sim.now - lastScaleUpUs < this.spec.scaleDownDelayAfterAddUs) return;
    const size = this.groups.map((_, gi) => this.liveSize(gi));
    const due: number[] = [];
    for (let n = 0; n < nodes.count; n++) {
      const since = this.unneededSinceUs[n];
      if (since >= 0 && this.sim.now - since >= this.spec.scaleDownUnneededTimeUs) due.push(n);
    }
    if (due.length === 0) return;
    // Empty nodes first (in bulk), then non-empty ones one at a time, each checked again on
    // a snapshot without the nodes already chosen (so no two removals count on each other).
    let empty = 0;
    for (const n of due) {
      const g = cloud.groupOf[n];
      if (this.podsToMove(n).length > 0 || size[g] <= this.groups[g].minSize || empty >= MAX_EMPTY_BULK_DELETE) continue;
      size[g]--;
      empty++;
      this.remove(n, this.unneededSinceUs[n], true);
    }
    sim.reset();
    for (let n = 0; n < nodes.count; n++) if (this.deleting[n] === 1) sim.exclude(n);
    for (const n of due) {
      const g = cloud.groupOf[n];
      if (this.deleting[n] === 1 || this.unneededSinceUs[n] < 0 || this.drains >= MAX_DRAIN_PARALLELISM || size[g] <= this.groups[g].minSize) continue;
      if (!this.removable(n, all)) continue;
      size[g]--;
      this.remove(n, this.unneededSinceUs[n], false);
    }
  }

  /** Machines of group g that are not being removed. */
  private liveSize(g: number): number {
    let k = 0;
    for (const row of this.groups[g].nodes) if (this.p.cloud.state[row] !== MachineState.None && this.deleting[row] === 0) k++;
    return k;
  }

  /** Can the node's pods move elsewhere (filters) without a PDB refusing? Keeps the moves in the simulation if so. */
  private removable(node: number, all: readonly number[]): boolean {
    const move = this.podsToMove(node);
    if (!this.pdbsAllow(move)) return false;
    const sim = this.p.simulation;
    sim.exclude(node);
    const ids = move.map((p) => sim.simPodOf(p));
    for (const id of ids) if (id >= 0) sim.remove(id);
    for (const p of move) {
      const t = this.cluster.pods.template[p];
      const to = sim.firstFit(t, all);
      if (to < 0) return false; // [kubesim choice] the node stays excluded in this scan's snapshot
      sim.place(t, to);
    }
    return true;
  }

  private remove(node: number, sinceUs: number, isEmpty: boolean): void {
    const nodes = this.cluster.nodes;
    const c = this.cluster;
    this.deleting[node] = 1;
    const name = nodes.names[node];
    const move = this.podsToMove(node).map((p) => `${c.pods.namespaces[p]}/${c.pods.names[p]}`);
    // The status log's line (LogRecorder), then the Node's event.
    c.events.add(this.sim.now, "ScaleDown", `nodepool/${this.groups[this.p.cloud.groupOf[node]].pool}`, `Scale-down: removing ${isEmpty ? "empty " : ""}node ${name}, utilization: ${this.utilization(node).toFixed(3)} (below ${this.spec.scaleDownUtilizationThreshold} for ${((this.sim.now - sinceUs) / US_PER_S).toFixed(3)} s), pods to reschedule: ${move.join(",")}`);
    c.events.add(this.sim.now, "ScaleDown", `node/${name}`, "marked the node as toBeDeleted/unschedulable");
    // utils/taints MarkToBeDeleted: the taint, not a cordon (--cordon-node-before-terminating is false by default).
    c.setNodeTaints(node, nodes.lifecycleTaints[node] | LifecycleTaint.ToBeDeleted);
    if (isEmpty) {
      this.finishRemoval(node);
      return;
    }
    this.drains++;
    this.p.drain(node, {
      description: `cluster-autoscaler scale-down of ${name}`,
      outcome: this.p.drainOutcome,
      timeoutUs: MAX_POD_EVICTION_TIME_US,
      atTimeout: "give-up",
      cordon: false,
      done: (r) => {
        this.drains--;
        if (r.completed) {
          this.finishRemoval(node);
          return;
        }
        this.deleting[node] = 0;
        this.unneededSinceUs[node] = -1;
        this.failures++;
        c.setNodeTaints(node, c.nodes.lifecycleTaints[node] & ~LifecycleTaint.ToBeDeleted); // CleanToBeDeleted
        c.events.add(this.sim.now, "ScaleDownFailed", `node/${name}`, `failed to evict the node's pods within max-pod-eviction-time ${MAX_POD_EVICTION_TIME_US / US_PER_S} s`);
      },
    });
  }

  private finishRemoval(node: number): void {
    this.removed++;
    this.unneededSinceUs[node] = -1;
    this.cluster.events.add(this.sim.now, "ScaleDown", `node/${this.cluster.nodes.names[node]}`, "nodes removed by cluster autoscaler");
    this.p.cloud.deleteMachine(node);
    // The row may come back later as a new machine.
    this.deleting[node] = 0;
  }
}
