/** A control plane on the fake etcd, for unit tests: n API servers on n hosts. */
import { Simulation } from "../../src/engine/simulation.js";
import { DEFAULT_KUBE_API, KubeApi, type KubeApiConfig } from "../../src/apiserver/kubeApi.js";
import { ControlPlaneMetrics } from "../../src/apiserver/metrics.js";
import { HostStates, buildTopology } from "../../src/infra/topology.js";
import { FakeEtcd } from "../apiserver/fakeEtcd.js";

export function fakeControlPlane(servers: number, seed = 1, config: Partial<KubeApiConfig> = {}, etcdOpts = {}) {
  const sim = new Simulation(seed);
  const topology = buildTopology({ kind: servers === 1 ? "single-control-plane" : "stacked", controlPlaneHosts: servers, etcdHosts: 0, zones: ["a", "b", "c"], regions: [] });
  const hosts = new HostStates(topology);
  const etcd = new FakeEtcd(sim, topology.etcdHosts, etcdOpts);
  const metrics = new ControlPlaneMetrics();
  const api = new KubeApi(sim, topology, hosts, etcd, metrics, { ...DEFAULT_KUBE_API, ...config });
  return { sim, topology, hosts, etcd, metrics, api };
}

/** Collects (token, status, time) of answers. */
export function answers(sim: Simulation) {
  const got: { token: number; status: number; atUs: number }[] = [];
  const handler = sim.on("test.answer", (token, status) => got.push({ token, status, atUs: sim.now }));
  return { got, handler };
}
