/**
 * scenarios/service-partition.yaml end to end: 36 web pods, 3 on each of 12 nodes
 * (PodTopologySpread on the hostname), a ClusterIP Service, 200 requests/s from clients
 * spread evenly over the nodes, iptables mode (uniform choice), 20 ms per request; node
 * general-3 partitioned from 600 s to 1200 s. No controlPlane section: every API write
 * takes the fixed 5 ms.
 *
 * Hand computation of the timeline (upstream defaults, reference §3.4):
 *   t0 = 600 s          general-3 cut off; its last Lease renewal was at r in (590, 600]
 *   Tu = ceil(r/5)*5 + 55 s + 5 ms
 *                       the node lifecycle controller's pass (every 5 s) finds the node
 *                       more than nodeMonitorGracePeriod (50 s) past the pass that saw r:
 *                       Ready=Unknown (a 5 ms write); the same pass marks its 3 pods not
 *                       ready (MarkPodsNotReady, 5 ms each, in parallel)
 *   Tu + 5 ms           the pods are not ready: the EndpointSlice controller syncs at once
 *                       (batch period 0) and writes the slice (5 ms)
 *   Tu + 10 ms          the slice is stored: 33 ready endpoints
 *   Tp = Tu + 110 ms    every kube-proxy but general-3's sees it (watch 100 ms) and syncs at
 *                       once (its last sync was long before: minSyncPeriod 1 s is no wait)
 * Here r = 599.6xx s, so Tu = 655.005 s and Tp = 655.115 s: 55.1 s of failures.
 *
 * Failure fractions (client node uniform over 12, endpoint uniform over the rules):
 *   t0..Tp: a request fails when it crosses the partition: from one of the 11 other nodes
 *           to one of general-3's 3 pods, or from general-3 to one of the other 33:
 *           p1 = (11/12)(3/36) + (1/12)(33/36) = 22/144 = 0.1528
 *   Tp..1200 s: the other nodes no longer send to general-3; general-3 still has its old
 *           rules (cut off, it sees no slice change) and 33 of its 36 endpoints are across
 *           the partition: p2 = (1/12)(33/36) = 11/144 = 0.0764
 *   after 1200 s: general-3 relists (100 ms) and syncs; nothing fails.
 * Expected counts: 200/s x 55.1 s x 22/144 = 1684 and 200/s x 544.9 s x 11/144 = 8325,
 * about 10,009 node-unreachable failures in all. Per 5 s window the counts are binomial
 * given the requests sent; the test allows 4 standard deviations.
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { ClusterRun } from "../../src/run/run.js";

const S = 1e6;
const API_S = 0.005;
const WATCH_S = 0.1;

describe("scenarios/service-partition.yaml: requests across a node partition", () => {
  const run = new ClusterRun(resolveScenario(loadScenarioFile("scenarios/service-partition.yaml").scenario));
  run.advance(600 * S);
  const g3 = run.cluster.nodes.byName.get("general-3")!;
  const lastRenewalUs = run.cluster.nodes.leaseRenewUs[g3];
  const perNode = Array.from({ length: 12 }, (_, n) => run.cluster.podsOn(n).length);
  const observed = Math.ceil(lastRenewalUs / (5 * S)) * 5;
  const unknown = observed + 55 + API_S;
  const proxiesSynced = unknown + 2 * API_S + WATCH_S;
  const svc = run.services!;
  const rulesAt = (tS: number) => {
    run.advance(Math.round(tS * S));
    return Array.from({ length: 12 }, (_, n) => svc.proxies.rules(n, 0)?.usable.length);
  };
  const before = rulesAt(proxiesSynced - 1e-6);
  const after = rulesAt(proxiesSynced);
  const healed = rulesAt(1200 + WATCH_S);
  const r = run.finish();
  const rows = r.tables.find((t) => t.file === "services.csv")!;
  const col = (name: string) => rows.columns.indexOf(name);
  const window = (fromS: number, toS: number) => {
    const sel = rows.rows.filter((x) => (x[0] as number) > fromS && (x[0] as number) <= toS);
    const sum = (c: string) => sel.reduce((a, x) => a + (x[col(c)] as number), 0);
    return { sent: sum("requests_sent"), unreachable: sum("failed_node_unreachable"), failed: ["no_endpoints", "endpoint_gone", "not_serving", "node_unreachable", "overloaded"].reduce((a, c) => a + sum(`failed_${c}`), 0) };
  };
  const within4Sigma = (x: number, n: number, p: number) => Math.abs(x - n * p) <= 4 * Math.sqrt(n * p * (1 - p));

  it("3 pods per node; the node is Unknown 55 s + 5 ms after the pass that saw its last renewal", () => {
    expect(perNode).toEqual(new Array(12).fill(3));
    expect(lastRenewalUs).toBeGreaterThan(590 * S);
    expect(r.events.find((e) => e.kind === "NodeStatusUnknown")!.sim_time_s).toBeCloseTo(unknown, 6);
  });

  it("every kube-proxy but general-3's drops its 3 endpoints exactly at Tu + 5 ms + 5 ms + 100 ms; general-3's keeps 36 until it heals", () => {
    expect(before).toEqual(new Array(12).fill(36));
    expect(after).toEqual(Array.from({ length: 12 }, (_, n) => (n === g3 ? 36 : 33)));
    // healed at 1200 s: general-3 relists 100 ms later; its own 3 pods were evicted (Terminating), replacements run elsewhere
    expect(healed).toEqual(new Array(12).fill(36));
    expect(proxiesSynced).toBeCloseTo(655.115, 6);
  });

  it("from the partition to Tp, 22/144 of the requests fail node-unreachable; then 11/144 until it heals; none after", () => {
    const w1 = window(600, 655);
    const w2 = window(660, 1200);
    const w3 = window(1205, 1500);
    expect(w1.failed).toBe(w1.unreachable);
    expect(within4Sigma(w1.unreachable, w1.sent, 22 / 144)).toBe(true);
    expect(w2.failed).toBe(w2.unreachable);
    expect(within4Sigma(w2.unreachable, w2.sent, 11 / 144)).toBe(true);
    expect(w3.failed).toBe(0);
    // before the partition, only the first second (no pod running yet) fails: no endpoints
    expect(window(5, 600).failed).toBe(0);
  });

  it("summary: every request counted once, the total near the hand count of 10,009", () => {
    const m = (k: string) => r.summary.find((x) => x.metric === `${k}{service=shop/web}`)!.value;
    expect(m("service_requests_sent")).toBe(m("service_requests_served") + m("service_requests_failed") + m("service_requests_in_flight_at_end"));
    const expected = 200 * (proxiesSynced - 600) * (22 / 144) + 200 * (1200 - proxiesSynced) * (11 / 144);
    expect(expected).toBeCloseTo(10009, -1);
    expect(Math.abs(m("service_requests_failed_node_unreachable") - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(m("service_latency_p50_ms")).toBe(20);
  });
});
