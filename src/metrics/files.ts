/** The standard output files of a run, as tables. */
import { EVENT_COLUMNS, type EventRow } from "./events.js";
import { NODE_TRANSITION_COLUMNS, type NodeTransitionRow } from "./nodeTransitions.js";
import { WORKLOAD_COLUMNS, type WorkloadRow } from "./workloadStatus.js";
import { WORKLOAD_SUMMARY_COLUMNS, type WorkloadSummaryRow } from "./workloadSummary.js";
import { POOL_CLOUD_COLUMNS, POOL_COLUMNS, ZONE_COLUMNS, type PoolRatioRow, type ZoneRatioRow } from "./groupRatios.js";
import { POD_COLUMNS, type PodRow } from "./podRows.js";
import { TIMESERIES_COLUMNS, type TimeseriesRow } from "./sampler.js";
import type { SummaryRow } from "./summary.js";
import { tableOf, type Table } from "./tables.js";

export interface RunTables {
  timeseries: readonly TimeseriesRow[];
  pods: readonly PodRow[];
  events: readonly EventRow[];
  summary: readonly SummaryRow[];
  pools: readonly PoolRatioRow[];
  zones: readonly ZoneRatioRow[];
  /** Node condition, taint and object transitions (nodes.csv). */
  nodes: readonly NodeTransitionRow[];
  /** Workload status per sample (workloads.csv). */
  workloads: readonly WorkloadRow[];
  /** Per workload over the run (workload_summary.csv). */
  workloadSummary: readonly WorkloadSummaryRow[];
  tables: readonly Table[];
}

export function standardTables(r: RunTables): Table[] {
  return [
    tableOf("timeseries.csv", TIMESERIES_COLUMNS, r.timeseries),
    tableOf("pods.csv", POD_COLUMNS, r.pods),
    tableOf("events.csv", EVENT_COLUMNS, r.events),
    tableOf("summary.csv", ["metric", "value"], r.summary),
    tableOf("pools.csv", r.pools.length > 0 && r.pools[0].cost_total !== undefined ? [...POOL_COLUMNS, ...POOL_CLOUD_COLUMNS] : POOL_COLUMNS, r.pools),
    tableOf("zones.csv", ZONE_COLUMNS, r.zones),
    tableOf("nodes.csv", NODE_TRANSITION_COLUMNS, r.nodes),
    tableOf("workloads.csv", WORKLOAD_COLUMNS, r.workloads),
    tableOf("workload_summary.csv", WORKLOAD_SUMMARY_COLUMNS, r.workloadSummary),
    ...r.tables,
  ];
}
