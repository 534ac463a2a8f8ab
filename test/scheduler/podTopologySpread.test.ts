import { describe, expect, it } from "vitest";
import { PodTopologySpread } from "../../src/scheduler/plugins/PodTopologySpread.js";
import { filterCases, scoreCases, R_SPREAD, R_SPREAD_LABEL } from "./podTopologySpread.fixtures.js";
import { runFilter, runScore } from "./interPodAffinity.harness.js";

const REASON: Record<string, string[]> = { Success: [], Unschedulable: [R_SPREAD], UnschedulableAndUnresolvable: [R_SPREAD_LABEL] };

describe("PodTopologySpread filter (upstream filtering_test.go tables)", () => {
  for (const c of filterCases) {
    it(c.name, () => {
      const got = runFilter(new PodTopologySpread(), { nodes: c.nodes, pods: c.pods }, c.pod);
      const want = Object.fromEntries(Object.entries(c.want).map(([n, code]) => [n, { code, reasons: REASON[code] }]));
      expect(got).toEqual(want);
    });
  }
});

describe("PodTopologySpread score (upstream scoring_test.go tables)", () => {
  for (const c of scoreCases) {
    it(c.name, () => {
      const objs = { nodes: [...c.nodes, ...(c.failedNodes ?? [])], pods: c.pods, services: c.services, replicaSets: c.replicaSets };
      const failed = (c.failedNodes ?? []).map((n) => n.metadata!.name!);
      const got = runScore(new PodTopologySpread(), objs, c.pod, failed);
      expect(got).toEqual(c.want);
    });
  }
});
