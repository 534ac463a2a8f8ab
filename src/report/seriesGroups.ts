/**
 * Which columns of the wide time-series files share a chart. Only known columns are
 * listed; a column not in any group (a column a later kubesim adds) still gets a chart of
 * its own under "other series" (timeSeriesCharts.ts), so nothing a run wrote is left out.
 */

export interface SeriesGroup {
  title: string;
  yLabel: string;
  columns: string[];
}

/** timeseries.csv (docs/output.md). */
const CLUSTER: SeriesGroup[] = [
  { title: "Pods by phase", yLabel: "pods", columns: ["pods_pending", "pods_starting", "pods_running", "pods_not_ready", "pods_terminating"] },
  { title: "Nodes by condition", yLabel: "nodes", columns: ["nodes_ready", "nodes_not_ready", "nodes_unknown", "nodes_tainted_noexecute", "nodes_overcommitted"] },
  { title: "Utilisation (requests / allocatable, Ready nodes)", yLabel: "ratio", columns: ["cpu_requested_ratio", "memory_requested_ratio", "cpu_requested_ratio_max", "memory_requested_ratio_max"] },
  {
    title: "Pods, cumulative",
    yLabel: "pods",
    columns: ["pods_created_total", "pods_scheduled_total", "pods_succeeded_total", "pods_lost_total", "pods_failed_total", "pods_evicted_total"],
  },
];

/** controlplane.csv (docs/controlplane.md). */
const CONTROL_PLANE: SeriesGroup[] = [
  { title: "API availability", yLabel: "ratio", columns: ["api_availability"] },
  {
    title: "API requests and errors per interval",
    yLabel: "requests",
    columns: ["api_requests", "api_errors", "api_throttled_429", "api_etcd_timeouts", "api_etcd_unavailable", "api_connections_failed", "api_conflicts_409"],
  },
  { title: "etcd latency", yLabel: "ms", columns: ["etcd_write_p50_ms", "etcd_write_p99_ms", "etcd_read_p50_ms", "etcd_read_p99_ms"] },
  { title: "etcd term and members up", yLabel: "count", columns: ["etcd_term", "etcd_members_up", "apiservers_in_pool"] },
  { title: "etcd throughput", yLabel: "per interval / per s", columns: ["commits_per_s", "etcd_writes"] },
];

export const SERIES_GROUPS: Record<string, SeriesGroup[]> = {
  "timeseries.csv": CLUSTER,
  "controlplane.csv": CONTROL_PLANE,
};

/** Section titles of the files kubesim writes; any other file is titled by its name. */
export const FILE_TITLES: Record<string, string> = {
  "timeseries.csv": "Cluster",
  "controlplane.csv": "Control plane",
  "api_requests.csv": "API requests by verb",
  "etcd_members.csv": "etcd members",
  "elections.csv": "etcd elections",
  "leases.csv": "Leader leases",
  "pools.csv": "Node pools",
  "zones.csv": "Zones",
  "workloads.csv": "Workloads",
  "services.csv": "Services",
  "nodes.csv": "Node conditions and taints",
  "events.csv": "Events",
  "etcd_write_latency_histogram.csv": "etcd write latency (histogram)",
};

/**
 * Text columns that name what a row is about in a file with one row per instant and
 * thing (pools.csv's pool): such a file is charted with one series per value, even when
 * it has a single value (one pool). Any other text column of a file with one row per
 * instant is a state (etcd_leader), charted as its number of changes.
 */
export const KEY_COLUMNS = ["pool", "zone", "workload", "service", "verb", "member", "lease", "node", "series"];

/** Files that are logs of events even though they have numeric columns (elections.csv's no_leader_ms). */
export const EVENT_LOG_FILES = ["events.csv", "nodes.csv", "leases.csv", "elections.csv"];

/** Order of the sections: these first, then the other files by name. */
export const FILE_ORDER = ["timeseries.csv", "controlplane.csv", "api_requests.csv", "etcd_members.csv", "elections.csv", "leases.csv", "pools.csv", "zones.csv", "workloads.csv", "services.csv", "nodes.csv", "events.csv"];

/** The column an event log is grouped by in its timeline, when the file has one. */
export const EVENT_CATEGORY_COLUMNS = ["kind", "event", "cause", "reason", "name"];
