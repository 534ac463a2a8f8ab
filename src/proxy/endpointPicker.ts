/**
 * How a node's rules pick an endpoint for a new connection, per proxy mode:
 *
 * - iptables: rule i of n has `-m statistic --mode random --probability 1/(n-i)`, the last
 *   one none, so each endpoint gets 1/n (k/k pkg/proxy/iptables/proxier.go
 *   writeServiceToEndpointRules); nftables: `numgen random mod n vmap {...}`
 *   (pkg/proxy/nftables/proxier.go): uniform too. Both draw from the seeded stream
 *   "proxy.<namespace>/<service>" (one stream per Service, shared by the nodes).
 * - ipvs rr (round robin, proxier.go defaultScheduler "rr"): each node keeps its own
 *   position per Service and takes the next endpoint in the rules' order. kubesim keeps a
 *   counter modulo the current number of endpoints (the kernel keeps a pointer to the last
 *   destination, so the order after a change may differ).
 * - ipvs lc (least connection, the kernel's ip_vs_lc.c): the endpoint with the lowest
 *   overhead = activeconns x 256 + inactconns from this node (each node's IPVS counts only
 *   its own), the first in the rules' order on ties. A closed connection stays inactive for
 *   IPVS_INACTIVE_US (the kernel's FIN_WAIT/TIME_WAIT timeouts, 2 min, recalled), so at low
 *   load lc spreads requests by recent history rather than piling them on the first endpoint.
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_S } from "../engine/simulation.js";
import type { IpvsScheduler, ProxyMode } from "./kubeProxy.js";

/** ip_vs_lc.c: an active connection weighs 256 inactive ones (ip_vs_dest_conn_overhead). */
export const IPVS_ACTIVE_WEIGHT = 256;
/** How long a closed TCP connection counts as inactive in IPVS: the kernel's tcp FIN_WAIT / TIME_WAIT timeouts (2 min, recalled). */
export const IPVS_INACTIVE_US = 120 * US_PER_S;

export class EndpointPicker {
  /** ipvs rr: per node x Service, the next position. */
  private readonly cursor: Int32Array;
  /** ipvs lc: per node, the overhead (active x 256 + inactive) of each pod from it. */
  private readonly active: Map<number, number>[];

  constructor(
    readonly mode: ProxyMode,
    readonly scheduler: IpvsScheduler,
    private readonly nodeCount: number,
    private readonly serviceCount: number,
    /** Per Service: the stream of iptables/nftables draws. */
    private readonly streams: readonly RandomStream[],
  ) {
    this.cursor = new Int32Array(mode === "ipvs" && scheduler === "rr" ? nodeCount * serviceCount : 0);
    this.active = mode === "ipvs" && scheduler === "lc" ? Array.from({ length: nodeCount }, () => new Map()) : [];
  }

  /** The pod a new connection from `node` to Service `svc` goes to, among `endpoints` (not empty). */
  pick(node: number, svc: number, endpoints: Int32Array): number {
    if (this.mode !== "ipvs") return endpoints[this.streams[svc].int(endpoints.length)];
    if (this.scheduler === "rr") {
      const k = node * this.serviceCount + svc;
      const i = this.cursor[k] % endpoints.length;
      this.cursor[k] = i + 1;
      return endpoints[i];
    }
    const counts = this.active[node];
    let best = endpoints[0];
    let bestCount = counts.get(best) ?? 0;
    // bestCount > 0: an endpoint with no connection at all cannot be beaten.
    for (let i = 1; i < endpoints.length && bestCount > 0; i++) {
      const c = counts.get(endpoints[i]) ?? 0;
      if (c < bestCount) {
        best = endpoints[i];
        bestCount = c;
      }
    }
    return best;
  }

  /** Does the caller need to call `inactiveExpired` IPVS_INACTIVE_US after each close? */
  get tracksConnections(): boolean {
    return this.active.length > 0;
  }

  /** A connection from `node` to `pod` opened (+1) or closed (-1: it turns inactive). */
  connection(node: number, pod: number, delta: 1 | -1): void {
    if (this.active.length === 0) return;
    // open: +256; close: -256 + 1 (inactive until inactiveExpired)
    this.add(node, pod, delta > 0 ? IPVS_ACTIVE_WEIGHT : 1 - IPVS_ACTIVE_WEIGHT);
  }

  /** A closed connection's inactive entry expired. */
  inactiveExpired(node: number, pod: number): void {
    if (this.active.length > 0) this.add(node, pod, -1);
  }

  private add(node: number, pod: number, delta: number): void {
    const counts = this.active[node];
    const c = (counts.get(pod) ?? 0) + delta;
    if (c === 0) counts.delete(pod);
    else counts.set(pod, c);
  }

  get nodes(): number {
    return this.nodeCount;
  }
}
