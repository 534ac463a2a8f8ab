/**
 * PreFilter and Filter of one cycle: RunPreFilterPlugins and RunFilterPlugins
 * (pkg/scheduler/framework/runtime/framework.go) and the search for feasible nodes
 * (pkg/scheduler/schedule_one.go findNodesThatPassFilters).
 *
 * Upstream filters nodes in parallel, from nextStartNodeIndex, and stops once
 * numFeasibleNodesToFind nodes passed. Here the search is sequential in chunks of at
 * least 64 nodes (each plugin gets the whole chunk: framework.ts), and a chunk that
 * overshoots is cut back to exactly numFeasibleNodesToFind, so `processed` (which
 * advances nextStartNodeIndex) is what a sequential scan would give.
 *
 * Within a chunk the plugins run in profile order, each over the nodes that passed
 * the previous ones, so a node stops at its first failure (as upstream). A rejected
 * node's verdict and plugin go to the CycleDiagnosis. The leading run of node-local
 * filters is answered from the filter memo (filterMemo.ts) unless record mode is on.
 */
import type { CompiledPod } from "./compiled.js";
import type { CycleBuffers } from "./cycleBuffers.js";
import type { CycleDiagnosis } from "./diagnosis.js";
import { FilterMemo, MEMO_PLUGIN_SHIFT } from "./filterMemo.js";
import { Code, type CycleState, type FilterPlugin, type StatusCode } from "./framework.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";

/** Smallest chunk of the search: amortises the per-plugin call (kubesim's choice). */
const MIN_CHUNK = 64;

export class FilterRunner {
  /** Per filter plugin (profile.filter order): 1 when its PreFilter returned Skip for this pod. */
  readonly skipped: Uint8Array;
  /** Leading filter plugins that are node-local (memoized per template and node version); 0 when memoization is off. */
  readonly localFilters: number;
  /** Search positions the last findFeasible() consumed (advances nextStartNodeIndex). */
  processed = 0;
  private readonly memo: FilterMemo;

  constructor(
    private readonly profile: Profile,
    snapshot: Snapshot,
    private readonly state: CycleState,
    private readonly buf: CycleBuffers,
    private readonly diag: CycleDiagnosis,
    memoize: boolean,
  ) {
    this.skipped = new Uint8Array(profile.filter.length);
    let lf = 0;
    while (lf < profile.filter.length && profile.filter[lf].nodeLocalFilter === true) lf++;
    this.localFilters = memoize ? lf : 0;
    this.memo = new FilterMemo(snapshot, buf, this, diag);
  }

  /**
   * PreFilter, plugins in order: a Skip turns off that plugin's Filter for this pod, a
   * PreFilterResult restricts state.preFilterNodes, anything else but Success stops
   * the cycle with that status (recorded in the diagnosis).
   */
  runPreFilter(pod: CompiledPod): StatusCode {
    const pf = this.profile.preFilter;
    const filters = this.profile.filter;
    const state = this.state;
    const diag = this.diag;
    this.skipped.fill(0);
    diag.resetPreFilter();
    for (let i = 0; i < pf.length; i++) {
      const before = state.preFilterNodes;
      const code = pf[i].preFilter(state, pod);
      if (state.preFilterNodes !== before) diag.restrictedByPreFilter(i);
      if (code === Code.Skip) {
        const fi = filters.indexOf(pf[i] as unknown as FilterPlugin);
        if (fi >= 0) this.skipped[fi] = 1;
        continue;
      }
      if (code !== Code.Success) {
        diag.failedAtPreFilter(i, code);
        return code;
      }
    }
    return Code.Success;
  }

  /**
   * Search positions start, start+1, ... (mod M) of the node list (all nodes, or the
   * PreFilterResult `restricted`) until `numToFind` nodes pass. The feasible nodes end
   * in buf.feasible / buf.feasiblePos in search order; returns their count and sets
   * this.processed.
   */
  findFeasible(pod: CompiledPod, restricted: Int32Array | null, M: number, numToFind: number, start: number): number {
    const buf = this.buf;
    let found = 0;
    let processed = 0;
    if (this.profile.filter.length === 0) {
      for (let i = 0; i < numToFind; i++) {
        const p = (start + i) % M;
        buf.feasible[i] = restricted === null ? p : restricted[p];
        buf.feasiblePos[i] = i;
      }
      found = numToFind;
      processed = numToFind;
    } else {
      let pos = 0;
      while (found < numToFind && pos < M) {
        const need = numToFind - found;
        // A chunk that overshoots is cut back below.
        const chunk = Math.min(M - pos, need < MIN_CHUNK ? MIN_CHUNK : need);
        const cand = buf.cand;
        const candPos = buf.candPos;
        let passed: number;
        if (restricted === null && this.localFilters > 0 && this.diag.record === null) {
          // Fast path: node-local filters answered from the memo while generating the chunk.
          passed = this.memo.filterChunk(pod, start, pos, chunk, M);
          passed = this.runFilters(this.localFilters, this.profile.filter.length, pod, cand, candPos, passed, null);
        } else {
          for (let k = 0; k < chunk; k++) {
            let p = start + pos + k;
            if (p >= M) p -= M;
            cand[k] = restricted === null ? p : restricted[p];
            candPos[k] = pos + k;
          }
          passed = this.filterBatch(pod, chunk);
        }
        if (found === 0) {
          // First chunk: the survivors are already in order at the front; swap buffers instead of copying.
          buf.cand = buf.feasible;
          buf.candPos = buf.feasiblePos;
          buf.feasible = cand;
          buf.feasiblePos = candPos;
          found = passed;
        } else {
          const feasible = buf.feasible;
          const feasiblePos = buf.feasiblePos;
          for (let k = 0; k < passed; k++) {
            feasible[found] = cand[k];
            feasiblePos[found] = candPos[k];
            found++;
          }
        }
        pos += chunk;
      }
      if (found > numToFind) found = numToFind;
      processed = found >= numToFind && found > 0 ? buf.feasiblePos[found - 1] + 1 : pos;
    }
    this.processed = processed;
    return found;
  }

  /**
   * Run the filter plugins over buf.cand[0..count); the nodes that pass are compacted
   * to the front of cand/candPos (search order kept). Returns how many passed.
   */
  filterBatch(pod: CompiledPod, count: number): number {
    const rec = this.diag.record;
    let first = 0;
    if (this.localFilters > 0 && rec === null) {
      count = this.memo.filterLocal(pod, count);
      first = this.localFilters;
    }
    const cand = this.buf.cand;
    count = this.runFilters(first, this.profile.filter.length, pod, cand, this.buf.candPos, count, null);
    // Nodes that pass are not stamped: only failures matter to PostFilter (which runs
    // only when nothing passed); record mode keeps its own per-node flags.
    if (rec !== null) for (let k = 0; k < count; k++) rec.evaluated[cand[k]] = 1;
    return count;
  }

  /** Filter plugins [from, to) (PreFilter-skipped ones left out) over nodes[0..count), as runFilter. */
  runFilters(from: number, to: number, pod: CompiledPod, nodes: Int32Array, pos: Int32Array, count: number, memo: Int32Array | null): number {
    const skipped = this.skipped;
    for (let f = from; f < to && count > 0; f++) {
      if (skipped[f] === 1) continue;
      count = this.runFilter(f, pod, nodes, pos, count, memo);
    }
    return count;
  }

  /**
   * Run filter plugin `f` over nodes[0..count), compact the survivors (order kept) and
   * stamp the rejected nodes in the diagnosis. With `memo` (NodeMemoEntry.data), also
   * store each rejection there (filterMemo.ts layout). Returns the survivor count.
   */
  private runFilter(f: number, pod: CompiledPod, nodes: Int32Array, pos: Int32Array, count: number, memo: Int32Array | null): number {
    const verdicts = this.buf.verdicts;
    if (this.profile.filter[f].filter(this.state, pod, nodes, count, verdicts) === true) return count;
    const diag = this.diag;
    const stamp = diag.cycle;
    const rec = diag.record;
    const nodeVerdict = diag.verdict;
    const nodeFailed = diag.failedFilter;
    const nodeStamp = diag.stamp;
    // Most batches reject nothing: find the first rejection before compacting.
    let j = 0;
    while (j < count && verdicts[j] === 0) j++;
    for (let k = j; k < count; k++) {
      const v = verdicts[k];
      const n = nodes[k];
      if (v === 0) {
        nodes[j] = n;
        pos[j] = pos[k];
        j++;
      } else {
        nodeVerdict[n] = v;
        nodeFailed[n] = f;
        nodeStamp[n] = stamp;
        if (memo !== null) memo[(n << 1) | 1] = (f << MEMO_PLUGIN_SHIFT) | v;
        if (rec !== null) rec.evaluated[n] = 1;
      }
    }
    return j;
  }

  /**
   * After a failed search, give every node rejected from the filter memo its status in
   * the diagnosis (not done during the search, to keep the hot loop lean), so PostFilter
   * and failure messages see every node. Runs only when no node fits.
   */
  stampMemoRejections(pod: CompiledPod, restricted: Int32Array | null, M: number): void {
    if (this.localFilters === 0 || this.diag.record !== null) return;
    this.memo.stampRejections(pod, restricted, M);
  }
}
