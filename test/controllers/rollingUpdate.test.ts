/**
 * Deployment rollouts: the rolling-update arithmetic on hand-computed cases (the rules of
 * ResolveFenceposts, NewRSNewReplicas and reconcileOldReplicaSets, node-controller-facts.md
 * §5.2), and whole rollouts in a run, checked against the guarantees they imply.
 */
import { describe, expect, it } from "vitest";
import { newReplicaSetReplicas, oldReplicaSetsReplicas, resolveFenceposts } from "../../src/controllers/deployment/rollingUpdate.js";
import { simulate } from "../../src/index.js";

describe("rolling-update arithmetic", () => {
  it("ResolveFenceposts: surge rounds up, unavailable down, both zero makes unavailable 1", () => {
    expect(resolveFenceposts("25%", "25%", 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts("25%", "25%", 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts("25%", "25%", 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, 0, 10)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts("0%", "0%", 10)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(2, "50%", 5)).toEqual({ surge: 2, unavailable: 2 });
  });

  it("NewRSNewReplicas: up to replicas + surge pods in all, never beyond spec.replicas", () => {
    expect(newReplicaSetReplicas(10, 3, 10, 0)).toBe(3);
    expect(newReplicaSetReplicas(10, 3, 13, 3)).toBe(3); // at the surge limit
    expect(newReplicaSetReplicas(10, 3, 11, 3)).toBe(5);
    expect(newReplicaSetReplicas(10, 3, 12, 9)).toBe(10);
    expect(newReplicaSetReplicas(10, 3, 20, 12)).toBe(10); // above: back to spec.replicas
  });

  it("reconcileOldReplicaSets: unhealthy old replicas first within maxScaledDown, then available ones above minAvailable", () => {
    // 10 old all available, 3 new not yet: maxScaledDown = 13 - 8 - 3 = 2; available 10 - 8 = 2
    expect(oldReplicaSetsReplicas(10, 2, [{ replicas: 10, available: 10 }], { replicas: 3, available: 0 })).toEqual([8]);
    // 3 old unavailable: cleanup takes 2 of them (maxScaledDown 2), then 7 available <= 8: no more
    expect(oldReplicaSetsReplicas(10, 2, [{ replicas: 10, available: 7 }], { replicas: 3, available: 0 })).toEqual([8]);
    // new 3 available: maxScaledDown = 13 - 8 - 0 = 5, available 8 + 3 = 11: 3 more, the oldest ReplicaSet first
    expect(oldReplicaSetsReplicas(10, 2, [{ replicas: 2, available: 2 }, { replicas: 6, available: 6 }], { replicas: 5, available: 3 })).toEqual([0, 5]);
    // nothing old left
    expect(oldReplicaSetsReplicas(10, 2, [{ replicas: 0, available: 0 }], { replicas: 10, available: 10 })).toEqual([0]);
  });
});

/**
 * Without a control plane a create goes through the fixed-latency API: a pod decided at t
 * exists at t + C. The creates one sync takes go in slow-start batches of 1, 2, 4, ..., each
 * once the one before is answered: 10 creates decided at t exist at t + C (1), t + 2C (2),
 * t + 3C (4), t + 4C (3). kubesim's workqueue item is the Deployment (all its ReplicaSets).
 */
const C = 0.005;
/** The initial 10 pods (decided at 0) per batch: 1, 2, 4, 3, answered at C, 2C, 3C, 4C. */
const RAMP_UP_S = [C, 2 * C, 2 * C, 3 * C, 3 * C, 3 * C, 3 * C, 4 * C, 4 * C, 4 * C];

function scenario(strategy: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) {
  return {
    name: "rollout",
    duration: "5m",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 4, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          replicas: 10,
          ...(strategy ? { strategy } : {}),
          ...extra,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "500m" } } }] } },
        },
      },
    ],
    actions: [{ at: "60s", type: "set-image", deployment: "web", container: "web", image: "nginx:1.28" }],
  };
}

describe("a rollout in a run", () => {
  it("RollingUpdate 25 %/25 % of 10: never fewer than 8 available nor more than 13 pods; every pod ends on the new template", () => {
    const r = simulate(scenario(undefined));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    const hashes = [...new Set(web.map((p) => p.pod.split("-")[1]))];
    expect(hashes).toHaveLength(2);
    const [oldHash, newHash] = [web[0].pod.split("-")[1], hashes.find((h) => h !== web[0].pod.split("-")[1])!];
    for (const w of r.workloads.filter((x) => x.sim_time_s >= 60)) {
      expect(w.available).toBeGreaterThanOrEqual(8);
      expect(w.current).toBeLessThanOrEqual(13);
    }
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.message).toContain(`web-${newHash}`);
    // By hand (Terminating pods leave status.replicas at once, as FilterActivePods does):
    // at 60 s new 3, old 10 -> 8, then new 13 - 8 = 5; the 5 are available ~61 s:
    // maxScaledDown = 13 - 8 - 0 = 5 so old 8 -> 3, new -> 10; those are available ~62 s: old -> 0.
    // Two waves of the 1 s start-up, plus API latencies.
    expect(done.sim_time_s).toBeGreaterThan(62);
    expect(done.sim_time_s).toBeLessThan(62.5);
    const end = r.pods.filter((p) => p.owner === "Deployment/default/web" && p.deleted_s === null);
    expect(end.map((p) => p.pod.split("-")[1])).toEqual(Array(10).fill(newHash));
    expect(web.filter((p) => p.pod.split("-")[1] === oldHash).every((p) => p.deletion_requested_s !== null)).toBe(true);
    expect(r.workloads.at(-1)).toMatchObject({ desired: 10, current: 10, updated: 10, ready: 10 });
  });

  it("Recreate: every old pod deleted at once; the new ones only once the last old one is gone (30 s grace)", () => {
    const r = simulate(scenario({ type: "Recreate" }));
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    const old = web.filter((p) => p.created_s < 60);
    expect(old.map((p) => p.created_s)).toEqual(RAMP_UP_S.map((t) => expect.closeTo(t, 6)));
    expect(old.every((p) => p.deletion_requested_s === 60 && p.deleted_s === 90)).toBe(true);
    // the 10 new pods decided once the last old one is gone (90 s), in one sync: 90 + the ramp-up's batches
    const fresh = web.filter((p) => p.created_s >= 60);
    expect(fresh.map((p) => p.created_s)).toEqual(RAMP_UP_S.map((t) => expect.closeTo(90 + t, 6)));
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.sim_time_s).toBeGreaterThan(91);
    expect(done.sim_time_s).toBeLessThan(91.5);
  });

  it("maxSurge 0, maxUnavailable 1: one pod at a time, never more than 10 pods", () => {
    const r = simulate(scenario({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }));
    for (const w of r.workloads.filter((x) => x.sim_time_s >= 60)) {
      expect(w.current).toBeLessThanOrEqual(10);
      expect(w.available).toBeGreaterThanOrEqual(9);
    }
    expect(r.events.some((e) => e.kind === "RolloutComplete")).toBe(true);
  });
});

describe("minReadySeconds", () => {
  it("10 replicas 25 %/25 %, minReadySeconds 10: a pod is available 10 s + 1 s after Ready, each wave 1 + 11 s", () => {
    const r = simulate(scenario(undefined, { minReadySeconds: 10 }));
    const at = (t: number) => r.workloads.find((w) => w.sim_time_s === t)!;
    // Start: Ready at ~1 s, available at ~12 s (the ReplicaSet controller's check at Ready + 10 s + 1 s).
    expect(at(5)).toMatchObject({ ready: 10, available: 0 });
    expect(at(13)).toMatchObject({ ready: 10, available: 10 });
    // By hand, as in the 0 s case but each wave waits 11 s more: at 60 s new 3, old 10 -> 8,
    // then new 5 (13 pods); the 5 are Ready ~61 s and available ~72 s: old 8 -> 3, new 10;
    // those are available ~84 s: old -> 0.
    expect(at(70)).toMatchObject({ current: 13, updated: 5, ready: 13, available: 8 });
    expect(at(80)).toMatchObject({ current: 13, updated: 10, ready: 13, available: 8 });
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.sim_time_s).toBeGreaterThan(84);
    expect(done.sim_time_s).toBeLessThan(84.5);
    for (const w of r.workloads.filter((x) => x.sim_time_s >= 60)) {
      expect(w.available).toBeGreaterThanOrEqual(8);
      expect(w.current).toBeLessThanOrEqual(13);
    }
    // The initial ramp-up is not a loss of availability; the rollout's first scale-down is
    // (8 of 10), until the last 5 new pods are available ~84 s.
    const lost = r.events.filter((e) => e.kind === "ReplicasUnavailable");
    expect(lost.map((e) => e.sim_time_s)).toEqual([60]);
    const back = r.events.filter((e) => e.kind === "ReplicasAvailable");
    expect(back).toHaveLength(1);
    expect(back[0].sim_time_s).toBe(done.sim_time_s);
  });

});

describe("progressDeadlineSeconds in a run", () => {
  it("a rollout onto cordoned nodes: ProgressDeadlineExceeded at 60 s + 600 s + 1 s, the old pods keep running", () => {
    const s = scenario(undefined);
    const r = simulate({
      ...s,
      duration: "12m",
      sampleInterval: "10s",
      actions: [{ at: "59s", type: "cordon", pool: "w" }, ...s.actions],
    });
    // At 60 s: new 3, old 10 -> 8, new 5 (13 pods): the 5 creates in one sync, batches 1, 2, 2
    // answered at 60 + C, + 2C, + 3C; each raises updatedReplicas (progress), the last at
    // 60 + 3C = 60.015 s; every new pod stays Pending. Timed out at 60.015 + 600 + 1 s.
    const ev = r.events.filter((e) => e.kind === "ProgressDeadlineExceeded");
    expect(ev.map((e) => e.sim_time_s)).toEqual([expect.closeTo(60 + 3 * C + 600 + 1, 6)]);
    expect(ev[0].message).toContain("no progress since 60.015 s");
    expect(r.events.some((e) => e.kind === "RolloutComplete")).toBe(false);
    expect(r.workloads.at(-1)).toMatchObject({ desired: 10, current: 13, updated: 5, ready: 8, available: 8 });
  });
});

describe("rollout pause and resume actions", () => {
  it("set-image while paused rolls out at resume: RolloutStarted at 90 s, complete two waves later", () => {
    const s = scenario(undefined);
    const r = simulate({
      ...s,
      actions: [{ at: "30s", type: "pause", deployment: "web" }, ...s.actions, { at: "90s", type: "resume", deployment: "web" }],
    });
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    // nothing created between the initial ramp-up (its last batch at 4C) and the resume
    expect(web.filter((p) => p.created_s > 4 * C + 1e-9 && p.created_s < 90)).toHaveLength(0);
    expect(r.events.filter((e) => e.kind === "RolloutStarted").map((e) => e.sim_time_s)).toEqual([90]);
    // as the rollout at 60 s in the 25 %/25 % case, 30 s later
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.sim_time_s).toBeGreaterThan(92);
    expect(done.sim_time_s).toBeLessThan(92.5);
  });

  it("a pause action naming no Deployment of the scenario is one line naming the field", () => {
    expect(() => simulate({ ...scenario(undefined), actions: [{ at: "30s", type: "pause", deployment: "nope" }] })).toThrow(/actions\[0\]\.deployment: expected the name of a Deployment/);
  });
});

describe("a scale during a rollout is proportional", () => {
  it("10 -> 20 at 60.5 s, mid-wave (old 8, new 5, annotated for 10 + 3): old 15, new 10; done with 20 new pods", () => {
    const s = scenario(undefined);
    const r = simulate({ ...s, actions: [...s.actions, { at: "60.5s", type: "scale", deployment: "web", replicas: 20 }] });
    const web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    const oldHash = web[0].pod.split("-")[1];
    // By hand: maxSurge for 20 is 5, so 25 pods allowed, 13 there: 12 to add. Larger first:
    // old round(8 * 25 / 13) = 15 (+7), new round(5 * 25 / 13) = 10 (+5). Then the rolling
    // step: 25 pods = 20 + 5, nothing more; minAvailable 15, 10 new unavailable: no scale-down.
    // The 12 creates: each ReplicaSet is a workqueue item of its own, synced at once: the old 7
    // in batches 1, 2, 4 at 60.5 + C, + 2C, + 3C; the new 5 in batches 1, 2, 2 at the same
    // three instants (the client's burst of 30 covers both).
    const at605 = web.filter((p) => p.created_s > 60.5 && p.created_s < 60.5 + 4 * C + 1e-9);
    expect(at605.filter((p) => p.pod.split("-")[1] === oldHash).map((p) => p.created_s)).toEqual(
      [C, 2 * C, 2 * C, 3 * C, 3 * C, 3 * C, 3 * C].map((t) => expect.closeTo(60.5 + t, 6)),
    );
    expect(at605.filter((p) => p.pod.split("-")[1] !== oldHash).map((p) => p.created_s)).toEqual([C, 2 * C, 2 * C, 3 * C, 3 * C].map((t) => expect.closeTo(60.5 + t, 6)));
    expect(r.events.filter((e) => e.kind === "ScalingReplicaSet" && e.sim_time_s === 60.5).map((e) => e.message)).toEqual([
      expect.stringMatching(/^Scaled up replica set web-\w+ from 8 to 15$/),
      expect.stringMatching(/^Scaled up replica set web-\w+ from 5 to 10$/),
    ]);
    for (const w of r.workloads.filter((x) => x.sim_time_s > 60.5)) expect(w.current).toBeLessThanOrEqual(25);
    expect(r.events.some((e) => e.kind === "RolloutComplete")).toBe(true);
    expect(r.workloads.at(-1)).toMatchObject({ desired: 20, current: 20, updated: 20, available: 20 });
  });
});
