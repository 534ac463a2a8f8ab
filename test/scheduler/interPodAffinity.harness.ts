/**
 * Runs one plugin's PreFilter/Filter or PreScore/Score/NormalizeScore on a snapshot
 * built from v1 objects, the way upstream's plugin unit tests drive a single plugin.
 */
import { Code, CycleState, verdictCode, verdictReasonBits, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from "../../src/scheduler/framework.js";
import { snapshotFromObjects, type ClusterObjects, type Snapshot } from "../../src/scheduler/snapshot.js";
import type { Pod } from "../../src/model/types.js";

export const CODE_NAME: Record<number, string> = {
  [Code.Success]: "Success",
  [Code.Unschedulable]: "Unschedulable",
  [Code.UnschedulableAndUnresolvable]: "UnschedulableAndUnresolvable",
  [Code.Error]: "Error",
};

export interface FilterOutcome {
  code: string;
  reasons: string[];
}

export function newState(snapshot: Snapshot): CycleState {
  const state = new CycleState();
  state.reset(snapshot, -1, false);
  return state;
}

/** The PreFilter status alone (Success, Skip, or a failure code). */
export function runPreFilter(plugin: PreFilterPlugin, objs: ClusterObjects, incoming: Pod): number {
  const snapshot = snapshotFromObjects(objs);
  return plugin.preFilter(newState(snapshot), snapshot.compile(incoming));
}

/** Filter verdict per node name (all nodes of the snapshot, in order). */
export function runFilter(plugin: PreFilterPlugin & FilterPlugin, objs: ClusterObjects, incoming: Pod): Record<string, FilterOutcome> {
  const snapshot = snapshotFromObjects(objs);
  const state = newState(snapshot);
  const pod = snapshot.compile(incoming);
  const code = plugin.preFilter(state, pod);
  const n = snapshot.nodeCount;
  const nodes = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(n);
  const result: Record<string, FilterOutcome> = {};
  if (code !== Code.Success && code !== Code.Skip) {
    // A PreFilter failure rejects every node with the PreFilter reason.
    for (let i = 0; i < n; i++) result[snapshot.nodes.names[i]] = { code: CODE_NAME[code], reasons: [state.preFilterReason] };
    return result;
  }
  if (code !== Code.Skip) plugin.filter(state, pod, nodes, n, out);
  for (let i = 0; i < n; i++) {
    const bits = verdictReasonBits(out[i]);
    const reasons = plugin.reasons.filter((_, b) => (bits >> b) & 1);
    result[snapshot.nodes.names[i]] = { code: CODE_NAME[verdictCode(out[i])], reasons };
  }
  return result;
}

/**
 * Normalized scores of the feasible nodes, or "Skip". Nodes in `failedNames` are in the
 * snapshot (their pods count) but not scored.
 */
export function runScore(plugin: PreScorePlugin & ScorePlugin, objs: ClusterObjects, incoming: Pod, failedNames: string[] = []): Record<string, number> | "Skip" | "Error" {
  const snapshot = snapshotFromObjects(objs);
  const state = newState(snapshot);
  const pod = snapshot.compile(incoming);
  const feasible: number[] = [];
  for (let i = 0; i < snapshot.nodeCount; i++) if (!failedNames.includes(snapshot.nodes.names[i])) feasible.push(i);
  const nodes = Int32Array.from(feasible);
  const code = plugin.preScore(state, pod, nodes, nodes.length);
  if (code === Code.Skip) return "Skip";
  if (code === Code.Error) return "Error";
  if (code !== Code.Success) throw new Error(`PreScore returned ${code}`);
  const scores = new Int32Array(nodes.length);
  plugin.score(state, pod, nodes, nodes.length, scores);
  plugin.normalizeScore?.(state, pod, nodes, nodes.length, scores);
  const out: Record<string, number> = {};
  for (let i = 0; i < nodes.length; i++) out[snapshot.nodes.names[nodes[i]]] = scores[i];
  return out;
}
