/** The run's summary (summary.csv and the terminal table): metric, value rows. */
import { US_PER_S, US_PER_MS } from "../engine/simulation.js";
import type { PodCounters } from "./counters.js";
import type { LatencyHistogram } from "./latencyHistogram.js";
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
  /** Pod startup latency rows (startupSummary.ts), placed after the scheduling latency rows. */
  startup?: readonly SummaryRow[];
}

/** A latency figure in ms; 0 when no latency was recorded (no pod was bound), as summary.csv always wrote. */
const latencyMs = (h: LatencyHistogram, us: number) => (h.count === 0 ? 0 : us / US_PER_MS);

export function summarize(s: SummaryInputs): SummaryRow[] {
  const ts = s.timeseries;
  const mean = (f: (r: TimeseriesRow) => number) => (ts.length === 0 ? 0 : ts.reduce((a, r) => a + f(r), 0) / ts.length);
  const max = (f: (r: TimeseriesRow) => number) => ts.reduce((a, r) => Math.max(a, f(r)), 0);
  const c = s.counters;
  return [
    { metric: "sim_duration_s", value: s.simDurationUs / US_PER_S },
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
    { metric: "scheduling_latency_p50_ms", value: latencyMs(s.latency, s.latency.quantileUs(0.5)) },
    { metric: "scheduling_latency_p90_ms", value: latencyMs(s.latency, s.latency.quantileUs(0.9)) },
    { metric: "scheduling_latency_p99_ms", value: latencyMs(s.latency, s.latency.quantileUs(0.99)) },
    { metric: "scheduling_latency_max_ms", value: latencyMs(s.latency, s.latency.maxUs) },
    { metric: "scheduling_latency_mean_ms", value: latencyMs(s.latency, s.latency.meanUs()) },
    // Pods the percentiles above leave out: never bound by the end (still Pending, or deleted before binding), or Running at t=0 (a cluster export's adopted pods).
    { metric: "scheduling_latency_excluded_pods", value: c.created - s.latency.count },
    ...(s.startup ?? []),
    { metric: "cpu_requested_ratio_mean", value: mean((r) => r.cpu_requested_ratio) },
    { metric: "memory_requested_ratio_mean", value: mean((r) => r.memory_requested_ratio) },
    { metric: "cpu_requested_ratio_peak", value: max((r) => r.cpu_requested_ratio) },
    { metric: "sim_events_processed", value: s.eventsProcessed },
  ];
}
