/**
 * kube-controller-manager's node lifecycle controller (k/k pkg/controller/nodelifecycle/
 * node_lifecycle_controller.go; facts in node-controller-facts.md §4), acting only while
 * some kube-controller-manager instance leads. Its writes go through its own
 * ControllerClient and change the cluster when the API answers success.
 *
 * - monitorNodeHealth, every nodeMonitorPeriod from the start of leadership (the first
 *   pass at once, as wait.Until does): per node, probeTimestamp is the controller's own
 *   clock reading of the last change it saw in the Ready heartbeat or the Lease renewTime
 *   (a node first seen counts as seen now, or from its creation if it has no Ready
 *   condition). Past probe + grace, Ready := Unknown (one nodes/status write). The pass
 *   then waits for those writes (upstream writes synchronously) and goes on per node:
 *   processTaintBaseEviction on the Ready status observed BEFORE the pass, MarkPodsNotReady
 *   when the pass itself turned Ready True into something else (or a retry is due), and
 *   handleDisruption over the zones.
 * - doNoExecuteTaintingPass every NodeEvictionPeriod (100 ms grid from the start of
 *   leadership, skipped while every zone queue is empty: tokens refill with time, so
 *   nothing changes): one token of the zone's limiter per node tainted NoExecute.
 * - doNoScheduleTaintingPass on every Node watch event (and for every node at the start
 *   of leadership, the informer's initial list): NoSchedule taints follow Ready at once.
 *
 * Simplifications (README "Model fidelity"): the informer cache is the cluster state
 * itself (no watch delay); passes take no virtual time besides waiting for the Ready
 * writes and stay on the period grid (upstream's wait.Until slides by the pass duration);
 * a failed Ready write is not retried within the pass (upstream: up to 5 tries 20 ms
 * apart), the next pass tries again; a failed NoSchedule write waits for the next Node
 * event (as upstream); only the Ready condition is modelled (no MemoryPressure, ...).
 */
import type { Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { isSuccess, Resource, Verb } from "../../apiserver/verbs.js";
import { ConditionStatus, LifecycleTaint, NO_EXECUTE_TAINTS } from "../../model/nodeTable.js";
import { PodPhase } from "../../model/podTable.js";
import type { ControllerClient } from "../controllerClient.js";
import { DEFAULT_NODE_LIFECYCLE_CONFIG, EVICTION_RATE_LIMITER_BURST, NO_CONDITION_RETRY_US, TRY_REQUEUE_EPSILON_US, type NodeLifecycleConfig } from "./defaults.js";
import { EvictionLimiter } from "./evictionLimiter.js";
import { RateLimitedTimedQueue, TRY_DONE } from "./rateLimitedQueue.js";
import { computeZoneState, ZONE_STATE_NAMES, ZoneState } from "./zoneState.js";

export interface NodeLifecycleOptions {
  config?: Partial<NodeLifecycleConfig>;
  /** Per node row: its zone key (nodetopology.GetZoneKey: region and zone labels), "" without. */
  zoneOfNode: readonly string[];
  /** Per node row: labelled node.kubernetes.io/exclude-disruption. */
  excludedFromDisruption?: readonly boolean[];
}

/** Reasons and messages of the controller's Ready=Unknown write (tryUpdateNodeHealth). */
export const REASON_NODE_STATUS_UNKNOWN = "NodeStatusUnknown";
export const MESSAGE_NODE_STATUS_UNKNOWN = "Kubelet stopped posting node status.";
export const REASON_NODE_STATUS_NEVER_UPDATED = "NodeStatusNeverUpdated";
export const MESSAGE_NODE_STATUS_NEVER_UPDATED = "Kubelet never posted node status.";
/** handleDisruption's log lines, written to events.csv. */
export const MESSAGE_ENTER_MASTER_DISRUPTION = "Controller detected that all Nodes are not-Ready. Entering master disruption mode";
export const MESSAGE_EXIT_MASTER_DISRUPTION = "Controller detected that some Nodes are Ready. Exiting master disruption mode";
/** events.csv kinds [kubesim choice: upstream only logs these]. */
export const EVENT_ZONE_STATE_CHANGED = "ZoneStateChanged";
export const EVENT_MASTER_DISRUPTION = "MasterDisruptionMode";

const enum WriteKind {
  /** nodes/status: Ready := Unknown. */
  ReadyUnknown,
  /** pods/status: Ready := False (MarkPodsNotReady, processPod). */
  PodNotReady,
  /** nodes patch: NoSchedule taints (doNoScheduleTaintingPass). */
  NoScheduleTaints,
  /** nodes patch from doNoExecuteTaintingPass (one token). */
  NoExecuteTainting,
  /** nodes patch: processTaintBaseEviction's immediate swap, or markNodeAsReachable's removal. */
  NoExecuteSwapOrRemove,
}

interface Write {
  kind: WriteKind;
  epoch: number;
  node: number;
  pod: number;
  /** Taint bits to add / remove (taint writes). */
  add: number;
  remove: number;
  /** ReadyUnknown: the Ready status and heartbeat the write was computed from (a change meanwhile is a conflict). */
  fromStatus: number;
  fromHeartbeatUs: number;
  toStatus: number;
  reason: string;
}

/** passCurrent value of a node left out of the rest of the pass (its Ready write failed, or it is gone). */
const SKIPPED = 255;

export class NodeLifecycleController {
  readonly config: NodeLifecycleConfig;
  /** Requests sent (every write of this controller). */
  writesSent = 0;
  /** Writes answered with an error. */
  writesFailed = 0;
  /** Nodes tainted NoExecute by the tainting pass (upstream metric node_collector_evictions_total). */
  evictions = 0;
  /** Ready=Unknown writes that succeeded. */
  nodesMarkedUnknown = 0;
  /** Pods marked not ready (MarkPodsNotReady, processPod). */
  podsMarkedNotReady = 0;

  private readonly monitorId: number;
  private readonly taintPassId: number;
  private readonly writeDoneId: number;
  private readonly writes = new Map<number, Write>();
  private nextToken = 1;
  /** Leadership term of this controller: bumped on every leader change; stale events and answers are ignored. */
  private epoch = 0;
  private active = false;
  private startUs = 0;

  // Per node (the controller's memory; dropped on a new leader).
  private known = new Uint8Array(0);
  private hasHealth = new Uint8Array(0);
  private probeUs = new Float64Array(0);
  private readyTransitionAtUs = new Float64Array(0);
  private savedStatus = new Uint8Array(0);
  private savedHeartbeatUs = new Float64Array(0);
  private savedLeaseUs = new Float64Array(0);
  private toRetry = new Uint8Array(0);
  private podWritesInFlight = new Int32Array(0);
  private podWriteFailed = new Uint8Array(0);
  private noScheduleInFlight = new Uint8Array(0);
  private noScheduleDirty = new Uint8Array(0);
  private noExecuteInFlight = new Uint8Array(0);
  /**
   * Per node: a tainting write is on its way, and markNodeAsReachable was called
   * meanwhile. Upstream the removal goes through the same client after the taint, so it
   * is applied last; kubesim sends it when the taint's write returns.
   */
  private taintingInFlight = new Uint8Array(0);
  private reachableWanted = new Uint8Array(0);
  // The pass in progress.
  private passCount = 0;
  private passPending = 0;
  private passObserved = new Uint8Array(0);
  private passCurrent = new Uint8Array(0);
  // Per zone.
  private zoneStates = new Map<string, ZoneState>();
  private tainters = new Map<string, RateLimitedTimedQueue>();
  private masterDisruption = false;
  private taintPassArmed = false;
  private lastTaintPassUs = -1;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: ControllerClient,
    private readonly options: NodeLifecycleOptions,
  ) {
    this.config = { ...DEFAULT_NODE_LIFECYCLE_CONFIG, ...options.config };
    this.monitorId = sim.on("nodeLifecycle.monitorNodeHealth", (epoch) => this.monitorTick(epoch));
    this.taintPassId = sim.on("nodeLifecycle.noExecuteTaintingPass", (epoch) => this.taintPassTick(epoch));
    this.writeDoneId = sim.on("nodeLifecycle.writeDone", (token, status) => this.writeDone(token, status));
    cluster.onNodeChanged.push((node) => this.noScheduleTaintingPass(node));
    client.onLeaderChange((leading) => this.leaderChanged(leading));
  }

  /** Start acting (at the run's start): at once if some instance leads, else when one does. */
  start(): void {
    if (this.client.leading && !this.active) this.begin();
  }

  /** Whether the controller is currently in master disruption mode (all zones FullDisruption). */
  get inMasterDisruptionMode(): boolean {
    return this.masterDisruption;
  }

  /** The state of a zone as of the last pass (undefined: not seen). */
  zoneState(zone: string): ZoneState | undefined {
    return this.zoneStates.get(zone);
  }

  /** The controller's probeTimestamp of a node (us), -1 when it has none. */
  probeTimestampUs(node: number): number {
    return node < this.hasHealth.length && this.hasHealth[node] ? this.probeUs[node] : -1;
  }

  /** The controller's readyTransitionTimestamp of a node (us), -1 when it has none. */
  readyTransitionTimestampUs(node: number): number {
    return node < this.hasHealth.length && this.hasHealth[node] ? this.readyTransitionAtUs[node] : -1;
  }

  private zoneOf(node: number): string {
    return this.options.zoneOfNode[node] ?? "";
  }

  private excluded(node: number): boolean {
    return this.options.excludedFromDisruption?.[node] ?? false;
  }

  // --- leadership -------------------------------------------------------------------

  private leaderChanged(leading: boolean): void {
    this.epoch++;
    this.active = false;
    if (leading) this.begin();
  }

  /** A (new) leader: fresh informer cache, empty queues, first pass now. */
  private begin(): void {
    this.epoch++;
    this.active = true;
    this.startUs = this.sim.now;
    const n = this.cluster.nodes.count;
    this.known = new Uint8Array(n);
    this.hasHealth = new Uint8Array(n);
    this.probeUs = new Float64Array(n);
    this.readyTransitionAtUs = new Float64Array(n);
    this.savedStatus = new Uint8Array(n);
    this.savedHeartbeatUs = new Float64Array(n);
    this.savedLeaseUs = new Float64Array(n);
    this.toRetry = new Uint8Array(n);
    this.podWritesInFlight = new Int32Array(n);
    this.podWriteFailed = new Uint8Array(n);
    this.noScheduleInFlight = new Uint8Array(n);
    this.noScheduleDirty = new Uint8Array(n);
    this.noExecuteInFlight = new Uint8Array(n);
    this.taintingInFlight = new Uint8Array(n);
    this.reachableWanted = new Uint8Array(n);
    this.passPending = 0;
    this.zoneStates = new Map();
    this.tainters = new Map();
    this.masterDisruption = false;
    this.taintPassArmed = false;
    this.lastTaintPassUs = -1;
    // The informers' initial lists: every Node (nodeUpdateQueue) and every bound pod (processPod).
    for (let node = 0; node < n; node++) {
      this.noScheduleTaintingPass(node);
      for (const pod of this.cluster.podsOn(node)) this.processPod(pod);
    }
    this.monitorTick(this.epoch);
  }

  // --- monitorNodeHealth ----------------------------------------------------------------

  private monitorTick(epoch: number): void {
    if (epoch !== this.epoch || !this.active) return;
    const period = this.config.nodeMonitorPeriodUs;
    const k = Math.floor((this.sim.now - this.startUs) / period) + 1;
    this.sim.scheduleAt(this.startUs + k * period, this.monitorId, this.epoch);
    // A pass still waiting for its Ready writes: upstream's next pass would not have started.
    if (this.passPending > 0) return;
    this.monitorNodeHealth();
  }

  private monitorNodeHealth(): void {
    const nodes = this.cluster.nodes;
    const n = nodes.count;
    this.ensureCapacity(n);
    this.passCount = n;
    if (this.passObserved.length < n) {
      this.passObserved = new Uint8Array(n);
      this.passCurrent = new Uint8Array(n);
    }
    // classifyNodes: new nodes, new zones, deleted nodes.
    for (let node = 0; node < n; node++) {
      if (nodes.exists[node] === 0) {
        this.known[node] = 0;
        continue;
      }
      this.ensureZone(this.zoneOf(node));
      if (this.known[node] === 0) {
        this.known[node] = 1;
        this.markNodeAsReachable(node);
      }
    }
    for (let node = 0; node < n; node++) {
      if (nodes.exists[node] === 0) {
        this.passCurrent[node] = SKIPPED;
        continue;
      }
      this.tryUpdateNodeHealth(node);
    }
    if (this.passPending === 0) this.finishPass();
  }

  /** tryUpdateNodeHealth: probe bookkeeping and, past the grace period, the Ready=Unknown write. */
  private tryUpdateNodeHealth(node: number): void {
    const nodes = this.cluster.nodes;
    const now = this.sim.now;
    const current = nodes.readyCondition[node];
    const heartbeatUs = nodes.heartbeatUs[node];
    const leaseUs = nodes.leaseRenewUs[node];
    let observed: number;
    let graceUs: number;
    if (current === ConditionStatus.None) {
      // Never posted: a fake Unknown condition dated from the Node's creation.
      observed = ConditionStatus.Unknown;
      graceUs = this.config.nodeStartupGracePeriodUs;
      if (this.hasHealth[node]) this.savedStatus[node] = ConditionStatus.None;
      else this.resetHealth(node, nodes.registeredUs[node], ConditionStatus.None, heartbeatUs);
    } else {
      observed = current;
      graceUs = this.config.nodeMonitorGracePeriodUs;
    }
    const saved = this.savedStatus[node];
    if (!this.hasHealth[node]) this.resetHealth(node, now, current, heartbeatUs);
    else if (saved === ConditionStatus.None && current !== ConditionStatus.None) this.resetHealth(node, now, current, heartbeatUs);
    else if (saved !== ConditionStatus.None && current === ConditionStatus.None) this.resetHealth(node, now, current, heartbeatUs);
    else if (saved !== ConditionStatus.None && current !== ConditionStatus.None && this.savedHeartbeatUs[node] !== heartbeatUs) {
      // Ready's lastTransitionTime changed iff its status did (kubesim keeps no transition times).
      const transitionUs = saved !== current ? now : this.readyTransitionAtUs[node];
      this.resetHealth(node, now, current, heartbeatUs);
      this.readyTransitionAtUs[node] = transitionUs;
    }
    // Always update the probe time if the node Lease was renewed.
    if (leaseUs >= 0 && this.savedLeaseUs[node] < leaseUs) {
      this.savedLeaseUs[node] = leaseUs;
      this.probeUs[node] = now;
    }
    this.passObserved[node] = observed;
    this.passCurrent[node] = current;
    if (now > this.probeUs[node] + graceUs && current !== ConditionStatus.Unknown) {
      const neverUpdated = current === ConditionStatus.None;
      const w = this.newWrite(WriteKind.ReadyUnknown, node);
      w.fromStatus = current;
      w.fromHeartbeatUs = heartbeatUs;
      w.toStatus = ConditionStatus.Unknown;
      w.reason = neverUpdated ? `${REASON_NODE_STATUS_NEVER_UPDATED}: ${MESSAGE_NODE_STATUS_NEVER_UPDATED}` : `${REASON_NODE_STATUS_UNKNOWN}: ${MESSAGE_NODE_STATUS_UNKNOWN}`;
      this.passPending++;
      this.send(Verb.Update, Resource.Node, w);
    }
  }

  private resetHealth(node: number, atUs: number, status: number, heartbeatUs: number): void {
    this.hasHealth[node] = 1;
    this.probeUs[node] = atUs;
    this.readyTransitionAtUs[node] = atUs;
    this.savedStatus[node] = status;
    this.savedHeartbeatUs[node] = heartbeatUs;
    this.savedLeaseUs[node] = -1;
  }

  private readyWriteDone(w: Write, ok: boolean): void {
    const node = w.node;
    if (ok) {
      this.savedStatus[node] = w.toStatus;
      this.savedHeartbeatUs[node] = w.fromHeartbeatUs;
      this.readyTransitionAtUs[node] = this.sim.now;
      const leaseUs = this.cluster.nodes.leaseRenewUs[node];
      if (leaseUs >= 0) this.savedLeaseUs[node] = leaseUs;
      this.passCurrent[node] = w.toStatus;
    } else {
      this.passCurrent[node] = SKIPPED;
    }
    if (--this.passPending === 0) this.finishPass();
  }

  /** The per-node work after tryUpdateNodeHealth, then handleDisruption. */
  private finishPass(): void {
    const zoneConditions = new Map<string, number[]>();
    for (let node = 0; node < this.passCount; node++) {
      const current = this.passCurrent[node];
      if (current === SKIPPED) continue;
      const observed = this.passObserved[node];
      if (!this.excluded(node)) {
        const zone = this.zoneOf(node);
        let list = zoneConditions.get(zone);
        if (list === undefined) zoneConditions.set(zone, (list = []));
        list.push(current);
      }
      if (current === ConditionStatus.None) {
        this.toRetry[node] = 0;
        continue;
      }
      this.processTaintBaseEviction(node, observed);
      const transition = current !== ConditionStatus.True && observed === ConditionStatus.True;
      if (transition || (this.toRetry[node] && observed !== ConditionStatus.True)) {
        // Writes of an earlier pass still out: upstream's worker would still be in that call.
        if (this.podWritesInFlight[node] === 0) this.markPodsNotReady(node);
      } else this.toRetry[node] = 0;
    }
    this.handleDisruption(zoneConditions);
  }

  // --- MarkPodsNotReady -------------------------------------------------------------

  private markPodsNotReady(node: number): void {
    this.toRetry[node] = 0;
    this.podWriteFailed[node] = 0;
    for (const pod of this.cluster.podsOn(node)) {
      if (!this.podReady(pod)) continue;
      const w = this.newWrite(WriteKind.PodNotReady, node);
      w.pod = pod;
      this.podWritesInFlight[node]++;
      this.send(Verb.Update, Resource.PodStatus, w);
    }
  }

  /** processPod: a pod bound to a node whose Ready condition exists and is not True is marked not ready. */
  private processPod(pod: number): void {
    const node = this.cluster.pods.node[pod];
    if (node < 0) return;
    const c = this.cluster.nodes.readyCondition[node];
    if (c === ConditionStatus.True || c === ConditionStatus.None || !this.podReady(pod)) return;
    const w = this.newWrite(WriteKind.PodNotReady, -1);
    w.pod = pod;
    this.send(Verb.Update, Resource.PodStatus, w);
  }

  /** Only a pod whose Ready condition is True gets a write (UpdatePodCondition would change nothing otherwise). */
  private podReady(pod: number): boolean {
    const pods = this.cluster.pods;
    return pods.phase[pod] === PodPhase.Running && pods.ready[pod] === 1;
  }

  // --- taints -------------------------------------------------------------------------

  private processTaintBaseEviction(node: number, observed: number): void {
    const taints = this.cluster.nodes.lifecycleTaints[node];
    if (observed === ConditionStatus.False) {
      if (taints & LifecycleTaint.UnreachableNoExecute) this.swapNoExecute(node, LifecycleTaint.NotReadyNoExecute, LifecycleTaint.UnreachableNoExecute);
      else this.markNodeForTainting(node, LifecycleTaint.NotReadyNoExecute);
    } else if (observed === ConditionStatus.Unknown) {
      if (taints & LifecycleTaint.NotReadyNoExecute) this.swapNoExecute(node, LifecycleTaint.UnreachableNoExecute, LifecycleTaint.NotReadyNoExecute);
      else this.markNodeForTainting(node, LifecycleTaint.UnreachableNoExecute);
    } else if (observed === ConditionStatus.True) this.markNodeAsReachable(node);
  }

  private swapNoExecute(node: number, add: number, remove: number): void {
    if (this.noExecuteInFlight[node]) return;
    const w = this.newWrite(WriteKind.NoExecuteSwapOrRemove, node);
    w.add = add;
    w.remove = remove;
    this.noExecuteInFlight[node] = 1;
    this.send(Verb.Patch, Resource.Node, w);
  }

  /** markNodeForTainting: re-queue (due now) unless the node already carries the matching taint. */
  private markNodeForTainting(node: number, taint: number): void {
    const queue = this.tainters.get(this.zoneOf(node))!;
    if ((this.cluster.nodes.lifecycleTaints[node] & taint) === 0) queue.remove(node);
    if (queue.add(node, this.sim.now)) this.armTaintPass();
  }

  /** markNodeAsReachable: remove both NoExecute taints (a write each, if present) and leave the zone queue. */
  private markNodeAsReachable(node: number): void {
    if (this.taintingInFlight[node]) this.reachableWanted[node] = 1;
    const present = this.cluster.nodes.lifecycleTaints[node] & NO_EXECUTE_TAINTS;
    if (present !== 0 && !this.noExecuteInFlight[node]) {
      for (const bit of [LifecycleTaint.UnreachableNoExecute, LifecycleTaint.NotReadyNoExecute]) {
        if ((present & bit) === 0) continue;
        const w = this.newWrite(WriteKind.NoExecuteSwapOrRemove, node);
        w.remove = bit;
        this.noExecuteInFlight[node]++;
        this.send(Verb.Patch, Resource.Node, w);
      }
    }
    // Upstream removes from the queue once the writes returned; kubesim at once [kubesim choice].
    this.tainters.get(this.zoneOf(node))?.remove(node);
  }

  /** doNoScheduleTaintingPass: not-ready / unreachable NoSchedule follow the Ready condition. */
  private noScheduleTaintingPass(node: number): void {
    if (!this.active) return;
    const nodes = this.cluster.nodes;
    if (nodes.exists[node] === 0) return;
    this.ensureCapacity(nodes.count);
    const c = nodes.readyCondition[node];
    const want = c === ConditionStatus.False ? LifecycleTaint.NotReadyNoSchedule : c === ConditionStatus.Unknown ? LifecycleTaint.UnreachableNoSchedule : 0;
    const have = nodes.lifecycleTaints[node] & (LifecycleTaint.NotReadyNoSchedule | LifecycleTaint.UnreachableNoSchedule);
    if (want === have) return;
    // The workqueue holds a key being processed and hands it out again when it is done.
    if (this.noScheduleInFlight[node]) {
      this.noScheduleDirty[node] = 1;
      return;
    }
    const w = this.newWrite(WriteKind.NoScheduleTaints, node);
    w.add = want & ~have;
    w.remove = have & ~want;
    this.noScheduleInFlight[node] = 1;
    this.send(Verb.Patch, Resource.Node, w);
  }

  // --- doNoExecuteTaintingPass ------------------------------------------------------------

  private armTaintPass(): void {
    if (this.taintPassArmed) return;
    const period = this.config.nodeEvictionPeriodUs;
    let at = this.startUs + Math.ceil((this.sim.now - this.startUs) / period) * period;
    if (at <= this.lastTaintPassUs) at = this.lastTaintPassUs + period;
    this.taintPassArmed = true;
    this.sim.scheduleAt(at, this.taintPassId, this.epoch);
  }

  private taintPassTick(epoch: number): void {
    if (epoch !== this.epoch || !this.active) return;
    this.taintPassArmed = false;
    this.lastTaintPassUs = this.sim.now;
    let waiting = false;
    for (const queue of this.tainters.values()) {
      queue.tryDrain(this.sim.now, TRY_REQUEUE_EPSILON_US, (node) => this.taintNoExecute(node));
      if (queue.size > 0) waiting = true;
    }
    if (waiting) this.armTaintPass();
  }

  /** The tainting pass's action for one queued node: TRY_DONE or a wait before retrying. */
  private taintNoExecute(node: number): number {
    const nodes = this.cluster.nodes;
    if (nodes.exists[node] === 0) return TRY_DONE;
    const c = nodes.readyCondition[node];
    if (c === ConditionStatus.None) return NO_CONDITION_RETRY_US;
    let add: number;
    let remove: number;
    if (c === ConditionStatus.False) [add, remove] = [LifecycleTaint.NotReadyNoExecute, LifecycleTaint.UnreachableNoExecute];
    else if (c === ConditionStatus.Unknown) [add, remove] = [LifecycleTaint.UnreachableNoExecute, LifecycleTaint.NotReadyNoExecute];
    else return TRY_DONE; // Ready again: no taint.
    const taints = nodes.lifecycleTaints[node];
    if ((taints & add) !== 0 && (taints & remove) === 0) {
      // Already as wanted: SwapNodeControllerTaint sends nothing and reports success.
      this.evictions++;
      return TRY_DONE;
    }
    const w = this.newWrite(WriteKind.NoExecuteTainting, node);
    this.taintingInFlight[node] = 1;
    this.reachableWanted[node] = 0;
    w.add = add;
    w.remove = remove;
    this.send(Verb.Patch, Resource.Node, w);
    return TRY_DONE;
  }

  // --- handleDisruption -------------------------------------------------------------------

  private handleDisruption(zoneConditions: Map<string, number[]>): void {
    const now = this.sim.now;
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conditions] of zoneConditions) {
      const state = computeZoneState(conditions, this.config.unhealthyZoneThreshold);
      if (state !== ZoneState.FullDisruption) allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, ZoneState.Initial);
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of this.zoneStates) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== ZoneState.FullDisruption) {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      this.masterDisruption = true;
      this.cluster.events.add(now, EVENT_MASTER_DISRUPTION, "controller/node-lifecycle", MESSAGE_ENTER_MASTER_DISRUPTION);
      for (let node = 0; node < this.passCount; node++) if (this.cluster.nodes.exists[node]) this.markNodeAsReachable(node);
      for (const zone of this.zoneStates.keys()) this.tainters.get(zone)!.swapLimiter(0, EVICTION_RATE_LIMITER_BURST, now);
      for (const zone of [...this.zoneStates.keys()]) this.setZoneState(zone, ZoneState.FullDisruption);
      return;
    }
    if (allWasFullyDisrupted) {
      this.masterDisruption = false;
      this.cluster.events.add(now, EVENT_MASTER_DISRUPTION, "controller/node-lifecycle", MESSAGE_EXIT_MASTER_DISRUPTION);
      for (let node = 0; node < this.passCount; node++) {
        if (!this.hasHealth[node]) continue;
        this.probeUs[node] = now;
        this.readyTransitionAtUs[node] = now;
      }
      for (const zone of [...this.zoneStates.keys()]) {
        const state = newStates.get(zone)!;
        this.setLimiterInZone(zone, zoneConditions.get(zone)!.length, state);
        this.setZoneState(zone, state);
      }
      return;
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newStates.get(zone)!;
      if (state === next) continue;
      this.setLimiterInZone(zone, zoneConditions.get(zone)!.length, next);
      this.setZoneState(zone, next);
    }
  }

  private setZoneState(zone: string, state: ZoneState): void {
    const from = this.zoneStates.get(zone);
    this.zoneStates.set(zone, state);
    if (from === state || (from === ZoneState.Initial && state === ZoneState.Normal)) return;
    // A zone's first pass into Normal is not news [kubesim choice: upstream logs every change].
    this.cluster.events.add(this.sim.now, EVENT_ZONE_STATE_CHANGED, `zone/${zone === "" ? '""' : zone}`, `${ZONE_STATE_NAMES[from ?? ZoneState.Initial]} -> ${ZONE_STATE_NAMES[state]}`);
  }

  /** setLimiterInZone: Normal and FullDisruption at the eviction rate; PartialDisruption at ReducedQPSFunc. */
  private setLimiterInZone(zone: string, zoneSize: number, state: ZoneState): void {
    const c = this.config;
    let qps: number;
    if (state === ZoneState.Normal || state === ZoneState.FullDisruption) qps = c.evictionLimiterQps;
    else if (state === ZoneState.PartialDisruption) qps = zoneSize > c.largeClusterSizeThreshold ? c.secondaryEvictionLimiterQps : 0;
    else return;
    this.tainters.get(zone)!.swapLimiter(qps, EVICTION_RATE_LIMITER_BURST, this.sim.now);
  }

  /** addPodEvictorForNewZone: a zone not in zoneStates gets state Initial and a fresh queue. */
  private ensureZone(zone: string): void {
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, ZoneState.Initial);
    this.tainters.set(zone, new RateLimitedTimedQueue(EvictionLimiter.create(this.config.evictionLimiterQps, EVICTION_RATE_LIMITER_BURST, this.sim.now)));
  }

  // --- writes ---------------------------------------------------------------------------

  private newWrite(kind: WriteKind, node: number): Write {
    return { kind, epoch: this.epoch, node, pod: -1, add: 0, remove: 0, fromStatus: 0, fromHeartbeatUs: 0, toStatus: 0, reason: "" };
  }

  private send(verb: Verb, resource: Resource, w: Write): void {
    const token = this.nextToken++;
    this.writes.set(token, w);
    this.writesSent++;
    this.client.send(verb, resource, token, this.writeDoneId);
  }

  private writeDone(token: number, status: number): void {
    const w = this.writes.get(token)!;
    this.writes.delete(token);
    const cluster = this.cluster;
    const nodes = cluster.nodes;
    // A write the API server stored changes the cluster whichever leader sent it; an
    // update computed from a node that changed meanwhile is refused (resourceVersion conflict).
    let ok = isSuccess(status);
    if (ok && w.node >= 0 && nodes.exists[w.node] === 0 && w.kind !== WriteKind.PodNotReady) ok = false;
    if (ok && w.kind === WriteKind.ReadyUnknown && (nodes.readyCondition[w.node] !== w.fromStatus || nodes.heartbeatUs[w.node] !== w.fromHeartbeatUs)) ok = false;
    if (!ok) this.writesFailed++;
    const current = w.epoch === this.epoch && this.active;
    switch (w.kind) {
      case WriteKind.ReadyUnknown:
        if (ok) {
          this.nodesMarkedUnknown++;
          cluster.setNodeReady(w.node, w.toStatus as ConditionStatus, w.reason);
        }
        if (current) this.readyWriteDone(w, ok);
        break;
      case WriteKind.PodNotReady:
        if (ok && this.podReady(w.pod)) {
          this.podsMarkedNotReady++;
          cluster.setPodReady(w.pod, false);
        }
        if (current && w.node >= 0) {
          this.podWritesInFlight[w.node]--;
          if (!ok) this.podWriteFailed[w.node] = 1;
          if (this.podWritesInFlight[w.node] === 0 && this.podWriteFailed[w.node]) this.toRetry[w.node] = 1;
        }
        break;
      case WriteKind.NoScheduleTaints:
        if (current) this.noScheduleInFlight[w.node] = 0;
        if (ok) cluster.setNodeTaints(w.node, (nodes.lifecycleTaints[w.node] & ~w.remove) | w.add);
        if (current && this.noScheduleDirty[w.node]) {
          this.noScheduleDirty[w.node] = 0;
          this.noScheduleTaintingPass(w.node);
        }
        break;
      case WriteKind.NoExecuteTainting:
        if (current) this.taintingInFlight[w.node] = 0;
        if (ok) {
          this.evictions++;
          cluster.setNodeTaints(w.node, (nodes.lifecycleTaints[w.node] & ~w.remove) | w.add);
          if (current && this.reachableWanted[w.node]) {
            this.reachableWanted[w.node] = 0;
            this.markNodeAsReachable(w.node);
          }
        } else if (current) {
          const queue = this.tainters.get(this.zoneOf(w.node));
          queue?.requeue(w.node, this.sim.now + TRY_REQUEUE_EPSILON_US);
          if (queue !== undefined && queue.size > 0) this.armTaintPass();
        }
        break;
      case WriteKind.NoExecuteSwapOrRemove:
        if (current) this.noExecuteInFlight[w.node]--;
        if (ok) cluster.setNodeTaints(w.node, (nodes.lifecycleTaints[w.node] & ~w.remove) | w.add);
        break;
    }
  }

  private ensureCapacity(n: number): void {
    if (this.known.length >= n) return;
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.known = grow(this.known);
    this.hasHealth = grow(this.hasHealth);
    this.probeUs = grow(this.probeUs);
    this.readyTransitionAtUs = grow(this.readyTransitionAtUs);
    this.savedStatus = grow(this.savedStatus);
    this.savedHeartbeatUs = grow(this.savedHeartbeatUs);
    this.savedLeaseUs = grow(this.savedLeaseUs);
    this.toRetry = grow(this.toRetry);
    this.podWritesInFlight = grow(this.podWritesInFlight);
    this.podWriteFailed = grow(this.podWriteFailed);
    this.noScheduleInFlight = grow(this.noScheduleInFlight);
    this.noScheduleDirty = grow(this.noScheduleDirty);
    this.noExecuteInFlight = grow(this.noExecuteInFlight);
    this.taintingInFlight = grow(this.taintingInFlight);
    this.reachableWanted = grow(this.reachableWanted);
  }
}
