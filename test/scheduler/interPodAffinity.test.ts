import { describe, expect, it } from "vitest";
import { InterPodAffinity } from "../../src/scheduler/plugins/InterPodAffinity.js";
import { filterCases, scoreCases, scoreNamespaces, type Want } from "./interPodAffinity.fixtures.js";
import { runFilter, runPreFilter, runScore } from "./interPodAffinity.harness.js";
import { Code } from "../../src/scheduler/framework.js";
import { affinity, node, pod, sel, term } from "./interPodAffinity.builders.js";

function expected(w: Want): { code: string; reasons: string[] } {
  return typeof w === "string" ? { code: w, reasons: [] } : { code: w[0], reasons: [w[1]] };
}

describe("InterPodAffinity filter (upstream filtering_test.go tables)", () => {
  for (const c of filterCases) {
    it(c.name, () => {
      const got = runFilter(new InterPodAffinity(), { nodes: c.nodes, pods: c.pods, namespaces: c.namespaces }, c.pod);
      const want = Object.fromEntries(Object.entries(c.want).map(([n, w]) => [n, expected(w)]));
      expect(got).toEqual(want);
    });
  }
});

describe("InterPodAffinity score (upstream scoring_test.go tables)", () => {
  for (const c of scoreCases) {
    it(c.name, () => {
      const plugin = new InterPodAffinity({
        hardPodAffinityWeight: c.hardPodAffinityWeight ?? 1,
        ignorePreferredTermsOfExistingPods: c.ignorePreferredTermsOfExistingPods ?? false,
      });
      const got = runScore(plugin, { nodes: c.nodes, pods: c.pods, namespaces: scoreNamespaces }, c.pod);
      expect(got).toEqual(c.want);
    });
  }
});

describe("InterPodAffinity PreFilter status", () => {
  const nodes = [node("n1", { zone: "z1" }), node("n2", { zone: "z2" })];
  it("a term whose selector fails to parse makes the pod UnschedulableAndUnresolvable (parsing pod)", () => {
    const bad = pod({ affinity: affinity({ required: [term(sel.in("app", "{{.bad-value.}}"), "zone")] }) });
    const got = runFilter(new InterPodAffinity(), { nodes, pods: [] }, bad);
    expect(got.n1.code).toBe("UnschedulableAndUnresolvable");
    expect(got.n1.reasons[0]).toMatch(/^parsing pod: /);
    expect(got.n1.reasons[0]).toContain('Invalid value: "{{.bad-value.}}"');
  });
  it("skips when no existing pod's anti-affinity matches and the pod has no required terms", () => {
    const existing = pod({ node: "n1", labels: { app: "db" }, affinity: affinity({ antiRequired: [term(sel.labels({ app: "db" }), "zone")] }) });
    expect(runPreFilter(new InterPodAffinity(), { nodes, pods: [existing] }, pod({ labels: { app: "web" } }))).toBe(Code.Skip);
    expect(runPreFilter(new InterPodAffinity(), { nodes, pods: [existing] }, pod({ labels: { app: "db" } }))).toBe(Code.Success);
  });
  it("an existing anti-affinity term whose key no node has does not count (Skip)", () => {
    const existing = pod({ node: "n1", labels: { app: "db" }, affinity: affinity({ antiRequired: [term(sel.labels({ app: "db" }), "rack")] }) });
    expect(runPreFilter(new InterPodAffinity(), { nodes, pods: [existing] }, pod({ labels: { app: "db" } }))).toBe(Code.Skip);
  });
});
