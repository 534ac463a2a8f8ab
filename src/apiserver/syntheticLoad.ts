/**
 * Background API traffic of a cluster, so latency and availability figures mean
 * something: kubelets renewing their node Leases, kubelet pod status updates, the acting
 * kube-scheduler's bindings, and reads (from the watch cache and quorum reads). Rates
 * are cluster-wide; arrivals are Poisson except node Leases.
 *
 * Node Leases follow the kubelet's lease controller (k8s.io/component-helpers
 * apimachinery/lease/controller.go): a sync every renewInterval (10 s) jittered by
 * 4 % (wait.JitterUntil(sync, renewInterval, 0.04, sliding)); a sync Updates the Lease
 * it last wrote, retrying at once up to maxUpdateRetries (5) times; when all fail it
 * falls back to GETting the Lease with exponential back-off (200 ms doubling to 7 s,
 * until it succeeds), then tries the 5 Updates again. So an API outage turns the steady
 * 0.1 writes/s per node into a retry storm, as in a real cluster.
 *
 * Bindings: `bindingsPerSecond` are SYNTHETIC bindings, in addition to the real ones.
 * In a cluster run the kube-scheduler component sends one real POST pods/binding per pod
 * it binds (src/cluster/kubeScheduler.ts) to the same API server (the lease holder's,
 * ControlPlane.schedulerApiServer); the synthetic ones stand in for pods the scenario
 * does not describe (e.g. the HA scenarios, which have nodes but no workloads). They
 * add up: a scenario whose workloads should be the only bindings sets
 * `bindingsPerSecond: 0`. Both kinds count for the pauses in successful bindings
 * (`gaps`); the pause threshold comes from the synthetic rate, or is 5 s without one.
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { KubeApi } from "./kubeApi.js";
import { Resource, Verb, isSuccess } from "./verbs.js";

/**
 * Without synthetic bindings, a gap of more than 5 s between successful bindings counts
 * as a scheduling pause (kubesim's choice: long next to the 1-10 s binding backoff of a
 * busy scheduler, short next to a lease failover). Sparse workloads (fewer than about
 * one pod per few seconds) can show pauses that are only quiet periods.
 */
export const PAUSE_THRESHOLD_REAL_BINDINGS_US = 5 * US_PER_S;

export interface BackgroundLoadConfig {
  nodeLeases: number;
  nodeLeaseRenewInterval_us: number;
  podStatusUpdatesPerSecond: number;
  bindingsPerSecond: number;
  cachedReadsPerSecond: number;
  quorumReadsPerSecond: number;
}

/** Object keys: node Leases from here up (component Leases use small keys). */
export const NODE_LEASE_KEY_BASE = 1000;
/** Lease controller sync jitter: wait.JitterUntilWithContext(ctx, c.sync, c.renewInterval, 0.04, true). */
export const NODE_LEASE_RENEW_JITTER = 0.04;
/** Lease controller maxUpdateRetries = 5. */
export const NODE_LEASE_MAX_UPDATE_RETRIES = 5;
/** backoffEnsureLease: first sleep 200 ms, doubled up to maxBackoff = 7 s. */
export const NODE_LEASE_BACKOFF_START_US = 200_000;
export const NODE_LEASE_MAX_BACKOFF_US = 7 * US_PER_S;

// kubelet lease controller phases
const UPDATING = 0;
const ENSURING = 1;

/** A stretch of time without a successful binding (scheduling paused). */
export interface SchedulingGap {
  from_us: number;
  to_us: number;
}

export class BackgroundLoad {
  private readonly rng: RandomStream;
  /** Request options, reused: KubeApi.send copies them at once (no object per request). */
  private readonly leaseWrite = { key: 0, valueA: 1, valueB: 0 };
  private readonly leaseRead = { key: 0 };
  private readonly bindingOpts = { server: 0 };
  private static readonly FROM_CACHE = { fromCache: true } as const;
  private readonly hLease: number;
  private readonly hLeaseAnswer: number;
  private readonly hEnsure: number;
  /** Per kubelet: UPDATING or ENSURING, update attempts in this round, current back-off. */
  private leasePhase: Uint8Array = new Uint8Array(0);
  private leaseAttempt: Uint8Array = new Uint8Array(0);
  private leaseBackoff_us: Float64Array = new Float64Array(0);
  /** Node-Lease requests sent (renewals, retries and GETs). */
  nodeLeaseRequests = 0;
  private readonly hStatus: number;
  private readonly hBind: number;
  private readonly hCached: number;
  private readonly hQuorum: number;
  private readonly hIgnore: number;
  private readonly hBound: number;
  lastBinding_us = 0;
  bindingsOk = 0;
  bindingsFailed = 0;
  /** Gaps between successful bindings longer than `gapThreshold_us`. */
  readonly gaps: SchedulingGap[] = [];
  readonly gapThreshold_us: number;

  constructor(
    private readonly sim: Simulation,
    private readonly api: KubeApi,
    readonly config: BackgroundLoadConfig,
    /** API server the acting kube-scheduler sends bindings to, or -1 when none acts. */
    private readonly schedulerServer: () => number,
  ) {
    this.rng = sim.rng.stream("apiserver.backgroundLoad");
    this.hLease = sim.on("load.nodeLease.sync", (i) => this.leaseSync(i));
    this.hLeaseAnswer = sim.on("load.nodeLease.answer", (i, status) => this.leaseAnswer(i, status));
    this.hEnsure = sim.on("load.nodeLease.ensure", (i) => this.leaseGet(i));
    this.hStatus = sim.on("load.podStatus", () => this.podStatus());
    this.hBind = sim.on("load.binding", () => this.binding());
    this.hCached = sim.on("load.cachedRead", () => this.cachedRead());
    this.hQuorum = sim.on("load.quorumRead", () => this.quorumRead());
    this.hIgnore = sim.on("load.answer", () => {});
    this.hBound = sim.on("load.bound", (_t, status) => this.recordBinding(status));
    // a pause is a gap of several mean inter-binding times (and at least 1 s); with
    // only the workloads' bindings, whose rate is not known here, a fixed threshold
    this.gapThreshold_us =
      config.bindingsPerSecond > 0 ? Math.max(US_PER_S, (5 * US_PER_S) / config.bindingsPerSecond) : PAUSE_THRESHOLD_REAL_BINDINGS_US;
  }

  start(): void {
    const c = this.config;
    this.leasePhase = new Uint8Array(c.nodeLeases);
    this.leaseAttempt = new Uint8Array(c.nodeLeases);
    this.leaseBackoff_us = new Float64Array(c.nodeLeases);
    for (let i = 0; i < c.nodeLeases; i++) this.sim.schedule(this.rng.next() * c.nodeLeaseRenewInterval_us, this.hLease, i);
    this.next(this.hStatus, c.podStatusUpdatesPerSecond);
    this.next(this.hBind, c.bindingsPerSecond);
    this.next(this.hCached, c.cachedReadsPerSecond);
    this.next(this.hQuorum, c.quorumReadsPerSecond);
  }

  private next(handler: number, perSecond: number): void {
    if (perSecond > 0) this.sim.schedule(this.rng.exponential(US_PER_S / perSecond), handler);
  }

  /** A lease controller sync: Update the Lease last written (the kubelet keeps it). */
  private leaseSync(i: number): void {
    this.leasePhase[i] = UPDATING;
    this.leaseAttempt[i] = 0;
    this.leaseUpdate(i);
  }

  private leaseUpdate(i: number): void {
    this.nodeLeaseRequests++;
    this.leaseWrite.key = NODE_LEASE_KEY_BASE + i;
    this.leaseWrite.valueB = this.sim.now;
    this.api.send(Verb.Update, Resource.Lease, i, this.hLeaseAnswer, this.leaseWrite);
  }

  private leaseGet(i: number): void {
    this.nodeLeaseRequests++;
    this.leaseRead.key = NODE_LEASE_KEY_BASE + i;
    this.api.send(Verb.Get, Resource.Lease, i, this.hLeaseAnswer, this.leaseRead);
  }

  private leaseAnswer(i: number, status: number): void {
    if (this.leasePhase[i] === ENSURING) {
      if (isSuccess(status)) {
        // got the Lease: the 5 updates again
        this.leasePhase[i] = UPDATING;
        this.leaseAttempt[i] = 0;
        this.leaseUpdate(i);
      } else {
        const b = this.leaseBackoff_us[i];
        this.sim.schedule(b, this.hEnsure, i);
        this.leaseBackoff_us[i] = Math.min(2 * b, NODE_LEASE_MAX_BACKOFF_US);
      }
      return;
    }
    if (isSuccess(status)) return this.nextSync(i);
    if (++this.leaseAttempt[i] < NODE_LEASE_MAX_UPDATE_RETRIES) return this.leaseUpdate(i);
    if (this.leaseBackoff_us[i] > 0) {
      // the updates after a successful GET failed as well: wait for the next sync
      this.leaseBackoff_us[i] = 0;
      return this.nextSync(i);
    }
    // fall back to backoffEnsureLease: GET until it works
    this.leasePhase[i] = ENSURING;
    this.leaseBackoff_us[i] = NODE_LEASE_BACKOFF_START_US;
    this.leaseGet(i);
  }

  private nextSync(i: number): void {
    this.leaseBackoff_us[i] = 0;
    const d = this.config.nodeLeaseRenewInterval_us;
    this.sim.schedule(d + this.rng.next() * NODE_LEASE_RENEW_JITTER * d, this.hLease, i);
  }

  private podStatus(): void {
    this.api.send(Verb.Patch, Resource.PodStatus, 0, this.hIgnore);
    this.next(this.hStatus, this.config.podStatusUpdatesPerSecond);
  }

  private binding(): void {
    const server = this.schedulerServer();
    if (server >= 0) {
      this.bindingOpts.server = server;
      this.api.send(Verb.Create, Resource.PodBinding, 0, this.hBound, this.bindingOpts);
    }
    this.next(this.hBind, this.config.bindingsPerSecond);
  }

  /**
   * The answer to a binding: a synthetic one of this load or a real one of the
   * kube-scheduler component (both count for the pauses in successful bindings).
   */
  recordBinding(status: number): void {
    if (!isSuccess(status)) {
      this.bindingsFailed++;
      return;
    }
    this.bindingsOk++;
    const now = this.sim.now;
    if (now - this.lastBinding_us > this.gapThreshold_us) this.gaps.push({ from_us: this.lastBinding_us, to_us: now });
    this.lastBinding_us = now;
  }

  /** Close an open gap at the end of the run. */
  finish(end_us: number): void {
    if (end_us - this.lastBinding_us > this.gapThreshold_us) this.gaps.push({ from_us: this.lastBinding_us, to_us: end_us });
  }

  private cachedRead(): void {
    this.api.send(Verb.List, Resource.Pod, 0, this.hIgnore, BackgroundLoad.FROM_CACHE);
    this.next(this.hCached, this.config.cachedReadsPerSecond);
  }

  private quorumRead(): void {
    this.api.send(Verb.Get, Resource.Pod, 0, this.hIgnore);
    this.next(this.hQuorum, this.config.quorumReadsPerSecond);
  }
}
