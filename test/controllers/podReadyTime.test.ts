/**
 * The ready time the ReplicaSet's deletion ranking reads is the PodReady condition's last
 * transition to True (ActivePodsWithRanks.Less compares podReadyTime), so a pod marked not
 * ready and reported Ready again (a node that came back) counts as ready recently.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun } from "../../src/run/run.js";
import { podsToDelete } from "../../src/controllers/podsToDelete.js";
import { node, spec, template } from "../run/helpers.js";

describe("the ready time in the deletion ranking", () => {
  it("a pod Ready again at 3000 s goes before one Ready since 1 s (log2 buckets of 600 s and 3599 s: 39 < 41)", () => {
    const run = new ClusterRun(spec({ durationUs: 3600e6, nodes: [node("n0", 4000, 2 ** 34), node("n1", 4000, 2 ** 34)], templates: [template(100, 0)], deployments: [{ name: "d", namespace: "default", replicas: 2, template: 0, templateHash: "h" }] }));
    run.advance(100e6);
    const c = run.cluster;
    const [a, b] = [0, 1];
    // both Ready about 1 s in (created at 0, 1 s start-up)
    for (const p of [a, b]) expect(Math.round(c.pods.readyUs[p] / 1e6)).toBe(1);
    c.setPodReady(b, false);
    expect(c.pods.readyUs[b]).toBe(-1);
    run.advance(3000e6);
    c.setPodReady(b, true);
    expect(c.pods.readyUs[b]).toBe(3000e6);
    run.advance(3600e6);
    // Both ready, one per node (same rank): the one ready more recently is deleted first.
    expect(podsToDelete([a, b], 1, c)).toEqual([b]);
  });
});
