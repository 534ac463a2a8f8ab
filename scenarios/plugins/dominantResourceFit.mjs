/**
 * DominantResourceFit — an example custom kube-scheduler plugin for kubesim.
 *
 * Filter: a node fails when placing the pod would take its cpu or memory requests
 *   above `maxUtilizationPercent` of allocatable (default 90): keep headroom.
 * Score: 100 x the pod's node's dominant share after placement (the larger of the
 *   cpu and memory requested fractions), truncated: pack nodes by their scarcer
 *   resource, unlike MostAllocated, which averages cpu and memory.
 *
 * Enable it by name in a KubeSchedulerConfiguration:
 *
 *   profiles:
 *   - schedulerName: default-scheduler
 *     plugins:
 *       multiPoint:
 *         enabled: [{name: DominantResourceFit, weight: 5}]
 *     pluginConfig:
 *     - name: DominantResourceFit
 *       args: {maxUtilizationPercent: 90}
 *
 * and load the module with the scenario's `scheduler.customPlugins: [{module: ...}]`
 * or `kubesim explain --plugin scenarios/plugins/dominantResourceFit.mjs`.
 *
 * The interface is batched (src/scheduler/framework.ts): each call gets the whole
 * candidate list `nodes[0..count)` (node rows of state.snapshot) and writes one answer
 * per node into `out`. Loops read typed arrays only and allocate nothing.
 * Plain JavaScript, so it loads without a build step.
 */

export const name = "DominantResourceFit";

// framework.ts status codes and verdict encoding: out[i] = code | (reasonBits << 4).
const SUCCESS = 0;
const UNSCHEDULABLE = 1;
const ERROR = 3;
const REASON_OVER_CAP = UNSCHEDULABLE | (1 << 4);
const MAX_NODE_SCORE = 100;

class DominantResourceFit {
  constructor(args) {
    this.name = name;
    const pct = args?.maxUtilizationPercent ?? 90;
    if (!Number.isInteger(pct) || pct < 1 || pct > 100) {
      throw new Error(`maxUtilizationPercent: expected an integer 1..100, got ${JSON.stringify(pct)}`);
    }
    this.maxUtilizationPercent = pct;
    /** Reason text per reason bit, as explain and FailedScheduling messages show it. */
    this.reasons = [`node(s) would exceed ${pct}% cpu or memory requested`];
  }

  filter(state, pod, nodes, count, out) {
    const t = state.snapshot.nodes;
    const cap = this.maxUtilizationPercent;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      const cpuOver = (t.cpuReq[n] + pod.cpuMilli) * 100 > cap * t.cpuAlloc[n];
      const memOver = (t.memReq[n] + pod.memoryBytes) * 100 > cap * t.memAlloc[n];
      out[i] = cpuOver || memOver ? REASON_OVER_CAP : SUCCESS;
    }
  }

  score(state, pod, nodes, count, out) {
    const t = state.snapshot.nodes;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      if (t.cpuAlloc[n] <= 0 || t.memAlloc[n] <= 0) return ERROR;
      const cpu = (t.cpuReq[n] + pod.cpuMilli) / t.cpuAlloc[n];
      const mem = (t.memReq[n] + pod.memoryBytes) / t.memAlloc[n];
      const s = Math.trunc(MAX_NODE_SCORE * Math.max(cpu, mem));
      out[i] = s > MAX_NODE_SCORE ? MAX_NODE_SCORE : s;
    }
    return SUCCESS;
  }
}

export function create(args) {
  return new DominantResourceFit(args);
}
