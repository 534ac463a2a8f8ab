/**
 * DaemonSet rollouts (pkg/controller/daemon/update.go rollingUpdate): the budget
 * arithmetic and the per-sync decisions on hand-computed cases, then whole rollouts on 4
 * nodes. Timelines by hand: the default 30 s grace period, taken whole; S is a daemon
 * pod's time from created to Running and Ready when it is the only pod in the
 * scheduler's queue (1 s start-up plus the bind), measured on w-0's first pod (alone in its
 * sync's first batch). A pod the controller decides to create at t exists at t + C (C = 5 ms:
 * its create through the fixed-latency API); creates decided together go in slow-start
 * batches of 1, 2, ..., each once the one before is answered: the second at t + 2C. Pods
 * 5 ms apart do not wait for each other's scheduling cycle (about 1 ms), so each takes S.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { ScenarioError } from "../../src/scenario/errors.js";
import { daemonSetBudget, rollingUpdateStep, type NodeDaemonPods } from "../../src/controllers/daemonSet/rollingUpdate.js";

const GRACE_S = 30;
const AT_S = 60;
/** scheduler.apiWriteLatencyUs default: a create is answered (the pod exists) 5 ms after it is sent. */
const C = 0.005;

const old = (state: "available" | "unavailable"): NodeDaemonPods => ({ oldPod: state, newPod: "none", excess: false });
const fresh = (state: "available" | "unavailable"): NodeDaemonPods => ({ oldPod: "none", newPod: state, excess: false });
const both = (newState: "available" | "unavailable"): NodeDaemonPods => ({ oldPod: "available", newPod: newState, excess: false });
const empty: NodeDaemonPods = { oldPod: "none", newPod: "none", excess: false };

describe("DaemonSet rolling-update arithmetic", () => {
  it("maxUnavailable and maxSurge: percentages of desiredNumberScheduled rounded up; both 0 makes maxUnavailable 1", () => {
    expect(daemonSetBudget(0, 1, 4)).toEqual({ surge: 0, unavailable: 1 });
    expect(daemonSetBudget(0, "25%", 4)).toEqual({ surge: 0, unavailable: 1 });
    expect(daemonSetBudget(0, "30%", 4)).toEqual({ surge: 0, unavailable: 2 }); // ceil(1.2)
    expect(daemonSetBudget(0, "10%", 4)).toEqual({ surge: 0, unavailable: 1 }); // ceil(0.4)
    expect(daemonSetBudget("50%", 0, 4)).toEqual({ surge: 2, unavailable: 0 });
    expect(daemonSetBudget("1%", 0, 150)).toEqual({ surge: 2, unavailable: 0 }); // ceil(1.5)
    expect(daemonSetBudget(0, 0, 4)).toEqual({ surge: 0, unavailable: 1 });
    expect(daemonSetBudget(0, "0%", 0)).toEqual({ surge: 0, unavailable: 0 });
  });

  it("maxSurge 0: delete old available pods while fewer than maxUnavailable nodes are unavailable; old unavailable ones at once", () => {
    const four = [old("available"), old("available"), old("available"), old("available")];
    expect(rollingUpdateStep(four, 0, 1)).toEqual({ deleteOld: [0], createNew: [] });
    expect(rollingUpdateStep(four, 0, 2)).toEqual({ deleteOld: [0, 1], createNew: [] });
    // node 0's old pod is Terminating (no pod counts): unavailable, nothing more with maxUnavailable 1
    expect(rollingUpdateStep([empty, old("available"), old("available")], 0, 1)).toEqual({ deleteOld: [], createNew: [] });
    // node 0 new not yet available (1), node 1 old not available: replaced regardless (2), no room left for 2 and 3
    expect(rollingUpdateStep([fresh("unavailable"), old("unavailable"), old("available"), old("available")], 0, 2)).toEqual({ deleteOld: [1], createNew: [] });
    // node 0 updated and available: room for one more with maxUnavailable 1
    expect(rollingUpdateStep([fresh("available"), old("available"), old("available")], 0, 1)).toEqual({ deleteOld: [1], createNew: [] });
    // two pods on a node (or two of one revision): the manage loop's, counted unavailable
    expect(rollingUpdateStep([both("available"), old("available")], 0, 1)).toEqual({ deleteOld: [], createNew: [] });
  });

  it("maxSurge > 0: a new pod beside old ones, up to maxSurge not yet available; the old one deleted once the new one is", () => {
    const four = [old("available"), old("available"), old("available"), old("available")];
    expect(rollingUpdateStep(four, 1, 0)).toEqual({ deleteOld: [], createNew: [0] });
    expect(rollingUpdateStep(four, 2, 0)).toEqual({ deleteOld: [], createNew: [0, 1] });
    expect(rollingUpdateStep([both("unavailable"), old("available"), old("available")], 1, 0)).toEqual({ deleteOld: [], createNew: [] });
    expect(rollingUpdateStep([both("available"), old("available"), old("available")], 1, 0)).toEqual({ deleteOld: [0], createNew: [1] });
    // an old pod that is not available gets its new pod at once, beyond maxSurge
    expect(rollingUpdateStep([old("available"), both("unavailable"), old("unavailable")], 1, 0)).toEqual({ deleteOld: [], createNew: [2] });
    expect(rollingUpdateStep([old("available"), old("available"), old("unavailable")], 1, 0)).toEqual({ deleteOld: [], createNew: [2, 0] });
  });
});

function scenario(updateStrategy: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) {
  return {
    name: "ds-rollout",
    duration: "5m",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent" },
        spec: {
          ...(updateStrategy ? { updateStrategy } : {}),
          selector: { matchLabels: { app: "agent" } },
          template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c", image: "agent:1", resources: { requests: { cpu: "100m" } } }] } },
        },
      },
    ],
    actions: [{ at: `${AT_S}s`, type: "set-image", daemonSet: "agent", container: "c", image: "agent:2" }],
    ...extra,
  };
}

type Result = ReturnType<typeof simulate>;
const agents = (r: Result) => r.pods.filter((p) => p.owner === "DaemonSet/default/agent");
/** Per node w-0 .. w-3: its first (old) and second (new) daemon pod. */
const onNode = (r: Result, i: number) => agents(r).filter((p) => p.node === `w-${i}`);
const startup = (r: Result) => onNode(r, 0)[0].running_s! - onNode(r, 0)[0].created_s;
const rows = (r: Result) => r.workloads.filter((w) => w.workload === "DaemonSet/default/agent");
/** The samples from the rollout on (before it the pods were starting). */
const during = (r: Result) => rows(r).filter((w) => w.sim_time_s >= AT_S);

describe("a DaemonSet rollout in a run (4 nodes)", () => {
  it("maxUnavailable 1 (the default): four waves in node order, each old pod deleted once the node before runs its new one", () => {
    const r = simulate(scenario(undefined));
    const S = startup(r);
    expect(S).toBeGreaterThanOrEqual(1);
    expect(S).toBeLessThan(1.1);
    // wave i: old pod of w-i deleted at 60 + i (30 + C + S), gone 30 s later, the new one decided
    // then and created C later, Ready S after that.
    const wave = GRACE_S + C + S;
    for (let i = 0; i < 4; i++) {
      const [before, after] = onNode(r, i);
      const deletedAt = AT_S + i * wave;
      expect(before.deletion_requested_s).toBeCloseTo(deletedAt, 6);
      expect(before.deleted_s).toBeCloseTo(deletedAt + GRACE_S, 6);
      expect(after.created_s).toBeCloseTo(deletedAt + GRACE_S + C, 6);
      expect(after.running_s).toBeCloseTo(deletedAt + wave, 6);
    }
    expect(r.events.find((e) => e.kind === "RolloutStarted")).toMatchObject({ sim_time_s: AT_S, object: "daemonset/default/agent", message: "update revision 2 (RollingUpdate, maxUnavailable 1, maxSurge 0)" });
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.sim_time_s).toBeCloseTo(AT_S + 4 * wave, 6);
    expect(done.message).toBe(`update revision 2: all 4 nodes have an updated pod available, after ${(4 * wave).toFixed(3)} s`);
    // never more than 1 node without an available pod; never two pods on a node
    for (const w of during(r)) {
      expect(w.ready).toBeGreaterThanOrEqual(3);
      expect(w.current + w.terminating).toBeLessThanOrEqual(4);
    }
    expect(rows(r).find((w) => w.sim_time_s === 95)).toMatchObject({ current: 3, updated: 1, terminating: 1 });
    expect(rows(r).at(-1)).toMatchObject({ desired: 4, current: 4, updated: 4, ready: 4 });
  });

  it("maxUnavailable 2: two waves (w-0, w-1 at once; w-2, w-3 as soon as the first new pods are Ready)", () => {
    const r = simulate(scenario({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } }));
    const S = startup(r);
    // w-0 and w-1 deleted at 60, gone at 90, both decided then in one sync: w-0's create in the
    // first batch (exists at 90 + C), w-1's in the second (90 + 2C).
    for (const i of [0, 1]) {
      expect(onNode(r, i)[0].deletion_requested_s).toBe(AT_S);
      expect(onNode(r, i)[1].created_s).toBeCloseTo(AT_S + GRACE_S + (i + 1) * C, 6);
    }
    // each new pod Ready frees one unit of the budget: w-2 deleted at 90 + C + S, w-3 at 90 + 2C + S;
    // each then gone 30 s later, decided again alone (its own sync), created C later, Ready S after.
    for (const i of [2, 3]) {
      const t = onNode(r, i)[0].deletion_requested_s!;
      expect(t).toBeCloseTo(AT_S + GRACE_S + (i - 1) * C + S, 6);
      expect(onNode(r, i)[1].running_s).toBeCloseTo(t + GRACE_S + C + S, 6);
    }
    // the last, w-3's, Ready at 60 + 2 (30 + C + S) + C
    const done = r.events.find((e) => e.kind === "RolloutComplete")!.sim_time_s;
    expect(done).toBeCloseTo(AT_S + 2 * (GRACE_S + C + S) + C, 6);
    for (const w of during(r)) expect(w.ready).toBeGreaterThanOrEqual(2);
  });

  it("maxSurge 1, maxUnavailable 0: the new pod beside the old, the old deleted once the new one is Ready; never fewer than 4 available", () => {
    const r = simulate(scenario({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }));
    const S = startup(r);
    // node i: new pod decided at 60 + i (C + S) while the old one runs, created C later, Ready S
    // after that; the old one deleted then, gone 30 s later.
    for (let i = 0; i < 4; i++) {
      const [before, after] = onNode(r, i);
      expect(after.created_s).toBeCloseTo(AT_S + i * (C + S) + C, 6);
      expect(after.running_s).toBeCloseTo(AT_S + (i + 1) * (C + S), 6);
      expect(before.deletion_requested_s).toBeCloseTo(AT_S + (i + 1) * (C + S), 6);
      expect(before.deleted_s).toBeCloseTo(AT_S + (i + 1) * (C + S) + GRACE_S, 6);
    }
    expect(r.events.find((e) => e.kind === "RolloutComplete")!.sim_time_s).toBeCloseTo(AT_S + 4 * (C + S), 6);
    for (const w of during(r)) {
      expect(w.ready).toBeGreaterThanOrEqual(4);
      expect(w.current).toBeLessThanOrEqual(5);
    }
  });

  it("maxSurge 50% of 4 = 2: two new pods at a time", () => {
    const r = simulate(scenario({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "50%" } }));
    // both decided at 60 in one sync: batch 1 (w-0) answered at 60 + C, batch 2 (w-1) at 60 + 2C
    expect([0, 1].map((i) => onNode(r, i)[1].created_s)).toEqual([AT_S + C, AT_S + 2 * C]);
    expect(Math.max(...rows(r).map((w) => w.current))).toBe(6);
    expect(rows(r).at(-1)).toMatchObject({ current: 4, updated: 4, ready: 4 });
  });

  it("OnDelete: nothing is deleted; a node that loses its pod (Node deleted, registered again) gets one on the new revision", () => {
    const faults = [
      { type: "node-deletion", at: "100s", node: "w-1" },
      { type: "node-failure", at: "200s", node: "w-1", recoverAfter: "100s" },
    ];
    const r = simulate(scenario({ type: "OnDelete" }, { duration: "8m", faults }));
    expect(r.events.find((e) => e.kind === "RolloutStarted")!.message).toBe("update revision 2 (OnDelete)");
    for (const i of [0, 2, 3]) expect(onNode(r, i).map((p) => p.deletion_requested_s)).toEqual([null]);
    expect(onNode(r, 1)).toHaveLength(2);
    expect(rows(r).find((w) => w.sim_time_s === 90)).toMatchObject({ current: 4, updated: 0 });
    expect(rows(r).at(-1)).toMatchObject({ desired: 4, current: 4, updated: 1, ready: 4 });
  });

  it("rollout-restart names the DaemonSet too", () => {
    const r = simulate(scenario(undefined, { actions: [{ at: "60s", type: "rollout-restart", daemonSet: "agent" }] }));
    expect(onNode(r, 0)[0].deletion_requested_s).toBe(AT_S);
    expect(rows(r).at(-1)).toMatchObject({ updated: 4 });
  });
});

describe("scenario errors", () => {
  const run = (s: unknown) => () => simulate(s, { file: "s.yaml" });
  it("a set-image naming an unknown DaemonSet", () => {
    expect(run(scenario(undefined, { actions: [{ at: "60s", type: "set-image", daemonSet: "nope", container: "c", image: "x" }] }))).toThrow(ScenarioError);
    expect(run(scenario(undefined, { actions: [{ at: "60s", type: "set-image", daemonSet: "nope", container: "c", image: "x" }] }))).toThrow(
      's.yaml: actions[0].daemonSet: expected the name of a DaemonSet of the scenario in namespace default (default/agent), got "nope"',
    );
    expect(run(scenario(undefined, { actions: [{ at: "60s", type: "rollout-restart", daemonSet: "agent", statefulSet: "db" }] }))).toThrow(
      "s.yaml: actions[0]: expected exactly one of deployment, statefulSet or daemonSet, got statefulSet and daemonSet",
    );
  });

  it("maxSurge needs maxUnavailable 0 (ValidateRollingUpdateDaemonSet; maxUnavailable defaults to 1)", () => {
    expect(run(scenario({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } }))).toThrow(
      "s.yaml: workloads[0].spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
    );
  });
});
