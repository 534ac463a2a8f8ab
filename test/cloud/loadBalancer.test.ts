/**
 * Services of type LoadBalancer: the cloud-controller-manager's service controller and the
 * cloud's load balancer, against timelines computed by hand from upstream's behaviour
 * (k8s.io/cloud-provider controllers/service/controller.go) and the scenario's cloud
 * figures. No controlPlane section: every API write takes the fixed 5 ms, and the CCM
 * always leads.
 *
 *   0 s         Service created: event EnsuringLoadBalancer; the finalizer patch (5 ms)
 *   0.005 s     EnsureLoadBalancer with the 12 nodes; provisioning 60 s
 *   60.005 s    the load balancer exists: event EnsuredLoadBalancer; first health check
 *               of every backend; the status patch (5 ms)
 *   60.010 s    status.loadBalancer.ingress written: clients may send
 *   80.005 s    third passing check (60.005, 70.005, 80.005): the backends take traffic
 * Before 80.005 s a request through the load balancer fails no-load-balancer.
 *
 * A machine crash at 600 s: checks at 600.005, 610.005, 620.005 fail, so the node leaves
 * the targets at 620.005 s; until then a request picks it with probability 1/12 and fails
 * lb-backend-unreachable: 200/s x 20.005 s / 12 = 333.4 expected.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { Simulation } from "../../src/engine/simulation.js";
import { CloudLoadBalancers } from "../../src/cloud/loadBalancers.js";
import { excludedFromLoadBalancers } from "../../src/cloud/ccm/serviceController.js";
import { ClusterRun } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { ScenarioError } from "../../src/scenario/errors.js";

const web = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop" },
  spec: {
    replicas: 36,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }],
        containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "500m", memory: "1Gi" } } }],
      },
    },
  },
};
const service = (spec: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "shop" },
  spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }], ...spec },
});

function scenario(over: Record<string, unknown> = {}, load: Record<string, unknown> = {}) {
  return {
    name: "lb",
    duration: "12m",
    sampleInterval: "5s",
    nodePools: [{ name: "general", count: 12, allocatable: { cpu: "8", memory: "32Gi", pods: 110 } }],
    cloudControllerManager: {},
    workloads: [web, service()],
    requestLoad: [{ service: "web", namespace: "shop", via: "loadBalancer", rate: 200, serviceTime: "20ms", concurrencyPerPod: 16, ...load }],
    ...over,
  };
}

type Run = ReturnType<typeof simulate>;
const summary = (r: Run, metric: string) => r.summary.find((s) => s.metric === metric)?.value;
const rows = (r: Run) => r.tables.find((t) => t.file === "services.csv")!;
function column(r: Run, name: string): { t: number; v: number }[] {
  const t = rows(r);
  const i = t.columns.indexOf(name);
  const ti = t.columns.indexOf("sim_time_s");
  return t.rows.map((row) => ({ t: Number(row[ti]), v: Number(row[i]) }));
}

describe("Services of type LoadBalancer", () => {
  const r = simulate(scenario({ faults: [{ type: "node-failure", at: "10m", node: "general-3" }] }));

  it("provisions the load balancer as the service controller does: Ensuring at creation, Ensured after the finalizer write and the provisioning delay", () => {
    const lb = r.events.filter((e) => e.object === "service/shop/web");
    expect(lb.map((e) => [e.kind, e.sim_time_s])).toEqual([
      ["EnsuringLoadBalancer", 0],
      ["EnsuredLoadBalancer", 60.005],
    ]);
    expect(summary(r, "ccm_load_balancers_created")).toBe(1);
    expect(summary(r, "ccm_load_balancer_status_writes")).toBe(1);
  });

  it("sends no request before the backends passed three health checks (80.005 s), and every request after until the crash is served", () => {
    const sent = column(r, "requests_sent");
    const noLb = column(r, "failed_no_load_balancer");
    const served = column(r, "requests_served");
    // Sample at t holds the window (t-5, t].
    for (let i = 0; i < sent.length; i++) {
      const t = sent[i].t;
      if (t <= 80) expect(noLb[i].v).toBe(sent[i].v);
      if (t - 5 >= 80.005) expect(noLb[i].v).toBe(0);
      if (t >= 90 && t <= 600) expect(served[i].v).toBeGreaterThanOrEqual(sent[i].v - 8); // in flight at the window's ends
    }
    const expected = 200 * 80.005;
    expect(Math.abs(summary(r, "service_requests_failed_no_load_balancer{service=shop/web}")! - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it("keeps sending to a crashed node until its third failed health check (620.005 s): 1/12 of requests meanwhile", () => {
    const bad = column(r, "failed_lb_backend_unreachable");
    for (const { t, v } of bad) if (t <= 600 || t >= 625) expect(v).toBe(0);
    const expected = (200 * 20.005) / 12;
    const got = summary(r, "service_requests_failed_lb_backend_unreachable{service=shop/web}")!;
    expect(Math.abs(got - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(got).toBeGreaterThan(0);
    // Behind the load balancer kube-proxy still sends to general-3's 3 pods until the other
    // nodes drop them at 655.115 s (the partition chain of service-partition.yaml):
    // 600..620.005 s through another node (11/12) to one of its pods (3/36), then 1/12.
    const unreachable = 200 * 20.005 * (11 / 144) + 200 * (655.115 - 620.005) * (1 / 12);
    const nodeUnreachable = summary(r, "service_requests_failed_node_unreachable{service=shop/web}")!;
    expect(Math.abs(nodeUnreachable - unreachable)).toBeLessThan(4 * Math.sqrt(unreachable));
  });

  it("a Node deleted or added moves the backend set: UpdateLoadBalancer takes effect after the update delay (5 s)", () => {
    const d = simulate(scenario({ duration: "5m", faults: [{ type: "node-deletion", at: "3m", node: "general-5" }] }));
    const updated = d.events.filter((e) => e.kind === "UpdatedLoadBalancer");
    const deleted = d.nodes.find((n) => n.node === "general-5" && n.kind === "object" && n.to === "absent")!;
    expect(updated.map((e) => e.sim_time_s)).toEqual([deleted.sim_time_s + 5]);
    expect(summary(d, "ccm_load_balancer_backend_updates")).toBe(1);
  });

  it("leaves out nodes labelled node.kubernetes.io/exclude-from-external-load-balancers (unless \"false\")", () => {
    const pools = [
      { name: "general", count: 4, allocatable: { cpu: "8", memory: "32Gi", pods: 110 } },
      { name: "edge", count: 2, allocatable: { cpu: "8", memory: "32Gi", pods: 110 }, labels: { "node.kubernetes.io/exclude-from-external-load-balancers": "true" } },
      { name: "kept", count: 2, allocatable: { cpu: "8", memory: "32Gi", pods: 110 }, labels: { "node.kubernetes.io/exclude-from-external-load-balancers": "false" } },
    ];
    const run = new ClusterRun(prepareScenario(scenario({ duration: "3m", nodePools: pools }), "lb.yaml").spec);
    run.finish();
    const names = Array.from(run.cloud!.loadBalancers!.backendsOf(0), (n) => run.cluster.nodes.names[n]);
    expect(names.sort()).toEqual(["general-0", "general-1", "general-2", "general-3", "kept-0", "kept-1"]);
    // strconv.ParseBool: only a false value keeps the node; anything unparseable excludes it.
    expect(["false", "0", "f", "False", "FALSE", "F"].map(excludedFromLoadBalancers)).toEqual([false, false, false, false, false, false]);
    expect(["true", "", "yes", "1"].map(excludedFromLoadBalancers)).toEqual([true, true, true, true]);
    expect(excludedFromLoadBalancers(undefined)).toBe(false);
  });

  it("refuses what it does not model, in one line naming the field", () => {
    const refuse = (s: unknown) => {
      try {
        prepareScenario(s, "lb.yaml");
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refuse(scenario({ workloads: [web, service({ loadBalancerClass: "example.com/lb" })] }))).toMatch(/loadBalancerClass/);
    expect(refuse(scenario({ workloads: [web, service({ externalTrafficPolicy: "Local" })] }))).toMatch(/externalTrafficPolicy/);
    expect(refuse(scenario({ workloads: [web, service({ type: "NodePort" })] }))).toMatch(/expected ClusterIP or LoadBalancer/);
    expect(refuse(scenario({ workloads: [web, service({ type: undefined })] }))).toMatch(/requestLoad\[0\]\.via: expected a Service of type LoadBalancer/);
    expect(refuse({ ...scenario(), cloudControllerManager: undefined })).toMatch(/requestLoad\[0\]\.via: expected a cloudControllerManager section/);
  });
});

describe("a Cluster Autoscaler scale-down behind a load balancer", () => {
  it("drains the node's traffic first: ToBeDeletedByClusterAutoscaler fails kube-proxy's /healthz, so the load balancer stops sending before the machine goes", () => {
    const small = { ...web, spec: { ...web.spec, replicas: 2, template: { ...web.spec.template, spec: { containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "1500m", memory: "1Gi" } } }] } } } };
    const r = simulate(
      scenario(
        {
          duration: "20m",
          nodePools: [{ name: "general", count: 2, allocatable: { cpu: "4", memory: "16Gi", pods: 110 }, instanceType: { name: "m5.xlarge", pricePerHour: 0.192 }, autoscaling: { minSize: 1, maxSize: 2 } }],
          clusterAutoscaler: {},
          workloads: [small, service()],
        },
        { rate: 50 },
      ),
    );
    // One pod per node, 0.375 < 0.5 each: a node is unneeded from 10 s and removed at 610 s
    // (tainted, its pod evicted with 30 s of grace, then the machine deleted). Its health
    // checks (60.005 + 10k s) fail from 610.005 s: out of the targets at 630.005 s, before
    // the machine goes (~640 s). Without the healthz rule, half the requests would fail from
    // then until three failed checks later.
    const down = r.events.find((e) => e.kind === "ScaleDown" && e.object.startsWith("node/"))!;
    expect(down.sim_time_s).toBe(610);
    const gone = r.events.find((e) => e.kind === "ScaleDown" && e.message === "nodes removed by cluster autoscaler")!;
    expect(gone.sim_time_s).toBeGreaterThan(630.005);
    expect(summary(r, "service_requests_failed_lb_backend_unreachable{service=shop/web}")).toBe(0);
    expect(summary(r, "service_requests_failed_no_load_balancer{service=shop/web}")).toBeLessThan(50 * 80.005 + 4 * Math.sqrt(50 * 80.005));
    // The Node object goes when the CCM finds it NotReady with no instance; the node sync follows.
    const deleted = r.nodes.find((n) => n.kind === "object" && n.to === "absent")!;
    expect(r.events.filter((e) => e.kind === "UpdatedLoadBalancer").map((e) => e.sim_time_s)).toEqual([deleted.sim_time_s + 5]);
  });
});

describe("the cloud's load balancer health checks", () => {
  const spec = { provisioningDelay: { type: "constant" as const, value: 10 }, updateDelayUs: 1e6, healthCheckIntervalUs: 10e6, healthyThreshold: 2, unhealthyThreshold: 3 };

  it("a new backend takes traffic after healthyThreshold passes; when every backend is unhealthy it fails open to all of them", () => {
    const sim = new Simulation(1);
    const down = new Set<number>();
    const lbs = new CloudLoadBalancers(sim, spec, 1, 3, { crashed: (n) => down.has(n), cutOff: () => false, toBeDeleted: () => false });
    const done = sim.on("done", () => {});
    lbs.ensure(0, Int32Array.from([0, 1, 2]), done);
    lbs.publish(0);
    const stream = sim.rng.stream("test");
    const pick = () => lbs.pickBackend(0, stream);
    sim.run(10e6); // created at 10 s, first checks at 10 s
    expect(pick()).toBe(-1); // one pass of two
    sim.run(20e6); // second pass at 20 s
    expect(lbs.healthyCount(0)).toBe(3);
    down.add(0);
    down.add(1);
    down.add(2);
    sim.run(39e6); // failures at 30 s: one of three
    expect(lbs.healthyCount(0)).toBe(3);
    sim.run(50e6); // failures at 30, 40, 50 s: unhealthy
    expect(lbs.healthyCount(0)).toBe(0);
    const seen = new Set(Array.from({ length: 100 }, pick));
    expect([...seen].sort()).toEqual([0, 1, 2]); // fail open
    down.delete(1);
    sim.run(70e6); // passes at 60, 70 s
    expect(lbs.healthyCount(0)).toBe(1);
    expect(new Set(Array.from({ length: 50 }, pick))).toEqual(new Set([1]));
  });
});
