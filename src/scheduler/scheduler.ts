/**
 * The kube-scheduler component in the simulation: one scheduling queue shared by all
 * profiles, a serial scheduling loop whose cycles take virtual time, assume + async
 * binding through the API client's rate limiter, and DefaultPreemption's victims
 * deleted gracefully before the preemptor binds.
 *
 *   pod created --> queue --pop--> cycle (A's SchedulingCycle; cost model) --+--> assume
 *        ^                                                                   |    bind request
 *        |  backoff / unschedulable / cluster events                         |    (QPS/burst)
 *        +------------------------ failure (PostFilter may nominate) <------+    --> bound
 *        ^                                                                        |
 *        +------ binding failed (forget, Unreserve, error backoff) <--------------+
 *
 * The bind request takes a fixed `apiWriteLatencyUs`, or, with a `binder` (the run has
 * a control plane), is a real API request whose answer comes back through
 * `bindResult(pod, ok)`.
 *
 * Cost model: a cycle takes perCycleUs + perNodeEvaluatedUs x (nodes run through
 * Filter) + perNodeScoredUs x (feasible nodes scored); the loop takes the next pod
 * when the cycle ends. The cycle's decision is computed at its start on the
 * snapshot (as upstream snapshots the cache at cycle start) and the pod is assumed
 * at once, which is equivalent for a serial loop.
 *
 * Pods are identified by the caller's ids (pod table rows); the snapshot has its own
 * pod rows for pods on nodes. Timers use handler ids registered once: no closure per
 * event.
 */
import { DEFAULT_SCHEDULER_NAME, DEFAULT_TERMINATION_GRACE_PERIOD_S } from "../model/wellKnown.js";
import type { Simulation } from "../engine/simulation.js";
import { US_PER_MS, US_PER_S } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";
import type { CompiledPod } from "./compiled.js";
import { DEFAULT_CLIENT_BURST, DEFAULT_CLIENT_QPS } from "./config/defaults.js";
import { Code } from "./framework.js";
import type { SchedulingCycle } from "./cycle.js";
import { DefaultPreemption, type PreemptionContext } from "./plugins/DefaultPreemption.js";
import type { PreemptionOutcome } from "./preemption/evaluator.js";
import { ClusterEvent, eventsForPlugin } from "./queue/events.js";
import type { Profile } from "./profile.js";
import { SchedulingQueue } from "./queue/schedulingQueue.js";
import type { Snapshot } from "./snapshot.js";
import { TokenBucket } from "../client/tokenBucket.js";

/**
 * Cost of one scheduling cycle in virtual time. kubesim's defaults, not upstream
 * constants: chosen so a 5,000-node cluster with the adaptive percentageOfNodesToScore
 * (10% -> 500 nodes evaluated) schedules ~250-300 pods/s, the order of the
 * throughput reported by sig-scalability tests. Calibrate for your hardware.
 */
export interface SchedulerCostModel {
  perCycleUs: number;
  perNodeEvaluatedUs: number;
  perNodeScoredUs: number;
}
export const DEFAULT_COST_MODEL: SchedulerCostModel = { perCycleUs: 1000, perNodeEvaluatedUs: 3, perNodeScoredUs: 2 };

/** kube-scheduler clientConnection qps / burst defaults (config/defaults.ts). */
export { DEFAULT_CLIENT_BURST, DEFAULT_CLIENT_QPS };
/**
 * Latency of one API write: a binding when no `binder` is set (runs without a control
 * plane), and a preemption victim's delete. kubesim default.
 */
export const DEFAULT_API_WRITE_LATENCY_US = 5 * US_PER_MS;
/** v1.DefaultTerminationGracePeriodSeconds, in microseconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_US = DEFAULT_TERMINATION_GRACE_PERIOD_S * US_PER_S;

/** What the scheduler asks of the rest of the cluster (the API server seam). */
export interface SchedulerClient {
  /**
   * Create the Binding: pod `pod` runs on snapshot node row `node`. Return false when
   * the API server refused it (e.g. the node is gone): the pod is forgotten and retried.
   */
  bound(pod: number, node: number): boolean | void;
  /** A preemption victim (caller pod id) was deleted after its grace period. */
  victimDeleted?(pod: number, preemptor: number): void;
  /** A pod could not be scheduled in a cycle (for metrics and events). */
  failed?(pod: number, message: string): void;
}

/**
 * Sends the Binding to the API server (POST pods/binding) instead of the fixed
 * `apiWriteLatencyUs`: called when the client rate limiter lets the request go. The
 * binder answers later, once, with `Scheduler.bindResult(pod, ok)` (from an event
 * handler registered once: no closure per binding).
 */
export interface SchedulerBinder {
  startBind(pod: number, node: number): void;
}

export interface SchedulerProfileRuntime {
  profile: Profile;
  cycle: SchedulingCycle;
  preemption: DefaultPreemption | null;
}

export interface SchedulerOptions {
  podInitialBackoffUs?: number;
  podMaxBackoffUs?: number;
  percentageOfNodesToScore?: number;
  clientQPS?: number;
  clientBurst?: number;
  /** SchedulerPopFromBackoffQ (see SchedulingQueueOptions). */
  popFromBackoffQ?: boolean;
  apiWriteLatencyUs?: number;
  /** Real API requests for bindings (see SchedulerBinder); undefined = fixed latency. */
  binder?: SchedulerBinder;
  cost?: Partial<SchedulerCostModel>;
  /** Handler-name prefix (several schedulers in one run). */
  name?: string;
}

export class SchedulerStats {
  attempts = 0;
  scheduled = 0;
  unschedulable = 0;
  errors = 0;
  /** Bindings refused or failed (API error, node gone, no lease holder); each retried after backoff. */
  bindingFailures = 0;
  preemptions = 0;
  victims = 0;
  busyUs = 0;
}

export class Scheduler implements PreemptionContext {
  readonly queue: SchedulingQueue;
  readonly stats = new SchedulerStats();
  readonly cost: SchedulerCostModel;
  private readonly profiles = new Map<string, SchedulerProfileRuntime>();
  private readonly limiter: TokenBucket;
  private readonly apiLatencyUs: number;
  private readonly binder: SchedulerBinder | undefined;

  // Per caller pod id.
  private compiled: (CompiledPod | undefined)[] = [];
  private names: string[] = [];
  private profileOf: (SchedulerProfileRuntime | undefined)[] = [];
  /** status.nominatedNodeName (node row), -1 for none. */
  nominated = new Int32Array(0);
  /**
   * Per nominated pod, a snapshot row that stands in for it on its nominated node
   * while other pods of lower or equal priority are scheduled (upstream's
   * "filters run with nominated pods added"), -1 when none. Rows are reused.
   */
  private nominatedRow = new Int32Array(0);
  /** Pods that have a nomination, in nomination order. */
  private readonly nominatedPods = new Set<number>();
  /** Scratch list of pods whose nomination a preemption clears (reused). */
  private readonly clearedNominations: number[] = [];
  /** Per profile: the cluster events each of its plugins registered, by index into Profile.plugins. */
  private readonly pluginEvents = new Map<SchedulerProfileRuntime, Int32Array>();
  /** Scratch for SchedulingCycle.failedPlugins (one entry per plugin of the largest profile). */
  private readonly failedPlugins: Int32Array;
  /** Stand-in rows placed for the current cycle. */
  private readonly placedStandIns: number[] = [];
  /** Snapshot row of the pod once assumed/bound, -1 before. */
  snapshotRow = new Int32Array(0);
  /** Grace period per pod (victims), microseconds. */
  private graceUs = new Float64Array(0);
  /** Snapshot row -> caller pod id (for victims). */
  private readonly podOfRow: number[] = [];
  /** Node row of the binding in flight through the binder, -1 when none. */
  private bindingNode = new Int32Array(0);

  private busy = false;
  private readonly cycleDoneId: number;
  private readonly bindDoneId: number;
  private readonly bindStartId: number;
  private readonly victimGoneId: number;
  private readonly random;
  private current = -1;

  constructor(
    private readonly sim: Simulation,
    readonly snapshot: Snapshot,
    profiles: readonly SchedulerProfileRuntime[],
    private readonly client: SchedulerClient,
    opts: SchedulerOptions = {},
  ) {
    const name = opts.name ?? "scheduler";
    this.queue = new SchedulingQueue(sim, {
      name,
      podInitialBackoffUs: opts.podInitialBackoffUs,
      podMaxBackoffUs: opts.podMaxBackoffUs,
      popFromBackoffQWhenActiveEmpty: opts.popFromBackoffQ,
    });
    this.queue.onActive = () => this.wake();
    this.cost = { ...DEFAULT_COST_MODEL, ...(opts.cost ?? {}) };
    this.limiter = new TokenBucket(opts.clientQPS ?? DEFAULT_CLIENT_QPS, opts.clientBurst ?? DEFAULT_CLIENT_BURST, sim.now);
    this.apiLatencyUs = opts.apiWriteLatencyUs ?? DEFAULT_API_WRITE_LATENCY_US;
    this.binder = opts.binder;
    this.random = sim.rng.stream(`${name}.preemption`);
    let maxPlugins = 1;
    for (const p of profiles) {
      this.profiles.set(p.profile.schedulerName, p);
      if (p.preemption) p.preemption.attach(p.profile);
      this.pluginEvents.set(p, Int32Array.from(p.profile.plugins, (e) => eventsForPlugin(e.plugin.name)));
      maxPlugins = Math.max(maxPlugins, p.profile.plugins.length);
    }
    this.failedPlugins = new Int32Array(maxPlugins);
    this.cycleDoneId = sim.on(`${name}.cycleDone`, () => this.cycleDone());
    this.bindDoneId = sim.on(`${name}.bindDone`, (pod, node) => this.completeBind(pod, node, true));
    this.bindStartId = sim.on(`${name}.bindStart`, (pod, node) => this.bindStart(pod, node));
    this.victimGoneId = sim.on(`${name}.victimDeleted`, (row, preemptor) => this.victimGone(row, preemptor));
  }

  /**
   * A new pending pod. Returns false when no profile has its schedulerName (another
   * scheduler's pod; it is ignored, as kube-scheduler ignores it).
   */
  addPod(pod: number, compiled: CompiledPod, name: string, opts: { schedulerName?: string; gated?: boolean; terminationGracePeriodUs?: number } = {}): boolean {
    const rt = this.profiles.get(opts.schedulerName || DEFAULT_SCHEDULER_NAME);
    if (!rt) return false;
    this.ensure(pod);
    this.compiled[pod] = compiled;
    this.names[pod] = name;
    this.profileOf[pod] = rt;
    this.nominated[pod] = -1;
    this.nominatedRow[pod] = -1;
    this.snapshotRow[pod] = -1;
    this.bindingNode[pod] = -1;
    this.graceUs[pod] = opts.terminationGracePeriodUs ?? DEFAULT_TERMINATION_GRACE_PERIOD_US;
    this.queue.add(pod, compiled.priority, opts.gated ?? false);
    return true;
  }

  /** A pod already running on a node (not scheduled by us): it counts on the node. */
  addBoundPod(pod: number, compiled: CompiledPod, name: string, node: number, startUs: number, terminationGracePeriodUs = DEFAULT_TERMINATION_GRACE_PERIOD_US): number {
    this.ensure(pod);
    this.compiled[pod] = compiled;
    this.names[pod] = name;
    this.nominated[pod] = -1;
    this.nominatedRow[pod] = -1;
    this.bindingNode[pod] = -1;
    this.graceUs[pod] = terminationGracePeriodUs;
    const row = this.snapshot.addPod(compiled, name, node, startUs);
    this.snapshotRow[pod] = row;
    this.podOfRow[row] = pod;
    this.queue.onClusterEvent(ClusterEvent.AssignedPodAdd);
    return row;
  }

  /** The pod was deleted (pending: leaves the queue; on a node: frees its resources). */
  deletePod(pod: number): void {
    if (pod >= this.snapshotRow.length) return;
    this.queue.delete(pod);
    this.setNomination(pod, -1);
    this.bindingNode[pod] = -1; // an answer still to come is dropped
    const row = this.snapshotRow[pod];
    if (row >= 0 && this.snapshot.podNode[row] >= 0) {
      this.snapshot.removePod(row);
      this.queue.onClusterEvent(ClusterEvent.AssignedPodDelete);
    }
  }

  /** A node joined or changed: tell the queue (the caller updates the snapshot). */
  nodeChanged(added: boolean): void {
    this.queue.onClusterEvent(added ? ClusterEvent.NodeAdd : ClusterEvent.NodeUpdate);
  }

  // -------------------------------------------------------------------------
  // The scheduling loop

  private wake(): void {
    if (this.busy) return;
    this.busy = true;
    this.sim.schedule(0, this.cycleDoneId);
  }

  /** End of the previous cycle (or a wake-up): start the next one if a pod is ready. */
  private cycleDone(): void {
    const pod = this.queue.pop();
    if (pod < 0) {
      this.busy = false;
      return;
    }
    const costUs = this.scheduleOne(pod);
    this.stats.busyUs += costUs;
    this.sim.schedule(costUs, this.cycleDoneId);
  }

  /** One cycle for `pod`; returns its virtual duration. */
  private scheduleOne(pod: number): number {
    const rt = this.profileOf[pod]!;
    const compiled = this.compiled[pod]!;
    this.stats.attempts++;
    this.current = pod;
    if (rt.preemption) rt.preemption.context = this;
    // Named in a custom plugin's error (custom/guard.ts).
    rt.cycle.state.podName = this.names[pod];
    this.placeStandIns(pod, compiled.priority);
    const res = rt.cycle.scheduleOne(compiled, -1, this.nominated[pod]);
    this.removeStandIns();
    if (rt.preemption) rt.preemption.context = null;
    const costUs = this.cost.perCycleUs + this.cost.perNodeEvaluatedUs * res.evaluatedNodes + (res.feasibleNodes > 1 ? this.cost.perNodeScoredUs * res.feasibleNodes : 0);
    if (res.code === Code.Success && res.node >= 0) {
      const row = rt.cycle.assume(compiled, this.names[pod], res.node, this.sim.now + costUs);
      if (row < 0) {
        this.stats.errors++;
        this.queue.addUnschedulable(pod, 0, true);
        return costUs;
      }
      this.snapshotRow[pod] = row;
      this.podOfRow[row] = pod;
      this.setNomination(pod, -1);
      this.queue.done(pod);
      // Binding cycle: one API write through the client's rate limiter.
      const start = this.limiter.reserve(this.sim.now + costUs);
      if (this.binder) this.sim.scheduleAt(start, this.bindStartId, pod, res.node);
      else this.sim.scheduleAt(start + this.apiLatencyUs, this.bindDoneId, pod, res.node);
      return costUs;
    }
    if (res.code === Code.Error) {
      this.stats.errors++;
      this.client.failed?.(pod, res.error);
      this.queue.addUnschedulable(pod, 0, true);
      return costUs;
    }
    this.stats.unschedulable++;
    if (res.nominatedNode >= 0) this.setNomination(pod, res.nominatedNode);
    if (this.client.failed) this.client.failed(pod, rt.cycle.failureMessage());
    this.queue.addUnschedulable(pod, this.rejectingEvents(rt));
    return costUs;
  }

  /**
   * Events that may help: those registered by every plugin that rejected some node
   * (every event when no plugin is known to have rejected one).
   */
  private rejectingEvents(rt: SchedulerProfileRuntime): number {
    const cycle = rt.cycle;
    const events = this.pluginEvents.get(rt)!;
    const failed = this.failedPlugins;
    let mask = 0;
    let any = false;
    for (let n = 0; n < cycle.nodeCount; n++) {
      const k = cycle.failedPlugins(n, failed);
      if (k === 0) continue;
      any = true;
      for (let i = 0; i < k; i++) mask |= events[failed[i]];
    }
    return any ? mask : ClusterEvent.All;
  }

  /** The rate limiter let the bind request go: hand it to the binder. */
  private bindStart(pod: number, node: number): void {
    const row = this.snapshotRow[pod];
    if (row < 0 || this.snapshot.podNode[row] !== node) return; // deleted meanwhile
    this.bindingNode[pod] = node;
    this.binder!.startBind(pod, node);
  }

  /**
   * The binder's answer for `pod`: `ok` when the API server created the Binding (2xx).
   * A failure (no answer, 409, 429, 5xx, no lease holder) forgets the assumed pod and
   * sends it back to the queue with backoff. An answer for a pod deleted meanwhile is
   * dropped.
   */
  bindResult(pod: number, ok: boolean): void {
    if (pod >= this.bindingNode.length) return;
    const node = this.bindingNode[pod];
    if (node < 0) return;
    this.bindingNode[pod] = -1;
    this.completeBind(pod, node, ok);
  }

  /** End of the binding cycle: `apiOk` is the API server's answer (always true on the fixed-latency path). */
  private completeBind(pod: number, node: number, apiOk: boolean): void {
    const row = this.snapshotRow[pod];
    if (row < 0 || this.snapshot.podNode[row] !== node) return; // deleted meanwhile
    if (!apiOk || this.client.bound(pod, node) === false) {
      // Binding failed (upstream handleBindingCycleError): Unreserve and forget the
      // assumed pod, then FailureHandler -> AddUnschedulableIfNotPresent with an error,
      // i.e. backoffQ.
      const cycle = this.profileOf[pod]!.cycle;
      cycle.state.podName = this.names[pod];
      cycle.forget(row);
      this.snapshotRow[pod] = -1;
      this.stats.errors++;
      this.stats.bindingFailures++;
      // Forgetting the assumed pod frees its resources: upstream treats it as an
      // AssignedPodDelete event (MoveAllToActiveOrBackoffQueue) before requeueing.
      this.queue.onClusterEvent(ClusterEvent.AssignedPodDelete);
      this.queue.requeueAfterError(pod);
      return;
    }
    this.snapshot.podAssumed[row] = 0;
    this.stats.scheduled++;
  }

  // -------------------------------------------------------------------------
  // Preemption

  // PreemptionContext for the pod in the current cycle (the scheduler itself, so no
  // object is created per cycle).
  get nominatedNode(): number {
    return this.current >= 0 ? this.nominated[this.current] : -1;
  }
  randomInt(n: number): number {
    return this.random.int(n);
  }
  preempt(outcome: PreemptionOutcome): void {
    this.executePreemption(this.current, outcome);
  }

  /**
   * prepareCandidate: delete each victim (graceful: it keeps its resources until its
   * terminationGracePeriod ends), and clear the nomination of lower-priority pods
   * nominated to the same node (they go back to activeQ).
   */
  private executePreemption(preemptor: number, outcome: PreemptionOutcome): void {
    this.stats.preemptions++;
    const s = this.snapshot;
    for (const row of outcome.victims) {
      if (s.podTerminating[row] === 1) continue;
      s.markTerminating(row);
      this.stats.victims++;
      const victim = this.podOfRow[row] ?? -1;
      const grace = victim >= 0 ? this.graceUs[victim] : DEFAULT_TERMINATION_GRACE_PERIOD_US;
      const start = this.limiter.reserve(this.sim.now);
      this.sim.scheduleAt(start + this.apiLatencyUs + grace, this.victimGoneId, row, preemptor);
    }
    // Only nominated pods can lose a nomination; they go back to activeQ in ascending
    // pod id (the order of a scan over all pods, which kept outputs as they were).
    const prio = this.compiled[preemptor]!.priority;
    const cleared = this.clearedNominations;
    for (const p of this.nominatedPods) {
      if (p !== preemptor && this.nominated[p] === outcome.node && this.compiled[p]!.priority < prio) cleared.push(p);
    }
    if (cleared.length > 1) cleared.sort(ascending);
    for (let i = 0; i < cleared.length; i++) {
      this.setNomination(cleared[i], -1);
      this.queue.activate(cleared[i]);
    }
    cleared.length = 0;
  }

  // -------------------------------------------------------------------------
  // Nominated pods

  /** Set or clear (node -1) a pod's status.nominatedNodeName. */
  private setNomination(pod: number, node: number): void {
    this.nominated[pod] = node;
    if (node < 0) {
      this.nominatedPods.delete(pod);
      return;
    }
    this.nominatedPods.add(pod);
    if (this.nominatedRow[pod] < 0) {
      // A stand-in row, created once and kept off every node between cycles.
      const row = this.snapshot.addPod(this.compiled[pod]!, this.names[pod], node, 0, true);
      this.snapshot.removePod(row);
      this.nominatedRow[pod] = row;
    }
  }

  /** Put nominated pods of priority >= `priority` (other than the one scheduled) on their nodes. */
  private placeStandIns(current: number, priority: number): void {
    if (this.nominatedPods.size === 0) return;
    for (const p of this.nominatedPods) {
      if (p === current || this.compiled[p]!.priority < priority) continue;
      const row = this.nominatedRow[p];
      this.snapshot.restorePod(row, this.nominated[p]);
      this.placedStandIns.push(row);
    }
  }

  private removeStandIns(): void {
    for (const row of this.placedStandIns) this.snapshot.removePod(row);
    this.placedStandIns.length = 0;
  }

  private victimGone(row: number, preemptor: number): void {
    if (this.snapshot.podNode[row] < 0) return;
    this.snapshot.removePod(row);
    const victim = this.podOfRow[row] ?? -1;
    if (victim >= 0) this.client.victimDeleted?.(victim, preemptor);
    this.queue.onClusterEvent(ClusterEvent.AssignedPodDelete);
  }

  private ensure(pod: number): void {
    if (pod < this.nominated.length) return;
    const n = nextCapacity(this.nominated.length, pod + 1);
    this.nominated = grown(this.nominated, n);
    this.nominatedRow = grown(this.nominatedRow, n);
    this.snapshotRow = grown(this.snapshotRow, n);
    this.bindingNode = grown(this.bindingNode, n);
    this.graceUs = grown(this.graceUs, n);
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}
