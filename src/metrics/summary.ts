/** The run's summary (summary.csv and the terminal table): metric, value rows. */
import type { PodCounters } from "./counters.js";
import type { LatencyHistogram } from "./latency.js";
import type { TimeseriesRow } from "./sampler.js";

export interface SummaryRow {
  metric: string;
  value: number;
}

export interface SummaryInputs {
  nodes: number;
  simDurationUs: number;
  counters: PodCounters;
  latency: LatencyHistogram;
  timeseries: readonly TimeseriesRow[];
  nodeFailures: number;
  eventsProcessed: number;
}

const ms = (us: number) => us / 1000;

export function summarize(s: SummaryInputs): SummaryRow[] {
  const ts = s.timeseries;
  const mean = (f: (r: TimeseriesRow) => number) => (ts.length === 0 ? 0 : ts.reduce((a, r) => a + f(r), 0) / ts.length);
  const max = (f: (r: TimeseriesRow) => number) => ts.reduce((a, r) => Math.max(a, f(r)), 0);
  const c = s.counters;
  return [
    { metric: "sim_duration_s", value: s.simDurationUs / 1e6 },
    { metric: "nodes", value: s.nodes },
    { metric: "node_failures", value: s.nodeFailures },
    { metric: "pods_created", value: c.created },
    { metric: "pods_scheduled", value: c.scheduled },
    { metric: "pods_succeeded", value: c.succeeded },
    { metric: "pods_lost", value: c.lost },
    { metric: "pods_failed", value: c.failed },
    { metric: "pods_pending_at_end", value: c.pending },
    { metric: "pods_running_at_end", value: c.running },
    { metric: "pods_pending_max", value: max((r) => r.pods_pending) },
    { metric: "scheduling_latency_p50_ms", value: ms(s.latency.percentileUs(50)) },
    { metric: "scheduling_latency_p90_ms", value: ms(s.latency.percentileUs(90)) },
    { metric: "scheduling_latency_p99_ms", value: ms(s.latency.percentileUs(99)) },
    { metric: "scheduling_latency_max_ms", value: ms(s.latency.maxUs) },
    { metric: "scheduling_latency_mean_ms", value: ms(s.latency.meanUs) },
    { metric: "cpu_requested_ratio_mean", value: mean((r) => r.cpu_requested_ratio) },
    { metric: "memory_requested_ratio_mean", value: mean((r) => r.memory_requested_ratio) },
    { metric: "cpu_requested_ratio_peak", value: max((r) => r.cpu_requested_ratio) },
    { metric: "sim_events_processed", value: s.eventsProcessed },
  ];
}
