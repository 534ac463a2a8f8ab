/**
 * What the API server needs from etcd, and nothing more. The raft model
 * (src/etcd/) is adapted to this port in etcdAdapter.ts, so the API
 * server, leader election and tests do not depend on the raft model's internals.
 */

export const enum EtcdOp {
  Write = 0,
  /** ReadIndex round through the leader (kube-apiserver's quorum GET/LIST). */
  LinearizableRead = 1,
  /** Answered by the member alone, possibly stale. */
  SerializableRead = 2,
}

export const enum EtcdOutcome {
  Ok = 0,
  /** "etcdserver: request timed out" after the request timeout (7 s by default). */
  Timeout = 1,
  /** "etcdserver: no leader". */
  NoLeader = 2,
  /** Member process down or unreachable from the client's host. */
  Unavailable = 3,
}

/** Receives etcd answers: `token` as given to submit, the outcome, and the round trip. */
export type EtcdResponder = (token: number, outcome: EtcdOutcome, latencyUs: number) => void;

export interface EtcdPort {
  readonly memberCount: number;
  /** Host index the member runs on. */
  memberHost(member: number): number;
  /** Whether a client on `fromHost` can open a connection to `member` now (process up, no partition). */
  reachable(fromHost: number, member: number): boolean;
  /**
   * Whether a connection attempt from `fromHost` to `member` is actively refused (the
   * member's host answers but its process is down: TCP RST), as opposed to silently lost
   * (host down or partitioned away).
   */
  refused(fromHost: number, member: number): boolean;
  /** Whether the member currently knows a leader (kube-apiserver's etcd health check passes). */
  hasLeader(member: number): boolean;
  /** Who receives the answers (set once, by the API servers). */
  setResponder(responder: EtcdResponder): void;
  /**
   * Issue `op` from a client on `fromHost` to `member`. Exactly once, later, the
   * responder is called with the same token.
   */
  submit(op: EtcdOp, fromHost: number, member: number, token: number): void;
}
