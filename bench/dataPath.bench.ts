/**
 * Data-path benchmark (issue 11): one run of bench/data-path-5000.yaml, in-process.
 * 5,000 nodes in three zones, no control plane section (fixed-latency API), so what is
 * measured is the node data path: the container runtime (sandbox, image pulls, image
 * cache), readiness and liveness probes on 5,000 pods, the EndpointSlice controller,
 * kube-proxy on every node and 2,000 requests/s over 10 Services; one rollout
 * (set-image of app-0 at 10 min) and one node partition (general-17, 20 to 25 min);
 * 30 simulated minutes.
 *
 * As bench/zoneOutage.bench.ts: the scenario is loaded and resolved, a ClusterRun is
 * stepped with advance() every 60 simulated seconds, finish() collects the results.
 * Measured:
 *   - wall time (process.hrtime.bigint) of load + run + finish, and of run + finish alone
 *     ("run"); simulated seconds and requests sent per wall second use the run alone;
 *   - peak RSS: process.resourceUsage().maxRSS (the process's high-water mark) and the
 *     largest process.memoryUsage() rss / heapUsed sampled between steps;
 *   - simulation events processed (sim.eventsRun);
 *   - from summary.csv rows: requests sent, served, failed by reason (summed over the
 *     10 Services), image pulls, probes run and failed, kube-proxy syncs.
 * Target: under 60 s and under 2 GiB.
 *
 * Measured on the shared 2-core machine (one run, seed 1, Node 20, load average ~3 from
 * other users), 2026-12-03:
 *   wall 16.8 s (load 0.5 s, run 16.3 s), maxRSS 149 MiB (heapUsed peak 59 MiB),
 *   15,068,213 events (0.92 M/s), 110 simulated s and 220,871 requests per wall s;
 *   5,500 pods (5,000 + app-0's 500 new ones); 3,602,626 requests sent, 3,545,872
 *   served, 56,695 failed: no-endpoints 56,398 (~28 s per Service: presumably before its
 *   first pod is Ready after pull, warm-up and probe tick; not checked per interval),
 *   not-serving 173, node-unreachable 118,
 *   overloaded 6, endpoint-gone 0; 59 in flight at the end;
 *   2,317 image pulls (1.86 TB); 802,385 liveness and 833,068 readiness probes (7,497
 *   readiness failures: warm-up), no probe kills; 1,875,001 kube-proxy syncs, 6,783
 *   EndpointSlice writes. Target met (PASS).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { US_PER_S } from "../src/engine/simulation.js";
import { FAILURE_REASONS } from "../src/proxy/requestLoad.js";
import { writeBenchResults } from "./benchResults.js";
import { timedRun, timingFields } from "./timedRun.js";

const SCENARIO = "bench/data-path-5000.yaml";
const STEP_US = 60 * US_PER_S;
const TARGET_WALL_S = 60;
const TARGET_RSS_BYTES = 2 * 1024 ** 3;
/** summary.csv rows copied as they are (those present in the run). */
const RUNTIME_METRICS = [
  "image_pulls",
  "image_pull_bytes",
  "image_pulls_failed",
  "images_removed_by_gc",
  "probes_liveness",
  "probe_failures_liveness",
  "probes_readiness",
  "probe_failures_readiness",
  "containers_killed_by_probes",
  "kube_proxy_syncs",
  "endpointslice_writes_failed",
  "pod_startup_p99_s",
  "pod_startup_slo_p99_s",
];

/** The scenario sits next to this file in the source tree (dist/bench/ -> bench/). */
function scenarioPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, "..", "..", SCENARIO);
}


/** Sum of the per-Service summary rows `<prefix>{service=...}`. */
function sumOverServices(summary: { metric: string; value: number }[], prefix: string): number {
  return summary.filter((r) => r.metric.startsWith(`${prefix}{service=`)).reduce((a, r) => a + r.value, 0);
}

function main(): void {
  const timed = timedRun(SCENARIO, scenarioPath(), STEP_US);
  const { result, durationUs, runS, wallS, maxRssBytes, run } = timed;

  const summary = result.summary;
  const byMetric = new Map(summary.map((r) => [r.metric, r.value]));
  const requestsSent = sumOverServices(summary, "service_requests_sent");
  const failedByReason = Object.fromEntries(FAILURE_REASONS.map((r) => [r, sumOverServices(summary, `service_requests_failed_${r.replace(/-/g, "_")}`)]));

  const simS = durationUs / US_PER_S;
  const row = {
    case: "data-path-5000",
    nodes: run.spec.nodes.length,
    sim_duration_s: simS,
    ...timingFields(timed),
    sim_events_per_s: Math.round(result.counts.simEvents / runS),
    sim_s_per_wall_s: Number((simS / runS).toFixed(1)),
    requests_per_wall_s: Math.round(requestsSent / runS),
    pods: result.counts.pods,
    requests_sent: requestsSent,
    requests_served: sumOverServices(summary, "service_requests_served"),
    requests_failed: sumOverServices(summary, "service_requests_failed"),
    requests_failed_by_reason: failedByReason,
    requests_in_flight_at_end: sumOverServices(summary, "service_requests_in_flight_at_end"),
    endpoint_slice_writes: sumOverServices(summary, "service_endpoint_slice_writes"),
    ...Object.fromEntries(RUNTIME_METRICS.filter((m) => byMetric.has(m)).map((m) => [m, byMetric.get(m)])),
    target_met: wallS < TARGET_WALL_S && maxRssBytes < TARGET_RSS_BYTES,
  };

  const n = (v: number) => v.toLocaleString("en-US");
  const line = (k: string, v: string) => console.log(`${k.padEnd(34)} ${v}`);
  line("wall time (load + run + finish)", `${row.wall_s.toFixed(1)} s (load ${row.load_s} s, run ${row.run_s} s)  [target < ${TARGET_WALL_S} s]`);
  line("peak RSS (resourceUsage.maxRSS)", `${row.max_rss_mib} MiB  [target < 2048 MiB]`);
  line("sampled peak rss / heapUsed", `${row.sampled_rss_peak_mib} / ${row.sampled_heap_used_peak_mib} MiB`);
  line("simulation events", `${n(row.sim_events)} (${(row.sim_events_per_s / 1e6).toFixed(2)} M/s of run)`);
  line("simulated s per wall s (run)", String(row.sim_s_per_wall_s));
  line("requests per wall s (run)", n(row.requests_per_wall_s));
  line("pods created", n(row.pods));
  line("requests sent / served / failed", `${n(row.requests_sent)} / ${n(row.requests_served)} / ${n(row.requests_failed)} (in flight at end ${n(row.requests_in_flight_at_end)})`);
  for (const [reason, count] of Object.entries(failedByReason)) line(`  failed ${reason}`, n(count));
  line("endpoint slice writes", n(row.endpoint_slice_writes));
  for (const m of RUNTIME_METRICS) if (byMetric.has(m)) line(m, n(byMetric.get(m)!));
  line("target (< 60 s, < 2 GiB)", row.target_met ? "PASS" : "FAIL");
  writeBenchResults("data-path", [row]);
}

main();
