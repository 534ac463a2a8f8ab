/**
 * Per-(template, node) memo of a plugin's per-node result, invalidated by the node's
 * version (Snapshot.nodeVersion changes whenever anything on the node changes: a pod
 * added or removed, taints, cordon). Filter and Score results of NodeResourcesFit and
 * BalancedAllocation are pure functions of (pod template, node state), so a cached
 * value is exactly what a recomputation would give; 10,000 replicas of a Deployment
 * then pay the arithmetic only for nodes that changed since they last looked.
 *
 * Memory is bounded: at most `budgetBytes` of memo arrays per plugin; the oldest
 * template's memo is dropped first (first in, first out).
 */
import type { CompiledPod } from "./compiled.js";
import type { Snapshot } from "./snapshot.js";

export interface NodeMemoEntry {
  /**
   * Per node row n: data[2n] is the node version the value was computed at (0 = never),
   * data[2n + 1] the memoized value. Interleaved so a lookup touches one cache line.
   */
  data: Int32Array;
}

/** Default memo budget per plugin instance (32 MiB). */
export const DEFAULT_MEMO_BUDGET_BYTES = 32 * 1024 * 1024;

export class NodeMemo {
  private readonly entries = new Map<CompiledPod, NodeMemoEntry>();

  constructor(
    private readonly snapshot: Snapshot,
    private readonly budgetBytes = DEFAULT_MEMO_BUDGET_BYTES,
  ) {}

  /** The memo of `pod`'s template, sized to the node table (created on first use). */
  for(pod: CompiledPod): NodeMemoEntry {
    const cap = this.snapshot.nodes.capacity;
    let e = this.entries.get(pod);
    if (e !== undefined && e.data.length >= 2 * cap) return e;
    if (e === undefined) {
      const maxEntries = Math.max(1, Math.floor(this.budgetBytes / (Math.max(cap, 1) * 8)));
      while (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    // New, or the node table grew: start empty (version 0 never matches).
    e = { data: new Int32Array(2 * cap) };
    this.entries.set(pod, e);
    return e;
  }

  get size(): number {
    return this.entries.size;
  }
}
