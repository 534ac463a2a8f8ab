/**
 * A binary min-heap of small integer ids (pod rows) with O(log n) removal of any
 * member: each id's heap position is kept in a typed array. The order is given by a
 * `less(a, b)` function fixed at construction (no closure per operation).
 */
import { grown, nextCapacity } from "../../engine/columns.js";

export class IndexedHeap {
  private heap = new Int32Array(16);
  /** Position of each id in `heap`, -1 when absent. */
  private pos = new Int32Array(0);
  size = 0;

  constructor(private readonly less: (a: number, b: number) => boolean) {}

  has(id: number): boolean {
    return id < this.pos.length && this.pos[id] >= 0;
  }

  /** The smallest id, or -1 when empty. */
  peek(): number {
    return this.size === 0 ? -1 : this.heap[0];
  }

  push(id: number): void {
    this.ensureId(id);
    if (this.pos[id] >= 0) {
      // Already present: its key may have changed, so restore the heap order.
      this.fix(this.pos[id]);
      return;
    }
    if (this.size === this.heap.length) this.heap = grown(this.heap, nextCapacity(this.heap.length, this.size + 1));
    this.heap[this.size] = id;
    this.pos[id] = this.size;
    this.size++;
    this.up(this.size - 1);
  }

  /** Remove and return the smallest id, or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0];
    this.removeAt(0);
    return top;
  }

  /** Remove `id` if present; returns whether it was. */
  remove(id: number): boolean {
    if (!this.has(id)) return false;
    this.removeAt(this.pos[id]);
    return true;
  }

  /** Members in heap (not sorted) order; for diagnostics and tests. */
  members(): number[] {
    return Array.from(this.heap.subarray(0, this.size));
  }

  private removeAt(i: number): void {
    const id = this.heap[i];
    this.pos[id] = -1;
    const last = --this.size;
    if (i === last) return;
    const moved = this.heap[last];
    this.heap[i] = moved;
    this.pos[moved] = i;
    this.fix(i);
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private up(i: number): boolean {
    const h = this.heap;
    const id = h[i];
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(id, h[p])) break;
      h[i] = h[p];
      this.pos[h[i]] = i;
      i = p;
    }
    h[i] = id;
    this.pos[id] = i;
    return i !== start;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.size;
    const id = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], id)) break;
      h[i] = h[c];
      this.pos[h[i]] = i;
      i = c;
    }
    h[i] = id;
    this.pos[id] = i;
  }

  private ensureId(id: number): void {
    if (id < this.pos.length) return;
    const old = this.pos.length;
    this.pos = grown(this.pos, nextCapacity(old, id + 1));
    this.pos.fill(-1, old);
  }
}
