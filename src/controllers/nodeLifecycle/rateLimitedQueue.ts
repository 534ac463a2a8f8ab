/**
 * RateLimitedTimedQueue (k/k pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go):
 * a zone's queue of nodes waiting for their NoExecute taint, drained by `tryDrain` under
 * the zone's EvictionLimiter.
 *
 * Upstream's UniqueQueue keeps a set beside the heap: Add is a no-op while the value is in
 * the set, and a value that was processed successfully leaves the heap but stays in the
 * set until Remove (markNodeAsReachable, or markNodeForTainting when the node lacks the
 * taint). Values are ordered by processAt; ties (upstream: heap order, unspecified) by
 * insertion [kubesim choice].
 *
 * Try takes a token BEFORE looking at the head's processAt, so a head that is not due yet
 * still uses up the token (upstream behaviour, kept).
 */
import { EvictionLimiter } from "./evictionLimiter.js";

/** What the action decided for a value: done (leaves the heap, stays in the set), or retry after a wait. */
export const TRY_DONE = -1;

export class RateLimitedTimedQueue {
  private readonly set = new Set<number>();
  // The heap, as an array sorted by processAt, FIFO among equals: queues are short (nodes of one zone).
  private readonly values: number[] = [];
  private readonly processAtUs: number[] = [];

  constructor(public limiter: EvictionLimiter) {}

  get size(): number {
    return this.values.length;
  }

  has(value: number): boolean {
    return this.set.has(value);
  }

  /** Queue `value` due now; false (no change) when it is in the set already. */
  add(value: number, nowUs: number): boolean {
    if (this.set.has(value)) return false;
    this.set.add(value);
    this.push(value, nowUs);
    return true;
  }

  /** Forget `value` (heap and set); false when it was not in the set. */
  remove(value: number): boolean {
    if (!this.set.delete(value)) return false;
    this.drop(value);
    return true;
  }

  /**
   * Put back a value whose asynchronous action failed, due at `processAtUs`
   * (Try's Replace): only while it is still in the set and not in the heap.
   */
  requeue(value: number, processAtUs: number): void {
    if (!this.set.has(value) || this.values.includes(value)) return;
    this.push(value, processAtUs);
  }

  /**
   * RateLimitedTimedQueue.Try: while there is a head, take a token (stop if none), stop if
   * the head is not due, else run `action(head)`: TRY_DONE, or a wait in us after which to
   * retry (the value is re-queued at now + wait + epsilon).
   */
  tryDrain(nowUs: number, epsilonUs: number, action: (value: number) => number): void {
    while (this.values.length > 0) {
      if (!this.limiter.tryAccept(nowUs)) break;
      if (nowUs < this.processAtUs[0]) break;
      const value = this.values[0];
      this.shift();
      const waitUs = action(value);
      if (waitUs !== TRY_DONE && this.set.has(value)) this.push(value, nowUs + waitUs + epsilonUs);
    }
  }

  /**
   * SwapLimiter: no-op when the current limiter reports `qps`; qps <= 0 installs the
   * never-accepting limiter; otherwise a new full bucket (burst `burst`), drained at once
   * if the old limiter had no token to give (asking the old one takes its token).
   */
  swapLimiter(qps: number, burst: number, nowUs: number): void {
    if (this.limiter.qps === qps) return;
    const next = EvictionLimiter.create(qps, burst, nowUs);
    if (qps > 0 && !this.limiter.tryAccept(nowUs)) next.tryAccept(nowUs);
    this.limiter = next;
  }

  private push(value: number, atUs: number): void {
    let i = this.values.length;
    while (i > 0 && this.processAtUs[i - 1] > atUs) i--;
    this.values.splice(i, 0, value);
    this.processAtUs.splice(i, 0, atUs);
  }

  private shift(): void {
    this.values.shift();
    this.processAtUs.shift();
  }

  private drop(value: number): void {
    const i = this.values.indexOf(value);
    if (i < 0) return;
    this.values.splice(i, 1);
    this.processAtUs.splice(i, 1);
  }
}
