/**
 * The fuzzer's own parts, against hand-written expectations: if the harness were wrong
 * (every case "rejected", a hang not stopped, a bad line taken as good), the fuzz tests
 * would pass and prove nothing.
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { UsageError } from "../../src/cli/errors.js";
import { ScenarioError } from "../../src/scenario/errors.js";
import { familyArb, FAMILIES } from "./campaign.js";
import { checkCase } from "./check.js";
import { corpus } from "./corpus.js";
import { scenarioInput } from "./knownFailures.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { applyMutation, nodePaths } from "./mutate.js";
import { classify, pluginLineProblem, rejectionProblem } from "./outcome.js";
import { runBounded, takePollution } from "./sandbox.js";
import { messageShape, normalizeMessage } from "./signature.js";
import { CaseFolder } from "./targets.js";
import { renderYaml } from "./text.js";

describe("outcome: what the CLI would print", () => {
  it("classifies like reportError: ScenarioError and UsageError are bad input, anything else internal", () => {
    expect(classify(new ScenarioError("s.yaml", "seed", "expected a non-negative integer")).kind).toBe("rejected");
    expect(classify(new UsageError("--out: x")).kind).toBe("rejected");
    expect(classify(new TypeError("x is not a function")).kind).toBe("internal");
    expect(classify("a string").kind).toBe("internal");
    // A custom plugin's failure (PluginError, where the build has it): exit 3, its own line.
    const pluginFailure = Object.assign(new Error("plugin Foo failed at Filter for pod default/p: boom"), { name: "PluginError" });
    expect(classify(pluginFailure)).toEqual({ kind: "plugin", line: "kubesim: plugin Foo failed at Filter for pod default/p: boom" });
    expect(pluginLineProblem("kubesim: plugin Foo failed at Filter for pod default/p: boom")).toBeNull();
    expect(pluginLineProblem("kubesim: boom")).toBe("no plugin and extension point named");
  });

  it("accepts the README's error lines and explain's locations", () => {
    const files = ["scenario.yaml", "--set", "pod.yaml"];
    expect(rejectionProblem('scenario.yaml: nodePools[2].count: expected a positive integer, got "ten"', files)).toBeNull();
    expect(rejectionProblem("scenario.yaml:12:5: YAML syntax error: Map keys must be unique", files)).toBeNull();
    expect(rejectionProblem('scenario.yaml: faults[0].pool: expected the name of a node pool (general, highmem), got "gpu"', files)).toBeNull();
    expect(rejectionProblem('scenario.yaml: nodePools[0].labels["a b"]: expected a string value', files)).toBeNull();
    expect(rejectionProblem("pod.yaml: document 2.kind: expected a Kubernetes kind such as Node or Pod", files)).toBeNull();
    expect(rejectionProblem("--set: nodePools[x].count: expected a field path like nodePools[0].count", files)).toBeNull();
    expect(rejectionProblem("pod.yaml: expected exactly one Pod object, found 0", files)).toBeNull();
  });

  it("refuses lines that do not name the file and a field, or span lines", () => {
    const files = ["scenario.yaml", "--set", "pod.yaml"];
    expect(rejectionProblem("scenario.yaml: nodePools: expected a list\n    at parse (load.ts:1:1)", files)).toBe("a stack trace");
    expect(rejectionProblem("scenario.yaml: a: b\nc", files)).toBe("more than one line");
    expect(rejectionProblem("expected a positive integer", files)).toBe("no input file named");
    expect(rejectionProblem("scenario.yaml: expected a positive integer", files)).toBe("no field named");
    expect(rejectionProblem("pod.yaml: not valid YAML or JSON (Map keys must be unique at line 2, column 1:)", files)).toBe("no field named");
    expect(rejectionProblem("--set: expected a field path like nodePools[0].count", files)).toBe("no --set path named");
  });
});

describe("signatures: one per bug, not per input", () => {
  it("takes file names, numbers, quoted values and indices out of a message", () => {
    expect(normalizeMessage('s.yaml: nodePools[3].count: expected at most 10, got "x"', ["s.yaml"])).toBe('<file>: nodePools[*].count: expected at most N, got "…"');
    expect(normalizeMessage("Unresolved alias (the anchor must be set before the alias): a12")).toBe("Unresolved alias (the anchor must be set before the alias): …");
  });

  it("gives a rejection line's shape without the field it names", () => {
    expect(messageShape("p.yaml: items[2].status.allocatable.a b: expected a Kubernetes quantity such as 500m, 2, 4Gi, got []", ["p.yaml"])).toBe(
      "<file>: …: expected a Kubernetes quantity such as 500m, N, 4Gi, got []",
    );
    expect(messageShape("p.yaml: not valid YAML or JSON (Tabs are not allowed at line 3, column 1:)", ["p.yaml"])).toBe("<file>: not valid YAML or JSON …");
  });
});

describe("sandbox", () => {
  it("stops an endless loop at the wall-time limit, and the process goes on", () => {
    const t0 = performance.now();
    const r = runBounded(() => {
      for (;;) {
        /* a hang */
      }
    }, 100);
    expect(r.kind).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(runBounded(() => 41 + 1, 100)).toEqual({ kind: "returned", value: 42 });
  });

  it("finds and removes a property added to Object.prototype", () => {
    (Object.prototype as Record<string, unknown>).fuzzPolluted = 1;
    expect(takePollution()).toEqual(["Object.prototype.fuzzPolluted"]);
    expect(({} as Record<string, unknown>).fuzzPolluted).toBeUndefined();
  });
});

describe("mutations and cases", () => {
  it("never change the seed documents, and a `__proto__` key is an own key", () => {
    const seed = { a: [1, { b: 2 }] };
    const before = JSON.stringify(seed);
    for (const at of [0, 1, 2, 3, 4]) {
      applyMutation(seed, { op: "replace", at, value: null });
      applyMutation(seed, { op: "delete", at });
      applyMutation(seed, { op: "addKey", at, key: "__proto__", value: 1 });
      applyMutation(seed, { op: "alias", at, from: 0 });
    }
    expect(JSON.stringify(seed)).toBe(before);
    const r = applyMutation(seed, { op: "addKey", at: 0, key: "__proto__", value: 1 }).root as object;
    expect(Object.keys(r)).toEqual(["a", "__proto__"]);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });

  it("a shared reference becomes a YAML alias, and a duplicated list entry a second entry", () => {
    const r = applyMutation({ l: [{ x: 1 }] }, { op: "duplicate", at: 2, shared: true }).root;
    expect(renderYaml(r)).toBe("l:\n  - &a1\n    x: 1\n  - *a1\n");
    // root, l, l[0], l[0].x, l[1]: the shared entry is a node of its own, its inside is visited once.
    expect(nodePaths(r)).toEqual([[], ["l"], ["l", 0], ["l", 0, "x"], ["l", 1]]);
  });

  it("the same seed gives the same cases (so a seed and a case index reproduce)", () => {
    for (const f of FAMILIES) {
      const a = fc.sample(familyArb(f), { seed: 7, numRuns: 5 });
      const b = fc.sample(familyArb(f), { seed: 7, numRuns: 5 });
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
  });
});

describe("the harness on known inputs", () => {
  const folder = new CaseFolder();
  afterAll(() => folder.dispose());

  it("every shipped scenario, unchanged, is accepted (the fuzzer reaches the run)", async () => {
    for (const s of corpus().scenarios) {
      const v = await checkCase({ target: "scenario", file: s.file, text: renderYaml(s.doc), set: [], files: [], baseDir: s.baseDir, about: s.file, loci: [] }, folder, DEFAULT_LIMITS);
      expect([s.file, v.outcome, v.failures]).toEqual([s.file, expect.stringMatching(/^(accepted|truncated)$/), []]);
    }
  });

  it("a bad manifest is rejected with one line naming the manifest file and the object's field", async () => {
    const bad = corpus().manifests.find((m) => m.name === "bad-replicas.yaml")!;
    const v = await checkCase(
      scenarioInput(`name: x\nduration: 10s\nnodePools: [{name: a, count: 1, allocatable: {cpu: "1", memory: 1Gi}}]\nworkloads: [{manifests: m.yaml}]\n`, {
        files: { "m.yaml": bad.documents.map((d) => renderYaml(d)).join("---\n") },
      }),
      folder,
      DEFAULT_LIMITS,
    );
    expect(v.outcome).toBe("rejected");
    // The wording is the loader's to choose; the file and the object's field are the contract.
    expect(v.line).toMatch(/m\.yaml: documents\[1\]\.items\[1\]\.spec\.replicas: \S/);
    expect(v.failures).toEqual([]);
  });
});
