/**
 * scenarios/rolling-update.yaml: a 600-replica Deployment rolled out at 300 s under four
 * maxSurge/maxUnavailable variants, against what the rules and the defaults imply by hand:
 *
 * - the fenceposts: maxSurge rounds up, maxUnavailable down (of 600): 25 %/25 % is 150/150,
 *   100 %/0 is 600/0, 0/10 % is 0/60, 1/0 is 1/0. Never fewer than 600 - maxUnavailable
 *   available pods, never more than 600 + maxSurge pods (Terminating ones aside);
 * - the time: kube-controller-manager's client sends at most --kube-api-burst 30 creates at
 *   once and then --kube-api-qps 20 a second, so 600 new pods take (600 - 30) / 20 = 28.5 s
 *   to create, and the last one runs ~1 s later (podStartupDelay): ~29.5 s, whatever the
 *   variant, as long as the pods the rules let in flight (maxSurge + maxUnavailable) cover
 *   20 a second for the ~1 s each takes to become available. With maxSurge 1 and
 *   maxUnavailable 0 one pod is in flight: 600 pods one after the other, each a create,
 *   a binding and a 1 s start-up: a little over 600 s.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseScenarioText } from "../../src/scenario/load.js";
import { simulate } from "../../src/index.js";

function rollout(rollingUpdate: Record<string, unknown> | undefined) {
  const file = "scenarios/rolling-update.yaml";
  const scenario = parseScenarioText(file, readFileSync(file, "utf8")) as { workloads: { spec: { strategy: { rollingUpdate: unknown } } }[] };
  if (rollingUpdate) scenario.workloads[0].spec.strategy.rollingUpdate = rollingUpdate;
  const r = simulate(scenario);
  const during = r.workloads.filter((w) => w.sim_time_s >= 300);
  const done = r.events.find((e) => e.kind === "RolloutComplete")!;
  return {
    seconds: done.sim_time_s - 300,
    minAvailable: Math.min(...during.map((w) => w.available)),
    maxPods: Math.max(...during.map((w) => w.current)),
    end: r.workloads.at(-1)!,
  };
}

const CREATES_S = (600 - 30) / 20;

describe("scenarios/rolling-update.yaml", () => {
  it.each([
    ["25 %/25 % (the default)", undefined, 450, 750],
    ["maxSurge 100 %, maxUnavailable 0", { maxSurge: "100%", maxUnavailable: 0 }, 600, 1200],
    ["maxSurge 0, maxUnavailable 10 %", { maxSurge: 0, maxUnavailable: "10%" }, 540, 600],
  ])("%s: available never below 600 - maxUnavailable (reached), pods never above 600 + maxSurge; ~29.5 s, bound by the controller manager's 20 creates a second", (_name, ru, minAvailable, maxPods) => {
    const r = rollout(ru);
    expect(r.minAvailable).toBe(minAvailable);
    expect(r.maxPods).toBeLessThanOrEqual(maxPods);
    expect(r.seconds).toBeGreaterThan(CREATES_S + 1);
    expect(r.seconds).toBeLessThan(CREATES_S + 2.5);
    expect(r.end).toMatchObject({ desired: 600, current: 600, updated: 600, available: 600 });
  });

  it("maxSurge 1, maxUnavailable 0: one pod at a time, 600 in a row, each a create, a binding and the 1 s start-up", () => {
    const r = rollout({ maxSurge: 1, maxUnavailable: 0 });
    expect(r.minAvailable).toBe(600);
    expect(r.maxPods).toBe(601);
    expect(r.seconds).toBeGreaterThan(600);
    // a pod's create, binding and status writes take a few ms each through the control plane
    expect(r.seconds / 600).toBeLessThan(1.03);
    expect(r.end).toMatchObject({ desired: 600, current: 600, updated: 600, available: 600 });
  });
});
