/**
 * The Kubernetes API as its clients see it: load balancer -> kube-apiserver -> etcd.
 * This file is the request path through the API servers and the façade the rest of
 * kubesim uses (send, watch, object); the parts it is built from live beside it:
 *
 *   loadBalancer.ts     HAProxy in front of the API servers (health checks, redispatch)
 *   inflightLimiter.ts  seats: --max-requests-inflight / APF (429 when none is free)
 *   etcdClient.ts       which etcd member a request goes to; failover, keepalive
 *   objectStore.ts      stored objects, revisions, resourceVersion conflicts (409)
 *   watchCache.ts       watch delivery of committed writes
 *   requestTable.ts     requests in flight as typed-array slots
 *
 * A request goes through the load balancer to an API server in its pool. A dead server
 * (host down: the connect times out; process down: refused at once) makes the LB try
 * another one (`retries`, redispatch); when none is left the client sees a failed
 * connection. An API server takes a seat (inflight limit, 429 when none is free),
 * spends its processing time (upstream: the handler chain of k8s.io/apiserver
 * pkg/server/config.go DefaultBuildHandlerChain, then the REST handler), then either
 * answers from its watch cache (reads with resourceVersion="0", e.g. informer LISTs)
 * or makes an etcd round trip: writes are raft proposals, other reads are
 * linearizable (quorum) reads. etcd errors become 500s with etcd's message
 * ("etcdserver: request timed out" after etcd's 7 s request timeout). Committed
 * writes reach watchers after a watch delivery delay.
 *
 * Hot path: a request in flight is a slot in typed arrays; events carry handler ids
 * and (slot, generation), so a stale event (for a request already answered) is
 * dropped and no closure is made per request.
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_MS, type Simulation } from "../engine/simulation.js";
import type { ControlPlaneMetrics } from "./metrics.js";
import type { HostStates, Topology } from "../infra/topology.js";
import { EtcdClient, ETCD_CLIENT_KEEPALIVE_US } from "./etcdClient.js";
import { EtcdOp, EtcdOutcome, type EtcdPort } from "./etcdPort.js";
import { DEFAULT_INFLIGHT_LIMITS, InflightLimiter, type InflightLimits } from "./inflightLimiter.js";
import { DEFAULT_LOAD_BALANCER, LoadBalancer, type LoadBalancerConfig } from "./loadBalancer.js";
import { CONFLICT, ObjectStore, type StoredObject } from "./objectStore.js";
import { FLAG_FROM_CACHE, FLAG_HOLDS_SEAT, Phase, RequestTable, generationOfToken, slotOfToken } from "./requestTable.js";
import { Reason, Resource, Status, Verb, isMutating } from "./verbs.js";
import { WatchCache } from "./watchCache.js";
import type { NamespaceLifecycle } from "./admission/namespaceLifecycle.js";

export { ETCD_CLIENT_KEEPALIVE_US } from "./etcdClient.js";
export type { StoredObject } from "./objectStore.js";

/** Client <-> load balancer <-> API server, one way (ms). [assumption: two same-zone hops] */
export const DEFAULT_CLIENT_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 0.3, p99: 1 };
/**
 * API server work per request besides etcd: authn/authz, admission, conversion,
 * serialisation (ms). [assumption: sub-millisecond to a few ms on a healthy server]
 */
export const DEFAULT_APISERVER_PROCESSING_MS: DistributionSpec = { type: "lognormal", p50: 1, p99: 5 };
/** etcd commit -> event in a watcher's informer (ms): etcd watch + watch cache + client. [assumption] */
export const DEFAULT_WATCH_DELIVERY_MS: DistributionSpec = { type: "lognormal", p50: 5, p99: 30 };

export interface KubeApiConfig {
  clientLatencyMs: DistributionSpec;
  processingMs: DistributionSpec;
  watchDeliveryMs: DistributionSpec;
  inflight: InflightLimits;
  loadBalancer: LoadBalancerConfig;
  /** Time until the etcd client gives up on a silent endpoint (keepalive). */
  etcdKeepaliveUs: number;
}

export const DEFAULT_KUBE_API: KubeApiConfig = {
  clientLatencyMs: DEFAULT_CLIENT_LATENCY_MS,
  processingMs: DEFAULT_APISERVER_PROCESSING_MS,
  watchDeliveryMs: DEFAULT_WATCH_DELIVERY_MS,
  inflight: DEFAULT_INFLIGHT_LIMITS,
  loadBalancer: DEFAULT_LOAD_BALANCER,
  etcdKeepaliveUs: ETCD_CLIENT_KEEPALIVE_US,
};

/** Options of one request beyond verb and resource. */
export interface RequestOptions {
  /** Object key in the store (-1: none; a write then only counts as a write). */
  key?: number;
  /** resourceVersion precondition of an update (-1: none). */
  expectedRevision?: number;
  /** Values written (a Lease: holder, renew time). */
  valueA?: number;
  valueB?: number;
  /** Serve a read from the watch cache (resourceVersion="0"), never from etcd. */
  fromCache?: boolean;
  /**
   * Send to this API server directly, not through the load balancer, and do not fail
   * over. kubeadm points kube-scheduler and kube-controller-manager at the API server on
   * their own host (LocalAPIEndpoint; kubernetes/kubernetes PR #94398, v1.20).
   */
  server?: number;
  /** A create's namespace id in `KubeApi.namespaces` (NamespaceLifecycle admission); -1 or absent: none. */
  namespace?: number;
}

const NO_SERVER = -1;

export class KubeApi {
  readonly loadBalancer: LoadBalancer;
  readonly limiters: InflightLimiter[];
  readonly etcdClient: EtcdClient;
  readonly store = new ObjectStore();
  readonly watchCache: WatchCache;
  private readonly requests = new RequestTable();
  private readonly clientLatency: Distribution;
  private readonly processing: Distribution;
  private readonly netRng: RandomStream;
  private readonly cpuRng: RandomStream;
  /** Incremented when an API server process dies: requests it held are lost. */
  private readonly serverEpoch: Int32Array;

  private readonly hArrive: number;
  private readonly hConnectFailed: number;
  private readonly hProcessed: number;
  /** The NamespaceLifecycle admission plugin: creates with a namespace are admitted here once processed (unset: all admitted). */
  namespaces: NamespaceLifecycle | undefined;

  constructor(
    private readonly sim: Simulation,
    readonly topology: Topology,
    readonly hosts: HostStates,
    readonly etcd: EtcdPort,
    readonly metrics: ControlPlaneMetrics,
    readonly config: KubeApiConfig = DEFAULT_KUBE_API,
  ) {
    const n = topology.apiserverHosts.length;
    this.limiters = Array.from({ length: n }, () => new InflightLimiter(config.inflight));
    this.serverEpoch = new Int32Array(n);
    this.clientLatency = distribution(config.clientLatencyMs);
    this.processing = distribution(config.processingMs);
    this.watchCache = new WatchCache(sim, config.watchDeliveryMs);
    this.netRng = sim.rng.stream("apiserver.network");
    this.cpuRng = sim.rng.stream("apiserver.processing");
    this.hArrive = sim.on("apiserver.arrive", (slot, g) => this.arrive(slot, g));
    this.hConnectFailed = sim.on("apiserver.connectFailed", (slot, g) => this.connectFailed(slot, g));
    this.hProcessed = sim.on("apiserver.processed", (slot, g) => this.processed(slot, g));
    this.etcdClient = new EtcdClient(
      sim,
      topology,
      etcd,
      config.etcdKeepaliveUs,
      (token, outcome, latencyUs) => this.etcdDone(token, outcome, latencyUs),
      (token) => this.etcdConnectionLost(token),
    );
    this.loadBalancer = new LoadBalancer(sim, n, config.loadBalancer, (server) => this.healthy(server));
  }

  /**
   * Send a request. Later the simulation runs `doneHandler(token, status)` once,
   * status being an HTTP code (200, 201, 409, 429, 500, 504) or 0 for a failed connection.
   * `opts` is copied at once, so a caller may reuse one object for every request.
   */
  send(verb: Verb, resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void {
    const r = this.requests;
    const s = r.alloc();
    r.verb[s] = verb;
    r.resource[s] = resource;
    r.flags[s] = opts?.fromCache ? FLAG_FROM_CACHE : 0;
    r.attempts[s] = 0;
    r.clientToken[s] = token;
    r.doneHandler[s] = doneHandler;
    r.startUs[s] = this.sim.now;
    r.key[s] = opts?.key ?? -1;
    r.expectedRevision[s] = opts?.expectedRevision ?? -1;
    r.valueA[s] = opts?.valueA ?? 0;
    r.valueB[s] = opts?.valueB ?? 0;
    r.namespace[s] = opts?.namespace ?? -1;
    const direct = opts?.server ?? NO_SERVER;
    r.pinned[s] = direct >= 0 ? 1 : 0;
    if (direct >= 0) {
      r.server[s] = direct;
      r.phase[s] = Phase.Connecting;
      this.sim.schedule(this.oneWayUs(), this.hArrive, s, r.generation[s]);
    } else {
      this.dispatch(s, NO_SERVER);
    }
  }

  /** Run `handler(key, revision)` for every committed write to `resource`, after the watch delay. */
  watch(resource: Resource, handler: number): void {
    this.watchCache.watch(resource, handler);
  }

  object(key: number): StoredObject | undefined {
    return this.store.get(key);
  }

  /** Committed objects (Leases...). */
  get objects(): ReadonlyMap<number, StoredObject> {
    return this.store.objects;
  }

  /** etcd revision: one per committed write, as in etcd's MVCC store. */
  get revision(): number {
    return this.store.revision;
  }

  /** Requests that went to etcd, all ops (tests: watch-cache reads must not add to it). */
  get etcdRequestsSent(): number {
    return this.etcdClient.requestsSent;
  }

  /** Requests currently in flight (slots in use). */
  get inFlight(): number {
    return this.requests.inFlight;
  }

  /**
   * /healthz of an API server as the load balancer probes it: the process answers and
   * its etcd check passes (some endpoint reachable that knows a leader; kube-apiserver's
   * healthz includes an etcd check).
   */
  healthy(server: number): boolean {
    return this.hosts.apiserverServing(server) && this.etcdClient.healthy(server);
  }

  /** An API server process dies (host loss or apiserver loss): drop its requests' seats. */
  serverDied(server: number): void {
    this.serverEpoch[server]++;
    this.limiters[server].reset();
  }

  // ---- pipeline: one handler per step, each given (slot, generation) ----

  private dispatch(s: number, avoid: number): void {
    const server = this.loadBalancer.pick(avoid);
    if (server < 0) {
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
      return;
    }
    const r = this.requests;
    r.server[s] = server;
    r.phase[s] = Phase.Connecting;
    this.sim.schedule(this.oneWayUs(), this.hArrive, s, r.generation[s]);
  }

  private arrive(s: number, g: number): void {
    const r = this.requests;
    if (r.generation[s] !== g) return;
    const server = r.server[s];
    if (!this.hosts.apiserverServing(server)) {
      // A live host answers a closed port with RST at once; a dead or cut-off host
      // does not answer and the LB's connect timeout runs out.
      const h = this.topology.apiserverHosts[server];
      const silent = this.hosts.up[h] === 0 || this.hosts.isolated[h] === 1;
      this.sim.schedule(silent ? this.loadBalancer.config.connectTimeoutUs : 0, this.hConnectFailed, s, g);
      return;
    }
    const mutating = isMutating(r.verb[s] as Verb);
    if (!this.limiters[server].tryAcquire(mutating)) {
      this.respond(s, Status.TooManyRequests, Reason.TooManyRequests);
      return;
    }
    r.flags[s] |= FLAG_HOLDS_SEAT;
    r.epochAt[s] = this.serverEpoch[server];
    r.phase[s] = Phase.Processing;
    const p = this.processing.sample(this.cpuRng);
    this.sim.schedule(p > 0 ? p * US_PER_MS : 0, this.hProcessed, s, g);
  }

  private connectFailed(s: number, g: number): void {
    const r = this.requests;
    if (r.generation[s] !== g) return;
    if (!r.pinned[s] && r.attempts[s] < this.loadBalancer.config.retries) {
      r.attempts[s]++;
      this.dispatch(s, r.server[s]);
    } else {
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
    }
  }

  private processed(s: number, g: number): void {
    const r = this.requests;
    if (r.generation[s] !== g) return;
    const server = r.server[s];
    if (this.serverDiedSince(s)) return;
    const verb = r.verb[s] as Verb;
    // Admission (the handler chain's last step before storage): NamespaceLifecycle refuses a create in a Terminating or gone namespace.
    if (verb === Verb.Create && r.namespace[s] >= 0 && this.namespaces) {
      const refused = this.namespaces.admitCreate(r.namespace[s]);
      if (refused !== 0) {
        this.respond(s, refused, refused === Status.Forbidden ? Reason.NamespaceTerminating : Reason.NamespaceNotFound);
        return;
      }
    }
    if (!isMutating(verb) && (r.flags[s] & FLAG_FROM_CACHE) !== 0) {
      this.metrics.cacheReads++;
      this.respond(s, Status.OK, Reason.None);
      return;
    }
    r.phase[s] = Phase.Etcd;
    const op = isMutating(verb) ? EtcdOp.Write : EtcdOp.LinearizableRead;
    if (!this.etcdClient.send(server, op, r.token(s))) this.respond(s, Status.InternalError, Reason.EtcdUnavailable);
  }

  private etcdDone(token: number, outcome: EtcdOutcome, latencyUs: number): void {
    const r = this.requests;
    const s = slotOfToken(token);
    if (r.generation[s] !== generationOfToken(token) || r.phase[s] !== Phase.Etcd) return;
    const mutating = isMutating(r.verb[s] as Verb);
    this.metrics.etcdRequest(mutating ? EtcdOp.Write : EtcdOp.LinearizableRead, outcome, latencyUs);
    if (this.serverDiedSince(s)) return;
    if (outcome === EtcdOutcome.Ok) {
      if (mutating) this.commit(s);
      else this.respond(s, Status.OK, Reason.None);
    } else if (outcome === EtcdOutcome.Timeout) {
      this.respond(s, Status.InternalError, Reason.EtcdTimeout);
    } else if (outcome === EtcdOutcome.NoLeader) {
      this.respond(s, Status.InternalError, Reason.EtcdNoLeader);
    } else {
      this.respond(s, Status.InternalError, Reason.EtcdUnavailable);
    }
  }

  private etcdConnectionLost(token: number): void {
    const r = this.requests;
    const s = slotOfToken(token);
    if (r.generation[s] !== generationOfToken(token) || r.phase[s] !== Phase.Etcd) return;
    if (this.serverDiedSince(s)) return;
    this.respond(s, Status.InternalError, Reason.EtcdUnavailable);
  }

  /**
   * When the API server process holding request `s` died since it took its seat, the
   * seat died with it and the client sees its connection fail: answer so, return true.
   */
  private serverDiedSince(s: number): boolean {
    const r = this.requests;
    if (this.serverEpoch[r.server[s]] === r.epochAt[s]) return false;
    r.flags[s] &= ~FLAG_HOLDS_SEAT;
    this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
    return true;
  }

  /** A write committed in etcd: apply it to the store (409 if its precondition failed) and tell the watchers. */
  private commit(s: number): void {
    const r = this.requests;
    const key = r.key[s];
    const rev = this.store.commit(key, r.expectedRevision[s], r.valueA[s], r.valueB[s]);
    if (rev === CONFLICT) {
      this.respond(s, Status.Conflict, Reason.Conflict);
      return;
    }
    this.watchCache.committed(r.resource[s] as Resource, key < 0 ? -1 : key, rev);
    this.respond(s, r.verb[s] === Verb.Create ? Status.Created : Status.OK, Reason.None);
  }

  /** The API server answers: release its seat, the answer travels back to the client. */
  private respond(s: number, status: Status, reason: Reason): void {
    const r = this.requests;
    if ((r.flags[s] & FLAG_HOLDS_SEAT) !== 0) {
      this.limiters[r.server[s]].release(isMutating(r.verb[s] as Verb));
      r.flags[s] &= ~FLAG_HOLDS_SEAT;
    }
    this.finishAfter(s, status, reason, this.oneWayUs());
  }

  private finish(s: number, status: Status, reason: Reason): void {
    this.finishAfter(s, status, reason, 0);
  }

  private finishAfter(s: number, status: Status, reason: Reason, delayUs: number): void {
    const r = this.requests;
    // The latency the client sees: the clock rounds the delay to the microsecond.
    const latencyUs = this.sim.now + Math.round(delayUs) - r.startUs[s];
    this.metrics.apiRequest(r.verb[s] as Verb, r.resource[s] as Resource, status, latencyUs, reason);
    this.sim.schedule(delayUs, r.doneHandler[s], r.clientToken[s], status);
    r.free(s);
  }

  private oneWayUs(): number {
    const ms = this.clientLatency.sample(this.netRng);
    return ms > 0 ? ms * US_PER_MS : 0;
  }
}
