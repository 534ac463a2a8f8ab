/**
 * The EndpointSlice controller against upstream's rules, by hand:
 * - podToEndpoint (k8s.io/endpointslice utils.go): serving = pod Ready,
 *   terminating = deletionTimestamp set, ready = publishNotReadyAddresses || (serving && !terminating);
 * - ShouldPodBeInEndpoints(pod, true): no terminal pod, no pod without an IP; Terminating pods stay;
 * - maxEndpointsPerSlice 100: 250 pods make 3 slices; a Service without endpoints keeps one placeholder;
 * - kube-proxy's choice (CategorizeEndpoints): ready endpoints, or serving terminating ones when none is ready.
 */
import { describe, expect, it } from "vitest";
import { EndpointSliceStore, NO_ENDPOINTS, endpointVersion } from "../../src/apiserver/endpointSlices.js";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { FixedLatencyApi } from "../../src/apiserver/apiPort.js";
import { Simulation } from "../../src/engine/simulation.js";
import { ControllerClient } from "../../src/controllers/controllerClient.js";
import { EndpointSliceController } from "../../src/controllers/endpointSlice/endpointSliceController.js";
import type { LeaderElection } from "../../src/client/leaderElection.js";
import { node, template } from "../run/helpers.js";
import { diffSlices, endpointConditions, type DesiredEndpoint } from "../../src/controllers/endpointSlice/endpoints.js";
import { PodPhase } from "../../src/model/podTable.js";
import { OUTCOME_DELETED } from "../../src/apiserver/clusterState.js";
import { runOf, S, webScenario } from "../proxy/helpers.js";

const ep = (pod: number, ready = true, serving = ready, terminating = false): DesiredEndpoint => ({ pod, ready, serving, terminating });
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

describe("podToEndpoint conditions", () => {
  it.each([
    // podReady, deleting, publishNotReadyAddresses -> ready, serving, terminating
    [true, false, false, { ready: true, serving: true, terminating: false }],
    [false, false, false, { ready: false, serving: false, terminating: false }],
    [true, true, false, { ready: false, serving: true, terminating: true }],
    [false, true, false, { ready: false, serving: false, terminating: true }],
    [false, false, true, { ready: true, serving: false, terminating: false }],
    [true, true, true, { ready: true, serving: true, terminating: true }],
    [false, true, true, { ready: true, serving: false, terminating: true }],
  ])("Ready %s, deleting %s, publishNotReadyAddresses %s", (podReady, deleting, publish, want) => {
    expect(endpointConditions(podReady, deleting, publish)).toEqual(want);
  });
});

describe("slices of 100 endpoints", () => {
  it("250 endpoints are 3 slices of 100, 100 and 50: three creates", () => {
    const d = diffSlices(NO_ENDPOINTS, range(250).map((p) => ep(p)));
    expect(d).toMatchObject({ creates: 3, updates: 0, deletes: 0 });
    expect(d.version.sliceCount).toBe(3);
    const sizes = [0, 0, 0];
    for (const s of d.version.slice) sizes[s]++;
    expect(sizes).toEqual([100, 100, 50]);
    expect(d.version.readyCount).toBe(250);
  });

  it("one endpoint leaving rewrites only its slice; a new one fills the first slice with room", () => {
    const v = diffSlices(NO_ENDPOINTS, range(250).map((p) => ep(p))).version;
    const gone = diffSlices(v, range(250).filter((p) => p !== 5).map((p) => ep(p)));
    expect(gone).toMatchObject({ creates: 0, updates: 1, deletes: 0 });
    const back = diffSlices(gone.version, [...range(250).filter((p) => p !== 5), 999].map((p) => ep(p)));
    expect(back).toMatchObject({ creates: 0, updates: 1, deletes: 0 });
    expect(back.version.slice[Array.from(back.version.pods).indexOf(999)]).toBe(0);
  });

  it("a condition change is an update of that endpoint's slice only", () => {
    const v = diffSlices(NO_ENDPOINTS, range(150).map((p) => ep(p))).version;
    const d = diffSlices(v, range(150).map((p) => ep(p, p !== 120)));
    expect(d).toMatchObject({ creates: 0, updates: 1, deletes: 0 });
    expect(d.version.readyCount).toBe(149);
  });

  it("no endpoint: one placeholder slice, created once; emptied slices are deleted down to the placeholder", () => {
    const empty = diffSlices(NO_ENDPOINTS, []);
    expect(empty).toMatchObject({ creates: 1, updates: 0, deletes: 0 });
    expect(empty.version.sliceCount).toBe(1);
    expect(diffSlices(empty.version, [])).toMatchObject({ creates: 0, updates: 0, deletes: 0 });
    const three = diffSlices(empty.version, range(250).map((p) => ep(p)));
    expect(three).toMatchObject({ creates: 2, updates: 1 }); // the placeholder takes the first 100
    const none = diffSlices(three.version, []);
    expect(none).toMatchObject({ creates: 0, updates: 1, deletes: 2 });
    expect(none.version.sliceCount).toBe(1);
  });

  it("kube-proxy uses the ready endpoints, or the serving terminating ones when none is ready", () => {
    const v = (eps: DesiredEndpoint[]) => diffSlices(NO_ENDPOINTS, eps).version.usable;
    expect(Array.from(v([ep(1), ep(2, false), ep(3, false, true, true)]))).toEqual([1]);
    expect(Array.from(v([ep(2, false), ep(3, false, true, true), ep(4, false, false, true)]))).toEqual([3]);
    expect(Array.from(v([ep(2, false), ep(4, false, false, true)]))).toEqual([]);
    const direct = endpointVersion(Int32Array.of(7, 8), Uint16Array.of(0, 0), Uint8Array.of(0, 1), Uint8Array.of(1, 1), Uint8Array.of(1, 0), 1);
    expect(Array.from(direct.usable)).toEqual([8]);
  });
});

describe("the controller in a run", () => {
  it("250 running pods of a Deployment are 3 slices, every endpoint ready; 3 slice writes", () => {
    const run = runOf(webScenario({ replicas: 250, nodes: 5 }));
    run.advance(30 * S);
    const s = run.services!;
    const v = s.store.version(0);
    expect(v.pods.length).toBe(250);
    expect(v.sliceCount).toBe(3);
    expect(v.readyCount).toBe(250);
    // Every pod of the Deployment, none twice.
    expect(new Set(v.pods).size).toBe(250);
    for (const p of v.pods) expect(run.cluster.pods.phase[p]).toBe(PodPhase.Running);
  });

  it("a Service in another namespace or with another selector gets no endpoint; one without selector gets no slice", () => {
    const other = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } };
    const wrong = { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "shop" }, spec: { selector: { app: "api" }, ports: [{ port: 80 }] } };
    const manual = { apiVersion: "v1", kind: "Service", metadata: { name: "ext", namespace: "shop" }, spec: { ports: [{ port: 80 }] } };
    const run = runOf(webScenario({ workloads: [other, wrong, manual] }));
    run.advance(30 * S);
    const st = run.services!.store;
    expect([0, 1, 2, 3].map((i) => [st.version(i).pods.length, st.version(i).sliceCount])).toEqual([
      [8, 1],
      [0, 1],
      [0, 1],
      [0, 0],
    ]);
  });

  it("a deleted pod stays as a terminating endpoint (ready false, serving true) until its kubelet confirms, then leaves", () => {
    const run = runOf(webScenario({ replicas: 2, nodes: 2 }));
    run.advance(30 * S);
    const st = run.services!.store;
    const pod = st.version(0).pods[0];
    run.cluster.deletePod(pod, run.cluster.outcomes.id(OUTCOME_DELETED));
    run.advance(31 * S);
    const v = st.version(0);
    const i = Array.from(v.pods).indexOf(pod);
    expect([v.ready[i], v.serving[i], v.terminating[i]]).toEqual([0, 1, 1]);
    // Its kubelet stops it after the 30 s grace period: gone from the slices.
    run.advance(62 * S);
    expect(Array.from(st.version(0).pods)).not.toContain(pod);
  });

  it("publishNotReadyAddresses: a pod marked not ready stays a ready endpoint (serving false)", () => {
    const run = runOf(webScenario({ replicas: 2, nodes: 2, service: { publishNotReadyAddresses: true } }));
    run.advance(30 * S);
    const st = run.services!.store;
    const pod = st.version(0).pods[0];
    run.cluster.setPodReady(pod, false);
    run.advance(31 * S);
    const v = st.version(0);
    const i = Array.from(v.pods).indexOf(pod);
    expect([v.ready[i], v.serving[i], v.terminating[i]]).toEqual([1, 0, 0]);
    expect(v.readyCount).toBe(2);
  });

  it("each slice write is a request through the controller's client: 5 ms each without a control plane", () => {
    const run = runOf(webScenario({ replicas: 1, nodes: 1 }));
    // The Service's placeholder is created at 0 + 5 ms; the pod runs at ~1 s (bind + 1 s start): one update 5 ms later.
    run.advance(0.004 * S);
    expect(run.services!.store.version(0).sliceCount).toBe(0);
    run.advance(0.005 * S);
    expect(run.services!.store.version(0).sliceCount).toBe(1);
    run.advance(30 * S);
    expect(run.services!.store.writes[0]).toBe(2);
  });
});

describe("leader election and Services created later", () => {
  it("no slice write while no kube-controller-manager instance leads; the new leader resyncs", () => {
    const sim = new Simulation(1);
    const t = template(100, 1e6, { namespace: "shop", labels: { app: "web" } });
    const cluster = new ClusterState(sim, [node("a", 4000, 8e9)], [t]);
    let leader = 0;
    const listeners: (() => void)[] = [];
    // A stand-in for kube-controller-manager's leader election: who leads, and its listeners.
    const lease = { leader: () => leader, listeners } as unknown as LeaderElection;
    const client = new ControllerClient(sim, new FixedLatencyApi(sim, 5000), lease, "endpointslice-controller");
    const store = new EndpointSliceStore([{ name: "web", namespace: "shop", selector: { app: "web" }, publishNotReadyAddresses: false, startUs: 0 }]);
    const c = new EndpointSliceController(sim, cluster, client, store, [t]);
    c.start();
    const pod = cluster.createPod("p", "shop", 0, -1, -1);
    cluster.bind(pod, 0);
    cluster.podRunning(pod);
    sim.run(1 * S);
    expect(store.version(0).readyCount).toBe(1);
    // Nobody leads: the pod's Ready change is not written.
    leader = -1;
    for (const l of listeners) l();
    cluster.setPodReady(pod, false);
    sim.run(10 * S);
    expect(store.version(0).readyCount).toBe(1);
    // A new leader: its informers list everything, the Service syncs, 5 ms later the slice is stored.
    sim.run(20 * S);
    leader = 1;
    for (const l of listeners) l();
    sim.run(20 * S + 4999);
    expect(store.version(0).readyCount).toBe(1);
    sim.run(20 * S + 5000);
    expect(store.version(0).readyCount).toBe(0);
  });

  it("a Service applied at 2 min has no slice before, all its endpoints after", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "late", namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } };
    const run = runOf(webScenario({ extra: { actions: [{ at: "2m", type: "apply", workloads: [svc] }] } }));
    run.advance(119.9 * S);
    const st = run.services!.store;
    expect(st.version(1).sliceCount).toBe(0);
    run.advance(120.005 * S);
    expect(st.version(1).readyCount).toBe(8);
    expect(run.cluster.events.rows.find((e) => e.kind === "Apply")!.message).toContain("Service/late");
  });
});
