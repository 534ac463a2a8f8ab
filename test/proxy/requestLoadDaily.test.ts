/**
 * A request load with a daily curve: requests per hour follow the integral of the
 * sinusoid (within 4 sigma), rising from nothing at midnight to the peak at noon.
 */
import { describe, expect, it } from "vitest";
import { expectedCount, type RateCurve } from "../../src/engine/rateCurve.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { ClusterRun } from "../../src/run/run.js";
import { S, webScenario } from "./helpers.js";

const H = 3600 * S;

describe("request load with a daily curve", () => {
  it("requests per hour match the integral of the rate, 0 at midnight to 2/s at the noon peak", () => {
    const raw = webScenario({
      replicas: 2,
      nodes: 2,
      extra: {
        duration: "12h",
        sampleInterval: "10m",
        requestLoad: [{ service: "web", namespace: "shop", daily: { min: 0, max: 2, peakAt: "12h" }, serviceTime: "1ms", concurrencyPerPod: 10 }],
      },
    });
    const spec = prepareScenario(raw, "svc.yaml").spec;
    const curve: RateCurve = { type: "daily", minPerS: 0, maxPerS: 2, peakAtUs: 12 * H };
    expect(spec.requestLoads?.[0].curve).toEqual(curve);
    const run = new ClusterRun(spec);
    let before = 0;
    const perHour: number[] = [];
    for (let h = 1; h <= 12; h++) {
      run.advance(h * H);
      const sent = run.services!.requests.total[0].sent;
      perHour.push(sent - before);
      before = sent;
    }
    perHour.forEach((n, h) => {
      const mean = expectedCount(curve, h * H, (h + 1) * H);
      expect(Math.abs(n - mean)).toBeLessThan(4 * Math.sqrt(mean));
    });
    // the hour before noon holds ~7,180, the first hour after midnight ~4
    expect(perHour[11]).toBeGreaterThan(100 * Math.max(1, perHour[0]));
  });
});
