/**
 * The Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler, core/static_autoscaler.go
 * RunOnce), every --scan-interval (10 s):
 *
 * 1. Machines that have not registered a Node within --max-node-provision-time (15 m)
 *    are given up: deleted (events.csv ScaleUpTimedOut).
 * 2. Scale-up: the pods the kube-scheduler marked unschedulable and older than
 *    --new-pod-scale-up-delay. Those that fit on existing nodes or on nodes on their way
 *    up (booting, registered but not yet Ready or initialized: template nodes) are left to
 *    the scheduler. For each autoscaled group below its max size the rest are bin-packed
 *    first-fit-decreasing onto template nodes of the group (binpacking.ts) with the
 *    scheduler's own PreFilter/Filter (simulator.ts); the expander picks one group, whose
 *    size grows by its estimate (events.csv ScaledUpGroup). Pods no group can help get
 *    NotTriggerScaleUp once.
 * 3. Scale-down (not within --scale-down-delay-after-add of a scale-up): a Ready node of
 *    an autoscaled group is unneeded while its utilization (the larger of requested cpu
 *    and memory over allocatable, every pod counted) is below the threshold (0.5), its
 *    pods other than DaemonSet pods can be placed on the other nodes (simulated with the
 *    filters) and no PodDisruptionBudget forbids evicting them. A node unneeded for
 *    --scale-down-unneeded-time (10 m) whose group is above its min size is removed:
 *    empty ones up to 10 at a time, others one at a time, drained as upstream does
 *    (cordoned, pods evicted through the eviction API, retried up to
 *    --max-pod-eviction-time), then the machine is deleted (events.csv ScaleDown).
 *
 * A group whose machine was given up is backed off (nodeGroupBackoff.ts): skipped by
 * scale-up for 5 min, doubling per failure after the last backoff ended, up to 30 min.
 *
 * Simplifications (report "Model fidelity"): the drain cordons (upstream taints
 * ToBeDeletedByClusterAutoscaler:NoSchedule); the unready-node health checks
 * (max-total-unready-percentage) are not modelled.
 */
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { ConditionStatus, LifecycleTaint } from "../../model/nodeTable.js";
import { PodPhase } from "../../model/podTable.js";
import type { NodeSpec } from "../../model/nodeSpec.js";
import type { RandomStream } from "../../engine/random.js";
import type { DrainOptions } from "../../client/drain.js";
import { MachineState, type CloudProvider } from "../cloudProvider.js";
import type { AutoscalerSpec } from "../spec.js";
import { estimate, type PendingPod } from "./binpacking.js";
import { expand, type ExpansionOption } from "./expanders.js";
import type { SchedulingSimulation } from "./simulation.js";
import { MAX_DRAIN_PARALLELISM, MAX_EMPTY_BULK_DELETE, MAX_POD_EVICTION_TIME_US } from "./defaults.js";
import { NodeGroupBackoff } from "./nodeGroupBackoff.js";

/** The skipped-group reason of a group at its max size (core/scaleup MaxLimitReachedReason). */
const MAX_SIZE_REACHED = "max node group size reached";
/** The skipped-group reason of a group backed off after a failed scale-up (core/scaleup BackoffReason). */
const IN_BACKOFF = "in backoff after failed scale-up";

export interface AutoscalerParts {
  cloud: CloudProvider;
  nodes: readonly NodeSpec[];
  simulation: SchedulingSimulation;
  /** kubectl-style drain through the eviction API (client/drain.ts). */
  drain(node: number, options: DrainOptions): void;
  /** Outcome of evicted pods (pods.csv). */
  drainOutcome: number;
  /** A DaemonSet's pod (does not block a scale-down). */
  isDaemonSetPod(pod: number): boolean;
  /** The PodDisruptionBudgets guarding pods of a template, and one's disruptionsAllowed now. */
  guardsOf(template: number): readonly number[];
  disruptionsAllowed(pdb: number): number;
}

export class ClusterAutoscaler {
  private readonly hScan: number;
  private readonly pending = new Set<number>();
  private readonly notTriggered = new Set<number>();
  /** Per node row: since when it has been unneeded (us), -1 when it is not. */
  private readonly unneededSinceUs: Float64Array;
  /** Per node row: 1 while the autoscaler removes it. */
  private readonly deleting: Uint8Array;
  private drains = 0;
  private lastScaleUpUs = -Infinity;
  private readonly backoff: NodeGroupBackoff;
  private readonly rng: RandomStream;
  // Figures for summary.csv.
  scaleUps = 0;
  nodesAdded = 0;
  scaleDowns = 0;
  provisionTimeouts = 0;
  scaleDownFailures = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly spec: AutoscalerSpec,
    private readonly p: AutoscalerParts,
  ) {
    const n = cluster.nodes.count;
    this.unneededSinceUs = new Float64Array(n).fill(-1);
    this.deleting = new Uint8Array(n);
    this.rng = sim.rng.stream("cluster-autoscaler.expander");
    this.backoff = new NodeGroupBackoff(p.cloud.groups.length);
    this.hScan = sim.on("cluster-autoscaler.scan", () => this.scan());
    cluster.onPodCreated.push((pod) => this.pending.add(pod));
    const gone = (pod: number) => {
      this.pending.delete(pod);
      this.notTriggered.delete(pod);
    };
    cluster.onPodBound.push(gone);
    cluster.onPendingPodDeleted.push(gone);
    cluster.onPodEnded.push(gone);
  }

  start(): void {
    this.sim.schedule(this.spec.scanIntervalUs, this.hScan);
  }

  summary(): { metric: string; value: number }[] {
    return [
      { metric: "autoscaler_scale_ups", value: this.scaleUps },
      { metric: "autoscaler_nodes_added", value: this.nodesAdded },
      { metric: "autoscaler_nodes_removed", value: this.scaleDowns },
      { metric: "autoscaler_scale_down_failures", value: this.scaleDownFailures },
      { metric: "autoscaler_provision_timeouts", value: this.provisionTimeouts },
    ];
  }

  private scan(): void {
    this.sim.schedule(this.spec.scanIntervalUs, this.hScan);
    this.giveUpSlowMachines();
    const scaledUp = this.scaleUp();
    if (this.spec.scaleDownEnabled && !scaledUp) this.scaleDown();
  }

  private get groups() {
    return this.p.cloud.groups;
  }

  /** A machine whose Node has not registered within max-node-provision-time is deleted. */
  private giveUpSlowMachines(): void {
    const cloud = this.p.cloud;
    const nodes = this.cluster.nodes;
    this.groups.forEach((g) => {
      for (const row of g.nodes) {
        if (cloud.state[row] === MachineState.None || nodes.exists[row] === 1) continue;
        if (this.sim.now - cloud.createdUs[row] < this.spec.maxNodeProvisionTimeUs) continue;
        this.provisionTimeouts++;
        this.cluster.events.add(this.sim.now, "ScaleUpTimedOut", `nodepool/${g.pool}`, `node ${nodes.names[row]} did not register within max-node-provision-time ${this.spec.maxNodeProvisionTimeUs / US_PER_S} s: machine deleted`);
        cloud.deleteMachine(row);
        this.backoff.failed(cloud.groupOf[row], this.sim.now);
      }
    });
  }

  /** Nodes on their way up: a machine booting, or a Node not yet Ready or initialized. */
  private upcoming(row: number): boolean {
    const cloud = this.p.cloud;
    const nodes = this.cluster.nodes;
    if (this.deleting[row] === 1 || cloud.groupOf[row] < 0 || cloud.state[row] === MachineState.None) return false;
    if (nodes.exists[row] === 0) return true;
    return nodes.readyCondition[row] !== ConditionStatus.True || (nodes.lifecycleTaints[row] & LifecycleTaint.Uninitialized) !== 0;
  }

  /**
   * A fresh simulation with upcoming nodes as templates; places the unschedulable pods
   * that fit on existing or upcoming nodes and returns the others.
   */
  private prepare(unschedulable: readonly PendingPod[]): PendingPod[] {
    const sim = this.p.simulation;
    sim.reset();
    const all: number[] = [];
    for (let n = 0; n < this.cluster.nodes.count; n++) {
      all.push(n);
      if (this.upcoming(n)) all.push(sim.addTemplateNode(n));
    }
    const rest: PendingPod[] = [];
    for (const pod of unschedulable) {
      const node = sim.firstFit(pod.template, all);
      if (node >= 0) sim.place(pod.template, node);
      else rest.push(pod);
    }
    return rest;
  }

  private scaleUp(): boolean {
    const pods = this.cluster.pods;
    const unschedulable: PendingPod[] = [];
    for (const p of this.pending) {
      if (pods.phase[p] !== PodPhase.Pending || pods.deletionUs[p] >= 0 || !this.cluster.lastSchedulingFailure.has(p)) continue;
      if (this.sim.now - pods.createdUs[p] < this.spec.newPodScaleUpDelayUs) continue;
      unschedulable.push({ pod: p, template: pods.template[p], cpuMilli: pods.cpuReq[p], memoryBytes: pods.memReq[p] });
    }
    if (unschedulable.length === 0) return false;
    if (this.prepare(unschedulable).length === 0) return false;
    const options: ExpansionOption[] = [];
    const helped = new Set<number>();
    // Per pod: why each group could not take it (NotTriggerScaleUp), reason -> groups.
    const why = new Map<number, Map<string, number>>();
    const note = (pod: number, reason: string) => {
      if (!why.has(pod)) why.set(pod, new Map());
      const m = why.get(pod)!;
      m.set(reason, (m.get(reason) ?? 0) + 1);
    };
    this.groups.forEach((g, gi) => {
      if (!g.autoscaled) return;
      if (this.backoff.backedOff(gi, this.sim.now)) {
        for (const x of unschedulable) note(x.pod, IN_BACKOFF);
        return;
      }
      const room = g.maxSize - this.p.cloud.targetSize(gi);
      if (room <= 0) {
        for (const x of unschedulable) note(x.pod, MAX_SIZE_REACHED);
        return;
      }
      const rest = this.prepare(unschedulable);
      const t = this.p.nodes[g.nodes[0]];
      const e = estimate(this.p.simulation, rest, g.nodes[0], t.cpuMilli, t.memoryBytes, room);
      for (const [pod, reasons] of e.rejected) for (const r of new Set(reasons)) note(pod, r);
      if (e.nodes === 0) return;
      for (const x of e.pods) helped.add(x.pod);
      options.push({
        group: gi,
        nodes: e.nodes,
        pods: e.pods.length,
        cpuRequestedMilli: e.pods.reduce((a, x) => a + x.cpuMilli, 0),
        memRequestedBytes: e.pods.reduce((a, x) => a + x.memoryBytes, 0),
        cpuAllocMilli: t.cpuMilli,
        memAllocBytes: t.memoryBytes,
        pricePerHour: g.pricePerHour,
        priority: this.spec.priorities[gi],
      });
    });
    // Upstream records NotTriggerScaleUp only in a loop without a scale-up (every loop;
    // [kubesim choice] once per pod, to keep events.csv readable).
    if (options.length === 0) {
      for (const x of unschedulable) {
        if (helped.has(x.pod) || this.notTriggered.has(x.pod)) continue;
        this.notTriggered.add(x.pod);
        const reasons = [...(why.get(x.pod) ?? new Map<string, number>())].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([r, k]) => `${k} ${r}`);
        this.cluster.events.add(this.sim.now, "NotTriggerScaleUp", `pod/${pods.namespaces[x.pod]}/${pods.names[x.pod]}`, `pod didn't trigger scale-up: ${reasons.join(", ")}`);
      }
    }
    const choice = expand(this.spec.expander, options, this.rng);
    if (!choice) return false;
    const g = this.groups[choice.group];
    const before = this.p.cloud.targetSize(choice.group);
    const rows = this.p.cloud.increaseSize(choice.group, choice.nodes);
    this.scaleUps++;
    this.nodesAdded += rows.length;
    this.lastScaleUpUs = this.sim.now;
    this.cluster.events.add(this.sim.now, "ScaledUpGroup", `nodepool/${g.pool}`, `Scale-up: setting group ${g.pool} size to ${before + rows.length} instead of ${before} (max: ${g.maxSize}) [expander ${this.spec.expander}: ${choice.pods} pods, ${options.length} option(s)]`);
    return true;
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

  private scaleDown(): void {
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
    if (this.sim.now - this.lastScaleUpUs < this.spec.scaleDownDelayAfterAddUs) return;
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
      done: (r) => {
        this.drains--;
        if (r.completed) {
          this.finishRemoval(node);
          return;
        }
        this.deleting[node] = 0;
        this.unneededSinceUs[node] = -1;
        this.scaleDownFailures++;
        c.setUnschedulable(node, false);
        c.events.add(this.sim.now, "ScaleDownFailed", `node/${name}`, `failed to evict the node's pods within max-pod-eviction-time ${MAX_POD_EVICTION_TIME_US / US_PER_S} s`);
      },
    });
  }

  private finishRemoval(node: number): void {
    this.scaleDowns++;
    this.cluster.setUnschedulable(node, true); // nothing new lands on it before the Node goes
    this.unneededSinceUs[node] = -1;
    this.cluster.events.add(this.sim.now, "ScaleDown", `node/${this.cluster.nodes.names[node]}`, "nodes removed by cluster autoscaler");
    this.p.cloud.deleteMachine(node);
    // The row may come back later as a new machine.
    this.deleting[node] = 0;
  }
}
