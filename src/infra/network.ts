/**
 * The control-plane network: hosts placed in zones and regions, a one-way latency
 * distribution per link class, partitions (symmetric, asymmetric, isolating a host or a
 * set of hosts) and random message loss.
 *
 * Everything that crosses a host boundary (raft messages between etcd members, requests
 * from an API server to etcd) asks `delayUs(from, to)` when it is sent: a negative answer
 * means the message is lost. Reachability is decided at send time; a message already in
 * flight when a partition starts is still delivered (a simplification: real packets in
 * flight would be lost, but TCP retransmission makes the difference one RTT at most).
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import type { Simulation } from "../engine/simulation.js";
import { US_PER_MS } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";

/** One-way latency distributions in milliseconds, by how far apart two hosts are. */
export interface NetworkLatencyConfig {
  sameHost: DistributionSpec;
  sameZone: DistributionSpec;
  crossZone: DistributionSpec;
  crossRegion: DistributionSpec;
}

export interface NetworkConfig {
  latencyMs: NetworkLatencyConfig;
  /** Probability that any one cross-host message is lost (0 by default). */
  lossProbability: number;
}

/** Loopback delivery between two processes on one host (ms). [assumption: a few tens of µs] */
export const SAME_HOST_LATENCY_MS: DistributionSpec = { type: "constant", value: 0.05 };
/**
 * Same zone, one way (ms). etcd performance.md: "RTT within a datacenter may be as long as
 * several hundred microseconds" -> one way p50 0.15 ms, p99 0.5 ms.
 */
export const SAME_ZONE_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 0.15, p99: 0.5 };
/**
 * Across zones of one region, one way (ms). [assumption: cloud inter-AZ RTT is commonly
 * 0.5-2 ms; not from an etcd source] -> p50 0.5 ms, p99 1.5 ms.
 */
export const CROSS_ZONE_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 0.5, p99: 1.5 };
/**
 * Across regions, one way (ms). etcd performance.md: typical RTT within the US ~50 ms ->
 * one way p50 25 ms, p99 40 ms.
 */
export const CROSS_REGION_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 25, p99: 40 };

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  latencyMs: {
    sameHost: SAME_HOST_LATENCY_MS,
    sameZone: SAME_ZONE_LATENCY_MS,
    crossZone: CROSS_ZONE_LATENCY_MS,
    crossRegion: CROSS_REGION_LATENCY_MS,
  },
  lossProbability: 0,
};

/** Link classes, in the order of `NetworkLatencyConfig`. */
export const LinkClass = { SAME_HOST: 0, SAME_ZONE: 1, CROSS_ZONE: 2, CROSS_REGION: 3 } as const;

export interface HostPlacement {
  name: string;
  zone: string;
  region: string;
}

const MAX_HOSTS = 4096;

export class Network {
  readonly config: NetworkConfig;
  private readonly sim: Simulation;
  private readonly rng: RandomStream;
  private readonly lossRng: RandomStream;
  private readonly classes: Distribution[];
  private readonly hosts: HostPlacement[] = [];
  private readonly hostByName = new Map<string, number>();
  private zoneOf = new Int32Array(16);
  private regionOf = new Int32Array(16);
  private readonly zoneIds = new Map<string, number>();
  private readonly regionIds = new Map<string, number>();
  /**
   * blocked[from * cap + to] = 1 when messages from `from` to `to` are dropped. A matrix,
   * because control planes have tens of hosts, and the check runs per message.
   */
  private blocked = new Uint8Array(16 * 16);
  private cap = 16;
  private blockedCount = 0;
  private lossProbability: number;

  constructor(sim: Simulation, config: Partial<NetworkConfig> = {}) {
    this.sim = sim;
    this.config = {
      latencyMs: { ...DEFAULT_NETWORK_CONFIG.latencyMs, ...(config.latencyMs ?? {}) },
      lossProbability: config.lossProbability ?? 0,
    };
    const l = this.config.latencyMs;
    this.classes = [distribution(l.sameHost), distribution(l.sameZone), distribution(l.crossZone), distribution(l.crossRegion)];
    this.lossProbability = this.config.lossProbability;
    this.rng = sim.rng.stream("network.latency");
    this.lossRng = sim.rng.stream("network.loss");
  }

  /** Add a host; returns its index. Host names are unique. */
  addHost(name: string, zone = "zone-a", region = "region-1"): number {
    if (this.hostByName.has(name)) throw new Error(`network: host "${name}" added twice`);
    if (this.hosts.length >= MAX_HOSTS) throw new Error(`network: more than ${MAX_HOSTS} hosts`);
    const h = this.hosts.length;
    this.hosts.push({ name, zone, region });
    this.hostByName.set(name, h);
    if (h >= this.cap) this.grow(h + 1);
    if (!this.regionIds.has(region)) this.regionIds.set(region, this.regionIds.size);
    const zoneKey = `${region}/${zone}`;
    if (!this.zoneIds.has(zoneKey)) this.zoneIds.set(zoneKey, this.zoneIds.size);
    this.zoneOf[h] = this.zoneIds.get(zoneKey)!;
    this.regionOf[h] = this.regionIds.get(region)!;
    return h;
  }

  get hostCount(): number {
    return this.hosts.length;
  }

  host(h: number): HostPlacement {
    return this.hosts[h];
  }

  hostIndex(name: string): number {
    const h = this.hostByName.get(name);
    if (h === undefined) throw new Error(`network: unknown host "${name}"`);
    return h;
  }

  /** Hosts in a zone (for "isolate zone b"). */
  hostsInZone(zone: string, region?: string): number[] {
    const out: number[] = [];
    for (let h = 0; h < this.hosts.length; h++) {
      if (this.hosts[h].zone === zone && (region === undefined || this.hosts[h].region === region)) out.push(h);
    }
    return out;
  }

  linkClass(from: number, to: number): number {
    if (from === to) return LinkClass.SAME_HOST;
    if (this.regionOf[from] !== this.regionOf[to]) return LinkClass.CROSS_REGION;
    if (this.zoneOf[from] !== this.zoneOf[to]) return LinkClass.CROSS_ZONE;
    return LinkClass.SAME_ZONE;
  }

  /**
   * One-way delay in microseconds for a message sent now from host `from` to host `to`,
   * or -1 when the message is lost (partition or random loss). Allocation-free.
   */
  delayUs(from: number, to: number): number {
    if (from !== to) {
      if (this.blockedCount > 0 && this.blocked[from * this.cap + to] === 1) return -1;
      if (this.lossProbability > 0 && this.lossRng.next() < this.lossProbability) return -1;
    }
    const ms = this.classes[this.linkClass(from, to)].sample(this.rng);
    return ms > 0 ? ms * US_PER_MS : 0;
  }

  /** True when messages from `from` currently reach `to` (ignoring random loss). */
  canReach(from: number, to: number): boolean {
    return from === to || this.blocked[from * this.cap + to] === 0;
  }

  /** Drop messages from `from` to `to` (one direction only: an asymmetric partition). */
  cut(from: number, to: number): void {
    this.setBlocked(from, to, 1);
  }

  /** Restore the direction `from` -> `to`. */
  restore(from: number, to: number): void {
    this.setBlocked(from, to, 0);
  }

  /**
   * Symmetric partition into groups: hosts in different groups cannot talk. Hosts not
   * named in any group keep their links to everybody.
   */
  partition(groups: readonly (readonly number[])[]): void {
    for (let g = 0; g < groups.length; g++) {
      for (let k = 0; k < groups.length; k++) {
        if (g === k) continue;
        for (const a of groups[g]) for (const b of groups[k]) this.setBlocked(a, b, 1);
      }
    }
  }

  /** Cut every link to and from `host` (both directions). */
  isolate(host: number): void {
    for (let h = 0; h < this.hosts.length; h++) {
      if (h === host) continue;
      this.setBlocked(host, h, 1);
      this.setBlocked(h, host, 1);
    }
  }

  /** Cut a set of hosts off from the rest (they still reach each other). */
  isolateSet(hosts: readonly number[]): void {
    const inSet = new Set(hosts);
    const rest: number[] = [];
    for (let h = 0; h < this.hosts.length; h++) if (!inSet.has(h)) rest.push(h);
    this.partition([hosts, rest]);
  }

  /** Remove every partition and cut link. */
  heal(): void {
    this.blocked.fill(0);
    this.blockedCount = 0;
  }

  setLossProbability(p: number): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`network: loss probability ${p} outside [0, 1]`);
    this.lossProbability = p;
  }

  /** Number of directed host pairs currently cut. */
  get cutLinks(): number {
    return this.blockedCount;
  }

  /** The simulation this network belongs to. */
  get simulation(): Simulation {
    return this.sim;
  }

  private setBlocked(from: number, to: number, v: 0 | 1): void {
    if (from === to) return;
    const i = from * this.cap + to;
    if (this.blocked[i] !== v) {
      this.blocked[i] = v;
      this.blockedCount += v === 1 ? 1 : -1;
    }
  }

  /** Room for `hosts` hosts: the per-host columns grow; the matrix is laid out again (its row length is `cap`). */
  private grow(hosts: number): void {
    const cap = nextCapacity(this.cap, hosts);
    const m = new Uint8Array(cap * cap);
    for (let a = 0; a < this.cap; a++) m.set(this.blocked.subarray(a * this.cap, (a + 1) * this.cap), a * cap);
    this.blocked = m;
    this.cap = cap;
    this.zoneOf = grown(this.zoneOf, cap);
    this.regionOf = grown(this.regionOf, cap);
  }
}
