/** ImagePullBackOff (flowcontrol.Backoff with imageBackOffPeriod 10 s, MaxImageBackOff 300 s), per pod and image. */
import { describe, expect, it } from "vitest";
import { PullBackOff } from "../../../src/kubelet/runtime/pullBackOff.js";
import { StartupTracker } from "../../../src/kubelet/runtime/startupLatency.js";

const S = 1e6;

describe("ImagePullBackOff", () => {
  it("10 s doubling to 300 s, for each pod and image on its own; idle for 600 s starts over", () => {
    const b = new PullBackOff();
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const w = b.next(1, 7, t);
      waits.push(w / S);
      t += w;
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(b.next(2, 7, t) / S).toBe(10); // another pod
    expect(b.next(1, 8, t) / S).toBe(10); // another image
    expect(b.next(1, 7, t + 601 * S) / S).toBe(10); // expired: > 2 x 300 s since the last failure
  });
});

describe("the startup SLI's exclusions (pod_startup_latency_tracker)", () => {
  it("pull sessions pair each finish with the oldest start; overlaps count once; init runtime adds", () => {
    const t = new StartupTracker();
    t.pullStarted(1 * S); // a pull that fails: no finish
    t.pullStarted(11 * S); // the retry after 10 s
    t.pullFinished(15 * S); // closes [1, 15]: the back-off counts as pulling
    t.initStarted(15.2 * S);
    t.initFinished(18.2 * S);
    t.pullStarted(18.2 * S);
    t.pullFinished(20 * S); // closes [11, 20]: overlaps [1, 15] -> adds 5 s
    expect(t.pullingUs() / S).toBeCloseTo(19, 9);
    expect(t.initRuntimeUs / S).toBeCloseTo(3, 9);
    expect(t.excludedUs() / S).toBeCloseTo(22, 9);
  });
});
