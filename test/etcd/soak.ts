/**
 * Raft soak: random fault schedules through the etcd model with its running safety
 * checker (src/etcd/safety.ts: one leader per term, committed entries never change or
 * go missing, no truncation at or below the commit index). A schedule is a pure
 * function of one integer seed, so any schedule reproduces alone:
 *
 *   npm run soak:raft -- --seed <seed> --schedules 1 --verbose
 *
 * One schedule: a cluster of 3 or 5 voters (sometimes 4 or 6 with one learner), raft
 * options drawn at random (pre-vote, check-quorum, the timer reset on a term change,
 * tick or continuous election timeouts, small snapshot thresholds so that snapshots and
 * catch-up happen), a client writing every 5 ms (and linearizable reads), and 0-24
 * faults over 1-4 simulated seconds: member crashes and restarts, leader kills,
 * symmetric partitions (two or three groups), a member isolated, one-way link cuts,
 * slow disks, message loss, heals. Then everything is repaired and the cluster must
 * converge within 30 simulated seconds: one leader, every member at the leader's commit
 * index with the same entry.
 *
 * Outcomes: "safety" (a SafetyViolation: the model broke Raft), "liveness" (no
 * convergence after repair), "error" (anything else thrown), or "ok".
 */
import { US_PER_MS } from "../../src/engine/simulation.js";
import { RandomStreams } from "../../src/engine/random.js";
import { Role, type RaftConfig } from "../../src/etcd/api.js";
import type { EtcdCluster } from "../../src/etcd/etcdCluster.js";
import { REPLICATE, SNAPSHOT, type ProgressTracker } from "../../src/etcd/progress.js";
import { SafetyViolation } from "../../src/etcd/safety.js";
import { makeCluster } from "./harness.js";

export type SoakFault =
  | { atMs: number; kind: "crash" | "restart"; member: number }
  | { atMs: number; kind: "kill-leader" }
  | { atMs: number; kind: "partition"; groups: number[][] }
  | { atMs: number; kind: "isolate"; member: number }
  | { atMs: number; kind: "cut"; from: number; to: number }
  | { atMs: number; kind: "heal" }
  | { atMs: number; kind: "slow-disk"; member: number; factor: number }
  | { atMs: number; kind: "fast-disk"; member: number }
  | { atMs: number; kind: "loss"; probability: number };

export interface SoakSchedule {
  seed: number;
  members: number;
  learners: number;
  raft: Partial<RaftConfig>;
  /** How long faults may happen (the repair comes after). */
  faultPhaseMs: number;
  faults: SoakFault[];
}

export interface SoakResult {
  seed: number;
  outcome: "ok" | "safety" | "liveness" | "error";
  message?: string;
  /**
   * A liveness failure of a known kind (the leader's progress for the lagging follower,
   * after the repair):
   *  - "stuck-in-snapshot": still StateSnapshot long after the snapshot arrived (the
   *    follower's MsgAppResp was lost). etcd leaves that state when the transport reports
   *    the transfer (ReportSnapshot(SnapshotFinish) -> BecomeProbe, recalled from
   *    etcdserver/raft.go); the model only reports failed transfers;
   *  - "inflight-full": StateReplicate with a full inflight window of MsgApps that were
   *    lost while the follower was down or cut off. etcd-io/raft frees one slot per
   *    MsgHeartbeatResp (raft.go stepLeader, recalled) and the transport reports the peer
   *    unreachable (MsgUnreachable -> BecomeProbe); the model does neither.
   */
  cause?: Stall;
  simEvents: number;
}

/**
 * The most simulated time the cluster gets to converge after the repair, checked every
 * POLL_MS. An fsync begun on a disk 200x slow can take seconds (the lognormal's tail x 200).
 */
const CONVERGE_MS = 30_000;
const POLL_MS = 250;
/** The client's write period during the fault phase. */
const WRITE_EVERY_MS = 5;

/** The schedule of one seed. */
export function soakSchedule(seed: number): SoakSchedule {
  const rng = new RandomStreams(`raft-soak-${seed}`);
  const shape = rng.stream("shape");
  const pick = <T>(xs: readonly T[]): T => xs[shape.int(xs.length)];
  const withLearner = shape.next() < 0.2;
  const voters = pick([3, 3, 5, 5, 5]);
  const members = voters + (withLearner ? 1 : 0);
  // Tick mode (etcd): 10 ms ticks, 100 ms election timeout; continuous (the paper): 50-100 ms.
  const continuous = shape.next() < 0.4;
  const raft: Partial<RaftConfig> = {
    heartbeatIntervalUs: (continuous ? 25 : 10) * US_PER_MS,
    electionTicks: 10,
    electionTimeoutRangeUs: continuous ? [50 * US_PER_MS, 100 * US_PER_MS] : null,
    preVote: shape.next() < 0.6,
    checkQuorum: shape.next() < 0.6,
    resetTimerOnTermChange: shape.next() < 0.6,
    snapshotCount: pick([50, 100, 300]),
    snapshotCatchUpEntries: pick([10, 50]),
  };
  const faultPhaseMs = 1000 + 500 * shape.int(7);
  const f = rng.stream("faults");
  const n = f.int(25);
  const faults: SoakFault[] = [];
  const member = () => f.int(members);
  for (let i = 0; i < n; i++) {
    const atMs = f.int(faultPhaseMs);
    const r = f.next();
    if (r < 0.16) faults.push({ atMs, kind: "crash", member: member() });
    else if (r < 0.3) faults.push({ atMs, kind: "restart", member: member() });
    else if (r < 0.38) faults.push({ atMs, kind: "kill-leader" });
    else if (r < 0.5) {
      // Two or three groups, each member in one at random.
      const k = 2 + f.int(2);
      const groups: number[][] = Array.from({ length: k }, () => []);
      for (let m = 0; m < members; m++) groups[f.int(k)].push(m);
      faults.push({ atMs, kind: "partition", groups: groups.filter((g) => g.length > 0) });
    } else if (r < 0.56) faults.push({ atMs, kind: "isolate", member: member() });
    else if (r < 0.68) faults.push({ atMs, kind: "cut", from: member(), to: member() });
    else if (r < 0.78) faults.push({ atMs, kind: "heal" });
    else if (r < 0.86) faults.push({ atMs, kind: "slow-disk", member: member(), factor: 2 + f.int(199) });
    else if (r < 0.9) faults.push({ atMs, kind: "fast-disk", member: member() });
    else faults.push({ atMs, kind: "loss", probability: Math.round(f.next() * 50) / 100 });
  }
  faults.sort((a, b) => a.atMs - b.atMs);
  return { seed, members, learners: withLearner ? 1 : 0, raft, faultPhaseMs, faults };
}

/** Play a schedule; a safety violation, a failure to converge, or any other error is its outcome. */
export function runSoakSchedule(s: SoakSchedule): SoakResult {
  const c = makeCluster(s.members, `raft-soak-${s.seed}`, s.raft, { learners: s.learners });
  const { sim, etcd, net, disks } = c;
  const host = (m: number) => etcd.memberHost(m);
  try {
    let next = 0;
    let tag = 0;
    for (let t = 0; t <= s.faultPhaseMs; t += WRITE_EVERY_MS) {
      while (next < s.faults.length && s.faults[next].atMs <= t) {
        const f = s.faults[next++];
        switch (f.kind) {
          case "crash": etcd.crash(f.member); break;
          case "restart": etcd.restart(f.member); break;
          case "kill-leader": etcd.killLeader(); break;
          case "partition": etcd.partitionMembers(f.groups); break;
          case "isolate": net.isolate(host(f.member)); break;
          case "cut": if (f.from !== f.to) net.cut(host(f.from), host(f.to)); break;
          case "heal": net.heal(); break;
          case "slow-disk": disks.setSlow(host(f.member), f.factor); break;
          case "fast-disk": disks.clearSlow(host(f.member)); break;
          case "loss": net.setLossProbability(f.probability); break;
        }
      }
      etcd.put(c.client, tag % s.members, tag);
      if (tag % 7 === 0) etcd.get(c.client, tag % s.members, tag, true);
      tag++;
      sim.run(t * US_PER_MS);
    }
    // Repair everything; the cluster must converge on one committed log.
    net.heal();
    net.setLossProbability(0);
    for (let m = 0; m < s.members; m++) {
      disks.clearSlow(host(m));
      etcd.restart(m);
    }
    etcd.put(c.client, 0, -1);
    // Converged: a leader, and every member at its commit index with its entry there. A
    // disk that was slow may still be finishing an fsync begun while slow, so wait for it.
    const converged = () => {
      const l = etcd.leader();
      if (l < 0 || etcd.role(l) !== Role.LEADER) return false;
      const ci = etcd.commitIndex(l);
      if (ci !== etcd.clusterCommitIndex()) return false;
      for (let m = 0; m < s.members; m++) if (etcd.commitIndex(m) !== ci || etcd.entryTerm(m, ci) !== etcd.entryTerm(l, ci)) return false;
      return true;
    };
    const deadline = sim.now + CONVERGE_MS * US_PER_MS;
    while (!converged() && sim.now < deadline) sim.run(sim.now + POLL_MS * US_PER_MS);
    if (converged()) return { seed: s.seed, outcome: "ok", simEvents: sim.eventsRun };
    const lead = etcd.leader();
    if (lead < 0) return { seed: s.seed, outcome: "liveness", message: `no leader ${CONVERGE_MS} ms after the repair`, simEvents: sim.eventsRun };
    const ci = etcd.commitIndex(lead);
    if (ci !== etcd.clusterCommitIndex()) {
      return { seed: s.seed, outcome: "liveness", message: `leader ${etcd.memberName(lead)} at commit index ${ci}, the cluster committed ${etcd.clusterCommitIndex()}`, simEvents: sim.eventsRun };
    }
    const m = [...Array(s.members).keys()].find((k) => etcd.commitIndex(k) !== ci || etcd.entryTerm(k, ci) !== etcd.entryTerm(lead, ci))!;
    const cause = stall(etcd, s.members, lead, m);
    return {
      seed: s.seed,
      outcome: "liveness",
      message: `${CONVERGE_MS} ms after the repair ${etcd.memberName(m)} is at commit index ${etcd.commitIndex(m)}, leader ${etcd.memberName(lead)} at ${ci}`,
      ...(cause ? { cause } : {}),
      simEvents: sim.eventsRun,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { seed: s.seed, outcome: e instanceof SafetyViolation ? "safety" : "error", message, simEvents: sim.eventsRun };
  }
}

export type Stall = "stuck-in-snapshot" | "inflight-full";

/**
 * Which known liveness bug keeps `follower` behind, from the leader's progress for it.
 * The tracker is private to EtcdCluster; the soak reads it (only) to tell the known
 * bugs from a new one.
 */
function stall(etcd: EtcdCluster, members: number, leader: number, follower: number): Stall | undefined {
  const progress = (etcd as unknown as { ctx: { progress: ProgressTracker } }).ctx.progress;
  const i = leader * members + follower;
  if (progress.state[i] === SNAPSHOT) return "stuck-in-snapshot";
  if (progress.state[i] === REPLICATE && progress.inflightCount[i] >= progress.maxInflight) return "inflight-full";
  return undefined;
}

/** A schedule as text, one line per fault (for a violation's report). */
export function describeSchedule(s: SoakSchedule): string {
  const r = s.raft;
  const timing = r.electionTimeoutRangeUs ? `continuous ${r.electionTimeoutRangeUs[0] / US_PER_MS}-${r.electionTimeoutRangeUs[1] / US_PER_MS} ms` : `ticks of ${(r.heartbeatIntervalUs ?? 0) / US_PER_MS} ms x ${r.electionTicks}`;
  const head =
    `seed ${s.seed}: ${s.members - s.learners} voters${s.learners ? ` + ${s.learners} learner` : ""}, ${timing}, preVote ${r.preVote}, checkQuorum ${r.checkQuorum}, ` +
    `resetTimerOnTermChange ${r.resetTimerOnTermChange}, snapshotCount ${r.snapshotCount}, faults over ${s.faultPhaseMs} ms:`;
  const lines = s.faults.map((f) => {
    const { atMs, kind, ...rest } = f;
    return `  ${String(atMs).padStart(5)} ms ${kind} ${JSON.stringify(rest)}`;
  });
  return [head, ...lines].join("\n");
}
