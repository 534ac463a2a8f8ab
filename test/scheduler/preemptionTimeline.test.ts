/**
 * The scheduler component in virtual time: cycle cost, bind rate limit, and a
 * preemption whose victim is deleted after its grace period before the preemptor binds.
 * Filters here are a minimal cpu-fit plugin, so the timelines are hand-computable.
 */
import { describe, expect, it } from "vitest";
import { Simulation, US_PER_MS, US_PER_S } from "../../src/engine/simulation.js";
import type { Node, Pod } from "../../src/model/types.js";
import { snapshotFromObjects, type Snapshot } from "../../src/scheduler/snapshot.js";
import { Profile, SchedulingCycle } from "../../src/scheduler/cycle.js";
import { Code, type CycleState, type FilterPlugin, verdict } from "../../src/scheduler/framework.js";
import type { CompiledPod } from "../../src/scheduler/compiled.js";
import { DefaultPreemption } from "../../src/scheduler/plugins/DefaultPreemption.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";

class CpuFit implements FilterPlugin {
  readonly name = "NodeResourcesFit";
  readonly reasons = ["Insufficient cpu"];
  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void {
    const t = state.snapshot.nodes;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      out[i] = t.cpuReq[n] + pod.cpuMilli <= t.cpuAlloc[n] ? 0 : verdict(Code.Unschedulable, 1);
    }
  }
}

const node = (name: string, cpu: string): Node => ({ metadata: { name }, status: { allocatable: { cpu, memory: "64Gi", pods: "500" } } });
const pod = (name: string, cpu: string, priority: number, grace?: number): Pod => ({
  metadata: { name, namespace: "default" },
  spec: { priority, terminationGracePeriodSeconds: grace, containers: [{ name: "c", image: "x", resources: { requests: { cpu } } }] },
});

function setup(snapshot: Snapshot, sim: Simulation, opts: ConstructorParameters<typeof Scheduler>[4] = {}) {
  const preemption = new DefaultPreemption(undefined, { snapshot });
  const profile = new Profile("default-scheduler", [
    { plugin: new CpuFit(), weight: 1 },
    { plugin: preemption, weight: 1 },
  ]);
  const cycle = new SchedulingCycle(profile, snapshot, { tieBreak: "first" });
  const bound: Array<[string, string, number]> = [];
  const deleted: Array<[string, number]> = [];
  const failed: Array<[string, number]> = [];
  const names: string[] = [];
  const sched = new Scheduler(sim, snapshot, [{ profile, cycle, preemption }], {
    bound: (p, n) => {
      bound.push([names[p], snapshot.nodes.names[n], sim.now]);
    },
    victimDeleted: (p) => deleted.push([names[p], sim.now]),
    failed: (p) => failed.push([names[p], sim.now]),
  }, opts);
  return { sched, bound, deleted, failed, names };
}

describe("scheduler in virtual time", () => {
  it("cycles cost perCycle + perNode x evaluated; binds are rate limited at 50 QPS after a burst of 100", () => {
    const sim = new Simulation(1);
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "1000")] });
    const { sched, bound, names } = setup(snapshot, sim, { cost: { perCycleUs: 0, perNodeEvaluatedUs: 0, perNodeScoredUs: 0 }, apiWriteLatencyUs: 0 });
    for (let i = 0; i < 150; i++) {
      names[i] = `p${i}`;
      sched.addPod(i, snapshot.compile(pod(`p${i}`, "1", 0)), `default/p${i}`);
    }
    sim.run();
    expect(bound.length).toBe(150);
    // Burst: 100 binds at t=0; then one token per 20 ms: pod 100 at 20 ms ... pod 149 at 1000 ms.
    expect(bound[99][2]).toBe(0);
    expect(bound[100][2]).toBe(20 * US_PER_MS);
    expect(bound[149][2]).toBe(1000 * US_PER_MS);
  });

  it("one node, one cycle: bound at cycle cost + API latency", () => {
    const sim = new Simulation(1);
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "4"), node("n2", "4")] });
    const { sched, bound, names } = setup(snapshot, sim, { cost: { perCycleUs: 1000, perNodeEvaluatedUs: 10, perNodeScoredUs: 5 }, apiWriteLatencyUs: 2000 });
    names[0] = "a";
    sched.addPod(0, snapshot.compile(pod("a", "1", 0)), "default/a");
    sim.run();
    // No Score plugin in this profile, so numNodesToFind = 1: one node evaluated, none
    // scored: 1000 + 1*10 = 1010 us; + 2000 us API write.
    expect(bound).toEqual([["a", "n1", 3010]]);
    expect(sched.stats.busyUs).toBe(1010);
  });

  it("preemption: victim deleted after its 30 s grace, then the preemptor binds on the nominated node", () => {
    const sim = new Simulation(1);
    const low = pod("low", "2", 0);
    low.spec!.nodeName = "n1";
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "2")] });
    const cost = { perCycleUs: 1000, perNodeEvaluatedUs: 0, perNodeScoredUs: 0 };
    const { sched, bound, deleted, names } = setup(snapshot, sim, { cost, apiWriteLatencyUs: 0 });
    names[0] = "low";
    names[1] = "high";
    sched.addBoundPod(0, snapshot.compile(low, { ignoreNodeName: true }), "default/low", 0, 0);
    sched.addPod(1, snapshot.compile(pod("high", "2", 100)), "default/high");
    sim.run(5 * US_PER_S);
    // t=0: cycle fails, DefaultPreemption nominates n1, deletion requested at 0.
    expect(sched.nominated[1]).toBe(0);
    expect(snapshot.podTerminating[0]).toBe(1);
    expect(bound).toEqual([]);
    sim.run(100 * US_PER_S);
    // Victim gone at 0 + 30 s grace. AssignedPodDelete wakes the preemptor (its 1 s
    // backoff from the failure at 0 is over): cycle at 30 s, bound at 30 s + 1 ms.
    expect(deleted).toEqual([["low", 30 * US_PER_S]]);
    expect(bound).toEqual([["high", "n1", 30 * US_PER_S + 1000]]);
    expect(sched.stats.preemptions).toBe(1);
    expect(sched.stats.victims).toBe(1);
  });

  it("a victim's own terminationGracePeriodSeconds is honoured", () => {
    const sim = new Simulation(1);
    const low = pod("low", "2", 0, 5);
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "2")] });
    const { sched, bound, names } = setup(snapshot, sim, { cost: { perCycleUs: 0, perNodeEvaluatedUs: 0, perNodeScoredUs: 0 }, apiWriteLatencyUs: 0 });
    names[0] = "low";
    names[1] = "high";
    sched.addBoundPod(0, snapshot.compile(low), "default/low", 0, 0, 5 * US_PER_S);
    sched.addPod(1, snapshot.compile(pod("high", "2", 100)), "default/high");
    sim.run(60 * US_PER_S);
    expect(bound).toEqual([["high", "n1", 5 * US_PER_S]]);
  });

  it("the space freed for a nominated pod is not taken by a lower-priority pod waiting meanwhile", () => {
    const sim = new Simulation(1);
    const low = pod("low", "2", 0);
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "2")] });
    const zero = { perCycleUs: 0, perNodeEvaluatedUs: 0, perNodeScoredUs: 0 };
    const { sched, bound, names } = setup(snapshot, sim, { cost: zero, apiWriteLatencyUs: 0 });
    names[0] = "low";
    names[1] = "high";
    names[2] = "mid";
    sched.addBoundPod(0, snapshot.compile(low), "default/low", 0, 0);
    sched.addPod(1, snapshot.compile(pod("high", "2", 100)), "default/high");
    // A priority-50 pod arrives during the grace period and waits in the queue too.
    const add = sim.on("test.addMid", () => sched.addPod(2, snapshot.compile(pod("mid", "2", 50)), "default/mid"));
    sim.scheduleAt(10 * US_PER_S, add);
    sim.run(120 * US_PER_S);
    // mid's cycles see high (nominated, higher priority) on n1, so it neither binds
    // there nor preempts high's place; high binds when low is gone at 30 s.
    expect(bound).toEqual([["high", "n1", 30 * US_PER_S]]);
    expect(sched.stats.preemptions).toBe(1);
  });

  it("a preemption clears the nominations of lower-priority pods on its node and sends them back to activeQ at once", () => {
    const sim = new Simulation(1);
    const snapshot = snapshotFromObjects({ nodes: [node("n1", "4")] });
    const cost = { perCycleUs: 1000, perNodeEvaluatedUs: 0, perNodeScoredUs: 0 };
    const { sched, failed, names } = setup(snapshot, sim, { cost, apiWriteLatencyUs: 0 });
    ["low0", "low1", "mid2", "mid3", "", "high5"].forEach((n, i) => (names[i] = n));
    sched.addBoundPod(0, snapshot.compile(pod("low0", "2", 0)), "default/low0", 0, 0);
    sched.addBoundPod(1, snapshot.compile(pod("low1", "2", 0)), "default/low1", 0, 0);
    // mid3 then mid2 each preempt a low pod (30 s grace) and are nominated to n1.
    sched.addPod(3, snapshot.compile(pod("mid3", "2", 10)), "default/mid3");
    sched.addPod(2, snapshot.compile(pod("mid2", "2", 10)), "default/mid2");
    sim.run(5 * US_PER_S);
    expect([sched.nominated[2], sched.nominated[3]]).toEqual([0, 0]);
    // Pod id 4 never existed; high5 needs the whole node and nominates n1 for itself.
    sched.addPod(5, snapshot.compile(pod("high5", "4", 100)), "default/high5");
    sim.run(6 * US_PER_S);
    expect([sched.nominated[2], sched.nominated[3], sched.nominated[4], sched.nominated[5]]).toEqual([-1, -1, 0, 0]);
    // Without the activation they would wait in the unschedulable pool until the
    // victims are gone (30 s); here each gets its next cycle right after high5's.
    const at = 5 * US_PER_S;
    expect(failed.filter(([, t]) => t >= at).map(([p]) => p).sort()).toEqual(["high5", "mid2", "mid3"]);
    expect(failed.every(([, t]) => t < at + 3000)).toBe(true);
  });
});

describe("determinism", () => {
  it("the preemption scenario gives byte-identical pod rows for the same seed", async () => {
    const { loadScenarioFile } = await import("../../src/scenario/load.js");
    const { resolveScenario } = await import("../../src/scenario/resolve.js");
    const { runCluster } = await import("../../src/run/run.js");
    const once = () => JSON.stringify(runCluster(resolveScenario(loadScenarioFile("scenarios/scheduler-preemption.yaml", { set: ["duration=12m"] }).scenario)).pods);
    const a = once();
    expect(a).toContain('"outcome":"preempted"');
    expect(once()).toBe(a);
  });
});
