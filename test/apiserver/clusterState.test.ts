/** The cluster state the API server holds: accounting invariants and node failures. */
import { describe, expect, it } from "vitest";
import { ClusterState, InvariantError, OUTCOME_NODE_FAILURE } from "../../src/apiserver/clusterState.js";
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

describe("a node failure", () => {
  it("ends exactly the pods bound to that node, oldest first, and frees the node", () => {
    const c = new ClusterState(new Simulation(1), [node("n0", 8000, 8 * GI), node("n1", 8000, 8 * GI)], [template(100, 0)]);
    const on = [0, 1, 0, 0, 1, 0].map((n, i) => {
      const p = c.createPod(`p${i}`, "default", 0, -1, -1);
      c.bind(p, n);
      return p;
    });
    c.endPod(on[2], c.outcomes.id("completed")); // leaves a hole in n0's list
    const ended: number[] = [];
    c.onPodEnded.push((p) => ended.push(p));
    expect(c.failNode(0)).toBe(3);
    expect(ended).toEqual([on[0], on[3], on[5]]);
    expect([...ended].map((p) => c.outcomes.name(c.pods.outcome[p]))).toEqual([OUTCOME_NODE_FAILURE, OUTCOME_NODE_FAILURE, OUTCOME_NODE_FAILURE]);
    expect([c.nodes.podCount[0], c.nodes.cpuReq[0], c.nodes.podCount[1]]).toEqual([0, 0, 2]);
    expect(c.failNode(0)).toBe(0);
  });
});
