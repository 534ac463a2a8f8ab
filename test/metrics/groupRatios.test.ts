/**
 * pools.csv and zones.csv: requests / allocatable over each group's Ready nodes, by
 * hand, and timeseries.csv's memory_requested_ratio_max.
 *
 *   a-0  pool a, zone z1   4 cpu,  8Gi, 10 pods   p1 1000m/2Gi, p2 1000m/2Gi
 *   a-1  pool a, zone z2   4 cpu,  8Gi, 10 pods   p3 3000m/1Gi
 *   b-0  pool b, zone z1   8 cpu, 32Gi, 20 pods   p4 2000m/8Gi
 *
 * At 10 s (every pod bound):
 *   pool a: cpu 5000/8000 = 0.625, memory 5/16 = 0.3125, pods 3/20 = 0.15
 *   pool b: cpu 2000/8000 = 0.25,  memory 8/32 = 0.25,   pods 1/20 = 0.05
 *   zone z1 (a-0, b-0): cpu 4000/12000 = 1/3, memory 12/40 = 0.3, pods 3/30 = 0.1
 *   zone z2 (a-1):      cpu 3000/4000 = 0.75, memory 1/8 = 0.125, pods 1/10 = 0.1
 *   fullest node: cpu a-1 0.75; memory a-0 4/8 = 0.5
 * a-1 fails at 15 s (p3 is lost with it). At 20 s:
 *   pool a: 1 Ready, 1 not: cpu 2000/4000 = 0.5, memory 4/8 = 0.5, pods 2/10 = 0.2
 *   zone z2: no Ready node: every ratio 0
 */
import { describe, expect, it } from "vitest";
import { tableCsv } from "../../src/metrics/csv.js";
import { standardTables } from "../../src/metrics/files.js";
import type { Cell } from "../../src/metrics/tables.js";
import { runCluster } from "../../src/run/run.js";
import { GI, node, spec, template } from "../run/helpers.js";

function run() {
  const on = (host: string) => ({ nodeSelector: { "kubernetes.io/hostname": host } });
  return runCluster(
    spec({
      // a-1 crashes at 15 s: the node lifecycle controller has it Unknown by 80 s (grace 50 s, after its last renewal)
      durationUs: 80e6,
      nodes: [
        node("a-0", 4000, 8 * GI, { pool: "a", zone: "z1", pods: 10 }),
        node("a-1", 4000, 8 * GI, { pool: "a", zone: "z2", pods: 10 }),
        node("b-0", 8000, 32 * GI, { pool: "b", zone: "z1", pods: 20 }),
      ],
      templates: [template(1000, 2 * GI, on("a-0")), template(3000, GI, on("a-1")), template(2000, 8 * GI, on("b-0"))],
      pods: [
        { name: "p1", namespace: "default", template: 0, activeDeadlineUs: -1 },
        { name: "p2", namespace: "default", template: 0, activeDeadlineUs: -1 },
        { name: "p3", namespace: "default", template: 1, activeDeadlineUs: -1 },
        { name: "p4", namespace: "default", template: 2, activeDeadlineUs: -1 },
      ],
      faults: [{ atUs: 15e6, type: "node-failure", candidates: [1], count: 1, recoverAfterUs: -1, description: "a-1", notReadyForUs: 0, controlPlaneToo: false, zone: "" }],
    }),
  );
}

describe("requested ratios per node pool and per zone", () => {
  const r = run();
  // The CSV tables as written (standardTables), rows as cells in column order.
  const table = (file: string) => standardTables(r).find((t) => t.file === file)!;
  const at = (file: string, t: number) => table(file).rows.filter((row) => row[0] === t);
  const close = (rows: Cell[][], expected: (string | number)[][]) => {
    expect(rows.map((row) => row.slice(0, 4))).toEqual(expected.map((e) => e.slice(0, 4)));
    rows.forEach((row, i) => expected[i].slice(4).forEach((v, j) => expect(row[4 + j] as number).toBeCloseTo(v as number, 12)));
  };

  it("pools.csv: one row per sample and pool, in scenario order", () => {
    expect(table("pools.csv").columns).toEqual(["sim_time_s", "pool", "nodes_ready", "nodes_not_ready", "cpu_requested_ratio", "memory_requested_ratio", "pods_requested_ratio"]);
    close(at("pools.csv", 10), [
      [10, "a", 2, 0, 0.625, 0.3125, 0.15],
      [10, "b", 1, 0, 0.25, 0.25, 0.05],
    ]);
    close(at("pools.csv", 80), [
      [80, "a", 1, 1, 0.5, 0.5, 0.2],
      [80, "b", 1, 0, 0.25, 0.25, 0.05],
    ]);
    // Every sample instant of timeseries.csv has its rows; the library result holds them as objects.
    expect(table("pools.csv").rows.length).toBe(2 * r.timeseries.length);
    expect(r.pools.find((p) => p.sim_time_s === 80 && p.pool === "a")).toMatchObject({ nodes_ready: 1, nodes_not_ready: 1, cpu_requested_ratio: 0.5 });
  });

  it("zones.csv: one row per sample and zone, across pools; a zone with no Ready node reads 0", () => {
    expect(table("zones.csv").columns[1]).toBe("zone");
    close(at("zones.csv", 10), [
      [10, "z1", 2, 0, 1 / 3, 0.3, 0.1],
      [10, "z2", 1, 0, 0.75, 0.125, 0.1],
    ]);
    close(at("zones.csv", 80), [
      [80, "z1", 2, 0, 1 / 3, 0.3, 0.1],
      [80, "z2", 0, 1, 0, 0, 0],
    ]);
  });

  it("timeseries.csv: memory_requested_ratio_max is the fullest Ready node's, appended after the original columns", () => {
    const row = r.timeseries.find((t) => t.sim_time_s === 10)!;
    expect(row).toMatchObject({ cpu_requested_ratio_max: 0.75, memory_requested_ratio_max: 0.5 });
    const header = tableCsv(standardTables(r).find((t) => t.file === "timeseries.csv")!).split("\n")[0];
    expect(header.endsWith(",cpu_requested_ratio_max,nodes_overcommitted,memory_requested_ratio_max,nodes_unknown,nodes_tainted_noexecute,pods_not_ready,pods_terminating,pods_evicted_total")).toBe(true);
  });

  it("the files are written with the others, ratios with 6 decimals", () => {
    const files = standardTables(r).map((t) => t.file);
    expect(files).toEqual(expect.arrayContaining(["pools.csv", "zones.csv"]));
    expect(tableCsv(table("zones.csv")).split("\n")).toContain("10,z1,2,0,0.333333,0.300000,0.100000");
  });

  it("nodes without a zone label are the zone \"\" row", () => {
    const plain = runCluster(spec({ durationUs: 0, nodes: [node("x", 1000, GI)] }));
    expect(plain.zones).toEqual([{ sim_time_s: 0, zone: "", nodes_ready: 1, nodes_not_ready: 0, cpu_requested_ratio: 0, memory_requested_ratio: 0, pods_requested_ratio: 0 }]);
  });
});
