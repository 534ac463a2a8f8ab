/**
 * The Kubernetes API as its clients see it: load balancer -> kube-apiserver -> etcd.
 *
 * A request goes through the load balancer to an API server in its pool. A dead server
 * (host down: the connect times out; process down: refused at once) makes the LB try
 * another one (`retries`, redispatch); when none is left the client sees a failed
 * connection. An API server takes a seat (inflight limit, 429 when none is free),
 * spends its processing time, then either answers from its watch cache (reads with
 * resourceVersion="0", e.g. informer LISTs) or makes an etcd round trip: writes are raft
 * proposals, other reads are linearizable (quorum) reads. etcd errors become 500s with
 * etcd's message ("etcdserver: request timed out" after etcd's 7 s request timeout).
 * Committed writes reach watchers after a watch delivery delay.
 *
 * A tiny object store gives writes optimistic concurrency (resourceVersion
 * preconditions -> 409 Conflict), which Lease-based leader election relies on. Each
 * object holds two numbers (for a Lease: holder and renew time).
 *
 * Hot path: a request in flight is a slot in typed arrays; events carry (slot, generation)
 * so that a stale event (for a request already answered) is dropped.
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_MS, type Simulation } from "../engine/simulation.js";
import type { ControlPlaneMetrics } from "./metrics.js";
import type { HostStates, Topology } from "../infra/topology.js";
import { EtcdOp, EtcdOutcome, type EtcdPort } from "./etcdPort.js";
import { DEFAULT_INFLIGHT_LIMITS, InflightLimiter, type InflightLimits } from "./inflightLimiter.js";
import { DEFAULT_LOAD_BALANCER, LoadBalancer, type LoadBalancerConfig } from "./loadBalancer.js";
import { Reason, Resource, Status, Verb, isMutating } from "./verbs.js";

/** Client <-> load balancer <-> API server, one way (ms). [assumption: two same-zone hops] */
export const DEFAULT_CLIENT_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 0.3, p99: 1 };
/**
 * API server work per request besides etcd: authn/authz, admission, conversion,
 * serialisation (ms). [assumption: sub-millisecond to a few ms on a healthy server]
 */
export const DEFAULT_APISERVER_PROCESSING_MS: DistributionSpec = { type: "lognormal", p50: 1, p99: 5 };
/**
 * How long kube-apiserver's etcd client keeps using an endpoint that went silent (host
 * down or partitioned: no RST) before its gRPC keepalive drops the connection:
 * keepaliveTime 30 s + keepaliveTimeout 10 s (k8s.io/apiserver storagebackend/factory/etcd3.go).
 */
export const ETCD_CLIENT_KEEPALIVE_US = 40 * 1_000_000;
/** etcd commit -> event in a watcher's informer (ms): etcd watch + watch cache + client. [assumption] */
export const DEFAULT_WATCH_DELIVERY_MS: DistributionSpec = { type: "lognormal", p50: 5, p99: 30 };

export interface KubeApiConfig {
  clientLatency_ms: DistributionSpec;
  processing_ms: DistributionSpec;
  watchDelivery_ms: DistributionSpec;
  inflight: InflightLimits;
  loadBalancer: LoadBalancerConfig;
  /** Time until the etcd client gives up on a silent endpoint (keepalive). */
  etcdKeepalive_us: number;
}

export const DEFAULT_KUBE_API: KubeApiConfig = {
  clientLatency_ms: DEFAULT_CLIENT_LATENCY_MS,
  processing_ms: DEFAULT_APISERVER_PROCESSING_MS,
  watchDelivery_ms: DEFAULT_WATCH_DELIVERY_MS,
  inflight: DEFAULT_INFLIGHT_LIMITS,
  loadBalancer: DEFAULT_LOAD_BALANCER,
  etcdKeepalive_us: ETCD_CLIENT_KEEPALIVE_US,
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
}

const SLOT_BITS = 2 ** 22;
const NO_SERVER = -1;
// request phases
const PHASE_CONNECTING = 0;
const PHASE_PROCESSING = 1;
const PHASE_ETCD = 2;

/** A stored object: latest committed revision and its two values. */
export interface StoredObject {
  revision: number;
  a: number;
  b: number;
}

export class KubeApi {
  readonly loadBalancer: LoadBalancer;
  readonly limiters: InflightLimiter[];
  private readonly clientLatency: Distribution;
  private readonly processing: Distribution;
  private readonly watchDelivery: Distribution;
  private readonly netRng: RandomStream;
  private readonly cpuRng: RandomStream;
  private readonly watchRng: RandomStream;
  /** Round-robin cursor over etcd endpoints, per API server. */
  private readonly endpointCursor: Int32Array;
  /** Per (server, member): when the endpoint went silent as this server saw it, or -1. */
  private readonly silentSince_us: Float64Array;
  /** Incremented when an API server process dies: requests it held are lost. */
  private readonly serverEpoch: Int32Array;

  // Request slots (struct of arrays).
  private cap = 1024;
  private verb = new Uint8Array(this.cap);
  private resource = new Uint8Array(this.cap);
  private phase = new Uint8Array(this.cap);
  private flags = new Uint8Array(this.cap); // bit0 fromCache, bit1 holds seat
  private attempts = new Uint8Array(this.cap);
  /** 1 when the request is pinned to one API server (no LB, no redispatch). */
  private pinned = new Uint8Array(this.cap);
  private server = new Int16Array(this.cap);
  private epochAt = new Int32Array(this.cap);
  private gen = new Uint32Array(this.cap);
  private token = new Float64Array(this.cap);
  private doneHandler = new Int32Array(this.cap);
  private start_us = new Float64Array(this.cap);
  private key = new Float64Array(this.cap);
  private expectedRev = new Float64Array(this.cap);
  private valueA = new Float64Array(this.cap);
  private valueB = new Float64Array(this.cap);
  private freeSlots: number[] = [];
  private used = 0;

  private readonly hArrive: number;
  private readonly hConnectFailed: number;
  private readonly hProcessed: number;
  private readonly hConnectionLost: number;

  /** Committed objects (Leases...). */
  readonly objects = new Map<number, StoredObject>();
  /** etcd revision: one per committed write, as in etcd's MVCC store. */
  revision = 1;
  /** Watchers: resource -> handler ids run with (key, revision) after delivery. */
  private readonly watchers: number[][] = [[], [], [], [], [], []];
  /** Requests that went to etcd, all ops (tests: watch-cache reads must not add to it). */
  etcdRequestsSent = 0;

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
    this.endpointCursor = new Int32Array(n);
    this.serverEpoch = new Int32Array(n);
    this.silentSince_us = new Float64Array(n * etcd.memberCount).fill(-1);
    this.clientLatency = distribution(config.clientLatency_ms);
    this.processing = distribution(config.processing_ms);
    this.watchDelivery = distribution(config.watchDelivery_ms);
    this.netRng = sim.rng.stream("apiserver.network");
    this.cpuRng = sim.rng.stream("apiserver.processing");
    this.watchRng = sim.rng.stream("apiserver.watch");
    this.hArrive = sim.on("apiserver.arrive", (slot, g) => this.arrive(slot, g));
    this.hConnectFailed = sim.on("apiserver.connectFailed", (slot, g) => this.connectFailed(slot, g));
    this.hProcessed = sim.on("apiserver.processed", (slot, g) => this.processed(slot, g));
    this.hConnectionLost = sim.on("apiserver.etcdConnectionLost", (slot, g) => this.etcdConnectionLost(slot, g));
    etcd.setResponder((tok, outcome, latency_us) => this.etcdDone(tok, outcome, latency_us));
    this.loadBalancer = new LoadBalancer(sim, n, config.loadBalancer, (s) => this.healthy(s));
  }

  /**
   * Send a request. Later the simulation runs `doneHandler(token, status)` once,
   * status being an HTTP code (200, 201, 409, 429, 500, 504) or 0 for a failed connection.
   */
  send(verb: Verb, resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void {
    const s = this.allocSlot();
    this.verb[s] = verb;
    this.resource[s] = resource;
    this.flags[s] = opts?.fromCache ? 1 : 0;
    this.attempts[s] = 0;
    this.token[s] = token;
    this.doneHandler[s] = doneHandler;
    this.start_us[s] = this.sim.now;
    this.key[s] = opts?.key ?? -1;
    this.expectedRev[s] = opts?.expectedRevision ?? -1;
    this.valueA[s] = opts?.valueA ?? 0;
    this.valueB[s] = opts?.valueB ?? 0;
    const direct = opts?.server ?? NO_SERVER;
    this.pinned[s] = direct >= 0 ? 1 : 0;
    if (direct >= 0) {
      this.server[s] = direct;
      this.phase[s] = PHASE_CONNECTING;
      this.sim.schedule(this.oneWay_us(), this.hArrive, s, this.gen[s]);
    } else {
      this.dispatch(s, NO_SERVER);
    }
  }

  /** Run `handler(key, revision)` for every committed write to `resource`, after the watch delay. */
  watch(resource: Resource, handler: number): void {
    this.watchers[resource].push(handler);
  }

  object(key: number): StoredObject | undefined {
    return this.objects.get(key);
  }

  /** Requests currently in flight (slots in use). */
  get inFlight(): number {
    return this.used - this.freeSlots.length;
  }

  /**
   * /healthz of an API server as the load balancer probes it: the process answers and
   * its etcd check passes (some endpoint reachable that knows a leader; kube-apiserver's
   * healthz includes an etcd check).
   */
  healthy(server: number): boolean {
    if (!this.hosts.apiserverServing(server)) return false;
    const m = this.pickEndpoint(server, false);
    return m >= 0 && this.etcd.hasLeader(m);
  }

  /** An API server process dies (host loss or apiserver loss): drop its requests' seats. */
  serverDied(server: number): void {
    this.serverEpoch[server]++;
    this.limiters[server].reset();
  }

  // ---- pipeline ----

  private dispatch(s: number, avoid: number): void {
    const server = this.loadBalancer.pick(avoid);
    if (server < 0) {
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
      return;
    }
    this.server[s] = server;
    this.phase[s] = PHASE_CONNECTING;
    this.sim.schedule(this.oneWay_us(), this.hArrive, s, this.gen[s]);
  }

  private arrive(s: number, g: number): void {
    if (this.gen[s] !== g) return;
    const server = this.server[s];
    if (!this.hosts.apiserverServing(server)) {
      // A live host answers a closed port with RST at once; a dead or cut-off host
      // does not answer and the LB's connect timeout runs out.
      const h = this.topology.apiserverHosts[server];
      const silent = this.hosts.up[h] === 0 || this.hosts.isolated[h] === 1;
      this.sim.schedule(silent ? this.loadBalancer.config.connectTimeout_us : 0, this.hConnectFailed, s, g);
      return;
    }
    const mutating = isMutating(this.verb[s] as Verb);
    if (!this.limiters[server].tryAcquire(mutating)) {
      this.respond(s, Status.TooManyRequests, Reason.TooManyRequests);
      return;
    }
    this.flags[s] |= 2;
    this.epochAt[s] = this.serverEpoch[server];
    this.phase[s] = PHASE_PROCESSING;
    const p = this.processing.sample(this.cpuRng);
    this.sim.schedule(p > 0 ? p * US_PER_MS : 0, this.hProcessed, s, g);
  }

  private connectFailed(s: number, g: number): void {
    if (this.gen[s] !== g) return;
    if (!this.pinned[s] && this.attempts[s] < this.loadBalancer.config.retries) {
      this.attempts[s]++;
      this.dispatch(s, this.server[s]);
    } else {
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
    }
  }

  private processed(s: number, g: number): void {
    if (this.gen[s] !== g) return;
    const server = this.server[s];
    if (this.serverEpoch[server] !== this.epochAt[s]) {
      this.flags[s] &= ~2; // its seat died with the process
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
      return;
    }
    const verb = this.verb[s] as Verb;
    if (!isMutating(verb) && (this.flags[s] & 1) !== 0) {
      this.metrics.cacheReads++;
      this.respond(s, Status.OK, Reason.None);
      return;
    }
    const member = this.pickEndpoint(server, true);
    if (member < 0) {
      this.respond(s, Status.InternalError, Reason.EtcdUnavailable);
      return;
    }
    this.phase[s] = PHASE_ETCD;
    this.etcdRequestsSent++;
    const silent = this.silentSince_us[server * this.etcd.memberCount + member];
    if (silent >= 0) {
      // The client still believes in a silent endpoint: the request hangs until the
      // keepalive gives up on the connection.
      this.sim.scheduleAt(silent + this.config.etcdKeepalive_us, this.hConnectionLost, s, g);
      return;
    }
    const op = isMutating(verb) ? EtcdOp.Write : EtcdOp.LinearizableRead;
    this.etcd.submit(op, this.topology.apiserverHosts[server], member, g * SLOT_BITS + s);
  }

  private etcdDone(tok: number, outcome: EtcdOutcome, latency_us: number): void {
    const s = tok % SLOT_BITS;
    const g = Math.floor(tok / SLOT_BITS);
    if (this.gen[s] !== g || this.phase[s] !== PHASE_ETCD) return;
    const verb = this.verb[s] as Verb;
    const mutating = isMutating(verb);
    this.metrics.etcdRequest(mutating ? EtcdOp.Write : EtcdOp.LinearizableRead, outcome, latency_us);
    if (this.serverEpoch[this.server[s]] !== this.epochAt[s]) {
      this.flags[s] &= ~2;
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
      return;
    }
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

  private etcdConnectionLost(s: number, g: number): void {
    if (this.gen[s] !== g || this.phase[s] !== PHASE_ETCD) return;
    if (this.serverEpoch[this.server[s]] !== this.epochAt[s]) {
      this.flags[s] &= ~2;
      this.finish(s, Status.ConnectionFailed, Reason.ConnectionRefused);
      return;
    }
    this.respond(s, Status.InternalError, Reason.EtcdUnavailable);
  }

  /**
   * A write committed in etcd. Preconditions are checked here, in commit order
   * (simplification: real etcd checks the revision in the transaction itself, so a
   * conflicting write is not committed at all; here it costs the raft round anyway).
   */
  private commit(s: number): void {
    const key = this.key[s];
    if (key >= 0) {
      const cur = this.objects.get(key);
      const expected = this.expectedRev[s];
      if (expected >= 0 && (cur?.revision ?? 0) !== expected) {
        this.respond(s, Status.Conflict, Reason.Conflict);
        return;
      }
      const rev = ++this.revision;
      if (cur) {
        cur.revision = rev;
        cur.a = this.valueA[s];
        cur.b = this.valueB[s];
      } else {
        this.objects.set(key, { revision: rev, a: this.valueA[s], b: this.valueB[s] });
      }
      this.notifyWatchers(this.resource[s], key, rev);
    } else {
      this.notifyWatchers(this.resource[s], -1, ++this.revision);
    }
    this.respond(s, this.verb[s] === Verb.Create ? Status.Created : Status.OK, Reason.None);
  }

  private notifyWatchers(resource: number, key: number, rev: number): void {
    const ws = this.watchers[resource];
    for (let i = 0; i < ws.length; i++) {
      const d = this.watchDelivery.sample(this.watchRng);
      this.sim.schedule(d > 0 ? d * US_PER_MS : 0, ws[i], key, rev);
    }
  }

  /** The API server answers: release its seat, the answer travels back to the client. */
  private respond(s: number, status: Status, reason: Reason): void {
    if ((this.flags[s] & 2) !== 0) {
      this.limiters[this.server[s]].release(isMutating(this.verb[s] as Verb));
      this.flags[s] &= ~2;
    }
    this.finishAfter(s, status, reason, this.oneWay_us());
  }

  private finish(s: number, status: Status, reason: Reason): void {
    this.finishAfter(s, status, reason, 0);
  }

  private finishAfter(s: number, status: Status, reason: Reason, delay_us: number): void {
    const latency = this.sim.now + delay_us - this.start_us[s];
    this.metrics.apiRequest(this.verb[s] as Verb, this.resource[s] as Resource, status, latency, reason);
    this.sim.schedule(delay_us, this.doneHandler[s], this.token[s], status);
    this.gen[s] = (this.gen[s] + 1) & 0x3fffffff; // token = gen * 2^22 + slot stays below 2^53
    this.freeSlots.push(s);
  }

  /**
   * The etcd member an API server uses for its next request: stacked API servers have
   * one endpoint (their local member); with several endpoints, round robin over those
   * the client considers usable. An endpoint whose process is down refuses connections
   * (RST) and is skipped at once; one that went silent (host down, partition) is still
   * used until the client's keepalive gives up on it (30 s + 10 s), and requests sent to
   * it hang until then. `probe` (the /healthz etcd check) only accepts endpoints that
   * answer now.
   */
  private pickEndpoint(server: number, advance: boolean): number {
    const eps = this.topology.etcdEndpoints[server];
    const host = this.topology.apiserverHosts[server];
    const start = this.endpointCursor[server];
    const now = this.sim.now;
    const row = server * this.etcd.memberCount;
    for (let i = 0; i < eps.length; i++) {
      const k = (start + i) % eps.length;
      const m = eps[k];
      let usable: boolean;
      if (this.etcd.reachable(host, m)) {
        this.silentSince_us[row + m] = -1;
        usable = true;
      } else if (!advance || this.etcd.refused(host, m)) {
        usable = false;
      } else {
        if (this.silentSince_us[row + m] < 0) this.silentSince_us[row + m] = now;
        usable = now < this.silentSince_us[row + m] + this.config.etcdKeepalive_us;
      }
      if (usable) {
        if (advance) this.endpointCursor[server] = (k + 1) % eps.length;
        return m;
      }
    }
    return -1;
  }

  private oneWay_us(): number {
    const ms = this.clientLatency.sample(this.netRng);
    return ms > 0 ? ms * US_PER_MS : 0;
  }

  private allocSlot(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.used === this.cap) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (cap > SLOT_BITS) throw new Error(`apiserver: more than ${SLOT_BITS} requests in flight`);
    const g8 = (a: Uint8Array) => { const b = new Uint8Array(cap); b.set(a); return b; };
    const g16 = (a: Int16Array) => { const b = new Int16Array(cap); b.set(a); return b; };
    const g32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    const gu32 = (a: Uint32Array) => { const b = new Uint32Array(cap); b.set(a); return b; };
    const g64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.verb = g8(this.verb);
    this.resource = g8(this.resource);
    this.phase = g8(this.phase);
    this.flags = g8(this.flags);
    this.attempts = g8(this.attempts);
    this.pinned = g8(this.pinned);
    this.server = g16(this.server);
    this.epochAt = g32(this.epochAt);
    this.gen = gu32(this.gen);
    this.token = g64(this.token);
    this.doneHandler = g32(this.doneHandler);
    this.start_us = g64(this.start_us);
    this.key = g64(this.key);
    this.expectedRev = g64(this.expectedRev);
    this.valueA = g64(this.valueA);
    this.valueB = g64(this.valueB);
    this.cap = cap;
  }
}
