import { describe, expect, it } from "vitest";
import { US_PER_MS, US_PER_S } from "../../src/engine/simulation.js";
import { Reason, Resource, Status, Verb } from "../../src/apiserver/verbs.js";
import { answers, fakeControlPlane } from "../controlplane/harness.js";

const CONSTANT = (ms: number) => ({ type: "constant" as const, value: ms });

describe("kube-apiserver inflight limit", () => {
  it("APF: 700 writes at once on one server -> 600 seats taken, 100 answered 429", () => {
    // one API server, 1 ms processing, etcd write 100 ms: nobody frees a seat before all 700 arrive
    const cp = fakeControlPlane(1, 1, { clientLatencyMs: CONSTANT(0), processingMs: CONSTANT(1) }, { writeUs: 100 * US_PER_MS });
    const a = answers(cp.sim);
    for (let i = 0; i < 700; i++) cp.api.send(Verb.Create, Resource.Pod, i, a.handler);
    cp.sim.run(1 * US_PER_S);
    const by = (code: number) => a.got.filter((g) => g.status === code).length;
    expect(by(Status.TooManyRequests)).toBe(100);
    expect(by(Status.Created)).toBe(600);
    // the first 600 sent got the seats (arrival order = send order at equal times)
    expect(a.got.filter((g) => g.status === Status.TooManyRequests).every((g) => g.token >= 600)).toBe(true);
    // 429s come back at once; writes after 1 ms processing + 100 ms etcd
    for (const g of a.got) expect(g.atUs).toBe(g.status === Status.TooManyRequests ? 0 : 101 * US_PER_MS);
  });

  it("APF seats are shared by reads and writes: 400 reads + 250 writes -> 50 rejected", () => {
    const cp = fakeControlPlane(1, 1, { clientLatencyMs: CONSTANT(0), processingMs: CONSTANT(1) }, { writeUs: 100 * US_PER_MS, readUs: 100 * US_PER_MS });
    const a = answers(cp.sim);
    for (let i = 0; i < 400; i++) cp.api.send(Verb.Get, Resource.Pod, i, a.handler);
    for (let i = 0; i < 250; i++) cp.api.send(Verb.Update, Resource.Pod, 1000 + i, a.handler);
    cp.sim.run(1 * US_PER_S);
    const rejected = a.got.filter((g) => g.status === Status.TooManyRequests);
    expect(rejected.length).toBe(50);
    expect(rejected.every((g) => g.token >= 1200)).toBe(true); // the last 50 writes
  });

  it("max-in-flight mode: read-only 400 and mutating 200 limits apply separately", () => {
    const cp = fakeControlPlane(
      1,
      1,
      {
        clientLatencyMs: CONSTANT(0),
        processingMs: CONSTANT(1),
        inflight: { mode: "max-in-flight", maxRequestsInflight: 400, maxMutatingRequestsInflight: 200 },
      },
      { writeUs: 100 * US_PER_MS, readUs: 100 * US_PER_MS },
    );
    const a = answers(cp.sim);
    for (let i = 0; i < 450; i++) cp.api.send(Verb.List, Resource.Pod, i, a.handler);
    for (let i = 0; i < 230; i++) cp.api.send(Verb.Patch, Resource.PodStatus, 1000 + i, a.handler);
    cp.sim.run(1 * US_PER_S);
    const rejectedReads = a.got.filter((g) => g.status === Status.TooManyRequests && g.token < 1000).length;
    const rejectedWrites = a.got.filter((g) => g.status === Status.TooManyRequests && g.token >= 1000).length;
    expect(rejectedReads).toBe(50);
    expect(rejectedWrites).toBe(30);
  });

  it("seats are given back: a second burst after the first completes is served in full", () => {
    const cp = fakeControlPlane(1, 1, { clientLatencyMs: CONSTANT(0), processingMs: CONSTANT(1) }, { writeUs: 100 * US_PER_MS });
    const a = answers(cp.sim);
    for (let i = 0; i < 600; i++) cp.api.send(Verb.Create, Resource.Pod, i, a.handler);
    cp.sim.run(200 * US_PER_MS);
    for (let i = 0; i < 600; i++) cp.api.send(Verb.Create, Resource.Pod, 1000 + i, a.handler);
    cp.sim.run(1 * US_PER_S);
    expect(a.got.filter((g) => g.status === Status.Created).length).toBe(1200);
    expect(cp.api.limiters[0].readOnlyInUse + cp.api.limiters[0].mutatingInUse).toBe(0);
  });
});

describe("watch cache", () => {
  it("reads with resourceVersion=0 are served from the watch cache and never reach etcd", () => {
    const cp = fakeControlPlane(3);
    const a = answers(cp.sim);
    for (let i = 0; i < 50; i++) cp.api.send(Verb.List, Resource.Pod, i, a.handler, { fromCache: true });
    cp.sim.run(1 * US_PER_S);
    const leSent = cp.etcd.submitted; // nothing else sends in this test
    expect(leSent).toBe(0);
    expect(cp.api.etcdRequestsSent).toBe(0);
    expect(a.got.filter((g) => g.status === Status.OK).length).toBe(50);
    for (let i = 0; i < 50; i++) cp.api.send(Verb.Get, Resource.Pod, 100 + i, a.handler);
    cp.sim.run(2 * US_PER_S);
    expect(cp.etcd.submitted).toBe(50);
  });

  it("a committed write reaches every watcher once, after the write committed", () => {
    const cp = fakeControlPlane(3, 1, { watchDeliveryMs: CONSTANT(5) }, { writeUs: 3 * US_PER_MS });
    const seen: { key: number; rev: number; at: number }[] = [];
    const w = cp.sim.on("test.watch", (key, rev) => seen.push({ key, rev, at: cp.sim.now }));
    cp.api.watch(Resource.Pod, w);
    const a = answers(cp.sim);
    cp.api.send(Verb.Create, Resource.Pod, 1, a.handler, { key: 7, valueA: 1 });
    cp.api.send(Verb.Create, Resource.Node, 2, a.handler, { key: 8, valueA: 1 });
    cp.sim.run(1 * US_PER_S);
    expect(seen.length).toBe(1);
    expect(seen[0].key).toBe(7);
    expect(seen[0].rev).toBe(cp.api.object(7)!.revision);
  });
});

describe("load balancer failover", () => {
  it("an API server process loss: connections are refused and redispatched, it leaves the pool after fall x inter", () => {
    const cp = fakeControlPlane(3);
    const a = answers(cp.sim);
    const sendEvery = cp.sim.on("test.client", (i) => {
      cp.api.send(Verb.Get, Resource.Pod, i, a.handler);
      if (i < 2000) cp.sim.schedule(10 * US_PER_MS, sendEvery, i + 1);
    });
    cp.sim.schedule(0, sendEvery, 0);
    cp.sim.run(5 * US_PER_S);
    const killAt = cp.sim.now;
    cp.hosts.apiserverUp[0] = 0;
    cp.api.serverDied(0);
    cp.sim.run(25 * US_PER_S);
    // HAProxy: checks every 2 s, 3 failures -> out of the pool between 4 s and 6 s after the loss
    const left = cp.api.loadBalancer.leftPoolAtUs[0];
    expect(left.length).toBe(1);
    expect(left[0] - killAt).toBeGreaterThanOrEqual(4 * US_PER_S);
    expect(left[0] - killAt).toBeLessThanOrEqual(6 * US_PER_S);
    // every request succeeded: the LB retried the refused ones on another server
    expect(a.got.length).toBe(2001);
    expect(a.got.every((g) => g.status === Status.OK)).toBe(true);
  });

  it("a host loss: connects to it time out (5 s) before the redispatch, until it leaves the pool", () => {
    const cp = fakeControlPlane(3);
    const a = answers(cp.sim);
    const sent = new Map<number, number>();
    const sendEvery = cp.sim.on("test.client", (i) => {
      sent.set(i, cp.sim.now);
      cp.api.send(Verb.Get, Resource.Pod, i, a.handler);
      if (i < 2000) cp.sim.schedule(10 * US_PER_MS, sendEvery, i + 1);
    });
    cp.sim.schedule(0, sendEvery, 0);
    cp.sim.run(5 * US_PER_S);
    const killAt = cp.sim.now;
    cp.hosts.up[0] = 0;
    cp.api.serverDied(0);
    cp.sim.run(30 * US_PER_S);
    const left = cp.api.loadBalancer.leftPoolAtUs[0][0];
    const slow = a.got.filter((g) => g.atUs - sent.get(g.token)! >= 5 * US_PER_S);
    // slow ones were sent between the loss and the pool removal, about one in three
    expect(slow.length).toBeGreaterThan(0);
    for (const g of slow) {
      expect(sent.get(g.token)!).toBeGreaterThanOrEqual(killAt);
      expect(sent.get(g.token)!).toBeLessThanOrEqual(left);
    }
    const inWindow = [...sent.values()].filter((t) => t >= killAt && t < left).length;
    expect(slow.length).toBeGreaterThan(inWindow / 3 - 5);
    expect(slow.length).toBeLessThan(inWindow / 3 + 5);
    expect(a.got.every((g) => g.status === Status.OK)).toBe(true);
  });

  it("with every API server down, clients get failed connections", () => {
    const cp = fakeControlPlane(1);
    const a = answers(cp.sim);
    cp.hosts.apiserverUp[0] = 0;
    cp.api.serverDied(0);
    cp.api.send(Verb.Get, Resource.Pod, 1, a.handler);
    cp.sim.run(10 * US_PER_S);
    expect(a.got).toHaveLength(1);
    expect(a.got[0].status).toBe(Status.ConnectionFailed);
    expect(cp.metrics.reasons[Reason.ConnectionRefused]).toBe(1);
  });
});

describe("etcd errors through the API server", () => {
  it("without etcd quorum a write answers 500 'etcdserver: request timed out' after 7 s", () => {
    const cp = fakeControlPlane(3, 1, { clientLatencyMs: CONSTANT(0), processingMs: CONSTANT(1) });
    cp.etcd.quorum = false;
    const a = answers(cp.sim);
    cp.api.send(Verb.Update, Resource.Lease, 1, a.handler, { key: 1 });
    cp.sim.run(20 * US_PER_S);
    expect(a.got[0].status).toBe(Status.InternalError);
    expect(a.got[0].atUs).toBe(7 * US_PER_S + 1 * US_PER_MS);
    expect(cp.metrics.reasons[Reason.EtcdTimeout]).toBe(1);
  });

  it("an update with a stale resourceVersion gets 409 Conflict", () => {
    const cp = fakeControlPlane(1);
    const a = answers(cp.sim);
    cp.api.send(Verb.Create, Resource.Lease, 1, a.handler, { key: 5, expectedRevision: 0, valueA: 1 });
    cp.sim.run(1 * US_PER_S);
    const rev = cp.api.object(5)!.revision;
    cp.api.send(Verb.Update, Resource.Lease, 2, a.handler, { key: 5, expectedRevision: rev, valueA: 2 });
    cp.api.send(Verb.Update, Resource.Lease, 3, a.handler, { key: 5, expectedRevision: rev, valueA: 3 });
    cp.sim.run(2 * US_PER_S);
    const s = new Map(a.got.map((g) => [g.token, g.status]));
    expect(s.get(1)).toBe(Status.Created);
    expect([s.get(2), s.get(3)].sort()).toEqual([Status.OK, Status.Conflict]);
    expect(cp.api.object(5)!.a).toBe(s.get(2) === Status.OK ? 2 : 3);
  });
});
