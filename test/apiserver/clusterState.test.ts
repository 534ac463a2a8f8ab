/** The cluster state the API server holds: accounting invariants and node failures. */
import { describe, expect, it } from "vitest";
import { ClusterState, InvariantError, OUTCOME_EVICTED } from "../../src/apiserver/clusterState.js";
import { ConditionStatus } from "../../src/model/nodeTable.js";
import { PodPhase } from "../../src/model/podTable.js";
import { Simulation } from "../../src/engine/simulation.js";
import { GI, node, template } from "../run/helpers.js";

describe("accounting a pod to a node", () => {
  it("a bind that would take a node's requests beyond its allocatable is an internal error naming node, pod and resource", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 2000, 4 * GI, { extended: { "nvidia.com/gpu": 1 } })], [template(1500, GI), template(100, GI, { extended: { "nvidia.com/gpu": 1 } })]);
    c.bind(c.createPod("a", "default", 0, -1, -1), 0);
    const b = c.createPod("b", "default", 0, -1, -1);
    expect(() => c.bind(b, 0)).toThrow(InvariantError);
    expect(() => c.bind(c.createPod("b2", "default", 0, -1, -1), 0)).toThrow("node n0 over-committed by pod default/b2: requested cpu 3000m > 2000m allocatable");
    const g = new ClusterState(new Simulation(1), [node("n0", 8000, 8 * GI, { extended: { "nvidia.com/gpu": 1 } })], [template(100, GI, { extended: { "nvidia.com/gpu": 1 } })]);
    g.bind(g.createPod("g1", "default", 0, -1, -1), 0);
    expect(() => g.bind(g.createPod("g2", "default", 0, -1, -1), 0)).toThrow("requested nvidia.com/gpu 2 > 1 allocatable");
  });

  it("requests come from the admitted template and are given back when the pod ends", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 4000, 8 * GI)], [template(1500, 2 * GI)]);
    const p = c.createPod("a", "default", 0, -1, -1);
    c.bind(p, 0);
    expect([c.nodes.cpuReq[0], c.nodes.memReq[0], c.nodes.podCount[0]]).toEqual([1500, 2 * GI, 1]);
    c.endPod(p, c.outcomes.id("completed"));
    expect([c.nodes.cpuReq[0], c.nodes.memReq[0], c.nodes.podCount[0]]).toEqual([0, 0, 0]);
  });
});

describe("deleting pods and nodes", () => {
  it("a graceful delete of a bound pod leaves it Terminating, holding its node's resources, until it ends with the outcome given", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 8000, 8 * GI)], [template(500, GI)]);
    const p = c.createPod("a", "default", 0, -1, -1);
    c.bind(p, 0);
    c.podRunning(p);
    const availability: [number, boolean][] = [];
    const deleting: number[] = [];
    c.onPodAvailability.push((pod, a) => availability.push([pod, a]));
    c.onPodDeleting.push((pod) => deleting.push(pod));
    const evicted = c.outcomes.id(OUTCOME_EVICTED);
    expect(c.deletePod(p, evicted)).toBe(true);
    expect(c.deletePod(p, evicted)).toBe(false); // already Terminating
    expect(deleting).toEqual([p]);
    expect(availability).toEqual([[p, false]]);
    expect([c.counters.terminating, c.counters.evicted, c.nodes.cpuReq[0], c.nodes.podCount[0]]).toEqual([1, 1, 500, 1]);
    c.endPod(p, c.deletionOutcomeOf(p));
    expect([c.counters.terminating, c.counters.lost, c.nodes.cpuReq[0], c.nodes.podCount[0]]).toEqual([0, 1, 0, 0]);
    expect(c.outcomes.name(c.pods.outcome[p])).toBe(OUTCOME_EVICTED);
    expect(availability).toEqual([[p, false]]); // no second "unavailable"
  });

  it("an unbound pod is removed at once; pods of a node stay bound when it fails, listed oldest first", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 8000, 8 * GI), node("n1", 8000, 8 * GI)], [template(100, 0)]);
    const pending = c.createPod("pending", "default", 0, -1, -1);
    c.deletePod(pending, c.outcomes.id("deleted"));
    expect(c.pods.phase[pending]).toBe(PodPhase.Failed);
    const on = [0, 1, 0, 0, 1, 0].map((n, i) => {
      const p = c.createPod(`p${i}`, "default", 0, -1, -1);
      c.bind(p, n);
      return p;
    });
    c.endPod(on[2], c.outcomes.id("completed")); // leaves a hole in n0's list
    c.setNodeReady(0, ConditionStatus.Unknown, "Kubelet stopped posting node status.");
    expect(c.podsOn(0)).toEqual([on[0], on[3], on[5]]);
    expect([c.nodes.ready[0], c.nodes.podCount[0]]).toEqual([0, 3]);
    expect(c.nodeTransitions.rows.map((r) => [r.node, r.kind, r.name, r.from, r.to])).toEqual([["n0", "condition", "Ready", "True", "Unknown"]]);
    expect(c.events.rows.map((r) => r.kind)).toEqual(["NodeStatusUnknown"]);
  });

  it("a pod marked not ready stops being available and counts in notReady until Ready again", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 8000, 8 * GI)], [template(100, 0)]);
    const p = c.createPod("a", "default", 0, -1, -1);
    c.bind(p, 0);
    c.setPodReady(p, false); // not Running yet: no change
    expect(c.counters.notReady).toBe(0);
    c.podRunning(p);
    expect(c.available(p)).toBe(true);
    c.setPodReady(p, false);
    expect([c.available(p), c.counters.notReady]).toEqual([false, 1]);
    c.podRestarting(p);
    expect([c.pods.restarts[p], c.counters.notReady]).toEqual([1, 1]);
    c.setPodReady(p, true);
    expect([c.available(p), c.counters.notReady]).toEqual([true, 0]);
  });
});
