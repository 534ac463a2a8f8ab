/**
 * Services in a run (issue 11): the EndpointSlices the API server holds, the
 * EndpointSlice controller writing them, kube-proxy on every node, the request load, and
 * their output: services.csv (one row per sample and Service) and summary rows per
 * Service. Wired only when the scenario has Services, so other runs do not change.
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { EndpointSliceStore, type ServiceSpec } from "../apiserver/endpointSlices.js";
import { EndpointSliceController } from "../controllers/endpointSlice/endpointSliceController.js";
import type { ControllerClient } from "../controllers/controllerClient.js";
import { EndpointPicker } from "../proxy/endpointPicker.js";
import { DEFAULT_KUBE_PROXY, KubeProxies, type KubeProxySpec, type NodeMachines } from "../proxy/kubeProxy.js";
import { CLUSTER_IP_FAILURE_REASONS, FAILURE_REASONS, RequestLoads, nearestRank, type RequestLoadSpec } from "../proxy/requestLoad.js";
import type { Cell, Table } from "../metrics/tables.js";
import type { SummaryRow } from "../metrics/summary.js";
import { US_PER_MS, US_PER_S } from "../engine/simulation.js";
import type { PodTemplate } from "../model/podTemplate.js";

/** services.csv's columns; the load balancer's failure reasons only when some load goes through one. */
export function servicesColumns(reasons: number): string[] {
  return [
    "sim_time_s",
    "service",
    "requests_sent",
    "requests_served",
    ...FAILURE_REASONS.slice(0, reasons).map((r) => `failed_${r.replace(/-/g, "_")}`),
    "latency_p50_ms",
    "latency_p99_ms",
    "ready_endpoints",
    "endpoint_slices",
  ];
}

export const SERVICES_COLUMNS = servicesColumns(CLUSTER_IP_FAILURE_REASONS);

export interface ServicesParts {
  sim: Simulation;
  cluster: ClusterState;
  templates: readonly PodTemplate[];
  services: readonly ServiceSpec[];
  kubeProxy: KubeProxySpec | undefined;
  loads: readonly RequestLoadSpec[];
  /** The EndpointSlice controller's client (kube-controller-manager, leader-elected). */
  client: ControllerClient;
  machines: NodeMachines;
  /** Does the pod's app answer now? */
  serving: (pod: number) => boolean;
  sampleIntervalUs: number;
  durationUs: number;
}

export class ServicesRun {
  readonly store: EndpointSliceStore;
  readonly controller: EndpointSliceController;
  readonly proxies: KubeProxies;
  readonly picker: EndpointPicker;
  readonly requests: RequestLoads;
  private readonly rows: Cell[][] = [];
  private readonly sampleId: number;
  private readonly names: string[];
  /** Failure reasons in the output: the load balancer's only when some load goes through one. */
  private readonly reasons: number;

  constructor(private readonly p: ServicesParts) {
    const { sim, services } = p;
    this.reasons = p.loads.some((l) => l.viaLoadBalancer) ? FAILURE_REASONS.length : CLUSTER_IP_FAILURE_REASONS;
    this.names = services.map((s) => `${s.namespace}/${s.name}`);
    this.store = new EndpointSliceStore(services);
    this.controller = new EndpointSliceController(sim, p.cluster, p.client, this.store, p.templates);
    const spec = p.kubeProxy ?? DEFAULT_KUBE_PROXY;
    this.proxies = new KubeProxies(sim, this.store, p.machines, spec);
    const streams = this.names.map((n) => sim.rng.stream(`proxy.${n}`));
    this.picker = new EndpointPicker(spec.mode, spec.ipvsScheduler, p.machines.count, services.length, streams);
    this.requests = new RequestLoads(sim, p.cluster, this.proxies, this.picker, p.machines, p.loads, this.names, p.serving);
    this.sampleId = sim.on("services.sample", () => this.sample());
  }

  start(): void {
    this.controller.start();
    this.proxies.start();
    this.requests.start();
    this.p.sim.scheduleAt(0, this.sampleId);
  }

  /** A node's machine or connection changed. */
  nodeChanged(node: number): void {
    this.proxies.nodeChanged(node);
    this.requests.nodesChanged();
  }

  private sample(): void {
    const { sim } = this.p;
    this.p.services.forEach((_, s) => {
      const c = this.requests.interval[s];
      const v = this.store.version(s);
      const p50 = nearestRank(c.latenciesMs, 0.5);
      const p99 = nearestRank(c.latenciesMs, 0.99);
      this.rows.push([sim.now / US_PER_S, this.names[s], c.sent, c.served, ...Array.from(c.failed.subarray(0, this.reasons)), p50, p99, v.readyCount, v.sliceCount]);
    });
    this.requests.resetInterval();
    const next = sim.now + this.p.sampleIntervalUs;
    if (next <= this.p.durationUs) sim.scheduleAt(next, this.sampleId);
  }

  finish(): { tables: Table[]; summary: SummaryRow[] } {
    const summary: SummaryRow[] = [];
    this.p.services.forEach((_, s) => {
      const t = this.requests.total[s];
      const h = this.requests.latency[s];
      const failed = t.failed.reduce((a, b) => a + b, 0);
      const tag = `{service=${this.names[s]}}`;
      const ms = (us: number) => (h.count === 0 ? -1 : us / US_PER_MS);
      summary.push(
        { metric: `service_requests_sent${tag}`, value: t.sent },
        { metric: `service_requests_served${tag}`, value: t.served },
        { metric: `service_requests_failed${tag}`, value: failed },
        ...FAILURE_REASONS.slice(0, this.reasons).map((r, i) => ({ metric: `service_requests_failed_${r.replace(/-/g, "_")}${tag}`, value: t.failed[i] })),
        { metric: `service_requests_in_flight_at_end${tag}`, value: t.inFlight },
        { metric: `service_failure_ratio${tag}`, value: t.sent === 0 ? 0 : failed / t.sent },
        { metric: `service_latency_p50_ms${tag}`, value: ms(h.quantileUs(0.5)) },
        { metric: `service_latency_p99_ms${tag}`, value: ms(h.quantileUs(0.99)) },
        { metric: `service_endpoint_slice_writes${tag}`, value: this.store.writes[s] },
      );
    });
    summary.push({ metric: "kube_proxy_syncs", value: this.proxies.syncs }, { metric: "endpointslice_writes_failed", value: this.controller.writesFailed });
    return { tables: [{ file: "services.csv", columns: servicesColumns(this.reasons), rows: this.rows, decimals: 3 }], summary };
  }
}
