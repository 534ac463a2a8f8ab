/**
 * `kubesim rerun` through the built CLI: a results folder keeps its inputs, a rerun from
 * them is identical, an edited output line is named, and the originals may move or
 * change after the run without changing what the rerun plays.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim, MAIN } from "./builtCli.js";

beforeAll(ensureBuiltCli, 120_000);

const FIXTURE = join(process.cwd(), "test/fixtures/rerun");

/** A copy of the fixture folder (scenario, apps/web.yaml, sched.yaml) to run from and then edit. */
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-rerun-"));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const sha256 = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

interface Manifest {
  files: string[];
  seed: number;
  overrides: string[];
  inputs?: { path: string; named_by: { file: string; field: string } | null; sha256: string; size_bytes: number; kept: string }[];
  simulated_s: number;
  simulated_s_per_wall_s: number;
  wall_clock_duration_s: number;
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

function runIn(dir: string, extra: string[] = []): string {
  const r = kubesim(["run", "tiny.yaml", "--out", "res", "--quiet", ...extra], dir);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return join(dir, "res");
}

describe("kubesim run keeps its inputs", () => {
  it("copies the scenario and every file it names, with their sha256, and its speed", () => {
    const dir = workdir();
    const res = runIn(dir);
    const m = manifestOf(res);
    // The scenario first (it is read first), then the files it names, in the order the loader reads them.
    expect(m.inputs![0]).toMatchObject({ path: "tiny.yaml", named_by: null, kept: "inputs/tiny.yaml" });
    expect(m.inputs!.map((i) => [i.path, i.named_by?.field ?? null, i.kept]).sort()).toEqual([
      ["apps/web.yaml", "workloads[0].manifests", "inputs/apps/web.yaml"],
      ["sched.yaml", "scheduler.configFile", "inputs/sched.yaml"],
      ["tiny.yaml", null, "inputs/tiny.yaml"],
    ]);
    for (const i of m.inputs!) {
      expect(readFileSync(join(res, i.kept))).toEqual(readFileSync(join(dir, i.path)));
      expect(i.sha256).toBe(sha256(join(dir, i.path)));
      expect(i.size_bytes).toBe(readFileSync(join(dir, i.path)).length);
    }
    // 10 minutes simulated; the speed is the quotient of the manifest's own figures.
    expect(m.simulated_s).toBe(600);
    expect(m.simulated_s_per_wall_s).toBeCloseTo(600 / Math.max(m.wall_clock_duration_s, 0.001), 0);
    // The inputs are not among the output files.
    expect(m.files.some((f) => f.startsWith("inputs"))).toBe(false);
  });

  it("prints the speed over real time after the summary", () => {
    const dir = workdir();
    const r = kubesim(["run", "tiny.yaml", "--out", "res"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nsimulated 600 s in [0-9.,]+ s wall: [0-9.,]+× real time\nresults: /);
  });
});

describe("kubesim rerun", () => {
  it("says identical (exit 0); an edited CSV line is named with both lines (exit 1)", () => {
    const dir = workdir();
    const res = runIn(dir, ["--seed", "9", "--set", "nodePools[0].count=5"]);
    const m = manifestOf(res);
    const csvs = m.files.filter((f) => f !== "manifest.json");
    const ok = kubesim(["rerun", "res"], dir);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("seed 9, 1 override (--set nodePools[0].count=5)");
    expect(ok.stdout.trim().split("\n").at(-1)).toBe(`identical: ${csvs.length} files`);

    const pods = join(res, "pods.csv");
    const lines = readFileSync(pods, "utf8").split("\n");
    const original = lines[3];
    lines[3] = `${original}9`;
    writeFileSync(pods, lines.join("\n"));
    const bad = kubesim(["rerun", "res"], dir);
    expect(bad.code).toBe(1);
    const out = bad.stdout.trim().split("\n");
    expect(out.at(-3)).toBe("differs: pods.csv line 4");
    // Both lines, truncated to 120 characters.
    const shown = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}...` : s);
    expect(out.at(-2)).toBe(`  results: ${shown(`${original}9`)}`);
    expect(out.at(-1)).toBe(`  rerun:   ${shown(original)}`);
  });

  it("plays the kept inputs after the scenario is moved and the manifests file edited, from another directory", () => {
    const dir = workdir();
    const res = runIn(dir);
    const pods = readFileSync(join(res, "pods.csv"), "utf8");
    renameSync(join(dir, "tiny.yaml"), join(dir, "moved.yaml"));
    const web = join(dir, "apps/web.yaml");
    writeFileSync(web, readFileSync(web, "utf8").replace("replicas: 6", "replicas: 9"));
    // The edited file does change the run: the rerun must not have read it.
    const edited = kubesim(["run", "moved.yaml", "--out", "edited", "--quiet"], dir);
    expect(edited.code).toBe(0);
    expect(readFileSync(join(dir, "edited/pods.csv"), "utf8")).not.toBe(pods);

    const elsewhere = mkdtempSync(join(tmpdir(), "kubesim-cwd-"));
    const r = kubesim(["rerun", join(dir, "res")], elsewhere);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`note: tiny.yaml is no longer at ${join(dir, "tiny.yaml")}; its kept copy was used`);
    expect(r.stdout).toContain("note: apps/web.yaml has changed since the run; its kept copy was used");
    expect(r.stdout).toMatch(/identical: \d+ files\n$/);
  });

  it("--keep and --out keep the rerun's folder; by default nothing is left", () => {
    const dir = workdir();
    runIn(dir);
    const r = kubesim(["rerun", "res", "--out", "again"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`rerun: ${join(dir, "again")}`);
    expect(readFileSync(join(dir, "again/pods.csv"))).toEqual(readFileSync(join(dir, "res/pods.csv")));
    expect(kubesim(["rerun", "res", "--out", "res"], dir).stderr).toBe("--out: expected a folder other than the results folder being rerun, got res\n");
    // Without them, the temporary folder is gone after the comparison.
    const tmp = mkdtempSync(join(tmpdir(), "kubesim-tmp-"));
    const plain = spawnSync(process.execPath, [MAIN, "rerun", "res"], { cwd: dir, encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain("rerun: ");
    expect(readdirSync(tmp)).toEqual([]);
    const kept = spawnSync(process.execPath, [MAIN, "rerun", "res", "--keep"], { cwd: dir, encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
    expect(kept.status).toBe(0);
    expect(readdirSync(tmp)).toHaveLength(1);
    expect(kept.stdout).toContain(`rerun: ${join(tmp, readdirSync(tmp)[0])}`);
  });

  it("a custom plugin module is kept and loaded from its copy", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-rerun-"));
    cpSync(join(process.cwd(), "scenarios/scheduler-compare-plugin.yaml"), join(dir, "s.yaml"));
    cpSync(join(process.cwd(), "scenarios/plugins"), join(dir, "scenarios/plugins"), { recursive: true });
    const run = kubesim(["run", "s.yaml", "--out", "res", "--quiet", "--set", "duration=5m"], dir);
    expect(run.code).toBe(0);
    expect(manifestOf(join(dir, "res")).inputs!.map((i) => i.kept)).toEqual(["inputs/s.yaml", "inputs/scenarios/plugins/dominantResourceFit.mjs"]);
    rmSync(join(dir, "scenarios"), { recursive: true });
    const r = kubesim(["rerun", "res"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("note: scenarios/plugins/dominantResourceFit.mjs is no longer at");
    expect(r.stdout).toMatch(/identical: \d+ files\n$/);
  });

  it("a folder without kept inputs reruns from the scenario's path while its sha256 matches, else refuses in one line", () => {
    const dir = workdir();
    const res = runIn(dir);
    const m = manifestOf(res) as unknown as Record<string, unknown>;
    delete m.inputs;
    writeFileSync(join(res, "manifest.json"), JSON.stringify(m, null, 2));
    rmSync(join(res, "inputs"), { recursive: true });
    const ok = kubesim(["rerun", "res"], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("note: the run kept no copy of its inputs; tiny.yaml still has its sha256");
    writeFileSync(join(dir, "tiny.yaml"), readFileSync(join(dir, "tiny.yaml"), "utf8").replace("count: 4", "count: 5"));
    const r = kubesim(["rerun", "res"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^res: the run kept no copy of its inputs \(written before kubesim kept them\) and its scenario tiny\.yaml has changed since the run \(sha256 [0-9a-f]{64}, the run's [0-9a-f]{64}\): cannot rerun it\n$/);
  });

  it("a missing folder, manifest or kept input, or a changed kept copy: one line, exit 2", () => {
    const dir = workdir();
    const res = runIn(dir);
    const one = (args: string[]) => {
      const r = kubesim(["rerun", ...args], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")).toHaveLength(2);
      return r.stderr.trim();
    };
    expect(one([])).toBe("kubesim rerun: expected a results folder after the command (see kubesim rerun --help)");
    expect(one(["nope"])).toBe("nope: expected a kubesim results folder, got no such folder");
    expect(one(["apps"])).toBe("apps: expected a kubesim results folder with a manifest.json, found none");
    writeFileSync(join(res, "inputs/apps/web.yaml"), "changed");
    expect(one(["res"])).toMatch(/^res\/manifest\.json: inputs\[\d\]\.kept: the kept copy .*inputs\/apps\/web\.yaml has changed since the run \(sha256 /);
    rmSync(join(res, "inputs/apps/web.yaml"));
    expect(one(["res"])).toMatch(/^res\/manifest\.json: inputs\[\d\]\.kept: expected the kept copy of apps\/web\.yaml at res\/inputs\/apps\/web\.yaml, found none$/);
    expect(existsSync(join(dir, "res/pods.csv"))).toBe(true);
  });
});
