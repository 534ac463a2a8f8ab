/**
 * The scheduling queue of kube-scheduler (pkg/scheduler/backend/queue), on the
 * simulation calendar. Pods are integer ids (pod table rows). Three places:
 *
 * - activeQ: pods ready to be tried, ordered by QueueSort (PrioritySort: higher
 *   spec.priority first, then the earlier queue timestamp);
 * - backoffQ: pods waiting out their backoff, ordered by backoff expiry;
 * - unschedulable pods: tried and rejected; they leave on a cluster event one of
 *   their rejecting plugins registered for, or after podMaxInUnschedulablePodsDuration
 *   (5 min), checked by a flush every 30 s.
 *
 * Pods with scheduling gates are held out of all three until ungated (PreEnqueue of
 * SchedulingGates). A pod being scheduled is "in flight"; events seen while it is in
 * flight send it to backoffQ instead of the unschedulable pool if it fails (upstream
 * moveRequestCycle / in-flight event tracking), so an event is never lost.
 *
 * Timers: one calendar event for the earliest backoff expiry and one periodic flush;
 * handlers are registered once, so no closure is created per pod or per event.
 * Fidelity note: upstream moves completed backoffs every 1 s (flushBackoffQCompleted);
 * kubesim moves them at the exact expiry instant.
 */
import type { Simulation } from "../../engine/simulation.js";
import { US_PER_S } from "../../engine/simulation.js";
import { grown, nextCapacity } from "../../engine/columns.js";
import { backoffDurationUs, DEFAULT_POD_INITIAL_BACKOFF_US, DEFAULT_POD_MAX_BACKOFF_US } from "./backoff.js";
import { IndexedHeap } from "./indexedHeap.js";

/** DefaultPodMaxInUnschedulablePodsDuration (pkg/scheduler/backend/queue/scheduling_queue.go). */
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_US = 5 * 60 * US_PER_S;
/** Period of flushUnschedulablePodsLeftover (wait.Until(..., 30*time.Second) in scheduling_queue.go Run). */
export const UNSCHEDULABLE_FLUSH_PERIOD_US = 30 * US_PER_S;

export const enum QueuedState {
  None = 0,
  Active = 1,
  Backoff = 2,
  Unschedulable = 3,
  InFlight = 4,
  Gated = 5,
}

export interface SchedulingQueueOptions {
  podInitialBackoffUs?: number;
  podMaxBackoffUs?: number;
  podMaxInUnschedulableUs?: number;
  unschedulableFlushPeriodUs?: number;
  /**
   * SchedulerPopFromBackoffQ (beta, on by default since v1.33): when activeQ is empty,
   * pop the pod whose backoff ends first. Off by default in kubesim so backoff
   * timelines match the classic queue; see docs/scheduler-queue-preemption.md.
   */
  popFromBackoffQWhenActiveEmpty?: boolean;
  /** Handler-name prefix, distinct per scheduler in one simulation. */
  name?: string;
}

export class SchedulingQueue {
  readonly initialBackoffUs: number;
  readonly maxBackoffUs: number;
  readonly maxInUnschedulableUs: number;
  readonly flushPeriodUs: number;
  readonly popFromBackoffQ: boolean;

  // Per pod (indexed by pod id).
  state = new Uint8Array(0);
  priority = new Int32Array(0);
  /** Queue timestamp: time added, or of the last failure (QueuedPodInfo.Timestamp). */
  timestampUs = new Float64Array(0);
  /** Monotonic tie-break for equal (priority, timestamp): insertion order. */
  private seq = new Float64Array(0);
  attempts = new Int32Array(0);
  backoffExpiryUs = new Float64Array(0);
  /** Events that can help the pod (from its rejecting plugins). */
  wakeEvents = new Int32Array(0);
  /** Events seen while the pod was in flight. */
  private inFlightEvents = new Int32Array(0);

  private nextSeq = 0;
  readonly activeQ: IndexedHeap;
  readonly backoffQ: IndexedHeap;
  /** Insertion-ordered, so moving pods on an event is deterministic. */
  readonly unschedulable = new Set<number>();
  private readonly inFlight = new Set<number>();

  private backoffTimer = -1;
  private backoffTimerAtUs = Infinity;
  private flushTimer = -1;
  private readonly startUs: number;
  private readonly backoffHandler: number;
  private readonly flushHandler: number;

  /** Called when activeQ goes from empty to non-empty (wakes an idle scheduler). */
  onActive: (() => void) | null = null;

  constructor(private readonly sim: Simulation, opts: SchedulingQueueOptions = {}) {
    this.initialBackoffUs = opts.podInitialBackoffUs ?? DEFAULT_POD_INITIAL_BACKOFF_US;
    this.maxBackoffUs = opts.podMaxBackoffUs ?? DEFAULT_POD_MAX_BACKOFF_US;
    this.maxInUnschedulableUs = opts.podMaxInUnschedulableUs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_US;
    this.flushPeriodUs = opts.unschedulableFlushPeriodUs ?? UNSCHEDULABLE_FLUSH_PERIOD_US;
    this.popFromBackoffQ = opts.popFromBackoffQWhenActiveEmpty ?? false;
    this.startUs = sim.now;
    const name = opts.name ?? "scheduler";
    // PrioritySort: higher priority first, then earlier timestamp, then insertion order.
    this.activeQ = new IndexedHeap((a, b) => {
      const pa = this.priority[a];
      const pb = this.priority[b];
      if (pa !== pb) return pa > pb;
      const ta = this.timestampUs[a];
      const tb = this.timestampUs[b];
      if (ta !== tb) return ta < tb;
      return this.seq[a] < this.seq[b];
    });
    this.backoffQ = new IndexedHeap((a, b) => {
      const ea = this.backoffExpiryUs[a];
      const eb = this.backoffExpiryUs[b];
      if (ea !== eb) return ea < eb;
      return this.seq[a] < this.seq[b];
    });
    this.backoffHandler = sim.on(`${name}.queue.backoffComplete`, () => this.flushBackoffCompleted());
    this.flushHandler = sim.on(`${name}.queue.flushUnschedulable`, () => this.flushUnschedulableLeftover());
  }

  get activeLength(): number {
    return this.activeQ.size;
  }
  get backoffLength(): number {
    return this.backoffQ.size;
  }
  get unschedulableLength(): number {
    return this.unschedulable.size;
  }
  /** Pods waiting in any of the three places (not in flight, not gated). */
  get pendingLength(): number {
    return this.activeQ.size + this.backoffQ.size + this.unschedulable.size;
  }

  /** A new pending pod (informer Add). Gated pods are held until `ungate`. */
  add(pod: number, priority: number, gated = false): void {
    this.ensure(pod);
    this.priority[pod] = priority;
    this.timestampUs[pod] = this.sim.now;
    this.seq[pod] = this.nextSeq++;
    this.attempts[pod] = 0;
    this.backoffExpiryUs[pod] = 0;
    this.wakeEvents[pod] = 0;
    if (gated) {
      this.state[pod] = QueuedState.Gated;
      return;
    }
    this.toActive(pod);
  }

  /** The pod's scheduling gates were removed (pod update): it may enter activeQ. */
  ungate(pod: number): void {
    if (this.state[pod] !== QueuedState.Gated) return;
    this.toActive(pod);
  }

  /**
   * Next pod to schedule, or -1. Increments its attempt count (QueuedPodInfo.Attempts)
   * and marks it in flight.
   */
  pop(): number {
    let pod = this.activeQ.pop();
    if (pod < 0 && this.popFromBackoffQ) {
      pod = this.backoffQ.pop();
      if (pod >= 0) this.rearmBackoffTimer();
    }
    if (pod < 0) return -1;
    this.state[pod] = QueuedState.InFlight;
    this.attempts[pod]++;
    this.inFlightEvents[pod] = 0;
    this.inFlight.add(pod);
    return pod;
  }

  /** The in-flight pod was bound (or assumed): it leaves the queue. */
  done(pod: number): void {
    this.inFlight.delete(pod);
    this.state[pod] = QueuedState.None;
  }

  /**
   * The in-flight pod failed (AddUnschedulableIfNotPresent). `rejectingEvents` is the
   * mask of events its rejecting plugins registered for; `isError` marks a failure
   * that no plugin rejected (an error), which always backs off and retries.
   */
  addUnschedulable(pod: number, rejectingEvents: number, isError = false): void {
    this.inFlight.delete(pod);
    this.timestampUs[pod] = this.sim.now;
    this.seq[pod] = this.nextSeq++;
    this.wakeEvents[pod] = rejectingEvents;
    this.backoffExpiryUs[pod] = this.sim.now + backoffDurationUs(this.attempts[pod], this.initialBackoffUs, this.maxBackoffUs);
    if (isError || (this.inFlightEvents[pod] & rejectingEvents) !== 0) {
      this.requeueAfterBackoff(pod);
      return;
    }
    this.state[pod] = QueuedState.Unschedulable;
    this.unschedulable.add(pod);
    this.armFlushTimer();
  }

  /**
   * A pod whose binding failed after it left the queue: back in with an error backoff
   * (it counts as another attempt's failure, from now).
   */
  requeueAfterError(pod: number): void {
    this.inFlight.add(pod);
    this.state[pod] = QueuedState.InFlight;
    this.addUnschedulable(pod, 0, true);
  }

  /**
   * A cluster event (MoveAllToActiveOrBackoffQueue): unschedulable pods that one of
   * their rejecting plugins registered for this event go to backoffQ, or straight to
   * activeQ when their backoff is over. In-flight pods remember the event.
   */
  onClusterEvent(event: number): void {
    for (const pod of this.inFlight) this.inFlightEvents[pod] |= event;
    if (this.unschedulable.size === 0) return;
    for (const pod of this.unschedulable) {
      if ((this.wakeEvents[pod] & event) !== 0) {
        this.unschedulable.delete(pod);
        this.requeueAfterBackoff(pod);
      }
    }
  }

  /** Move a pod to activeQ at once (framework Handle.Activate, e.g. its nomination was cleared). */
  activate(pod: number): void {
    const s = this.state[pod];
    if (s === QueuedState.Unschedulable) this.unschedulable.delete(pod);
    else if (s === QueuedState.Backoff) {
      this.backoffQ.remove(pod);
      this.rearmBackoffTimer();
    } else return;
    this.toActive(pod);
  }

  /** The pod was deleted (or bound by someone else): forget it wherever it is. */
  delete(pod: number): void {
    if (pod >= this.state.length) return;
    switch (this.state[pod]) {
      case QueuedState.Active:
        this.activeQ.remove(pod);
        break;
      case QueuedState.Backoff:
        this.backoffQ.remove(pod);
        this.rearmBackoffTimer();
        break;
      case QueuedState.Unschedulable:
        this.unschedulable.delete(pod);
        break;
      case QueuedState.InFlight:
        this.inFlight.delete(pod);
        break;
    }
    this.state[pod] = QueuedState.None;
  }

  /** Change a queued pod's priority (pod update) keeping its place valid. */
  updatePriority(pod: number, priority: number): void {
    this.priority[pod] = priority;
    if (this.state[pod] === QueuedState.Active) this.activeQ.push(pod);
  }

  isBackingOff(pod: number): boolean {
    return this.backoffExpiryUs[pod] > this.sim.now;
  }

  private requeueAfterBackoff(pod: number): void {
    if (this.isBackingOff(pod)) {
      this.state[pod] = QueuedState.Backoff;
      this.backoffQ.push(pod);
      this.rearmBackoffTimer();
    } else {
      this.toActive(pod);
    }
  }

  private toActive(pod: number): void {
    this.state[pod] = QueuedState.Active;
    const wasEmpty = this.activeQ.size === 0;
    this.activeQ.push(pod);
    if (wasEmpty && this.onActive) this.onActive();
  }

  /** Keep one calendar event at the earliest backoff expiry. */
  private rearmBackoffTimer(): void {
    const head = this.backoffQ.peek();
    const at = head < 0 ? Infinity : Math.max(this.backoffExpiryUs[head], this.sim.now);
    if (at === this.backoffTimerAtUs && this.sim.calendar.isPending(this.backoffTimer)) return;
    if (this.backoffTimer >= 0) this.sim.cancel(this.backoffTimer);
    this.backoffTimer = -1;
    this.backoffTimerAtUs = at;
    if (at !== Infinity) this.backoffTimer = this.sim.timerAt(at, this.backoffHandler);
  }

  private flushBackoffCompleted(): void {
    this.backoffTimer = -1;
    this.backoffTimerAtUs = Infinity;
    for (;;) {
      const head = this.backoffQ.peek();
      if (head < 0 || this.backoffExpiryUs[head] > this.sim.now) break;
      this.backoffQ.pop();
      this.toActive(head);
    }
    this.rearmBackoffTimer();
  }

  /** Ticks at start + k * period, as a ticker started with the scheduler would; only while needed. */
  private armFlushTimer(): void {
    if (this.flushTimer >= 0 && this.sim.calendar.isPending(this.flushTimer)) return;
    const k = Math.floor((this.sim.now - this.startUs) / this.flushPeriodUs) + 1;
    this.flushTimer = this.sim.timerAt(this.startUs + k * this.flushPeriodUs, this.flushHandler);
  }

  private flushUnschedulableLeftover(): void {
    this.flushTimer = -1;
    const now = this.sim.now;
    for (const pod of this.unschedulable) {
      // Strictly longer than the limit, as upstream compares (now - Timestamp > max).
      if (now - this.timestampUs[pod] > this.maxInUnschedulableUs) {
        this.unschedulable.delete(pod);
        this.requeueAfterBackoff(pod);
      }
    }
    if (this.unschedulable.size > 0) this.armFlushTimer();
  }

  private ensure(pod: number): void {
    if (pod < this.state.length) return;
    const n = nextCapacity(this.state.length, pod + 1);
    this.state = grown(this.state, n);
    this.priority = grown(this.priority, n);
    this.timestampUs = grown(this.timestampUs, n);
    this.seq = grown(this.seq, n);
    this.attempts = grown(this.attempts, n);
    this.backoffExpiryUs = grown(this.backoffExpiryUs, n);
    this.wakeEvents = grown(this.wakeEvents, n);
    this.inFlightEvents = grown(this.inFlightEvents, n);
  }
}

