/**
 * Synthetic API traffic for scenarios that do not describe the pods behind it (the HA
 * scenarios have nodes but no workloads), so latency and availability figures mean
 * something: kubelet pod status updates, the acting kube-scheduler's bindings, and reads
 * (from the watch cache, and quorum reads that reach etcd). Rates are cluster-wide;
 * arrivals are Poisson, drawn from the stream "apiserver.backgroundLoad".
 *
 * Bindings: `bindingsPerSecond` come in addition to the real ones the kube-scheduler
 * sends for the pods it binds, to the same API server (the lease holder's); both count
 * for the pauses in successful bindings (bindingPauses.ts). A scenario whose workloads
 * should be the only bindings sets `bindingsPerSecond: 0` (the default).
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { BindingPauses } from "./bindingPauses.js";
import type { KubeApi } from "./kubeApi.js";
import { Resource, Verb } from "./verbs.js";

export interface SyntheticLoadConfig {
  /** PATCH pods/status per second, cluster-wide (kubelet status updates). */
  podStatusUpdatesPerSecond: number;
  /** POST pods/binding per second by the acting kube-scheduler (only while it holds its lease). */
  bindingsPerSecond: number;
  /** LIST/GET from the watch cache per second (informers' resourceVersion=0 reads, kubectl get). */
  cachedReadsPerSecond: number;
  /** Quorum GETs per second (reads that reach etcd). */
  quorumReadsPerSecond: number;
}

export class SyntheticLoad {
  private readonly bindingOpts = { server: 0 }; // KubeApi.send copies it
  private static readonly FROM_CACHE = { fromCache: true } as const;
  private readonly hStatus: number;
  private readonly hBind: number;
  private readonly hCached: number;
  private readonly hQuorum: number;
  private readonly hIgnore: number;
  private readonly hBound: number;

  constructor(
    private readonly sim: Simulation,
    private readonly api: KubeApi,
    private readonly rng: RandomStream,
    readonly config: SyntheticLoadConfig,
    private readonly pauses: BindingPauses,
    /** API server the acting kube-scheduler sends bindings to, or -1 when none acts. */
    private readonly schedulerServer: () => number,
  ) {
    this.hStatus = sim.on("load.podStatus", () => this.podStatus());
    this.hBind = sim.on("load.binding", () => this.binding());
    this.hCached = sim.on("load.cachedRead", () => this.cachedRead());
    this.hQuorum = sim.on("load.quorumRead", () => this.quorumRead());
    this.hIgnore = sim.on("load.answer", () => {});
    this.hBound = sim.on("load.bound", (_t, status) => this.pauses.record(status, this.sim.now));
  }

  start(): void {
    const c = this.config;
    this.next(this.hStatus, c.podStatusUpdatesPerSecond);
    this.next(this.hBind, c.bindingsPerSecond);
    this.next(this.hCached, c.cachedReadsPerSecond);
    this.next(this.hQuorum, c.quorumReadsPerSecond);
  }

  private next(handler: number, perSecond: number): void {
    if (perSecond > 0) this.sim.schedule(this.rng.exponential(US_PER_S / perSecond), handler);
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

  private cachedRead(): void {
    this.api.send(Verb.List, Resource.Pod, 0, this.hIgnore, SyntheticLoad.FROM_CACHE);
    this.next(this.hCached, this.config.cachedReadsPerSecond);
  }

  private quorumRead(): void {
    this.api.send(Verb.Get, Resource.Pod, 0, this.hIgnore);
    this.next(this.hQuorum, this.config.quorumReadsPerSecond);
  }
}
