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
import { Code, type CycleState, type FilterDiagnosis, type StatusCode, verdictCode, verdictReasonBits } from "./framework.js";
import type { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";

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
  /** Index into profile.preFilter of the PreFilter plugin that failed the pod, -1 if none. */
  private preFilterFailed = -1;
  /** The status that PreFilter plugin returned. */
  private preFilterCode: StatusCode = Code.Success;
  /** Indices into profile.preFilter of the plugins whose PreFilterResult restricted the nodes. */
  private readonly restrictedBy: Int32Array;
  private restrictedCount = 0;

  constructor(
    private readonly profile: Profile,
    private readonly snapshot: Snapshot,
    private readonly state: CycleState,
  ) {
    this.restrictedBy = new Int32Array(profile.preFilter.length);
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
    const p = prof.filter[this.failedFilter[node]];
    const bits = verdictReasonBits(this.verdict[node]);
    if (p.describe && this.pod !== null) return p.describe(this.state, this.pod, node, bits);
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
    if (this.preFilterFailed >= 0) return `0/${N} nodes are available: ${this.reasons(0)[0]}.`;
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
}
