/**
 * Disks of the control-plane hosts: how long an fsync (etcd's WAL fdatasync) takes, and
 * a "slow disk" fault that multiplies it.
 *
 * The default fsync latency is lognormal with p50 2 ms and p99 8 ms: inside etcd's own
 * guidance (FAQ, v3.6/faq.md: `wal_fsync_duration_seconds` "p99 duration should be less
 * than 10ms"; performance.md: fdatasync "often < 1 ms" on SSD, ~10 ms on spinning disks),
 * i.e. a healthy cloud SSD volume. Set it per host or for all hosts.
 *
 * One member issues one fsync at a time; writes that arrive meanwhile are grouped into the
 * next fsync (etcd persists one raft Ready batch per fsync). That queueing lives in the
 * raft member; this module only draws durations.
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import type { Simulation } from "../engine/simulation.js";
import { US_PER_MS } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";

/** WAL fsync latency (ms): p50 2 ms, p99 8 ms, within etcd's "p99 < 10 ms" guidance (FAQ). */
export const DEFAULT_FSYNC_LATENCY_MS: DistributionSpec = { type: "lognormal", p50: 2, p99: 8 };

export class Disks {
  private readonly rng: RandomStream;
  private readonly byHost: Distribution[] = [];
  private slowFactor = new Float64Array(16);
  private defaultDist: Distribution;

  constructor(sim: Simulation, fsyncLatencyMs: DistributionSpec = DEFAULT_FSYNC_LATENCY_MS) {
    this.rng = sim.rng.stream("disk.fsync");
    this.defaultDist = distribution(fsyncLatencyMs);
    this.slowFactor.fill(1);
  }

  /** Use this fsync latency distribution (ms) on one host. */
  setFsyncLatency(host: number, spec: DistributionSpec): void {
    this.byHost[host] = distribution(spec);
  }

  /** Use this fsync latency distribution (ms) on every host without its own. */
  setDefaultFsyncLatency(spec: DistributionSpec): void {
    this.defaultDist = distribution(spec);
  }

  /** Slow-disk fault: every fsync on `host` takes `factor` times as long (1 = healthy). */
  setSlow(host: number, factor: number): void {
    if (!(factor > 0)) throw new RangeError(`disk: slow factor ${factor} must be positive`);
    this.ensure(host);
    this.slowFactor[host] = factor;
  }

  /** End a slow-disk fault. */
  clearSlow(host: number): void {
    this.ensure(host);
    this.slowFactor[host] = 1;
  }

  slowness(host: number): number {
    return host < this.slowFactor.length ? this.slowFactor[host] : 1;
  }

  /** Duration of one fsync on `host`, in microseconds. Allocation-free. */
  fsyncUs(host: number): number {
    const d = this.byHost[host] ?? this.defaultDist;
    const f = host < this.slowFactor.length ? this.slowFactor[host] : 1;
    const ms = d.sample(this.rng) * f;
    return ms > 0 ? ms * US_PER_MS : 0;
  }

  private ensure(host: number): void {
    const had = this.slowFactor.length;
    if (host < had) return;
    this.slowFactor = grown(this.slowFactor, nextCapacity(had, host + 1));
    this.slowFactor.fill(1, had); // hosts not seen yet are healthy
  }
}
