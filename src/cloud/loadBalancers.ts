/**
 * The cloud's load balancers for Services of type LoadBalancer: what the service
 * controller's EnsureLoadBalancer / UpdateLoadBalancer calls create and change, and what
 * clients outside the cluster send through.
 *
 * - Create: EnsureLoadBalancer for a Service without one starts provisioning; the load
 *   balancer exists `provisioningDelay` later with the backend set the call named (one
 *   draw per create from stream "cloud.loadBalancers"). For one that exists,
 *   EnsureLoadBalancer and UpdateLoadBalancer replace its backend set `updateDelay` later.
 * - Address: clients learn it from the Service's status.loadBalancer.ingress, so traffic
 *   flows only once the controller has written the status (`publish`).
 * - Health checks: every backend node is checked every `healthCheckInterval`, the first
 *   check when it becomes a backend; it takes traffic after `healthyThreshold` passes in a
 *   row and stops after `unhealthyThreshold` failures in a row. With externalTrafficPolicy
 *   Cluster the check is answered by the node's kube-proxy: it passes while the node's
 *   machine runs and is reachable, and the Node is not marked for deletion by the Cluster
 *   Autoscaler (kube-proxy's /healthz fails then, so traffic drains before the machine goes). kubesim treats a node cut off from the control plane as
 *   cut off from the load balancer too (as from every other node). A node's checks are
 *   shared by every load balancer it backs (one phase per node).
 * - Choice: each request goes to a backend drawn uniformly among the healthy ones; when
 *   none is healthy it goes to any unhealthy one (fail open, as AWS NLB and GCP passthrough
 *   load balancers do: recalled, not verified here). A new backend still in its first
 *   checks takes no traffic. No backend to send to: the request fails.
 */
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { LoadBalancerCloudSpec } from "./spec.js";

/** What the health check needs of a node's machine. */
export interface BackendMachines {
  crashed(node: number): boolean;
  cutOff(node: number): boolean;
  /** The Node carries ToBeDeletedByClusterAutoscaler: its kube-proxy's /healthz fails (KEP-3836, since 1.28). */
  toBeDeleted(node: number): boolean;
}

const enum LbState {
  None = 0,
  Provisioning = 1,
  Active = 2,
}

const enum Health {
  /** A new backend, not yet through healthyThreshold checks. */
  Initial = 0,
  Healthy = 1,
  Unhealthy = 2,
}

/** pickBackend's answer when the Service has no address yet or no backend to send to. */
export const NO_LOAD_BALANCER = -1;

export class CloudLoadBalancers {
  /** Load balancers created. */
  created = 0;
  private readonly state: Uint8Array;
  private readonly published: Uint8Array;
  private readonly backends: Int32Array[];
  /** Per Service: the backends requests go to (healthy ones, else unhealthy ones), rebuilt when a health or a backend set changed. */
  private readonly targetsOf: (Int32Array | undefined)[];
  /** Per node: how many load balancers it backs, its health and the run of equal results. */
  private readonly memberOf: Int32Array;
  private readonly health: Uint8Array;
  private readonly streak: Int32Array;
  private readonly probing: Uint8Array;
  private readonly provisioning: Distribution;
  private readonly stream: RandomStream;
  private readonly hCreated: number;
  private readonly hUpdated: number;
  private readonly hProbe: number;
  /** Pending backend sets of calls in flight, by call token. */
  private readonly pending = new Map<number, { service: number; hosts: Int32Array; done: number }>();
  private nextToken = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: LoadBalancerCloudSpec,
    serviceCount: number,
    nodeCount: number,
    private readonly machines: BackendMachines,
  ) {
    this.state = new Uint8Array(serviceCount);
    this.published = new Uint8Array(serviceCount);
    this.backends = Array.from({ length: serviceCount }, () => new Int32Array(0));
    this.targetsOf = new Array(serviceCount).fill(undefined);
    this.memberOf = new Int32Array(nodeCount);
    this.health = new Uint8Array(nodeCount);
    this.streak = new Int32Array(nodeCount);
    this.probing = new Uint8Array(nodeCount);
    this.provisioning = distribution(spec.provisioningDelay);
    this.stream = sim.rng.stream("cloud.loadBalancers");
    this.hCreated = sim.on("cloud.loadBalancer.created", (token) => this.applied(token));
    this.hUpdated = sim.on("cloud.loadBalancer.updated", (token) => this.applied(token));
    this.hProbe = sim.on("cloud.loadBalancer.healthCheck", (node) => this.probe(node));
  }

  exists(service: number): boolean {
    return this.state[service] === LbState.Active;
  }

  /**
   * EnsureLoadBalancer: create the Service's load balancer with these backends, or set the
   * backends of the one it has. `done` (a handler) gets the Service when the call returns.
   */
  ensure(service: number, hosts: Int32Array, done: number): void {
    if (this.state[service] === LbState.None) {
      this.state[service] = LbState.Provisioning;
      const token = this.call(service, hosts, done);
      this.sim.schedule(this.provisioning.sample(this.stream) * US_PER_S, this.hCreated, token);
      return;
    }
    this.update(service, hosts, done);
  }

  /** UpdateLoadBalancer: the load balancer's backends become `hosts` after the update delay. */
  update(service: number, hosts: Int32Array, done: number): void {
    this.sim.schedule(this.spec.updateDelayUs, this.hUpdated, this.call(service, hosts, done));
  }

  /** The Service's status carries the load balancer's address: clients send to it from now. */
  publish(service: number): void {
    this.published[service] = 1;
  }

  /** The backend node for one request to the Service's load balancer, or NO_LOAD_BALANCER. */
  pickBackend(service: number, stream: RandomStream): number {
    if (this.published[service] === 0 || this.state[service] !== LbState.Active) return NO_LOAD_BALANCER;
    const all = this.backends[service];
    let targets = this.targetsOf[service];
    if (targets === undefined) {
      targets = all.filter((n) => this.health[n] === Health.Healthy);
      if (targets.length === 0) targets = all.filter((n) => this.health[n] === Health.Unhealthy); // fail open
      this.targetsOf[service] = targets;
    }
    return targets.length === 0 ? NO_LOAD_BALANCER : targets[stream.int(targets.length)];
  }

  /** The backends of the Service's load balancer now (tests, summary). */
  backendsOf(service: number): Int32Array {
    return this.backends[service];
  }

  /** How many of the Service's backends are healthy now. */
  healthyCount(service: number): number {
    let n = 0;
    for (const node of this.backends[service]) if (this.health[node] === Health.Healthy) n++;
    return n;
  }

  private call(service: number, hosts: Int32Array, done: number): number {
    const token = this.nextToken++;
    this.pending.set(token, { service, hosts, done });
    return token;
  }

  private applied(token: number): void {
    const call = this.pending.get(token)!;
    this.pending.delete(token);
    const s = call.service;
    if (this.state[s] !== LbState.Active) {
      this.state[s] = LbState.Active;
      this.created++;
    }
    for (const n of this.backends[s]) this.memberOf[n]--;
    this.backends[s] = call.hosts;
    for (const n of call.hosts) {
      if (this.memberOf[n]++ === 0 && this.probing[n] === 0) {
        // A new target: unhealthy until it passes; its first check now.
        this.probing[n] = 1;
        this.health[n] = Health.Initial;
        this.streak[n] = 0;
        this.sim.schedule(0, this.hProbe, n);
      }
    }
    this.targetsOf[s] = undefined;
    this.sim.schedule(0, call.done, s);
  }

  private probe(node: number): void {
    if (this.memberOf[node] === 0) {
      this.probing[node] = 0; // no longer a backend: checks stop
      return;
    }
    const m = this.machines;
    const pass = !m.crashed(node) && !m.cutOff(node) && !m.toBeDeleted(node);
    const h = this.health[node];
    // A run of results against the current state (a new backend's: either way).
    const against = pass ? h !== Health.Healthy : h !== Health.Unhealthy;
    if (!against) this.streak[node] = 0;
    else if (++this.streak[node] >= (pass ? this.spec.healthyThreshold : this.spec.unhealthyThreshold)) {
      this.health[node] = pass ? Health.Healthy : Health.Unhealthy;
      this.streak[node] = 0;
      this.targetsOf.fill(undefined);
    }
    this.sim.schedule(this.spec.healthCheckIntervalUs, this.hProbe, node);
  }
}
