/**
 * Sweep benchmark (issue 13): the same `kubesim sweep` on 1 and on 2 worker processes,
 * through the built CLI (a child process each time, as a user runs it): the quickstart
 * lengthened to 6 simulated hours (`--set duration=6h`), nodePools[0].count 240 and 260,
 * 4 seeds: 8 runs. Runs must be long against what a sweep does once (validating every
 * grid point, starting each worker process and compiling kubesim's hot code in it: V8's
 * JIT is per process) for the speed-up to be the cores'. Measured: the sweep's wall time (process.hrtime.bigint around
 * the child), runs per wall second, the sum of the runs' own wall times
 * (sweep-timing.csv) and the speed-up 1-worker wall / 2-worker wall. Each case runs
 * REPEATS times, alternating, and keeps its fastest (other users' load only ever slows a
 * run down). The 1-minute load average before each run is recorded: on a shared
 * machine it says how much of the 2 cores the sweep had.
 * Target: a speed-up ≥ 1.8 on 2 idle cores.
 *
 * Measured on the project's 2-vCPU VM, 2026-12-03, idle but for the bench (load average
 * 1.6–1.8): 1 worker 12.7 s, 2 workers 8.75 s, speed-up 1.45x (not met; worker threads
 * gave 1.36x). The vCPUs scale (two plain loops side by side: 10.6 s each, 12.2 s alone);
 * the runs do not: side by side they take 20–40 % longer each than apart: see
 * docs/sweep.md "Speed".
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchResults } from "./benchResults.js";

const TARGET_SPEEDUP = 1.8;
const REPEATS = 2;
const WORKERS = [1, 2];
const ARGS = ["--param", "nodePools[0].count=240,260", "--seeds", "4", "--set", "duration=6h", "--quiet"];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(root, "dist", "src", "cli", "main.js");
const SCENARIO = join(root, "scenarios", "quickstart.yaml");

interface Sample {
  workers: number;
  wall_s: number;
  runs: number;
  runs_wall_sum_s: number;
  load_avg_1m_before: number;
}

function sweepOnce(workers: number): Sample {
  const out = join(mkdtempSync(join(tmpdir(), "kubesim-sweep-bench-")), "sweep");
  const load = loadavg()[0];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [MAIN, "sweep", SCENARIO, ...ARGS, "--workers", String(workers), "--out", out], { encoding: "utf8" });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`sweep failed (${r.status}): ${r.stderr}`);
  const timing = readFileSync(join(out, "sweep-timing.csv"), "utf8").trimEnd().split("\n").slice(1);
  const runsWallSumS = timing.reduce((a, l) => a + Number(l.split(",")[2]), 0);
  rmSync(dirname(out), { recursive: true, force: true });
  return { workers, wall_s: wallS, runs: timing.length, runs_wall_sum_s: runsWallSumS, load_avg_1m_before: load };
}

function main(): void {
  const samples: Sample[] = [];
  for (let i = 0; i < REPEATS; i++) for (const w of WORKERS) samples.push(sweepOnce(w));
  const best = (w: number) => samples.filter((s) => s.workers === w).reduce((a, s) => (s.wall_s < a.wall_s ? s : a));
  const one = best(1);
  const two = best(2);
  const speedup = one.wall_s / two.wall_s;
  for (const s of samples) console.log(`workers ${s.workers}: ${s.wall_s.toFixed(2)} s wall, ${s.runs} runs (their own wall times sum to ${s.runs_wall_sum_s.toFixed(2)} s), load average ${s.load_avg_1m_before.toFixed(2)} before`);
  console.log(`speed-up (fastest of ${REPEATS}): ${one.wall_s.toFixed(2)} s / ${two.wall_s.toFixed(2)} s = ${speedup.toFixed(2)}x (target ${TARGET_SPEEDUP}x on 2 idle cores: ${speedup >= TARGET_SPEEDUP ? "PASS" : "not met"})`);
  writeBenchResults("sweep", [
    ...samples.map((s) => ({ case: "sample", ...s, runs_per_s: s.runs / s.wall_s })),
    { case: "best", workers_1_wall_s: one.wall_s, workers_2_wall_s: two.wall_s, speedup, target_speedup: TARGET_SPEEDUP, cores: WORKERS.length },
  ]);
}

main();
