/**
 * One scheduling cycle (pkg/scheduler/schedule_one.go: schedulePod,
 * findNodesThatFitPod, findNodesThatPassFilters, prioritizeNodes, selectHost), over
 * the batched plugin interfaces of framework.ts.
 *
 *   PreFilter -> nominated-node fast path -> Filter (from nextStartNodeIndex, until
 *   numFeasibleNodesToFind feasible nodes) -> [no node: PostFilter] ->
 *   [one node: chosen, no scoring] -> PreScore -> Score -> NormalizeScore -> weights
 *   -> selectHost (a uniform choice among the top TotalScore, as reservoir sampling).
 *
 * Upstream filters nodes in parallel and stops once enough are found; here the
 * search is sequential in chunks, and a chunk that overshoots is cut back to exactly
 * numFeasibleNodesToFind, so `processed` (which advances nextStartNodeIndex) is what
 * a sequential scan would give. All buffers are preallocated and reused; a cycle
 * allocates nothing unless record mode (kubesim explain) is on.
 *
 * Node-local plugins (FilterPlugin.nodeLocalFilter, ScorePlugin.nodeLocalScore) have
 * their results memoized per (pod template, node version) (snapshotMemo.ts): the leading
 * run of node-local filters is answered from the memo in the same pass that walks the
 * search order, and the node-local scores are added last in the pass that finds the top
 * score. Record mode bypasses the memo and calls every plugin.
 */
import type { RandomStream } from "../engine/random.js";
import type { CompiledPod } from "./compiled.js";
import {
  Code,
  CycleState,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type FilterDiagnosis,
  type FilterPlugin,
  type Plugin,
  type PostFilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type BindPlugin,
  type ScorePlugin,
  type StatusCode,
  type QueueSortPlugin,
  isBind,
  isFilter,
  isPostFilter,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
  verdictCode,
  verdictReasonBits,
} from "./framework.js";
import type { Snapshot } from "./snapshot.js";
import { NodeMemo } from "./snapshotMemo.js";

/** pkg/scheduler/schedule_one.go minFeasibleNodesToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** pkg/scheduler/schedule_one.go minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** KubeSchedulerConfiguration percentageOfNodesToScore default: 0 = adaptive (50 - n/125, >= 5%). */
export const DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 0;

/**
 * The number of feasible nodes after which the search stops
 * (Scheduler.numFeasibleNodesToFind). `percentage` is the profile's setting when
 * given, else the global one; 0 means adaptive. Go int32 division truncates.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** A profile's plugins grouped by extension point (framework.Framework). */
export class Profile {
  readonly queueSort: QueueSortPlugin | null;
  readonly preFilter: PreFilterPlugin[];
  readonly filter: FilterPlugin[];
  readonly postFilter: PostFilterPlugin[];
  readonly preScore: PreScorePlugin[];
  readonly score: ScorePlugin[];
  readonly scoreWeights: Int32Array;
  readonly reserve: ReservePlugin[];
  readonly bind: BindPlugin[];

  /**
   * @param plugins  in execution order, with their weights (Score only) and the
   *                 extension points at which each is disabled
   */
  constructor(
    readonly schedulerName: string,
    readonly plugins: readonly { plugin: Plugin; weight: number; disabled?: readonly string[] }[],
    /** Profile percentageOfNodesToScore, undefined when unset (the global one applies). */
    readonly percentageOfNodesToScore?: number,
    /** Optional exact plugin order per extension point (names); overrides `plugins` order there. */
    points?: Partial<Record<string, readonly string[]>>,
  ) {
    const at = (point: string, has: (p: Plugin) => boolean) => {
      const order = points?.[point];
      const list = order
        ? order.map((n) => plugins.find((e) => e.plugin.name === n)).filter((e): e is (typeof plugins)[number] => e !== undefined)
        : plugins.filter((e) => !(e.disabled ?? []).includes(point));
      return list.filter((e) => has(e.plugin));
    };
    const qs = at("queueSort", isQueueSort);
    this.queueSort = qs.length > 0 ? (qs[0].plugin as QueueSortPlugin) : null;
    this.preFilter = at("preFilter", isPreFilter).map((e) => e.plugin as PreFilterPlugin);
    this.filter = at("filter", isFilter).map((e) => e.plugin as FilterPlugin);
    this.postFilter = at("postFilter", isPostFilter).map((e) => e.plugin as PostFilterPlugin);
    this.preScore = at("preScore", isPreScore).map((e) => e.plugin as PreScorePlugin);
    const scoring = at("score", isScore);
    this.score = scoring.map((e) => e.plugin as ScorePlugin);
    this.scoreWeights = Int32Array.from(scoring.map((e) => e.weight));
    this.reserve = at("reserve", isReserve).map((e) => e.plugin as ReservePlugin);
    this.bind = at("bind", isBind).map((e) => e.plugin as BindPlugin);
  }

  plugin(name: string): Plugin | undefined {
    return this.plugins.find((e) => e.plugin.name === name)?.plugin;
  }
}

/** How selectHost breaks ties among nodes with the top TotalScore. */
export type TieBreak = "reservoir" | "first";

export interface CycleOptions {
  /** Global percentageOfNodesToScore (0 = adaptive); a profile setting overrides it. */
  percentageOfNodesToScore?: number;
  /** "reservoir" (upstream: uniform among ties, needs `random`) or "first" (first in search order). */
  tieBreak?: TieBreak;
  /** Seeded stream for selectHost, conventionally sim.rng.stream("scheduler.selectHost"). */
  random?: RandomStream | { int(n: number): number };
  /**
   * Memoize node-local plugin results per (pod template, node version) (default true).
   * Exact: a memoized value is what recomputation gives; off only to measure its effect.
   */
  memoize?: boolean;
}

/** Outcome of scheduleOne; one object per cycle instance, overwritten by each call. */
export class CycleResult {
  /** Success (node chosen), Unschedulable/UnschedulableAndUnresolvable (no node) or Error. */
  code: StatusCode = Code.Success;
  /** Chosen node row, -1 when none. */
  node = -1;
  /** Node nominated by PostFilter (preemption), -1 when none. */
  nominatedNode = -1;
  /** numFeasibleNodesToFind for this cycle. */
  numNodesToFind = 0;
  /** Nodes run through Filter (feasible + rejected), as upstream's EvaluatedNodes. */
  evaluatedNodes = 0;
  feasibleNodes = 0;
  /** Error text when code is Error. */
  error = "";
}

/** What record mode captures (kubesim explain). Indexed by node row. */
export class CycleRecord {
  evaluated: Uint8Array;
  feasible: Uint8Array;
  /** Per score plugin (profile order): normalized score per node row, -1 = not scored. */
  scores: Int32Array[];
  /** Score plugins whose PreScore returned Skip (contribute 0). */
  skippedScore: Uint8Array;
  total: Int32Array;
  constructor(nodeCount: number, scorePlugins: number) {
    this.evaluated = new Uint8Array(nodeCount);
    this.feasible = new Uint8Array(nodeCount);
    this.scores = Array.from({ length: scorePlugins }, () => new Int32Array(nodeCount).fill(-1));
    this.skippedScore = new Uint8Array(scorePlugins);
    this.total = new Int32Array(nodeCount).fill(-1);
  }
}

/** One node of an explain report, in snapshot (input) order. */
export interface ExplainedNode {
  name: string;
  feasible: boolean;
  reasons: string[];
  /** Each score plugin's value after NormalizeScore, before weighting (feasible nodes only). */
  scores: Record<string, number>;
  total: number;
}

export class SchedulingCycle implements FilterDiagnosis {
  readonly state = new CycleState();
  readonly result = new CycleResult();
  /** Where the next search starts (Scheduler.nextStartNodeIndex). */
  nextStartNodeIndex = 0;
  /** The last cycle's record when record mode was on, else null. */
  record: CycleRecord | null = null;

  private readonly tieBreak: TieBreak;
  private readonly random: { int(n: number): number } | null;
  private readonly globalPercentage: number;
  private cycleNo = 0;
  private recording = false;
  private currentPod: CompiledPod | null = null;
  /** Plugin indices (into profile.preFilter) whose PreFilter returned Skip / restricted nodes. */
  private readonly filterSkipped: Uint8Array;
  private readonly scoreSkipped: Uint8Array;
  private preFilterRestrictedBy: string[] = [];
  private preFilterFailedBy = "";

  // Buffers sized to the node count (grown on demand).
  private cap = 0;
  private cand = new Int32Array(0);
  private candPos = new Int32Array(0);
  private verdicts = new Int32Array(0);
  private feasible = new Int32Array(0);
  private feasiblePos = new Int32Array(0);
  private scoreBuf = new Int32Array(0);
  private total = new Int32Array(0);
  private miss = new Int32Array(0);
  private missPos = new Int32Array(0);
  private merged = new Int32Array(0);
  private mergedPos = new Int32Array(0);
  private missAcc = new Int32Array(0);
  /** Leading filter plugins that are node-local (memoized per template and node version). */
  private readonly localFilters: number;
  /** Score plugins (indices) that are node-local; their weighted sum is memoized. */
  private readonly localScores: Int32Array;
  private readonly isLocalScore: Uint8Array;
  private readonly filterMemo: NodeMemo;
  private readonly scoreMemo: NodeMemo;
  private nodeVerdict = new Int32Array(0);
  private nodeFailPlugin = new Int16Array(0);
  private nodeStamp = new Int32Array(0);

  constructor(
    readonly profile: Profile,
    readonly snapshot: Snapshot,
    opts: CycleOptions = {},
  ) {
    this.tieBreak = opts.tieBreak ?? "reservoir";
    this.random = opts.random ?? null;
    if (this.tieBreak === "reservoir" && !this.random) throw new Error("tieBreak 'reservoir' needs a seeded random stream (opts.random)");
    this.globalPercentage = opts.percentageOfNodesToScore ?? DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE;
    this.filterSkipped = new Uint8Array(profile.filter.length);
    this.scoreSkipped = new Uint8Array(profile.score.length);
    this.state.reset(snapshot, -1, false);
    let lf = 0;
    while (lf < profile.filter.length && profile.filter[lf].nodeLocalFilter === true) lf++;
    this.localFilters = opts.memoize === false ? 0 : lf;
    const ls: number[] = [];
    profile.score.forEach((p, i) => {
      if (p.nodeLocalScore === true && p.normalizeScore === undefined && opts.memoize !== false) ls.push(i);
    });
    this.localScores = Int32Array.from(ls);
    this.isLocalScore = new Uint8Array(profile.score.length);
    for (const i of ls) this.isLocalScore[i] = 1;
    this.filterMemo = new NodeMemo(snapshot);
    this.scoreMemo = new NodeMemo(snapshot);
  }

  get nodeCount(): number {
    return this.snapshot.nodes.count;
  }

  /** The percentage this profile uses (profile setting, else global). */
  get percentageOfNodesToScore(): number {
    return this.profile.percentageOfNodesToScore ?? this.globalPercentage;
  }

  /**
   * Run one scheduling cycle for `pod` (no Reserve/Bind: see assume). `podId` is the
   * pod's snapshot row if it has one (-1 otherwise); `nominatedNode` its
   * status.nominatedNodeName as a node row (-1 for none). With `record`, every node is
   * evaluated, ties go to the first node in search order and this.record is filled.
   */
  scheduleOne(pod: CompiledPod, podId = -1, nominatedNode = -1, record = false): CycleResult {
    const snap = this.snapshot;
    const N = snap.nodes.count;
    const res = this.result;
    res.code = Code.Success;
    res.node = -1;
    res.nominatedNode = -1;
    res.evaluatedNodes = 0;
    res.feasibleNodes = 0;
    res.numNodesToFind = 0;
    res.error = "";
    this.recording = record;
    this.currentPod = pod;
    this.record = null;
    this.cycleNo++;
    if (this.cap < N) this.grow(N);
    const state = this.state;
    state.reset(snap, podId, record);
    if (N === 0) {
      res.code = Code.UnschedulableAndUnresolvable;
      res.error = "no nodes available to schedule pods";
      return res;
    }
    if (record) this.record = new CycleRecord(N, this.profile.score.length);

    // PreFilter.
    const pf = this.profile.preFilter;
    const filters = this.profile.filter;
    this.filterSkipped.fill(0);
    this.preFilterRestrictedBy.length = 0;
    this.preFilterFailedBy = "";
    for (let i = 0; i < pf.length; i++) {
      const before = state.preFilterNodes;
      const code = pf[i].preFilter(state, pod);
      if (state.preFilterNodes !== before) this.preFilterRestrictedBy.push(pf[i].name);
      if (code === Code.Skip) {
        const fi = filters.indexOf(pf[i] as unknown as FilterPlugin);
        if (fi >= 0) this.filterSkipped[fi] = 1;
        continue;
      }
      if (code !== Code.Success) {
        res.code = code;
        this.preFilterFailedBy = pf[i].name;
        if (code === Code.Error) res.error = state.preFilterReason;
        else this.runPostFilter(pod);
        return res;
      }
    }

    // Nominated node fast path (evaluateNominatedNode): if it passes, it is the choice.
    if (nominatedNode >= 0 && nominatedNode < N && !record) {
      this.cand[0] = nominatedNode;
      this.candPos[0] = 0;
      if (this.filterBatch(pod, 1) === 1) {
        res.node = nominatedNode;
        res.feasibleNodes = 1;
        res.evaluatedNodes = 1;
        return res;
      }
    }

    // The node list searched: all nodes, or the PreFilterResult.
    const restricted = state.preFilterNodes;
    const M = restricted === null ? N : restricted.length;
    if (M === 0) {
      res.code = Code.UnschedulableAndUnresolvable;
      this.runPostFilter(pod);
      return res;
    }
    let numToFind = record ? M : numFeasibleNodesToFind(M, this.percentageOfNodesToScore);
    if (!record && this.profile.score.length === 0) numToFind = 1;
    res.numNodesToFind = numToFind;
    const start = this.nextStartNodeIndex % M;

    let found = 0;
    let processed = 0;
    if (filters.length === 0) {
      for (let i = 0; i < numToFind; i++) {
        const p = (start + i) % M;
        this.feasible[i] = restricted === null ? p : restricted[p];
        this.feasiblePos[i] = i;
      }
      found = numToFind;
      processed = numToFind;
    } else {
      let pos = 0;
      while (found < numToFind && pos < M) {
        const need = numToFind - found;
        // Chunks of at least 64 nodes amortise the per-plugin call; a chunk that
        // overshoots is cut back below.
        const chunk = Math.min(M - pos, need < 64 ? 64 : need);
        const cand = this.cand;
        const candPos = this.candPos;
        let passed: number;
        if (restricted === null && this.localFilters > 0 && this.record === null) {
          // Fast path: node-local filters answered from the memo while generating the chunk.
          passed = this.filterChunkMemoized(pod, start, pos, chunk, M);
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
          this.cand = this.feasible;
          this.candPos = this.feasiblePos;
          this.feasible = cand;
          this.feasiblePos = candPos;
          found = passed;
        } else {
          const feasible = this.feasible;
          const feasiblePos = this.feasiblePos;
          for (let k = 0; k < passed; k++) {
            feasible[found] = cand[k];
            feasiblePos[found] = candPos[k];
            found++;
          }
        }
        pos += chunk;
      }
      if (found > numToFind) found = numToFind;
      processed = found >= numToFind && found > 0 ? this.feasiblePos[found - 1] + 1 : pos;
    }
    // Upstream takes the modulus over all nodes, even when the search list was a PreFilterResult.
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % N;
    res.evaluatedNodes = processed;
    res.feasibleNodes = found;
    if (record) for (let i = 0; i < found; i++) this.record!.feasible[this.feasible[i]] = 1;

    if (found === 0) {
      res.code = Code.Unschedulable;
      this.stampMemoRejections(pod, restricted, M);
      // Unschedulable unless every rejection was UnschedulableAndUnresolvable.
      let resolvable = false;
      for (let i = 0; i < M && !resolvable; i++) {
        const n = restricted === null ? i : restricted[i];
        if (this.code(n) === Code.Unschedulable) resolvable = true;
      }
      if (!resolvable) res.code = Code.UnschedulableAndUnresolvable;
      this.runPostFilter(pod);
      return res;
    }
    if (found === 1 && !record) {
      res.node = this.feasible[0];
      return res;
    }
    const chosen = this.prioritize(pod, found);
    if (chosen < 0) return res;
    res.node = chosen;
    return res;
  }

  /**
   * Run the filter plugins over cand[0..count); the nodes that pass are compacted to
   * the front of cand/candPos (search order kept). Returns how many passed.
   */
  private filterBatch(pod: CompiledPod, count: number): number {
    const filters = this.profile.filter;
    const rec = this.record;
    let first = 0;
    if (this.localFilters > 0 && rec === null) {
      count = this.filterLocalMemoized(pod, count);
      first = this.localFilters;
    }
    const cand = this.cand;
    const candPos = this.candPos;
    for (let f = first; f < filters.length && count > 0; f++) {
      if (this.filterSkipped[f] === 1) continue;
      count = this.runFilter(f, pod, cand, candPos, count, null);
    }
    // Nodes that pass are not stamped: only failures matter to PostFilter (which runs
    // only when nothing passed); record mode keeps its own per-node flags.
    if (rec !== null) for (let k = 0; k < count; k++) rec.evaluated[cand[k]] = 1;
    return count;
  }

  /**
   * Run filter plugin `f` over nodes[0..count), compact the survivors (order kept) and
   * stamp the rejected nodes. With `memo` (NodeMemoEntry.data), also store each
   * rejection as (f << 24 | verdict) for the node. Returns the survivor count.
   */
  private runFilter(f: number, pod: CompiledPod, nodes: Int32Array, pos: Int32Array, count: number, memo: Int32Array | null): number {
    const verdicts = this.verdicts;
    if (this.profile.filter[f].filter(this.state, pod, nodes, count, verdicts) === true) return count;
    const stamp = this.cycleNo;
    const rec = this.record;
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
        this.nodeVerdict[n] = v;
        this.nodeFailPlugin[n] = f;
        this.nodeStamp[n] = stamp;
        if (memo !== null) memo[(n << 1) | 1] = (f << 24) | v;
        if (rec !== null) rec.evaluated[n] = 1;
      }
    }
    return j;
  }

  /**
   * After a failed search, give every node rejected from the filter memo (not stamped
   * during the pass, to keep the hot loop lean) its stamp, verdict and plugin, so
   * PostFilter and failure messages see every node's status. Runs only when no node fits.
   */
  private stampMemoRejections(pod: CompiledPod, restricted: Int32Array | null, M: number): void {
    if (this.localFilters === 0 || this.record !== null) return;
    const memo = this.filterMemo.for(pod);
    const md = memo.data;
    const version = this.snapshot.nodeVersion;
    const stamp = this.cycleNo;
    for (let i = 0; i < M; i++) {
      const n = restricted === null ? i : restricted[i];
      if (this.nodeStamp[n] === stamp) continue;
      const x = md[(n << 1) | 1];
      if (x !== 0 && md[n << 1] === version[n]) {
        this.nodeVerdict[n] = x & 0xffffff;
        this.nodeFailPlugin[n] = x >>> 24;
        this.nodeStamp[n] = stamp;
      }
    }
  }

  /**
   * filterBatch for the chunk of search positions [pos, pos + count) of all nodes
   * (no PreFilterResult), with the node-local filter prefix memoized: node rows are
   * generated on the fly, so the chunk is read once. Survivors end in cand/candPos.
   */
  private filterChunkMemoized(pod: CompiledPod, start: number, pos: number, count: number, M: number): number {
    const memo = this.filterMemo.for(pod);
    const md = memo.data;
    const version = this.snapshot.nodeVersion;
    const cand = this.cand;
    const candPos = this.candPos;
    const miss = this.miss;
    const missPos = this.missPos;
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
        // A memoized rejection is not stamped here: stampMemoRejections does it if the cycle fails.
      } else {
        miss[m] = n;
        missPos[m] = pos + k;
        m++;
      }
      if (++n === M) n = 0;
    }
    j = this.finishLocalMisses(pod, j, m, md, version);
    const filters = this.profile.filter;
    for (let f = this.localFilters; f < filters.length && j > 0; f++) {
      if (this.filterSkipped[f] === 1) continue;
      j = this.runFilter(f, pod, this.cand, this.candPos, j, null);
    }
    return j;
  }

  /**
   * The leading node-local filters with their verdicts memoized per (template, node
   * version): cached nodes are decided in one pass; the rest run through the plugins
   * and are remembered. Survivors stay in search order in cand/candPos.
   */
  private filterLocalMemoized(pod: CompiledPod, count: number): number {
    const memo = this.filterMemo.for(pod);
    const md = memo.data;
    const version = this.snapshot.nodeVersion;
    const cand = this.cand;
    const candPos = this.candPos;
    const miss = this.miss;
    const missPos = this.missPos;
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
        // A memoized rejection is not stamped here: stampMemoRejections does it if the cycle fails.
      } else {
        miss[m] = n;
        missPos[m] = candPos[k];
        m++;
      }
    }
    return this.finishLocalMisses(pod, j, m, md, version);
  }

  /**
   * Run the node-local filters over the memo misses miss[0..m), remember their
   * verdicts, and merge the survivors with cand[0..j) (both in search order).
   */
  private finishLocalMisses(pod: CompiledPod, j: number, m: number, md: Int32Array, version: Int32Array): number {
    if (m === 0) return j;
    const cand = this.cand;
    const candPos = this.candPos;
    const miss = this.miss;
    const missPos = this.missPos;
    // Evaluate the stale nodes through the plugins; rejections are memoized in runFilter.
    for (let k = 0; k < m; k++) {
      const n = miss[k];
      md[(n << 1) | 1] = 0;
      md[n << 1] = version[n];
    }
    let mc = m;
    for (let f = 0; f < this.localFilters && mc > 0; f++) {
      if (this.filterSkipped[f] === 1) continue;
      mc = this.runFilter(f, pod, miss, missPos, mc, md);
    }
    if (mc === 0) return j;
    if (j === 0) {
      for (let k = 0; k < mc; k++) {
        cand[k] = miss[k];
        candPos[k] = missPos[k];
      }
      return mc;
    }
    // Merge the two survivor lists (both in search order) back into cand.
    const merged = this.merged;
    const mergedPos = this.mergedPos;
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

  /** PreScore, Score, NormalizeScore, weights, selectHost. Returns the node or -1 on error. */
  private prioritize(pod: CompiledPod, count: number): number {
    const prof = this.profile;
    const state = this.state;
    const feasible = this.feasible;
    const total = this.total;
    const buf = this.scoreBuf;
    const rec = this.record;
    this.scoreSkipped.fill(0);
    // The first plugin added assigns instead of adding (saves clearing `total`).
    let first = true;
    // PreScore for every plugin first, as upstream's RunPreScorePlugins.
    for (let i = 0; i < prof.preScore.length; i++) {
      const p = prof.preScore[i];
      const code = p.preScore(state, pod, feasible, count);
      if (code === Code.Skip) {
        const si = prof.score.indexOf(p as unknown as ScorePlugin);
        if (si >= 0) this.scoreSkipped[si] = 1;
      } else if (code !== Code.Success) {
        return this.fail(`running PreScore plugin "${p.name}": status ${code}`);
      }
    }
    // Node-local plugins come last, from the memo, in one pass that also finds the top score.
    const useMemo = this.localScores.length > 0 && rec === null;
    for (let s = 0; s < prof.score.length; s++) {
      if (this.scoreSkipped[s] === 1) {
        if (rec !== null) rec.skippedScore[s] = 1;
        continue;
      }
      if (useMemo && this.isLocalScore[s] === 1) continue;
      const p = prof.score[s];
      state.scoresUniform = false;
      if (p.score(state, pod, feasible, count, buf) !== Code.Success) return this.fail(`running Score plugin "${p.name}"`);
      if (p.normalizeScore !== undefined && p.normalizeScore(state, pod, feasible, count, buf) !== Code.Success) {
        return this.fail(`running NormalizeScore plugin "${p.name}"`);
      }
      if (state.scoresUniform && rec === null) continue;
      const w = prof.scoreWeights[s];
      let bad = NaN;
      if (first) {
        for (let k = 0; k < count; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) bad = v;
          total[k] = v * w;
        }
        first = false;
      } else {
        for (let k = 0; k < count; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) bad = v;
          total[k] += v * w;
        }
      }
      if (!Number.isNaN(bad)) {
        return this.fail(`plugin "${p.name}" returns an invalid score ${bad}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`);
      }
      if (rec !== null) for (let k = 0; k < count; k++) rec.scores[s][feasible[k]] = buf[k];
    }
    if (useMemo) return this.scoreLocalMemoizedAndSelect(pod, count, first);
    if (first) total.fill(0, 0, count); // nothing scored (all skipped or uniform): every node ties
    if (rec !== null) for (let k = 0; k < count; k++) rec.total[feasible[k]] = total[k];
    return this.selectHost(count);
  }

  /**
   * Node-local score plugins: their weighted sum per node is memoized per (template,
   * node version) and added to total[0..count) (assigned when `first`), in the same
   * pass that finds the top TotalScore; then selectHost's choice among the ties.
   * Returns the chosen node, or -1 on error.
   */
  private scoreLocalMemoizedAndSelect(pod: CompiledPod, count: number, first: boolean): number {
    const memo = this.scoreMemo.for(pod);
    const md = memo.data;
    const version = this.snapshot.nodeVersion;
    const feasible = this.feasible;
    const total = this.total;
    const miss = this.miss;
    const missAt = this.missPos;
    let m = 0;
    let bestScore = -1;
    let bestAt = -1;
    let ties = 0;
    for (let k = 0; k < count; k++) {
      const n = feasible[k];
      if (md[n << 1] === version[n]) {
        const v = md[(n << 1) | 1];
        const t = first ? v : total[k] + v;
        total[k] = t;
        if (t > bestScore) {
          bestScore = t;
          bestAt = k;
          ties = 1;
        } else if (t === bestScore) {
          ties++;
        }
      } else {
        miss[m] = n;
        missAt[m++] = k;
      }
    }
    if (m > 0) {
      const acc = this.missAcc;
      acc.fill(0, 0, m);
      const buf = this.scoreBuf;
      const prof = this.profile;
      for (let i = 0; i < this.localScores.length; i++) {
        const s = this.localScores[i];
        if (this.scoreSkipped[s] === 1) continue;
        const p = prof.score[s];
        if (p.score(this.state, pod, miss, m, buf) !== Code.Success) return this.fail(`running Score plugin "${p.name}"`);
        const w = prof.scoreWeights[s];
        for (let k = 0; k < m; k++) {
          const v = buf[k];
          if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
            return this.fail(`plugin "${p.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`);
          }
          acc[k] += v * w;
        }
      }
      for (let i = 0; i < m; i++) {
        const n = miss[i];
        const k = missAt[i];
        md[(n << 1) | 1] = acc[i];
        md[n << 1] = version[n];
        const t = first ? acc[i] : total[k] + acc[i];
        total[k] = t;
        if (t > bestScore) {
          bestScore = t;
          bestAt = k;
          ties = 1;
        } else if (t === bestScore) {
          ties++;
          if (k < bestAt) bestAt = k;
        }
      }
    }
    return this.pickAmongTies(count, bestScore, bestAt, ties);
  }

  /** The tie-break of selectHost over total[0..count), given the top score, its first position and the tie count. */
  private pickAmongTies(count: number, bestScore: number, bestAt: number, ties: number): number {
    if (ties > 1 && this.tieBreak === "reservoir" && !this.recording) {
      const total = this.total;
      let pick = this.random!.int(ties);
      for (let k = bestAt; k < count; k++) {
        if (total[k] === bestScore && pick-- === 0) return this.feasible[k];
      }
    }
    return this.feasible[bestAt];
  }

  /**
   * selectHost: the node with the highest TotalScore. Upstream breaks ties by
   * reservoir sampling (the k-th tied node replaces the pick with probability 1/k),
   * i.e. a uniform choice among the tied nodes; here the ties are counted first and
   * one draw picks among them, the same distribution with one random number per cycle.
   * With tieBreak "first", and in record mode, the first tied node in search order wins.
   */
  private selectHost(count: number): number {
    const total = this.total;
    let best = 0;
    let bestScore = total[0];
    let ties = 1;
    for (let k = 1; k < count; k++) {
      const s = total[k];
      if (s > bestScore) {
        bestScore = s;
        best = k;
        ties = 1;
      } else if (s === bestScore) {
        ties++;
      }
    }
    return this.pickAmongTies(count, bestScore, best, ties);
  }

  private fail(message: string): number {
    this.result.code = Code.Error;
    this.result.error = message;
    return -1;
  }

  private runPostFilter(pod: CompiledPod): void {
    if (this.recording) return;
    const pfs = this.profile.postFilter;
    for (let i = 0; i < pfs.length; i++) {
      const r = pfs[i].postFilter(this.state, pod, this);
      if (r.code === Code.Success) {
        this.result.nominatedNode = r.nominatedNode;
        return;
      }
    }
  }

  private grow(n: number): void {
    const c = Math.max(n, 16);
    this.cap = c;
    this.cand = new Int32Array(c);
    this.candPos = new Int32Array(c);
    this.verdicts = new Int32Array(c);
    this.feasible = new Int32Array(c);
    this.feasiblePos = new Int32Array(c);
    this.scoreBuf = new Int32Array(c);
    this.total = new Int32Array(c);
    this.miss = new Int32Array(c);
    this.missPos = new Int32Array(c);
    this.merged = new Int32Array(c);
    this.mergedPos = new Int32Array(c);
    this.missAcc = new Int32Array(c);
    const v = new Int32Array(c);
    v.set(this.nodeVerdict);
    this.nodeVerdict = v;
    const f = new Int16Array(c);
    f.set(this.nodeFailPlugin);
    this.nodeFailPlugin = f;
    const s = new Int32Array(c);
    s.set(this.nodeStamp);
    this.nodeStamp = s;
  }

  // -------------------------------------------------------------------------
  // FilterDiagnosis (PostFilter, explain, failure messages)

  /** Rejected in this cycle (only rejections are stamped; see filterBatch). */
  private rejectedThisCycle(node: number): boolean {
    return this.nodeStamp[node] === this.cycleNo && !(this.record !== null && this.record.feasible[node] === 1);
  }

  /** Not evaluated in this cycle because a PreFilterResult excluded it. */
  private excludedByPreFilter(node: number): boolean {
    const pf = this.state.preFilterNodes;
    if (pf === null || (this.record !== null && this.record.evaluated[node] === 1)) return false;
    return !pf.includes(node);
  }

  code(node: number): StatusCode {
    if (this.preFilterFailedBy !== "") return this.result.code;
    if (this.rejectedThisCycle(node)) return verdictCode(this.nodeVerdict[node]);
    if (this.excludedByPreFilter(node)) return Code.UnschedulableAndUnresolvable;
    return Code.Success;
  }

  failedPlugin(node: number): string {
    if (this.preFilterFailedBy !== "") return this.preFilterFailedBy;
    if (this.rejectedThisCycle(node)) return this.profile.filter[this.nodeFailPlugin[node]].name;
    if (this.excludedByPreFilter(node)) return this.preFilterRestrictedBy.join(",");
    return "";
  }

  reasons(node: number): string[] {
    if (this.preFilterFailedBy !== "") return [this.state.preFilterReason || `rejected by PreFilter plugin ${this.preFilterFailedBy}`];
    if (!this.rejectedThisCycle(node)) {
      if (this.excludedByPreFilter(node)) return [`node(s) didn't satisfy plugin(s) [${[...this.preFilterRestrictedBy].sort().join(" ")}]`];
      return [];
    }
    const v = this.nodeVerdict[node];
    const p = this.profile.filter[this.nodeFailPlugin[node]];
    const bits = verdictReasonBits(v);
    if (p.describe && this.currentPod !== null) return p.describe(this.state, this.currentPod, node, bits);
    const out: string[] = [];
    for (let b = 0; b < p.reasons.length; b++) if (bits & (1 << b)) out.push(p.reasons[b]);
    if (out.length === 0) out.push(`rejected by plugin ${p.name}`);
    return out;
  }

  /**
   * Upstream's FitError message: "0/N nodes are available: <count reason>, ...",
   * the "count reason" strings sorted as strings.
   */
  failureMessage(): string {
    const N = this.nodeCount;
    if (this.preFilterFailedBy !== "") return `0/${N} nodes are available: ${this.reasons(0)[0]}.`;
    const counts = new Map<string, number>();
    for (let n = 0; n < N; n++) {
      if (this.code(n) === Code.Success) continue;
      for (const r of this.reasons(n)) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    const parts = [...counts].map(([r, c]) => `${c} ${r}`).sort();
    return `0/${N} nodes are available: ${parts.join(", ")}.`;
  }

  /** The record of the last cycle as explain's per-node list (snapshot order). */
  explainNodes(): ExplainedNode[] {
    const rec = this.record;
    if (rec === null) throw new Error("explainNodes needs a cycle run in record mode");
    const out: ExplainedNode[] = [];
    for (let n = 0; n < this.nodeCount; n++) {
      const feasible = rec.feasible[n] === 1;
      const scores: Record<string, number> = {};
      if (feasible) {
        this.profile.score.forEach((p, s) => {
          scores[p.name] = rec.skippedScore[s] ? 0 : rec.scores[s][n];
        });
      }
      out.push({ name: this.snapshot.nodes.names[n], feasible, reasons: feasible ? [] : this.reasons(n), scores, total: feasible ? rec.total[n] : 0 });
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // Reserve (assume) and undo

  /**
   * Assume the pod on `node`: add it to the snapshot (requested sums, pod lists), then
   * run Reserve plugins; if one fails, Unreserve runs in reverse order and the pod is
   * taken off again. Returns the new pod row, or -1 when Reserve failed.
   */
  assume(pod: CompiledPod, name: string, node: number, startUs = 0): number {
    const id = this.snapshot.addPod(pod, name, node, startUs, true);
    const rs = this.profile.reserve;
    for (let i = 0; i < rs.length; i++) {
      if (rs[i].reserve(this.state, pod, node) !== Code.Success) {
        for (let j = i; j >= 0; j--) rs[j].unreserve(this.state, pod, node);
        this.snapshot.removePod(id);
        return -1;
      }
    }
    return id;
  }

  /** Unreserve (reverse order) and forget an assumed pod (binding failed). */
  forget(podId: number): void {
    const node = this.snapshot.podNode[podId];
    if (node < 0) return;
    const pod = this.snapshot.podCompiled[podId];
    const rs = this.profile.reserve;
    for (let j = rs.length - 1; j >= 0; j--) rs[j].unreserve(this.state, pod, node);
    this.snapshot.removePod(podId);
  }

  /** Run the bind plugins in order until one does not Skip (DefaultBinder marks it bound). */
  bind(podId: number): StatusCode {
    const node = this.snapshot.podNode[podId];
    const pod = this.snapshot.podCompiled[podId];
    for (const b of this.profile.bind) {
      const code = b.bind(this.state, pod, podId, node);
      if (code !== Code.Skip) return code;
    }
    return Code.Skip;
  }
}
