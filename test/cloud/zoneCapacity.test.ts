/**
 * A zone out of capacity (fault zone-capacity-exhausted) and launch failures, as the
 * Cluster Autoscaler sees them (clusterstate handleInstanceCreationErrors): the create
 * fails at once with the cloud's error; the next loop (10 s later) reports ScaleUpFailed
 * with upstream's text, backs the group off (5 min, doubling), deletes the failed
 * instances, and its scale-up picks another group. Timelines computed by hand.
 */
import { describe, expect, it } from "vitest";
import { prepareScenario, simulate } from "../../src/index.js";
import { m5Group, web } from "./helpers.js";

const pool = (name: string, zone: string, over: Record<string, unknown> = {}) => m5Group({ name, zones: [zone], ...over });

/** Pools a (zone z-a, preferred by the priority expander) and b (zone z-b); 2 pods of 1.5 cpu per 4-cpu node. */
function scenario(over: Record<string, unknown> = {}, a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) {
  return {
    name: "zone-capacity",
    duration: "40m",
    sampleInterval: "30s",
    nodePools: [pool("a", "z-a", a), pool("b", "z-b", b)],
    cloudControllerManager: {},
    clusterAutoscaler: { expander: "priority", priorities: { a: 20, b: 10 } },
    workloads: [web(4)],
    actions: [{ at: "2m", type: "scale", deployment: "web", replicas: 8 }],
    faults: [{ type: "zone-capacity-exhausted", zone: "z-a", at: "1m", recoverAfter: "20m" }],
    ...over,
  };
}

const ev = (r: ReturnType<typeof simulate>, kind: string) => r.events.filter((e) => e.kind === kind).map((e) => [e.sim_time_s, e.object, e.message]);
const EXHAUSTED_A = "The zone 'z-a' does not have enough resources available to fulfill the request. Try a different zone, or try again later.";

describe("zone-capacity-exhausted", () => {
  it("the create fails, the next loop reports it, backs the group off and scales up the group in the other zone", () => {
    const r = simulate(scenario());
    expect(ev(r, "ZoneCapacityExhausted")).toEqual([[60, "fault/0", "faults[0]: zone z-a: out of capacity, machine creates in the zone fail"]]);
    expect(ev(r, "ZoneCapacityRestored")).toEqual([[1260, "fault/0", "faults[0]: zone z-a (recoverAfter): capacity back, fault over"]]);
    // 120 s: 4 pods pending (a-0 and b-0 hold 2 each); 130 s scan: a (priority 20) by 2 nodes;
    // 140 s: the failed creates seen, a backed off until 440 s, b scaled up in the same loop.
    expect(ev(r, "ScaledUpGroup").map((e) => [e[0], e[1]])).toEqual([
      [130, "nodepool/a"],
      [140, "nodepool/b"],
    ]);
    expect(ev(r, "ScaledUpGroup")[1][2]).toContain("setting group b size to 3 instead of 1 (max: 5)");
    expect(ev(r, "ScaleUpFailed")).toEqual([[140, "nodepool/a", `Failed adding 2 nodes to group a due to OutOfResource.RESOURCE_POOL_EXHAUSTED; source errors: ${EXHAUSTED_A}`]]);
    // b's machines boot 45 s after 140 s and take the 4 pods; a never gets a Node, nor a bill.
    const present = r.nodes.filter((n) => n.kind === "object" && n.to === "present").map((n) => n.node);
    expect(present).toEqual(["b-1", "b-2"]);
    expect(r.pods.filter((p) => p.node === "b-1" || p.node === "b-2").length).toBe(4);
    for (const p of r.pods.filter((x) => x.node === "b-1")) expect(p.scheduled_s).toBeGreaterThan(185);
    expect(r.summary.find((s) => s.metric === "node_hours{pool=a}")!.value).toBeCloseTo((40 * 60) / 3600, 9); // a-0 only
    expect(r.events.some((e) => e.kind === "ScaleUpTimedOut")).toBe(false);
  });

  it("with no other group, the group is tried again when its backoff ends: fails while the zone is out (backoff doubles), succeeds after recoverAfter", () => {
    // b at its max size; the zone is out from 60 s to 660 s.
    const r = simulate(scenario({ faults: [{ type: "zone-capacity-exhausted", zone: "z-a", pool: "a", at: "1m", recoverAfter: "10m" }] }, {}, { autoscaling: { minSize: 1, maxSize: 1 } }));
    // 130 scale-up fails; 140 seen: backoff 5 min until 440; 440 tried again, fails; 450 seen:
    // the previous backoff over -> 10 min, until 1050; the zone is back at 660: 1050 succeeds.
    expect(ev(r, "ScaledUpGroup").map((e) => e[0])).toEqual([130, 440, 1050]);
    expect(ev(r, "ScaleUpFailed").map((e) => e[0])).toEqual([140, 450]);
    expect(ev(r, "ScaleUpFailed")[1][2]).toBe(`Failed adding 2 nodes to group a due to OutOfResource.RESOURCE_POOL_EXHAUSTED; source errors: ${EXHAUSTED_A}`);
    // In the backoff, the pods say why, once each.
    const not = r.events.filter((e) => e.kind === "NotTriggerScaleUp");
    expect(not.length).toBe(4);
    for (const e of not) expect([e.sim_time_s, e.message]).toEqual([140, "pod didn't trigger scale-up: 1 in backoff after failed scale-up, 1 max node group size reached"]);
    const present = r.nodes.filter((n) => n.kind === "object" && n.to === "present");
    expect(present.map((n) => n.node)).toEqual(["a-1", "a-2"]);
    for (const n of present) expect(n.sim_time_s).toBeGreaterThanOrEqual(1050 + 45);
  });

  it("a successful scale-up removes the group's backoff (clusterstate RemoveBackoff): the next failure backs off 5 min again, not double the last", () => {
    const r = simulate(
      scenario(
        {
          duration: "45m",
          faults: [
            { type: "zone-capacity-exhausted", zone: "z-a", pool: "a", at: "1m", recoverAfter: "10m" },
            { type: "zone-capacity-exhausted", zone: "z-a", pool: "a", at: "20m", recoverAfter: "30m" },
          ],
          actions: [
            { at: "2m", type: "scale", deployment: "web", replicas: 8 },
            { at: "21m", type: "scale", deployment: "web", replicas: 10 },
          ],
        },
        {},
        { autoscaling: { minSize: 1, maxSize: 1 } },
      ),
    );
    // As above to 1050 s (backoffs of 5 and 10 min), a-1 and a-2 Ready by 1100 s: the
    // scale-up finished, the backoff is gone. 1260 s: 2 more pods; 1270 s scale-up fails,
    // seen at 1280 s: backoff 5 min (without the reset: the 10 min one, ended, doubled to
    // 20 min), so the next try is at 1580 s.
    expect(ev(r, "ScaledUpGroup").map((e) => e[0]).slice(0, 5)).toEqual([130, 440, 1050, 1270, 1580]);
    expect(ev(r, "ScaleUpFailed").map((e) => e[0]).slice(0, 4)).toEqual([140, 450, 1280, 1590]);
  });

  it("a zone out of capacity that is not the group's leaves the group alone", () => {
    const r = simulate(scenario({ faults: [{ type: "zone-capacity-exhausted", zone: "z-b", at: "1m", recoverAfter: "20m" }] }));
    expect(ev(r, "ScaledUpGroup").map((e) => [e[0], e[1]])).toEqual([[130, "nodepool/a"]]);
    expect(ev(r, "ScaleUpFailed")).toEqual([]);
  });
});

describe("a node fault after a zone-capacity-exhausted one", () => {
  it("keeps its own index in events.csv (fault/<index in the file>)", () => {
    const r = simulate(scenario({ faults: [{ type: "zone-capacity-exhausted", zone: "z-b", at: "1m" }, { type: "node-failure", node: "a-0", at: "5m", recoverAfter: "1m" }] }));
    expect(ev(r, "NodeFailure").map((e) => [e[0], e[1]])).toEqual([[300, "fault/1"]]);
    expect(ev(r, "NodeRecovery").map((e) => [e[0], e[1]])).toEqual([[360, "fault/1"]]);
  });
});

describe("launchFailureProbability: an error at create time", () => {
  it("is seen at the next loop as Other.OTHER, the group backed off, the other group scaled up", () => {
    const r = simulate(scenario({ faults: [] }, { launchFailureProbability: 1 }));
    expect(ev(r, "ScaledUpGroup").map((e) => [e[0], e[1]])).toEqual([
      [130, "nodepool/a"],
      [140, "nodepool/b"],
    ]);
    expect(ev(r, "ScaleUpFailed")).toEqual([[140, "nodepool/a", "Failed adding 2 nodes to group a due to Other.OTHER; source errors: Instance creation failed"]]);
    expect(r.summary.find((s) => s.metric === "machine_launch_failures")!.value).toBe(2);
  });
});

describe("the scenario checks", () => {
  const base = { name: "x", duration: "1h", nodePools: [pool("a", "z-a"), { name: "c", count: 1, allocatable: { cpu: "4", memory: "16Gi" } }], clusterAutoscaler: {} };
  const load = (faults: unknown[], over: Record<string, unknown> = {}) => () => prepareScenario({ ...base, ...over, faults }, "s.yaml");
  it("names the field and what was expected", () => {
    expect(load([{ type: "zone-capacity-exhausted", zone: "z-q", at: "1m" }])).toThrow('s.yaml: faults[0].zone: expected a zone of some node pool (z-a), got "z-q"');
    expect(load([{ type: "zone-capacity-exhausted", zone: "z-a", pool: "c", at: "1m" }])).toThrow("s.yaml: faults[0].pool: expected a pool with zone z-a (pool c has no zones)");
    expect(load([{ type: "zone-capacity-exhausted", zone: "z-a", pool: "nope", at: "1m" }])).toThrow('s.yaml: faults[0].pool: expected the name of a node pool (a, c), got "nope"');
    expect(load([{ type: "zone-capacity-exhausted", zone: "z-a", at: "1m" }], { nodePools: [{ name: "a", count: 1, zones: ["z-a"], allocatable: { cpu: "4", memory: "16Gi" } }], clusterAutoscaler: undefined })).toThrow(
      "s.yaml: faults[0].type: expected a scenario with a cloud (a node pool with instanceType or autoscaling): zone-capacity-exhausted acts on machine creates",
    );
  });
});
