import { describe, expect, it } from "vitest";
import { PodTopologySpread } from "../../src/scheduler/plugins/PodTopologySpread.js";
import { filterCases, scoreCases, R_SPREAD, R_SPREAD_LABEL } from "./podTopologySpread.fixtures.js";
import { newState, runFilter, runPreFilter, runScore } from "./interPodAffinity.harness.js";
import { Code, verdictCode } from "../../src/scheduler/framework.js";
import { snapshotFromObjects } from "../../src/scheduler/snapshot.js";
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

describe("PodTopologySpread with a changing cluster", () => {
  it("nodeTaintsPolicy Honor follows taint changes (Snapshot.setTaints)", () => {
    const nodes = [node("a", { node: "a" }), node("b", { node: "b" }), node("c", { node: "c" }, [{ key: "dedicated", value: "x", effect: "NoSchedule" }])];
    const existing = [pod({ node: "a", labels: { foo: "" } }), pod({ node: "b", labels: { foo: "" } })];
    const incoming = pod({ labels: { foo: "" }, spread: [spread(1, "node", "DoNotSchedule", sel.exists("foo"), { nodeTaintsPolicy: "Honor" })] });
    const snapshot = snapshotFromObjects({ nodes, pods: existing });
    const plugin = new PodTopologySpread();
    const codes = () => {
      const state = newState(snapshot);
      const p = snapshot.compile(incoming);
      plugin.preFilter(state, p);
      const out = new Int32Array(3);
      plugin.filter(state, p, Int32Array.of(0, 1, 2), 3, out);
      return Array.from(out, (v) => verdictCode(v));
    };
    // c is excluded (untolerated taint): domains a=1, b=1, min 1 -> every node fits.
    expect(codes()).toEqual([Code.Success, Code.Success, Code.Success]);
    snapshot.setTaints(2, []);
    // c now counts with 0 pods: min 0, so a and b (1 + 1 - 0 = 2 > 1) no longer fit.
    expect(codes()).toEqual([Code.Unschedulable, Code.Unschedulable, Code.Success]);
  });
});
