/**
 * scenarios/autoscaling.yaml with its default expander (least-waste): the scale-ups and
 * the large pool's node-hours against a hand computation from the events.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { loadScenarioFile } from "../../src/scenario/load.js";

describe("scenarios/autoscaling.yaml", () => {
  it("least-waste grows the 16-cpu group two nodes per 30-replica step; node-hours are the machines' lives from create to delete", () => {
    const { scenario: s } = loadScenarioFile("scenarios/autoscaling.yaml");
    const r = simulate(s);
    // Each step adds 30 replicas of 1 cpu (+ the 100m agent per node): 15 fit a 15.89-cpu node,
    // one a 1.93-cpu node. least-waste: 2 large nodes waste less than 30 small ones (each ~43 % idle cpu).
    const ups = r.events.filter((e) => e.kind === "ScaledUpGroup").map((e) => [e.sim_time_s, e.message.slice(0, e.message.indexOf(" ["))]);
    expect(ups).toEqual([
      [1810, "Scale-up: setting group large size to 2 instead of 1 (max: 12)"], // 30m: 30 replicas, 16 fit the two start nodes
      [3610, "Scale-up: setting group large size to 4 instead of 2 (max: 12)"],
      [5410, "Scale-up: setting group large size to 6 instead of 4 (max: 12)"],
      [7210, "Scale-up: setting group large size to 8 instead of 6 (max: 12)"],
    ]);
    // Each machine's life, from its create (the scale-up) to its delete (empty: the ScaleDown
    // instant; drained: when the drain completed), read from events.csv and summed.
    const created = new Map<string, number>([["large-0", 0]]);
    let k = 1;
    for (const [t, m] of ups) {
      const n = Number(/size to (\d+) instead of (\d+)/.exec(m as string)![1]) - Number(/instead of (\d+)/.exec(m as string)![1]);
      for (let i = 0; i < n; i++) created.set(`large-${k++}`, t as number);
    }
    let us = 0;
    for (const [node, t0] of created) {
      const drained = r.events.find((e) => e.kind === "DrainCompleted" && e.object === `node/${node}`);
      const removed = r.events.find((e) => e.kind === "ScaleDown" && e.object === `node/${node}` && e.message === "nodes removed by cluster autoscaler");
      const end = drained?.sim_time_s ?? removed?.sim_time_s ?? 8 * 3600;
      us += end - t0;
    }
    const hours = r.summary.find((x) => x.metric === "node_hours{pool=large}")!.value;
    expect(hours).toBeCloseTo(us / 3600, 9);
    expect(r.summary.find((x) => x.metric === "cost{pool=large}")!.value).toBeCloseTo(hours * 0.768, 9);
    expect(r.summary.find((x) => x.metric === "node_hours{pool=small}")!.value).toBe(8); // never grown, never below min 1
  });
});
