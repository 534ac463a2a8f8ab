/**
 * The built CLI (dist/src/cli/main.js), spawned as a user runs it. Built by
 * `npm test` (tsc before vitest); rebuilt here if stale.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim } from "./builtCli.js";

beforeAll(ensureBuiltCli, 120_000);

const BAD = `name: bad
duration: 1h
nodePools:
  - name: a
    count: 3
    allocatable: {cpu: 4, memory: 8Gi}
  - name: b
    count: 3
    allocatable: {cpu: 4, memory: 8Gi}
  - name: c
    count: ten
    allocatable: {cpu: 4, memory: 8Gi}
`;

describe("kubesim run on bad input", () => {
  it("a malformed scenario: one line on stderr naming file and field, exit 2, no output folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
    writeFileSync(join(dir, "scenario.yaml"), BAD);
    const r = kubesim(["run", "scenario.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('scenario.yaml: nodePools[2].count: expected a positive integer, got "ten"\n');
    // Nothing written: no results/ folder, no temporary folder.
    expect(readdirSync(dir)).toEqual(["scenario.yaml"]);
  });

  it("with --out, the folder is not created either", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
    writeFileSync(join(dir, "s.yaml"), BAD);
    const r = kubesim(["run", "s.yaml", "--out", "out/run1"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("--out naming a folder that is not an earlier run's is refused before running", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
    writeFileSync(join(dir, "keep.txt"), "x");
    const r = kubesim(["run", join(process.cwd(), "scenarios/quickstart.yaml"), "--out", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("--out: .: expected a new folder or an earlier kubesim results folder (with manifest.json), got a folder with other files\n");
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });

  it("a YAML syntax error names the file and line; a missing file says so", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
    writeFileSync(join(dir, "s.yaml"), "name: x\nnodePools:\n  - name: a\n    count: [1\n");
    const r = kubesim(["run", "s.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^s\.yaml:5:1: YAML syntax error: .+\n$/);
    const m = kubesim(["run", "nope.yaml"], dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe("nope.yaml: no such file\n");
  });

  it("a bad --set value names the field; an unknown flag exits 2", () => {
    const r = kubesim(["validate", "scenarios/quickstart.yaml", "--set", "nodePools[0].count=-3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("scenarios/quickstart.yaml: nodePools[0].count: expected a positive integer, got -3\n");
    const s = kubesim(["run", "scenarios/quickstart.yaml", "--seed", "abc"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe('--seed: expected a non-negative integer, got "abc"\n');
    const u = kubesim(["run", "scenarios/quickstart.yaml", "--sede", "3"]);
    expect(u.code).toBe(2);
    expect(u.stderr.trim().split("\n")).toHaveLength(1);
    expect(u.stderr).toContain("sede");
  });
});

describe("kubesim run", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
  const short = ["--set", "duration=10m", "--set", "faults[0].at=5m", "--set", "faults[1].at=8m"];

  it("writes the ten files, byte-identical for the same seed, and a manifest with the run's facts", () => {
    const a = kubesim(["run", "scenarios/quickstart.yaml", "--out", join(dir, "a"), ...short]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/pods_created\s+\d+/);
    expect(a.stdout).toContain(`results: ${join(dir, "a")}`);
    const b = kubesim(["run", "scenarios/quickstart.yaml", "--out", join(dir, "b"), "--quiet", ...short]);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe("");
    expect(readdirSync(join(dir, "a")).sort()).toEqual(["events.csv", "inputs", "manifest.json", "nodes.csv", "pods.csv", "pools.csv", "summary.csv", "timeseries.csv", "workload_summary.csv", "workloads.csv", "zones.csv"]);
    // inputs/ keeps the scenario as read (docs/rerun.md).
    expect(readdirSync(join(dir, "a", "inputs"))).toEqual(["quickstart.yaml"]);
    expect(readFileSync(join(dir, "a", "inputs", "quickstart.yaml"), "utf8")).toBe(readFileSync("scenarios/quickstart.yaml", "utf8"));
    for (const f of ["events.csv", "nodes.csv", "pods.csv", "pools.csv", "summary.csv", "timeseries.csv", "workload_summary.csv", "workloads.csv", "zones.csv"]) {
      expect(readFileSync(join(dir, "b", f), "utf8")).toBe(readFileSync(join(dir, "a", f), "utf8"));
    }
    const m = JSON.parse(readFileSync(join(dir, "a", "manifest.json"), "utf8"));
    expect(m).toMatchObject({ kubesim_version: "0.1.0", scenario_name: "quickstart", seed: 1, overrides: short.filter((x) => x !== "--set") });
    expect(m.scenario_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.parameters.duration).toBe("10m");
    expect(m.counts.nodes).toBe(300);
    expect(typeof m.wall_clock_duration_s).toBe("number");
    expect(Date.parse(m.wall_clock_start)).not.toBeNaN();
    // Wall-clock values live only in the manifest.
    expect(readFileSync(join(dir, "a", "summary.csv"), "utf8")).not.toMatch(/wall/);
    // No temporary folder left behind.
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("--seed and --set change the run; the default folder is results/<name>-<seed>-<hash of the overrides>", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kubesim-cli-"));
    writeFileSync(join(cwd, "q.yaml"), readFileSync("scenarios/quickstart.yaml", "utf8").replace("./kubesim.schema.json", "x"));
    const r = kubesim(["run", "q.yaml", "--seed", "7", "--set", "nodePools[0].count=50", "--quiet", ...short], cwd);
    expect(r.code).toBe(0);
    // docs/output.md: sha256 of the overrides in canonical form (path=JSON value), one per line, first 8 hex digits.
    const canonical = 'nodePools[0].count=50\nduration="10m"\nfaults[0].at="5m"\nfaults[1].at="8m"';
    const out = join(cwd, "results", `quickstart-7-${createHash("sha256").update(canonical).digest("hex").slice(0, 8)}`);
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(m.seed).toBe(7);
    expect(m.counts.nodes).toBe(110);
    const ts = readFileSync(join(out, "timeseries.csv"), "utf8").split("\n");
    expect(ts[0].split(",")[0]).toBe("sim_time_s");
    expect(ts[1].split(",")[1]).toBe("110");
  });
});

describe("kubesim validate, schema, --help, --version", () => {
  it("validate prints a one-line description", () => {
    const r = kubesim(["validate", "scenarios/quickstart.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scenarios\/quickstart\.yaml: ok: quickstart, seed 1, 300 nodes in 3 zone\(s\), 2 Deployment\(s\) with 720 replicas/);
  });

  it("schema prints the committed JSON Schema", () => {
    const r = kubesim(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync("scenarios/kubesim.schema.json", "utf8")));
  });

  it("--help works on every command and --version prints the package version", () => {
    for (const args of [["--help"], ["run", "--help"], ["validate", "--help"], ["schema", "--help"]]) {
      const r = kubesim(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("kubesim");
    }
    expect(kubesim(["run", "--help"]).stdout).toContain("--set");
    expect(kubesim(["--version"]).stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it("no command: a one-line hint and exit 2", () => {
    const r = kubesim([]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
