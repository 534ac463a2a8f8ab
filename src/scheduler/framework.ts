/**
 * The scheduling framework: the extension points of kube-scheduler
 * (pkg/scheduler/framework/interface.go) as batched TypeScript interfaces.
 *
 * Upstream calls Filter/Score once per (plugin, node). Here every call receives the
 * whole candidate list, an Int32Array of node indices into the snapshot, and writes
 * its answers into a preallocated typed array (measured on our 2-core machine: a
 * plugin that loops over the whole list is ~2.5x faster than a call per node, and
 * ~5x faster than a plugin object per node). The semantics are upstream's:
 *
 *   PreFilter  once per pod; Skip => this plugin's Filter is not run for the pod;
 *              a PreFilterResult (state.restrictNodes) limits the nodes evaluated,
 *              results of several plugins are intersected.
 *   Filter     per node, plugins in profile order, a node stops at its first failure.
 *   PostFilter only when no node is feasible (DefaultPreemption); may nominate a node.
 *   PreScore   once per pod with the feasible nodes; Skip => the plugin's Score is not
 *              run and it contributes 0 to every node.
 *   Score      raw per-node scores, then the plugin's own NormalizeScore over the list;
 *              after normalization each score must lie in [0, MAX_NODE_SCORE]; the
 *              cycle multiplies by the plugin weight and sums (TotalScore).
 *   Reserve/Unreserve, Bind.
 *
 * Nodes are integers (rows of the snapshot's node table), pods are integers (rows of
 * the snapshot's pod table) or a CompiledPod (the requirements shared by all
 * replicas of one template). Plugins must not allocate per node.
 */
import type { CompiledPod } from "./compiled.js";
import type { Snapshot } from "./snapshot.js";

// ---------------------------------------------------------------------------
// Status codes (framework.Code). Plain numbers so hot loops store them in typed arrays.

export const Code = {
  Success: 0,
  /** The node cannot host the pod now; preemption may help. */
  Unschedulable: 1,
  /** The node cannot host the pod and preemption will not help (skipped by DefaultPreemption). */
  UnschedulableAndUnresolvable: 2,
  /** An internal error: the cycle fails for this pod. */
  Error: 3,
  /** PreFilter/PreScore: this plugin has nothing to do for this pod. */
  Skip: 4,
  /** Permit: wait. */
  Wait: 5,
} as const;
export type StatusCode = (typeof Code)[keyof typeof Code];

/** Upstream framework.MaxNodeScore / MinNodeScore (interface.go). */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** Upstream's message for a score outside [MIN_NODE_SCORE, MAX_NODE_SCORE] after NormalizeScore (runtime/framework.go RunScorePlugins), verbatim. */
export function invalidScoreMessage(plugin: string, score: number): string {
  return `plugin "${plugin}" returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`;
}

/**
 * A filter verdict for one node, stored in an Int32Array: 0 means the node passes;
 * otherwise the low 4 bits are the status code and the bits above are the plugin's
 * reason bits (bit i => plugin.reasons[i], or plugin.describe for dynamic text).
 */
export const VERDICT_CODE_MASK = 0xf;
export const VERDICT_REASON_SHIFT = 4;

export function verdict(code: StatusCode, reasonBits: number): number {
  return code | (reasonBits << VERDICT_REASON_SHIFT);
}
export function verdictCode(v: number): StatusCode {
  return (v & VERDICT_CODE_MASK) as StatusCode;
}
export function verdictReasonBits(v: number): number {
  return v >>> VERDICT_REASON_SHIFT;
}

// ---------------------------------------------------------------------------
// Cycle state

/**
 * Per-pod state of one scheduling cycle (framework.CycleState). One instance is
 * reused for every cycle of a profile, so it allocates nothing per pod.
 *
 * Plugins may keep per-cycle data in `data` (keyed by plugin name, like upstream's
 * StateKey) or in their own fields; either way PreFilter must fully (re)initialise it,
 * and the PreFilterExtensions addPod/removePod must be exact inverses so a preemption
 * dry run can undo itself.
 */
export class CycleState {
  /** The cluster as the scheduler sees it (assumed pods included). */
  snapshot!: Snapshot;
  /** Snapshot row of the pod being scheduled when it has one, else -1. */
  podId = -1;
  /** Record mode (kubesim explain): every node is evaluated, nothing is sampled. */
  recording = false;
  /**
   * The pod of this cycle as namespace/name, for messages only (a custom plugin's
   * error names it). Set by the caller before the cycle; "" when unnamed.
   */
  podName = "";
  /** Plugin-owned per-cycle data, keyed by plugin name. */
  readonly data = new Map<string, unknown>();

  /** PreFilterResult: node indices the pod may go to (sorted, unique), or null for all. */
  preFilterNodes: Int32Array | null = null;
  /** Reason text for a PreFilter failure (shown by explain and in the failure message). */
  preFilterReason = "";
  /**
   * Set by a Score plugin (in score or normalizeScore) when every node got the same
   * final score; the cycle then skips adding it (a constant offset never changes the
   * choice). Scores must still be written. Reset by the cycle before each plugin.
   */
  scoresUniform = false;

  /**
   * PreFilterResult (framework.PreFilterResult): limit this cycle to these nodes.
   * Several calls intersect, as upstream merges results of several plugins.
   */
  restrictNodes(nodes: ArrayLike<number>): void {
    const sorted = Int32Array.from(nodes).sort();
    if (this.preFilterNodes === null) {
      this.preFilterNodes = uniqueSorted(sorted);
      return;
    }
    const a = this.preFilterNodes;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < sorted.length) {
      if (a[i] === sorted[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < sorted[j]) i++;
      else j++;
    }
    this.preFilterNodes = Int32Array.from(out);
  }

  /** Reset for a new pod (called by the cycle). */
  reset(snapshot: Snapshot, podId: number, recording: boolean): void {
    this.snapshot = snapshot;
    this.podId = podId;
    this.recording = recording;
    this.preFilterNodes = null;
    this.preFilterReason = "";
  }
}

function uniqueSorted(a: Int32Array): Int32Array {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[n++] = a[i];
  return a.subarray(0, n);
}

// ---------------------------------------------------------------------------
// Plugin interfaces. A plugin object implements any subset of them; the profile
// detects capabilities by the presence of the methods.

export interface Plugin {
  /** The upstream plugin name as written in KubeSchedulerConfiguration ("NodeResourcesFit"). */
  readonly name: string;
}

/** Ordering key of a queued pod (PrioritySort reads spec.priority and the queue timestamp). */
export interface QueueSortKey {
  priority: number;
  /** When the pod was added to the queue, virtual microseconds. */
  timestampUs: number;
}

export interface QueueSortPlugin extends Plugin {
  /** True when `a` must be popped before `b`. Must be a strict weak order. */
  less(a: QueueSortKey, b: QueueSortKey): boolean;
}

export interface PreFilterPlugin extends Plugin {
  /**
   * Once per pod, before any Filter. Return Success, Skip (Filter of this plugin is
   * not run for this pod) or a failure code (the pod is unschedulable in this cycle;
   * put the reason in state.preFilterReason). May call state.restrictNodes.
   */
  preFilter(state: CycleState, pod: CompiledPod): StatusCode;
  /**
   * PreFilterExtensions: update this plugin's PreFilter state as if pod row
   * `podToAdd` were on `node` (used by preemption dry runs and nominated pods).
   */
  addPod?(state: CycleState, pod: CompiledPod, podToAdd: number, node: number): void;
  /** The inverse of addPod: as if pod row `podToRemove` were no longer on `node`. */
  removePod?(state: CycleState, pod: CompiledPod, podToRemove: number, node: number): void;
}

export interface FilterPlugin extends Plugin {
  /**
   * For i in [0, count): write out[i] = 0 if node nodes[i] passes, else
   * verdict(code, reasonBits). Must not read or write past count; must not allocate.
   * May return true as a hint that every node passed (out must still be written);
   * the cycle then skips scanning `out`.
   */
  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void | boolean;
  /** Reason text per reason bit (upstream's status reasons, verbatim). */
  readonly reasons: readonly string[];
  /**
   * Optional promise that lets the cycle memoize verdicts per (pod template, node):
   * the verdict for a node depends only on the pod template, the plugin's args and
   * that node's own state (anything that changes it bumps Snapshot.nodeVersion), and
   * the plugin's PreFilter Skip decision depends only on the pod template. Plugins
   * that look at other nodes' pods (InterPodAffinity, PodTopologySpread) must not set it.
   */
  readonly nodeLocalFilter?: boolean;
  /** Optional dynamic reason text (e.g. "Insufficient example.com/gpu"); default uses `reasons`. */
  describe?(state: CycleState, pod: CompiledPod, node: number, reasonBits: number): string[];
  /**
   * Optional, with describe: the reason bits whose text depends on the node. A verdict
   * with none of them is described by `reasons` alone, so failure messages count nodes
   * per verdict instead of asking per node. Unset: describe() is used for every verdict.
   */
  readonly dynamicReasonBits?: number;
}

/** Per-node filter outcome of the last cycle, handed to PostFilter (framework.NodeToStatus). */
export interface FilterDiagnosis {
  /** Number of nodes in the snapshot. */
  readonly nodeCount: number;
  /** Status code of `node` in the last cycle (Success if it passed or was not evaluated). */
  code(node: number): StatusCode;
  /**
   * The plugins that rejected `node`, as indices into the profile's plugin list
   * (Profile.plugins), written to out[0..k); returns k (0 if none did). Several only
   * when PreFilterResults excluded the node. `out` holds at least one entry per
   * profile plugin. Allocation-free: the queue calls it for every node of a failed cycle.
   */
  failedPlugins(node: number, out: Int32Array): number;
  /** Upstream reason strings for `node`. Allocates: diagnostics only. */
  reasons(node: number): string[];
}

export interface PostFilterResult {
  code: StatusCode;
  /** Node to nominate (status.nominatedNodeName), -1 for none. */
  nominatedNode: number;
  /**
   * The status message when code is not Success (upstream's PostFilter status, e.g.
   * DefaultPreemption's "preemption: 0/3 nodes are available: ..."); appended to the
   * pod's FailedScheduling message.
   */
  message?: string;
}

export interface PostFilterPlugin extends Plugin {
  /** Called when no node is feasible. DefaultPreemption returns a nominated node. */
  postFilter(state: CycleState, pod: CompiledPod, diagnosis: FilterDiagnosis): PostFilterResult;
}

export interface PreScorePlugin extends Plugin {
  /** Once per pod with the feasible nodes. Skip => Score is not run; the plugin contributes 0. */
  preScore(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number): StatusCode;
}

export interface ScorePlugin extends Plugin {
  /**
   * Optional promise that lets the cycle memoize raw scores per (pod template, node):
   * a node's score depends only on the pod template, the args and that node's own state,
   * PreScore Skip only on the template, and the plugin has no NormalizeScore.
   */
  readonly nodeLocalScore?: boolean;
  /** Raw scores: out[i] for nodes[i], i in [0, count). Return Error to fail the cycle. */
  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode;
  /** ScoreExtensions.NormalizeScore, in place over scores[0..count). */
  normalizeScore?(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, scores: Int32Array): StatusCode;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: CompiledPod, node: number): StatusCode;
  /** Must be idempotent; called in reverse order when a later step fails. */
  unreserve(state: CycleState, pod: CompiledPod, node: number): void;
}

export interface BindPlugin extends Plugin {
  /** Bind pod row `podId` to `node`. Return Skip to let the next bind plugin handle it. */
  bind(state: CycleState, pod: CompiledPod, podId: number, node: number): StatusCode;
}

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as PreFilterPlugin).preFilter === "function";
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as FilterPlugin).filter === "function";
}
export function isPostFilter(p: Plugin): p is PostFilterPlugin {
  return typeof (p as PostFilterPlugin).postFilter === "function";
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as PreScorePlugin).preScore === "function";
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as ScorePlugin).score === "function";
}
export function isReserve(p: Plugin): p is ReservePlugin {
  return typeof (p as ReservePlugin).reserve === "function";
}
export function isBind(p: Plugin): p is BindPlugin {
  return typeof (p as BindPlugin).bind === "function";
}
export function isQueueSort(p: Plugin): p is QueueSortPlugin {
  return typeof (p as QueueSortPlugin).less === "function";
}

// ---------------------------------------------------------------------------
// Building plugins and profiles

/** What a plugin factory gets besides its args (framework.Handle). */
export interface FrameworkHandle {
  readonly snapshot: Snapshot;
}

/**
 * Creates a plugin from its pluginConfig args (already parsed JSON/YAML, may be
 * undefined for defaults). Throws PluginArgsError on invalid args.
 */
export type PluginFactory = (args: unknown, handle: FrameworkHandle) => Plugin;

export class PluginArgsError extends Error {}

/** One enabled plugin of a profile with its Score weight (default 1). */
export interface PluginSpec {
  name: string;
  weight?: number;
  args?: unknown;
}

/** A profile before instantiation: what KubeSchedulerConfiguration parsing produces. */
export interface ProfileSpec {
  schedulerName: string;
  /** Plugins in execution order (multiPoint order after enable/disable). */
  plugins: PluginSpec[];
  /**
   * Extension points where a plugin is disabled although listed in `plugins`
   * (e.g. score disabled but filter enabled): name -> set of point names
   * ("preFilter", "filter", "postFilter", "preScore", "score", "reserve", "bind").
   */
  disabledPoints?: Record<string, string[]>;
  /**
   * Optional exact plugin order per extension point ("preFilter", "filter", "score", ...),
   * as KubeSchedulerConfiguration resolution produces it. When given for a point, it
   * replaces the order of `plugins` (and disabledPoints) for that point.
   */
  points?: Partial<Record<string, readonly string[]>>;
  /** Profile-level percentageOfNodesToScore (overrides the global one), 0..100; undefined = unset. */
  percentageOfNodesToScore?: number;
}

// ---------------------------------------------------------------------------
// Helpers shared by score plugins

/**
 * helper.DefaultNormalizeScore: scale to [0, maxPriority] by the largest score
 * (integer division); if all are 0, reverse gives maxPriority to every node.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Int32Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) for (let i = 0; i < count; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < count; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
