/**
 * kube-controller-manager's pod creates as upstream's manageReplicas sends them
 * (replica_set.go, controller_utils.go slowStartBatch): at most burstReplicas (500) per
 * sync, in batches of 1, 2, 4, ... (each min(2 x the previous, what is left)), a batch
 * only once the previous one all succeeded; the first batch with a failure ends the sync
 * (the rest are skipped) and requeues the ReplicaSet rate-limited (5 ms doubling per
 * failed sync in a row); while a sync's creates are in flight the ReplicaSet is not
 * synced again (expectations), and anything that adds it meanwhile (a new create, the
 * informer's add event of a pod the sync created) syncs it again when the sync ends.
 *
 * Setup: ApiPodCreates behind a fake KubeApi that answers every `create pods` a fixed
 * L after it is sent (201, or 503 when the test says the API refuses it), a fake lease
 * (candidate 0 leads unless a test says otherwise) and a fake cluster that records when
 * each pod is created. Every expected time below is computed by hand from L, the batch
 * sizes and the client token bucket.
 */
import { describe, expect, it } from "vitest";
import { Simulation, US_PER_MS } from "../../src/engine/simulation.js";
import {
  ApiPodCreates,
  DAEMONSET_BURST_REPLICAS,
  REPLICASET_BURST_REPLICAS,
  STATEFULSET_MAX_BATCH_SIZE,
  nextBatchSize,
  type CreateBatching,
} from "../../src/controllers/podCreates.js";
import type { LeadershipListener } from "../../src/client/leaderElection.js";

/** A client that never waits for a token (the rate limiter out of the way). */
const UNLIMITED = { qps: 1e9, burst: 1e9 };
/** kube-controller-manager's default client (--kube-api-qps 20, --kube-api-burst 30). */
const KCM_DEFAULT = { qps: 20, burst: 30 };

interface Harness {
  sim: Simulation;
  creates: ApiPodCreates;
  /** When each `create pods` was sent (ms). */
  sentMs: number[];
  /** When each pod came to exist (ms). */
  createdMs: number[];
  setLeader(c: number): void;
}

function harness(opts: { roundTripMs: number; client?: { qps: number; burst: number }; refused?: (sentMs: number) => boolean; batching?: CreateBatching }): Harness {
  const sim = new Simulation(1);
  const sentMs: number[] = [];
  const createdMs: number[] = [];
  const listeners: LeadershipListener[] = [];
  let leader = 0;
  const api = {
    send(_verb: number, _resource: number, token: number, done: number) {
      const t = sim.now / US_PER_MS;
      sentMs.push(t);
      sim.schedule(opts.roundTripMs * US_PER_MS, done, token, opts.refused?.(t) ? 503 : 201);
    },
  };
  const cluster = {
    createPod() {
      createdMs.push(sim.now / US_PER_MS);
      return createdMs.length - 1;
    },
  };
  const lease = { leader: () => leader, listeners };
  const creates = new ApiPodCreates(sim, cluster, api, lease, 1, opts.client ?? UNLIMITED, opts.batching);
  return {
    sim,
    creates,
    sentMs,
    createdMs,
    setLeader(c) {
      const was = leader;
      leader = c;
      if (was >= 0) for (const l of listeners) l(was, false, sim.now);
      if (c >= 0) for (const l of listeners) l(c, true, sim.now);
    },
  };
}

function createMany(h: Harness, n: number): void {
  for (let i = 0; i < n; i++) h.creates.create(0, `web-${i}`, "default", 0, 0);
}

/** Consecutive equal values and how many: [[t, count], ...]. */
function groups(times: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const t of times) {
    if (out.length > 0 && out[out.length - 1][0] === t) out[out.length - 1][1]++;
    else out.push([t, 1]);
  }
  return out;
}

/** slowStartBatch's batch sizes for `count` creates (the sequence nextBatchSize gives). */
function batchSizes(count: number, maxBatch = Infinity): number[] {
  const sizes: number[] = [];
  for (let left = count, b = nextBatchSize(0, left, maxBatch); b > 0; left -= b, b = nextBatchSize(b, left, maxBatch)) sizes.push(b);
  return sizes;
}

describe("slowStartBatch's batch sizes", () => {
  it("100 creates: 1, 2, 4, 8, 16, 32, then the 37 left", () => {
    expect(batchSizes(100)).toEqual([1, 2, 4, 8, 16, 32, 37]);
  });
  it("a ReplicaSet sync of 500 (burstReplicas): 1, 2, ..., 128 (255 in all), then the 245 left", () => {
    expect(REPLICASET_BURST_REPLICAS).toBe(500);
    expect(batchSizes(500)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 245]);
  });
  it("a DaemonSet sync of 250 (its burstReplicas): 1, ..., 64 (127), then 123", () => {
    expect(DAEMONSET_BURST_REPLICAS).toBe(250);
    expect(batchSizes(250)).toEqual([1, 2, 4, 8, 16, 32, 64, 123]);
  });
  it("a Parallel StatefulSet of 1200 (no per-sync limit, batches of at most MaxBatchSize 500): 1, ..., 256 (511), 500, 189", () => {
    expect(batchSizes(1200, STATEFULSET_MAX_BATCH_SIZE)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 189]);
  });
});

describe("ApiPodCreates sends a sync's creates in slow-start batches", () => {
  const L = 10; // ms, every create's round trip

  it("100 creates, no failure: batches 1, 2, 4, 8, 16, 32, 37, each one round trip after the previous: all created at 7 L = 70 ms", () => {
    const h = harness({ roundTripMs: L });
    createMany(h, 100);
    h.sim.run();
    expect(groups(h.sentMs)).toEqual([
      [0, 1],
      [10, 2],
      [20, 4],
      [30, 8],
      [40, 16],
      [50, 32],
      [60, 37],
    ]);
    expect(groups(h.createdMs)).toEqual([
      [10, 1],
      [20, 2],
      [30, 4],
      [40, 8],
      [50, 16],
      [60, 32],
      [70, 37],
    ]);
    expect([h.creates.syncs, h.creates.batches, h.creates.failures, h.creates.pending]).toEqual([1, 7, 0, 0]);
  });

  it("600 creates: the first sync takes 500 (burstReplicas: 1 .. 128 then 245, 9 round trips), the next one the other 100 at once (7 more): last created at 16 L", () => {
    const h = harness({ roundTripMs: L });
    createMany(h, 600);
    h.sim.run();
    const first = [1, 2, 4, 8, 16, 32, 64, 128, 245].map((n, k): [number, number] => [k * L, n]);
    const second = [1, 2, 4, 8, 16, 32, 37].map((n, k): [number, number] => [(9 + k) * L, n]);
    expect(groups(h.sentMs)).toEqual([...first, ...second]);
    expect(h.createdMs).toHaveLength(600);
    expect(h.createdMs[599]).toBe(16 * L);
    expect([h.creates.syncs, h.creates.batches]).toEqual([2, 16]);
  });

  it("a create decided while a sync is in flight waits for the sync to end (expectations), then goes in a sync of its own", () => {
    // 10 creates at 0: batches 1, 2, 4, 3 sent at 0, 10, 20, 30 ms, the sync ends at 40 ms.
    // One more decided at 15 ms: sent at 40 ms (not 15), created at 50 ms.
    const h = harness({ roundTripMs: L });
    createMany(h, 10);
    h.sim.run(15 * US_PER_MS);
    h.creates.create(0, "web-late", "default", 0, 0);
    h.sim.run();
    expect(groups(h.sentMs)).toEqual([
      [0, 1],
      [10, 2],
      [20, 4],
      [30, 3],
      [40, 1],
    ]);
    expect(h.createdMs[10]).toBe(50);
    expect(h.creates.syncs).toBe(2);
  });
});

describe("a failed batch ends the sync; the ReplicaSet is requeued rate-limited", () => {
  it("20 creates, the API refuses what is sent in [2, 10) ms, round trip 1 ms: later batches are skipped, retries follow the 5 ms doubling back-off", () => {
    // Hand trace (ms):
    //  sync 1 at 0: batch 1 (1) sent 0, created 1; batch 2 (2) sent 1, created 2;
    //    batch 3 (4) sent 2, refused at 3: sync over, failed; the other 13 skipped.
    //    AddRateLimited: NumRequeues 0 -> wait 5 ms (resync at 8), NumRequeues 1.
    //    It created 3 pods: their add events added the ReplicaSet during the sync, so
    //    workqueue Done syncs it again at once:
    //  sync 2 at 3: 17 waiting (the 4 refused, the 13 skipped); batch 1 (1) sent 3,
    //    refused at 4. AddRateLimited: 10 ms, but the item already waits for 8 ms
    //    (the delaying queue keeps the earlier time); NumRequeues 2. Nothing created.
    //  sync 3 at 8 (the back-off): batch 1 sent 8, refused at 9. Wait 5 ms x 2^2 = 20 ms:
    //    resync at 29, NumRequeues 3.
    //  sync 4 at 29: the API takes creates again: 17 in batches 1, 2, 4, 8, 2 sent at
    //    29, 30, 31, 32, 33, created one round trip later; last at 34.
    const h = harness({ roundTripMs: 1, refused: (t) => t >= 2 && t < 10 });
    createMany(h, 20);
    h.sim.run();
    expect(groups(h.sentMs)).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [3, 1],
      [8, 1],
      [29, 1],
      [30, 2],
      [31, 4],
      [32, 8],
      [33, 2],
    ]);
    expect(groups(h.createdMs)).toEqual([
      [1, 1],
      [2, 2],
      [30, 1],
      [31, 2],
      [32, 4],
      [33, 8],
      [34, 2],
    ]);
    expect([h.creates.failures, h.creates.syncs, h.creates.pending]).toEqual([4 + 1 + 1, 4, 0]);
  });

  it("a sync that created nothing waits out its back-off: refused from the first batch, retried 5 ms later (only one create sent per failed sync)", () => {
    // Round trip 1 ms, everything sent before 3 ms refused: sync 1 at 0 refused at 1,
    // resync at 1 + 5 = 6 ms: 5 creates in batches 1, 2, 2 at 6, 7, 8.
    const h = harness({ roundTripMs: 1, refused: (t) => t < 3 });
    createMany(h, 5);
    h.sim.run();
    expect(groups(h.sentMs)).toEqual([
      [0, 1],
      [6, 1],
      [7, 2],
      [8, 2],
    ]);
    expect(h.creates.failures).toBe(1);
  });
});

describe("the client rate limiter still spaces the requests", () => {
  it("100 creates at qps 20, burst 30 (one token per 50 ms), round trip 10 ms: the bucket, not slow start, sets the pace; last created at 3.51 s as without batches", () => {
    // Tokens: 30 at 0, +0.2 per 10 ms.
    //  batch 1 (1) at 0: 29 left; batch 2 (2) at 10: 29.2 -> 27.2; batch 3 (4) at 20:
    //  27.4 -> 23.4; batch 4 (8) at 30: 23.6 -> 15.6; batch 5 (16) at 40: 15.8 tokens, so
    //  15 go at 40 and the 16th waits for 0.2 token: 50. Its answer at 60 ends the batch.
    //  Batch 6 (32) at 60: -0.2 + 0.4 = 0.2 tokens; the j-th waits for j - 0.2 tokens:
    //  60 + 50 (j - 0.2) = 50 + 50 j ms, j = 1..32: 100 .. 1650, last answered 1660.
    //  Batch 7 (37) at 1660: -31.8 + 32 = 0.2 tokens: 1650 + 50 j, j = 1..37: 1700 .. 3500.
    //  All at once (no slow start) would send 30 at 0 and the k-th after that at 50 k ms:
    //  the 100th at 3500 too.
    const h = harness({ roundTripMs: 10, client: KCM_DEFAULT });
    createMany(h, 100);
    h.sim.run();
    const expected = [0, 10, 10, 20, 20, 20, 20, ...new Array<number>(8).fill(30), ...new Array<number>(15).fill(40), 50];
    for (let j = 1; j <= 32; j++) expected.push(50 + 50 * j);
    for (let j = 1; j <= 37; j++) expected.push(1650 + 50 * j);
    expect(h.sentMs).toEqual(expected);
    expect(h.createdMs[99]).toBe(3510);
  });
});

describe("leadership", () => {
  it("a sync whose leader is gone sends no further batch; the next leader's sync sends the rest", () => {
    // 10 creates, round trip 10 ms. Batches 1 at 0 and 2 at 10; the leader stops at 15:
    // batch 2's creates still succeed at 20 (committed), batch 3 is not sent. A new
    // leader at 100 ms syncs: the 7 left in batches 1, 2, 4 at 100, 110, 120.
    const h = harness({ roundTripMs: 10 });
    createMany(h, 10);
    h.sim.run(15 * US_PER_MS);
    h.setLeader(-1);
    h.sim.run(100 * US_PER_MS);
    h.setLeader(1);
    h.sim.run();
    expect(groups(h.sentMs)).toEqual([
      [0, 1],
      [10, 2],
      [100, 1],
      [110, 2],
      [120, 4],
    ]);
    expect(groups(h.createdMs)).toEqual([
      [10, 1],
      [20, 2],
      [110, 1],
      [120, 2],
      [130, 4],
    ]);
    expect(h.creates.pending).toBe(0);
  });
});
