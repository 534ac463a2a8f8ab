/**
 * An etcd cluster: raft members on network hosts, with disks, serving client writes and
 * reads. This is the whole public surface the control plane uses (API servers talk to
 * etcd only through it). Implementation in progress: signatures are final.
 *
 * Usage:
 *   const net = new Network(sim); const h = [net.addHost("cp-1", "zone-a"), ...];
 *   const disks = new Disks(sim);
 *   const etcd = new EtcdCluster(sim, { network: net, disks, members: [{ name: "etcd-1", host: h[0] }, ...] });
 *   const c = etcd.addClient(h[0], { onEtcdResponse(tag, kind, outcome, latencyUs) { ... } });
 *   etcd.put(c, 0, 42);                 // write via member 0; answer arrives with tag 42
 *   etcd.get(c, 0, 43, true);           // linearizable read (ReadIndex + heartbeat round)
 *   etcd.observe({ onLeaderElected(ch) { ... } });
 *   etcd.crash(etcd.leader()); net.partition([[h[0]], [h[1], h[2]]]); disks.setSlow(h[1], 10);
 */
import type { Simulation } from "../../engine/simulation.js";
import type { Disks } from "../disk.js";
import type { Network } from "../network.js";
import type {
  EtcdClientHandler,
  EtcdMemberSpec,
  EtcdObserver,
  EtcdStats,
  LeaderLossCause,
  RaftConfig,
  RoleCode,
} from "./api.js";

export interface EtcdClusterOptions {
  members: EtcdMemberSpec[];
  network: Network;
  disks: Disks;
  raft?: Partial<RaftConfig>;
  /** Prefix of the random stream names ("etcd" -> "etcd.election"); distinct per cluster. */
  streamPrefix?: string;
}

export declare class EtcdClusterApi {
  constructor(sim: Simulation, options: EtcdClusterOptions);
  readonly config: RaftConfig;
  readonly stats: EtcdStats;
  /** Number of members (voters + learners). */
  readonly size: number;
  memberName(member: number): string;
  memberHost(member: number): number;
  memberIndex(name: string): number;
  /** Voting members' quorum: floor(voters/2)+1. */
  quorum(): number;

  /** Register a client (an API server's etcd client) on a host; returns its client id. */
  addClient(host: number, handler: EtcdClientHandler): number;
  /** Write through `member` (forwarded to the leader if it is a follower). Returns a request id. */
  put(client: number, member: number, tag: number): number;
  /** Read through `member`: linearizable (ReadIndex) or serializable (local). Returns a request id. */
  get(client: number, member: number, tag: number, linearizable: boolean): number;

  role(member: number): RoleCode;
  term(member: number): number;
  isUp(member: number): boolean;
  /** The leader the cluster follows now: the live leader with the highest term, or -1. */
  leader(): number;
  /** Whom `member` believes is leader (-1 when none). */
  leaderOf(member: number): number;
  commitIndex(member: number): number;
  appliedIndex(member: number): number;
  lastIndex(member: number): number;

  /** Crash a member's process: volatile state and unsynced log entries are lost. */
  crash(member: number, cause?: LeaderLossCause): void;
  /** Restart a crashed member from its durable state (term, vote, fsynced log). */
  restart(member: number): void;
  /** Crash the current leader; returns its index or -1 if there is none. */
  killLeader(): number;
  /** Partition members (by their hosts) into groups that cannot talk to each other. */
  partitionMembers(groups: readonly (readonly number[])[]): void;

  observe(observer: EtcdObserver): void;
  /** Stop the cluster: every pending event becomes a no-op. */
  stop(): void;
}
