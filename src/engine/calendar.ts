/**
 * The event calendar: a monotone priority queue of events ordered by (time, sequence).
 *
 * Events at the same instant run in the order they were scheduled, so a run is
 * deterministic. An event is a handler id plus two numeric arguments, stored in typed
 * arrays: scheduling and running an event allocates nothing once the arrays have grown
 * to the working size.
 *
 * Structure: a radix heap (Ahuja, Mehlhorn, Orlin, Tarjan 1990) with byte-wide digits.
 * Times are integers (microseconds) never earlier than the last event taken out, which
 * is exactly a discrete-event simulation's contract. Bucket 0 holds events at exactly
 * `last`; the others group events by the highest byte where their time differs from
 * `last` and by that byte's value, so buckets are ordered by time. When bucket 0 is
 * empty, the lowest non-empty bucket is redistributed around its minimum (a bucket of
 * the lowest byte level holds a single time and is spliced in whole).
 * Each bucket is a FIFO linked list and redistribution keeps list order; events with
 * equal times always share a bucket, so they come out in scheduling order without a
 * stored sequence number. On the hold model (bench/engine.bench.ts, 10^4 events) it
 * runs about 1.5x as many events per second as a bare typed-array binary heap of
 * numeric keys measured on the same machine, while carrying handler and arguments.
 *
 * Cancellation is lazy: `cancel(handle)` marks the slot dead; a dead event is dropped
 * when it reaches bucket 0, so resetting a timer (a lease, an election timeout) is O(1)
 * and never scans. A handle is `generation * 2^24 + slot`; the generation makes a stale
 * handle (of an event already run or cancelled) a no-op. Only `scheduleCancellable`
 * returns one: a handle beyond 2^30 is boxed when returned from a call.
 */
import { grown } from "./columns.js";

const SLOT_BITS = 24;
const SLOT_SPAN = 2 ** SLOT_BITS; // at most 16.7 M events pending at once
const TWO32 = 4294967296;
// Times are below 2^53 = 7 bytes: 7 byte levels of 256 buckets, plus bucket 0.
const BUCKETS = 1 + 7 * 256;
const WORDS = Math.ceil(BUCKETS / 32);
const SUMMARY_WORDS = Math.ceil(WORDS / 32);
const LEVEL0_LAST = 256; // buckets 1..256: times differing from `last` in the low byte only
const NONE = -1;
const INITIAL_CAPACITY = 1024;
const DEAD = -1;
// Cold record layout: handler, a0, a1, generation.
const COLD = 4;
const C_HANDLER = 0;
const C_A0 = 1;
const C_A1 = 2;
const C_GEN = 3;

export class CalendarOverflow extends Error {}

export class Calendar {
  // Per slot, hot (visited when buckets are redistributed): time and the link to the
  // next slot in its bucket.
  private time_ = new Float64Array(INITIAL_CAPACITY);
  private next = new Int32Array(INITIAL_CAPACITY);
  // Per slot, cold (touched when scheduled and when run): one record of COLD doubles.
  // A cancelled event keeps its place in its bucket with handler DEAD, and is dropped
  // when it reaches bucket 0: taking an event out then reads one line, not two.
  private cold = new Float64Array(INITIAL_CAPACITY * COLD);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotsUsed = 0;

  // Per bucket: a FIFO list of slots and the least time ever appended since emptied
  // (it may belong to a cancelled event, which only makes `last` smaller: still valid).
  private readonly head = new Int32Array(BUCKETS).fill(NONE);
  private readonly tail = new Int32Array(BUCKETS).fill(NONE);
  private readonly minTime = new Float64Array(BUCKETS).fill(Infinity);
  /** Bit b set when bucket b is non-empty, and bit w of `summary` when word w is non-zero:
   * the lowest non-empty bucket is found with two bit scans. */
  private readonly occupied = new Int32Array(WORDS);
  private readonly summary = new Int32Array(SUMMARY_WORDS);

  /** Lower bound of every pending time; split in 32-bit halves for the bucket index. */
  private last = 0;
  private lastHi = 0;
  private lastLo = 0;
  private lastHiBase = 0; // lastHi * 2^32
  private liveCount = 0;

  /** Fields of the event most recently returned by `pop()`. */
  time = 0;
  handler = 0;
  a0 = 0;
  a1 = 0;

  /** Number of events scheduled and not yet run or cancelled. */
  get size(): number {
    return this.liveCount;
  }

  /**
   * Schedule `handler(a0, a1)` at integer `time`, not before the last event taken out
   * (nor before a `limit` given to a `pop` that returned false). Returns nothing, so
   * nothing is boxed: use `scheduleCancellable` for an event you may cancel.
   */
  schedule(time: number, handler: number, a0 = 0, a1 = 0): void {
    this.insert(time, handler, a0, a1);
  }

  /**
   * As `schedule`, and return a handle for `cancel`. A handle above 2^30 is a heap
   * number when it crosses a call boundary, so only timers should ask for one.
   */
  scheduleCancellable(time: number, handler: number, a0 = 0, a1 = 0): number {
    const slot = this.insert(time, handler, a0, a1);
    return this.cold[slot * COLD + C_GEN] * SLOT_SPAN + slot;
  }

  // Kept out of line so that the hot methods stay small enough for V8 to inline.
  private badTime(time: number): never {
    throw new RangeError(`event time ${time} is not an integer at or after the calendar's time ${this.last}`);
  }

  /** Store the event in a slot and its bucket; returns the slot (a small integer). */
  private insert(time: number, handler: number, a0: number, a1: number): number {
    if (!(time >= this.last) || time !== Math.floor(time)) this.badTime(time);
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.newSlot();
    this.time_[slot] = time;
    const c = slot * COLD;
    const cold = this.cold;
    cold[c + C_HANDLER] = handler;
    cold[c + C_A0] = a0;
    cold[c + C_A1] = a1;
    this.liveCount++;
    this.append(slot, time);
    return slot;
  }

  /** Cancel a pending event. Cancelling one that already ran or was cancelled does nothing. */
  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    this.cold[(handle % SLOT_SPAN) * COLD + C_HANDLER] = DEAD;
    this.liveCount--;
    return true;
  }

  /** True when `handle` names an event that is still pending. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    const c = slot * COLD;
    return slot < this.slotsUsed && this.cold[c + C_GEN] === gen && this.cold[c + C_HANDLER] !== DEAD;
  }

  /** Time of the next live event, or Infinity when there is none. Does not take it out. */
  peek(): number {
    this.dropDeadHead();
    if (this.head[0] !== NONE) return this.last;
    // Buckets are ordered: the first one holding a live event holds the least time.
    let m = Infinity;
    for (let b = 1; b < BUCKETS && m === Infinity; b++) {
      for (let s = this.head[b]; s !== NONE; s = this.next[s]) {
        const t = this.time_[s];
        if (this.cold[s * COLD + C_HANDLER] !== DEAD && t < m) m = t;
      }
    }
    return m;
  }

  /**
   * Take out the next live event if its time is <= `limit`, exposing it in `time`,
   * `handler`, `a0`, `a1`. Returns false when there is none.
   */
  pop(limit = Infinity): boolean {
    for (;;) {
      this.dropDeadHead();
      if (this.head[0] !== NONE) break;
      if (!this.refill(limit)) {
        if (this.liveCount === 0) this.reset();
        return false;
      }
    }
    if (this.last > limit) return false;
    const slot = this.head[0];
    const next = this.next[slot];
    this.head[0] = next;
    if (next === NONE) {
      this.tail[0] = NONE;
      this.minTime[0] = Infinity;
      this.markEmpty(0);
    }
    const c = slot * COLD;
    const cold = this.cold;
    this.time = this.time_[slot];
    this.handler = cold[c + C_HANDLER];
    this.a0 = cold[c + C_A0];
    this.a1 = cold[c + C_A1];
    this.liveCount--;
    this.freeSlot(slot);
    return true;
  }

  /**
   * Only cancelled events are left: drop them and move `last` back to the last event
   * taken out, so that time may be scheduled again (skipping dead events may have
   * moved `last` past it).
   */
  private reset(): void {
    for (let b = 0; b < BUCKETS; b++) {
      for (let s = this.head[b]; s !== NONE; s = this.next[s]) this.freeSlot(s);
      this.head[b] = NONE;
      this.tail[b] = NONE;
      this.minTime[b] = Infinity;
    }
    this.occupied.fill(0);
    this.summary.fill(0);
    this.setLast(this.time);
  }

  private setLast(t: number): void {
    this.last = t;
    this.lastHi = (t / TWO32) | 0;
    this.lastLo = t >>> 0;
    this.lastHiBase = this.lastHi * TWO32;
  }

  /**
   * Append `slot` to the bucket of `time`. p = the highest bit where `time` differs from
   * `last`; its byte level L = p >> 3 and the value d of `time`'s byte at L give
   * bucket 1 + 256 L + d. Bucket 0 holds times equal to `last`. Bytes rather than bits
   * make an event move between buckets about twice per run instead of six times.
   */
  private append(slot: number, time: number): void {
    let b: number;
    const lo = time - this.lastHiBase; // low 32 bits when the high halves agree (no division)
    if (lo < TWO32) {
      const x = lo ^ this.lastLo;
      if (x === 0) b = 0;
      else {
        const level = (31 - Math.clz32(x)) >> 3;
        b = 1 + 256 * level + ((lo >>> (8 * level)) & 255);
      }
    } else {
      const hi = (time / TWO32) | 0;
      const level = 4 + ((31 - Math.clz32(hi ^ this.lastHi)) >> 3);
      b = 1 + 256 * level + ((hi >>> (8 * (level - 4))) & 255);
    }
    this.next[slot] = NONE;
    const t = this.tail[b];
    if (t === NONE) {
      this.head[b] = slot;
      const w = b >> 5;
      this.occupied[w] |= 1 << (b & 31);
      this.summary[w >> 5] |= 1 << (w & 31);
    } else this.next[t] = slot;
    this.tail[b] = slot;
    if (time < this.minTime[b]) this.minTime[b] = time;
  }

  /**
   * Bucket 0 is empty: move `last` up to the least time in the lowest non-empty bucket
   * (if that is <= limit) and redistribute that bucket, dropping dead events.
   */
  private refill(limit: number): boolean {
    const b = this.lowestOccupied();
    if (b < 0) return false;
    const m = this.minTime[b];
    if (m > limit) return false;
    this.setLast(m);
    let s = this.head[b];
    const tailSlot = this.tail[b];
    this.head[b] = NONE;
    this.tail[b] = NONE;
    this.minTime[b] = Infinity;
    this.markEmpty(b);
    if (b <= LEVEL0_LAST) {
      // A level-0 bucket holds a single time, now `last`: it becomes bucket 0 whole.
      this.head[0] = s;
      this.tail[0] = tailSlot;
      this.minTime[0] = m;
      this.occupied[0] |= 1;
      this.summary[0] |= 1;
      return true;
    }
    while (s !== NONE) {
      const next = this.next[s];
      this.append(s, this.time_[s]); // dead or alive: a dead one is dropped in bucket 0
      s = next;
    }
    return true;
  }

  private markEmpty(b: number): void {
    const w = b >> 5;
    const x = this.occupied[w] & ~(1 << (b & 31));
    this.occupied[w] = x;
    if (x === 0) this.summary[w >> 5] &= ~(1 << (w & 31));
  }

  /** Lowest non-empty bucket other than 0, or -1. */
  private lowestOccupied(): number {
    const occ = this.occupied;
    const w0 = occ[0] & ~1;
    if (w0 !== 0) return 31 - Math.clz32(w0 & -w0);
    for (let i = 0; i < SUMMARY_WORDS; i++) {
      // Word 0 is handled above (it may hold only bucket 0).
      const sw = i === 0 ? this.summary[0] & ~1 : this.summary[i];
      if (sw === 0) continue;
      const w = 32 * i + 31 - Math.clz32(sw & -sw);
      const x = occ[w];
      return 32 * w + 31 - Math.clz32(x & -x);
    }
    return -1;
  }

  private dropDeadHead(): void {
    let s = this.head[0];
    if (s === NONE || this.cold[s * COLD + C_HANDLER] !== DEAD) return;
    while (s !== NONE && this.cold[s * COLD + C_HANDLER] === DEAD) {
      const next = this.next[s];
      this.freeSlot(s);
      s = next;
    }
    this.head[0] = s;
    if (s === NONE) {
      this.tail[0] = NONE;
      this.minTime[0] = Infinity;
      this.markEmpty(0);
    }
  }

  private newSlot(): number {
    if (this.slotsUsed === this.time_.length) this.growSlots();
    return this.slotsUsed++;
  }

  private freeSlot(slot: number): void {
    // A new generation makes every handle to the old occupant stale.
    this.cold[slot * COLD + C_GEN]++;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grown(this.freeSlots, this.freeSlots.length * 2);
    this.freeSlots[this.freeCount++] = slot;
  }

  private growSlots(): void {
    const n = this.time_.length * 2;
    if (n > SLOT_SPAN) throw new CalendarOverflow(`more than ${SLOT_SPAN} events pending`);
    this.time_ = grown(this.time_, n);
    this.next = grown(this.next, n);
    this.cold = grown(this.cold, n * COLD);
  }
}

