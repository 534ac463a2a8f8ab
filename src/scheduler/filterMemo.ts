/**
 * The filter memo: verdicts of the leading node-local filter plugins
 * (FilterPlugin.nodeLocalFilter) remembered per (pod template, node version), so the
 * replicas of one template pay the filter arithmetic only for nodes that changed
 * since the last replica looked (snapshotMemo.ts). A kubesim optimisation with no
 * upstream counterpart; it is exact: a memoized verdict is what the plugins return.
 *
 * Layout of a template's NodeMemoEntry.data, per node row n:
 *   data[2n]      the node version the verdict was computed at
 *   data[2n + 1]  0 when the node passed every node-local filter, else
 *                 (filter plugin index << MEMO_PLUGIN_SHIFT) | verdict
 * Only the leading run of node-local plugins is memoized (a node stops at its first
 * failure, so a later plugin's verdict depends on the earlier ones having passed).
 *
 * Hits are decided in the same pass that walks the search order; misses go through
 * the plugins (FilterRunner.runFilters, which writes their rejections here) and are
 * merged back in search order. Memoized rejections are not stamped in the diagnosis
 * during the search; stampRejections does it when the cycle finds no node.
 */
import type { CompiledPod } from "./compiled.js";
import type { CycleBuffers } from "./cycleBuffers.js";
import type { CycleDiagnosis } from "./diagnosis.js";
import type { FilterRunner } from "./filter.js";
import type { Snapshot } from "./snapshot.js";
import { NodeMemo } from "./snapshotMemo.js";

/** Where the filter plugin index sits in a memoized rejection (verdicts use the low 24 bits). */
export const MEMO_PLUGIN_SHIFT = 24;
const MEMO_VERDICT_MASK = (1 << MEMO_PLUGIN_SHIFT) - 1;

export class FilterMemo {
  private readonly memo: NodeMemo;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly buf: CycleBuffers,
    private readonly filters: FilterRunner,
    private readonly diag: CycleDiagnosis,
  ) {
    this.memo = new NodeMemo(snapshot);
  }

  /**
   * The node-local filters for the chunk of search positions [pos, pos + count) of all
   * nodes (no PreFilterResult): node rows are generated on the fly, so the chunk is
   * read once. Survivors end in buf.cand/candPos, in search order; returns their count.
   */
  filterChunk(pod: CompiledPod, start: number, pos: number, count: number, M: number): number {
    const md = this.memo.for(pod).data;
    const version = this.snapshot.nodeVersion;
    const cand = this.buf.cand;
    const candPos = this.buf.candPos;
    const miss = this.buf.miss;
    const missPos = this.buf.missPos;
    let j = 0;
    let m = 0;
    let n = start + pos;
    if (n >= M) n -= M;
    for (let k = 0; k < count; k++) {
      if (md[n << 1] === version[n]) {
        const x = md[(n << 1) | 1];
        if (x === 0) {
          cand[j] = n;
          candPos[j] = pos + k;
          j++;
        }
        // A memoized rejection is not stamped here: stampRejections does it if the cycle fails.
      } else {
        miss[m] = n;
        missPos[m] = pos + k;
        m++;
      }
      if (++n === M) n = 0;
    }
    return this.finishMisses(pod, j, m, md, version);
  }

  /**
   * The node-local filters over buf.cand[0..count): cached nodes are decided in one
   * pass, the rest run through the plugins and are remembered. Survivors stay in
   * search order in cand/candPos; returns their count.
   */
  filterLocal(pod: CompiledPod, count: number): number {
    const md = this.memo.for(pod).data;
    const version = this.snapshot.nodeVersion;
    const cand = this.buf.cand;
    const candPos = this.buf.candPos;
    const miss = this.buf.miss;
    const missPos = this.buf.missPos;
    let j = 0;
    let m = 0;
    for (let k = 0; k < count; k++) {
      const n = cand[k];
      if (md[n << 1] === version[n]) {
        const x = md[(n << 1) | 1];
        if (x === 0) {
          cand[j] = n;
          candPos[j] = candPos[k];
          j++;
        }
        // A memoized rejection is not stamped here: stampRejections does it if the cycle fails.
      } else {
        miss[m] = n;
        missPos[m] = candPos[k];
        m++;
      }
    }
    return this.finishMisses(pod, j, m, md, version);
  }

  /**
   * Run the node-local filters over the misses miss[0..m), remember their verdicts,
   * and merge the survivors with cand[0..j) (both in search order).
   */
  private finishMisses(pod: CompiledPod, j: number, m: number, md: Int32Array, version: Int32Array): number {
    if (m === 0) return j;
    const buf = this.buf;
    const cand = buf.cand;
    const candPos = buf.candPos;
    const miss = buf.miss;
    const missPos = buf.missPos;
    // Passing is the default; runFilters overwrites the value with each rejection.
    for (let k = 0; k < m; k++) {
      const n = miss[k];
      md[(n << 1) | 1] = 0;
      md[n << 1] = version[n];
    }
    const mc = this.filters.runFilters(0, this.filters.localFilters, pod, miss, missPos, m, md);
    if (mc === 0) return j;
    if (j === 0) {
      for (let k = 0; k < mc; k++) {
        cand[k] = miss[k];
        candPos[k] = missPos[k];
      }
      return mc;
    }
    // Merge the two survivor lists (both in search order) back into cand.
    const merged = buf.merged;
    const mergedPos = buf.mergedPos;
    let a = 0;
    let b = 0;
    let o = 0;
    while (a < j && b < mc) {
      if (candPos[a] < missPos[b]) {
        merged[o] = cand[a];
        mergedPos[o++] = candPos[a++];
      } else {
        merged[o] = miss[b];
        mergedPos[o++] = missPos[b++];
      }
    }
    while (a < j) {
      merged[o] = cand[a];
      mergedPos[o++] = candPos[a++];
    }
    while (b < mc) {
      merged[o] = miss[b];
      mergedPos[o++] = missPos[b++];
    }
    for (let k = 0; k < o; k++) {
      cand[k] = merged[k];
      candPos[k] = mergedPos[k];
    }
    return o;
  }

  /**
   * Stamp every node of the search list (all nodes, or `restricted`) whose current
   * memo entry is a rejection and that has no status from this cycle yet.
   */
  stampRejections(pod: CompiledPod, restricted: Int32Array | null, M: number): void {
    const md = this.memo.for(pod).data;
    const version = this.snapshot.nodeVersion;
    const diag = this.diag;
    const stamp = diag.cycle;
    const nodeStamp = diag.stamp;
    for (let i = 0; i < M; i++) {
      const n = restricted === null ? i : restricted[i];
      if (nodeStamp[n] === stamp) continue;
      const x = md[(n << 1) | 1];
      if (x !== 0 && md[n << 1] === version[n]) {
        diag.verdict[n] = x & MEMO_VERDICT_MASK;
        diag.failedFilter[n] = x >>> MEMO_PLUGIN_SHIFT;
        nodeStamp[n] = stamp;
      }
    }
  }
}
