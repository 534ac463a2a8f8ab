/**
 * With a control plane, each binding of the kube-scheduler is a real API request
 * (POST pods/binding to the API server of the lease holder's host, through KubeApi and
 * etcd): its latency is the API/etcd round trip, and an API failure (5xx, 429, no lease
 * holder) sends the pod back to the queue with backoff.
 *
 * The scenarios use constant latencies so that the bounds can be derived by hand:
 * client <-> API server 1 ms one way, API processing 2 ms, fsync 3 ms, links 0.5 ms
 * between zones (one control-plane host per zone) and 0.1 ms on a host.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun, prepareScenario, simulate } from "../../src/index.js";
import type { RunResult } from "../../src/index.js";
import type { ControlPlane } from "../../src/run/controlPlane.js";
import { Resource, Verb } from "../../src/apiserver/verbs.js";
import { HAPROXY_CHECK_INTERVAL_US, HAPROXY_RISE } from "../../src/apiserver/loadBalancer.js";
import { USER_CREATE_RETRY_US } from "../../src/run/userClient.js";
import { API_MAX_MS, API_MIN_MS, CLIENT_MS, constMs, FSYNC_MS, LINK_MS, PROCESSING_MS, SAME_HOST_MS } from "./constantLatencies.js";

const NODES = 20;
/** Cycle cost with the default cost model: 1 ms + 3 us x 20 evaluated + 2 us x 20 scored. */
const CYCLE_MS = 1 + (3 * NODES) / 1000 + (2 * NODES) / 1000;
/** The fixed path's floor: a cycle plus scheduler.apiWriteLatency (5 ms default). */
const FIXED_FLOOR_MS = CYCLE_MS + 5;

const busyboxTemplate = { spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } };

function scenario(opts: { seed?: number; duration?: string; arrivals: Record<string, unknown>; apiserver?: Record<string, unknown>; faults?: unknown[] }) {
  return {
    name: "real-bindings",
    seed: opts.seed ?? 3,
    duration: opts.duration ?? "40s",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: NODES, zones: ["a", "b", "c"], allocatable: { cpu: "16", memory: "64Gi", pods: 110 } }],
    workloads: [{ kind: "PoissonArrivals", name: "batch", lifetime: "30s", template: busyboxTemplate, ...opts.arrivals }],
    controlPlane: {
      topology: "stacked",
      controlPlaneHosts: 3,
      zones: ["a", "b", "c"],
      etcd: { fsync: constMs(FSYNC_MS) },
      network: { sameHost: constMs(SAME_HOST_MS), sameZone: constMs(LINK_MS), crossZone: constMs(LINK_MS) },
      apiserver: { clientLatency: constMs(CLIENT_MS), processing: constMs(PROCESSING_MS), ...(opts.apiserver ?? {}) },
      // no synthetic load: the only writes are the bindings and the component leases
      load: { nodeLeases: 0, podStatusUpdatesPerSecond: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0 },
      faults: opts.faults ?? [],
    },
  };
}

function bound(r: RunResult): { created: number; scheduled: number; delayMs: number }[] {
  return r.pods
    .filter((p) => typeof p.scheduled_s === "number")
    .map((p) => ({ created: p.created_s, scheduled: p.scheduled_s as number, delayMs: ((p.scheduled_s as number) - p.created_s) * 1000 }));
}

function summary(r: RunResult, metric: string): number {
  const row = r.summary.find((s) => s.metric === metric);
  if (!row) throw new Error(`no summary metric ${metric}`);
  return row.value;
}

/** Run a scenario; also return its control plane (for the API metrics by verb and resource). */
function simulateWithControlPlane(s: unknown): { r: RunResult; cp: ControlPlane } {
  const run = new ClusterRun(prepareScenario(s, "scenario").spec);
  const cp = run.controlPlane!;
  return { r: run.finish(), cp };
}

/**
 * The whole run's `create pods/binding` requests (pod creates are `create pods`, and the
 * component Leases `create leases`: neither is counted here).
 */
function bindingRequests(cp: ControlPlane): { requests: number; ok: number; throttled: number } {
  const t = cp.metrics.totals(Verb.Create, Resource.PodBinding);
  return { requests: t.requests, ok: t.ok, throttled: t.tooMany };
}

describe("kube-scheduler bindings are API requests when the run has a control plane", () => {
  it("stacked 3: scheduled - created includes the API/etcd round trip", () => {
    // 2 pods/s from 5 s (the lease is held from ~16 ms), far below the QPS-50 limiter.
    const { r, cp } = simulateWithControlPlane(scenario({ arrivals: { rate: 2, start: "5s" } }));
    const pods = bound(r);
    expect(pods.length).toBeGreaterThan(40);
    expect(r.pods.every((p) => typeof p.scheduled_s === "number")).toBe(true);
    expect(summary(r, "scheduler_binding_failures")).toBe(0);
    for (const p of pods) {
      // Pods ahead of this one in the queue: those created in the 50 ms before it
      // (each takes one cycle of the serial loop; bindings are asynchronous).
      const ahead = pods.filter((q) => q.created < p.created && q.created > p.created - 0.05).length;
      expect(p.delayMs).toBeGreaterThan(FIXED_FLOOR_MS);
      expect(p.delayMs).toBeGreaterThanOrEqual(CYCLE_MS + API_MIN_MS - 1e-3);
      expect(p.delayMs).toBeLessThanOrEqual((1 + ahead) * CYCLE_MS + API_MAX_MS + 1e-3);
    }
    // every binding went to the API server: one create pods/binding per pod, all 2xx
    const c = bindingRequests(cp);
    expect(c.requests).toBe(pods.length);
    expect(c.ok).toBe(pods.length);
  });

  it("no pod is bound while etcd has no quorum; binding resumes within the derived bound after it returns", () => {
    const LOSS_S = 20;
    const BACK_S = 40;
    const r = simulate(
      scenario({
        duration: "70s",
        arrivals: { rate: 5, start: "5s", stop: "45s" },
        faults: [
          { type: "etcd-member-loss", at: `${LOSS_S}s`, member: "control-plane-1", recoverAfter: `${BACK_S - LOSS_S}s` },
          { type: "etcd-member-loss", at: `${LOSS_S}s`, member: "control-plane-2", recoverAfter: `${BACK_S - LOSS_S}s` },
        ],
      }),
    );
    const pods = bound(r);
    // Writes already replicated when the members die may still commit (one raft round,
    // a few ms); none after: no pod is created (the arrivals' creates fail and are sent
    // again every second) and none bound.
    expect(r.pods.filter((p) => p.created_s > LOSS_S + 0.05 && p.created_s <= BACK_S)).toEqual([]);
    expect(pods.filter((p) => p.scheduled > LOSS_S + 0.05 && p.scheduled <= BACK_S)).toEqual([]);
    expect(summary(r, "pod_create_failures")).toBeGreaterThan(0);
    // Every pod is bound in the end (the run goes on 25 s after the last arrival).
    expect(r.pods.every((p) => typeof p.scheduled_s === "number")).toBe(true);

    // Derived bounds for the pods that waited through the outage:
    //   etcd leader again: the restarted members' randomized election timeout, at most
    //     19 ticks x 100 ms = 1.9 s, plus pre-vote and vote rounds (links + a fsync: < 0.1 s);
    //   creates succeed again: the API servers are back in the load balancer pool after
    //     `rise` passing health checks (2 x 2 s), and a create sent just before may wait
    //     for etcd's request timeout (7 s); the user client sends again 1 s after a
    //     failure (+ 0.1 s for the request);
    //   kube-scheduler lease: the standbys saw the Lease record change last before the
    //     loss, more than leaseDuration (15 s) ago, so the first successful GET + Update
    //     takes it: within one retry period with jitter, 2 s x (1 + 1.2) = 4.4 s (+ 0.1 s
    //     for the requests);
    //   the pod's own backoff: its last failure is before the lease returns, and it
    //     retries at most podMaxBackoff (10 s) later;
    //   the cycles of the pods queued at that moment and the binding itself: < 0.5 s.
    const leaderBack = BACK_S + 1.9 + 0.1;
    const createsBack = leaderBack + Math.max((HAPROXY_RISE * HAPROXY_CHECK_INTERVAL_US) / 1e6, 7) + USER_CREATE_RETRY_US / 1e6 + 0.1;
    const leaseBack = leaderBack + 4.4 + 0.1;
    const allBound = Math.max(leaseBack + 10 + 0.5, createsBack + 1);
    const elected = r.events.filter((e) => e.kind === "EtcdLeaderElected" && e.sim_time_s > BACK_S);
    expect(elected.length).toBeGreaterThan(0);
    expect(elected[0].sim_time_s).toBeLessThanOrEqual(leaderBack);
    // the arrivals of the outage (~5/s x 20 s) are created once etcd is back, within the bound
    const late = r.pods.filter((p) => p.created_s > BACK_S && p.created_s <= createsBack);
    expect(late.length).toBeGreaterThan(50);
    const firstCreated = Math.min(...r.pods.filter((p) => p.created_s > BACK_S).map((p) => p.created_s));
    expect(firstCreated).toBeLessThanOrEqual(createsBack);
    const waited = pods.filter((p) => p.scheduled > BACK_S && p.created < 45);
    expect(waited.length).toBeGreaterThan(50);
    for (const p of waited) expect(p.scheduled).toBeLessThanOrEqual(allBound);
    const firstAfter = Math.min(...pods.filter((p) => p.scheduled > BACK_S).map((p) => p.scheduled));
    expect(firstAfter).toBeGreaterThan(BACK_S);
    expect(firstAfter).toBeLessThanOrEqual(allBound);
    // Pods created once the lease is back bind without waiting for a backoff.
    const afterLease = pods.filter((p) => p.created > leaseBack && p.created < 45);
    for (const p of afterLease) expect(p.delayMs).toBeLessThan(1000);
  });

  it("a 429 from the in-flight limit sends the pod back to the queue with backoff", () => {
    // One mutating seat per API server: a burst of 60 pods in 0.3 s makes bindings
    // (~9 ms each, one every ~1.1 ms cycle) find the seat taken. The retries come back
    // in clusters (backoff 1, 2, 4, 8, 10 s): the run lasts long enough for all to bind.
    const { r, cp } = simulateWithControlPlane(
      scenario({
        duration: "90s",
        arrivals: { rate: 200, start: "5s", stop: "5.3s" },
        apiserver: { inflightMode: "max-in-flight", maxMutatingRequestsInflight: 1 },
      }),
    );
    const c = bindingRequests(cp);
    expect(c.throttled).toBeGreaterThan(0);
    const failures = summary(r, "scheduler_binding_failures");
    const pods = bound(r);
    expect(pods.length).toBe(r.pods.length); // all bound in the end
    expect(summary(r, "scheduler_pending_at_end")).toBe(0);
    // Nothing else fails here: every binding failure is a 429 of a create pods/binding.
    expect(failures).toBe(c.throttled);
    // A throttled pod waits at least podInitialBackoff (1 s) before its next attempt;
    // without any failure a pod would bind within tens of ms.
    const retried = pods.filter((p) => p.delayMs >= 1000);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.length).toBeLessThanOrEqual(failures);
    // one create per binding attempt: successes = pods, the others got 429
    expect(c.ok).toBe(pods.length);
    expect(c.requests).toBe(pods.length + failures);
  });

  it("is deterministic: same seed, same pods.csv", () => {
    const s = scenario({ arrivals: { rate: 20, start: "5s" }, apiserver: { inflightMode: "max-in-flight", maxMutatingRequestsInflight: 2 } });
    const a = simulate(s);
    const b = simulate(s);
    expect(a.pods.length).toBeGreaterThan(500);
    expect(JSON.stringify(b.pods)).toBe(JSON.stringify(a.pods));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
  });
});
