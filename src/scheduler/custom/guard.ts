/**
 * The framework's side of a custom plugin: every call into the user's module goes
 * through this wrapper, which turns an exception, a return value that is not a status
 * code, or an invalid score into a PluginError naming the plugin, the extension point
 * and the pod (state.podName). In-tree plugins are not wrapped, so the hot loop pays
 * nothing for them; a custom plugin pays one extra call and one pass over its scores.
 *
 * Scores: the user's score() and normalizeScore() write into a Float64Array owned by
 * the wrapper, filled with NaN first, so that a fraction, a NaN or an unwritten entry
 * is seen (an Int32Array would silently truncate 37.5 to 37 and NaN to 0). The final
 * scores (after NormalizeScore when the plugin has one, else straight from Score) must
 * be integers in [MIN_NODE_SCORE, MAX_NODE_SCORE], as upstream's RunScorePlugins checks
 * (pkg/scheduler/framework/runtime/framework.go); they are then copied into the
 * framework's Int32Array. Raw scores before NormalizeScore are not checked (upstream's
 * are any int64). A plugin that has normalizeScore gets it called right after its
 * score() on the same nodes (prioritize.ts), so the raw scores stay in the wrapper's
 * buffer between the two calls.
 *
 * Only shape is preserved: the wrapper has exactly the extension points of the user's
 * object (and its attach(profile), if any), and forwards reasons / describe /
 * dynamicReasonBits / nodeLocalFilter / nodeLocalScore.
 */
import { nextCapacity } from "../../engine/columns.js";
import type { CompiledPod } from "../compiled.js";
import {
  Code,
  type CycleState,
  type FilterDiagnosis,
  type FilterPlugin,
  type Plugin,
  type QueueSortKey,
  type ScorePlugin,
  type StatusCode,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  invalidScoreMessage,
  isBind,
  isFilter,
  isPostFilter,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
} from "../framework.js";
import { PluginError, thrownBy } from "./pluginError.js";

const CODE_NAMES = ["Success", "Unschedulable", "UnschedulableAndUnresolvable", "Error", "Skip", "Wait"];

/** The status codes each extension point may return (upstream's meaningful ones). */
const ALLOWED: Record<string, readonly StatusCode[]> = {
  PreFilter: [Code.Success, Code.Skip, Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Error],
  PreScore: [Code.Success, Code.Skip, Code.Error],
  Score: [Code.Success, Code.Error],
  NormalizeScore: [Code.Success, Code.Error],
  Reserve: [Code.Success, Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Error],
  Bind: [Code.Success, Code.Skip, Code.Error],
  PostFilter: [Code.Success, Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Error],
};

/** A score that is in range but not an integer (impossible upstream, where scores are int64) [kubesim's message]. */
function notIntegerMessage(plugin: string, score: number): string {
  const why = Number.isNaN(score) ? " (NaN, or no score written for the node)" : "";
  return `plugin "${plugin}" returns an invalid score ${score}${why}, it should be an integer in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`;
}

/** Wrap a custom plugin object (see the header). */
export function guardPlugin(inner: Plugin): Plugin {
  return new GuardedPlugin(inner).plugin;
}

class GuardedPlugin {
  readonly plugin: Plugin;
  private raw = new Float64Array(64);

  constructor(private readonly inner: Plugin) {
    const name = inner.name;
    const g: Record<string, unknown> = {};
    Object.defineProperty(g, "name", { value: name, enumerable: true });
    // Properties the framework reads, forwarded so a plugin may change them (e.g. reasons) itself.
    Object.defineProperty(g, "reasons", { get: () => (inner as FilterPlugin).reasons ?? [], enumerable: true });
    Object.defineProperty(g, "nodeLocalFilter", { get: () => (inner as FilterPlugin).nodeLocalFilter, enumerable: true });
    Object.defineProperty(g, "nodeLocalScore", { get: () => (inner as ScorePlugin).nodeLocalScore, enumerable: true });
    Object.defineProperty(g, "dynamicReasonBits", { get: () => (inner as FilterPlugin).dynamicReasonBits, enumerable: true });

    if (isPreFilter(inner)) {
      g.preFilter = (state: CycleState, pod: CompiledPod): StatusCode => this.status(state, "PreFilter", this.call(state, "PreFilter", () => inner.preFilter(state, pod)));
      if (inner.addPod) g.addPod = (state: CycleState, pod: CompiledPod, p: number, node: number) => this.call(state, "PreFilter", () => inner.addPod!(state, pod, p, node));
      if (inner.removePod) g.removePod = (state: CycleState, pod: CompiledPod, p: number, node: number) => this.call(state, "PreFilter", () => inner.removePod!(state, pod, p, node));
    }
    if (isFilter(inner)) {
      g.filter = (state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array) => this.call(state, "Filter", () => inner.filter(state, pod, nodes, count, out));
      if (inner.describe) g.describe = (state: CycleState, pod: CompiledPod, node: number, bits: number) => this.call(state, "Filter", () => inner.describe!(state, pod, node, bits));
    }
    if (isPostFilter(inner)) {
      g.postFilter = (state: CycleState, pod: CompiledPod, d: FilterDiagnosis) => {
        const r = this.call(state, "PostFilter", () => inner.postFilter(state, pod, d));
        this.status(state, "PostFilter", r?.code);
        return r;
      };
    }
    if (isPreScore(inner)) {
      g.preScore = (state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number): StatusCode =>
        this.status(state, "PreScore", this.call(state, "PreScore", () => inner.preScore(state, pod, nodes, count)));
    }
    if (isScore(inner)) {
      g.score = (state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array) => this.score(inner, state, pod, nodes, count, out);
      if (inner.normalizeScore) {
        g.normalizeScore = (state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, scores: Int32Array) => this.normalize(inner, state, pod, nodes, count, scores);
      }
    }
    if (isReserve(inner)) {
      g.reserve = (state: CycleState, pod: CompiledPod, node: number): StatusCode => this.status(state, "Reserve", this.call(state, "Reserve", () => inner.reserve(state, pod, node)));
      g.unreserve = (state: CycleState, pod: CompiledPod, node: number) => this.call(state, "Unreserve", () => inner.unreserve(state, pod, node));
    }
    if (isBind(inner)) {
      g.bind = (state: CycleState, pod: CompiledPod, podId: number, node: number): StatusCode => this.status(state, "Bind", this.call(state, "Bind", () => inner.bind(state, pod, podId, node)));
    }
    // A plugin that works with its whole profile gets it after the profile is built (registry.ts).
    const attach = (inner as Plugin & { attach?: (profile: unknown) => void }).attach;
    if (typeof attach === "function") g.attach = (profile: unknown) => this.call(null, "attach", () => attach.call(inner, profile));
    if (isQueueSort(inner)) {
      g.less = (a: QueueSortKey, b: QueueSortKey) => this.call(null, "QueueSort", () => inner.less(a, b));
    }
    this.plugin = g as unknown as Plugin;
  }

  private call<T>(state: CycleState | null, point: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw thrownBy(this.inner.name, point, state?.podName ?? "", e);
    }
  }

  private status(state: CycleState, point: string, code: unknown): StatusCode {
    const allowed = ALLOWED[point];
    if (!allowed.includes(code as StatusCode)) {
      const list = allowed.map((c) => `${c} (${CODE_NAMES[c]})`).join(", ");
      throw new PluginError(this.inner.name, point, state.podName, `returned ${describeValue(code)}, expected a status code: ${list}`);
    }
    return code as StatusCode;
  }

  private buffer(count: number): Float64Array {
    if (this.raw.length < count) this.raw = new Float64Array(nextCapacity(this.raw.length, count));
    return this.raw;
  }

  private score(inner: ScorePlugin, state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const raw = this.buffer(count);
    raw.fill(NaN, 0, count);
    const code = this.status(state, "Score", this.call(state, "Score", () => inner.score(state, pod, nodes, count, raw as unknown as Int32Array)));
    if (code === Code.Success && inner.normalizeScore === undefined) this.checkAndCopy(state, "Score", nodes, count, out);
    return code;
  }

  private normalize(inner: ScorePlugin, state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, scores: Int32Array): StatusCode {
    const raw = this.buffer(count);
    const code = this.status(state, "NormalizeScore", this.call(state, "NormalizeScore", () => inner.normalizeScore!(state, pod, nodes, count, raw as unknown as Int32Array)));
    if (code === Code.Success) this.checkAndCopy(state, "NormalizeScore", nodes, count, scores);
    return code;
  }

  /** Final scores must be integers in [MIN_NODE_SCORE, MAX_NODE_SCORE]; copy them for the framework. */
  private checkAndCopy(state: CycleState, point: string, nodes: Int32Array, count: number, out: Int32Array): void {
    const raw = this.raw;
    for (let i = 0; i < count; i++) {
      const v = raw[i];
      if (v >= MIN_NODE_SCORE && v <= MAX_NODE_SCORE && Number.isInteger(v)) {
        out[i] = v;
        continue;
      }
      const name = this.inner.name;
      const inRange = v >= MIN_NODE_SCORE && v <= MAX_NODE_SCORE;
      const text = inRange || Number.isNaN(v) ? notIntegerMessage(name, v) : invalidScoreMessage(name, v);
      throw new PluginError(name, point, state.podName, `${text} (node ${state.snapshot.nodes.names[nodes[i]]})`);
    }
  }
}

function describeValue(v: unknown): string {
  if (v === undefined) return "undefined (no return statement?)";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}
