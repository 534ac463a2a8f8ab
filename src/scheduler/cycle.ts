/**
 * One scheduling cycle (pkg/scheduler/schedule_one.go: schedulePod,
 * findNodesThatFitPod, prioritizeNodes, selectHost), over the batched plugin
 * interfaces of framework.ts. SchedulingCycle is the façade the scheduler, the
 * configuration runtime, explain and the benchmark use; the work is done by its parts:
 *
 *   PreFilter -> nominated-node fast path -> Filter (from nextStartNodeIndex, until
 *   numFeasibleNodesToFind feasible nodes)                         filter.ts, filterMemo.ts
 *   -> [no node: PostFilter, with the per-node statuses]           diagnosis.ts
 *   -> [one node: chosen, no scoring]
 *   -> PreScore -> Score -> NormalizeScore -> weights -> selectHost prioritize.ts
 *   then Reserve (assume) / Unreserve (forget) / Bind              assume.ts
 *
 * The plugin lists per extension point are the Profile (profile.ts); the node-sized
 * buffers are shared (cycleBuffers.ts) and reused, so a cycle allocates nothing
 * unless record mode (kubesim explain) is on. Record mode evaluates every node,
 * bypasses the memos, breaks ties by search order and fills `record`.
 */
import type { RandomStream } from "../engine/random.js";
import type { CompiledPod } from "./compiled.js";
import { assume, bind, forget } from "./assume.js";
import { DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE } from "./config/defaults.js";
import { CycleBuffers } from "./cycleBuffers.js";
import { CycleDiagnosis, CycleRecord, type ExplainedNode } from "./diagnosis.js";
import { FilterRunner } from "./filter.js";
import { Code, CycleState, type FilterDiagnosis, type StatusCode } from "./framework.js";
import { Prioritizer, type TieBreak } from "./prioritize.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";

export { Profile } from "./profile.js";
export { CycleRecord, type ExplainedNode } from "./diagnosis.js";
export type { TieBreak } from "./prioritize.js";
export { DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE };

/** pkg/scheduler/schedule_one.go minFeasibleNodesToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** pkg/scheduler/schedule_one.go minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

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

export class SchedulingCycle implements FilterDiagnosis {
  readonly state = new CycleState();
  readonly result = new CycleResult();
  /** Where the next search starts (Scheduler.nextStartNodeIndex). */
  nextStartNodeIndex = 0;

  private readonly globalPercentage: number;
  private readonly buf = new CycleBuffers();
  private readonly diagnosis: CycleDiagnosis;
  private readonly filters: FilterRunner;
  private readonly prioritizer: Prioritizer;

  constructor(
    readonly profile: Profile,
    readonly snapshot: Snapshot,
    opts: CycleOptions = {},
  ) {
    const tieBreak = opts.tieBreak ?? "reservoir";
    const random = opts.random ?? null;
    if (tieBreak === "reservoir" && !random) throw new Error("tieBreak 'reservoir' needs a seeded random stream (opts.random)");
    this.globalPercentage = opts.percentageOfNodesToScore ?? DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE;
    this.state.reset(snapshot, -1, false);
    const memoize = opts.memoize !== false;
    this.diagnosis = new CycleDiagnosis(profile, snapshot, this.state);
    this.filters = new FilterRunner(profile, snapshot, this.state, this.buf, this.diagnosis, memoize);
    this.prioritizer = new Prioritizer(profile, snapshot, this.state, this.buf, this.diagnosis, tieBreak, random, memoize);
  }

  get nodeCount(): number {
    return this.snapshot.nodes.count;
  }

  /** The last cycle's record when record mode was on, else null. */
  get record(): CycleRecord | null {
    return this.diagnosis.record;
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
    const diag = this.diagnosis;
    diag.begin(pod);
    this.buf.ensure(N);
    diag.ensure(N);
    const state = this.state;
    state.reset(snap, podId, record);
    if (N === 0) {
      res.code = Code.UnschedulableAndUnresolvable;
      res.error = "no nodes available to schedule pods";
      return res;
    }
    if (record) diag.record = new CycleRecord(N, this.profile.score.length);

    const filters = this.filters;
    const preFilterCode = filters.runPreFilter(pod);
    if (preFilterCode !== Code.Success) {
      res.code = preFilterCode;
      if (preFilterCode === Code.Error) res.error = state.preFilterReason;
      else this.runPostFilter(pod);
      return res;
    }

    // Nominated node fast path (evaluateNominatedNode): if it passes, it is the choice.
    if (nominatedNode >= 0 && nominatedNode < N && !record) {
      this.buf.cand[0] = nominatedNode;
      this.buf.candPos[0] = 0;
      if (filters.filterBatch(pod, 1) === 1) {
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
    const found = filters.findFeasible(pod, restricted, M, numToFind, this.nextStartNodeIndex % M);
    const processed = filters.processed;
    // Upstream takes the modulus over all nodes, even when the search list was a PreFilterResult.
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % N;
    res.evaluatedNodes = processed;
    res.feasibleNodes = found;
    const feasible = this.buf.feasible;
    if (record) for (let i = 0; i < found; i++) diag.record!.feasible[feasible[i]] = 1;

    if (found === 0) {
      res.code = Code.Unschedulable;
      filters.stampMemoRejections(pod, restricted, M);
      // Unschedulable unless every rejection was UnschedulableAndUnresolvable.
      let resolvable = false;
      for (let i = 0; i < M && !resolvable; i++) {
        const n = restricted === null ? i : restricted[i];
        if (diag.code(n) === Code.Unschedulable) resolvable = true;
      }
      if (!resolvable) res.code = Code.UnschedulableAndUnresolvable;
      this.runPostFilter(pod);
      return res;
    }
    if (found === 1 && !record) {
      res.node = feasible[0];
      return res;
    }
    const chosen = this.prioritizer.prioritize(pod, found);
    if (chosen < 0) {
      res.code = Code.Error;
      res.error = this.prioritizer.error;
      return res;
    }
    res.node = chosen;
    return res;
  }

  /**
   * PostFilter plugins in order until one succeeds (it may nominate a node); not in
   * record mode. As upstream's RunPostFilterPlugins, the messages of the plugins that
   * did not succeed are joined by ", " into the diagnosis (the FitError's last part);
   * an UnschedulableAndUnresolvable answer stops the loop with its message alone.
   */
  private runPostFilter(pod: CompiledPod): void {
    const diag = this.diagnosis;
    if (diag.record !== null) return;
    const pfs = this.profile.postFilter;
    let message = "";
    for (let i = 0; i < pfs.length; i++) {
      const r = pfs[i].postFilter(this.state, pod, diag);
      if (r.code === Code.Success) {
        this.result.nominatedNode = r.nominatedNode;
        return;
      }
      if (r.code === Code.UnschedulableAndUnresolvable) {
        message = r.message ?? "";
        break;
      }
      if (r.message) message = message === "" ? r.message : `${message}, ${r.message}`;
    }
    diag.postFilterMessage = message;
  }

  // -------------------------------------------------------------------------
  // FilterDiagnosis of the last cycle (diagnosis.ts)

  code(node: number): StatusCode {
    return this.diagnosis.code(node);
  }

  failedPlugins(node: number, out: Int32Array): number {
    return this.diagnosis.failedPlugins(node, out);
  }

  reasons(node: number): string[] {
    return this.diagnosis.reasons(node);
  }

  /** Upstream's FitError message: "0/N nodes are available: <count reason>, ...". */
  failureMessage(): string {
    return this.diagnosis.failureMessage();
  }

  /** The record of the last cycle as explain's per-node list (snapshot order). */
  explainNodes(): ExplainedNode[] {
    return this.diagnosis.explainNodes();
  }

  // -------------------------------------------------------------------------
  // Reserve (assume), Unreserve (forget), Bind (assume.ts)

  /** Assume the pod on `node` and run Reserve; returns the new pod row, or -1 when Reserve failed. */
  assume(pod: CompiledPod, name: string, node: number, startUs = 0): number {
    return assume(this.profile, this.state, this.snapshot, pod, name, node, startUs);
  }

  /** Unreserve (reverse order) and forget an assumed pod (binding failed). */
  forget(podId: number): void {
    forget(this.profile, this.state, this.snapshot, podId);
  }

  /** Run the bind plugins in order until one does not Skip (DefaultBinder marks it bound). */
  bind(podId: number): StatusCode {
    return bind(this.profile, this.state, this.snapshot, podId);
  }
}
