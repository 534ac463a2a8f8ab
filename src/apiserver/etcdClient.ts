/**
 * kube-apiserver's etcd client: which member a request goes to, and what a client
 * sees when that member goes away.
 *
 * Upstream: each kube-apiserver builds one etcd clientv3 over its --etcd-servers list
 * (k8s.io/apiserver pkg/storage/storagebackend/factory/etcd3.go), which spreads
 * requests round robin over the endpoints. A member whose process is down refuses the
 * connection (TCP RST) and the client moves on at once; a member that went silent
 * (host down, partition) keeps the connection open until the gRPC keepalive gives up
 * on it (keepaliveTime 30 s + keepaliveTimeout 10 s, same file), and requests sent to
 * it hang until then. kube-apiserver's /healthz includes an etcd check (same file,
 * newETCD3Check): it passes when some endpoint answers and knows a leader.
 *
 * kubesim's own choice: a request hung on a silent endpoint is answered 500 (etcd
 * unavailable) when the keepalive gives up; it is not retried on another endpoint.
 *
 * Stacked API servers list only their local member (kubeadm), so they have one
 * endpoint; with external etcd every API server lists every member.
 */
import { US_PER_S } from "../engine/simulation.js";
import type { Simulation } from "../engine/simulation.js";
import type { Topology } from "../infra/topology.js";
import type { EtcdOp, EtcdPort, EtcdResponder } from "./etcdPort.js";

/**
 * How long kube-apiserver's etcd client keeps using an endpoint that went silent (host
 * down or partitioned: no RST) before its gRPC keepalive drops the connection:
 * keepaliveTime 30 s + keepaliveTimeout 10 s (k8s.io/apiserver storagebackend/factory/etcd3.go).
 */
export const ETCD_CLIENT_KEEPALIVE_US = 40 * US_PER_S;

/** Told, with the request's token, that its connection was dropped by the keepalive. */
export type EtcdConnectionLost = (token: number) => void;

export class EtcdClient {
  /** Requests handed to etcd or hung on a silent endpoint (tests: watch-cache reads must not add to it). */
  requestsSent = 0;
  /** Round-robin cursor over etcd endpoints, per API server. */
  private readonly endpointCursor: Int32Array;
  /** Per (server, member): when the endpoint went silent as this server saw it, or -1. */
  private readonly silentSinceUs: Float64Array;
  private readonly hConnectionLost: number;

  constructor(
    private readonly sim: Simulation,
    private readonly topology: Topology,
    private readonly etcd: EtcdPort,
    private readonly keepaliveUs: number,
    /** Receives etcd's answers (set once: no closure per request). */
    answered: EtcdResponder,
    private readonly connectionLost: EtcdConnectionLost,
  ) {
    const n = topology.apiserverHosts.length;
    this.endpointCursor = new Int32Array(n);
    this.silentSinceUs = new Float64Array(n * etcd.memberCount).fill(-1);
    this.hConnectionLost = sim.on("apiserver.etcdConnectionLost", (token) => this.connectionLost(token));
    etcd.setResponder(answered);
  }

  /** The etcd check of API server `server`'s /healthz: some endpoint answers now and knows a leader. */
  healthy(server: number): boolean {
    const m = this.pickEndpoint(server, false);
    return m >= 0 && this.etcd.hasLeader(m);
  }

  /**
   * Send `op` for API server `server`. False when no endpoint is usable (nothing was
   * sent). Otherwise, exactly once later: the responder gets `token` with etcd's
   * answer, or `connectionLost(token)` runs when the endpoint was silent.
   */
  send(server: number, op: EtcdOp, token: number): boolean {
    const member = this.pickEndpoint(server, true);
    if (member < 0) return false;
    this.requestsSent++;
    const silent = this.silentSinceUs[server * this.etcd.memberCount + member];
    if (silent >= 0) {
      // The client still believes in a silent endpoint: the request hangs until the
      // keepalive gives up on the connection.
      this.sim.scheduleAt(silent + this.keepaliveUs, this.hConnectionLost, token);
      return true;
    }
    this.etcd.submit(op, this.topology.apiserverHosts[server], member, token);
    return true;
  }

  /**
   * The etcd member an API server uses for its next request: round robin over the
   * endpoints the client considers usable. An endpoint whose process is down refuses
   * connections (RST) and is skipped at once; one that went silent is still used until
   * the keepalive gives up on it. `advance` false (the /healthz probe) only accepts
   * endpoints that answer now and leaves the cursor where it is.
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
        this.silentSinceUs[row + m] = -1;
        usable = true;
      } else if (!advance || this.etcd.refused(host, m)) {
        usable = false;
      } else {
        if (this.silentSinceUs[row + m] < 0) this.silentSinceUs[row + m] = now;
        usable = now < this.silentSinceUs[row + m] + this.keepaliveUs;
      }
      if (usable) {
        if (advance) this.endpointCursor[server] = (k + 1) % eps.length;
        return m;
      }
    }
    return -1;
  }
}
