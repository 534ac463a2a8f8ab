/**
 * scenarios/batch-jobs.yaml against hand computation (pods start 1 s after binding,
 * binding takes a few ms here):
 * - flaky (OnFailure, 30 s runs, CrashLoopBackOff 10 s doubling): with k failed runs
 *   before the first success it completes at 1 + 30 (k + 1) + 10 (2^k - 1) s; at the 4th
 *   failure (restarts = backoffLimit 4) it fails, at 1 + 30 x 4 + 10 x 7 = 191 s;
 * - shards (16 at once, 5-10 min uniform): complete between 301 and ~601 s;
 * - render (200 completions, 20 at a time, 2 min runs): no faster than 10 waves of 121 s.
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runCluster } from "../../src/run/run.js";

describe("scenarios/batch-jobs.yaml", () => {
  // Each flaky run fails with probability 1/2, so the Job fails (4 failures first) with
  // probability 1/16 per seed. Which seeds fail depends on the order in which all pods' runs
  // draw from the shared kubelet.podRun stream, which moved when the controllers' creates
  // went through the 5 ms API (slow-start batches): none of seeds 1-4 fails now, seed 30 does
  // (seeds 1-80: 30, 49, 55). Seed 30 is there so both branches are checked; the instants
  // asserted are the hand-computed ones above.
  const runs = [1, 2, 3, 4, 30].map((seed) => runCluster(resolveScenario(loadScenarioFile("scenarios/batch-jobs.yaml", { seed }).scenario)));

  it("flaky finishes at one of the hand-computed instants, complete or failed by backoffLimit", () => {
    const complete = [0, 1, 2, 3].map((k) => 1 + 30 * (k + 1) + 10 * (2 ** k - 1));
    for (const r of runs) {
      const e = r.events.find((x) => x.object === "job/batch/flaky")!;
      const [pod] = r.pods.filter((p) => p.owner === "Job/batch/flaky");
      const at = e.sim_time_s - pod.scheduled_s!;
      if (e.kind === "JobComplete") expect(complete.some((t) => Math.abs(at - t) < 1e-6)).toBe(true);
      else expect(at).toBeCloseTo(191, 6);
      expect(pod.restarts).toBeLessThanOrEqual(4);
    }
    expect(new Set(runs.map((r) => r.events.find((x) => x.object === "job/batch/flaky")!.kind)).size).toBe(2); // both happen over these seeds
  });

  it("shards complete between 301 s and 601 s, one pod per index; render takes at least 10 waves of 121 s and exactly 200 successes", () => {
    for (const r of runs) {
      const shards = r.events.find((x) => x.object === "job/batch/shards")!;
      expect(shards.kind).toBe("JobComplete");
      expect(shards.sim_time_s).toBeGreaterThan(301);
      expect(shards.sim_time_s).toBeLessThan(601.1);
      expect(new Set(r.pods.filter((p) => p.owner === "Job/batch/shards").map((p) => p.pod.split("-")[1])).size).toBe(16);
      const render = r.events.find((x) => x.object === "job/batch/render")!;
      expect(render.kind).toBe("JobComplete");
      expect(render.sim_time_s).toBeGreaterThan(1210);
      const pods = r.pods.filter((p) => p.owner === "Job/batch/render");
      expect(pods.filter((p) => p.outcome === "completed")).toHaveLength(200);
      const failed = pods.filter((p) => p.outcome === "error").length;
      expect(render.message).toContain(`200 succeeded, ${failed} failed`);
      // never more than 20 at once
      for (let t = 0; t < render.sim_time_s; t += 30) expect(pods.filter((p) => p.created_s <= t && (p.deleted_s === null || p.deleted_s > t)).length).toBeLessThanOrEqual(20);
    }
  });
});
