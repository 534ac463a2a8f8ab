/**
 * The kubelet model on hand-computed timelines: Lease and status loops that stop with
 * the kubelet, graceful termination, restarts after a crash, a partitioned kubelet that
 * sees nothing until it reconnects. The API has no control plane here: every request
 * takes the fixed 5 ms (scheduler.apiWriteLatency default); pods start 1 s after binding.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { OUTCOME_EVICTED } from "../../src/apiserver/clusterState.js";
import { PodPhase } from "../../src/model/podTable.js";

const S = 1e6;
const LATENCY = 0.005 * S;

function cluster(extra: Record<string, unknown> = {}, grace?: number): ClusterRun {
  const scenario = {
    name: "kubelet",
    duration: "1h",
    nodePools: [{ name: "a", count: 2, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          replicas: 4,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}), containers: [{ name: "c", resources: { requests: { cpu: "1", memory: "1Gi" } } }] } },
        },
      },
    ],
    ...extra,
  };
  return new ClusterRun(prepareScenario(scenario, "kubelet.yaml").spec, {});
}

const podsOn = (r: ClusterRun, node: number) => r.cluster.podsOn(node);

describe("the kubelet", () => {
  it("renews its node Lease every 10 s (4 % jitter) and stops when its node crashes; on recovery it renews at once", () => {
    const r = cluster({ faults: [{ type: "node-failure", at: "60s", node: "a-0", recoverAfter: "60s" }] });
    const renewals: number[] = [];
    let last = -1;
    // Sample the stored renewTime of a-0 every 100 ms.
    for (let t = 0; t <= 125 * S; t += 0.1 * S) {
      r.advance(t);
      const v = r.cluster.nodes.leaseRenewUs[0];
      if (v !== last) renewals.push((last = v));
    }
    const before = renewals.filter((u) => u >= 0 && u < 60 * S);
    for (let k = 1; k < before.length; k++) {
      const gap = before[k] - before[k - 1];
      expect(gap).toBeGreaterThanOrEqual(10 * S);
      expect(gap).toBeLessThanOrEqual(10.4 * S + LATENCY);
    }
    expect(renewals.filter((u) => u >= 60 * S && u < 120 * S)).toEqual([]); // crashed: nothing
    // Recovery at 120 s: the lease controller syncs at once, stored one API latency later.
    expect(renewals.filter((u) => u >= 120 * S)[0]).toBe(120 * S + LATENCY);
    // The other node renewed throughout.
    expect(r.cluster.nodes.leaseRenewUs[1]).toBeGreaterThan(115 * S);
  });

  it("after a crash the kubelet registers, posts Ready and restarts the pods still bound to it (restarts counted, Ready 1 s later)", () => {
    const r = cluster({ faults: [{ type: "node-failure", at: "60s", node: "a-0", recoverAfter: "60s" }] });
    r.advance(59 * S);
    const mine = podsOn(r, 0);
    expect(mine.length).toBeGreaterThan(0);
    r.advance(119 * S);
    // The API still holds them Running; the node lifecycle controller marked them not ready (node Unknown after ~50 s).
    expect(r.cluster.nodes.readyCondition[0]).toBe(2);
    for (const p of mine) expect([r.cluster.pods.phase[p], r.cluster.pods.ready[p]]).toEqual([PodPhase.Running, 0]);
    // 120 s: recovery; Create Node answered at +5 ms: registered, pods restart (not ready) and status posted.
    r.advance(120 * S + LATENCY);
    for (const p of mine) expect([r.cluster.pods.restarts[p], r.cluster.pods.ready[p]]).toEqual([1, 0]);
    r.advance(121 * S + LATENCY - 1);
    for (const p of mine) expect(r.cluster.pods.ready[p]).toBe(0);
    r.advance(121 * S + LATENCY);
    for (const p of mine) expect(r.cluster.pods.ready[p]).toBe(1);
    expect(r.cluster.nodes.heartbeatUs[0]).toBe(120 * S + 2 * LATENCY);
  });

  it("posts node status every 5 min when nothing changed (nodeStatusReportFrequency)", () => {
    const r = cluster();
    const posts: number[] = [];
    let last = r.cluster.nodes.heartbeatUs[1];
    for (let t = 0; t <= 1000 * S; t += S) {
      r.advance(t);
      const v = r.cluster.nodes.heartbeatUs[1];
      if (v !== last) posts.push((last = v));
    }
    expect(posts.length).toBe(3);
    // On the node's 10 s grid, the first sync at or after 300 s since the last post.
    const offset = (posts[0] - LATENCY) % (10 * S);
    expect(posts.map((p) => p - LATENCY - offset)).toEqual([300 * S, 600 * S, 900 * S]);
  });

  it("stops a deleted pod gracefully: Terminating for terminationGracePeriodSeconds, replaced by its ReplicaSet after one create", () => {
    for (const grace of [30, 5]) {
      const r = cluster({}, grace);
      r.advance(100 * S);
      const p = podsOn(r, 0)[0];
      const created = r.cluster.pods.count;
      r.cluster.deletePod(p, r.cluster.outcomes.id(OUTCOME_EVICTED));
      // the ReplicaSet decides the replacement at once; its create (a batch of one) is answered LATENCY later
      expect(r.cluster.pods.count).toBe(created);
      r.advance(100 * S + LATENCY - 1);
      expect(r.cluster.pods.count).toBe(created);
      r.advance(100 * S + LATENCY);
      expect(r.cluster.pods.count).toBe(created + 1);
      r.advance(100 * S + grace * S - 1);
      expect([r.cluster.pods.phase[p], r.cluster.pods.deletionUs[p]]).toEqual([PodPhase.Running, 100 * S]);
      r.advance(100 * S + grace * S);
      expect([r.cluster.pods.phase[p], r.cluster.outcomes.name(r.cluster.pods.outcome[p]), r.cluster.pods.deletedUs[p]]).toEqual([PodPhase.Failed, OUTCOME_EVICTED, (100 + grace) * S]);
    }
  });

  it("a kubelet cut off from the control plane sees no deletion until it reconnects; then it stops the pod gracefully", () => {
    const r = cluster({ faults: [{ type: "node-partition", at: "60s", node: "a-0", recoverAfter: "140s" }] });
    r.advance(70 * S);
    const p = podsOn(r, 0)[0];
    r.cluster.deletePod(p, r.cluster.outcomes.id(OUTCOME_EVICTED));
    r.advance(199 * S);
    expect(r.cluster.pods.phase[p]).toBe(PodPhase.Running); // Terminating, holding its node
    expect(r.cluster.nodes.podCount[0]).toBe(podsOn(r, 0).length);
    r.advance(200 * S + 30 * S - 1);
    expect(r.cluster.pods.phase[p]).toBe(PodPhase.Running);
    r.advance(230 * S);
    expect(r.cluster.pods.phase[p]).toBe(PodPhase.Failed);
    // Its containers kept running: nothing restarted.
    for (const q of podsOn(r, 0)) expect(r.cluster.pods.restarts[q]).toBe(0);
  });

  it("a stopped kubelet renews nothing; its pods keep running and are adopted, not restarted, when it starts again", () => {
    const r = cluster({ faults: [{ type: "kubelet-stop", at: "60s", node: "a-0", recoverAfter: "30s" }] });
    r.advance(61 * S);
    const renew = r.cluster.nodes.leaseRenewUs[0];
    r.advance(89 * S);
    expect(r.cluster.nodes.leaseRenewUs[0]).toBe(renew);
    r.advance(91 * S);
    expect(r.cluster.nodes.leaseRenewUs[0]).toBe(90 * S + LATENCY);
    for (const q of podsOn(r, 0)) expect([r.cluster.pods.restarts[q], r.cluster.pods.ready[q]]).toEqual([0, 1]);
  });

  it("a slow-starting node reports Ready=False until notReadyFor has passed, then Ready at its next status sync", () => {
    const r = cluster({ faults: [{ type: "node-failure", at: "60s", node: "a-0", recoverAfter: "60s", notReadyFor: "45s" }] });
    r.advance(121 * S);
    expect(r.cluster.nodes.readyCondition[0]).toBe(1); // False: "container runtime network not ready"
    r.advance(160 * S);
    expect(r.cluster.nodes.readyCondition[0]).toBe(1);
    // Syncs every 10 s from registration at 120.005 s: the first at or after 165 s is 170.005 s, stored at 170.010 s.
    r.advance(170 * S + 2 * LATENCY - 1);
    expect(r.cluster.nodes.readyCondition[0]).toBe(1);
    r.advance(170 * S + 2 * LATENCY);
    expect(r.cluster.nodes.readyCondition[0]).toBe(0);
  });
});

describe("the kubelet's status manager after a reconnection", () => {
  it("writes Ready again for the pods the node lifecycle controller marked not ready, and sends a refused write again 10 s later", () => {
    const r = cluster({ faults: [{ type: "node-partition", at: "60s", node: "a-0", recoverAfter: "120s" }] });
    // The API refuses the first pod status write after the reconnection (429).
    const api = r.api as unknown as { send: (verb: number, resource: number, token: number, done: number, opts?: unknown) => void };
    const send = api.send.bind(api);
    let refused = 0;
    api.send = (verb, resource, token, done, opts) => {
      if (resource === 3 /* pods/status */ && r.nowUs >= 180 * S && refused === 0) {
        refused++;
        r.sim.schedule(LATENCY, done, token, 429);
        return;
      }
      send(verb, resource, token, done, opts);
    };
    r.advance(179 * S);
    const mine = podsOn(r, 0);
    expect(r.cluster.nodes.readyCondition[0]).toBe(2); // Unknown
    for (const p of mine) expect(r.cluster.pods.ready[p]).toBe(0); // marked not ready
    r.advance(180 * S + LATENCY);
    expect(refused).toBe(1);
    expect(mine.filter((p) => r.cluster.pods.ready[p] === 1)).toHaveLength(mine.length - 1);
    const late = mine.find((p) => r.cluster.pods.ready[p] === 0)!;
    r.advance(190 * S + 2 * LATENCY - 1);
    expect(r.cluster.pods.ready[late]).toBe(0);
    r.advance(190 * S + 2 * LATENCY);
    expect(r.cluster.pods.ready[late]).toBe(1);
  });
});
