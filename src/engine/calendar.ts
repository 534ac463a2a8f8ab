/**
 * The event calendar: a binary heap of events ordered by (time, sequence number).
 *
 * Events at the same instant run in the order they were scheduled; the sequence
 * number is the only tie-break, so a run is deterministic. An event is a handler id
 * plus two numeric arguments, stored in typed arrays: scheduling and popping an event
 * allocates nothing once the arrays have grown to the working size.
 *
 * Cancellation is lazy: `cancel(handle)` marks the event's slot dead and `pop` skips
 * dead slots, so a timer that is reset (a lease, an election timeout) costs O(1) and
 * never scans the heap. A handle is `generation * 2^24 + slot`; the generation makes a
 * stale handle (of an event already run or cancelled) a harmless no-op.
 */

const SLOT_BITS = 24;
const SLOT_SPAN = 2 ** SLOT_BITS; // at most 16.7 M events pending at once
const INITIAL_CAPACITY = 1024;

export class CalendarOverflow extends Error {}

export class Calendar {
  // Heap of slot ids, plus their keys kept beside them so comparisons stay local.
  private heapTime = new Float64Array(INITIAL_CAPACITY);
  private heapSeq = new Float64Array(INITIAL_CAPACITY);
  private heapSlot = new Int32Array(INITIAL_CAPACITY);
  private heapSize = 0;

  // Event slots: what to run, and whether it is still wanted.
  private slotHandler = new Int32Array(INITIAL_CAPACITY);
  private slotA0 = new Float64Array(INITIAL_CAPACITY);
  private slotA1 = new Float64Array(INITIAL_CAPACITY);
  private slotGen = new Float64Array(INITIAL_CAPACITY);
  private slotLive = new Uint8Array(INITIAL_CAPACITY);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotsUsed = 0;

  private nextSeq = 0;
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

  /** Schedule `handler(a0, a1)` at `time`; returns a handle for `cancel`. */
  schedule(time: number, handler: number, a0 = 0, a1 = 0): number {
    const slot = this.allocSlot();
    this.slotHandler[slot] = handler;
    this.slotA0[slot] = a0;
    this.slotA1[slot] = a1;
    this.slotLive[slot] = 1;
    this.liveCount++;
    this.push(time, this.nextSeq++, slot);
    return this.slotGen[slot] * SLOT_SPAN + slot;
  }

  /** Cancel a pending event. Cancelling one that already ran or was cancelled does nothing. */
  cancel(handle: number): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    if (slot >= this.slotsUsed || this.slotGen[slot] !== gen || this.slotLive[slot] === 0) return false;
    this.slotLive[slot] = 0;
    this.liveCount--;
    return true;
  }

  /** True when `handle` names an event that is still pending. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    return slot < this.slotsUsed && this.slotGen[slot] === gen && this.slotLive[slot] === 1;
  }

  /** Time of the next live event, or Infinity when there is none. */
  peek(): number {
    this.dropDeadTop();
    return this.heapSize === 0 ? Infinity : this.heapTime[0];
  }

  /**
   * Remove the next live event and expose it in `time`, `handler`, `a0`, `a1`.
   * Returns false when the calendar is empty.
   */
  pop(): boolean {
    this.dropDeadTop();
    if (this.heapSize === 0) return false;
    const slot = this.heapSlot[0];
    this.time = this.heapTime[0];
    this.handler = this.slotHandler[slot];
    this.a0 = this.slotA0[slot];
    this.a1 = this.slotA1[slot];
    this.slotLive[slot] = 0;
    this.liveCount--;
    this.removeTop();
    this.freeSlot(slot);
    return true;
  }

  private dropDeadTop(): void {
    while (this.heapSize > 0 && this.slotLive[this.heapSlot[0]] === 0) {
      const slot = this.heapSlot[0];
      this.removeTop();
      this.freeSlot(slot);
    }
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.slotsUsed === this.slotHandler.length) this.growSlots();
    return this.slotsUsed++;
  }

  private freeSlot(slot: number): void {
    // A new generation makes every handle to the old occupant stale.
    this.slotGen[slot]++;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grow(this.freeSlots, this.freeSlots.length * 2);
    this.freeSlots[this.freeCount++] = slot;
  }

  private growSlots(): void {
    const n = this.slotHandler.length * 2;
    if (n > SLOT_SPAN) throw new CalendarOverflow(`more than ${SLOT_SPAN} events pending`);
    this.slotHandler = grow(this.slotHandler, n);
    this.slotA0 = grow(this.slotA0, n);
    this.slotA1 = grow(this.slotA1, n);
    this.slotGen = grow(this.slotGen, n);
    this.slotLive = grow(this.slotLive, n);
  }

  private push(time: number, seq: number, slot: number): void {
    if (this.heapSize === this.heapTime.length) {
      const n = this.heapTime.length * 2;
      this.heapTime = grow(this.heapTime, n);
      this.heapSeq = grow(this.heapSeq, n);
      this.heapSlot = grow(this.heapSlot, n);
    }
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    // Sift the hole up, moving parents down, then drop the event in.
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p];
      if (pt < time || (pt === time && hs[p] < seq)) break;
      ht[i] = pt;
      hs[i] = hs[p];
      hl[i] = hl[p];
      i = p;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }

  private removeTop(): void {
    const n = --this.heapSize;
    if (n === 0) return;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    const time = ht[n];
    const seq = hs[n];
    const slot = hl[n];
    // Sift the hole down from the root, moving the smaller child up.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (ht[r] < ht[c] || (ht[r] === ht[c] && hs[r] < hs[c]))) c = r;
      const ct = ht[c];
      if (time < ct || (time === ct && seq < hs[c])) break;
      ht[i] = ct;
      hs[i] = hs[c];
      hl[i] = hl[c];
      i = c;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
