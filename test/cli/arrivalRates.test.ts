/**
 * `kubesim run` with a PoissonArrivals rate from a CSV file next to the scenario: the
 * file is found relative to the scenario, a bad row is one line on stderr naming the CSV
 * file and the row with exit status 2 and no output, and a good file drives the arrivals.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim } from "./builtCli.js";

beforeAll(ensureBuiltCli, 120_000);

const SCENARIO = `name: csv-rate
duration: 30m
nodePools:
  - name: a
    count: 2
    allocatable: {cpu: 32, memory: 64Gi}
workloads:
  - kind: PoissonArrivals
    name: batch
    csv: {file: load.csv, column: pods_per_s, timeColumn: minute_start}
    lifetime: 20s
    template:
      spec:
        containers: [{name: c, resources: {requests: {cpu: 10m}}}]
`;

describe("kubesim run with a CSV rate", () => {
  const cwd = mkdtempSync(join(tmpdir(), "kubesim-csv-cli-"));
  mkdirSync(join(cwd, "scen"));
  writeFileSync(join(cwd, "scen", "s.yaml"), SCENARIO);

  it("a bad row: one line naming the CSV file and the row, exit status 2, no results", () => {
    writeFileSync(join(cwd, "scen", "load.csv"), "minute_start,pods_per_s\n0,1\n300,n/a\n");
    const r = kubesim(["run", "scen/s.yaml", "--out", "out-bad", "--quiet"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scen/load.csv: row 3: column "pods_per_s": expected a number of pods per second (0 or more), got "n/a"\n');
    expect(existsSync(join(cwd, "out-bad"))).toBe(false);
  });

  it("a good file: arrivals only while the CSV's rate is positive, as many as its integral", () => {
    // 0-5 min: 0/s, 5-10 min: 2/s, then the last row (10-15 min, the last gap): 0/s; none after.
    writeFileSync(join(cwd, "scen", "load.csv"), "minute_start,pods_per_s\n0,0\n300,2\n600,0\n");
    const r = kubesim(["run", "scen/s.yaml", "--out", "out", "--quiet"], cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = readFileSync(join(cwd, "out", "pods.csv"), "utf8").trim().split("\n");
    const header = lines[0].split(",");
    const created = lines.slice(1).map((l) => Number(l.split(",")[header.indexOf("created_s")]));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...created)).toBeLessThanOrEqual(600.1);
    expect(Math.abs(created.length - 600)).toBeLessThan(4 * Math.sqrt(600));
  });
});
