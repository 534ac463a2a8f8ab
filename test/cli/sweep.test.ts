/**
 * `kubesim sweep` as a user runs it (the built CLI): a 2-parameter × 3-value × 5-seed
 * sweep of the quickstart on 2 worker processes, the same sweep as 3 shards of an
 * Indexed Job (JOB_COMPLETION_INDEX) merged to the same bytes, common random numbers
 * across grid points, and the one-line errors. The runs are shortened to 2 minutes of
 * virtual time (--set duration=2m) to keep the test fast; the faults at 20 and 35 min
 * are then not reached.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim } from "./builtCli.js";

beforeAll(ensureBuiltCli, 120_000);

const QUICKSTART = join(process.cwd(), "scenarios/quickstart.yaml");
const GRID = ["--param", "nodePools[0].count=200,240,280", "--param", "workloads[2].rate=1..3", "--seeds", "5", "--set", "duration=2m"];

const kubesimEnv = (args: string[], env: Record<string, string>) => kubesim(args, process.cwd(), { env });

const tmp = () => mkdtempSync(join(tmpdir(), "kubesim-sweep-"));
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const csvRows = (text: string) => text.trimEnd().split("\n").map((l) => l.split(","));

describe("kubesim sweep", () => {
  const root = tmp();
  const whole = join(root, "whole");
  let wholeRun: ReturnType<typeof kubesim>;

  beforeAll(() => {
    wholeRun = kubesim(["sweep", QUICKSTART, ...GRID, "--workers", "2", "--out", whole]);
  }, 120_000);

  it("runs every grid point with every seed, each in its own run folder", () => {
    expect(wholeRun.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("warning: "))).toEqual([]);
    expect(wholeRun.code).toBe(0);
    const runs = readdirSync(join(whole, "runs")).sort();
    expect(runs).toHaveLength(45);
    expect(runs).toContain("p8-s5");
    // A run folder is a `kubesim run` folder: its manifest holds the point's overrides and the seed.
    const manifest = JSON.parse(read(join(whole, "runs", "p5-s3"), "manifest.json"));
    expect(manifest.seed).toBe(3);
    expect(manifest.overrides).toEqual(["duration=2m", "nodePools[0].count=240", "workloads[2].rate=3"]);
  });

  it("sweep.csv: one row per run in (point, seed) order, the params as typed, then summary.csv's metrics", () => {
    const rows = csvRows(read(whole, "sweep.csv"));
    const summary = csvRows(read(join(whole, "runs", "p0-s1"), "summary.csv"));
    expect(rows[0]).toEqual(["point", "nodePools[0].count", "workloads[2].rate", "seed", ...summary.slice(1).map((r) => r[0])]);
    expect(rows).toHaveLength(1 + 45);
    expect(rows.slice(1, 7).map((r) => r.slice(0, 4).join(" "))).toEqual(["0 200 1 1", "0 200 1 2", "0 200 1 3", "0 200 1 4", "0 200 1 5", "1 200 2 1"]);
    expect(rows[45].slice(0, 4)).toEqual(["8", "280", "3", "5"]);
    // The values are the runs' own: p0-s1's summary row by row.
    expect(rows[1].slice(4)).toEqual(summary.slice(1).map((r) => r[1]));
    // nodes = pool 0 + 60 highmem nodes.
    const nodes = rows[0].indexOf("nodes");
    expect(rows.slice(1).map((r) => Number(r[nodes]))).toEqual([...Array(15).fill(260), ...Array(15).fill(300), ...Array(15).fill(340)]);
  });

  it("sweep-summary.csv: per point and metric, n = 5 seeds, mean and interval of the five values, paired against point 0", () => {
    const rows = csvRows(read(whole, "sweep-summary.csv"));
    expect(rows[0]).toEqual([
      "point", "nodePools[0].count", "workloads[2].rate", "metric", "n", "mean", "sd", "ci95_low", "ci95_high",
      "baseline_point", "paired_n", "paired_diff_mean", "paired_diff_sd", "paired_ci95_low", "paired_ci95_high",
    ]);
    const sweepRows = csvRows(read(whole, "sweep.csv"));
    const col = sweepRows[0].indexOf("pods_created");
    const values = (p: number) => sweepRows.slice(1).filter((r) => r[0] === String(p)).map((r) => Number(r[col]));
    const row = rows.find((r) => r[0] === "4" && r[3] === "pods_created")!;
    const x = values(4);
    const m = x.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
    expect(Number(row[4])).toBe(5);
    expect(Number(row[5])).toBeCloseTo(m, 5);
    expect(Number(row[6])).toBeCloseTo(sd, 5);
    // t_{0.975,4} = 2.776 (published table).
    expect(Number(row[8]) - Number(row[5])).toBeCloseTo((2.776 * sd) / Math.sqrt(5), 2);
    const d = x.map((v, i) => v - values(0)[i]);
    expect(row[9]).toBe("0");
    expect(Number(row[10])).toBe(5);
    expect(Number(row[11])).toBeCloseTo(d.reduce((a, b) => a + b, 0) / 5, 5);
    // The baseline's own rows have no paired figures.
    expect(rows.find((r) => r[0] === "0" && r[3] === "pods_created")!.slice(9)).toEqual(["0", "", "", "", "", ""]);
    expect(rows).toHaveLength(1 + 9 * (sweepRows[0].length - 4));
  });

  it("sweep-timing.csv holds the wall clock (one row per run); the terminal shows a table per point", () => {
    const rows = csvRows(read(whole, "sweep-timing.csv"));
    expect(rows[0]).toEqual(["point", "seed", "wall_s", "sim_s_per_wall_s"]);
    expect(rows).toHaveLength(46);
    expect(wholeRun.stdout).toMatch(/point\s+nodePools\[0\]\.count\s+workloads\[2\]\.rate\s+runs\s+scheduling_latency_p99_ms \(95% CI\)/);
    expect(wholeRun.stdout).toContain(`results: ${whole}`);
  });

  it("3 shards (JOB_COMPLETION_INDEX=0,1,2 with --shards 3), merged, give byte-identical sweep.csv and sweep-summary.csv", () => {
    const shardDirs = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    for (const [i, dir] of shardDirs.entries()) {
      const r = kubesimEnv(["sweep", QUICKSTART, ...GRID, "--workers", "1", "--shards", "3", "--out", dir, "--quiet"], { JOB_COMPLETION_INDEX: String(i) });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
      // Shard i runs r with r mod 3 = i: 15 of the 45.
      expect(readdirSync(join(dir, "runs"))).toHaveLength(15);
      expect(JSON.parse(read(dir, "shard.json")).shard).toEqual({ index: i, count: 3 });
    }
    expect(readdirSync(join(shardDirs[1], "runs"))).toContain("p0-s2");
    const merged = join(root, "merged");
    const m = kubesim(["sweep", "merge", ...shardDirs, "--out", merged]);
    expect(m.stderr).toBe("");
    expect(m.code).toBe(0);
    expect(read(merged, "sweep.csv")).toBe(read(whole, "sweep.csv"));
    expect(read(merged, "sweep-summary.csv")).toBe(read(whole, "sweep-summary.csv"));
    // The merged sweep records where its runs are.
    const record = JSON.parse(read(merged, "sweep.json"));
    expect(record.runs).toHaveLength(45);
    expect(existsSync(join(merged, record.runs[7].dir, "summary.csv"))).toBe(true);

    // The merge refuses what is not the n shards of one sweep, in one line naming the folder.
    let attempt = 0;
    const bad = (args: string[], message: string) => {
      const r = kubesim(["sweep", "merge", ...args, "--out", join(root, `refused-merge-${attempt++}`)]);
      expect(r.stderr).toBe(`${message}\n`);
      expect(r.code).toBe(2);
    };
    bad([shardDirs[0], shardDirs[2]], "kubesim sweep merge: expected all 3 shards of the sweep, got 2 (missing shard 1)");
    bad([shardDirs[0], shardDirs[1], shardDirs[1], shardDirs[2]], `${shardDirs[1]}: expected each shard once, got shard 1/3 again (also ${shardDirs[1]})`);
    bad([shardDirs[0], whole], `${whole}: expected a sweep shard's folder with shard.json (written when the shard's last run is done), got none`);
    const other = join(root, "other-shard");
    mkdirSync(other);
    const record1 = JSON.parse(read(shardDirs[1], "shard.json"));
    writeFileSync(join(other, "shard.json"), JSON.stringify({ ...record1, seeds: [1, 2, 3, 4, 6] }));
    bad([shardDirs[0], other, shardDirs[2]], `${other}: expected a shard of the same sweep as ${shardDirs[0]}, got other seeds`);
    const broken = join(root, "broken-shard");
    mkdirSync(broken);
    writeFileSync(join(broken, "shard.json"), JSON.stringify({ ...record1, runs: "all" }));
    bad([shardDirs[0], broken, shardDirs[2]], `${join(broken, "shard.json")}: expected a kubesim sweep shard record (kind kubesim-sweep-shard, scenario, params, seeds, set, shard, runs), got something else`);
  });

  it("a shard's pod replaced by the Job (backoffLimitPerIndex) runs again in the folder its first attempt left: unfinished is redone, finished is kept", () => {
    const args = (dir: string) => ["sweep", QUICKSTART, ...GRID, "--workers", "1", "--shards", "3", "--out", dir, "--quiet"];
    // Unfinished: a first attempt died after some runs (runs/ without shard.json, a temporary file).
    const retried = join(root, "retried-shard-1");
    mkdirSync(join(retried, "runs", "p0-s2"), { recursive: true });
    writeFileSync(join(retried, "runs", "p0-s2", "pods.csv"), "half-written");
    writeFileSync(join(retried, ".shard.json.tmp-123"), "{");
    const again = kubesimEnv(args(retried), { JOB_COMPLETION_INDEX: "1" });
    expect([again.code, again.stderr]).toEqual([0, ""]);
    for (const f of ["shard.json", "runs/p0-s2/pods.csv", "runs/p0-s5/summary.csv"]) expect(read(retried, f)).toBe(read(join(root, "shard-1"), f));
    expect(readdirSync(retried).sort()).toEqual(["runs", "shard.json"]);
    // Finished: the same shard again is done at once and leaves the folder as it was.
    const before = read(retried, "shard.json");
    const done = kubesimEnv([...args(retried).filter((a) => a !== "--quiet")], { JOB_COMPLETION_INDEX: "1" });
    expect([done.code, done.stderr]).toEqual([0, ""]);
    expect(done.stdout).toContain("shard 1/3: already complete");
    expect(read(retried, "shard.json")).toBe(before);
    // Another shard's folder is refused, in one line.
    const other = kubesimEnv(args(retried), { JOB_COMPLETION_INDEX: "2" });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`--out: ${retried}: expected a new or empty folder, or one an earlier attempt of this shard left, got the shard.json of another sweep or shard\n`);
  });

  it("grid points share the seed's random streams (common random numbers): same arrivals and lifetimes, whatever the pool size", () => {
    const batch = (dir: string) =>
      read(dir, "pods.csv")
        .split("\n")
        .filter((l) => l.includes("PoissonArrivals/jobs/batch"))
        .map((l) => l.split(","))
        // pod name, created_s, running → deleted (its lifetime)
        .map((c) => `${c[0]} ${c[3]} ${c[6] === "" ? "" : (Number(c[6]) - Number(c[5])).toFixed(6)}`);
    const p0 = batch(join(whole, "runs", "p0-s2"));
    const p6 = batch(join(whole, "runs", "p6-s2")); // nodePools[0].count 280 instead of 200, same rate
    expect(p0.length).toBeGreaterThan(100);
    expect(p6).toEqual(p0);
    // ... while another seed draws other arrivals.
    expect(batch(join(whole, "runs", "p0-s3"))).not.toEqual(p0);
    // The pool size did change the placements.
    const nodesOf = (dir: string) => read(dir, "pods.csv").split("\n").slice(1, 200).map((l) => l.split(",")[7]);
    expect(nodesOf(join(whole, "runs", "p6-s2"))).not.toEqual(nodesOf(join(whole, "runs", "p0-s2")));
  });
});

describe("kubesim sweep: bad input is one line, exit 2, no sweep tables", () => {
  const refused = (args: string[], message: string | RegExp) => {
    const out = join(tmp(), "out");
    const r = kubesim(["sweep", ...args, "--out", out]);
    if (typeof message === "string") expect(r.stderr).toBe(`${message}\n`);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.code).toBe(2);
    expect(existsSync(join(out, "sweep.csv")) || existsSync(join(out, "sweep-summary.csv"))).toBe(false);
    return out;
  };

  it("a value the scenario refuses names the grid point's params, before any run", () => {
    const out = refused(
      [QUICKSTART, "--param", "nodePools[0].count=200,ten", "--param", "workloads[2].rate=1,2", "--seeds", "2"],
      `--param nodePools[0].count=ten --param workloads[2].rate=1 (grid point 2): ${QUICKSTART}: nodePools[0].count: expected a positive integer, got "ten"`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a path that names nothing, a bad range, a bad flow value, a bad --seeds, --shard, --baseline or --workers", () => {
    refused([QUICKSTART, "--param", "nodePools[0].cout=1,2", "--seeds", "2"], /^--param nodePools\[0\]\.cout: expected a field of nodePools\[0\] \(a mapping: name, count, .*\), got "cout"\n$/);
    refused([QUICKSTART, "--param", "nodePools[0].count=1..x", "--seeds", "2"], '--param nodePools[0].count: expected an integer range like 1..5 or 1..9..2, got "1..x"');
    refused([QUICKSTART, "--param", "nodePools[0].zones=[a,b", "--seeds", "2"], /^--param nodePools\[0\]\.zones: expected a YAML value \(.*\), got "\[a,b"\n$/);
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "0"], '--seeds: expected a positive number of seeds or a list like 1,5,9, got "0"');
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "2", "--shard", "3/3"], '--shard: expected i/n with 0 <= i < n (shards are numbered from 0), got "3/3"');
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "2", "--baseline", "nodePools[0].count=3"], '--baseline nodePools[0].count: expected one of its --param values (1, 2), got "3"');
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "2", "--workers", "0"], '--workers: expected a number of worker processes from 1 to 256, got "0"');
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "2", "--bogus"], "kubesim: Unknown argument: bogus (see kubesim --help)");
    refused([QUICKSTART, "--param", "nodePools[0].count=1,2"], "kubesim: expected --seeds (see kubesim --help)");
  });

  it("JOB_COMPLETION_INDEX without --shards is refused (every pod would run the whole sweep)", () => {
    const r = kubesimEnv(["sweep", QUICKSTART, "--param", "nodePools[0].count=1,2", "--seeds", "2", "--out", join(tmp(), "o")], { JOB_COMPLETION_INDEX: "1" });
    expect(r.stderr).toBe("--shards: expected the number of shards (the Job's completions) with JOB_COMPLETION_INDEX=1 set, got none (give --shards n, or unset JOB_COMPLETION_INDEX to run the whole sweep)\n");
    expect(r.code).toBe(2);
  });

  it("refuses a non-empty --out folder", () => {
    const dir = tmp();
    writeFileSync(join(dir, "notes.txt"), "mine");
    const r = kubesim(["sweep", QUICKSTART, "--param", "nodePools[0].count=200", "--seeds", "1", "--set", "duration=1m", "--out", dir]);
    expect(r.stderr).toBe(`--out: ${dir}: expected a new or empty folder for the sweep, got one with files (remove it or give another --out)\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("`kubesim sweep merge a b` parses as the merge subcommand", () => {
    const r = kubesim(["sweep", "merge", "a", "b"]);
    expect(r.stderr).toBe("a: expected a sweep shard's folder with shard.json (written when the shard's last run is done), got none\n");
    expect(r.code).toBe(2);
  });
});
