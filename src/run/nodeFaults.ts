/**
 * The node fault timeline. A fault names its nodes by node, pool (+ count, chosen among
 * the pool's healthy nodes with the seeded stream "faults") or zone, and acts on their
 * kubelets (kubelet/kubelet.ts): a crash, a cut from the control plane, a stopped
 * kubelet, a zone outage (all of the zone's nodes cut off, and with `controlPlane: true`
 * its control-plane hosts too, as `isolate-zone`), or the deletion of the Node objects.
 * A recovery (node-recovery, or the fault's recoverAfter) ends whatever fault the nodes
 * have; a recovery of a pool and count brings back the nodes that failed first. What
 * follows (NotReady, taints, evictions) is the components' doing, not the timeline's.
 * Each fault is a row in events.csv.
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { Kubelets } from "../kubelet/kubelet.js";
import type { FaultSpec } from "./spec.js";

const EVENT_KIND: Record<FaultSpec["type"], string> = {
  "node-failure": "NodeFailure",
  "node-partition": "NodePartition",
  "kubelet-stop": "KubeletStop",
  "zone-outage": "ZoneOutage",
  "node-deletion": "NodeDeletion",
  "node-recovery": "NodeRecovery",
};

export class NodeFaultTimeline {
  private readonly faultId: number;
  private readonly recoverGroupId: number;
  /** Nodes hit by a fault with recoverAfter, by group id. */
  private readonly groups: number[][] = [];
  /** Per node: when its current fault began (us), -1 while healthy. */
  private readonly faultedAtUs: Float64Array;
  /** Time of the first fault, -1 before (the summary's "time from fault" figures). */
  firstFaultUs = -1;
  /** Called once, at the first fault that hits a node (not a Node deletion). */
  onFirstFault: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly kubelets: Kubelets,
    private readonly faults: readonly FaultSpec[],
    /** Cut off (true) or reconnect a zone's control-plane hosts (zone-outage with controlPlane: true). */
    private readonly isolateControlPlaneZone: (zone: string, isolated: boolean) => void = () => {},
  ) {
    this.faultId = sim.on("faults.fault", (i) => this.fault(i));
    this.recoverGroupId = sim.on("faults.recoverGroup", (g, i) => this.recoverGroup(g, i));
    this.faultedAtUs = new Float64Array(cluster.nodes.count).fill(-1);
  }

  start(): void {
    this.faults.forEach((f, i) => this.sim.scheduleAt(f.atUs, this.faultId, i));
  }

  private fault(i: number): void {
    const f = this.faults[i];
    if (f.type === "node-recovery") return this.recover(this.pickFaulted(f.candidates, f.count), f, f.description);
    const nodes = this.pickHealthy(f.candidates, f.count);
    if (this.firstFaultUs < 0 && nodes.length > 0 && f.type !== "node-deletion") {
      this.firstFaultUs = this.sim.now;
      for (const l of this.onFirstFault) l();
    }
    const names = nodes.length <= 3 ? nodes.map((n) => this.cluster.nodes.names[n]).join(", ") : `${nodes.length} nodes`;
    this.cluster.events.add(this.sim.now, EVENT_KIND[f.type], `fault/${f.index ?? i}`, `${f.description}: ${this.what(f)} (${names || "no node"})`);
    if (f.type === "zone-outage" && f.controlPlaneToo) this.isolateControlPlaneZone(f.zone, true);
    for (const n of nodes) {
      if (f.type !== "node-deletion") this.faultedAtUs[n] = this.sim.now;
      if (f.type === "node-failure") this.kubelets.crash(n);
      else if (f.type === "node-partition" || f.type === "zone-outage") this.kubelets.cutOff(n);
      else if (f.type === "kubelet-stop") this.kubelets.stopKubelet(n);
      else this.cluster.deleteNode(n);
    }
    if (f.recoverAfterUs >= 0 && (nodes.length > 0 || f.type === "zone-outage")) {
      this.groups.push(nodes);
      this.sim.schedule(f.recoverAfterUs, this.recoverGroupId, this.groups.length - 1, i);
    }
  }

  private what(f: FaultSpec): string {
    switch (f.type) {
      case "node-failure":
        return "node crashed: kubelet and containers stopped";
      case "node-partition":
        return "node cut off from the control plane";
      case "kubelet-stop":
        return "kubelet stopped";
      case "zone-outage":
        return f.controlPlaneToo ? "zone cut off, its control-plane hosts too" : "zone's nodes cut off from the control plane";
      case "node-deletion":
        return "Node object deleted";
      default:
        return "recovery";
    }
  }

  private recoverGroup(g: number, i: number): void {
    const f = this.faults[i];
    if (f.type === "zone-outage" && f.controlPlaneToo) this.isolateControlPlaneZone(f.zone, false);
    this.recover(this.groups[g], f, `${f.description} (recoverAfter)`);
  }

  private recover(nodes: number[], f: FaultSpec, description: string): void {
    const back: string[] = [];
    for (const n of nodes) {
      if (this.kubelets.recover(n, f.notReadyForUs)) {
        this.faultedAtUs[n] = -1;
        back.push(this.cluster.nodes.names[n]);
      }
    }
    const names = back.length <= 3 ? back.join(", ") : `${back.length} nodes`;
    this.cluster.events.add(this.sim.now, "NodeRecovery", `fault/${f.index ?? this.faults.indexOf(f)}`, `${description}: fault over (${names || "no node"})`);
  }

  /** `count` healthy nodes among the candidates (all when count is Infinity), chosen with stream "faults". */
  private pickHealthy(candidates: number[], count: number): number[] {
    const healthy = candidates.filter((n) => this.faultedAtUs[n] < 0);
    if (count >= healthy.length) return healthy;
    const rng = this.sim.rng.stream("faults");
    // Partial Fisher-Yates: the first `count` of a seeded shuffle.
    for (let k = 0; k < count; k++) {
      const j = k + rng.int(healthy.length - k);
      [healthy[k], healthy[j]] = [healthy[j], healthy[k]];
    }
    return healthy.slice(0, count).sort((a, b) => a - b);
  }

  /** `count` faulted candidates, earliest first (ties: lowest index). */
  private pickFaulted(candidates: number[], count: number): number[] {
    const at = this.faultedAtUs;
    const faulted = candidates.filter((n) => at[n] >= 0).sort((a, b) => at[a] - at[b] || a - b);
    return count >= faulted.length ? faulted : faulted.slice(0, count);
  }
}
