/**
 * The cloud-controller-manager leader-elects on its own Lease, kube-system/
 * cloud-controller-manager, with upstream's default timings (leaseDuration 15 s,
 * renewDeadline 10 s, retryPeriod 2 s, jitter factor 1.2), one candidate per
 * control-plane host, independent of kube-controller-manager's lease.
 *
 * Setup (hand timeline, as test/cloud/autoscaler.test.ts): a stacked control plane of 3
 * hosts (control-plane-0 starts first and takes every lease), a pool of 1 node that the
 * Cluster Autoscaler grows; the Deployment is scaled to 6 at 120 s, the scale-up is
 * decided at the scan of 130 s, and the two new machines' kubelets register after the
 * 45 s provisioning delay, at R ~ 175 s, with the uninitialized taint.
 *
 * Takeover bound after the CCM leader dies at T: its last renewal r is in (T - 2 s, T]
 * (it renews every retryPeriod); a standby notes the change at its next GET, at most one
 * jittered retry later (<= 2 s x 2.2 = 4.4 s), the lease is valid for leaseDuration from
 * that note, and the standby's first attempt after it comes at most one jittered retry
 * later again. So the new leader acquires within
 *   [T - retryPeriod + leaseDuration, T + leaseDuration + 2 x 4.4 s] = [T + 13 s, T + 23.8 s]
 * (plus a few ms of API round trips).
 */
import { describe, expect, it } from "vitest";
import { ClusterRun, prepareScenario, simulate, type RunResult } from "../../src/index.js";
import { m5Group, web as webOf } from "./helpers.js";

const LEASE_DURATION_S = 15;
const RETRY_PERIOD_S = 2;
const JITTERED_RETRY_MAX_S = RETRY_PERIOD_S * (1 + 1.2);
const TAKEOVER_MIN_S = LEASE_DURATION_S - RETRY_PERIOD_S; // 13
const TAKEOVER_MAX_S = LEASE_DURATION_S + 2 * JITTERED_RETRY_MAX_S + 0.1; // 23.8 + API round trips
const UNINITIALIZED = "node.cloudprovider.kubernetes.io/uninitialized:NoSchedule";
const NEW_NODES = ["general-1", "general-2"];

const web = webOf(2);

function scenario(over: { faults?: unknown[]; actions?: unknown[]; ccm?: boolean } = {}) {
  return {
    name: "ccm-lease",
    seed: 3,
    duration: "5m",
    sampleInterval: "10s",
    nodePools: [
      m5Group(),
    ],
    ...(over.ccm === false ? {} : { cloudControllerManager: {} }),
    clusterAutoscaler: { scaleDownEnabled: false },
    workloads: [web],
    actions: [{ at: "2m", type: "scale", deployment: "web", replicas: 6 }, ...(over.actions ?? [])],
    controlPlane: {
      topology: "stacked",
      controlPlaneHosts: 3,
      zones: ["a", "b", "c"],
      load: { nodeLeases: 0, bindingsPerSecond: 0, cachedReadsPerSecond: 0, quorumReadsPerSecond: 0, podStatusUpdatesPerSecond: 0 },
      faults: over.faults ?? [],
    },
  };
}

type Lease = { t: number; lease: string; holder: string; event: string };
function leases(r: RunResult): Lease[] {
  const t = r.tables.find((x) => x.file === "leases.csv")!;
  const c = (n: string) => t.columns.indexOf(n);
  return t.rows.map((row) => ({ t: row[c("sim_time_s")] as number, lease: row[c("lease")] as string, holder: row[c("holder")] as string, event: row[c("event")] as string }));
}
const of = (r: RunResult, lease: string) => leases(r).filter((l) => l.lease === lease);

/** When each new Node registered and when its uninitialized taint went. */
function taint(r: RunResult, node: string): { registeredS: number; removedS: number } {
  const rows = r.nodes.filter((n) => n.node === node && n.kind === "taint" && n.name === UNINITIALIZED);
  expect(rows.map((x) => [x.from, x.to])).toEqual([
    ["absent", "present"],
    ["present", "absent"],
  ]);
  return { registeredS: rows[0].sim_time_s, removedS: rows[1].sim_time_s };
}

describe("the cloud-controller-manager's own lease", () => {
  it("is a third Lease, cloud-controller-manager, first held by control-plane-0, in leases.csv, controlplane.csv and summary.csv", () => {
    const r = simulate(scenario());
    expect(of(r, "cloud-controller-manager").map((l) => [l.holder, l.event])).toEqual([["control-plane-0", "acquired"]]);
    const cp = r.tables.find((t) => t.file === "controlplane.csv")!;
    const col = cp.columns.indexOf("cloud_controller_manager_leader");
    expect(col).toBeGreaterThan(0);
    expect(cp.rows.every((row) => row[col] === "control-plane-0")).toBe(true);
    expect(r.summary.find((s) => s.metric === "cloud_controller_manager_lease_transitions")?.value).toBe(1);
    expect(r.events.some((e) => e.kind === "LeaderElection" && e.object === "lease/kube-system/cloud-controller-manager")).toBe(true);
    // With a leader all along, each new Node is initialized as soon as it registers (one API write).
    for (const n of NEW_NODES) {
      const { registeredS, removedS } = taint(r, n);
      expect(removedS - registeredS).toBeLessThan(0.1);
    }
  });

  it("a run without a cloud-controller-manager has no third lease (no column, no row, no summary metric)", () => {
    const r = simulate(scenario({ ccm: false }));
    expect(of(r, "cloud-controller-manager")).toEqual([]);
    expect(r.tables.find((t) => t.file === "controlplane.csv")!.columns).not.toContain("cloud_controller_manager_leader");
    expect(r.summary.some((s) => s.metric === "cloud_controller_manager_lease_transitions")).toBe(false);
  });

  it("the CCM leader's host lost: Nodes registered meanwhile keep the uninitialized taint (no pod lands) until a standby acquires after leaseDuration + jittered retries", () => {
    const lostS = 170;
    const r = simulate(scenario({ faults: [{ type: "host-loss", at: `${lostS}s`, host: "cloud-controller-manager-leader" }] }));
    const ccm = of(r, "cloud-controller-manager");
    expect(ccm.slice(0, 2).map((l) => [l.holder, l.event])).toEqual([
      ["control-plane-0", "acquired"],
      ["control-plane-0", "lost"],
    ]);
    expect(ccm[1].t).toBe(lostS);
    const next = ccm[2];
    expect(next.event).toBe("acquired");
    expect(["control-plane-1", "control-plane-2"]).toContain(next.holder);
    expect(next.t).toBeGreaterThanOrEqual(lostS + TAKEOVER_MIN_S);
    expect(next.t).toBeLessThanOrEqual(lostS + TAKEOVER_MAX_S);
    for (const n of NEW_NODES) {
      const { registeredS, removedS } = taint(r, n);
      expect(registeredS).toBeGreaterThan(lostS); // premise: registered while nobody led the CCM
      expect(registeredS).toBeLessThan(next.t);
      expect(removedS).toBeGreaterThanOrEqual(next.t); // initialized by the new leader, at once
      expect(removedS - next.t).toBeLessThan(0.1);
      for (const p of r.pods.filter((x) => x.node === n)) expect(p.scheduled_s).toBeGreaterThan(removedS);
    }
  });

  it("KCM and CCM leaders are independent: the CCM process gone, kube-controller-manager keeps acting (creates pods) while Nodes wait for the CCM", () => {
    const stopS = 165;
    const run = new ClusterRun(prepareScenario(scenario({ actions: [{ at: "170s", type: "scale", deployment: "web", replicas: 8 }] }), "ccm-lease.yaml").spec);
    run.advance(stopS * 1e6);
    // The cloud-controller-manager process on control-plane-0 exits (the host and its other components stay up).
    run.controlPlane!.cloudControllerManager!.stop(0);
    const r = run.finish();
    expect(of(r, "kube-controller-manager").map((l) => [l.holder, l.event])).toEqual([["control-plane-0", "acquired"]]);
    const ccm = of(r, "cloud-controller-manager");
    expect(ccm[1]).toMatchObject({ t: stopS, holder: "control-plane-0", event: "lost" });
    const acquiredS = ccm[2].t;
    expect(acquiredS).toBeGreaterThanOrEqual(stopS + TAKEOVER_MIN_S);
    expect(acquiredS).toBeLessThanOrEqual(stopS + TAKEOVER_MAX_S);
    // kube-controller-manager created the two replicas of the scale to 8 during the CCM's gap.
    const created = r.pods.filter((p) => p.owner === "Deployment/default/web" && p.created_s >= 170 && p.created_s < acquiredS);
    expect(created.length).toBe(2);
    for (const n of NEW_NODES) expect(taint(r, n).removedS).toBeGreaterThanOrEqual(acquiredS);
  });

  it("KCM and CCM leaders are independent: the kube-controller-manager process gone, the CCM keeps initializing Nodes", () => {
    const stopS = 165;
    const run = new ClusterRun(prepareScenario(scenario(), "ccm-lease.yaml").spec);
    run.advance(stopS * 1e6);
    run.controlPlane!.controllerManager.stop(0);
    const r = run.finish();
    expect(of(r, "cloud-controller-manager").map((l) => [l.holder, l.event])).toEqual([["control-plane-0", "acquired"]]);
    const kcm = of(r, "kube-controller-manager");
    expect(kcm[1]).toMatchObject({ t: stopS, holder: "control-plane-0", event: "lost" });
    const kcmBackS = kcm[2].t;
    expect(kcmBackS).toBeGreaterThanOrEqual(stopS + TAKEOVER_MIN_S);
    for (const n of NEW_NODES) {
      const { registeredS, removedS } = taint(r, n);
      expect(removedS - registeredS).toBeLessThan(0.1);
      if (registeredS < kcmBackS) expect(removedS).toBeLessThan(kcmBackS); // initialized while no KCM led
    }
    // premise: at least one Node registered while nobody held kube-controller-manager's lease
    expect(NEW_NODES.some((n) => taint(r, n).registeredS < kcmBackS)).toBe(true);
  });

  it("host-loss of cloud-controller-manager-leader in a run without a CCM loses nothing", () => {
    const r = simulate(scenario({ ccm: false, faults: [{ type: "host-loss", at: "60s", host: "cloud-controller-manager-leader" }] }));
    expect(r.events.some((e) => e.kind === "ControlPlaneFault" && e.message.includes("no host is cloud-controller-manager-leader now; nothing lost"))).toBe(true);
    expect(of(r, "kube-controller-manager").length).toBe(1);
  });
});

describe("the cloud-controller-manager's client rate limits (--kube-api-qps / --kube-api-burst)", () => {
  const noControlPlane = (ccm: Record<string, unknown>) => {
    const s = scenario() as Record<string, unknown>;
    delete s.controlPlane;
    return { ...s, cloudControllerManager: ccm };
  };

  it("the cloud node controller's writes wait for its own token bucket: burst 1 at 0.1 qps spaces two initializations by 10 s", () => {
    const r = simulate(noControlPlane({ kubeApiQps: 0.1, kubeApiBurst: 1 }));
    const [a, b] = NEW_NODES.map((n) => taint(r, n)).sort((x, y) => x.removedS - y.removedS);
    // premise: both registered within the same second; the bucket (1 token, full since 0 s) pays for the first
    expect(Math.abs(a.registeredS - b.registeredS)).toBeLessThan(1);
    expect(a.removedS - a.registeredS).toBeLessThan(0.1);
    expect(b.removedS - a.removedS).toBeGreaterThanOrEqual(10 - 0.1);
    expect(b.removedS - a.removedS).toBeLessThan(10 + 0.1);
  });

  it("a bad value is refused with the field path", () => {
    expect(() => simulate(noControlPlane({ kubeApiQps: "ten" }))).toThrow(/cloudControllerManager\.kubeApiQps: expected a positive number/);
  });
});
