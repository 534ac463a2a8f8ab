/**
 * Client requests: an API server's etcd client sends a put or a get to one member and
 * waits for the answer or its timeout (etcd server/etcdserver/v3_server.go; the request
 * slots are requests.ts).
 *
 *  - The request travels over the network to the member (lost if the link is cut: the
 *    client then sees only its timeout). On arrival a member that is down answers
 *    UNAVAILABLE, a learner LEARNER_REJECTED, and a member without a leader NO_LEADER when
 *    the client asked for one (clientv3 WithRequireLeader).
 *  - A put is proposed to raft (replication.ts) and answered when the member applies its
 *    entry (readyCycle.ts); a linearizable get joins the read loop (readIndex.ts); a
 *    serializable get is answered at once from local state.
 *  - The answer travels back over the network; the request ends when it arrives or when
 *    the upstream request timeout (etcd ReqTimeout, 7 s by default) fires first.
 */
import type { Simulation } from "../engine/simulation.js";
import type { Network } from "../infra/network.js";
import {
  Outcome,
  RequestKind,
  Role,
  type EtcdClientHandler,
  type EtcdStats,
  type OutcomeCode,
  type RaftConfig,
  type RequestKindCode,
} from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Members } from "./members.js";
import type { ReadIndex } from "./readIndex.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";
import type { RequestTable } from "./requests.js";
import type { Timers } from "./timers.js";

export class ClientRequests {
  private declare readonly ctx: EtcdContext;
  private declare readonly sim: Simulation;
  private declare readonly config: RaftConfig;
  private declare readonly stats: EtcdStats;
  private declare readonly net: Network;
  private declare readonly members: Members;
  private declare readonly requestTable: RequestTable;
  private readonly clientHost: number[] = [];
  private readonly clientHandler: EtcdClientHandler[] = [];
  private declare readonly arriveHandlerId: number;
  private declare readonly answerHandlerId: number;
  private declare readonly timeoutHandlerId: number;
  private declare timers: Timers;
  private declare ready: ReadyCycle;
  private declare replication: Replication;
  private declare readIndex: ReadIndex;

  constructor(ctx: EtcdContext) {
    this.ctx = ctx;
    const sim = ctx.sim;
    this.sim = sim;
    this.config = ctx.config;
    this.stats = ctx.stats;
    this.net = ctx.net;
    this.members = ctx.members;
    this.requestTable = ctx.requests;
    this.arriveHandlerId = sim.on("etcd.requestArrives", (id) => this.onRequestArrives(id));
    this.answerHandlerId = sim.on("etcd.answerArrives", (id, outcome) => this.onAnswerArrives(id, outcome));
    this.timeoutHandlerId = sim.on("etcd.requestTimeout", (id) => this.onRequestTimeout(id));
  }

  wire(parts: EtcdParts): void {
    this.timers = parts.timers;
    this.ready = parts.ready;
    this.replication = parts.replication;
    this.readIndex = parts.readIndex;
  }

  /** Register a client on a host; returns its client id. */
  addClient(host: number, handler: EtcdClientHandler): number {
    this.clientHost.push(host);
    this.clientHandler.push(handler);
    return this.clientHost.length - 1;
  }

  /** Send a request from `client` to `member`; returns the request id. */
  request(kind: RequestKindCode, client: number, member: number, tag: number, requireLeader: boolean): number {
    if (!(client >= 0 && client < this.clientHost.length)) throw new RangeError(`etcd: unknown client ${client}`);
    if (!(member >= 0 && member < this.members.count)) throw new RangeError(`etcd: unknown member ${member}`);
    const reqs = this.requestTable;
    const now = this.sim.now;
    const id = reqs.alloc(kind, client, member, tag, now);
    const s = reqs.slotOf(id);
    if (requireLeader) reqs.requireLeader[s] = 1;
    reqs.timer[s] = this.sim.timer(this.config.requestTimeoutUs, this.timeoutHandlerId, id);
    const d = this.net.delayUs(this.clientHost[client], this.members.host[member]);
    if (d >= 0) this.sim.schedule(d, this.arriveHandlerId, id);
    return id;
  }

  private onRequestArrives(id: number): void {
    if (this.ctx.stopped) return;
    const members = this.members;
    const reqs = this.requestTable;
    const s = reqs.slotOf(id);
    if (s < 0) return;
    const m = reqs.member[s];
    if (members.role[m] === Role.DOWN) {
      this.answer(s, Outcome.UNAVAILABLE);
      return;
    }
    if (members.learner[m] === 1) {
      this.answer(s, Outcome.LEARNER_REJECTED);
      return;
    }
    if (reqs.requireLeader[s] === 1 && members.leader[m] < 0) {
      this.answer(s, Outcome.NO_LEADER);
      return;
    }
    const kind = reqs.kind[s];
    if (kind === RequestKind.PUT) this.replication.propose(m, id);
    else if (kind === RequestKind.GET_SERIALIZABLE) this.answer(s, Outcome.OK);
    else this.readIndex.enqueue(m, id);
    this.ready.run(m);
  }

  /** Send the answer from the member to the client over the network (lost if the link is cut). */
  answer(s: number, outcome: OutcomeCode): void {
    const reqs = this.requestTable;
    reqs.answered[s] = 1;
    const d = this.net.delayUs(this.members.host[reqs.member[s]], this.clientHost[reqs.client[s]]);
    if (d >= 0) this.sim.schedule(d, this.answerHandlerId, reqs.idOf(s), outcome);
  }

  /** A crash: the client connections to member `m` break and everything waiting on it fails. */
  failRequestsAt(m: number): void {
    const reqs = this.requestTable;
    for (let s = 0; s < reqs.slotsUsed; s++) {
      if (reqs.live[s] === 1 && reqs.member[s] === m && reqs.answered[s] === 0) this.answer(s, Outcome.UNAVAILABLE);
    }
  }

  private onAnswerArrives(id: number, outcome: number): void {
    if (this.ctx.stopped) return;
    const s = this.requestTable.slotOf(id);
    if (s < 0) return;
    this.complete(s, outcome as OutcomeCode);
  }

  /**
   * The request timeout. The error is the one the member would return (etcd
   * parseProposeCtxErr): "possibly due to previous leader failure" when the member itself
   * became leader within 2 election timeouts after the request started (etcd sets
   * leadElectedTime only on the member that wins), else "request timed out".
   * Simplifications: etcd's "possibly due to connection lost" variant is reported as
   * "request timed out"; the client sees the error at start + timeout, without the
   * answer's trip back.
   */
  private onRequestTimeout(id: number): void {
    if (this.ctx.stopped) return;
    const reqs = this.requestTable;
    const s = reqs.slotOf(id);
    if (s < 0) return;
    reqs.timer[s] = -1;
    const m = reqs.member[s];
    const start = reqs.startUs[s];
    const elected = this.members.leadElectedUs[m];
    const twoElections = 2 * this.timers.minElectionTimeoutUs();
    const leaderFail = elected > start && elected - twoElections < start;
    this.complete(s, leaderFail ? Outcome.TIMEOUT_LEADER_FAIL : Outcome.TIMEOUT);
  }

  private complete(s: number, outcome: OutcomeCode): void {
    const reqs = this.requestTable;
    if (reqs.timer[s] >= 0) this.sim.cancel(reqs.timer[s]);
    const client = reqs.client[s];
    const tag = reqs.tag[s];
    const kind = reqs.kind[s] as RequestKindCode;
    const latency = this.sim.now - reqs.startUs[s];
    reqs.release(s);
    if (outcome === Outcome.OK) this.stats.requestsOk++;
    else this.stats.requestsFailed++;
    this.clientHandler[client].onEtcdResponse(tag, kind, outcome, latency);
  }
}
