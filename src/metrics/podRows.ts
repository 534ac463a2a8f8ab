/** One row per pod ever created (pods.csv), from the pod table. */
import { US_PER_S } from "../engine/simulation.js";
import type { NodeTable } from "../model/nodeTable.js";
import type { Interner } from "../model/interner.js";
import { PodPhase, type PodTable } from "../model/podTable.js";

export interface PodRow {
  pod: string;
  namespace: string;
  /** Owner kind/namespace/name, empty for a bare Pod. */
  owner: string;
  created_s: number;
  scheduled_s: number | null;
  running_s: number | null;
  deleted_s: number | null;
  node: string;
  /** completed, evicted, pod-gc, preempted, node-failure, deadline-exceeded, a kubelet rejection (OutOfcpu, ...); or the state at the end of the run: pending, starting, running, terminating. */
  outcome: string;
  /** Effective requests as the scheduler and the node account them (containers, init containers, overhead). */
  cpu_request_milli: number;
  memory_request_bytes: number;
  /** spec.priority after admission (PriorityClass resolved). */
  priority: number;
  /** spec.schedulerName after defaulting: the profile that schedules the pod. */
  scheduler_name: string;
  /** The last FailedScheduling message, empty for a pod that never failed a scheduling attempt. */
  last_failed_scheduling_message: string;
  /** metadata.deletionTimestamp: when a graceful deletion began (the pod was Terminating until deleted_s). */
  deletion_requested_s: number | null;
  /** Container restarts (after its node came back from a crash). */
  restarts: number;
  /**
   * The pod startup SLI (sig-scalability pod_startup_latency.md, the kubelet's
   * kubelet_pod_start_sli_duration_seconds): creation to all containers started, minus
   * image pulling and init containers' run time; empty when the pod never started.
   */
  startup_slo_s: number | null;
  /** Creation to all containers started, in full (kubelet_pod_start_total_duration_seconds); empty when it never started. */
  startup_s: number | null;
}

// New columns go at the end: readers that index columns by position keep working.
export const POD_COLUMNS: (keyof PodRow)[] = [
  "pod",
  "namespace",
  "owner",
  "created_s",
  "scheduled_s",
  "running_s",
  "deleted_s",
  "node",
  "outcome",
  "cpu_request_milli",
  "memory_request_bytes",
  "priority",
  "scheduler_name",
  "last_failed_scheduling_message",
  "deletion_requested_s",
  "restarts",
  "startup_slo_s",
  "startup_s",
];

/** What pods.csv needs besides the tables: per template its schedulerName, per pod its last FailedScheduling message. */
export interface PodRowExtras {
  schedulerNames: readonly string[];
  lastSchedulingFailure: ReadonlyMap<number, string>;
  /** Per pod: what the startup SLI leaves out (us; -1 or absent: nothing), from the container runtime model. */
  startupExcludedUs?: Float64Array;
  /** Pods Running when the run began (a cluster export's, run/adoptedPods.ts): no startup to measure, the startup columns are empty. */
  runningAtStart?: ReadonlySet<number>;
}

const seconds = (us: number): number | null => (us < 0 ? null : us / US_PER_S);

function startupColumns(pods: PodTable, p: number, excludedUs: Float64Array | undefined, runningAtStart: ReadonlySet<number> | undefined): { startup_slo_s: number | null; startup_s: number | null } {
  if (pods.runningUs[p] < 0 || runningAtStart?.has(p) === true) return { startup_slo_s: null, startup_s: null };
  const fullUs = pods.runningUs[p] - pods.createdUs[p];
  const excluded = excludedUs !== undefined && p < excludedUs.length && excludedUs[p] > 0 ? excludedUs[p] : 0;
  return { startup_slo_s: (fullUs - excluded) / US_PER_S, startup_s: fullUs / US_PER_S };
}

export function podRows(pods: PodTable, nodes: NodeTable, owners: readonly string[], outcomes: Interner, extras: PodRowExtras): PodRow[] {
  const rows: PodRow[] = [];
  for (let p = 0; p < pods.count; p++) {
    const phase = pods.phase[p];
    const outcome =
      pods.outcome[p] >= 0
        ? outcomes.name(pods.outcome[p])
        : phase === PodPhase.Pending
          ? "pending"
          : phase === PodPhase.Scheduled
            ? "starting"
            : pods.deletionUs[p] >= 0
              ? "terminating"
              : "running";
    rows.push({
      pod: pods.names[p],
      namespace: pods.namespaces[p],
      owner: pods.owner[p] >= 0 ? owners[pods.owner[p]] : "",
      created_s: pods.createdUs[p] / US_PER_S,
      scheduled_s: seconds(pods.scheduledUs[p]),
      running_s: seconds(pods.runningUs[p]),
      deleted_s: seconds(pods.deletedUs[p]),
      node: pods.node[p] >= 0 ? nodes.names[pods.node[p]] : "",
      outcome,
      cpu_request_milli: pods.cpuReq[p],
      memory_request_bytes: pods.memReq[p],
      priority: pods.priority[p],
      scheduler_name: extras.schedulerNames[pods.template[p]],
      last_failed_scheduling_message: extras.lastSchedulingFailure.get(p) ?? "",
      deletion_requested_s: seconds(pods.deletionUs[p]),
      restarts: pods.restarts[p],
      ...startupColumns(pods, p, extras.startupExcludedUs, extras.runningAtStart),
    });
  }
  return rows;
}
