/**
 * The one recording point of input files: inside a scope, every read is recorded with
 * its bytes and who named it, or served from a redirect (a kept copy); outside, nothing
 * is hooked, also after a scope ended by a throw.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readInputFile } from "../../src/scenario/inputFile.js";
import { inputHooks, withInputHooks, type InputFileRead } from "../../src/scenario/inputHooks.js";
import { loadScenarioFile } from "../../src/scenario/load.js";

describe("input hooks", () => {
  it("record each read with its bytes and namer; a redirect reads the other file; the scope ends even on a throw", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-hooks-"));
    writeFileSync(join(dir, "a.yaml"), "original");
    writeFileSync(join(dir, "kept.yaml"), "kept");
    const reads: InputFileRead[] = [];
    const by = { file: "s.yaml", path: "workloads[0].manifests", noun: "manifest file" };
    expect(withInputHooks({ record: (r) => reads.push(r) }, () => readInputFile(join(dir, "a.yaml"), "a.yaml", by))).toBe("original");
    expect(reads.map((r) => [r.shown, r.by, r.resolvedPath, Buffer.from(r.bytes).toString()])).toEqual([["a.yaml", { file: "s.yaml", path: "workloads[0].manifests" }, join(dir, "a.yaml"), "original"]]);
    const asked: unknown[] = [];
    const redirected = withInputHooks({ redirect: (shown, b) => (asked.push([shown, b]), join(dir, "kept.yaml")) }, () => readInputFile(join(dir, "a.yaml"), "a.yaml", by));
    expect(redirected).toBe("kept");
    expect(asked).toEqual([["a.yaml", { file: "s.yaml", path: "workloads[0].manifests" }]]);
    expect(() => withInputHooks({ record: () => undefined }, () => { throw new Error("boom"); })).toThrow("boom");
    expect(inputHooks()).toBeUndefined();
    expect(readInputFile(join(dir, "a.yaml"), "a.yaml")).toBe("original");
  });

  it("a scenario load records the scenario first, then each file it names, once per read", () => {
    const reads: InputFileRead[] = [];
    withInputHooks({ record: (r) => reads.push(r) }, () => loadScenarioFile("scenarios/capacity/from-cluster.yaml"));
    // The cluster export is read for its Nodes (cluster.files) and again for its objects (as a manifests entry).
    expect(reads.map((r) => [r.shown, r.by?.path])).toEqual([
      ["scenarios/capacity/from-cluster.yaml", undefined],
      ["cluster.yaml", "cluster.files[0]"],
      ["cluster.yaml", "workloads[0].manifests[0]"],
    ]);
    expect(reads[1].resolvedPath).toBe(join(process.cwd(), "scenarios/capacity/cluster.yaml"));
  });
});
