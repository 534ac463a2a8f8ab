/**
 * Background API traffic of a cluster, so latency and availability figures mean
 * something: kubelets renewing their node Leases (every 10 s each), kubelet pod status
 * updates, the acting kube-scheduler's bindings, and reads (from the watch cache and
 * quorum reads). Rates are cluster-wide; arrivals are Poisson except node Leases,
 * which are periodic with a random phase per kubelet.
 *
 * Simplification: a failed node-Lease renewal is not retried with the kubelet's
 * 200 ms..7 s back-off; the kubelet simply renews at its next period.
 */
import type { RandomStream } from "../../engine/random.js";
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import type { KubeApi } from "./kubeApi.js";
import { Resource, Verb, isSuccess } from "./verbs.js";

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

/** A stretch of time without a successful binding (scheduling paused). */
export interface SchedulingGap {
  from_us: number;
  to_us: number;
}

export class BackgroundLoad {
  private readonly rng: RandomStream;
  private readonly hLease: number;
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
    this.hLease = sim.on("load.nodeLease", (i) => this.renewNodeLease(i));
    this.hStatus = sim.on("load.podStatus", () => this.podStatus());
    this.hBind = sim.on("load.binding", () => this.binding());
    this.hCached = sim.on("load.cachedRead", () => this.cachedRead());
    this.hQuorum = sim.on("load.quorumRead", () => this.quorumRead());
    this.hIgnore = sim.on("load.answer", () => {});
    this.hBound = sim.on("load.bound", (_t, status) => this.bound(status));
    // a pause is a gap of several mean inter-binding times (and at least 1 s)
    this.gapThreshold_us = config.bindingsPerSecond > 0 ? Math.max(US_PER_S, (5 * US_PER_S) / config.bindingsPerSecond) : Infinity;
  }

  start(): void {
    const c = this.config;
    for (let i = 0; i < c.nodeLeases; i++) this.sim.schedule(this.rng.next() * c.nodeLeaseRenewInterval_us, this.hLease, i);
    this.next(this.hStatus, c.podStatusUpdatesPerSecond);
    this.next(this.hBind, c.bindingsPerSecond);
    this.next(this.hCached, c.cachedReadsPerSecond);
    this.next(this.hQuorum, c.quorumReadsPerSecond);
  }

  private next(handler: number, perSecond: number): void {
    if (perSecond > 0) this.sim.schedule(this.rng.exponential(US_PER_S / perSecond), handler);
  }

  private renewNodeLease(i: number): void {
    this.api.send(Verb.Update, Resource.Lease, i, this.hIgnore, { key: NODE_LEASE_KEY_BASE + i, valueA: 1, valueB: this.sim.now });
    this.sim.schedule(this.config.nodeLeaseRenewInterval_us, this.hLease, i);
  }

  private podStatus(): void {
    this.api.send(Verb.Patch, Resource.PodStatus, 0, this.hIgnore);
    this.next(this.hStatus, this.config.podStatusUpdatesPerSecond);
  }

  private binding(): void {
    const server = this.schedulerServer();
    if (server >= 0) this.api.send(Verb.Create, Resource.PodBinding, 0, this.hBound, { server });
    this.next(this.hBind, this.config.bindingsPerSecond);
  }

  private bound(status: number): void {
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
    this.api.send(Verb.List, Resource.Pod, 0, this.hIgnore, { fromCache: true });
    this.next(this.hCached, this.config.cachedReadsPerSecond);
  }

  private quorumRead(): void {
    this.api.send(Verb.Get, Resource.Pod, 0, this.hIgnore);
    this.next(this.hQuorum, this.config.quorumReadsPerSecond);
  }
}
