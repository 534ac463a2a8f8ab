/**
 * A per-cycle count of matching pods per value of one topology key: the sum of the
 * DomainCounts of the groups that match. With one contributing dense counter it is a
 * view on that counter (no copy); a sparse counter, a second group, or a PreFilterExtensions update
 * (addPod/removePod during a preemption dry run), copies it into a scratch array the
 * sum owns. Only values that hold pods are touched, and only those are cleared for the
 * next cycle, so a cycle costs O(matching domains), not O(interned values).
 */
import { countOf, liveValues, type DomainCount } from "./podGroups.js";

const NONE = new Int32Array(0);

export class DomainSum {
  key = -1;
  col: Int32Array = NONE;
  counts: Int32Array = NONE;
  /** Matching pods on nodes that have the key. */
  total = 0;
  private view: DomainCount | null = null;
  private scratch: Int32Array = NONE;
  private readonly touched: number[] = [];
  private owned = false;

  reset(key: number, col: Int32Array, size: number): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) this.scratch[touched[i]] = 0;
    touched.length = 0;
    if (this.scratch.length < size) this.scratch = new Int32Array(size);
    this.key = key;
    this.col = col;
    this.counts = NONE;
    this.total = 0;
    this.view = null;
    this.owned = false;
  }

  add(dc: DomainCount): void {
    if (dc.withKey === 0) return;
    if (this.counts === NONE && this.view === null && !this.owned && dc.dense !== null) {
      this.counts = dc.dense;
      this.view = dc;
      this.total = dc.withKey;
      return;
    }
    this.own();
    this.addValues(dc);
    this.total += dc.withKey;
  }

  /** Count of value v (-1 = node without the key: 0). */
  at(v: number): number {
    return v >= 0 && v < this.counts.length ? this.counts[v] : 0;
  }

  /** Add d matching pods on node n (PreFilterExtensions). */
  update(n: number, d: number): void {
    const v = this.col[n];
    if (v < 0) return;
    this.own();
    this.scratch[v] += d;
    this.touched.push(v);
    this.total += d;
  }

  private addValues(dc: DomainCount): void {
    const vs = liveValues(dc);
    const dst = this.scratch;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      dst[v] += countOf(dc, v);
      this.touched.push(v);
    }
  }

  private own(): void {
    if (this.owned) return;
    this.owned = true;
    if (this.view !== null) this.addValues(this.view);
    this.counts = this.scratch;
    this.view = null;
  }
}
