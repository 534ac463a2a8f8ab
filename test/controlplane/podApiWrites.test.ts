/**
 * With a control plane, pod creates and the kubelet's pod status updates are API
 * requests (controllers/podCreates.ts, run/userClient.ts, kubelet/podStatus.ts): the ReplicaSet controller's creates are sent
 * by kube-controller-manager to the lease holder's API server, only while some instance
 * holds the lease, and retried with the workqueue backoff; a pod exists (pods.csv
 * created_s) once its create succeeded; every pod that becomes Running, and every one
 * that ends on a live node, costs one `patch pods/status`.
 *
 * Constant latencies as in realBindings.test.ts, so that bounds can be derived by hand:
 * client <-> API server 1 ms one way, API processing 2 ms, fsync 3 ms, links 0.5 ms
 * between zones (one control-plane host per zone) and 0.1 ms on a host.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun, prepareScenario, type RunResult } from "../../src/index.js";
import type { ControlPlane } from "../../src/run/controlPlane.js";
import { Resource, Verb } from "../../src/apiserver/verbs.js";
import { CLIENT_MS, constMs, FSYNC_MS, LINK_MS, PROCESSING_MS, SAME_HOST_MS, slowStartCreateBoundsMs } from "./constantLatencies.js";

/** leaderElection defaults: leaseDuration 15 s; retryPeriod 2 s with jitter factor 1.2 -> at most 4.4 s. */
const LEASE_DURATION_S = 15;
const RETRY_MAX_S = 2 * (1 + 1.2);

const template = { spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } };

function scenario(opts: { replicas: number; duration: string; arrivals?: Record<string, unknown>; faults?: unknown[]; controlPlaneFaults?: unknown[] }) {
  return {
    name: "pod-api-writes",
    seed: 5,
    duration: opts.duration,
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 20, zones: ["a", "b", "c"], allocatable: { cpu: "16", memory: "64Gi", pods: 110 } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
        spec: { replicas: opts.replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, ...template } },
      },
      ...(opts.arrivals ? [{ kind: "PoissonArrivals", name: "batch", template, ...opts.arrivals }] : []),
    ],
    faults: opts.faults ?? [],
    controlPlane: {
      topology: "stacked",
      controlPlaneHosts: 3,
      zones: ["a", "b", "c"],
      etcd: { fsync: constMs(FSYNC_MS) },
      network: { sameHost: constMs(SAME_HOST_MS), sameZone: constMs(LINK_MS), crossZone: constMs(LINK_MS) },
      apiserver: { clientLatency: constMs(CLIENT_MS), processing: constMs(PROCESSING_MS) },
      // No synthetic load; podStatusUpdatesPerSecond is left at its default (0): the only
      // pod status writes are the kubelets' real ones.
      load: { nodeLeases: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0 },
      faults: opts.controlPlaneFaults ?? [],
    },
  };
}

/**
 * Run; with `deleteAtS`, the web pods of the first `nodes` nodes (in row order) that run
 * some are deleted at that time, as `kubectl delete pod` does (Terminating; the
 * ReplicaSet counts them gone at once).
 */
function run(s: unknown, deleteAtS?: number, nodes = 5): { r: RunResult; cp: ControlPlane } {
  const clusterRun = new ClusterRun(prepareScenario(s, "scenario").spec);
  const cp = clusterRun.controlPlane!;
  if (deleteAtS !== undefined) {
    clusterRun.advance(deleteAtS * 1e6);
    const c = clusterRun.cluster;
    const isWeb = (p: number) => c.owners[c.pods.owner[p]] === "Deployment/default/web" && c.pods.deletionUs[p] < 0;
    const hit = Array.from({ length: c.nodes.count }, (_, n) => n).filter((n) => c.podsOn(n).some(isWeb)).slice(0, nodes);
    for (const n of hit) for (const p of c.podsOn(n).filter(isWeb)) c.deletePod(p, c.outcomes.id("deleted"));
  }
  return { r: clusterRun.finish(), cp };
}

function summary(r: RunResult, metric: string): number {
  const row = r.summary.find((s) => s.metric === metric);
  if (!row) throw new Error(`no summary metric ${metric}`);
  return row.value;
}

/** Times (s) the kube-controller-manager lease was acquired or lost. */
function kcmLease(cp: ControlPlane, event: "acquired" | "lost"): { t: number; holder: string }[] {
  return cp.metrics.leases.filter((l) => l.lease === "kube-controller-manager" && l.event === event).map((l) => ({ t: l.sim_time_s, holder: l.holder }));
}

const deploymentPods = (r: RunResult) => r.pods.filter((p) => p.owner === "Deployment/default/web");

describe("pod creates and pod status updates are API requests when the run has a control plane", () => {
  it("stacked 3: one successful create pods per pod, created once the create succeeded; one status update per Running and per end", () => {
    const { r, cp } = run(scenario({ replicas: 30, duration: "30s", arrivals: { rate: 2, start: "5s", stop: "20s", lifetime: "5s" } }));
    const creates = cp.metrics.totals(Verb.Create, Resource.Pod);
    expect(r.pods.length).toBeGreaterThan(50);
    expect(creates.requests).toBe(r.pods.length);
    expect(creates.ok).toBe(r.pods.length);
    expect(summary(r, "pod_create_failures")).toBe(0);
    expect(summary(r, "pod_creates_pending_at_end")).toBe(0);

    // The Deployment's 30 creates are decided at t = 0 but sent only once the first
    // kube-controller-manager instance holds its lease, by one sync in slow-start batches
    // 1, 2, 4, 8, 15 (within the client burst of 30: no token waits). Each batch is one
    // write after the previous batch's: at least API_MIN; at most API_MAX plus, in the
    // worst case, waiting behind the batch's other writes' fsyncs.
    const acquired = kcmLease(cp, "acquired")[0].t;
    const web = [...deploymentPods(r)].sort((a, b) => a.created_s - b.created_s);
    expect(web.length).toBe(30);
    const bounds = slowStartCreateBoundsMs(30);
    web.forEach((p, i) => {
      expect(p.created_s).toBeGreaterThanOrEqual(acquired + bounds[i].min / 1000 - 1e-9);
      expect(p.created_s).toBeLessThanOrEqual(acquired + bounds[i].max / 1000 + 1e-9);
    });

    // Status updates: one per pod that became Running, one per pod that ended (none here lost).
    const running = r.pods.filter((p) => p.running_s !== null).length;
    const ended = r.pods.filter((p) => p.deleted_s !== null && p.scheduled_s !== null).length;
    expect(running).toBe(r.pods.length);
    expect(ended).toBeGreaterThan(10);
    const status = cp.metrics.totals(Verb.Patch, Resource.PodStatus);
    expect(status.requests).toBe(running + ended);
    expect(status.ok).toBe(running + ended);
    expect(summary(r, "pod_status_updates")).toBe(running + ended);
    expect(summary(r, "pod_status_update_failures")).toBe(0);
  });

  it("no pod is created while etcd has no quorum; the replacements are created once a kube-controller-manager leads again", () => {
    const LOSS_S = 20;
    const BACK_S = 50;
    const NODE_FAIL_S = LOSS_S + 2;
    const { r, cp } = run(
      scenario({
        replicas: 40,
        duration: "80s",
        controlPlaneFaults: [
          { type: "etcd-member-loss", at: `${LOSS_S}s`, member: "control-plane-1", recoverAfter: `${BACK_S - LOSS_S}s` },
          { type: "etcd-member-loss", at: `${LOSS_S}s`, member: "control-plane-2", recoverAfter: `${BACK_S - LOSS_S}s` },
        ],
      }),
      NODE_FAIL_S,
    );
    const web = deploymentPods(r);
    const lost = web.filter((p) => p.deletion_requested_s === NODE_FAIL_S).length;
    expect(lost).toBeGreaterThan(0);
    // each lost pod is replaced by exactly one pod, and every pod is one successful create
    expect(web.length).toBe(40 + lost);
    expect(cp.metrics.totals(Verb.Create, Resource.Pod).ok).toBe(web.length);
    // the controller tried during the outage (while it still held its lease): those failed
    expect(summary(r, "pod_create_failures")).toBeGreaterThan(0);
    expect(web.filter((p) => p.created_s > LOSS_S + 0.05 && p.created_s <= BACK_S)).toEqual([]);

    // The lease renewals fail too: the holder stops leading (renewDeadline 10 s) during
    // the outage, so creates stop being sent; a create sent before that fails within
    // etcd's request timeout (7 s), long before BACK_S.
    expect(kcmLease(cp, "lost").some((l) => l.t > LOSS_S && l.t < BACK_S)).toBe(true);
    // Bound for the new holder: etcd leader again within 1.9 s + 0.1 s (the restarted
    // members' randomized election timeout and the vote rounds); the lease record is
    // older than leaseDuration, so the first successful GET + Update of a candidate takes
    // it: within one jittered retry period (+ 0.1 s for the requests).
    const reacquired = kcmLease(cp, "acquired").filter((l) => l.t > BACK_S);
    expect(reacquired.length).toBeGreaterThan(0);
    const leaseBack = reacquired[0].t;
    expect(leaseBack).toBeLessThanOrEqual(BACK_S + 2 + RETRY_MAX_S + 0.1);
    // The new holder syncs every ReplicaSet at once: all replacements are created after
    // it took the lease, in slow-start batches 1, 2, 4, ... (one write per batch, plus the
    // batch's fsyncs).
    const replacements = web.filter((p) => p.created_s > NODE_FAIL_S).sort((a, b) => a.created_s - b.created_s);
    expect(replacements.length).toBe(lost);
    const bounds = slowStartCreateBoundsMs(lost);
    replacements.forEach((p, i) => {
      expect(p.created_s).toBeGreaterThanOrEqual(leaseBack + bounds[i].min / 1000 - 1e-9);
      expect(p.created_s).toBeLessThanOrEqual(leaseBack + bounds[i].max / 1000 + 1e-9);
    });
  });

  it("a kube-controller-manager lease loss pauses creates until a new holder acquires the lease", () => {
    const LOSS_S = 20;
    const NODE_FAIL_S = LOSS_S + 1;
    const { r, cp } = run(
      scenario({
        replicas: 40,
        duration: "60s",
        controlPlaneFaults: [{ type: "host-loss", at: `${LOSS_S}s`, host: "control-plane-0" }],
      }),
      NODE_FAIL_S,
    );
    // control-plane-0 starts first and holds the lease until it is lost
    const first = kcmLease(cp, "acquired")[0];
    expect(first.holder).toBe("control-plane-0");
    const next = kcmLease(cp, "acquired").filter((l) => l.t > LOSS_S);
    expect(next.length).toBeGreaterThan(0);
    expect(next[0].holder).not.toBe("control-plane-0");
    // Bound: the holder's last renewal is at most LOSS_S; a standby observes that record
    // within one jittered retry period, takes over once it is leaseDuration old, at its
    // next retry (another jittered period), + 0.1 s for the requests.
    const acquired = next[0].t;
    expect(acquired).toBeLessThanOrEqual(LOSS_S + RETRY_MAX_S + LEASE_DURATION_S + RETRY_MAX_S + 0.1);
    const web = deploymentPods(r);
    const lost = web.filter((p) => p.deletion_requested_s === NODE_FAIL_S).length;
    expect(lost).toBeGreaterThan(0);
    const replacements = web.filter((p) => p.created_s > NODE_FAIL_S);
    expect(replacements.length).toBe(lost);
    // nothing created while no instance leads; all replacements right after the new one syncs
    expect(web.filter((p) => p.created_s > LOSS_S && p.created_s < acquired)).toEqual([]);
    // in slow-start batches 1, 2, 4, ...
    const bounds = slowStartCreateBoundsMs(lost);
    [...replacements]
      .sort((a, b) => a.created_s - b.created_s)
      .forEach((p, i) => {
        expect(p.created_s).toBeGreaterThanOrEqual(acquired + bounds[i].min / 1000 - 1e-9);
        expect(p.created_s).toBeLessThanOrEqual(acquired + bounds[i].max / 1000 + 1e-9);
      });
    // one status update per pod that became Running, one per pod its kubelet stopped (the deleted ones, after their 30 s grace)
    const status = cp.metrics.totals(Verb.Patch, Resource.PodStatus);
    const running = web.filter((p) => p.running_s !== null).length;
    const stopped = web.filter((p) => p.deleted_s !== null).length;
    expect(stopped).toBe(lost);
    expect(status.requests).toBe(running + stopped + summary(r, "pod_status_update_failures"));
  });

  it("is deterministic: same seed, same pods.csv", () => {
    const s = scenario({
      replicas: 40,
      duration: "60s",
      arrivals: { rate: 5, start: "2s", lifetime: "10s" },
      faults: [{ type: "node-failure", pool: "w", count: 5, at: "21s" }],
      controlPlaneFaults: [{ type: "host-loss", at: "20s", host: "control-plane-0" }],
    });
    const a = run(s, 30).r;
    const b = run(s, 30).r;
    expect(a.pods.length).toBeGreaterThan(200);
    expect(JSON.stringify(b.pods)).toBe(JSON.stringify(a.pods));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
  });
});
