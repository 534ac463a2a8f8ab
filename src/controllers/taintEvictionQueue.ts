/**
 * The taint eviction controller's scheduled deletions, one per pod at most: upstream's
 * TimedWorkerQueue (pkg/controller/tainteviction/timed_workers.go) keyed by the pod's
 * row instead of its namespace/name. An entry is a calendar timer plus the time it was
 * created (TimedWorker.CreatedAt, which processPodOnNode compares against) and the time
 * it fires (FireAt).
 *
 * Per-pod columns are typed arrays grown by doubling (the benchmark runs 110,000 pods);
 * the pods with an entry are also kept in a dense list so that cancelling everything (a
 * lost lease) touches only them, never every pod ever created.
 *
 * Contract: `add` requires that the pod has no entry and that `fireAtUs` is after now
 * (work due at once is the caller's to run: upstream's createWorker runs it without a
 * timer). When the timer fires, the owner's handler gets the pod as a0 and must call
 * `fired(pod)` to drop the entry before it acts.
 */
import type { Simulation } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";

const NONE = -1;

export class TaintEvictionQueue {
  /** Per pod: the timer handle, NONE without an entry. */
  private handle = new Float64Array(0);
  private createdAtUs = new Float64Array(0);
  private fireAtUs = new Float64Array(0);
  /** Per pod: its index in `pending` while it has an entry. */
  private slot = new Int32Array(0);
  /** The pods with an entry, the first `size` valid. */
  private pending = new Int32Array(16);
  size = 0;

  constructor(
    private readonly sim: Simulation,
    /** Handler run when an entry is due: (pod). */
    private readonly fireHandler: number,
  ) {}

  has(pod: number): boolean {
    return pod < this.handle.length && this.handle[pod] !== NONE;
  }

  /** TimedWorker.CreatedAt of the pod's entry (only when `has(pod)`). */
  createdAt(pod: number): number {
    return this.createdAtUs[pod];
  }

  /** TimedWorker.FireAt of the pod's entry (only when `has(pod)`). */
  fireAt(pod: number): number {
    return this.fireAtUs[pod];
  }

  add(pod: number, createdAtUs: number, fireAtUs: number): void {
    this.ensure(pod);
    if (this.handle[pod] !== NONE) throw new Error(`taint eviction queue: pod ${pod} already has work`);
    this.handle[pod] = this.sim.timerAt(fireAtUs, this.fireHandler, pod);
    this.createdAtUs[pod] = createdAtUs;
    this.fireAtUs[pod] = fireAtUs;
    if (this.size === this.pending.length) this.pending = grown(this.pending, this.size * 2);
    this.pending[this.size] = pod;
    this.slot[pod] = this.size++;
  }

  /** CancelWork: drop the pod's entry and its timer. Returns whether it had one. */
  cancel(pod: number): boolean {
    if (!this.has(pod)) return false;
    this.sim.cancel(this.handle[pod]);
    this.remove(pod);
    return true;
  }

  /** The pod's timer has fired: drop the entry (its handle is spent). */
  fired(pod: number): void {
    if (this.has(pod)) this.remove(pod);
  }

  /** Cancel every entry (CancelAndWait when the controller stops). */
  cancelAll(): void {
    while (this.size > 0) this.cancel(this.pending[this.size - 1]);
  }

  private remove(pod: number): void {
    this.handle[pod] = NONE;
    const last = this.pending[--this.size];
    this.pending[this.slot[pod]] = last;
    this.slot[last] = this.slot[pod];
  }

  private ensure(pod: number): void {
    if (pod < this.handle.length) return;
    const from = this.handle.length;
    const n = nextCapacity(from, pod + 1);
    this.handle = grown(this.handle, n);
    this.handle.fill(NONE, from);
    this.createdAtUs = grown(this.createdAtUs, n);
    this.fireAtUs = grown(this.fireAtUs, n);
    this.slot = grown(this.slot, n);
  }
}
