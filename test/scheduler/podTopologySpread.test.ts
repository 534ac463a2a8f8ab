import { describe, expect, it } from "vitest";
import { PodTopologySpread } from "../../src/scheduler/plugins/PodTopologySpread.js";
import { filterCases, scoreCases, R_SPREAD, R_SPREAD_LABEL } from "./podTopologySpread.fixtures.js";
import { runFilter, runPreFilter, runScore } from "./interPodAffinity.harness.js";
import { Code } from "../../src/scheduler/framework.js";
import { node, pod, sel, spread } from "./interPodAffinity.builders.js";

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

describe("PodTopologySpread PreFilter/PreScore status", () => {
  const nodes = [node("n1", { zone: "z1" }), node("n2", { zone: "z2" })];
  it("an invalid DoNotSchedule selector fails PreFilter with Error", () => {
    const bad = pod({ labels: { app: "a" }, spread: [spread(1, "zone", "DoNotSchedule", sel.in("app", "{{.bad-value.}}"))] });
    expect(runPreFilter(new PodTopologySpread(), { nodes, pods: [] }, bad)).toBe(Code.Error);
  });
  it("an invalid ScheduleAnyway selector fails PreScore with Error", () => {
    const bad = pod({ labels: { app: "a" }, spread: [spread(1, "zone", "ScheduleAnyway", sel.in("app", "{{.bad-value.}}"))] });
    expect(runScore(new PodTopologySpread(), { nodes, pods: [] }, bad)).toBe("Error");
  });
  it("PreFilter skips a pod without DoNotSchedule constraints", () => {
    const soft = pod({ labels: { app: "a" }, spread: [spread(1, "zone", "ScheduleAnyway", sel.labels({ app: "a" }))] });
    expect(runPreFilter(new PodTopologySpread(), { nodes, pods: [] }, soft)).toBe(Code.Skip);
  });
});
