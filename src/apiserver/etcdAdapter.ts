/**
 * The raft model (EtcdCluster, src/etcd/) behind the API servers' EtcdPort.
 * One etcd client per host that has an API server, as each kube-apiserver has its own.
 */
import { Outcome, RequestKind, type EtcdClientHandler, type OutcomeCode } from "../etcd/api.js";
import type { Network } from "../infra/network.js";
import { EtcdOp, EtcdOutcome, type EtcdPort, type EtcdResponder } from "./etcdPort.js";

export function etcdOutcome(o: OutcomeCode): EtcdOutcome {
  switch (o) {
    case Outcome.OK:
      return EtcdOutcome.Ok;
    case Outcome.TIMEOUT:
    case Outcome.TIMEOUT_LEADER_FAIL:
      return EtcdOutcome.Timeout;
    default:
      return EtcdOutcome.Unavailable;
  }
}

/** The part of EtcdCluster (src/etcd/etcdCluster.ts) the API servers use. */
export interface EtcdClusterClientApi {
  readonly size: number;
  memberHost(member: number): number;
  isUp(member: number): boolean;
  leaderOf(member: number): number;
  addClient(host: number, handler: EtcdClientHandler): number;
  put(client: number, member: number, tag: number): number;
  get(client: number, member: number, tag: number, linearizable: boolean): number;
}

export class EtcdClusterPort implements EtcdPort {
  private readonly clientOfHost = new Map<number, number>();
  private responder: EtcdResponder = () => {
    throw new Error("etcd answer before the API servers registered a responder");
  };

  constructor(
    readonly cluster: EtcdClusterClientApi,
    readonly network: Network,
    /** Whether a host is up (a down host answers nothing; an up host refuses a closed port). */
    readonly hostUp: (host: number) => boolean = () => true,
  ) {}

  get memberCount(): number {
    return this.cluster.size;
  }

  memberHost(member: number): number {
    return this.cluster.memberHost(member);
  }

  reachable(fromHost: number, member: number): boolean {
    const h = this.cluster.memberHost(member);
    return this.cluster.isUp(member) && this.network.canReach(fromHost, h) && this.network.canReach(h, fromHost);
  }

  refused(fromHost: number, member: number): boolean {
    const h = this.cluster.memberHost(member);
    return !this.cluster.isUp(member) && this.hostUp(h) && this.network.canReach(fromHost, h) && this.network.canReach(h, fromHost);
  }

  hasLeader(member: number): boolean {
    return this.cluster.isUp(member) && this.cluster.leaderOf(member) >= 0;
  }

  setResponder(responder: EtcdResponder): void {
    this.responder = responder;
  }

  submit(op: EtcdOp, fromHost: number, member: number, token: number): void {
    const c = this.client(fromHost);
    if (op === EtcdOp.Write) this.cluster.put(c, member, token);
    else this.cluster.get(c, member, token, op === EtcdOp.LinearizableRead);
  }

  private client(host: number): number {
    let c = this.clientOfHost.get(host);
    if (c === undefined) {
      c = this.cluster.addClient(host, {
        onEtcdResponse: (tag: number, _kind: number, outcome: OutcomeCode, latencyUs: number) =>
          this.responder(tag, etcdOutcome(outcome), latencyUs),
      });
      this.clientOfHost.set(host, c);
    }
    return c;
  }
}

/** RequestKind of an EtcdOp (for callers that log etcd's own names). */
export const ETCD_OP_KIND = [RequestKind.PUT, RequestKind.GET_LINEARIZABLE, RequestKind.GET_SERIALIZABLE] as const;
