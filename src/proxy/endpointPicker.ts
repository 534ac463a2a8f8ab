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
 * - ipvs lc (least connection): the endpoint with the fewest active connections from this
 *   node (each node's IPVS counts only its own), the first in the rules' order on ties.
 */
import type { RandomStream } from "../engine/random.js";
import type { IpvsScheduler, ProxyMode } from "./kubeProxy.js";

export class EndpointPicker {
  /** ipvs rr: per node x Service, the next position. */
  private readonly cursor: Int32Array;
  /** ipvs lc: per node, active connections to each pod from it. */
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
    for (let i = 1; i < endpoints.length && bestCount > 0; i++) {
      const c = counts.get(endpoints[i]) ?? 0;
      if (c < bestCount) {
        best = endpoints[i];
        bestCount = c;
      }
    }
    return best;
  }

  /** A connection from `node` to `pod` opened (+1) or closed (-1): lc's counts. */
  connection(node: number, pod: number, delta: 1 | -1): void {
    if (this.active.length === 0) return;
    const counts = this.active[node];
    const c = (counts.get(pod) ?? 0) + delta;
    if (c === 0) counts.delete(pod);
    else counts.set(pod, c);
  }

  get nodes(): number {
    return this.nodeCount;
  }
}
