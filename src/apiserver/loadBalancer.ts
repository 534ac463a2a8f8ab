/**
 * The load balancer in front of the API servers (kubeadm's HA guide puts HAProxy in
 * TCP mode there, health-checking each kube-apiserver's /healthz).
 *
 * A server enters or leaves the pool only through health checks: after `fall`
 * consecutive failed checks it leaves, after `rise` consecutive passed checks it
 * returns. Until a dead server has failed `fall` checks, connections are still sent to
 * it; the LB then tries another server (`option redispatch`, `retries`).
 * Balancing is round robin over the servers in the pool.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";

/**
 * HAProxy `inter` default: 2 s between health checks (HAProxy configuration manual; `fastinter`
 * and `downinter` default to it, so a failing server is also probed every 2 s).
 */
export const HAPROXY_CHECK_INTERVAL_US = 2 * US_PER_S;
/** HAProxy `fall` default: 3 failed checks mark a server down (haproxy.com docs, "Health Check Threshold"). */
export const HAPROXY_FALL = 3;
/** HAProxy `rise` default: 2 passed checks mark a server up (same page). */
export const HAPROXY_RISE = 2;
/** `timeout connect 5s` as in the kubeadm HA guide's haproxy.cfg [unverified: read in third-party copies]. */
export const HAPROXY_CONNECT_TIMEOUT_US = 5 * US_PER_S;
/** `retries 1` with `option redispatch` as in the same haproxy.cfg [unverified, as above]. */
export const HAPROXY_RETRIES = 1;

export interface LoadBalancerConfig {
  checkIntervalUs: number;
  fall: number;
  rise: number;
  connectTimeoutUs: number;
  retries: number;
}

export const DEFAULT_LOAD_BALANCER: LoadBalancerConfig = {
  checkIntervalUs: HAPROXY_CHECK_INTERVAL_US,
  fall: HAPROXY_FALL,
  rise: HAPROXY_RISE,
  connectTimeoutUs: HAPROXY_CONNECT_TIMEOUT_US,
  retries: HAPROXY_RETRIES,
};

export class LoadBalancer {
  /** 1 while the server is in the pool. Every server starts in it. */
  readonly inPool: Uint8Array;
  private readonly passStreak: Int32Array;
  private readonly failStreak: Int32Array;
  private cursor = 0;
  private readonly checkHandler: number;
  /** Times a server left the pool (for tests and the events log). */
  readonly leftPoolAtUs: number[][];
  readonly listeners: ((server: number, inPool: boolean) => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    readonly serverCount: number,
    readonly config: LoadBalancerConfig,
    /** The health check: true when the server answers /healthz with 200. */
    private readonly probe: (server: number) => boolean,
  ) {
    this.inPool = new Uint8Array(serverCount).fill(1);
    this.passStreak = new Int32Array(serverCount);
    this.failStreak = new Int32Array(serverCount);
    this.leftPoolAtUs = Array.from({ length: serverCount }, () => []);
    this.checkHandler = sim.on("lb.healthCheck", (server) => this.check(server));
    // Checks of different servers are spread over the interval, as HAProxy does.
    const phase = sim.rng.stream("lb.healthCheckPhase");
    for (let s = 0; s < serverCount; s++) sim.schedule(phase.int(config.checkIntervalUs), this.checkHandler, s);
  }

  private check(server: number): void {
    const cfg = this.config;
    if (this.probe(server)) {
      this.failStreak[server] = 0;
      if (!this.inPool[server] && ++this.passStreak[server] >= cfg.rise) this.setInPool(server, true);
    } else {
      this.passStreak[server] = 0;
      if (this.inPool[server] && ++this.failStreak[server] >= cfg.fall) this.setInPool(server, false);
    }
    this.sim.schedule(cfg.checkIntervalUs, this.checkHandler, server);
  }

  private setInPool(server: number, up: boolean): void {
    this.inPool[server] = up ? 1 : 0;
    this.passStreak[server] = 0;
    this.failStreak[server] = 0;
    if (!up) this.leftPoolAtUs[server].push(this.sim.now);
    for (const l of this.listeners) l(server, up);
  }

  /**
   * Next server in round-robin order, skipping servers out of the pool and `avoid`
   * (the server a redispatched connection just failed on). -1 when none is left.
   */
  pick(avoid = -1): number {
    const n = this.serverCount;
    for (let i = 0; i < n; i++) {
      const s = (this.cursor + i) % n;
      if (this.inPool[s] && s !== avoid) {
        this.cursor = (s + 1) % n;
        return s;
      }
    }
    return -1;
  }

  poolSize(): number {
    let k = 0;
    for (let s = 0; s < this.serverCount; s++) k += this.inPool[s];
    return k;
  }
}
