/**
 * One whole run of a scenario file in-process, timed as the whole-run benchmarks
 * measure it: load and resolve (prepareScenario), a ClusterRun stepped with advance()
 * every `stepUs` simulated microseconds, finish() (pods.csv rows and the summary, not the
 * CSV files). Wall times come from process.hrtime; peak RSS from the OS's high-water
 * mark (process.resourceUsage().maxRSS, the whole process) and the largest
 * process.memoryUsage() rss and heapUsed sampled between steps.
 */
import { readFileSync } from "node:fs";
import { parseScenarioText, prepareScenario } from "../src/scenario/load.js";
import { ClusterRun, type RunResult } from "../src/run/run.js";

export interface TimedRun {
  run: ClusterRun;
  result: RunResult;
  durationUs: number;
  loadS: number;
  runS: number;
  wallS: number;
  maxRssBytes: number;
  sampledRssPeakBytes: number;
  sampledHeapUsedPeakBytes: number;
}

const seconds = (ns: bigint) => Number(ns) / 1e9;

/** `file` is read from `path`; `file` names it in warnings and errors. */
export function timedRun(file: string, path: string, stepUs: number): TimedRun {
  const t0 = process.hrtime.bigint();
  const { spec, warnings } = prepareScenario(parseScenarioText(file, readFileSync(path, "utf8")), file);
  for (const w of warnings) console.warn(w);
  const tLoaded = process.hrtime.bigint();
  let peakRss = 0;
  let peakHeap = 0;
  const sampleMemory = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const run = new ClusterRun(spec);
  for (let t = stepUs; t < spec.durationUs; t += stepUs) {
    run.advance(t);
    sampleMemory();
  }
  const result = run.finish();
  sampleMemory();
  const tEnd = process.hrtime.bigint();
  return {
    run,
    result,
    durationUs: spec.durationUs,
    loadS: seconds(tLoaded - t0),
    runS: seconds(tEnd - tLoaded),
    wallS: seconds(tEnd - t0),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampledRssPeakBytes: peakRss,
    sampledHeapUsedPeakBytes: peakHeap,
  };
}

const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);

/** The fields every whole-run benchmark reports of its timing and memory (results/bench rows). */
export function timingFields(t: TimedRun) {
  return {
    wall_s: Number(t.wallS.toFixed(2)),
    load_s: Number(t.loadS.toFixed(2)),
    run_s: Number(t.runS.toFixed(2)),
    max_rss_mib: mib(t.maxRssBytes),
    sampled_rss_peak_mib: mib(t.sampledRssPeakBytes),
    sampled_heap_used_peak_mib: mib(t.sampledHeapUsedPeakBytes),
    sim_events: t.result.counts.simEvents,
  };
}
