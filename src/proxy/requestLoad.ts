/**
 * Request load on Services: clients on the nodes send requests to a Service's ClusterIP;
 * the client node's kube-proxy rules pick the endpoint (endpointPicker.ts).
 *
 * Arrivals: a Poisson process per load (stream "requests.<namespace>/<service>"), its rate
 * a constant, steps over time ({at, rate}) or a daily curve (engine/rateCurve.ts, drawn by
 * thinning); each request comes from a node drawn
 * uniformly among the nodes whose machine runs (stream "requests.<namespace>/<service>.client";
 * a node cut off from the control plane still sends).
 *
 * A load `viaLoadBalancer` has its clients outside the cluster: each request goes to the
 * Service's cloud load balancer, which picks a backend node (LoadBalancerIngress; the
 * same stream ".client"), and enters the cluster there: that node's kube-proxy rules pick
 * the endpoint (externalTrafficPolicy Cluster: on any node). It fails at once with
 *   no-load-balancer        the Service has no load balancer address yet, or no backend;
 *   lb-backend-unreachable  the chosen backend's machine is down or cut off (the load
 *                           balancer's health checks have not caught up yet);
 * and in flight with lb-backend-unreachable when the backend goes down or is cut off;
 * otherwise as below, with the backend node as the client node.
 *
 * A request fails at once, with the first reason that applies, in this order:
 *   no-endpoints      the client node's rules for the Service are empty (or none yet);
 *   endpoint-gone     the chosen endpoint's pod has ended (its object is gone or terminal);
 *   node-unreachable  the pod's node crashed, or it is cut off by a partition from the
 *                     client's node: kubesim treats a node cut off from the control plane
 *                     as cut off from every other node too, but a request from the node to
 *                     itself goes through;
 *   not-serving       the app does not answer (`serving(pod)`: by default its containers
 *                     run and it has no deletionTimestamp: kubesim assumes the app stops
 *                     accepting at SIGTERM);
 *   overloaded        the pod already holds `concurrencyPerPod` requests.
 * Otherwise it holds one of the pod's concurrency slots for its service time, drawn per
 * request. When the service time is over it is served, unless meanwhile its pod ended
 * (endpoint-gone) or its pod's node crashed or was cut off from the client, or the
 * client's machine crashed (node-unreachable): a request in flight fails when it would
 * have finished (the client notices at its timeout at the earliest; kubesim counts it
 * then). A pod that gets a deletionTimestamp finishes what it holds (graceful shutdown).
 * Every request is counted once: sent = served + failed + in flight. For IPVS lc every
 * attempt is a connection entry: active while served, inactive for 2 min after it closed
 * or failed (endpointPicker.ts).
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { nextEventUs, type RateCurve } from "../engine/rateCurve.js";
import { US_PER_MS, US_PER_S, type Simulation } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase } from "../model/podTable.js";
import { LatencyHistogram, SUB_BUCKET_BITS_3_DIGITS } from "../metrics/latencyHistogram.js";
import { IPVS_INACTIVE_US, type EndpointPicker } from "./endpointPicker.js";
import type { KubeProxies, NodeMachines } from "./kubeProxy.js";

/** Why a request failed; the last two only for requests through a load balancer (their columns appear only then). */
export const FAILURE_REASONS = ["no-endpoints", "endpoint-gone", "not-serving", "node-unreachable", "overloaded", "no-load-balancer", "lb-backend-unreachable"] as const;
/** How many of FAILURE_REASONS apply to requests sent to the cluster IP. */
export const CLUSTER_IP_FAILURE_REASONS = 5;
export type FailureReason = (typeof FAILURE_REASONS)[number];
export const NO_ENDPOINTS = 0;
export const ENDPOINT_GONE = 1;
export const NOT_SERVING = 2;
export const NODE_UNREACHABLE = 3;
export const OVERLOADED = 4;
export const NO_LOAD_BALANCER = 5;
export const LB_BACKEND_UNREACHABLE = 6;

/** The Services' cloud load balancers, as requests through them see them (cloud/loadBalancers.ts). */
export interface LoadBalancerIngress {
  /** The backend node for one request to the Service's load balancer; negative: it has no address or no backend. */
  pickBackend(service: number, stream: RandomStream): number;
}

export interface RateStep {
  atUs: number;
  /** Requests per second from then on (0: none). */
  ratePerS: number;
}

export interface RequestLoadSpec {
  /** The Service's index (ClusterSpec.services). */
  service: number;
  /** Clients outside the cluster, through the Service's cloud load balancer (type LoadBalancer). */
  viaLoadBalancer?: boolean;
  /** Rate steps, by time; the first at 0. */
  steps: RateStep[];
  /** A rate that changes continuously (a daily curve), drawn by thinning; `steps` then holds one placeholder step at 0. */
  curve?: RateCurve;
  /** Service time of one request, in seconds. */
  serviceTime: DistributionSpec;
  /** Requests one pod serves at a time. */
  concurrencyPerPod: number;
}

/** Counts of one Service: over the run, and since the last sample. */
export class ServiceRequestCounts {
  sent = 0;
  served = 0;
  readonly failed = new Float64Array(FAILURE_REASONS.length);
  inFlight = 0;
  /** Latencies (ms) of the requests served since the last sample. */
  latenciesMs: number[] = [];
}

export class RequestLoads {
  readonly total: ServiceRequestCounts[];
  readonly interval: ServiceRequestCounts[];
  /** Per Service: served requests' latencies over the run (3 significant digits), for the summary's percentiles. */
  readonly latency: LatencyHistogram[];
  private readonly serviceTime: Distribution[];
  private readonly arrivalStream: RandomStream[];
  private readonly clientStream: RandomStream[];
  private readonly serviceTimeStream: RandomStream[];
  private readonly stepIndex: Int32Array;
  /** Nodes whose machine runs (clients), rebuilt when a node's machine changes. */
  private clients: number[] = [];
  /** Per pod: requests it holds. */
  private podInFlight = new Int32Array(0);
  // Requests in flight: slots in typed columns, free slots on a stack.
  private reqPod = new Int32Array(64);
  private reqClient = new Int32Array(64);
  private reqLoad = new Int32Array(64);
  private reqStartUs = new Float64Array(64);
  private free: number[] = [];
  private used = 0;
  /** Called for each served request with its pod and client node (invariant checks in tests). */
  onServed: ((pod: number, client: number) => void) | undefined;
  /** The Services' cloud load balancers (set by the run when the cloud-controller-manager runs). */
  ingress: LoadBalancerIngress | undefined;
  private readonly arriveId: number;
  private readonly stepId: number;
  private readonly doneId: number;
  private readonly inactiveId: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly proxies: KubeProxies,
    private readonly picker: EndpointPicker,
    private readonly machines: NodeMachines,
    private readonly loads: readonly RequestLoadSpec[],
    serviceNames: readonly string[],
    /** Does the pod's app answer now? */
    private readonly serving: (pod: number) => boolean,
  ) {
    this.total = serviceNames.map(() => new ServiceRequestCounts());
    this.interval = serviceNames.map(() => new ServiceRequestCounts());
    this.latency = serviceNames.map(() => new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS));
    this.serviceTime = loads.map((l) => distribution(l.serviceTime));
    const name = (l: RequestLoadSpec, k: number) => `requests.${serviceNames[l.service]}${loads.findIndex((x) => x.service === l.service) === k ? "" : `#${k}`}`;
    this.arrivalStream = loads.map((l, k) => sim.rng.stream(name(l, k)));
    this.clientStream = loads.map((l, k) => sim.rng.stream(`${name(l, k)}.client`));
    this.serviceTimeStream = loads.map((l, k) => sim.rng.stream(`${name(l, k)}.serviceTime`));
    this.stepIndex = new Int32Array(loads.length);
    this.arriveId = sim.on("requests.arrive", (k) => this.arrive(k));
    this.stepId = sim.on("requests.rateStep", (k, i) => this.rateStep(k, i));
    this.doneId = sim.on("requests.done", (slot) => this.done(slot));
    this.inactiveId = sim.on("requests.ipvsInactiveExpired", (node, pod) => picker.inactiveExpired(node, pod));
  }

  start(): void {
    this.nodesChanged();
    this.loads.forEach((l, k) => l.steps.forEach((s, i) => this.sim.scheduleAt(s.atUs, this.stepId, k, i)));
  }

  /** A node's machine went down or came up: the client list follows. */
  nodesChanged(): void {
    this.clients = [];
    for (let n = 0; n < this.machines.count; n++) if (!this.machines.crashed(n)) this.clients.push(n);
  }

  /** A new rate from now: the next arrival is drawn again (a Poisson process is memoryless). */
  private rateStep(k: number, i: number): void {
    this.stepIndex[k] = i;
    this.scheduleNext(k);
  }

  private scheduleNext(k: number): void {
    const curve = this.loads[k].curve;
    if (curve) {
      // No end: an arrival after the end of the run is never dispatched.
      const t = nextEventUs(curve, this.arrivalStream[k], this.sim.now, Infinity);
      if (t >= 0) this.sim.scheduleAt(t, this.arriveId, k);
      return;
    }
    const step = this.stepIndex[k];
    const rate = this.loads[k].steps[step].ratePerS;
    if (rate <= 0) return;
    const gapUs = this.arrivalStream[k].exponential(US_PER_S / rate);
    // Arrivals are tagged with their step: one scheduled after a newer step began is dropped.
    this.sim.schedule(gapUs, this.arriveId, k + this.loads.length * step);
  }

  private arrive(tag: number): void {
    const k = tag % this.loads.length;
    const step = (tag - k) / this.loads.length;
    if (step !== this.stepIndex[k]) return; // superseded by a rate step
    this.scheduleNext(k);
    this.send(k);
  }

  /** One request of load k, now. */
  send(k: number): void {
    const load = this.loads[k];
    const svc = load.service;
    // The node the request enters the cluster on: the client's own, or the load balancer's backend.
    let client: number;
    if (load.viaLoadBalancer) {
      this.total[svc].sent++;
      this.interval[svc].sent++;
      client = this.ingress ? this.ingress.pickBackend(svc, this.clientStream[k]) : -1;
      if (client < 0) return this.fail(svc, NO_LOAD_BALANCER);
      if (this.machines.crashed(client) || this.machines.cutOff(client)) return this.fail(svc, LB_BACKEND_UNREACHABLE);
    } else {
      if (this.clients.length === 0) return; // no machine runs: nobody sends
      client = this.clients[this.clientStream[k].int(this.clients.length)];
      this.total[svc].sent++;
      this.interval[svc].sent++;
    }
    const rules = this.proxies.rules(client, svc);
    if (rules === undefined || rules.usable.length === 0) return this.fail(svc, NO_ENDPOINTS);
    const pod = this.picker.pick(client, svc, rules.usable);
    const pods = this.cluster.pods;
    this.ensurePod(pod);
    let reason = -1;
    if (pods.phase[pod] >= PodPhase.Succeeded) reason = ENDPOINT_GONE;
    else if (!this.reachable(client, pods.node[pod])) reason = NODE_UNREACHABLE;
    else if (!this.serving(pod)) reason = NOT_SERVING;
    else if (this.podInFlight[pod] >= load.concurrencyPerPod) reason = OVERLOADED;
    if (reason >= 0) {
      // IPVS still made a connection entry for the attempt: it counts as inactive (lc).
      this.picker.connection(client, pod, 1);
      this.closed(client, pod);
      return this.fail(svc, reason);
    }
    this.podInFlight[pod]++;
    this.picker.connection(client, pod, 1);
    const slot = this.slot();
    this.reqPod[slot] = pod;
    this.reqClient[slot] = client;
    this.reqLoad[slot] = k;
    this.reqStartUs[slot] = this.sim.now;
    this.total[svc].inFlight++;
    this.sim.schedule(this.serviceTime[k].sample(this.serviceTimeStream[k]) * US_PER_S, this.doneId, slot);
  }

  /** Can `client` reach a pod on `node`? */
  private reachable(client: number, node: number): boolean {
    const m = this.machines;
    if (m.crashed(node) || m.crashed(client)) return false;
    return client === node || (!m.cutOff(node) && !m.cutOff(client));
  }

  private done(slot: number): void {
    const pod = this.reqPod[slot];
    const client = this.reqClient[slot];
    const svc = this.loads[this.reqLoad[slot]].service;
    this.podInFlight[pod]--;
    this.closed(client, pod);
    this.total[svc].inFlight--;
    this.free.push(slot);
    const pods = this.cluster.pods;
    if (pods.phase[pod] >= PodPhase.Succeeded) return this.fail(svc, ENDPOINT_GONE);
    if (this.loads[this.reqLoad[slot]].viaLoadBalancer && (this.machines.crashed(client) || this.machines.cutOff(client))) return this.fail(svc, LB_BACKEND_UNREACHABLE);
    if (!this.reachable(client, pods.node[pod])) return this.fail(svc, NODE_UNREACHABLE);
    this.onServed?.(pod, client);
    const latencyUs = this.sim.now - this.reqStartUs[slot];
    this.total[svc].served++;
    this.interval[svc].served++;
    this.interval[svc].latenciesMs.push(latencyUs / US_PER_MS);
    this.latency[svc].record(latencyUs);
  }

  /** A connection from `client` to `pod` closed: IPVS keeps it as inactive for a while (lc). */
  private closed(client: number, pod: number): void {
    this.picker.connection(client, pod, -1);
    if (this.picker.tracksConnections) this.sim.schedule(IPVS_INACTIVE_US, this.inactiveId, client, pod);
  }

  private fail(svc: number, reason: number): void {
    this.total[svc].failed[reason]++;
    this.interval[svc].failed[reason]++;
  }

  private slot(): number {
    if (this.free.length > 0) return this.free.pop()!;
    const s = this.used++;
    if (s >= this.reqPod.length) {
      const n = this.reqPod.length * 2;
      this.reqPod = grown(this.reqPod, n);
      this.reqClient = grown(this.reqClient, n);
      this.reqLoad = grown(this.reqLoad, n);
      this.reqStartUs = grown(this.reqStartUs, n);
    }
    return s;
  }

  private ensurePod(pod: number): void {
    if (pod < this.podInFlight.length) return;
    this.podInFlight = grown(this.podInFlight, nextCapacity(this.podInFlight.length, pod + 1));
  }

  /** Requests the pod holds now. */
  inFlightOn(pod: number): number {
    return pod < this.podInFlight.length ? this.podInFlight[pod] : 0;
  }

  /** Start a new interval (after a sample read the old one). */
  resetInterval(): void {
    for (const c of this.interval) {
      c.sent = 0;
      c.served = 0;
      c.failed.fill(0);
      c.latenciesMs = [];
    }
  }
}

/** Nearest-rank q-quantile of values (sorted in place); null when empty. */
export function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.max(1, Math.ceil(q * values.length)) - 1];
}
