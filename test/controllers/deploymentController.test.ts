/**
 * The Deployment controller against hand-driven pods: the test binds pods and writes
 * their Ready condition itself (no scheduler, no kubelet), so each expectation is an
 * exact instant. Creates are immediate (no control plane).
 */
import { describe, expect, it } from "vitest";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { immediatePodCreates } from "../../src/controllers/podCreates.js";
import { ReplicaSetController, type DeploymentSpec } from "../../src/controllers/replicaSet.js";
import { Simulation } from "../../src/engine/simulation.js";
import { PodPhase } from "../../src/model/podTable.js";
import { GI, node, template } from "../run/helpers.js";

const S = 1_000_000;

function setup(spec: Partial<DeploymentSpec>) {
  const sim = new Simulation(1);
  const cluster = new ClusterState(sim, [node("n0", 64_000, 64 * GI)], [template(100, GI), template(100, GI)]);
  const d: DeploymentSpec = { name: "web", namespace: "default", replicas: 2, template: 0, templateHash: "aaaa", revisions: [{ template: 1, templateHash: "bbbb" }], ...spec };
  const rsc = new ReplicaSetController(sim, cluster, [d], immediatePodCreates(cluster));
  const status = rsc.workloads()[0];
  /** Live pods of template t, oldest first. */
  const podsOf = (t: number) => Array.from({ length: cluster.pods.count }, (_, p) => p).filter((p) => cluster.pods.template[p] === t && cluster.pods.phase[p] < PodPhase.Succeeded && cluster.pods.deletionUs[p] < 0);
  /** Bind and start every Pending pod of template t (Running and Ready now). */
  const startAll = (t: number) => {
    for (const p of podsOf(t)) {
      if (cluster.pods.phase[p] !== PodPhase.Pending) continue;
      cluster.bind(p, 0);
      cluster.podRunning(p);
    }
  };
  return { sim, cluster, rsc, status, podsOf, startAll };
}

describe("minReadySeconds", () => {
  it("a pod is available minReadySeconds + 1 s after it became Ready; one that loses Ready before never is", () => {
    const { sim, cluster, rsc, status, podsOf, startAll } = setup({ minReadySeconds: 5 });
    rsc.start();
    sim.run(2 * S);
    startAll(0); // Ready at 2 s: available at 2 + 5 + 1 = 8 s
    const [a, b] = podsOf(0);
    sim.run(4 * S);
    cluster.setPodReady(b, false); // b loses Ready at 4 s: its 8 s check finds it not Ready
    sim.run(6 * S);
    cluster.setPodReady(b, true); // Ready again at 6 s: available at 12 s
    sim.run(8 * S - 1);
    expect(status.available()).toBe(0);
    sim.run(8 * S);
    expect(status.available()).toBe(1);
    expect(cluster.available(a)).toBe(true);
    sim.run(12 * S - 1);
    expect(status.available()).toBe(1);
    sim.run(12 * S);
    expect(status.available()).toBe(2);
    // Losing Ready after being available: unavailable at once.
    sim.run(20 * S);
    cluster.setPodReady(a, false);
    expect(status.available()).toBe(1);
  });
});

describe("progressDeadlineSeconds", () => {
  // 4 replicas, 25 %/25 %: surge 1, unavailable 1. A rollout at 60 s: new 1, old 4 -> 3, then
  // new 2 (5 pods); the new pods are never started, so the last progress is at 60 s.
  function stuckRollout() {
    const h = setup({ replicas: 4 });
    h.rsc.start();
    h.sim.run(1 * S);
    h.startAll(0);
    h.sim.run(60 * S);
    h.rsc.rollout(0, 0);
    return h;
  }

  it("a rollout without progress: Progressing=False ProgressDeadlineExceeded at its last progress + 600 s + 1 s; nothing rolled back", () => {
    const { sim, cluster, rsc, podsOf } = stuckRollout();
    expect(rsc.progressing(0)).toEqual({ status: "True", reason: "ReplicaSetUpdated", lastUpdateUs: 60 * S });
    expect([podsOf(0).length, podsOf(1).length]).toEqual([3, 2]);
    sim.run(661 * S - 1);
    expect(rsc.progressing(0).reason).toBe("ReplicaSetUpdated");
    sim.run(661 * S);
    expect(rsc.progressing(0)).toEqual({ status: "False", reason: "ProgressDeadlineExceeded", lastUpdateUs: 661 * S });
    const ev = cluster.events.rows.filter((e) => e.kind === "ProgressDeadlineExceeded");
    expect(ev.map((e) => e.sim_time_s)).toEqual([661]);
    sim.run(2000 * S);
    expect([podsOf(0).length, podsOf(1).length]).toEqual([3, 2]);
    expect(cluster.events.rows.filter((e) => e.kind === "ProgressDeadlineExceeded")).toHaveLength(1);
  });

  it("progress moves the deadline: one new pod Ready at 300 s -> exceeded at 901 s; progress after it sets Progressing=True again", () => {
    const { sim, cluster, rsc, podsOf } = stuckRollout();
    sim.run(300 * S);
    const [first] = podsOf(1);
    cluster.bind(first, 0);
    cluster.podRunning(first);
    expect(rsc.progressing(0).lastUpdateUs).toBe(300 * S);
    sim.run(901 * S - 1);
    expect(rsc.progressing(0).status).toBe("True");
    sim.run(901 * S);
    expect(rsc.progressing(0).reason).toBe("ProgressDeadlineExceeded");
    sim.run(1000 * S);
    const [second] = podsOf(1).filter((p) => cluster.pods.phase[p] === PodPhase.Pending);
    cluster.bind(second, 0);
    cluster.podRunning(second);
    expect(rsc.progressing(0)).toEqual({ status: "True", reason: "ReplicaSetUpdated", lastUpdateUs: 1000 * S });
  });

  it("a complete rollout reads NewRSAvailable and is never checked again; progressDeadlineSeconds 2147483647 means none", () => {
    const h = setup({ replicas: 4 });
    h.rsc.start();
    h.sim.run(1 * S);
    h.startAll(0);
    expect(h.rsc.progressing(0).reason).toBe("NewRSAvailable");
    const none = setup({ replicas: 4, progressDeadlineSeconds: 2147483647 });
    none.rsc.start();
    none.sim.run(5000 * S);
    expect(none.rsc.progressing(0).reason).toBe("");
  });
});

describe("paused", () => {
  it("a template change while paused waits for resume; a scale applies at once; the deadline counts from resume", () => {
    const { sim, cluster, rsc, podsOf, startAll } = setup({ replicas: 4 });
    rsc.start();
    sim.run(1 * S);
    startAll(0);
    sim.run(10 * S);
    rsc.pause(0);
    expect(rsc.progressing(0)).toEqual({ status: "Unknown", reason: "DeploymentPaused", lastUpdateUs: 10 * S });
    sim.run(20 * S);
    rsc.rollout(0, 0);
    expect([podsOf(0).length, podsOf(1).length]).toEqual([4, 0]);
    expect(cluster.events.rows.some((e) => e.kind === "RolloutStarted")).toBe(false);
    sim.run(30 * S);
    rsc.scale(0, 6);
    expect([podsOf(0).length, podsOf(1).length]).toEqual([6, 0]);
    startAll(0);
    // paused far beyond the deadline: no progress estimated
    sim.run(1000 * S);
    expect(rsc.progressing(0).reason).toBe("DeploymentPaused");
    rsc.resume(0);
    // 6 replicas, 25 %/25 %: surge 2, unavailable 1 -> new 2, old 6 -> 5, new 3 (8 pods)
    expect([podsOf(0).length, podsOf(1).length]).toEqual([5, 3]);
    expect(cluster.events.rows.filter((e) => e.kind === "RolloutStarted").map((e) => e.sim_time_s)).toEqual([1000]);
    expect(rsc.progressing(0)).toEqual({ status: "True", reason: "ReplicaSetUpdated", lastUpdateUs: 1000 * S });
    sim.run(1601 * S);
    expect(rsc.progressing(0).reason).toBe("ProgressDeadlineExceeded");
  });

  it("created paused: no ReplicaSet and no pod until resume, then the template as it is at resume", () => {
    const { sim, rsc, podsOf } = setup({ replicas: 3, paused: true });
    rsc.start();
    sim.run(5 * S);
    rsc.rollout(0, 0);
    expect([podsOf(0).length, podsOf(1).length]).toEqual([0, 0]);
    sim.run(10 * S);
    rsc.resume(0);
    expect([podsOf(0).length, podsOf(1).length]).toEqual([0, 3]);
    expect(rsc.progressing(0)).toEqual({ status: "True", reason: "ReplicaSetUpdated", lastUpdateUs: 10 * S });
  });
});

describe("progressDeadlineSeconds after a complete rollout", () => {
  it("replicas lost long after NewRSAvailable: no progress check, no deadline exceeded (isCompleteDeployment)", () => {
    const { sim, cluster, rsc, podsOf, startAll } = setup({ replicas: 2 });
    rsc.start();
    sim.run(1 * S);
    startAll(0);
    sim.run(1000 * S);
    cluster.setPodReady(podsOf(0)[0], false);
    sim.run(3000 * S);
    expect(rsc.progressing(0).reason).toBe("NewRSAvailable");
    expect(cluster.events.rows.some((e) => e.kind === "ProgressDeadlineExceeded")).toBe(false);
  });
});
