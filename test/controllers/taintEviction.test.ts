/**
 * The taint eviction controller (k/k pkg/controller/tainteviction/taint_eviction.go):
 * when each pod's deletion happens, hand-computed from upstream's rules.
 *
 * Setup: one node n0, pods bound to it (no kubelet: a bound pod stays Scheduled), the
 * controller's client on a fixed-latency API of LAT = 1 ms with a full token bucket (a
 * few requests never wait). A deletion decided at t is applied when its answer comes:
 * the pod's deletionTimestamp is t + LAT. Taints change at T0 = 10 s.
 *
 * The rule for a pod that already has a scheduled deletion (processPodOnNode): upstream
 * keeps it, fire time unchanged, when it was created before now (CreatedAt + min is
 * before now + min); only work created at the same instant is replaced.
 */
import { describe, expect, it } from "vitest";
import { ClusterState, OUTCOME_EVICTED } from "../../src/apiserver/clusterState.js";
import { FixedLatencyApi, type ApiPort } from "../../src/apiserver/apiPort.js";
import { Status, Verb, type Resource } from "../../src/apiserver/verbs.js";
import type { LeaderElection } from "../../src/client/leaderElection.js";
import { ControllerClient } from "../../src/controllers/controllerClient.js";
import { TAINT_EVICTION_RETRIES, TaintEvictionController } from "../../src/controllers/taintEviction.js";
import { Simulation } from "../../src/engine/simulation.js";
import { LifecycleTaint } from "../../src/model/nodeTable.js";
import type { NodeSpec } from "../../src/model/nodeSpec.js";
import { podTemplate, type PodTemplate } from "../../src/model/podTemplate.js";
import type { Toleration } from "../../src/model/types.js";
import { GI, node, taint, template } from "../run/helpers.js";

const S = 1_000_000;
const LAT = 1_000;
const T0 = 10 * S;
const UNREACHABLE = LifecycleTaint.UnreachableNoSchedule | LifecycleTaint.UnreachableNoExecute;
const NOT_READY = LifecycleTaint.NotReadyNoSchedule | LifecycleTaint.NotReadyNoExecute;
const NO_EXECUTE = "NoExecute" as const;
const unreachable = (tolerationSeconds?: number): Toleration => ({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: NO_EXECUTE, tolerationSeconds });
const notReady = (tolerationSeconds?: number): Toleration => ({ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: NO_EXECUTE, tolerationSeconds });
/** An admitted template: DefaultTolerationSeconds adds 300 s for whichever of the two it lacks. */
const tolerating = (...tolerations: Toleration[]) => template(100, GI, tolerations.length > 0 ? { tolerations } : {});
/** A pod stored without admission (no default tolerations). */
const bare: PodTemplate = podTemplate({ metadata: { namespace: "default" }, spec: { containers: [{ name: "c" }] } });

/** A KCM lease whose holder a test sets (ControllerClient reads leader() and listeners only). */
class FakeLease {
  holder = 0;
  readonly listeners: ((c: number, leading: boolean, now: number) => void)[] = [];
  leader(): number {
    return this.holder;
  }
  set(holder: number, now: number): void {
    this.holder = holder;
    for (const l of this.listeners) l(holder, holder >= 0, now);
  }
}

/** An API that refuses the first `failures` deletes. */
class FlakyApi implements ApiPort {
  deletes = 0;
  constructor(
    private readonly sim: Simulation,
    private readonly failures: number,
  ) {}
  send(verb: Verb, _r: Resource, token: number, done: number): void {
    const ok = verb !== Verb.Delete || ++this.deletes > this.failures;
    this.sim.schedule(LAT, done, token, ok ? Status.OK : Status.ServiceUnavailable);
  }
}

function setup(templates: PodTemplate[], opts: { nodes?: NodeSpec[]; lease?: FakeLease; api?: (sim: Simulation) => ApiPort } = {}) {
  const sim = new Simulation(1);
  const nodes = opts.nodes ?? [node("n0", 64_000, 64 * GI)];
  const cluster = new ClusterState(sim, nodes, templates);
  const api = opts.api ? opts.api(sim) : new FixedLatencyApi(sim, LAT);
  const client = new ControllerClient(sim, api, opts.lease as unknown as LeaderElection | undefined, "taint-eviction-controller");
  const controller = new TaintEvictionController(sim, cluster, client, nodes.map((n) => n.taints), templates);
  controller.start();
  /** A pod of template t bound to node n now. */
  const pod = (t: number, n = 0) => {
    const p = cluster.createPod(`p${cluster.pods.count}`, "default", t, -1, -1);
    cluster.bind(p, n);
    return p;
  };
  const deletedAt = (p: number) => cluster.pods.deletionUs[p];
  return { sim, cluster, controller, pod, deletedAt };
}

describe("taint-based eviction when a NoExecute taint appears", () => {
  it("a pod that does not tolerate the taint is deleted at once", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([bare]);
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 10 * S);
    expect(deletedAt(p)).toBe(T0 + LAT);
    expect(cluster.deletionOutcomeOf(p)).toBe(cluster.outcomes.id(OUTCOME_EVICTED));
    expect([controller.deletionsSent, controller.evicted, cluster.counters.evicted]).toEqual([1, 1, 1]);
  });

  it("the default toleration (300 s, DefaultTolerationSeconds) deletes at taint + 300 s", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([tolerating()]);
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    expect(controller.scheduledAt(p)).toBe(T0 + 300 * S);
    sim.run(T0 + 300 * S - 1);
    expect(deletedAt(p)).toBe(-1);
    sim.run(T0 + 400 * S);
    expect(deletedAt(p)).toBe(T0 + 300 * S + LAT);
  });

  it("tolerationSeconds 0 deletes at once; no tolerationSeconds never deletes", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([tolerating(unreachable(0)), tolerating(unreachable())]);
    const zero = pod(0);
    const forever = pod(1);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 10_000 * S);
    expect(deletedAt(zero)).toBe(T0 + LAT);
    expect(deletedAt(forever)).toBe(-1);
    expect(controller.scheduled).toBe(0);
  });

  it("two NoExecute taints tolerated 60 s and 300 s: deleted at + 60 s (the smaller)", () => {
    const { sim, cluster, pod, deletedAt } = setup([tolerating(notReady(60), unreachable(300))]);
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, NOT_READY | UNREACHABLE);
    sim.run(T0 + 400 * S);
    expect(deletedAt(p)).toBe(T0 + 60 * S + LAT);
  });

  it("a spec NoExecute taint counts with the lifecycle ones: not tolerated -> deleted on bind", () => {
    const tainted = node("n0", 64_000, 64 * GI, { taints: [taint("dedicated", "NoExecute", "db")] });
    const { sim, pod, deletedAt } = setup([tolerating(), template(100, GI, { tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: NO_EXECUTE, tolerationSeconds: 30 }] })], { nodes: [tainted] });
    sim.run(T0);
    const untolerated = pod(0);
    const tolerated = pod(1);
    sim.run(T0 + 100 * S);
    expect(deletedAt(untolerated)).toBe(T0 + LAT);
    expect(deletedAt(tolerated)).toBe(T0 + 30 * S + LAT);
  });
});

describe("changes after the deletion was scheduled", () => {
  it("the taint removed at + 100 s cancels the deletion", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([tolerating()]);
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 100 * S);
    cluster.setNodeTaints(0, 0);
    expect(controller.scheduled).toBe(0);
    sim.run(T0 + 10_000 * S);
    expect(deletedAt(p)).toBe(-1);
    expect(controller.deletionsSent).toBe(0);
  });

  it("unreachable -> not-ready at + 100 s keeps the deletion scheduled first (upstream keeps work created earlier)", () => {
    // Default tolerations (300 s each): T0 + 300 s, not T0 + 100 s + 300 s.
    // not-ready tolerated only 60 s: still T0 + 300 s, not T0 + 100 s + 60 s: the kept
    // work is not rescheduled for the new minimum.
    const { sim, cluster, pod, deletedAt } = setup([tolerating(), tolerating(notReady(60))]);
    const dflt = pod(0);
    const short = pod(1);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 100 * S);
    cluster.setNodeTaints(0, NOT_READY);
    sim.run(T0 + 1000 * S);
    expect(deletedAt(dflt)).toBe(T0 + 300 * S + LAT);
    expect(deletedAt(short)).toBe(T0 + 300 * S + LAT);
  });

  it("a taint change at the same instant as the first replaces the work (created now): now + the new minimum", () => {
    const { sim, cluster, pod, deletedAt } = setup([tolerating(notReady(60))]);
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    cluster.setNodeTaints(0, NOT_READY);
    sim.run(T0 + 1000 * S);
    expect(deletedAt(p)).toBe(T0 + 60 * S + LAT);
  });

  it("a pod bound to an already tainted node is deleted at bind + its toleration", () => {
    const { sim, cluster, pod, deletedAt } = setup([tolerating()]);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 50 * S);
    const p = pod(0);
    sim.run(T0 + 1000 * S);
    expect(deletedAt(p)).toBe(T0 + 50 * S + 300 * S + LAT);
  });

  it("a pod already Terminating or ended is not deleted again, and ending cancels its work", () => {
    const { sim, cluster, pod, controller } = setup([tolerating()]);
    const terminating = pod(0);
    const ends = pod(0);
    cluster.deletePod(terminating, cluster.outcomes.id("scaled-down"));
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    expect(controller.scheduled).toBe(1);
    sim.run(T0 + 100 * S);
    cluster.endPod(ends, cluster.outcomes.id("completed"));
    expect(controller.scheduled).toBe(0);
    sim.run(T0 + 1000 * S);
    expect(controller.deletionsSent).toBe(0);
  });
});

describe("leadership", () => {
  it("nothing while nobody leads; a new leader starts the clock again from its start", () => {
    const lease = new FakeLease();
    const { sim, cluster, pod, deletedAt, controller } = setup([tolerating()], { lease });
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 100 * S);
    lease.set(-1, sim.now);
    expect(controller.scheduled).toBe(0);
    sim.run(T0 + 200 * S);
    lease.set(1, sim.now);
    expect(controller.scheduledAt(p)).toBe(T0 + 200 * S + 300 * S);
    sim.run(T0 + 1000 * S);
    expect(deletedAt(p)).toBe(T0 + 500 * S + LAT);
  });

  it("a direct handover (leader A -> leader B) also restarts the clock", () => {
    const lease = new FakeLease();
    const { sim, cluster, pod, deletedAt } = setup([tolerating()], { lease });
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 250 * S);
    lease.set(2, sim.now);
    sim.run(T0 + 1000 * S);
    expect(deletedAt(p)).toBe(T0 + 550 * S + LAT);
  });
});

describe("a failed delete", () => {
  it("is retried 10 ms after each failure, up to 5 attempts", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([bare], { api: (s) => new FlakyApi(s, 2) });
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 10 * S);
    // Attempts answered at T0 + LAT, T0 + 2 LAT + 10 ms; the third succeeds.
    expect(deletedAt(p)).toBe(T0 + 3 * LAT + 2 * 10_000);
    expect(controller.deletionsSent).toBe(3);
  });

  it("is given up after the fifth failure", () => {
    const { sim, cluster, pod, deletedAt, controller } = setup([bare], { api: (s) => new FlakyApi(s, 99) });
    const p = pod(0);
    sim.run(T0);
    cluster.setNodeTaints(0, UNREACHABLE);
    sim.run(T0 + 10 * S);
    expect(deletedAt(p)).toBe(-1);
    expect([controller.deletionsSent, controller.deletionsFailed, controller.evicted]).toEqual([TAINT_EVICTION_RETRIES, 1, 0]);
  });
});
