/**
 * The node lifecycle controller against hand-computed timelines (upstream semantics in
 * node-controller-facts.md §4). Common setup (nodeLifecycleHarness.ts): the controller
 * leads from t = 0 (monitor passes at 0, 5, 10, ... s; tainting passes on the 100 ms grid),
 * kubelets renew their Lease at 1 s + 10k s, every request takes 1 ms.
 *
 * A node whose kubelet dies after its renewal at 21 s: that renewal is first seen by the
 * pass at 25 s, so probe = 25 s, and Ready becomes Unknown in the first pass with
 * now > 25 s + grace: 80 s with the 50 s grace (75 is not > 75), 70 s with 40 s; the write
 * lands 1 ms later. That pass observed Ready=True (processTaintBaseEviction looks at the
 * status seen before the pass), so the node is queued for its NoExecute taint by the next
 * pass, at 85 s, and tainted by the tainting pass of that instant if the zone has a token.
 */
import { describe, expect, it } from "vitest";
import { Resource } from "../../src/apiserver/verbs.js";
import { NODE_MONITOR_GRACE_PERIOD_BEFORE_1_32_US } from "../../src/controllers/nodeLifecycle/defaults.js";
import { ZoneState } from "../../src/controllers/nodeLifecycle/zoneState.js";
import { ConditionStatus, LifecycleTaint } from "../../src/model/nodeTable.js";
import { at, FakeLease, harness, MS, S } from "./nodeLifecycleHarness.js";

const noExecuteTaints = (h: ReturnType<typeof harness>) => h.taintsAdded.filter((t) => t.bit === LifecycleTaint.UnreachableNoExecute || t.bit === LifecycleTaint.NotReadyNoExecute);

describe("node health: grace period on the monitor-period grid", () => {
  it("Ready=Unknown in the first pass after probe + 50 s (80 s), or + 40 s (70 s) with the pre-1.32 default", () => {
    for (const [config, expectedUs] of [[{}, 80 * S + 1 * MS], [{ nodeMonitorGracePeriodUs: NODE_MONITOR_GRACE_PERIOD_BEFORE_1_32_US }, 70 * S + 1 * MS]] as const) {
      const h = harness(["a", "a"], { config });
      h.nlc.start();
      at(h, 22 * S, () => (h.alive[0] = false));
      h.sim.run(120 * S);
      expect(h.readyChanges.filter((r) => r.status === ConditionStatus.Unknown)).toEqual([{ atUs: expectedUs, node: 0, status: ConditionStatus.Unknown }]);
      expect(h.cluster.events.rows.some((e) => e.kind === "NodeStatusUnknown" && e.message.includes("NodeStatusUnknown: Kubelet stopped posting node status."))).toBe(true);
    }
  });

  it("NoSchedule unreachable follows the Unknown write at once; NoExecute follows the next pass", () => {
    const h = harness(["a", "a"]);
    h.nlc.start();
    at(h, 22 * S, () => (h.alive[0] = false));
    h.sim.run(120 * S);
    expect(h.taintsAdded).toEqual([
      { atUs: 80 * S + 2 * MS, node: 0, bit: LifecycleTaint.UnreachableNoSchedule },
      { atUs: 85 * S + 1 * MS, node: 0, bit: LifecycleTaint.UnreachableNoExecute },
    ]);
    expect(h.nlc.evictions).toBe(1);
  });

  it("a node without a Ready condition gets the startup grace from its creation, and a renewing Lease keeps it alive", () => {
    const h = harness(["a", "a", "a"]);
    for (const n of [0, 1]) {
      h.cluster.deleteNode(n);
      h.cluster.registerNode(n); // creationTimestamp 0, no Ready condition, no Lease yet
    }
    h.alive[0] = false; // node 0 never renews; node 1 renews from 1 s
    h.nlc.start();
    h.sim.run(120 * S);
    // probe = creation (0 s); first pass with now > 0 + 60 s is 65 s; the write lands at 65.001 s.
    expect(h.readyChanges.filter((r) => r.status === ConditionStatus.Unknown)).toEqual([{ atUs: 65 * S + 1 * MS, node: 0, status: ConditionStatus.Unknown }]);
    expect(h.cluster.events.rows.some((e) => e.message.includes("NodeStatusNeverUpdated: Kubelet never posted node status."))).toBe(true);
    // That pass observed the fake Unknown condition: queued at 65.001 s, tainted by the tainting pass at 65.1 s.
    expect(noExecuteTaints(h)).toEqual([{ atUs: 65 * S + 100 * MS + 1 * MS, node: 0, bit: LifecycleTaint.UnreachableNoExecute }]);
  });
});

describe("NoExecute taints: the zone's token bucket", () => {
  it("3 of 10 nodes of a Normal zone fail together: tainted at T, T + 10 s, T + 20 s", () => {
    const h = harness(Array(10).fill("a"));
    h.nlc.start();
    at(h, 22 * S, () => [0, 1, 2].forEach((n) => (h.alive[n] = false)));
    h.sim.run(200 * S);
    expect(h.nlc.zoneState("a")).toBe(ZoneState.Normal);
    expect(noExecuteTaints(h).map((t) => [t.atUs, t.node])).toEqual([
      [85 * S + 1 * MS, 0],
      [95 * S + 1 * MS, 1],
      [105 * S + 1 * MS, 2],
    ]);
  });

  it("PartialDisruption (6 of 10 >= 55 %) in a zone of <= 50 nodes: rate 0, no NoExecute taint at all", () => {
    const h = harness(Array(10).fill("a"));
    h.nlc.start();
    at(h, 22 * S, () => [0, 1, 2, 3, 4, 5].forEach((n) => (h.alive[n] = false)));
    h.sim.run(600 * S);
    expect(h.nlc.zoneState("a")).toBe(ZoneState.PartialDisruption);
    expect(noExecuteTaints(h)).toEqual([]);
    expect(h.cluster.events.rows.filter((e) => e.kind === "ZoneStateChanged")).toEqual([{ sim_time_s: 80.001, kind: "ZoneStateChanged", object: "zone/a", message: "Normal -> PartialDisruption" }]);
  });

  it("PartialDisruption in a zone of > 50 nodes: 0.01 per second, one NoExecute taint per 100 s", () => {
    const h = harness(Array(60).fill("a"));
    h.nlc.start();
    at(h, 22 * S, () => {
      for (let n = 0; n < 40; n++) h.alive[n] = false;
    });
    h.sim.run(300 * S);
    expect(h.nlc.zoneState("a")).toBe(ZoneState.PartialDisruption);
    // The swap 0.1 -> 0.01 at 80.001 s took the old bucket's token, so the new one starts full.
    expect(noExecuteTaints(h).map((t) => t.atUs)).toEqual([85 * S + 1 * MS, 185 * S + 1 * MS, 285 * S + 1 * MS]);
  });

  it("FullDisruption of one of two zones keeps the normal rate 0.1", () => {
    const h = harness(["a", "a", "a", "a", "b", "b", "b", "b"]);
    h.nlc.start();
    at(h, 22 * S, () => [0, 1, 2, 3].forEach((n) => (h.alive[n] = false)));
    h.sim.run(200 * S);
    expect([h.nlc.zoneState("a"), h.nlc.zoneState("b")]).toEqual([ZoneState.FullDisruption, ZoneState.Normal]);
    expect(noExecuteTaints(h).map((t) => [t.atUs, t.node])).toEqual([
      [85 * S + 1 * MS, 0],
      [95 * S + 1 * MS, 1],
      [105 * S + 1 * MS, 2],
      [115 * S + 1 * MS, 3],
    ]);
  });

  it("all zones fully disrupted: taints removed, none added; on exit probes reset and the drained buckets wait 10 s", () => {
    const h = harness(["a", "a", "b", "b"]);
    h.nlc.start();
    at(h, 22 * S, () => [0, 1].forEach((n) => (h.alive[n] = false)));
    // Zone b's kubelets stop after their renewal at 101 s: seen at 105 s, Unknown at 160.001 s (> 155).
    at(h, 102 * S, () => [2, 3].forEach((n) => (h.alive[n] = false)));
    // Node 2 comes back at 201 s: posts Ready=True and renews again.
    at(h, 201 * S, () => {
      h.alive[2] = true;
      h.cluster.nodeHeartbeat(2);
      h.cluster.setNodeReady(2, ConditionStatus.True, "KubeletReady");
    });
    h.sim.run(199 * S);
    // Zone a: Unknown at 80.001 s, tainted at 85.001 s and 95.001 s; entering master disruption at 160.001 s removes both.
    expect(noExecuteTaints(h).map((t) => [t.atUs, t.node])).toEqual([
      [85 * S + 1 * MS, 0],
      [95 * S + 1 * MS, 1],
    ]);
    expect(h.nlc.inMasterDisruptionMode).toBe(true);
    for (let n = 0; n < 4; n++) expect(h.cluster.nodes.lifecycleTaints[n] & (LifecycleTaint.UnreachableNoExecute | LifecycleTaint.NotReadyNoExecute)).toBe(0);
    expect(h.cluster.events.rows.filter((e) => e.kind === "MasterDisruptionMode").map((e) => e.sim_time_s)).toEqual([160.001]);
    h.sim.run(300 * S);
    // The pass at 205 s sees node 2 Ready: exit. Every probe := 205 s.
    expect(h.nlc.inMasterDisruptionMode).toBe(false);
    expect(h.cluster.events.rows.filter((e) => e.kind === "MasterDisruptionMode").map((e) => e.sim_time_s)).toEqual([160.001, 205]);
    for (let n = 0; n < 4; n++) expect(h.nlc.readyTransitionTimestampUs(n)).toBeGreaterThanOrEqual(205 * S);
    // Limiters swapped from the never limiter (no token) to 0.1, drained: first taints at 215 s in each zone.
    const after = noExecuteTaints(h).filter((t) => t.atUs > 200 * S).map((t) => [t.atUs, t.node]);
    expect(after).toEqual([
      [215 * S + 1 * MS, 0],
      [215 * S + 1 * MS, 3],
      [225 * S + 1 * MS, 1],
    ]);
  });

  it("exiting master disruption sets every probe timestamp to the exit pass (a node back with one post goes Unknown a full grace later)", () => {
    const h = harness(["a", "a"]);
    h.nlc.start();
    // Both kubelets stop after 21 s (Unknown at 80.001 s: master disruption). Node 0 comes back at 101 s
    // with one post and renewal, then dies again at once; node 1 stays dead.
    at(h, 22 * S, () => [0, 1].forEach((n) => (h.alive[n] = false)));
    at(h, 101 * S + 500 * MS, () => {
      h.cluster.nodeHeartbeat(0);
      h.cluster.renewLease(0);
      h.cluster.setNodeReady(0, ConditionStatus.True, "KubeletReady");
    });
    h.sim.run(300 * S);
    // Exit at the pass at 105 s (node 0 True): probe(0) = 105 s; Unknown again at the first pass > 155 s.
    expect(h.readyChanges.filter((r) => r.node === 0).map((r) => [r.atUs, r.status])).toEqual([
      [80 * S + 1 * MS, ConditionStatus.Unknown],
      [101 * S + 500 * MS, ConditionStatus.True],
      [160 * S + 1 * MS, ConditionStatus.Unknown],
    ]);
    expect(h.nlc.probeTimestampUs(1)).toBe(105 * S);
  });
});

describe("MarkPodsNotReady", () => {
  it("after the Unknown write, one pods/status write per Running Ready pod of the node, and those pods are not ready", () => {
    const h = harness(["a", "a"]);
    const c = h.cluster;
    const pods = [0, 1, 2, 3].map((i) => c.createPod(`p${i}`, "default", 0, -1, -1));
    for (const p of pods) c.bind(p, p === 3 ? 1 : 0);
    c.podRunning(pods[0]);
    c.podRunning(pods[1]);
    c.setPodReady(pods[1], false); // Running, not ready: no write
    c.podRunning(pods[3]); // on the healthy node
    // pods[2] stays Scheduled (no Ready condition): no write
    h.nlc.start();
    at(h, 22 * S, () => (h.alive[0] = false));
    h.sim.run(120 * S);
    const podWrites = h.api.log.filter((r) => r.resource === Resource.PodStatus);
    expect(podWrites).toEqual([{ atUs: 80 * S + 1 * MS, verb: 3, resource: Resource.PodStatus }]);
    expect([...pods].map((p) => c.pods.ready[p])).toEqual([0, 0, 0, 1]);
    expect(h.nlc.podsMarkedNotReady).toBe(1);
  });
});

describe("leadership", () => {
  it("a new leader after a long gap waits a full grace period of its own observation", () => {
    const lease = new FakeLease();
    const h = harness(["a", "a"], { lease });
    h.nlc.start();
    at(h, 22 * S, () => (h.alive[0] = false));
    at(h, 30 * S, () => lease.set(-1)); // nobody leads
    at(h, 200 * S + 300 * MS, () => lease.set(1)); // a new instance: passes at 200.3 + 5k s
    h.sim.run(400 * S);
    // probe = 200.3 s (first observation); first pass with now > 250.3 s is 255.3 s.
    expect(h.readyChanges.filter((r) => r.status === ConditionStatus.Unknown)).toEqual([{ atUs: 255 * S + 300 * MS + 1 * MS, node: 0, status: ConditionStatus.Unknown }]);
    // No write at all while nobody led.
    expect(h.api.log.filter((r) => r.atUs > 30 * S && r.atUs < 200 * S)).toEqual([]);
  });
});
