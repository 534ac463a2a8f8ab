/**
 * A member's clocks, in one of two modes (RaftConfig):
 *  - ticks (etcd): every `heartbeatIntervalUs` each member ticks (etcd-io/raft raft.go
 *    tickElection / tickHeartbeat). A follower campaigns after its randomized election
 *    timeout of [T, 2T-1] ticks (resetRandomizedElectionTimeout); a leader heartbeats
 *    every tick (etcd HeartbeatTick = 1) and checks its quorum every T ticks. Each
 *    process starts its ticker at its own phase, drawn from "<prefix>.tick-phase".
 *  - continuous (the Raft paper): the election timeout is a timer uniform in [min, max]
 *    µs; a leader has a heartbeat timer and, with check-quorum, a timer of `min`.
 * Election timeouts draw from "<prefix>.election". The draws happen in a fixed order
 * (reset on start, on campaign, on stepping down), which a seed reproduces exactly.
 *
 * Every event carries (member, incarnation): an event from before a crash is ignored.
 */
import type { RandomStream } from "../engine/random.js";
import type { Simulation } from "../engine/simulation.js";
import type { Network } from "../infra/network.js";
import { Role, type RaftConfig } from "./api.js";
import type { EtcdContext, EtcdParts } from "./context.js";
import type { Election } from "./election.js";
import type { Members } from "./members.js";
import type { ReadOnlyTracker } from "./readOnly.js";
import type { ReadyCycle } from "./readyCycle.js";
import type { Replication } from "./replication.js";

export class Timers {
  private declare readonly ctx: EtcdContext;
  private declare readonly sim: Simulation;
  private declare readonly config: RaftConfig;
  private declare readonly net: Network;
  private declare readonly members: Members;
  private declare readonly readOnly: ReadOnlyTracker;
  private declare readonly continuous: boolean;
  private declare readonly electionRng: RandomStream;
  private declare readonly phaseRng: RandomStream;
  private declare readonly tickHandlerId: number;
  private declare readonly electionTimeoutHandlerId: number;
  private declare readonly heartbeatHandlerId: number;
  private declare readonly checkQuorumHandlerId: number;
  private declare election: Election;
  private declare replication: Replication;
  private declare ready: ReadyCycle;

  constructor(ctx: EtcdContext, streamPrefix: string) {
    this.ctx = ctx;
    const sim = ctx.sim;
    this.sim = sim;
    this.config = ctx.config;
    this.net = ctx.net;
    this.members = ctx.members;
    this.readOnly = ctx.readOnly;
    this.continuous = ctx.continuous;
    this.electionRng = sim.rng.stream(`${streamPrefix}.election`);
    this.phaseRng = sim.rng.stream(`${streamPrefix}.tick-phase`);
    this.tickHandlerId = sim.on("etcd.tick", (m, inc) => this.onTick(m, inc));
    this.electionTimeoutHandlerId = sim.on("etcd.electionTimeout", (m, inc) => this.onElectionTimeout(m, inc));
    this.heartbeatHandlerId = sim.on("etcd.heartbeat", (m, inc) => this.onHeartbeatTimer(m, inc));
    this.checkQuorumHandlerId = sim.on("etcd.checkQuorum", (m, inc) => this.onCheckQuorumTimer(m, inc));
  }

  wire(parts: EtcdParts): void {
    this.election = parts.election;
    this.replication = parts.replication;
    this.ready = parts.ready;
  }

  /** The minimum election timeout in µs (the vote lease and check-quorum period; 2x of it bounds etcd's leader-failure hint). */
  minElectionTimeoutUs(): number {
    return this.continuous ? this.config.electionTimeoutRangeUs![0] : this.config.electionTicks * this.config.heartbeatIntervalUs;
  }

  /** Start a member's clocks (at creation and on restart). */
  start(m: number): void {
    const members = this.members;
    members.electionElapsed[m] = 0;
    members.heartbeatElapsed[m] = 0;
    const inc = members.incarnation[m];
    if (this.continuous) {
      this.resetElectionTimer(m);
    } else {
      this.resetRandomizedTimeout(m);
      // Each etcd process starts its ticker at its own moment.
      this.sim.schedule(this.phaseRng.next() * this.config.heartbeatIntervalUs, this.tickHandlerId, m, inc);
      if (this.config.initialElectionTickAdvance && members.leader[m] < 0) this.advanceTicksAtStart(m);
    }
    members.electionResetUs[m] = this.sim.now;
  }

  /**
   * etcd `adjustTicks` (--initial-election-tick-advance, default true), at every start: a
   * single-voter cluster fast-forwards electionTicks-1 ticks; otherwise, once more than one
   * peer is connected, electionTicks-2 ticks, so the first election comes 2..11 ticks after
   * start instead of 10..19. Simplification: peers are checked once, at start (etcd polls
   * every 50 ms for up to 5 s); with fewer than two reachable peers nothing is advanced.
   */
  private advanceTicksAtStart(m: number): void {
    const members = this.members;
    const t = this.config.electionTicks;
    if (members.voters === 1) {
      members.electionElapsed[m] = t - 1;
      return;
    }
    let active = 0;
    const h = members.host[m];
    for (let peer = 0; peer < members.count; peer++) {
      if (peer === m || members.role[peer] === Role.DOWN) continue;
      const hp = members.host[peer];
      if (this.net.canReach(h, hp) && this.net.canReach(hp, h)) active++;
    }
    if (active > 1) members.electionElapsed[m] = Math.max(0, t - 2);
  }

  /** A new election timeout: a fresh random draw (tick mode), then a reset. */
  restartElectionTimeout(m: number): void {
    if (!this.continuous) this.resetRandomizedTimeout(m);
    this.resetElectionTimer(m);
  }

  private resetRandomizedTimeout(m: number): void {
    // etcd-io/raft: electionTimeout + rand(electionTimeout) -> [T, 2T-1] ticks.
    const t = this.config.electionTicks;
    this.members.randomizedElectionTicks[m] = t + this.electionRng.int(t);
  }

  /** raft `reset`/electionElapsed = 0: restart the election timeout. */
  resetElectionTimer(m: number): void {
    const members = this.members;
    members.electionElapsed[m] = 0;
    members.electionResetUs[m] = this.sim.now;
    if (this.continuous) {
      if (members.electionTimer[m] >= 0) this.sim.cancel(members.electionTimer[m]);
      const [lo, hi] = this.config.electionTimeoutRangeUs!;
      const d = lo === hi ? lo : this.electionRng.uniform(lo, hi);
      members.electionTimer[m] = this.sim.timer(d, this.electionTimeoutHandlerId, m, members.incarnation[m]);
    }
  }

  cancelElectionTimer(m: number): void {
    const members = this.members;
    if (members.electionTimer[m] >= 0) this.sim.cancel(members.electionTimer[m]);
    members.electionTimer[m] = -1;
  }

  /** A new leader's timers (continuous mode; in tick mode the ticker serves). */
  startLeaderTimers(m: number): void {
    if (!this.continuous) return;
    const members = this.members;
    const inc = members.incarnation[m];
    members.heartbeatTimer[m] = this.sim.timer(this.config.heartbeatIntervalUs, this.heartbeatHandlerId, m, inc);
    if (this.config.checkQuorum) {
      members.checkQuorumTimer[m] = this.sim.timer(this.config.electionTimeoutRangeUs![0], this.checkQuorumHandlerId, m, inc);
    }
  }

  stopLeaderTimers(m: number): void {
    const members = this.members;
    if (members.heartbeatTimer[m] >= 0) this.sim.cancel(members.heartbeatTimer[m]);
    if (members.checkQuorumTimer[m] >= 0) this.sim.cancel(members.checkQuorumTimer[m]);
    members.heartbeatTimer[m] = members.checkQuorumTimer[m] = -1;
  }

  /** A crash: every timer of the member goes (the ReadIndex retry too). */
  cancelAll(m: number): void {
    const members = this.members;
    if (members.electionTimer[m] >= 0) this.sim.cancel(members.electionTimer[m]);
    if (members.heartbeatTimer[m] >= 0) this.sim.cancel(members.heartbeatTimer[m]);
    if (members.checkQuorumTimer[m] >= 0) this.sim.cancel(members.checkQuorumTimer[m]);
    if (members.readRetryTimer[m] >= 0) this.sim.cancel(members.readRetryTimer[m]);
    members.electionTimer[m] = members.heartbeatTimer[m] = members.checkQuorumTimer[m] = members.readRetryTimer[m] = -1;
  }

  private onTick(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] === Role.DOWN) return;
    this.sim.schedule(this.config.heartbeatIntervalUs, this.tickHandlerId, m, inc);
    if (members.role[m] === Role.LEADER) {
      // tickHeartbeat
      members.heartbeatElapsed[m]++;
      members.electionElapsed[m]++;
      if (members.electionElapsed[m] >= this.config.electionTicks) {
        members.electionElapsed[m] = 0;
        if (this.config.checkQuorum && !this.election.checkQuorum(m)) {
          this.ready.run(m);
          return;
        }
      }
      if (members.heartbeatElapsed[m] >= 1) {
        members.heartbeatElapsed[m] = 0;
        this.replication.bcastHeartbeat(m, this.readOnly.leaderCtx[m]);
      }
    } else {
      // tickElection
      members.electionElapsed[m]++;
      if (members.learner[m] === 0 && members.electionElapsed[m] >= members.randomizedElectionTicks[m]) {
        members.electionElapsed[m] = 0;
        this.election.campaign(m, this.config.preVote);
      }
    }
    this.ready.run(m);
  }

  private onElectionTimeout(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] === Role.DOWN) return;
    members.electionTimer[m] = -1;
    if (members.role[m] === Role.LEADER || members.learner[m] === 1) return;
    this.election.campaign(m, this.config.preVote);
    // A pre-candidate (or a candidate with a split vote) times out again.
    if (members.electionTimer[m] < 0 && members.role[m] !== Role.LEADER) this.resetElectionTimer(m);
    this.ready.run(m);
  }

  private onHeartbeatTimer(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] !== Role.LEADER) return;
    members.heartbeatTimer[m] = this.sim.timer(this.config.heartbeatIntervalUs, this.heartbeatHandlerId, m, inc);
    this.replication.bcastHeartbeat(m, this.readOnly.leaderCtx[m]);
    this.ready.run(m);
  }

  private onCheckQuorumTimer(m: number, inc: number): void {
    const members = this.members;
    if (this.ctx.stopped || inc !== members.incarnation[m] || members.role[m] !== Role.LEADER) return;
    members.checkQuorumTimer[m] = this.sim.timer(this.config.electionTimeoutRangeUs![0], this.checkQuorumHandlerId, m, inc);
    members.electionResetUs[m] = this.sim.now;
    this.election.checkQuorum(m);
    this.ready.run(m);
  }
}
