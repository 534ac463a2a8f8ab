/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread).
 *
 * Counting: pods in the incoming pod's namespace matching a constraint's selector, not
 * terminating, on nodes that have every topology key of the phase's constraints and
 * pass the node inclusion policies (nodeAffinityPolicy Honor by default,
 * nodeTaintsPolicy Ignore by default). A null selector matches nothing; `{}` counts
 * nothing (upstream countPodsMatchSelector) although the pod matches itself.
 *
 * Filter (DoNotSchedule constraints), per constraint in order:
 *   node without the key      -> UnschedulableAndUnresolvable (missing required label)
 *   skew = count(node's domain) + self - minMatch, where self = 1 if the pod matches
 *   the selector and minMatch = min over counted domains, or 0 when there are fewer
 *   domains than minDomains; skew > maxSkew -> Unschedulable.
 * PreFilter returns Skip when there is no DoNotSchedule constraint.
 *
 * Score (ScheduleAnyway constraints, or the defaults):
 *   PreScore ignores feasible nodes lacking a key (unless system defaults apply),
 *   topoSize = #non-ignored feasible nodes (hostname) or #distinct values among them,
 *   weight = ln(topoSize + 2); counts cover all nodes of the snapshot (also nodes that
 *   failed filtering). raw(node) = round( sum cnt*weight + (maxSkew - 1) ), with cnt the
 *   node's own matching pods for the hostname key, else its domain's count.
 *   NormalizeScore: ignored nodes 0; max == 0 -> 100; else 100*(max+min-raw) div max.
 *   PreScore returns Skip when there is no ScheduleAnyway constraint.
 */
import type { CompiledPod } from "../compiled.js";
import { Code, MAX_NODE_SCORE, verdict, type CycleState, type FilterPlugin, type FrameworkHandle, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type StatusCode } from "../framework.js";
import type { Snapshot } from "../snapshot.js";
import { PodGroups } from "./interpodaffinity/podGroups.js";
import { compilePodConstraints, type DefaultConstraint, type PodSpreadConstraints, type SpreadArgs } from "./podtopologyspread/constraints.js";
import { SpreadView } from "./podtopologyspread/spreadView.js";

export const NAME = "PodTopologySpread";

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";

const BIT_CONSTRAINTS = 1;
const BIT_NODE_LABEL = 2;

export interface PodTopologySpreadArgs {
  defaultingType?: "System" | "List";
  defaultConstraints?: DefaultConstraint[];
}

/** A template's constraints and their views, per plugin instance (defaults depend on args). */
interface SpreadSpec {
  readonly constraints: PodSpreadConstraints;
  hardViews: SpreadView[] | null;
  softViews: SpreadView[] | null;
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly reasons = [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH] as const;
  readonly args: SpreadArgs;
  private readonly specs = new WeakMap<CompiledPod, SpreadSpec>();

  // PreFilter state (reused every cycle).
  private skipped = true;
  private hard: SpreadView[] = [];
  private counts: Int32Array[] = [];
  private marks: Int32Array[] = [];
  private stamp = 0;
  private minMatch = new Int32Array(4);
  private groups: PodGroups | null = null;

  // PreScore state.
  private soft: SpreadView[] = [];
  private weights = new Float64Array(4);
  /** Per soft constraint: matching pods per domain value (other keys) or per node row (hostname). */
  private scoreCounts: Int32Array[] = [];
  private scoreTouched: number[][] = [];
  private ignoredMark = new Int32Array(0);
  private scoreStamp = 0;
  private valueMark = new Int32Array(0);
  private valueStamp = 0;

  constructor(args: PodTopologySpreadArgs = {}) {
    const list = args.defaultConstraints ?? [];
    this.args = { defaultingType: args.defaultingType ?? (list.length > 0 ? "List" : "System"), defaultConstraints: list };
  }

  private spec(pod: CompiledPod, snapshot: Snapshot): SpreadSpec {
    let s = this.specs.get(pod);
    if (!s) {
      s = { constraints: compilePodConstraints(pod, snapshot, this.args), hardViews: null, softViews: null };
      this.specs.set(pod, s);
    }
    return s;
  }

  // ---------------------------------------------------------------------------
  // PreFilter / Filter

  preFilter(state: CycleState, pod: CompiledPod): StatusCode {
    const snapshot = state.snapshot;
    const spec = this.spec(pod, snapshot);
    const hard = spec.constraints.hard;
    if (hard.length === 0) {
      this.skipped = true;
      return Code.Skip;
    }
    for (const c of hard) {
      if (c.parseError !== null) {
        // Upstream: building the PreFilter state fails -> Error.
        this.skipped = true;
        state.preFilterReason = `calculating preFilterState: ${c.parseError}`;
        return Code.Error;
      }
    }
    this.skipped = false;
    const groups = PodGroups.of(snapshot);
    groups.sync();
    this.groups = groups;
    if (spec.hardViews === null) {
      const keys = hard.map((c) => c.key);
      spec.hardViews = hard.map((c) => new SpreadView(c, keys, pod, snapshot, groups));
    }
    this.hard = spec.hardViews;
    this.ensureScratch(hard.length, groups.valueCapacity);
    const stamp = ++this.stamp;
    for (let i = 0; i < hard.length; i++) {
      const view = this.hard[i];
      view.refresh();
      const cnt = this.counts[i];
      const mark = this.marks[i];
      const domains = view.domains;
      for (let d = 0; d < domains.length; d++) {
        const v = domains[d];
        cnt[v] = 0;
        mark[v] = stamp;
      }
      view.accumulate(cnt, mark, stamp);
      this.minMatch[i] = this.globalMin(i);
    }
    return Code.Success;
  }

  /** Minimum matching pods over the counted domains; 0 below minDomains (upstream minMatchNum). */
  private globalMin(i: number): number {
    const view = this.hard[i];
    const domains = view.domains;
    if (domains.length < view.c.minDomains) return 0;
    const cnt = this.counts[i];
    let min = Infinity;
    for (let d = 0; d < domains.length; d++) if (cnt[domains[d]] < min) min = cnt[domains[d]];
    return min === Infinity ? 0 : min;
  }

  /** Returns true when every node passed (the cycle's hint to skip scanning `out`). */
  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    const views = this.hard;
    const nc = views.length;
    const stamp = this.stamp;
    if (nc === 1) {
      const view = views[0];
      return filterOneConstraint(nodes, count, out, view.col, this.marks[0], this.counts[0], stamp, view.c.selfMatch - this.minMatch[0], view.c.maxSkew);
    }
    let allPass = true;
    for (let k = 0; k < count; k++) {
      const n = nodes[k];
      let result = 0;
      for (let i = 0; i < nc; i++) {
        const view = views[i];
        const v = view.col[n];
        if (v < 0) {
          result = verdict(Code.UnschedulableAndUnresolvable, BIT_NODE_LABEL);
          break;
        }
        const matchNum = this.marks[i][v] === stamp ? this.counts[i][v] : 0;
        const skew = matchNum + view.c.selfMatch - this.minMatch[i];
        if (skew > view.c.maxSkew) {
          result = verdict(Code.Unschedulable, BIT_CONSTRAINTS);
          break;
        }
      }
      out[k] = result;
      if (result !== 0) allPass = false;
    }
    return allPass;
  }

  /** PreFilterExtensions.AddPod: as if pod row `podToAdd` were on `node`. */
  addPod(state: CycleState, pod: CompiledPod, podToAdd: number, node: number): void {
    this.updateWithPod(podToAdd, node, 1);
  }

  /** PreFilterExtensions.RemovePod: the exact inverse of addPod. */
  removePod(state: CycleState, pod: CompiledPod, podToRemove: number, node: number): void {
    this.updateWithPod(podToRemove, node, -1);
  }

  private updateWithPod(row: number, node: number, d: number): void {
    if (this.skipped || this.groups === null) return;
    const g = this.groups.groupOfRow(row);
    for (let i = 0; i < this.hard.length; i++) {
      const view = this.hard[i];
      if (!view.considers(node) || !view.matchesGroup(g)) continue;
      const v = view.col[node];
      if (this.marks[i][v] !== this.stamp) continue;
      this.counts[i][v] += d;
      this.minMatch[i] = this.globalMin(i);
    }
  }

  private ensureScratch(n: number, cap: number): void {
    while (this.counts.length < n) {
      this.counts.push(new Int32Array(cap));
      this.marks.push(new Int32Array(cap));
    }
    for (let i = 0; i < n; i++) {
      if (this.counts[i].length < cap) {
        this.counts[i] = new Int32Array(cap);
        this.marks[i] = new Int32Array(cap);
      }
    }
    if (this.minMatch.length < n) this.minMatch = new Int32Array(n);
  }

  // ---------------------------------------------------------------------------
  // PreScore / Score / NormalizeScore

  preScore(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number): StatusCode {
    const snapshot = state.snapshot;
    const spec = this.spec(pod, snapshot);
    const soft = spec.constraints.soft;
    if (soft.length === 0 || count === 0) return Code.Skip;
    for (const c of soft) if (c.parseError !== null) return Code.Error;
    const groups = PodGroups.of(snapshot);
    groups.sync();
    // Pods with own constraints, and List defaults, need every key on a node.
    const requireAll = spec.constraints.explicit || this.args.defaultingType === "List";
    if (spec.softViews === null) {
      const keys = requireAll ? soft.map((c) => c.key) : [];
      spec.softViews = soft.map((c) => new SpreadView(c, keys, pod, snapshot, groups));
    }
    this.soft = spec.softViews;
    if (this.weights.length < soft.length) this.weights = new Float64Array(soft.length);
    const valueCap = groups.valueCapacity;
    const nodeCap = snapshot.nodes.capacity;
    for (let i = 0; i < soft.length; i++) {
      if (i === this.scoreCounts.length) {
        this.scoreCounts.push(new Int32Array(0));
        this.scoreTouched.push([]);
      }
      const sc = this.scoreCounts[i];
      const touched = this.scoreTouched[i];
      for (let k = 0; k < touched.length; k++) sc[touched[k]] = 0;
      touched.length = 0;
      const need = Math.max(valueCap, nodeCap);
      if (sc.length < need) this.scoreCounts[i] = new Int32Array(need);
    }
    if (this.ignoredMark.length < snapshot.nodes.capacity) this.ignoredMark = new Int32Array(snapshot.nodes.capacity);
    if (this.valueMark.length < groups.valueCapacity + 1) this.valueMark = new Int32Array(groups.valueCapacity + 1);

    // Ignored nodes: feasible nodes without every key.
    const stamp = ++this.scoreStamp;
    let ignored = 0;
    if (requireAll) {
      for (let k = 0; k < count; k++) {
        const n = nodes[k];
        for (let i = 0; i < this.soft.length; i++) {
          if (this.soft[i].col[n] < 0) {
            this.ignoredMark[n] = stamp;
            ignored++;
            break;
          }
        }
      }
    }
    const missing = this.valueMark.length - 1; // a slot for "node without the key"
    for (let i = 0; i < this.soft.length; i++) {
      const view = this.soft[i];
      view.refresh();
      let topoSize = 0;
      const sc = this.scoreCounts[i];
      if (view.c.isHostname) {
        topoSize = count - ignored;
        view.accumulateNodes(sc, this.scoreTouched[i]);
      } else {
        const vs = ++this.valueStamp;
        const touched = this.scoreTouched[i];
        for (let k = 0; k < count; k++) {
          const n = nodes[k];
          if (this.ignoredMark[n] === stamp) continue;
          const v = view.col[n];
          // Upstream keys domains by node.Labels[key]: a node without it is the "" domain.
          const slot = v < 0 ? missing : v;
          if (this.valueMark[slot] !== vs) {
            this.valueMark[slot] = vs;
            topoSize++;
            if (v >= 0) touched.push(v);
          }
        }
        // Counts over all nodes, for the domains of the non-ignored feasible nodes.
        view.accumulate(sc, this.valueMark, vs);
      }
      this.weights[i] = Math.log(topoSize + 2);
    }
    return Code.Success;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const views = this.soft;
    for (let k = 0; k < count; k++) {
      const n = nodes[k];
      let raw = 0;
      for (let i = 0; i < views.length; i++) {
        const view = views[i];
        const v = view.col[n];
        if (v < 0) continue;
        const cnt = this.scoreCounts[i][view.c.isHostname ? n : v];
        raw += cnt * this.weights[i] + (view.c.maxSkew - 1);
      }
      out[k] = Math.round(raw);
    }
    return Code.Success;
  }

  normalizeScore(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, scores: Int32Array): StatusCode {
    const stamp = this.scoreStamp;
    let min = Infinity;
    let max = 0;
    for (let k = 0; k < count; k++) {
      if (this.ignoredMark[nodes[k]] === stamp) continue;
      const s = scores[k];
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let k = 0; k < count; k++) {
      if (this.ignoredMark[nodes[k]] === stamp) scores[k] = 0;
      else if (max === 0) scores[k] = MAX_NODE_SCORE;
      else scores[k] = Math.floor((MAX_NODE_SCORE * (max + min - scores[k])) / max);
    }
    return Code.Success;
  }
}

const FAIL_LABEL = verdict(Code.UnschedulableAndUnresolvable, BIT_NODE_LABEL);
const FAIL_SKEW = verdict(Code.Unschedulable, BIT_CONSTRAINTS);

/** Hot loop for one DoNotSchedule constraint: skew = count(domain) + self - minMatch. */
function filterOneConstraint(nodes: Int32Array, count: number, out: Int32Array, col: Int32Array, marks: Int32Array, counts: Int32Array, stamp: number, base: number, maxSkew: number): boolean {
  let rejected = 0;
  for (let k = 0; k < count; k++) {
    const v = col[nodes[k]];
    const r = v < 0 ? FAIL_LABEL : (marks[v] === stamp ? counts[v] : 0) + base > maxSkew ? FAIL_SKEW : 0;
    out[k] = r;
    rejected |= r;
  }
  return rejected === 0;
}

/** Registry factory: args are PodTopologySpreadArgs (already validated by the config reader). */
export function newPodTopologySpread(args: unknown, _handle?: FrameworkHandle): PodTopologySpread {
  return new PodTopologySpread((args ?? {}) as PodTopologySpreadArgs);
}
