/**
 * Bounds on every size: a scenario that would not fit in memory or would not finish is
 * refused before it starts, in one line naming the field, the figure, the limit and how
 * to raise it; within a raised limit it is accepted. Figures are computed by hand from
 * the rules of docs/limits.md. (Sizes that hang the loader itself on the old code, such as
 * 2^31 nodes, are tested through the CLI with a timeout: test/cli/hardening.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.js";
import { prepareScenario } from "../../src/scenario/load.js";

const FILE = "s.yaml";
const container = { name: "c", resources: { requests: { cpu: "100m" } } };

function base(): any {
  return {
    name: "b",
    duration: "1h",
    nodePools: [{ name: "a", count: 3, allocatable: { cpu: "4", memory: "8Gi" } }],
    workloads: [],
  };
}

function deployment(name: string, replicas: number) {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } } };
}

/** The one-line error of a scenario, or "" when it is accepted. */
function error(s: unknown, set: string[] = []): string {
  try {
    prepareScenario(s, FILE, { set });
    return "";
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m.split("\n")).toHaveLength(1);
    return m;
  }
}

describe("sizes of the cluster", () => {
  it("nodes in all pools: the pool that crosses limits.nodes (100,000) is named", () => {
    const s = base();
    s.nodePools.push({ name: "b", count: 99_998, allocatable: { cpu: "4", memory: "8Gi" } });
    expect(error(s)).toMatch(/^s\.yaml: nodePools\[1\]\.count: expected at most 100,000 nodes in all pools \(limits\.nodes\), got 99,998 more after 3; raise the limit with --set limits\.nodes=\d+/);
    s.limits = { nodes: 100_001 };
    // Raised: validated only (building 100,001 nodes is quick, but not needed here).
    expect(error({ ...s, nodePools: [{ ...s.nodePools[0], count: 1 }] })).toBe("");
  });

  it("synthetic kubelets count as nodes", () => {
    expect(error(base(), ["controlPlane.load.nodeLeases=1000000"])).toMatch(/^s\.yaml: controlPlane\.load\.nodeLeases: expected at most 100,000 kubelets \(limits\.nodes\), got 1,000,000;/);
  });

  it("control-plane hosts and etcd members: at most 31 (vote bitmasks), whatever the limits", () => {
    expect(error(base(), ["controlPlane.controlPlaneHosts=1000000"])).toBe(
      "s.yaml: controlPlane.controlPlaneHosts: expected at most 31 control-plane hosts (HA clusters run 3 to 5; kubesim models up to 31), got 1000000",
    );
    expect(error(base(), ["controlPlane.topology=external-etcd", "controlPlane.etcdHosts=32"])).toMatch(/^s\.yaml: controlPlane\.etcdHosts: expected at most 31 etcd hosts/);
    expect(error(base(), ["controlPlane.experiment.type=raft-election", "controlPlane.experiment.members=1000000000000"])).toMatch(
      /^s\.yaml: controlPlane\.experiment\.members: expected at most 31 members .*, got 1000000000000$/,
    );
  });

  it("labels, taints and zones of one pool", () => {
    const labels = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, "v"]));
    const s = base();
    s.nodePools[0].labels = labels;
    expect(error(s)).toBe("s.yaml: nodePools[0].labels: expected at most 256 labels, got 257");
    const z = base();
    z.nodePools[0].zones = Array.from({ length: 65 }, (_, i) => `z${i}`);
    expect(error(z)).toBe("s.yaml: nodePools[0].zones: expected at most 64 zones, got a list of 65");
  });
});

describe("time", () => {
  it("a time field beyond 100 years is refused (the clock's range), also in controlPlane.faults", () => {
    expect(error(base(), ["duration=1e300"])).toBe("s.yaml: duration: expected a duration of at most 100 years (876000h), the range of kubesim's microsecond clock, got 1e+300");
    expect(error(base(), ["controlPlane.faults[0]={type: heal, at: 9e15}"])).toBe(
      "s.yaml: controlPlane.faults[0].at: expected a duration of at most 100 years (876000h), the range of kubesim's microsecond clock, got 9000000000000000",
    );
  });

  it("duration / sampleInterval bounds the rows of timeseries.csv (limits.timeseriesRows, 200,000)", () => {
    // 1 h at 1 us: 3,600,000,000 intervals + the row at 0.
    expect(error(base(), ["sampleInterval=1us"])).toMatch(
      /^s\.yaml: sampleInterval: expected at most 200,000 rows of timeseries\.csv \(limits\.timeseriesRows\), got 3,600,000,001 \(duration 1h \/ sampleInterval 1us\); use a longer sampleInterval, or raise the limit with --set limits\.timeseriesRows=/,
    );
    // 200,000 rows exactly: 199,999 intervals of 1 s.
    expect(error(base(), ["duration=199999s", "sampleInterval=1s"])).toBe("");
    expect(error(base(), ["duration=200000s", "sampleInterval=1s"])).toMatch(/got 200,001 /);
    expect(error(base(), ["duration=200000s", "sampleInterval=1s", "limits.timeseriesRows=200001"])).toBe("");
  });

  it("periods of at least 1ms: a zero health-check interval would repeat at one instant for ever", () => {
    expect(error(base(), ["controlPlane.apiserver.loadBalancer.checkInterval=0"])).toBe("s.yaml: controlPlane.apiserver.loadBalancer.checkInterval: expected a period of at least 1ms, got 0");
    expect(error(base(), ["controlPlane.etcd.heartbeatInterval=500us"])).toBe('s.yaml: controlPlane.etcd.heartbeatInterval: expected a period of at least 1ms, got "500us"');
    expect(error(base(), ["controlPlane.etcd.electionTimeout=60s"])).toMatch(/^s\.yaml: controlPlane\.etcd\.electionTimeout: expected an election timeout of at most 50s/);
  });
});

describe("pods created over the run (limits.pods, 500,000)", () => {
  const poisson = (extra: object) => ({ kind: "PoissonArrivals", name: "p", lifetime: "1m", template: { spec: { containers: [container] } }, ...extra });

  it("a Poisson rate: rate x active time is the expected number of arrivals", () => {
    const s = base();
    s.workloads = [poisson({ rate: 1e49 })];
    expect(error(s)).toMatch(/^s\.yaml: workloads\[0\]\.rate: expected at most 500,000 pods created over the run \(limits\.pods\), got 3\.60e\+52 expected arrivals \(1\.00e\+49 pods\/s over 1h\);/);
    // 100/s from 10m to the end (50 min): 300,000: accepted.
    s.workloads = [poisson({ rate: 100, start: "10m" })];
    expect(error(s)).toBe("");
    // meanInterarrival 1ms over the hour: 3,600,000.
    s.workloads = [poisson({ meanInterarrival: "1ms" })];
    expect(error(s)).toMatch(/^s\.yaml: workloads\[0\]\.meanInterarrival: expected at most 500,000 pods .*got 3,600,000 expected arrivals \(1000 pods\/s over 1h\)/);
  });

  it("the total across workloads: the workload that crosses the limit is named", () => {
    const s = base();
    s.workloads = [deployment("a", 300_000), poisson({ rate: 60 })]; // 300,000 + 216,000
    expect(error(s)).toMatch(/^s\.yaml: workloads\[1\]\.rate: expected at most 500,000 pods .*got 216,000 expected arrivals \(60 pods\/s over 1h\) after 300,000 from the workloads before it;/);
    s.workloads = [deployment("a", 300_000), deployment("b", 300_000)];
    expect(error(s)).toMatch(/^s\.yaml: workloads\[1\]\.spec\.replicas: expected at most 500,000 pods .*got 300,000 replicas after 300,000/);
    expect(error(s, ["limits.pods=600000"])).toBe("");
  });
});

describe("periodic work of the control plane and the kubelets (limits.controlPlaneOperations, 30,000,000)", () => {
  it("synthetic API load is at most 100,000 requests per second per kind", () => {
    expect(error(base(), ["controlPlane.load.cachedReadsPerSecond=1e9"])).toBe(
      "s.yaml: controlPlane.load.cachedReadsPerSecond: expected a number of requests per second from 0 to 100,000, got 1000000000",
    );
  });

  it("periodic work over the run: the largest contributor is named", () => {
    // 100,000 cached reads/s for 10 min = 6e7 plus the rest: over 3e7.
    expect(error(base(), ["controlPlane.load.cachedReadsPerSecond=100000", "duration=10m"])).toMatch(
      /^s\.yaml: controlPlane\.load\.cachedReadsPerSecond: expected at most 30,000,000 periodic operations of the control plane and kubelets over the run \(limits\.controlPlaneOperations\), got 60,0\d\d,\d\d\d /,
    );
    // Defaults, stacked, 3 hosts, 3 nodes, per second: 20 cached + 5 quorum reads, 3 leases / 10 s,
    // 2 components x 3 hosts / 2 s retryPeriod, 2 followers / 100 ms heartbeat, 3 API servers / 2 s
    // health checks = 49.8/s; the kubelets' status syncs 3 / 10 s and the node lifecycle
    // controller's checks 3 / 5 s: 50.7/s; over 8760 h (31,536,000 s): 1,598,875,200.
    expect(error(base(), ["controlPlane.topology=stacked", "duration=8760h", "sampleInterval=1h"])).toBe(
      "s.yaml: controlPlane.load.cachedReadsPerSecond: expected at most 30,000,000 periodic operations of the control plane and kubelets over the run (limits.controlPlaneOperations), " +
        "got 1,598,875,200 (50.7/s for 8760h, mostly 20/s cached reads, 20/s etcd heartbeats, 5/s quorum reads); shorten duration, or raise the limit with --set limits.controlPlaneOperations=1600000000 or in the scenario's limits section",
    );
  });

  it("without a control plane the kubelets' loops and the node lifecycle controller's checks count", () => {
    // 5,000 nodes: 500 Lease renewals + 500 status syncs + 1,000 node checks per second = 2,000/s; 1 day: 172,800,000.
    const s = base();
    delete (s as { controlPlane?: unknown }).controlPlane;
    expect(error(s, ["nodePools[0].count=5000", "duration=24h", "sampleInterval=1h"])).toBe(
      "s.yaml: controllerManager.nodeMonitorPeriod: expected at most 30,000,000 periodic operations of the control plane and kubelets over the run (limits.controlPlaneOperations), " +
        "got 172,800,000 (2000/s for 24h, mostly 1000/s node health checks, 500/s node status syncs of 5,000 kubelets, 500/s lease renewals of 5,000 kubelets); shorten duration, or raise the limit with --set limits.controlPlaneOperations=180000000 or in the scenario's limits section",
    );
    expect(error(s, ["nodePools[0].count=5000", "duration=1h"])).toBe("");
  });

  it("a Service load balancer's health checks of every node count: 5,000 nodes every 1ms is refused, the 10 s default accepted", () => {
    // 5,000 / 0.001 s = 5,000,000 checks per second, + 2,000/s of the kubelets and node checks; 1 h: 18,007,200,000.
    const s = base();
    s.cloudControllerManager = { loadBalancers: { healthCheckInterval: "1ms" } };
    s.workloads = [{ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] } }];
    expect(error(s, ["nodePools[0].count=5000"])).toBe(
      "s.yaml: cloudControllerManager.loadBalancers.healthCheckInterval: expected at most 30,000,000 periodic operations of the control plane and kubelets over the run (limits.controlPlaneOperations), " +
        "got 18,007,200,000 (5.00e+6/s for 1h, mostly 5.00e+6/s load balancer health checks, 1000/s node health checks, 500/s node status syncs of 5,000 kubelets); shorten duration, or raise the limit with --set limits.controlPlaneOperations=19000000000 or in the scenario's limits section",
    );
    // 10 s: 500/s more, 9,000,000 in all.
    expect(error(s, ["nodePools[0].count=5000", "cloudControllerManager.loadBalancers.healthCheckInterval=10s"])).toBe("");
    // No Service of type LoadBalancer: no load balancer, no checks.
    s.workloads[0].spec.type = "ClusterIP";
    expect(error(s, ["nodePools[0].count=5000"])).toBe("");
  });
});

describe("the raft-election experiment (limits.raftTrials, 100,000)", () => {
  it("trials of all ranges together", () => {
    const set = ["controlPlane.experiment.type=raft-election", "controlPlane.experiment.electionTimeouts=[150-300, 12-24]", "controlPlane.experiment.trials=60000"];
    expect(error(base(), set)).toMatch(/^s\.yaml: controlPlane\.experiment\.trials: expected at most 100,000 trials in all \(limits\.raftTrials\), got 120,000 \(2 election-timeout range\(s\) x 60,000\);/);
    expect(error(base(), [...set, "limits.raftTrials=120000"])).toBe("");
  });

  it("a heartbeat fraction that makes a heartbeat shorter than 1ms", () => {
    expect(error(base(), ["controlPlane.experiment.type=raft-election", "controlPlane.experiment.heartbeatFraction=1e-300"])).toMatch(
      /^s\.yaml: controlPlane\.experiment\.heartbeatFraction: expected a heartbeat of at least 1ms .*got 1e-300$/,
    );
  });
});

describe("requests of the request loads (limits.requests, 50,000,000)", () => {
  const withLoad = (load: object) => {
    const s = base();
    s.workloads = [deployment("web", 2), { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } }];
    s.requestLoad = [{ service: "web", serviceTime: "1ms", concurrencyPerPod: 10, ...load }];
    return s;
  };

  it("a constant rate: rate x duration (20,000/s x 1 h = 72,000,000) is refused, 13,000/s (46,800,000) accepted", () => {
    expect(error(withLoad({ rate: 20_000 }))).toBe(
      "s.yaml: requestLoad[0].rate: expected at most 50,000,000 requests over the run (limits.requests), got 72,000,000 expected requests (20000 requests/s over 1h); raise the limit with --set limits.requests=72000000 or in the scenario's limits section",
    );
    expect(error(withLoad({ rate: 13_000 }))).toBe("");
    expect(error(withLoad({ rate: 20_000 }), ["limits.requests=80000000"])).toBe("");
  });

  it("steps: the integral of the rate (100/s for 30 min, then 30,000/s for 30 min = 54,180,000)", () => {
    expect(error(withLoad({ steps: [{ at: "0s", rate: 100 }, { at: "30m", rate: 30_000 }] }))).toMatch(
      /^s\.yaml: requestLoad\[0\]\.steps: expected at most 50,000,000 requests over the run \(limits\.requests\), got 54,180,000 expected requests /,
    );
  });
});
