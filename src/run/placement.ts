/**
 * Choosing a node for a pod. `PodPlacer` is the seam the real scheduler replaces
 * (src/scheduler/); `LeastAllocatedPlacer` is a PLACEHOLDER so the skeleton runs
 * end to end: resource fit (cpu, memory, ephemeral storage, pod count, extended
 * resources), NoSchedule/NoExecute taints against tolerations, and nodeSelector;
 * among fitting Ready nodes, the least allocated (lowest mean of cpu and memory
 * requested fractions after placing), ties to the lowest node index. It evaluates
 * every node: no percentageOfNodesToScore, no scoring plugins, no affinity/spread.
 */
import type { NodeTable } from "../model/nodeTable.js";
import type { PodTable } from "../model/podTable.js";
import type { ClusterStrings } from "./strings.js";

export interface PodPlacer {
  /**
   * The node index for pod `pod` (a row of the pod table), or -1 when no node fits
   * now. Must not change any table: the caller binds.
   */
  place(pod: number): number;
}

/** What a placer may read: the tables and the compiled per-template requirements. */
export interface PlacementContext {
  nodes: NodeTable;
  pods: PodTable;
  strings: ClusterStrings;
}

export class LeastAllocatedPlacer implements PodPlacer {
  constructor(private readonly ctx: PlacementContext) {}

  place(pod: number): number {
    const { nodes, pods, strings } = this.ctx;
    const t = strings.templates[pods.template[pod]];
    const cpu = pods.cpuReq[pod];
    const mem = pods.memReq[pod];
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < nodes.count; i++) {
      if (nodes.ready[i] === 0 || nodes.unschedulable[i] === 1) continue;
      if (nodes.podCount[i] + 1 > nodes.podsAlloc[i]) continue;
      const cpuAfter = nodes.cpuReq[i] + cpu;
      const memAfter = nodes.memReq[i] + mem;
      if (cpuAfter > nodes.cpuAlloc[i] || memAfter > nodes.memAlloc[i]) continue;
      if (nodes.ephReq[i] + t.ephemeralBytes > nodes.ephAlloc[i] && t.ephemeralBytes > 0) continue;
      if (!strings.extendedFits(i, t.extended)) continue;
      if (!strings.tolerates(i, t.toleratedTaints)) continue;
      if (!strings.selects(i, t.nodeSelector)) continue;
      const score = (cpuAfter / nodes.cpuAlloc[i] + memAfter / nodes.memAlloc[i]) / 2;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}
