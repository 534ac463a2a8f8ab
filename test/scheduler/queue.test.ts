import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Simulation, US_PER_S } from "../../src/engine/simulation.js";
import { SchedulingQueue, QueuedState } from "../../src/scheduler/queue/schedulingQueue.js";
import { backoffDurationUs } from "../../src/scheduler/queue/backoff.js";
import { ClusterEvent, eventsForPlugins } from "../../src/scheduler/queue/events.js";

const S = US_PER_S;

/**
 * A scheduler stub: pops whenever activeQ has a pod and the pod fails at once.
 * Records the (virtual) times of each attempt.
 */
function failingScheduler(sim: Simulation, q: SchedulingQueue, failure: (pod: number) => void): number[] {
  const attempts: number[] = [];
  const tick = sim.on("test.cycle", () => {
    const pod = q.pop();
    if (pod < 0) return;
    attempts.push(sim.now / S);
    failure(pod);
    if (q.activeLength > 0) sim.schedule(0, tick);
  });
  q.onActive = () => sim.schedule(0, tick);
  return attempts;
}

describe("backoff duration", () => {
  it("doubles from the initial backoff and is capped at the maximum", () => {
    const got = [0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDurationUs(a, 1 * S, 10 * S) / S);
    expect(got).toEqual([0, 1, 2, 4, 8, 10, 10, 10]);
  });
  it("never exceeds the maximum and never decreases with attempts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), (init, extra, a) => {
        const max = init + extra;
        const d = backoffDurationUs(a, init, max);
        return d <= max && d >= init && backoffDurationUs(a + 1, init, max) >= d;
      }),
    );
  });
});

describe("scheduling queue", () => {
  it("a pod failing with an error is retried at 0, 1, 3, 7, 15, 25, 35 s (backoff 1, 2, 4, 8, 10, 10 s)", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    const attempts = failingScheduler(sim, q, (pod) => q.addUnschedulable(pod, 0, true));
    q.add(0, 0);
    sim.run(36 * S);
    expect(attempts).toEqual([0, 1, 3, 7, 15, 25, 35]);
  });

  it("an unschedulable pod waits for a relevant event, then for the rest of its backoff", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    const fit = eventsForPlugins(["NodeResourcesFit"]);
    const attempts = failingScheduler(sim, q, (pod) => q.addUnschedulable(pod, fit));
    const ev = sim.on("test.event", (e) => q.onClusterEvent(e));
    q.add(0, 0);
    // An irrelevant event (pod added elsewhere) does not move it.
    sim.scheduleAt(0.5 * S, ev, ClusterEvent.AssignedPodAdd);
    // Node added at 0.5 s: backoff (1 s from the failure at 0) is not over -> backoffQ, tried at 1 s.
    sim.scheduleAt(0.5 * S, ev, ClusterEvent.NodeAdd);
    // Second failure at 1 s (backoff 2 s). A node update at 20 s: backoff long over -> activeQ at once.
    sim.scheduleAt(20 * S, ev, ClusterEvent.NodeUpdate);
    sim.run(40 * S);
    expect(attempts).toEqual([0, 1, 20]);
    expect(q.state[0]).toBe(QueuedState.Unschedulable);
  });

  it("an event seen while the pod is in flight sends it to backoffQ, not the unschedulable pool", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    q.add(0, 0);
    expect(q.pop()).toBe(0);
    q.onClusterEvent(ClusterEvent.NodeAdd);
    q.addUnschedulable(0, eventsForPlugins(["TaintToleration"]));
    expect(q.state[0]).toBe(QueuedState.Backoff);
    expect(q.backoffExpiryUs[0]).toBe(1 * S);
  });

  it("the leftover flush moves a pod after more than 5 min, at the next 30 s tick (330 s)", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    const attempts = failingScheduler(sim, q, (pod) => q.addUnschedulable(pod, ClusterEvent.NodeAdd));
    q.add(0, 0);
    sim.run(329 * S);
    expect(attempts).toEqual([0]);
    sim.run(700 * S);
    // Failed at 0; at 300 s it has been unschedulable exactly 5 min (not more); 330 s moves it.
    // Second failure at 330 s -> next flush at 660 s.
    expect(attempts).toEqual([0, 330, 660]);
  });

  it("activeQ pops higher priority first, then the earlier timestamp", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    const t = sim.on("test.add", (pod, prio) => q.add(pod, prio));
    sim.scheduleAt(1, t, 0, 10);
    sim.scheduleAt(2, t, 1, 100);
    sim.scheduleAt(3, t, 2, 10);
    sim.scheduleAt(4, t, 3, -5);
    sim.scheduleAt(5, t, 4, 100);
    sim.run();
    const order = [];
    for (let p = q.pop(); p >= 0; p = q.pop()) order.push(p);
    expect(order).toEqual([1, 4, 0, 2, 3]);
  });

  it("pops every pod in (priority desc, arrival) order for any arrival sequence", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 }), (prios) => {
        const sim = new Simulation(1);
        const q = new SchedulingQueue(sim);
        prios.forEach((p, i) => q.add(i, p));
        const got: number[] = [];
        for (let p = q.pop(); p >= 0; p = q.pop()) got.push(p);
        const want = prios.map((p, i) => i).sort((a, b) => prios[b] - prios[a] || a - b);
        expect(got).toEqual(want);
      }),
    );
  });

  it("gated pods stay out of the queue until ungated", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    q.add(0, 0, true);
    expect(q.pop()).toBe(-1);
    q.onClusterEvent(ClusterEvent.All);
    expect(q.pop()).toBe(-1);
    q.ungate(0);
    expect(q.pop()).toBe(0);
  });

  it("deleting a pod in backoff cancels its retry", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim);
    const attempts = failingScheduler(sim, q, (pod) => q.addUnschedulable(pod, 0, true));
    q.add(0, 0);
    q.add(1, 0);
    const del = sim.on("test.del", (pod) => q.delete(pod));
    sim.scheduleAt(0.5 * S, del, 0);
    sim.run(2 * S);
    // pod 0 tried at 0 then deleted; pod 1 tried at 0 and 1 s.
    expect(attempts).toEqual([0, 0, 1]);
    expect(q.pendingLength).toBe(1);
  });

  it("with SchedulerPopFromBackoffQ, an empty activeQ hands out the pod whose backoff ends first", () => {
    const sim = new Simulation(1);
    const q = new SchedulingQueue(sim, { popFromBackoffQWhenActiveEmpty: true });
    q.add(0, 0);
    q.add(1, 0);
    expect(q.pop()).toBe(0);
    q.addUnschedulable(0, 0, true);
    expect(q.pop()).toBe(1);
    // Pod 0 is still backing off (until 1 s) but activeQ is empty.
    expect(q.isBackingOff(0)).toBe(true);
    expect(q.pop()).toBe(0);
    expect(q.pop()).toBe(-1);
  });
});
