/**
 * kube-proxy's rule syncs against upstream's BoundedFrequencyRunner (pkg/proxy/runner,
 * v1.33+): a change syncs at once if minSyncPeriod (1 s) has passed since the last sync,
 * else at lastSync + minSyncPeriod, changes in between coalesced into that one sync; with
 * no change a sync still runs every FullSyncPeriod (1 h). A kube-proxy sees a stored
 * slice change after the watch delay (100 ms), not while its node is cut off (it keeps its
 * rules); a crashed node has no rules. Times below are computed by hand from those rules.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/engine/simulation.js";
import { EndpointSliceStore, endpointVersion, type EndpointVersion, type ServiceSpec } from "../../src/apiserver/endpointSlices.js";
import { DEFAULT_KUBE_PROXY, FULL_SYNC_PERIOD_US, KubeProxies } from "../../src/proxy/kubeProxy.js";

const S = 1e6;
const svc: ServiceSpec = { name: "web", namespace: "shop", selector: { app: "web" }, publishNotReadyAddresses: false, startUs: 0 };

function version(pods: number[]): EndpointVersion {
  const n = pods.length;
  return endpointVersion(Int32Array.from(pods), new Uint16Array(n), new Uint8Array(n).fill(1), new Uint8Array(n).fill(1), new Uint8Array(n), 1);
}

function harness(nodes = 3) {
  const sim = new Simulation(1);
  const store = new EndpointSliceStore([svc]);
  const crashed = new Uint8Array(nodes);
  const cut = new Uint8Array(nodes);
  const machines = { count: nodes, crashed: (n: number) => crashed[n] === 1, cutOff: (n: number) => cut[n] === 1 };
  const proxies = new KubeProxies(sim, store, machines, DEFAULT_KUBE_PROXY);
  proxies.start();
  const publishId = sim.on("test.publish", (k) => store.publish(0, versions[k], 1));
  const versions: EndpointVersion[] = [];
  /** Publish `pods` as the Service's slices at `atS`. */
  const publishAt = (atS: number, pods: number[]) => {
    versions.push(version(pods));
    sim.scheduleAt(atS * S, publishId, versions.length - 1);
  };
  const rules = (node: number) => {
    const r = proxies.rules(node, 0);
    return r === undefined ? undefined : Array.from(r.usable);
  };
  return { sim, proxies, publishAt, rules, crashed, cut };
}

describe("kube-proxy syncs", () => {
  it("the first change syncs 100 ms after the write (watch delay); changes within minSyncPeriod wait for it and coalesce", () => {
    const h = harness();
    // At start every node synced once (t=0, nothing published): empty rules.
    expect(h.rules(0)).toEqual([]);
    h.publishAt(10, [1]); // seen at 10.1: 10 s since the last sync -> at once
    h.publishAt(10.5, [1, 2]); // seen at 10.6: last sync 10.1 -> deferred to 11.1
    h.publishAt(10.8, [1, 2, 3]); // seen at 10.9: coalesced into the 11.1 sync
    h.sim.run(10.1 * S - 1);
    expect(h.rules(0)).toEqual([]);
    h.sim.run(10.1 * S);
    expect(h.rules(0)).toEqual([1]);
    h.sim.run(11.1 * S - 1);
    expect(h.rules(0)).toEqual([1]);
    h.sim.run(11.1 * S);
    expect(h.rules(0)).toEqual([1, 2, 3]);
    // 3 nodes: one sync each at 0, 10.1 and 11.1.
    expect(h.proxies.syncs).toBe(9);
  });

  it("without changes a node syncs again every FullSyncPeriod (the runner's maxInterval), not before", () => {
    const h = harness(1);
    h.sim.run(FULL_SYNC_PERIOD_US - 1);
    expect(h.proxies.syncs).toBe(1);
    h.sim.run(FULL_SYNC_PERIOD_US);
    expect(h.proxies.syncs).toBe(2);
    // A change-driven sync pushes the next periodic one back.
    h.publishAt(FULL_SYNC_PERIOD_US / S + 100, [4]);
    h.sim.run(2 * FULL_SYNC_PERIOD_US);
    expect(h.proxies.syncs).toBe(3);
    h.sim.run(2 * FULL_SYNC_PERIOD_US + 100.1 * S);
    expect(h.proxies.syncs).toBe(4);
  });

  it("a node cut off from the control plane keeps its rules; on reconnect it lists and syncs after the watch delay", () => {
    const h = harness(2);
    h.publishAt(1, [1, 2]);
    h.sim.run(5 * S);
    h.cut[1] = 1;
    h.proxies.nodeChanged(1);
    h.publishAt(10, [2]);
    h.sim.run(20 * S);
    expect(h.rules(0)).toEqual([2]);
    expect(h.rules(1)).toEqual([1, 2]);
    h.cut[1] = 0;
    h.proxies.nodeChanged(1);
    h.sim.run(20.1 * S - 1);
    expect(h.rules(1)).toEqual([1, 2]);
    h.sim.run(20.1 * S);
    expect(h.rules(1)).toEqual([2]);
  });

  it("a crashed node's kube-proxy has no rules; when the machine is back it syncs at once", () => {
    const h = harness(2);
    h.publishAt(1, [1, 2]);
    h.sim.run(5 * S);
    h.crashed[1] = 1;
    h.proxies.nodeChanged(1);
    expect(h.rules(1)).toBeUndefined();
    h.publishAt(10, [2]);
    h.sim.run(30 * S);
    expect(h.rules(1)).toBeUndefined();
    h.crashed[1] = 0;
    h.proxies.nodeChanged(1);
    expect(h.rules(1)).toEqual([2]);
  });
});
