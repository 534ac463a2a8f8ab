/**
 * The Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler, core/static_autoscaler.go
 * RunOnce), every --scan-interval (10 s):
 *
 * 1. Machines that have not registered a Node within --max-node-provision-time (15 m)
 *    are given up: deleted (events.csv ScaleUpTimedOut).
 * 1b. Machines whose create failed with a cloud error (a zone out of capacity, a
 *    launch failure) are seen at the loop after the create (createErrors.ts): events.csv
 *    ScaleUpFailed, the group backed off, the machines deleted; the same loop's
 *    scale-up then skips the group (the expander picks among the others).
 * 2. Scale-up: the pods the kube-scheduler marked unschedulable and older than
 *    --new-pod-scale-up-delay. Those that fit on existing nodes or on nodes on their way
 *    up (booting, registered but not yet Ready or initialized: template nodes) are left to
 *    the scheduler. For each autoscaled group below its max size the rest are bin-packed
 *    first-fit-decreasing onto template nodes of the group (binpacking.ts) with the
 *    scheduler's own PreFilter/Filter (simulation.ts); the expander picks one group, whose
 *    size grows by its estimate (events.csv ScaledUpGroup). Pods no group can help get
 *    NotTriggerScaleUp once.
 * 3. Scale-down, when the loop did not scale up (scaleDown.ts).
 *
 * A group whose machine was given up or failed is backed off (nodeGroupBackoff.ts): skipped by
 * scale-up for 5 min, doubling per failure after the last backoff ended, up to 30 min.
 *
 * Simplifications (report "Model fidelity"): the taint is set at once (no API write of
 * its own); DaemonSet pods are not evicted from a drained node (upstream's
 * --daemonset-eviction-for-occupied-nodes does); the unready-node health checks
 * (max-total-unready-percentage) are not modelled.
 */
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { ConditionStatus, LifecycleTaint } from "../../model/nodeTable.js";
import { PodPhase } from "../../model/podTable.js";
import type { RandomStream } from "../../engine/random.js";
import { InstanceErrorClass, MachineState } from "../cloudProvider.js";
import { handleCreateErrors } from "./createErrors.js";
import type { AutoscalerSpec } from "../spec.js";
import { estimate, type PendingPod } from "./binpacking.js";
import { expand, type ExpansionOption } from "./expanders.js";
import { NodeGroupBackoff } from "./nodeGroupBackoff.js";
import { ScaleDown } from "./scaleDown.js";
import type { AutoscalerParts } from "./parts.js";

export type { AutoscalerParts } from "./parts.js";

/** The skipped-group reason of a group at its max size (core/scaleup MaxLimitReachedReason). */
const MAX_SIZE_REACHED = "max node group size reached";
/** The skipped-group reason of a group backed off after a failed scale-up (core/scaleup BackoffReason). */
const IN_BACKOFF = "in backoff after failed scale-up";


export class ClusterAutoscaler {
  private readonly hScan: number;
  private readonly pending = new Set<number>();
  private readonly notTriggered = new Set<number>();
  private readonly down: ScaleDown;
  private lastScaleUpUs = -Infinity;
  private readonly backoff: NodeGroupBackoff;
  /** Per group: a scale-up whose nodes are still on their way (clusterstate's scaleUpRequests). */
  private readonly scaleUpInFlight: Uint8Array;
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
    this.down = new ScaleDown(sim, cluster, spec, p);
    this.rng = sim.rng.stream("cluster-autoscaler.expander");
    this.backoff = new NodeGroupBackoff(p.cloud.groups.length);
    this.scaleUpInFlight = new Uint8Array(p.cloud.groups.length);
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
      { metric: "autoscaler_nodes_removed", value: this.down.removed },
      { metric: "autoscaler_scale_down_failures", value: this.down.failures },
      { metric: "autoscaler_provision_timeouts", value: this.provisionTimeouts },
    ];
  }

  private scan(): void {
    this.sim.schedule(this.spec.scanIntervalUs, this.hScan);
    this.giveUpSlowMachines();
    handleCreateErrors(this.sim.now, this.cluster.events, this.p.cloud, this.backoff);
    this.finishScaleUps();
    const scaledUp = this.scaleUp();
    if (this.spec.scaleDownEnabled && !scaledUp) this.down.run(this.lastScaleUpUs);
  }

  private get groups() {
    return this.p.cloud.groups;
  }

  /**
   * Machines whose Node has not registered within max-node-provision-time are deleted and
   * their group backed off; one ScaleUpTimedOut per group and loop, with upstream's text
   * (clusterstate.go: "Nodes added to group %s failed to register within %v", the time
   * since the oldest such create, as Go prints a duration).
   */
  private giveUpSlowMachines(): void {
    const cloud = this.p.cloud;
    const nodes = this.cluster.nodes;
    this.groups.forEach((g, gi) => {
      let oldestUs = Infinity;
      for (const row of g.nodes) {
        if (cloud.state[row] === MachineState.None || nodes.exists[row] === 1 || cloud.createError[row] !== InstanceErrorClass.None) continue;
        if (this.sim.now - cloud.createdUs[row] < this.spec.maxNodeProvisionTimeUs) continue;
        this.provisionTimeouts++;
        oldestUs = Math.min(oldestUs, cloud.createdUs[row]);
        cloud.deleteMachine(row);
      }
      if (oldestUs === Infinity) return;
      this.cluster.events.add(this.sim.now, "ScaleUpTimedOut", `nodepool/${g.pool}`, `Nodes added to group ${g.pool} failed to register within ${goDuration(this.sim.now - oldestUs)}`);
      this.backoff.failed(gi, this.sim.now);
    });
  }

  /**
   * clusterstate updateScaleRequests: a scale-up whose group has no node on its way any
   * more finished successfully, and the group's backoff is removed (RemoveBackoff); one
   * that failed in this loop (timed out, or its creates failed) is dropped, its backoff kept.
   */
  private finishScaleUps(): void {
    this.groups.forEach((g, gi) => {
      if (this.scaleUpInFlight[gi] === 0) return;
      if (this.backoff.failedAt(gi) === this.sim.now) {
        this.scaleUpInFlight[gi] = 0;
        return;
      }
      if (g.nodes.some((row) => this.upcoming(row))) return;
      this.scaleUpInFlight[gi] = 0;
      this.backoff.remove(gi);
    });
  }

  /** Nodes on their way up: a machine booting, or a Node not yet Ready or initialized. */
  private upcoming(row: number): boolean {
    const cloud = this.p.cloud;
    const nodes = this.cluster.nodes;
    if (this.down.deleting[row] === 1 || cloud.groupOf[row] < 0 || cloud.state[row] === MachineState.None) return false;
    if (cloud.createError[row] !== InstanceErrorClass.None) return false; // clusterstate expectedToRegister: not with ErrorInfo
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
    this.scaleUpInFlight[choice.group] = 1;
    this.nodesAdded += rows.length;
    this.lastScaleUpUs = this.sim.now;
    this.cluster.events.add(this.sim.now, "ScaledUpGroup", `nodepool/${g.pool}`, `Scale-up: setting group ${g.pool} size to ${before + rows.length} instead of ${before} (max: ${g.maxSize}) [expander ${this.spec.expander}: ${choice.pods} pods, ${options.length} option(s)]`);
    return true;
  }
}

/** A duration as Go's time.Duration.String() prints whole and fractional seconds ("15m0s", "1h0m10.5s"). */
export function goDuration(us: number): string {
  if (us === 0) return "0s";
  const totalS = us / US_PER_S;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const sec = totalS - h * 3600 - m * 60;
  const secText = `${Number.isInteger(sec) ? sec : Number(sec.toFixed(6))}s`;
  if (h > 0) return `${h}h${m}m${secText}`;
  if (m > 0) return `${m}m${secText}`;
  return secText;
}
