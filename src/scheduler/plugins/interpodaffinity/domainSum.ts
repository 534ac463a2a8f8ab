/**
 * A per-cycle count of matching pods per value of one topology key: the sum of the
 * DomainCounts of the groups that match. With one contributing group it is a view on
 * that group's counter (no copy); a second group, or a PreFilterExtensions update
 * (addPod/removePod during a preemption dry run), copies it into a scratch array the
 * sum owns. Scratch arrays come from a pool that is reused cycle after cycle.
 */
import type { DomainCount } from "./podGroups.js";

const NONE = new Int32Array(0);

export class ScratchPool {
  private readonly free: Int32Array[] = [];
  private readonly used: Int32Array[] = [];

  take(size: number): Int32Array {
    let a = this.free.pop();
    if (!a || a.length < size) a = new Int32Array(size);
    else a.fill(0, 0, size);
    this.used.push(a);
    return a;
  }

  /** Return every array handed out since the last release. */
  releaseAll(): void {
    while (this.used.length > 0) this.free.push(this.used.pop()!);
  }
}

export class DomainSum {
  key = -1;
  col: Int32Array = NONE;
  counts: Int32Array = NONE;
  /** Matching pods on nodes that have the key. */
  total = 0;
  private owned = false;
  private size = 0;

  reset(key: number, col: Int32Array, size: number): void {
    this.key = key;
    this.col = col;
    this.counts = NONE;
    this.total = 0;
    this.owned = false;
    this.size = size;
  }

  add(dc: DomainCount, pool: ScratchPool): void {
    if (dc.withKey === 0) return;
    if (this.counts === NONE) {
      this.counts = dc.counts;
      this.total = dc.withKey;
      return;
    }
    this.own(pool);
    const src = dc.counts;
    const dst = this.counts;
    const n = Math.min(src.length, dst.length);
    for (let v = 0; v < n; v++) dst[v] += src[v];
    this.total += dc.withKey;
  }

  /** Count of value v (-1 = node without the key: 0). */
  at(v: number): number {
    return v >= 0 && v < this.counts.length ? this.counts[v] : 0;
  }

  /** Add d matching pods on node n (PreFilterExtensions). */
  update(n: number, d: number, pool: ScratchPool): void {
    const v = this.col[n];
    if (v < 0) return;
    this.own(pool);
    this.counts[v] += d;
    this.total += d;
  }

  private own(pool: ScratchPool): void {
    if (this.owned) return;
    const a = pool.take(this.size);
    if (this.counts !== NONE) a.set(this.counts.subarray(0, Math.min(this.counts.length, this.size)));
    this.counts = a;
    this.owned = true;
  }
}
