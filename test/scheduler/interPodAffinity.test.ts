import { describe, expect, it } from "vitest";
import { InterPodAffinity } from "../../src/scheduler/plugins/InterPodAffinity.js";
import { filterCases, scoreCases, scoreNamespaces, type Want } from "./interPodAffinity.fixtures.js";
import { runFilter, runScore } from "./interPodAffinity.harness.js";

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
