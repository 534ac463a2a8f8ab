/**
 * The time-series sampler: every sampleInterval of virtual time, one row of cluster
 * state (timeseries.csv). Reads the node table and the pod counters; allocates one
 * row object per sample, nothing per node.
 */
import { US_PER_S } from "../engine/simulation.js";
import { ConditionStatus, NO_EXECUTE_TAINTS, type NodeTable } from "../model/nodeTable.js";
import type { PodCounters } from "./counters.js";

export interface TimeseriesRow {
  sim_time_s: number;
  nodes_ready: number;
  nodes_not_ready: number;
  pods_pending: number;
  pods_starting: number;
  pods_running: number;
  pods_created_total: number;
  pods_scheduled_total: number;
  pods_succeeded_total: number;
  pods_lost_total: number;
  /** Ended otherwise: deadline exceeded, preempted. */
  pods_failed_total: number;
  /** Sum of pod cpu requests / sum of allocatable cpu, over Ready nodes. */
  cpu_requested_ratio: number;
  memory_requested_ratio: number;
  /** The fullest Ready node's cpu requests / allocatable. */
  cpu_requested_ratio_max: number;
  /** Nodes whose requests exceed allocatable in any resource: must always be 0. */
  nodes_overcommitted: number;
  /** The fullest Ready node's memory requests / allocatable (appended after the original columns). */
  memory_requested_ratio_max: number;
  /** Nodes whose Ready condition is Unknown (the node lifecycle controller heard nothing for the grace period) or absent; nodes_not_ready counts False and these. */
  nodes_unknown: number;
  /** Nodes with the not-ready or unreachable NoExecute taint. */
  nodes_tainted_noexecute: number;
  /** Running pods whose Ready condition is False. */
  pods_not_ready: number;
  /** Pods with a deletionTimestamp not yet gone. */
  pods_terminating: number;
  pods_evicted_total: number;
}

export const TIMESERIES_COLUMNS: (keyof TimeseriesRow)[] = [
  "sim_time_s",
  "nodes_ready",
  "nodes_not_ready",
  "pods_pending",
  "pods_starting",
  "pods_running",
  "pods_created_total",
  "pods_scheduled_total",
  "pods_succeeded_total",
  "pods_lost_total",
  "pods_failed_total",
  "cpu_requested_ratio",
  "memory_requested_ratio",
  "cpu_requested_ratio_max",
  "nodes_overcommitted",
  // New columns go at the end: readers that index columns by position keep working.
  "memory_requested_ratio_max",
  "nodes_unknown",
  "nodes_tainted_noexecute",
  "pods_not_ready",
  "pods_terminating",
  "pods_evicted_total",
];

export function sampleCluster(timeUs: number, nodes: NodeTable, pods: PodCounters): TimeseriesRow {
  let ready = 0;
  let cpuAlloc = 0;
  let cpuReq = 0;
  let memAlloc = 0;
  let memReq = 0;
  let cpuMax = 0;
  let memMax = 0;
  let over = 0;
  let unknown = 0;
  let tainted = 0;
  let existing = 0;
  for (let i = 0; i < nodes.count; i++) {
    // A node without its Node object (deleted, or not provisioned yet) is no node of the cluster.
    if (nodes.exists[i] === 0) continue;
    existing++;
    if (nodes.readyCondition[i] >= ConditionStatus.Unknown) unknown++;
    if ((nodes.lifecycleTaints[i] & NO_EXECUTE_TAINTS) !== 0) tainted++;
    if (nodes.cpuReq[i] > nodes.cpuAlloc[i] || nodes.memReq[i] > nodes.memAlloc[i] || nodes.ephReq[i] > nodes.ephAlloc[i] || nodes.podCount[i] > nodes.podsAlloc[i]) {
      over++;
    }
    if (nodes.ready[i] === 0) continue;
    ready++;
    cpuAlloc += nodes.cpuAlloc[i];
    cpuReq += nodes.cpuReq[i];
    memAlloc += nodes.memAlloc[i];
    memReq += nodes.memReq[i];
    if (nodes.cpuAlloc[i] > 0) cpuMax = Math.max(cpuMax, nodes.cpuReq[i] / nodes.cpuAlloc[i]);
    if (nodes.memAlloc[i] > 0) memMax = Math.max(memMax, nodes.memReq[i] / nodes.memAlloc[i]);
  }
  return {
    sim_time_s: timeUs / US_PER_S,
    nodes_ready: ready,
    nodes_not_ready: existing - ready,
    pods_pending: pods.pending,
    pods_starting: pods.starting,
    pods_running: pods.running,
    pods_created_total: pods.created,
    pods_scheduled_total: pods.scheduled,
    pods_succeeded_total: pods.succeeded,
    pods_lost_total: pods.lost,
    pods_failed_total: pods.failed,
    cpu_requested_ratio: cpuAlloc > 0 ? cpuReq / cpuAlloc : 0,
    memory_requested_ratio: memAlloc > 0 ? memReq / memAlloc : 0,
    cpu_requested_ratio_max: cpuMax,
    nodes_overcommitted: over,
    memory_requested_ratio_max: memMax,
    nodes_unknown: unknown,
    nodes_tainted_noexecute: tainted,
    pods_not_ready: pods.notReady,
    pods_terminating: pods.terminating,
    pods_evicted_total: pods.evicted,
  };
}
