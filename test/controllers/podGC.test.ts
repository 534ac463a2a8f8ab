/**
 * The PodGC controller (k/k pkg/controller/podgc/gc_controller.go): pass times and which
 * pods go, hand-computed.
 *
 * Setup: the controller leads from t = 0 (no lease), so its passes run at 0, 20, 40,
 * 60, ... s (gcCheckPeriod 20 s; the first at once). Its client is on a fixed-latency
 * API of LAT = 1 ms with a full token bucket: a deletion sent at a pass P is applied at
 * P + LAT.
 *
 * Orphans: a Node deleted at D is first seen missing at the first pass P1 > D, queued
 * until P1 + 40 s (quarantineTime), which is itself a pass time, so its pods go at
 * P1 + 40 s + LAT: 40-60 s after D.
 */
import { describe, expect, it } from "vitest";
import { ClusterState, OUTCOME_EVICTED, OUTCOME_POD_GC } from "../../src/apiserver/clusterState.js";
import { FixedLatencyApi } from "../../src/apiserver/apiPort.js";
import { ControllerClient } from "../../src/controllers/controllerClient.js";
import { PodGCController, type PodGCOptions } from "../../src/controllers/podGC.js";
import { Simulation } from "../../src/engine/simulation.js";
import { PodPhase } from "../../src/model/podTable.js";
import { GI, node, template } from "../run/helpers.js";

const S = 1_000_000;
const LAT = 1_000;

function setup(nodeCount: number, options: PodGCOptions = {}) {
  const sim = new Simulation(1);
  const nodes = Array.from({ length: nodeCount }, (_, i) => node(`n${i}`, 64_000, 64 * GI));
  const cluster = new ClusterState(sim, nodes, [template(100, GI)]);
  const client = new ControllerClient(sim, new FixedLatencyApi(sim, LAT), undefined, "pod-garbage-collector");
  const gc = new PodGCController(sim, cluster, client, options);
  gc.start();
  const pod = (n: number, name = `p${cluster.pods.count}`) => {
    const p = cluster.createPod(name, "default", 0, -1, -1);
    cluster.bind(p, n);
    return p;
  };
  const endedAt = (p: number) => (cluster.pods.phase[p] >= PodPhase.Succeeded ? cluster.pods.deletedUs[p] : -1);
  return { sim, cluster, gc, pod, endedAt };
}

describe("gcOrphaned: pods of a deleted Node", () => {
  it("go at the first pass at least 40 s after the pass that first saw the Node missing, Terminating or not", () => {
    const { sim, cluster, gc, pod, endedAt } = setup(2);
    const running = pod(0);
    const terminating = pod(0);
    const late = pod(1);
    sim.run(1 * S);
    cluster.deletePod(terminating, cluster.outcomes.id("scaled-down"));
    sim.run(5 * S);
    cluster.deleteNode(0); // seen at the 20 s pass -> ready at 60 s
    sim.run(25 * S);
    cluster.deleteNode(1); // seen at the 40 s pass -> ready at 80 s
    sim.run(60 * S - 1);
    expect([endedAt(running), endedAt(terminating)]).toEqual([-1, -1]);
    sim.run(200 * S);
    expect([endedAt(running), endedAt(terminating), endedAt(late)]).toEqual([60 * S + LAT, 60 * S + LAT, 80 * S + LAT]);
    for (const p of [running, terminating, late]) expect(cluster.outcomes.name(cluster.pods.outcome[p])).toBe(OUTCOME_POD_GC);
    expect([gc.orphanedDeleted, gc.deletionsSent]).toEqual([3, 3]);
  });

  it("a Node that comes back within the quarantine keeps its pods", () => {
    const { sim, cluster, gc, pod, endedAt } = setup(1);
    const p = pod(0);
    sim.run(5 * S);
    cluster.deleteNode(0);
    sim.run(50 * S);
    cluster.registerNode(0); // before the 60 s pass that would have confirmed it
    sim.run(300 * S);
    expect(endedAt(p)).toBe(-1);
    expect(gc.deletionsSent).toBe(0);
  });
});

describe("gcTerminated: terminated pods beyond --terminated-pod-gc-threshold", () => {
  it("keeps exactly the threshold, deleting kubelet-evicted pods first, then the oldest, then by name", () => {
    const { sim, cluster, gc, pod } = setup(1, { terminatedPodThreshold: 3, evictedOutcomes: ["Evicted"] });
    const byName = new Map<string, number>();
    const at = (t: number, ...names: string[]) => {
      sim.run(t * S);
      for (const n of names) byName.set(n, pod(0, n));
    };
    at(1, "c");
    at(2, "b", "a"); // same creationTimestamp: name breaks the tie
    at(3, "d");
    at(4, "e");
    at(5, "f");
    at(6, "deleted", "preempted");
    sim.run(10 * S);
    const completed = cluster.outcomes.id("completed");
    for (const n of ["e", "d", "c", "b", "a"]) cluster.endPod(byName.get(n)!, completed);
    cluster.endPod(byName.get("f")!, cluster.outcomes.id("Evicted"));
    // Not terminated objects: a deleted pod's object is gone once it ends; so is a preempted one.
    cluster.deletePod(byName.get("deleted")!, cluster.outcomes.id(OUTCOME_EVICTED));
    cluster.endPod(byName.get("deleted")!, cluster.outcomes.id(OUTCOME_EVICTED));
    cluster.endPod(byName.get("preempted")!, cluster.outcomes.id("preempted"));
    expect(gc.terminatedCount).toBe(6);
    sim.run(20 * S + LAT); // the 20 s pass deletes 6 - 3 = 3: f (evicted), c (oldest), a (before b)
    expect(["a", "b", "c", "d", "e", "f"].filter((n) => gc.keepsTerminated(byName.get(n)!))).toEqual(["b", "d", "e"]);
    expect([gc.terminatedCount, gc.terminatedDeleted, gc.deletionsSent]).toEqual([3, 3, 3]);
    // Their rows are those of ended pods, unchanged.
    expect(cluster.outcomes.name(cluster.pods.outcome[byName.get("c")!])).toBe("completed");
    sim.run(100 * S);
    expect(gc.deletionsSent).toBe(3);
  });

  it("threshold 0 disables it", () => {
    const { sim, cluster, gc, pod } = setup(1, { terminatedPodThreshold: 0 });
    const p = pod(0);
    cluster.endPod(p, cluster.outcomes.id("completed"));
    sim.run(100 * S);
    expect([gc.terminatedCount, gc.deletionsSent]).toEqual([1, 0]);
  });

  it("a terminated pod on a deleted Node is removed as an orphan", () => {
    const { sim, cluster, gc, pod } = setup(1);
    const p = pod(0);
    cluster.endPod(p, cluster.outcomes.id("completed"));
    sim.run(5 * S);
    cluster.deleteNode(0);
    sim.run(100 * S);
    expect([gc.keepsTerminated(p), gc.terminatedCount, gc.orphanedDeleted]).toEqual([false, 0, 1]);
  });
});
