/**
 * `kubectl delete namespace` (a `delete-namespace` action) on hand-computed timelines.
 *
 * Upstream's timeline (namespace_controller.go, namespaced_resources_deleter.go), for a
 * namespace of 30 s-grace pods deleted at 60 s:
 *   60 s  deletionTimestamp, Terminating: NamespaceLifecycle refuses every create in it;
 *   65 s  the namespace controller's first sync (namespaceDeletionGracePeriod 5 s): its
 *         Deployments and Jobs deleted (the garbage collector deletes their pods), then its
 *         pods; every pod gets its deletion at 65 s and is gone at 95 s (30 s grace);
 *         estimate 30 s (5 s < 30 s since the deletionTimestamp): again 30/2 + 1 = 16 s later;
 *   81 s  pods left (Terminating), estimate still 30 (21 s < 30 s): again at 97 s;
 *   97 s  nothing left: finalized and deleted, NamespaceDeleted 37 s after the delete.
 * (The sketch said "gone by ~90 s": it left out the controller's 5 s wait and its
 * estimate/2 + 1 requeues.)
 */
import { describe, expect, it } from "vitest";
import { ScenarioError, simulate } from "../../src/index.js";

const container = { name: "c", image: "x", resources: { requests: { cpu: "100m" } } };
function deployment(name: string, namespace: string, replicas: number) {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } } };
}
const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "batch", namespace: "shop", annotations: { "kubesim.io/run-time": "300s" } }, spec: { completions: 10, parallelism: 2, template: { spec: { restartPolicy: "Never", containers: [container] } } } };
const arrivals = { kind: "PoissonArrivals", name: "orders", namespace: "shop", rate: 0.5, lifetime: { type: "constant", value: 1000 }, template: { spec: { containers: [container] } } };
function scenario(actions: unknown[], extra: Record<string, unknown> = {}) {
  return {
    name: "ns",
    duration: "3m",
    sampleInterval: "10s",
    nodePools: [{ name: "w", count: 2, allocatable: { cpu: "16", memory: "64Gi", pods: 110 } }],
    workloads: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }, deployment("web", "shop", 4), job, arrivals, deployment("other", "default", 2)],
    actions,
    ...extra,
  };
}
const DELETE_SHOP = { at: "60s", type: "delete-namespace", namespace: "shop" };

describe("kubectl delete namespace", () => {
  it("a namespace with a Deployment, a Job and PoissonArrivals deleted at 60 s: refused creates from 60 s, pods deleted at 65 s and gone at 95 s, NamespaceDeleted at 97 s", () => {
    const r = simulate(scenario([DELETE_SHOP]));
    // The arrivals as they would have come without the delete (stream arrivals.orders: common random numbers).
    const base = simulate(scenario([]));
    const wouldArrive = (from: number, to: number) => base.pods.filter((p) => p.owner === "PoissonArrivals/shop/orders" && p.created_s > from && p.created_s <= to).length;
    const shop = r.pods.filter((p) => p.namespace === "shop");
    expect(shop.every((p) => p.created_s <= 60)).toBe(true);
    expect(shop.filter((p) => p.owner === "PoissonArrivals/shop/orders")).toHaveLength(wouldArrive(-1, 60));
    expect(shop.filter((p) => p.owner === "Deployment/shop/web")).toHaveLength(4);
    expect(shop.filter((p) => p.owner === "Job/shop/batch")).toHaveLength(2);
    for (const p of shop) expect([p.deletion_requested_s, p.deleted_s]).toEqual([65, 95]);
    // other namespaces untouched
    expect(r.pods.filter((p) => p.namespace === "default").every((p) => p.deletion_requested_s === null && p.deleted_s === null)).toBe(true);

    const ev = (kind: string) => r.events.filter((e) => e.kind === kind);
    expect(ev("NamespaceTerminating").map((e) => [e.sim_time_s, e.object])).toEqual([[60, "namespace/shop"]]);
    expect(ev("WorkloadDeleted").map((e) => [e.sim_time_s, e.object])).toEqual([[65, "deployment/shop/web"], [65, "job/shop/batch"]]);
    expect(ev("WorkloadPodsGone").map((e) => e.sim_time_s)).toEqual([95, 95]);
    const gone = ev("NamespaceDeleted");
    expect(gone.map((e) => [e.sim_time_s, e.object])).toEqual([[97, "namespace/shop"]]);
    const refusedWhileTerminating = wouldArrive(60, 97);
    expect(refusedWhileTerminating).toBeGreaterThan(5); // rate 0.5/s over 37 s: ~18
    expect(gone[0].message).toBe(`all content gone: finalized and deleted 37.000 s after its delete; ${refusedWhileTerminating} create(s) refused while it terminated`);
    // every arrival after 60 s refused: 403 while Terminating, 404 once the namespace is gone
    const m = Object.fromEntries(r.summary.map((s) => [s.metric, s.value]));
    expect(m.pod_creates_refused_namespace_lifecycle).toBe(wouldArrive(60, 180));
    expect(m.jobs_running_at_end).toBe(0);
    // workloads.csv: desired 0 once deleted
    const web = (t: number) => r.workloads.find((w) => w.sim_time_s === t && w.workload === "Deployment/shop/web")!;
    expect(web(60)).toMatchObject({ desired: 4, ready: 4, terminating: 0 });
    expect(web(70)).toMatchObject({ desired: 0, current: 0, terminating: 4 });
    expect(web(100)).toMatchObject({ desired: 0, current: 0, terminating: 0 });
  });

  it("a scale at 62 s, between the delete and the controller's first sync: the Deployment's 2 creates are refused, nothing new appears", () => {
    // The Deployment still exists until 65 s (a scale is an update: NamespaceLifecycle allows it);
    // its creates are refused at once (no control plane).
    const r = simulate(scenario([DELETE_SHOP, { at: "62s", type: "scale", deployment: "web", namespace: "shop", replicas: 6 }]));
    expect(r.pods.filter((p) => p.owner === "Deployment/shop/web")).toHaveLength(4);
    const gone = r.events.find((e) => e.kind === "NamespaceDeleted")!;
    expect(gone.sim_time_s).toBe(97);
    const base = simulate(scenario([]));
    const arrived = base.pods.filter((p) => p.owner === "PoissonArrivals/shop/orders" && p.created_s > 60 && p.created_s <= 97).length;
    expect(gone.message).toContain(`; ${arrived + 2} create(s) refused while it terminated`);
  });

  it("with a control plane: the arrivals' creates get 403 from the API server and are not retried", () => {
    const cp = { controlPlane: { topology: "stacked", controlPlaneHosts: 1 } };
    const r = simulate(scenario([DELETE_SHOP], cp));
    const base = simulate(scenario([], cp));
    const after = (res: typeof r, from: number, to: number) => res.pods.filter((p) => p.owner === "PoissonArrivals/shop/orders" && p.created_s > from && p.created_s <= to).length;
    // a create takes a few ms through the API: those sent after 60 s are refused
    expect(r.pods.filter((p) => p.namespace === "shop").every((p) => p.created_s < 60.1)).toBe(true);
    const m = Object.fromEntries(r.summary.map((s) => [s.metric, s.value]));
    expect(m.pod_creates_refused_namespace_lifecycle).toBe(after(base, 60, 180));
    expect(m.pod_create_failures).toBe(after(base, 60, 180));
    expect(m.pod_creates_pending_at_end).toBe(0);
    const api = r.tables.find((t) => t.file === "api_requests.csv")!;
    const refused = api.rows.reduce((n, row) => n + Number(row[api.columns.indexOf("refused_4xx")]), 0);
    expect(refused).toBe(after(base, 60, 180));
    expect(r.events.find((e) => e.kind === "NamespaceDeleted")!.sim_time_s).toBe(97);
  });
});

describe("delete-namespace actions are checked when the scenario is read", () => {
  const err = (actions: unknown[]) => {
    try {
      simulate(scenario(actions));
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error("no ScenarioError");
  };

  it("default, kube-system and kube-public may not be deleted (NamespaceLifecycle); kube-node-lease is not modelled", () => {
    for (const ns of ["default", "kube-system", "kube-public"]) {
      expect(err([{ at: "60s", type: "delete-namespace", namespace: ns }])).toBe(
        `scenario: actions[0].namespace: expected a namespace that may be deleted, got "${ns}": namespaces "${ns}" is forbidden: this namespace may not be deleted (NamespaceLifecycle admission)`,
      );
    }
    expect(err([{ at: "60s", type: "delete-namespace", namespace: "kube-node-lease" }])).toContain("actions[0].namespace: expected a namespace that may be deleted, got \"kube-node-lease\"");
  });

  it("the namespace must exist; nothing names it or its workloads after its delete", () => {
    expect(err([{ at: "60s", type: "delete-namespace", namespace: "shopp" }])).toBe('scenario: actions[0].namespace: expected a namespace of the scenario (shop), got "shopp"');
    expect(err([DELETE_SHOP, { at: "70s", type: "delete", kind: "Deployment", name: "web", namespace: "shop" }])).toBe(
      "scenario: actions[1].name: expected a Deployment that still exists at 70s, got Deployment shop/web: actions[0] (delete-namespace) deletes it at 1m (the namespace controller at 65s)",
    );
    expect(err([DELETE_SHOP, { at: "2m", type: "delete-namespace", namespace: "shop" }])).toBe(
      "scenario: actions[1].namespace: expected a namespace that still exists at 2m, got namespace shop: actions[0] (delete-namespace) deletes it at 1m",
    );
  });
});
