/**
 * kube-controller-manager's ReplicaSet controller retries a failed pod create through its
 * workqueue, rate limited per item by client-go's DefaultControllerRateLimiter:
 * ItemExponentialFailureRateLimiter(5 ms, 1000 s), i.e. the k-th requeue in a row waits
 *
 *   d_k = min(5 ms * 2^k, 1000 s)      (k = NumRequeues before this failure: 0, 1, 2, ...)
 *
 * and a sync without failure calls Forget, which resets k to 0
 * (k8s.io/client-go/util/workqueue/default_rate_limiters.go).
 *
 * Observed only through a run's public outputs (a ClusterRun's pods.csv rows, the summary,
 * api_requests.csv, leases.csv), so the test survives moving the controller's code.
 *
 * Setup: a stacked control plane with constant latencies as in
 * test/controlplane/podApiWrites.test.ts (client <-> API server 1 ms one way, API
 * processing 2 ms, fsync 3 ms, links 0.5 ms between zones, 0.1 ms on a host). Two
 * episodes, e = 1 at L_1 = 20 s and e = 2 at L_2 = 40 s:
 * - at L_e the kube-apiserver process on the kube-controller-manager leader's host dies,
 *   for 4 s. kube-controller-manager sends its creates to that API server only
 *   (kubeadm LocalAPIEndpoint), so every create it sends before L_e + 4 s is refused.
 *   Its lease renewals fail for those 4 s too, less than renewDeadline (10 s): it keeps
 *   leading throughout (checked below), so nothing else resets its workqueue.
 * - at F_e = L_e + 0.5 s the N_e pods of the Deployment on one worker node are deleted
 *   (as `kubectl delete pod` would: they become Terminating). The controller counts
 *   them gone at once and its next sync takes the N_e replacement creates (burstReplicas
 *   500 >= N_e), sending them in slow-start batches of 1, 2, 4, ... (its client token
 *   bucket is full after 20 s idle: burst 30 >= N_e, so the limiter never delays them).
 *
 * Hand derivation. Sync k (k = 0 is the first) starts at s_k. Its first batch is one
 * create (SlowStartInitialBatchSize = 1); it reaches the live host whose API server
 * process is down after r = 1 ms (one client hop) and is refused at once, so the sync is
 * over, failed, at s_k + r: its other N_e - 1 creates are skipped (never sent). It
 * created nothing, so nothing (no pod add event) syncs the ReplicaSet again before its
 * back-off: it is requeued after d_k:
 *
 *   s_{k+1} = s_k + r + 5 ms * 2^k   =>   s_k = F_e + k * r + 5 ms * (2^k - 1)
 *
 *   k   s_k - F_e (r = 1 ms)   s_k in episode 1   outcome
 *   0        0 ms              20.500 s           refused
 *   1        6 ms              20.506 s           refused
 *   2       17 ms              20.517 s           refused
 *   3       38 ms              20.538 s           refused
 *   4       79 ms              20.579 s           refused
 *   5      160 ms              20.660 s           refused
 *   6      321 ms              20.821 s           refused
 *   7      642 ms              21.142 s           refused
 *   8     1283 ms              21.783 s           refused
 *   9     2564 ms              23.064 s           refused
 *  10     5125 ms              25.625 s           API server back since 24 s: created
 *
 * So an outage that lasts T = 3.5 s after the first create sees the syncs with
 * 5 ms * (2^k - 1) < T, i.e. floor(log2(T / 5 ms + 1)) + 1 = floor(log2 701) + 1 = 10 of
 * them: about log2(T / 5 ms), where a constant 5 ms delay would give one sync every 6 ms
 * (held only by the client's 20 qps token bucket: about 30 + 20 * 3.5 = 100 creates).
 * Per 1 s sample interval of api_requests.csv (failures are counted when refused,
 * s_k + 1 ms, nowhere near an interval boundary), one refused create per sync:
 *   (20, 21]: k = 0..6 -> 7 syncs;  (21, 22]: k = 7, 8 -> 2;  (22, 23]: none;  (23, 24]: k = 9 -> 1
 * i.e. [7, 2, 0, 1] refused creates, 10 in all per episode whatever N_e (without slow
 * start each sync sent all N_e: N_e x [7, 2, 0, 1]).
 * Sync 10 creates the replacements in batches: the i-th replacement created (i = 0, 1,
 * ...) is in batch j_i = floor(log2(i + 1)) + 1 (sizes 1, 2, 4, ..., the last one what is
 * left), sent when batch j_i - 1 is answered. Each batch of b creates takes one API
 * write, between API_MIN and API_MAX + b * FSYNC (b writes may queue behind each other's
 * fsyncs), so the i-th is created between
 *   s_10 + j_i * API_MIN   and   s_10 + sum over batches m <= j_i of (API_MAX + b_m * FSYNC).
 * Episode 2 repeats episode 1 exactly (offset 20 s) only because the successful sync 10
 * of episode 1 forgot the item: had k kept counting (k = 10 after episode 1's ten
 * failures), episode 2 would see one refused sync and then wait 5 ms * 2^10 = 5.12 s.
 * Not exercised: the 1000 s cap (reached at k = 18, after 5 ms * (2^18 - 1) = 22 min of
 * failures in a row, far beyond the renew deadline of a kube-controller-manager whose
 * API server refuses it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ClusterRun, prepareScenario, type RunResult } from "../../src/index.js";
import { CLIENT_MS, constMs, FSYNC_MS, LINK_MS, PROCESSING_MS, SAME_HOST_MS, slowStartCreateBoundsMs } from "../controlplane/constantLatencies.js";

/** client-go DefaultControllerRateLimiter's per-item base delay. */
const BASE_MS = 5;
/** Refused create: one client hop to the host whose API server process is down. */
const REFUSED_MS = CLIENT_MS;
const OUTAGE_S = 4;
const NODE_FAIL_AFTER_S = 0.5;
const EPISODES_S = [20, 40];
/** Syncs refused per 1 s interval after L_e (see the table above): one refused create each. */
const REFUSED_SYNCS_PER_S = [7, 2, 0, 1];
/** Syncs refused per episode. */
const REFUSED_SYNCS = 10;
/** s_10 - F_e (ms): the sync that succeeds. */
const SUCCESS_SYNC_MS = 10 * REFUSED_MS + BASE_MS * (2 ** 10 - 1); // 5125

const template = { spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } };

function scenario() {
  return {
    name: "create-retry-backoff",
    seed: 5,
    duration: "60s",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 20, zones: ["a", "b", "c"], allocatable: { cpu: "16", memory: "64Gi", pods: 110 } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
        spec: { replicas: 40, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, ...template } },
      },
    ],
    controlPlane: {
      topology: "stacked",
      controlPlaneHosts: 3,
      zones: ["a", "b", "c"],
      etcd: { fsync: constMs(FSYNC_MS) },
      network: { sameHost: constMs(SAME_HOST_MS), sameZone: constMs(LINK_MS), crossZone: constMs(LINK_MS) },
      apiserver: { clientLatency: constMs(CLIENT_MS), processing: constMs(PROCESSING_MS) },
      // No synthetic load: during the outages the only creates are the controller's pod creates
      // (kube-scheduler's bindings, also `create`, have no pod to bind then).
      load: { nodeLeases: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0 },
      faults: EPISODES_S.map((l) => ({ type: "apiserver-loss", at: `${l}s`, host: "kube-controller-manager-leader", recoverAfter: `${OUTAGE_S}s` })),
    },
  };
}

function table(r: RunResult, file: string): { col: (name: string) => number; rows: (string | number | null)[][] } {
  const t = r.tables.find((x) => x.file === file);
  if (!t) throw new Error(`no table ${file}`);
  return { col: (name) => t.columns.indexOf(name), rows: t.rows as (string | number | null)[][] };
}

function summary(r: RunResult, metric: string): number {
  const row = r.summary.find((s) => s.metric === metric);
  if (!row) throw new Error(`no summary metric ${metric}`);
  return row.value;
}

/** Refused `create` requests per 1 s interval, indexed by the interval's end (s). */
function refusedCreatesPerSecond(r: RunResult, durationS: number): number[] {
  const api = table(r, "api_requests.csv");
  const per = new Array<number>(durationS + 1).fill(0);
  for (const row of api.rows) {
    if (row[api.col("verb")] !== "create") continue;
    per[Math.round(row[api.col("sim_time_s")] as number)] += row[api.col("connection_failed")] as number;
  }
  return per;
}

describe("kube-controller-manager retries failed pod creates with the workqueue's exponential per-item backoff", () => {
  let r: RunResult;
  let web: RunResult["pods"];
  /** N_e: the Deployment's pods lost with the node of episode e. */
  let lost: number[];
  beforeAll(() => {
    // At each F_e the web pods of one node are deleted (the first node, in row order, that has some).
    const run = new ClusterRun(prepareScenario(scenario(), "create-retry-backoff.yaml").spec);
    for (const l of EPISODES_S) {
      run.advance((l + NODE_FAIL_AFTER_S) * 1e6);
      const c = run.cluster;
      const isWeb = (p: number) => c.owners[c.pods.owner[p]] === "Deployment/default/web" && c.pods.deletionUs[p] < 0;
      const node = Array.from({ length: c.nodes.count }, (_, n) => n).find((n) => c.podsOn(n).some(isWeb))!;
      for (const p of c.podsOn(node).filter(isWeb)) c.deletePod(p, c.outcomes.id("deleted"));
    }
    r = run.finish();
    web = r.pods.filter((p) => p.owner === "Deployment/default/web");
    lost = EPISODES_S.map((l) => web.filter((p) => p.deletion_requested_s === l + NODE_FAIL_AFTER_S).length);
  });

  it("premises: each deletion took pods, and the same kube-controller-manager led throughout", () => {
    for (const n of lost) expect(n).toBeGreaterThan(0);
    const leases = table(r, "leases.csv");
    const kcm = leases.rows.filter((row) => row[leases.col("lease")] === "kube-controller-manager");
    expect(kcm.map((row) => row[leases.col("event")])).toEqual(["acquired"]);
  });

  it("retries at 5, 10, 20, 40 ... ms, one create per sync: [7, 2, 0, 1] refused creates per second of each outage, none elsewhere", () => {
    const expected = new Array<number>(61).fill(0);
    EPISODES_S.forEach((l) => REFUSED_SYNCS_PER_S.forEach((syncs, i) => (expected[l + 1 + i] = syncs)));
    expect(refusedCreatesPerSecond(r, 60)).toEqual(expected);
  });

  it("an outage of 3.5 s after the first create costs log2(3.5 s / 5 ms) ~ 10 refused syncs of one create each, not 3.5 s / 5 ms, nor one per pod", () => {
    expect(lost[0] + lost[1]).toBeGreaterThan(2); // some episode has more than one pod to create
    expect(summary(r, "pod_create_failures")).toBe(REFUSED_SYNCS * EPISODES_S.length);
    expect(summary(r, "pod_creates_pending_at_end")).toBe(0);
  });

  it("the replacements are created by sync 10, F + 5.125 s, in slow-start batches 1, 2, 4, ...", () => {
    EPISODES_S.forEach((l, e) => {
      const f = l + NODE_FAIL_AFTER_S;
      const created = web
        .filter((p) => p.created_s > f && p.created_s < f + 10)
        .map((p) => p.created_s)
        .sort((a, b) => a - b);
      expect(created.length).toBe(lost[e]);
      const bounds = slowStartCreateBoundsMs(lost[e]);
      created.forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual(f + (SUCCESS_SYNC_MS + bounds[i].min) / 1000 - 1e-9);
        expect(t).toBeLessThanOrEqual(f + (SUCCESS_SYNC_MS + bounds[i].max) / 1000 + 1e-9);
      });
    });
  });
});
