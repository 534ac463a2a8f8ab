/**
 * The Cluster Autoscaler's node count estimate (estimator/binpacking_estimator.go
 * BinpackingNodeEstimator): "First-Fit Decreasing bin-packing approximation". Pods are
 * taken in decreasing order of size (DecreasingPodOrderer: the score is the request's
 * cpu share of the template node plus its memory share), each goes to the first new
 * template node it fits on, else a new template node is added if the pod fits an empty
 * one, while the group may still grow (node-group max size, max-nodes-per-scaleup).
 */
import type { SchedulingSimulation } from "./simulation.js";

export interface PendingPod {
  pod: number;
  template: number;
  cpuMilli: number;
  memoryBytes: number;
}

export interface Estimate {
  /** New nodes needed. */
  nodes: number;
  /** The pods that would schedule on them (cluster pod rows). */
  pods: PendingPod[];
  /** Pods that fit no empty template node, with the filters' reasons (cluster pod row -> reasons). */
  rejected: Map<number, string[]>;
}

/** --max-nodes-per-scaleup default (cluster-autoscaler config/flags: 1000). */
export const MAX_NODES_PER_SCALEUP = 1000;

/** DecreasingPodOrderer's order: larger share of the template node first; ties keep the input order. */
export function decreasing(pods: readonly PendingPod[], cpuAllocMilli: number, memAllocBytes: number): PendingPod[] {
  const score = (p: PendingPod) => (cpuAllocMilli > 0 ? p.cpuMilli / cpuAllocMilli : 0) + (memAllocBytes > 0 ? p.memoryBytes / memAllocBytes : 0);
  return pods.map((p, i) => ({ p, i, s: score(p) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.p);
}

/**
 * Estimate for one group whose template is node row `templateRow`, on a simulation
 * already holding the cluster (and nodes on their way up). At most `maxNew` nodes.
 */
export function estimate(sim: SchedulingSimulation, pods: readonly PendingPod[], templateRow: number, cpuAllocMilli: number, memAllocBytes: number, maxNew: number): Estimate {
  const added: number[] = [];
  const helped: PendingPod[] = [];
  const rejected = new Map<number, string[]>();
  const limit = Math.min(maxNew, MAX_NODES_PER_SCALEUP);
  for (const p of decreasing(pods, cpuAllocMilli, memAllocBytes)) {
    let node = sim.firstFit(p.template, added);
    if (node < 0) {
      if (added.length >= limit) continue;
      const fresh = sim.addTemplateNode(templateRow);
      if (sim.firstFit(p.template, [fresh]) < 0) {
        rejected.set(p.pod, sim.reasons(fresh));
        // Does not fit an empty template node: this group cannot help the pod. The empty
        // node stays in the snapshot excluded (kubesim: snapshots are append-only).
        sim.exclude(fresh);
        continue;
      }
      added.push(fresh);
      node = fresh;
    }
    sim.place(p.template, node);
    helped.push(p);
  }
  return { nodes: added.length, pods: helped, rejected };
}
