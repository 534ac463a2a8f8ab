/**
 * The pieces of run folders that `kubesim rerun` relies on: the layout of kept inputs,
 * the first differing line of two files, and the speed over real time.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keptInputs } from "../../src/metrics/keptInputs.js";
import { compareRunFiles, firstDifferentLine } from "../../src/metrics/compareRunFiles.js";
import { simulatedPerWallS, speedLine } from "../../src/metrics/runSpeed.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("keptInputs", () => {
  it("mirrors files under the scenario's folder, puts others under outside/, keeps a file read twice once", () => {
    const reads = [
      { shown: "s/scn.yaml", resolvedPath: "/w/s/scn.yaml", bytes: bytes("a") },
      { shown: "apps/web.yaml", by: { file: "s/scn.yaml", path: "workloads[0].manifests" }, resolvedPath: "/w/s/apps/web.yaml", bytes: bytes("b") },
      { shown: "../shared/sched.yaml", by: { file: "s/scn.yaml", path: "scheduler.configFile" }, resolvedPath: "/w/shared/sched.yaml", bytes: bytes("c") },
      { shown: "/etc/rates.csv", by: { file: "s/scn.yaml", path: "workloads[1].csv.file" }, resolvedPath: "/etc/rates.csv", bytes: bytes("d") },
      { shown: "apps/web.yaml", by: { file: "s/scn.yaml", path: "actions[0].workloads[0].manifests" }, resolvedPath: "/w/s/apps/web.yaml", bytes: bytes("b") },
    ];
    const k = keptInputs(reads, "/w/s/scn.yaml");
    expect(k.files.map((f) => f.name)).toEqual(["inputs/scn.yaml", "inputs/apps/web.yaml", "inputs/outside/1-sched.yaml", "inputs/outside/2-rates.csv"]);
    expect(k.entries.map((e) => e.kept)).toEqual(["inputs/scn.yaml", "inputs/apps/web.yaml", "inputs/outside/1-sched.yaml", "inputs/outside/2-rates.csv", "inputs/apps/web.yaml"]);
    expect(k.entries[1]).toEqual({
      path: "apps/web.yaml",
      named_by: { file: "s/scn.yaml", field: "workloads[0].manifests" },
      resolved_path: "/w/s/apps/web.yaml",
      // sha256("b"), from `printf b | sha256sum`
      sha256: "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
      size_bytes: 1,
      kept: "inputs/apps/web.yaml",
    });
    expect(k.entries[0].named_by).toBeNull();
  });

  it("a file whose bytes changed between two reads keeps both versions", () => {
    const k = keptInputs(
      [
        { shown: "s.yaml", resolvedPath: "/w/s.yaml", bytes: bytes("x") },
        { shown: "m.yaml", by: { file: "s.yaml", path: "workloads[0].manifests" }, resolvedPath: "/w/m.yaml", bytes: bytes("1") },
        { shown: "m.yaml", by: { file: "s.yaml", path: "workloads[1].manifests" }, resolvedPath: "/w/m.yaml", bytes: bytes("2") },
      ],
      "/w/s.yaml",
    );
    expect(k.files.map((f) => [f.name, Buffer.from(f.content).toString()])).toEqual([["inputs/s.yaml", "x"], ["inputs/m.yaml", "1"], ["inputs/outside/1-m.yaml", "2"]]);
  });
});

describe("compareRunFiles", () => {
  it("names the first differing line (1-based), both lines, and lines past the end", () => {
    expect(firstDifferentLine("a\nb\nc\n", "a\nb\nc\n")).toBeUndefined();
    expect(firstDifferentLine("a\nb\nc\n", "a\nB\nc\n")).toEqual({ line: 2, expected: "b", actual: "B" });
    expect(firstDifferentLine("a\nb\n", "a\nb\nc\n")).toEqual({ line: 3, expected: "", actual: "c" });
    expect(firstDifferentLine("a", "a\n")).toEqual({ line: 2, expected: undefined, actual: "" });
    const long = "x".repeat(130);
    expect(firstDifferentLine(long, `${long}y`)).toEqual({ line: 1, expected: `${"x".repeat(120)}...`, actual: `${"x".repeat(120)}...` });
  });

  it("goes through the files in order and stops at the first difference or missing file", () => {
    const a = mkdtempSync(join(tmpdir(), "kubesim-cmp-"));
    const b = mkdtempSync(join(tmpdir(), "kubesim-cmp-"));
    for (const d of [a, b]) writeFileSync(join(d, "one.csv"), "h\n1\n");
    writeFileSync(join(a, "two.csv"), "h\n2\n");
    writeFileSync(join(b, "two.csv"), "h\n3\n");
    expect(compareRunFiles(a, b, ["one.csv"])).toEqual({ identical: true, files: 1 });
    expect(compareRunFiles(a, b, ["one.csv", "two.csv"])).toEqual({ identical: false, file: "two.csv", line: 2, expected: "2", actual: "3" });
    expect(compareRunFiles(a, b, ["three.csv", "two.csv"])).toEqual({ identical: false, file: "three.csv", note: "missing in the results folder" });
    writeFileSync(join(a, "four.csv"), "");
    expect(compareRunFiles(a, b, ["four.csv"])).toEqual({ identical: false, file: "four.csv", note: "not written by the rerun" });
  });
});

describe("speed over real time", () => {
  it("is simulated seconds per wall second, printed with grouped digits", () => {
    expect(simulatedPerWallS(3600, 1.62)).toBe(2222.222);
    expect(speedLine(3600, 1.62)).toBe("simulated 3,600 s in 1.62 s wall: 2,222× real time");
    // Slower than real time keeps a decimal.
    expect(speedLine(60, 150)).toBe("simulated 60 s in 150.00 s wall: 0.4× real time");
    // A run faster than the clock's millisecond counts as 1 ms.
    expect(simulatedPerWallS(10, 0)).toBe(10000);
  });
});
