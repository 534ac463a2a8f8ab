/**
 * Why a cycle found no node: each node's filter status, read by PostFilter
 * (DefaultPreemption), by the queue (which events may help) and by messages.
 * Upstream builds a framework.Diagnosis (NodeToStatus, UnschedulablePlugins) in
 * schedule_one.go findNodesThatFitPod and prints it as a FitError
 * ("0/N nodes are available: ..."); kubesim explain prints each node's reasons.
 *
 * Statuses are written only for rejected nodes, stamped with the cycle number, so a
 * new cycle clears them all by bumping the stamp (no pass over the nodes). A failing
 * plugin is kept as an index (into the profile's filter list in the hot arrays, into
 * the profile's plugin list at the FilterDiagnosis seam); its name is looked up only
 * when a message is built.
 *
 * Record mode (kubesim explain) fills a CycleRecord: every node's evaluated/feasible
 * flag and each score plugin's normalized score, per node row.
 */
import { grown, nextCapacity } from "../engine/columns.js";
import type { CompiledPod } from "./compiled.js";
import { Code, type CycleState, type FilterDiagnosis, type FilterPlugin, type StatusCode, verdictCode, verdictReasonBits } from "./framework.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";
import { countReasons, fitErrorMessage, preFilterFitErrorMessage } from "./fitError.js";

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

export class CycleDiagnosis implements FilterDiagnosis {
  /** The current cycle's number; a node's status is valid when stamp[node] equals it. */
  cycle = 0;
  /** Per node row: the rejecting verdict (framework.ts verdict()). */
  verdict = new Int32Array(0);
  /** Per node row: the rejecting plugin, as an index into profile.filter. */
  failedFilter = new Int32Array(0);
  /** Per node row: the cycle that rejected it. */
  stamp = new Int32Array(0);
  /** The pod of the current cycle (for plugins' describe()). */
  pod: CompiledPod | null = null;
  /** The current cycle's record when record mode is on, else null. */
  record: CycleRecord | null = null;
  /**
   * The PostFilter plugins' status message of this cycle (upstream Diagnosis.PostFilterMsg:
   * the reasons of every plugin that did not succeed, joined by ", "), "" when none.
   */
  postFilterMessage = "";
  /** Index into profile.preFilter of the PreFilter plugin that failed the pod, -1 if none. */
  private preFilterFailed = -1;
  /** The status that PreFilter plugin returned. */
  private preFilterCode: StatusCode = Code.Success;
  /** Indices into profile.preFilter of the plugins whose PreFilterResult restricted the nodes. */
  private readonly restrictedBy: Int32Array;
  private restrictedCount = 0;
  /** Scratch for failureMessage(): the (verdict, filter) groups of rejected nodes and their sizes. */
  private readonly groupKeys: number[] = [];
  private readonly groupCounts: number[] = [];
  /** Scratch for failureMessage(): per filter plugin, its describe-per-node reason bits. */
  private readonly dynamicBits: Int32Array;
  /** failureMessage()'s last groups and text (see there). */
  private lastFailure = { nodes: -1, postFilter: "", keys: [] as number[], counts: [] as number[], message: "" };

  constructor(
    private readonly profile: Profile,
    private readonly snapshot: Snapshot,
    private readonly state: CycleState,
  ) {
    this.restrictedBy = new Int32Array(profile.preFilter.length);
    this.dynamicBits = new Int32Array(profile.filter.length);
  }

  get nodeCount(): number {
    return this.snapshot.nodes.count;
  }

  /** Room for `nodes` node rows; statuses already written are kept. */
  ensure(nodes: number): void {
    if (this.stamp.length >= nodes) return;
    const c = nextCapacity(this.stamp.length, nodes);
    this.verdict = grown(this.verdict, c);
    this.failedFilter = grown(this.failedFilter, c);
    this.stamp = grown(this.stamp, c);
  }

  /** A new cycle for `pod`: every node status of the previous cycle becomes stale. */
  begin(pod: CompiledPod): void {
    this.cycle++;
    this.pod = pod;
    this.record = null;
    this.postFilterMessage = "";
  }

  /** Forget the previous PreFilter outcome (called when PreFilter starts). */
  resetPreFilter(): void {
    this.preFilterFailed = -1;
    this.restrictedCount = 0;
  }

  /** PreFilter plugin `i` (profile.preFilter index) returned a PreFilterResult. */
  restrictedByPreFilter(i: number): void {
    this.restrictedBy[this.restrictedCount++] = i;
  }

  /** PreFilter plugin `i` failed the pod with `code`. */
  failedAtPreFilter(i: number, code: StatusCode): void {
    this.preFilterFailed = i;
    this.preFilterCode = code;
  }

  /** Rejected in this cycle (only rejections are stamped; see FilterRunner.runFilter). */
  private rejectedThisCycle(node: number): boolean {
    return this.stamp[node] === this.cycle && !(this.record !== null && this.record.feasible[node] === 1);
  }

  /** Not evaluated in this cycle because a PreFilterResult excluded it. */
  private excludedByPreFilter(node: number): boolean {
    const pf = this.state.preFilterNodes;
    if (pf === null || (this.record !== null && this.record.evaluated[node] === 1)) return false;
    return !pf.includes(node);
  }

  code(node: number): StatusCode {
    if (this.preFilterFailed >= 0) return this.preFilterCode;
    if (this.rejectedThisCycle(node)) return verdictCode(this.verdict[node]);
    if (this.excludedByPreFilter(node)) return Code.UnschedulableAndUnresolvable;
    return Code.Success;
  }

  failedPlugins(node: number, out: Int32Array): number {
    const prof = this.profile;
    if (this.preFilterFailed >= 0) {
      out[0] = prof.preFilterPluginIndex[this.preFilterFailed];
      return 1;
    }
    if (this.rejectedThisCycle(node)) {
      out[0] = prof.filterPluginIndex[this.failedFilter[node]];
      return 1;
    }
    if (this.excludedByPreFilter(node)) {
      for (let i = 0; i < this.restrictedCount; i++) out[i] = prof.preFilterPluginIndex[this.restrictedBy[i]];
      return this.restrictedCount;
    }
    return 0;
  }

  reasons(node: number): string[] {
    const prof = this.profile;
    if (this.preFilterFailed >= 0) return [this.state.preFilterReason || `rejected by PreFilter plugin ${prof.preFilter[this.preFilterFailed].name}`];
    if (!this.rejectedThisCycle(node)) {
      if (this.excludedByPreFilter(node)) {
        const names = Array.from(this.restrictedBy.subarray(0, this.restrictedCount), (i) => prof.preFilter[i].name);
        return [`node(s) didn't satisfy plugin(s) [${names.sort().join(" ")}]`];
      }
      return [];
    }
    if (this.pod === null) return [];
    return verdictReasons(prof.filter[this.failedFilter[node]], this.state, this.pod, node, this.verdict[node]);
  }

  /**
   * Upstream's FitError message (fitError.ts): "0/N nodes are available: <count
   * reason>, ...." followed by the PostFilter plugins' message, if any.
   */
  failureMessage(): string {
    const N = this.nodeCount;
    // Rows without a Node object (Snapshot.absent) are neither counted nor reasons.
    const present = this.snapshot.presentNodeCount;
    const absent = this.snapshot.absentNodes > 0 ? this.snapshot.absent : null;
    if (this.preFilterFailed >= 0) return preFilterFitErrorMessage(present, this.reasons(0)[0], this.postFilterMessage);
    // Nodes are counted per (filter, verdict) group with integer keys, and each group is
    // turned into text once; only verdicts whose text depends on the node (describe
    // with dynamicReasonBits) are described per node. A failure whose groups equal the
    // previous one's returns the previous text (exact: the text is a function of them).
    const filters = this.profile.filter;
    // Per filter: the reason bits that need describe() per node (-1: all, 0: none).
    const dynamic = this.dynamicBits;
    for (let f = 0; f < filters.length; f++) dynamic[f] = filters[f].describe ? (filters[f].dynamicReasonBits ?? -1) : 0;
    const keys = this.groupKeys;
    const counts = this.groupCounts;
    const stamp = this.stamp;
    const cycle = this.cycle;
    const verdicts = this.verdict;
    const failed = this.failedFilter;
    const rec = this.record;
    const restricted = this.state.preFilterNodes !== null;
    let k = 0;
    let at = -1;
    let excluded = 0;
    let excludedAt = -1;
    let perNode: number[] | null = null;
    for (let n = 0; n < N; n++) {
      if (absent !== null && absent[n] === 1) continue;
      if (stamp[n] === cycle && !(rec !== null && rec.feasible[n] === 1)) {
        // Rejected in this cycle (rejectedThisCycle, inlined).
        const f = failed[n];
        const v = verdicts[n] >>> 0; // unsigned, so the key decodes with % and /
        if ((verdictReasonBits(v) & dynamic[f]) !== 0) {
          (perNode ??= []).push(n);
          continue;
        }
        const key = v * GROUP_KEY_SCALE + f;
        if (at < 0 || keys[at] !== key) {
          at = 0;
          while (at < k && keys[at] !== key) at++;
          if (at === k) {
            keys[k] = key;
            counts[k++] = 0;
          }
        }
        counts[at]++;
      } else if (restricted && this.excludedByPreFilter(n)) {
        excluded++;
        excludedAt = n;
      }
    }
    keys.length = k;
    counts.length = k;
    const memo = this.lastFailure;
    // Memoized only when every node's text comes from its group (none per node, none
    // excluded by a PreFilterResult, whose text names the restricting plugins).
    const memoizable = perNode === null && excluded === 0;
    if (memoizable && memo.nodes === present && memo.postFilter === this.postFilterMessage && sameNumbers(memo.keys, keys) && sameNumbers(memo.counts, counts)) {
      return memo.message;
    }
    const reasons = new Map<string, number>();
    for (let g = 0; g < k; g++) {
      const f = keys[g] % GROUP_KEY_SCALE;
      for (const r of verdictReasons(filters[f], this.state, this.pod!, -1, (keys[g] - f) / GROUP_KEY_SCALE)) reasons.set(r, (reasons.get(r) ?? 0) + counts[g]);
    }
    if (perNode !== null) for (const n of perNode) countReasons(reasons, this.reasons(n));
    if (excluded > 0) for (const r of this.reasons(excludedAt)) reasons.set(r, (reasons.get(r) ?? 0) + excluded);
    const message = fitErrorMessage(present, reasons, this.postFilterMessage);
    if (memoizable) this.lastFailure = { nodes: present, postFilter: this.postFilterMessage, keys: keys.slice(), counts: counts.slice(), message };
    return message;
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
}

/**
 * The upstream reason strings of a filter verdict of `plugin` for `node`: the plugin's
 * describe() when it has one and the verdict needs it (dynamic text such as
 * "Insufficient example.com/gpu"), else its reasons[] per reason bit; "rejected by
 * plugin X" when no bit is known. `node` is not read when describe() is not called.
 */
export function verdictReasons(plugin: FilterPlugin, state: CycleState, pod: CompiledPod, node: number, verdict: number): string[] {
  const bits = verdictReasonBits(verdict);
  if (needsNode(plugin, verdict)) return plugin.describe!(state, pod, node, bits);
  const out: string[] = [];
  for (let b = 0; b < plugin.reasons.length; b++) if (bits & (1 << b)) out.push(plugin.reasons[b]);
  if (out.length === 0) out.push(`rejected by plugin ${plugin.name}`);
  return out;
}

/** Whether the text of `verdict` comes from describe() for a given node (see FilterPlugin.dynamicReasonBits). */
function needsNode(plugin: FilterPlugin, verdict: number): boolean {
  if (!plugin.describe) return false;
  return plugin.dynamicReasonBits === undefined || (verdictReasonBits(verdict) & plugin.dynamicReasonBits) !== 0;
}

/** failureMessage's group key is (unsigned verdict) * GROUP_KEY_SCALE + filter index (exact in a double: verdicts are 32-bit). */
const GROUP_KEY_SCALE = 1 << 16;

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
