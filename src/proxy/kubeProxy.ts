/**
 * kube-proxy on every node: it watches the EndpointSlices and programs the node's rules
 * (iptables, nftables or IPVS) from them, as upstream's proxiers do.
 *
 * - Watch: a stored slice change reaches every node's kube-proxy `watchDelayUs` later
 *   ([kubesim choice] 100 ms by default: informer delivery, not an upstream figure). A
 *   kube-proxy on a node cut off from the control plane sees nothing and keeps the rules
 *   it has; when the node reconnects it lists again (after the same delay) and syncs.
 * - Syncs follow upstream's BoundedFrequencyRunner (k/k pkg/proxy/runner,
 *   bounded_frequency_runner.go, v1.33+): a change asks for a sync; a sync runs at once
 *   if minSyncPeriod has passed since the last one, else when it has (changes meanwhile
 *   are coalesced into that one sync; no bursts: the older async runner's burstSyncs 2 is
 *   gone). Without changes a sync still runs every maxInterval: the proxiers pass
 *   proxyutil.FullSyncPeriod (1 h, recalled) as maxInterval and syncPeriod (30 s) as the
 *   retry interval after a failed sync; kubesim's syncs never fail, so syncPeriod changes
 *   nothing here. A sync takes no time (upstream: iptables-restore takes ms to s on big
 *   clusters).
 * - Rules: after a sync a node's rules for a Service are the EndpointSlice version its
 *   kube-proxy last saw (a shared immutable array: EndpointVersion.usable, ready
 *   endpoints or, when none is ready, serving terminating ones).
 * - A crashed node's kube-proxy is gone and so are its rules (the machine rebooted); when
 *   the node comes back kube-proxy starts, lists and syncs at once (its first sync is not
 *   held by minSyncPeriod).
 */
import { US_PER_MS, US_PER_S, type Simulation } from "../engine/simulation.js";
import type { EndpointSliceStore, EndpointVersion } from "../apiserver/endpointSlices.js";

/** --iptables-min-sync-period / --ipvs-min-sync-period default (pkg/proxy/apis/config/v1alpha1/defaults.go). */
export const DEFAULT_MIN_SYNC_PERIOD_US = 1 * US_PER_S;
/** --iptables-sync-period / --ipvs-sync-period default (same file): the retry interval of a failed sync. */
export const DEFAULT_SYNC_PERIOD_US = 30 * US_PER_S;
/** proxyutil.FullSyncPeriod (pkg/proxy/util, recalled: 1 h): the runner's maxInterval. */
export const FULL_SYNC_PERIOD_US = 3600 * US_PER_S;
/** [kubesim choice] from a stored EndpointSlice write to a kube-proxy's informer seeing it. */
export const DEFAULT_PROXY_WATCH_DELAY_US = 100 * US_PER_MS;

export type ProxyMode = "iptables" | "nftables" | "ipvs";
export type IpvsScheduler = "rr" | "lc";

export interface KubeProxySpec {
  mode: ProxyMode;
  /** --ipvs-scheduler (mode ipvs): rr (the code's default when empty) or lc. */
  ipvsScheduler: IpvsScheduler;
  minSyncPeriodUs: number;
  syncPeriodUs: number;
  watchDelayUs: number;
}

export const DEFAULT_KUBE_PROXY: KubeProxySpec = {
  mode: "iptables",
  ipvsScheduler: "rr",
  minSyncPeriodUs: DEFAULT_MIN_SYNC_PERIOD_US,
  syncPeriodUs: DEFAULT_SYNC_PERIOD_US,
  watchDelayUs: DEFAULT_PROXY_WATCH_DELAY_US,
};

/** What kube-proxy needs to know of its node's machine (wired from the kubelets' fault state). */
export interface NodeMachines {
  readonly count: number;
  /** The machine is down (crashed or not provisioned): no kube-proxy. */
  crashed(node: number): boolean;
  /** The node is cut off from the control plane: its kube-proxy sees no watch event. */
  cutOff(node: number): boolean;
}

const NONE = -1;

export class KubeProxies {
  /** Rule syncs run, over all nodes. */
  syncs = 0;
  private readonly serviceCount: number;
  /** Per node x Service: the version its informer holds, and the one its rules were synced from. */
  private readonly seen: (EndpointVersion | undefined)[];
  private readonly rulesOf: (EndpointVersion | undefined)[];
  private readonly lastSyncUs: Float64Array;
  /** Per node: the deferred sync's time (NONE: none waiting), and the next periodic check. */
  private readonly deferredAtUs: Float64Array;
  private readonly periodicAtUs: Float64Array;
  private readonly periodicPending: Uint8Array;
  /** Per node: 1 while its kube-proxy runs (machine up). */
  private readonly running: Uint8Array;
  /** Per Service: published versions not yet delivered (watch delay), oldest first. */
  private readonly inTransit: EndpointVersion[][];
  private readonly deliverId: number;
  private readonly deferredId: number;
  private readonly periodicId: number;
  private readonly relistId: number;

  constructor(
    private readonly sim: Simulation,
    private readonly store: EndpointSliceStore,
    private readonly machines: NodeMachines,
    readonly spec: KubeProxySpec,
  ) {
    const n = machines.count;
    const s = (this.serviceCount = store.services.length);
    this.seen = new Array(n * s).fill(undefined);
    this.rulesOf = new Array(n * s).fill(undefined);
    this.lastSyncUs = new Float64Array(n).fill(-Infinity);
    this.deferredAtUs = new Float64Array(n).fill(NONE);
    this.periodicAtUs = new Float64Array(n).fill(NONE);
    this.periodicPending = new Uint8Array(n);
    this.running = new Uint8Array(n);
    this.inTransit = store.services.map(() => []);
    this.deliverId = sim.on("kubeProxy.watchEvent", (svc) => this.deliver(svc));
    this.deferredId = sim.on("kubeProxy.deferredSync", (node) => this.deferredSync(node));
    this.periodicId = sim.on("kubeProxy.periodicSync", (node) => this.periodic(node));
    this.relistId = sim.on("kubeProxy.relist", (node) => this.relist(node));
  }

  start(): void {
    this.store.onChanged.push((svc) => {
      this.inTransit[svc].push(this.store.version(svc));
      this.sim.schedule(this.spec.watchDelayUs, this.deliverId, svc);
    });
    for (let node = 0; node < this.machines.count; node++) if (!this.machines.crashed(node)) this.boot(node);
  }

  /** The rules node `node` has for Service `svc` (undefined: none programmed). */
  rules(node: number, svc: number): EndpointVersion | undefined {
    return this.rulesOf[node * this.serviceCount + svc];
  }

  /** The node's machine or connection changed (the kubelets' fault state). */
  nodeChanged(node: number): void {
    const crashed = this.machines.crashed(node);
    if (crashed && this.running[node] === 1) {
      this.running[node] = 0;
      const base = node * this.serviceCount;
      for (let s = 0; s < this.serviceCount; s++) {
        this.seen[base + s] = undefined;
        this.rulesOf[base + s] = undefined;
      }
      this.deferredAtUs[node] = NONE;
      this.periodicAtUs[node] = NONE;
    } else if (!crashed && this.running[node] === 0) {
      this.boot(node);
    } else if (!crashed && !this.machines.cutOff(node)) {
      // Reconnected: the informers list again.
      this.sim.schedule(this.spec.watchDelayUs, this.relistId, node);
    }
  }

  private boot(node: number): void {
    this.running[node] = 1;
    this.lastSyncUs[node] = -Infinity;
    if (this.machines.cutOff(node)) return; // it lists when it can reach the API
    this.listAll(node);
    this.requestSync(node);
  }

  private relist(node: number): void {
    if (this.running[node] === 0 || this.machines.cutOff(node)) return;
    this.listAll(node);
    this.requestSync(node);
  }

  private listAll(node: number): void {
    const base = node * this.serviceCount;
    for (let s = 0; s < this.serviceCount; s++) this.seen[base + s] = this.store.version(s);
  }

  private deliver(svc: number): void {
    const v = this.inTransit[svc].shift()!;
    const { machines, serviceCount } = this;
    for (let node = 0; node < machines.count; node++) {
      if (this.running[node] === 0 || machines.cutOff(node)) continue;
      this.seen[node * serviceCount + svc] = v;
      this.requestSync(node);
    }
  }

  /** BoundedFrequencyRunner.Run(): at once if minSyncPeriod has passed since the last sync, else once it has. */
  private requestSync(node: number): void {
    if (this.deferredAtUs[node] !== NONE) return; // coalesced into the waiting sync
    const earliest = this.lastSyncUs[node] + this.spec.minSyncPeriodUs;
    if (this.sim.now >= earliest) this.sync(node);
    else {
      this.deferredAtUs[node] = earliest;
      this.sim.scheduleAt(earliest, this.deferredId, node);
    }
  }

  private deferredSync(node: number): void {
    if (this.deferredAtUs[node] !== this.sim.now || this.running[node] === 0) return; // stale
    this.deferredAtUs[node] = NONE;
    this.sync(node);
  }

  private periodic(node: number): void {
    this.periodicPending[node] = 0;
    const at = this.periodicAtUs[node];
    if (this.running[node] === 0 || at === NONE) return;
    if (at > this.sim.now) return this.schedulePeriodic(node); // a sync since moved it
    this.periodicAtUs[node] = NONE;
    this.requestSync(node);
  }

  /** One pending periodic event per node, at periodicAtUs (moved later by each sync without a new event). */
  private schedulePeriodic(node: number): void {
    if (this.periodicPending[node] === 1) return;
    this.periodicPending[node] = 1;
    this.sim.scheduleAt(this.periodicAtUs[node], this.periodicId, node);
  }

  private sync(node: number): void {
    const base = node * this.serviceCount;
    for (let s = 0; s < this.serviceCount; s++) this.rulesOf[base + s] = this.seen[base + s];
    this.lastSyncUs[node] = this.sim.now;
    this.syncs++;
    // maxInterval: the next sync without any change.
    this.periodicAtUs[node] = this.sim.now + FULL_SYNC_PERIOD_US;
    this.schedulePeriodic(node);
  }
}
