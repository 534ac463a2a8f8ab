/**
 * NodeResourcesFit (PreFilter, Filter, PreScore, Score).
 *
 * Filter (fitsRequest), all failures collected:
 *   "Too many pods"        podsOnNode + 1 > allocatable pods (checked even for empty requests);
 *   then, unless the pod requests nothing at all:
 *   "Insufficient <res>"   request > 0 && request > allocatable - requested(actual), for
 *                          cpu, memory, ephemeral-storage and each scalar resource
 *                          (extended resources in ignoredResources / ignoredResourceGroups
 *                          are skipped).
 *   Unschedulable, or UnschedulableAndUnresolvable when some failing resource's
 *   request exceeds the node's allocatable (even an empty node would not fit).
 *
 * Score (resource_allocation.go), per configured resource r with weight w_r:
 *   requested = node's non-zero requested + pod's non-zero request (cpu/memory:
 *   100m / 200Mi for containers that list none); a scalar resource the pod does not
 *   request, and any resource with allocatable 0, is skipped;
 *   LeastAllocated:  (alloc - req) * 100 div alloc (0 if req > alloc)
 *   MostAllocated:   min(req, alloc) * 100 div alloc
 *   RequestedToCapacityRatio: broken-linear shape over util = req*100 div alloc
 *                    (100 if req > alloc), shape scores x10; only resources scoring > 0
 *                    count; round(Σ s·w / Σ w)
 *   Least/Most: Σ s·w div Σ w (truncating). No NormalizeScore.
 */
import {
  Code,
  MAX_NODE_SCORE,
  PluginArgsError,
  verdict,
  type CycleState,
  type FilterPlugin,
  type FrameworkHandle,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type StatusCode,
} from "../framework.js";
import { grown, nextCapacity } from "../../engine/columns.js";
import type { CompiledPod } from "../compiled.js";
import type { Snapshot } from "../snapshot.js";

export const NODE_RESOURCES_FIT = "NodeResourcesFit";

/** framework.MaxCustomPriorityScore: shape scores are 0..10, scaled by 100/10. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
/** Upstream maxUtilization for RequestedToCapacityRatio. */
export const MAX_UTILIZATION = 100;

export interface ResourceSpec {
  name: string;
  weight?: number;
}
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
  };
}

/** v1 defaults: LeastAllocated over cpu and memory, weight 1 each. */
export const DEFAULT_SCORING_RESOURCES: readonly ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

// Filter reason bits.
const BIT_PODS = 1;
const BIT_CPU = 2;
const BIT_MEMORY = 4;
const BIT_EPHEMERAL = 8;
const BIT_SCALAR = 16;

const STRATEGY_LEAST = 0;
const STRATEGY_MOST = 1;
const STRATEGY_RTCR = 2;

/** v1helper.IsExtendedResourceName: a domain-prefixed name outside kubernetes.io, not "requests.*". */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes("/") || name.includes("kubernetes.io/")) return false;
  return !name.startsWith("requests.");
}

/** The column views of one resource for one cycle (filled by resolveResources). */
export class ResourceView {
  /** Allocatable per node row, or null when no node has it (score skipped). */
  alloc: Float64Array | null = null;
  /** Requested per node row (non-zero or actual sums depending on the caller). */
  req: Float64Array | null = null;
  /** The pod's request. */
  pod = 0;
  weight = 1;
  /** Skip this resource entirely (scalar the pod does not request, unknown resource). */
  skip = false;
}

/**
 * Resolve configured resources to node columns for one pod. `nonzero` selects the
 * scheduler's non-zero request sums (Fit scoring) versus actual requests
 * (BalancedAllocation).
 */
export function resolveResources(snap: Snapshot, pod: CompiledPod, specs: readonly ResourceSpec[], nonzero: boolean, views: ResourceView[]): void {
  const t = snap.nodes;
  for (let r = 0; r < specs.length; r++) {
    const v = views[r];
    v.weight = specs[r].weight ?? 1;
    v.skip = false;
    switch (specs[r].name) {
      case "cpu":
        v.alloc = t.cpuAlloc;
        v.req = nonzero ? t.cpuNonzero : t.cpuReq;
        v.pod = nonzero ? pod.nonzeroCpuMilli : pod.cpuMilli;
        break;
      case "memory":
        v.alloc = t.memAlloc;
        v.req = nonzero ? t.memNonzero : t.memReq;
        v.pod = nonzero ? pod.nonzeroMemoryBytes : pod.memoryBytes;
        break;
      case "ephemeral-storage":
        v.alloc = t.ephAlloc;
        v.req = t.ephReq;
        v.pod = pod.ephemeralBytes;
        break;
      case "pods":
        // Not a scalar resource: calculateResourceAllocatableRequest returns 0, 0.
        v.skip = true;
        break;
      default: {
        const id = snap.strings.resources.peek(specs[r].name);
        let amount = 0;
        for (let i = 0; i < pod.scalarIds.length; i++) if (pod.scalarIds[i] === id) amount = pod.scalarAmounts[i];
        if (id < 0 || amount === 0 || id >= snap.scalarAlloc.length) {
          v.skip = true;
        } else {
          v.alloc = snap.scalarAlloc[id];
          v.req = snap.scalarReq[id];
          v.pod = amount;
        }
      }
    }
  }
}

/** buildBrokenLinearFunction over (utilization, score x10) points, Go int64 arithmetic. */
export function brokenLinear(utils: Int32Array, scores: Int32Array, p: number): number {
  for (let i = 0; i < utils.length; i++) {
    if (p <= utils[i]) {
      if (i === 0) return scores[0];
      return scores[i - 1] + Math.trunc(((scores[i] - scores[i - 1]) * (p - utils[i - 1])) / (utils[i] - utils[i - 1]));
    }
  }
  return scores[scores.length - 1];
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_FIT;
  readonly reasons = ["Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage"];
  private readonly ignored: Set<string>;
  private readonly ignoredGroups: Set<string>;
  private readonly strategy: number;
  private readonly resources: ResourceSpec[];
  private readonly views: ResourceView[];
  private readonly shapeUtil: Int32Array;
  private readonly shapeScore: Int32Array;
  /** Per scalar resource id: 0 unknown, 1 checked, 2 ignored (ignoredResources/Groups). */
  private scalarIgnored = new Uint8Array(16);
  private acc = new Float64Array(0);
  private wsum = new Float64Array(0);
  /** Node-local Filter and Score: results depend only on the pod template and the node (the cycle memoizes them). */
  readonly nodeLocalFilter = true;
  readonly nodeLocalScore = true;

  constructor(args: NodeResourcesFitArgs | undefined, _handle: FrameworkHandle) {
    this.ignored = new Set(args?.ignoredResources ?? []);
    this.ignoredGroups = new Set(args?.ignoredResourceGroups ?? []);
    const ss = args?.scoringStrategy ?? {};
    const type = ss.type ?? "LeastAllocated";
    this.strategy = type === "LeastAllocated" ? STRATEGY_LEAST : type === "MostAllocated" ? STRATEGY_MOST : type === "RequestedToCapacityRatio" ? STRATEGY_RTCR : -1;
    if (this.strategy < 0) throw new PluginArgsError(`scoringStrategy.type: scoring strategy ${type} is not supported`);
    this.resources = (ss.resources ?? DEFAULT_SCORING_RESOURCES).map((r) => ({ name: r.name, weight: r.weight ?? 1 }));
    for (const r of this.resources) {
      if (!(Number.isInteger(r.weight) && r.weight! >= 1 && r.weight! <= 100)) throw new PluginArgsError(`scoringStrategy.resources: resource weight of ${r.name} should be in the range 1-100, got ${r.weight}`);
    }
    this.views = this.resources.map(() => new ResourceView());
    const shape = ss.requestedToCapacityRatio?.shape ?? [];
    if (this.strategy === STRATEGY_RTCR && shape.length === 0) throw new PluginArgsError("scoringStrategy.requestedToCapacityRatio.shape: at least one point is required");
    this.shapeUtil = Int32Array.from(shape.map((p) => p.utilization));
    this.shapeScore = Int32Array.from(shape.map((p) => p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE)));
  }

  preFilter(_state: CycleState, _pod: CompiledPod): StatusCode {
    // The pod's request is compiled once per template (CompiledPod).
    return Code.Success;
  }

  private isIgnored(snap: Snapshot, id: number): boolean {
    if (id >= this.scalarIgnored.length) this.scalarIgnored = grown(this.scalarIgnored, nextCapacity(this.scalarIgnored.length, id + 1));
    let c = this.scalarIgnored[id];
    if (c === 0) {
      const name = snap.strings.resources.name(id);
      const ext = isExtendedResourceName(name);
      c = ext && (this.ignored.has(name) || this.ignoredGroups.has(name.split("/")[0])) ? 2 : 1;
      this.scalarIgnored[id] = c;
    }
    return c === 2;
  }

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    const snap = state.snapshot;
    const t = snap.nodes;
    const podCount = t.podCount;
    const podsAlloc = t.podsAlloc;
    if (pod.requestsNothing) {
      let rejected = 0;
      for (let i = 0; i < count; i++) {
        const n = nodes[i];
        const v = podCount[n] + 1 > podsAlloc[n] ? verdict(Code.Unschedulable, BIT_PODS) : 0;
        out[i] = v;
        rejected |= v;
      }
      return rejected === 0;
    }
    const cpu = pod.cpuMilli;
    const mem = pod.memoryBytes;
    const eph = pod.ephemeralBytes;
    const cpuA = t.cpuAlloc;
    const cpuR = t.cpuReq;
    const memA = t.memAlloc;
    const memR = t.memReq;
    const ephA = t.ephAlloc;
    const ephR = t.ephReq;
    const nScalar = pod.scalarIds.length;
    let rejected = 0;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      let bits = 0;
      let unresolvable = false;
      if (podCount[n] + 1 > podsAlloc[n]) bits |= BIT_PODS;
      if (cpu > 0 && cpu > cpuA[n] - cpuR[n]) {
        bits |= BIT_CPU;
        if (cpu > cpuA[n]) unresolvable = true;
      }
      if (mem > 0 && mem > memA[n] - memR[n]) {
        bits |= BIT_MEMORY;
        if (mem > memA[n]) unresolvable = true;
      }
      if (eph > 0 && eph > ephA[n] - ephR[n]) {
        bits |= BIT_EPHEMERAL;
        if (eph > ephA[n]) unresolvable = true;
      }
      for (let s = 0; s < nScalar; s++) {
        const id = pod.scalarIds[s];
        if (this.isIgnored(snap, id)) continue;
        const amount = pod.scalarAmounts[s];
        const alloc = id < snap.scalarAlloc.length ? snap.scalarAlloc[id][n] : 0;
        const used = id < snap.scalarReq.length ? snap.scalarReq[id][n] : 0;
        if (amount > alloc - used) {
          bits |= BIT_SCALAR;
          if (amount > alloc) unresolvable = true;
        }
      }
      const v = bits === 0 ? 0 : verdict(unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, bits);
      out[i] = v;
      rejected |= v;
    }
    // Hint to the cycle: nothing rejected, no need to scan `out`.
    return rejected === 0;
  }

  /** Only "Insufficient <scalar resource>" needs the node; the other bits are `reasons`. */
  readonly dynamicReasonBits = BIT_SCALAR;

  describe(state: CycleState, pod: CompiledPod, node: number, bits: number): string[] {
    const out: string[] = [];
    for (let b = 0; b < this.reasons.length; b++) if (bits & (1 << b)) out.push(this.reasons[b]);
    if (bits & BIT_SCALAR) {
      const snap = state.snapshot;
      for (let s = 0; s < pod.scalarIds.length; s++) {
        const id = pod.scalarIds[s];
        if (this.isIgnored(snap, id)) continue;
        const alloc = id < snap.scalarAlloc.length ? snap.scalarAlloc[id][node] : 0;
        const used = id < snap.scalarReq.length ? snap.scalarReq[id][node] : 0;
        if (pod.scalarAmounts[s] > alloc - used) out.push(`Insufficient ${snap.strings.resources.name(id)}`);
      }
    }
    return out;
  }

  preScore(_state: CycleState, _pod: CompiledPod, _nodes: Int32Array, _count: number): StatusCode {
    return Code.Success;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    // Upstream: an empty resource list makes Score fail ("resources not found").
    if (this.resources.length === 0) return Code.Error;
    this.scoreNodes(state.snapshot, pod, nodes, count, out);
    return Code.Success;
  }

  /** The score arithmetic for nodes[0..count) (no memo). */
  private scoreNodes(snap: Snapshot, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void {
    if (this.acc.length < count) {
      // Scratch (cleared below before use): grown without copying.
      const cap = nextCapacity(this.acc.length, count);
      this.acc = new Float64Array(cap);
      this.wsum = new Float64Array(cap);
    }
    const views = this.views;
    resolveResources(snap, pod, this.resources, true, views);
    const strategy = this.strategy;
    if (strategy !== STRATEGY_RTCR) {
      // The common case (two resources, usually cpu and memory) as one fused loop.
      let a = -1;
      let b = -1;
      let active = 0;
      for (let r = 0; r < views.length; r++) {
        if (views[r].skip) continue;
        if (active === 0) a = r;
        else if (active === 1) b = r;
        active++;
      }
      if (active === 2) {
        scoreTwo(strategy === STRATEGY_LEAST, views[a], views[b], nodes, count, out);
        return;
      }
    }
    const acc = this.acc;
    const wsum = this.wsum;
    acc.fill(0, 0, count);
    wsum.fill(0, 0, count);
    for (let r = 0; r < views.length; r++) {
      const v = views[r];
      if (v.skip) continue;
      const alloc = v.alloc!;
      const reqCol = v.req!;
      const podReq = v.pod;
      const w = v.weight;
      for (let i = 0; i < count; i++) {
        const n = nodes[i];
        const a = alloc[n];
        if (a === 0) continue;
        const req = reqCol[n] + podReq;
        let s: number;
        if (strategy === STRATEGY_LEAST) {
          s = req > a ? 0 : Math.floor(((a - req) * MAX_NODE_SCORE) / a);
        } else if (strategy === STRATEGY_MOST) {
          s = Math.floor(((req > a ? a : req) * MAX_NODE_SCORE) / a);
        } else {
          const util = req > a ? MAX_UTILIZATION : Math.floor((req * MAX_UTILIZATION) / a);
          s = brokenLinear(this.shapeUtil, this.shapeScore, util);
          if (s <= 0) continue;
        }
        acc[i] += s * w;
        wsum[i] += w;
      }
    }
    if (strategy === STRATEGY_RTCR) {
      for (let i = 0; i < count; i++) out[i] = wsum[i] === 0 ? 0 : Math.round(acc[i] / wsum[i]);
    } else {
      for (let i = 0; i < count; i++) out[i] = wsum[i] === 0 ? 0 : Math.floor(acc[i] / wsum[i]);
    }
  }
}

/** Least/MostAllocated score of one resource (integer division as upstream). */
function resourceScore(least: boolean, req: number, alloc: number): number {
  if (least) return req > alloc ? 0 : Math.floor(((alloc - req) * MAX_NODE_SCORE) / alloc);
  return Math.floor(((req > alloc ? alloc : req) * MAX_NODE_SCORE) / alloc);
}

/** Least/MostAllocated over exactly two resources: Σ s·w div Σ w, resources with allocatable 0 skipped. */
function scoreTwo(least: boolean, x: ResourceView, y: ResourceView, nodes: Int32Array, count: number, out: Int32Array): void {
  const ax = x.alloc!;
  const rx = x.req!;
  const px = x.pod;
  const wx = x.weight;
  const ay = y.alloc!;
  const ry = y.req!;
  const py = y.pod;
  const wy = y.weight;
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    const a1 = ax[n];
    const a2 = ay[n];
    let sum = 0;
    let w = 0;
    if (a1 !== 0) {
      sum += resourceScore(least, rx[n] + px, a1) * wx;
      w += wx;
    }
    if (a2 !== 0) {
      sum += resourceScore(least, ry[n] + py, a2) * wy;
      w += wy;
    }
    out[i] = w === 0 ? 0 : Math.floor(sum / w);
  }
}
