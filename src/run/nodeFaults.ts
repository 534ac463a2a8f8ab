/**
 * The fault timeline: node failures and recoveries at given times. A failure that
 * names a pool and a count picks its nodes among the pool's Ready nodes with the
 * seeded stream "faults"; a recovery of a pool and count brings back the nodes that
 * failed first. The failure's effect is immediate (Simplification, README "Model
 * fidelity": no node-monitor grace period, no NoExecute taint eviction delay).
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { FaultSpec } from "./spec.js";

export class NodeFaultTimeline {
  private readonly faultId: number;
  private readonly recoverGroupId: number;
  /** Nodes failed by a fault with recoverAfter, by group id. */
  private readonly groups: number[][] = [];
  /** Per node: when it failed (us), -1 while Ready, for recovering the earliest-failed first. */
  private readonly failedAtUs: Float64Array;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly faults: readonly FaultSpec[],
  ) {
    this.faultId = sim.on("faults.fault", (i) => this.fault(i));
    this.recoverGroupId = sim.on("faults.recoverGroup", (g, i) => this.recoverGroup(g, i));
    this.failedAtUs = new Float64Array(cluster.nodes.count).fill(-1);
  }

  start(): void {
    this.faults.forEach((f, i) => this.sim.scheduleAt(f.atUs, this.faultId, i));
  }

  private fault(i: number): void {
    const f = this.faults[i];
    if (f.type === "node-failure") {
      const nodes = this.pickReady(f.candidates, f.count);
      let lost = 0;
      for (const n of nodes) {
        // The cause is logged before its effects (lost pods, unavailable Deployments).
        this.cluster.events.add(this.sim.now, "NodeFailure", `node/${this.cluster.nodes.names[n]}`, `${f.description}: node stopped, NotReady`);
        this.failedAtUs[n] = this.sim.now;
        this.cluster.setNodeReady(n, 2, "WIP"); // WIP: replaced by the kubelet faults
      }
      this.cluster.events.add(this.sim.now, "PodsLost", `fault/${i}`, `${f.description}: ${nodes.length} node(s) failed, ${lost} pod(s) lost`);
      if (f.recoverAfterUs >= 0 && nodes.length > 0) {
        this.groups.push(nodes);
        this.sim.schedule(f.recoverAfterUs, this.recoverGroupId, this.groups.length - 1, i);
      }
    } else {
      this.recover(this.pickFailed(f.candidates, f.count), f.description);
    }
  }

  private recoverGroup(g: number, i: number): void {
    this.recover(this.groups[g], `${this.faults[i].description} (recoverAfter)`);
  }

  private recover(nodes: number[], description: string): void {
    for (const n of nodes) {
      if (this.cluster.nodes.ready[n] === 0) { this.cluster.setNodeReady(n, 0, "WIP");
        this.failedAtUs[n] = -1;
        this.cluster.events.add(this.sim.now, "NodeRecovery", `node/${this.cluster.nodes.names[n]}`, `${description}: node Ready again`);
      }
    }
  }

  /** `count` Ready nodes among the candidates (all when count is Infinity), chosen with stream "faults". */
  private pickReady(candidates: number[], count: number): number[] {
    const ready = candidates.filter((n) => this.cluster.nodes.ready[n] === 1);
    if (count >= ready.length) return ready;
    const rng = this.sim.rng.stream("faults");
    // Partial Fisher-Yates: the first `count` of a seeded shuffle.
    for (let k = 0; k < count; k++) {
      const j = k + rng.int(ready.length - k);
      [ready[k], ready[j]] = [ready[j], ready[k]];
    }
    return ready.slice(0, count).sort((a, b) => a - b);
  }

  /** `count` NotReady candidates, earliest failed first (ties: lowest index). */
  private pickFailed(candidates: number[], count: number): number[] {
    const at = this.failedAtUs;
    const failed = candidates.filter((n) => this.cluster.nodes.ready[n] === 0).sort((a, b) => at[a] - at[b] || a - b);
    return count >= failed.length ? failed : failed.slice(0, count);
  }
}
