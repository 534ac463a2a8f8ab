/**
 * etcd and raft defaults, each with its source. Times in microseconds.
 * Sources: etcd-io/etcd server/embed/config.go, server/config/config.go,
 * server/etcdserver/{raft.go,bootstrap.go,read/read.go}; etcd-io/raft raft.go;
 * website docs v3.6 (configuration.md, tuning.md, faq.md).
 */
import { US_PER_MS, US_PER_S } from "../engine/simulation.js";

/** etcd `--heartbeat-interval` default 100 ms (embed/config.go `TickMs: 100`); one raft tick. */
export const ETCD_HEARTBEAT_INTERVAL_US = 100 * US_PER_MS;

/** etcd `--election-timeout` default 1000 ms (embed/config.go `ElectionMs: 1000`). */
export const ETCD_ELECTION_TIMEOUT_US = 1000 * US_PER_MS;

/** raft ElectionTick = ElectionMs / TickMs = 10 (embed/config.go `ElectionTicks()`). */
export const ETCD_ELECTION_TICKS = ETCD_ELECTION_TIMEOUT_US / ETCD_HEARTBEAT_INTERVAL_US;

/** raft HeartbeatTick = 1: the leader sends heartbeats every tick (etcdserver/bootstrap.go). */
export const ETCD_HEARTBEAT_TICKS = 1;

/** raft Config CheckQuorum: hard-coded true by etcd (etcdserver/bootstrap.go raftConfig). */
export const ETCD_CHECK_QUORUM = true;

/** etcd `--initial-election-tick-advance` default true (embed/config.go; used by EtcdServer.adjustTicks). */
export const ETCD_INITIAL_ELECTION_TICK_ADVANCE = true;

/** etcd `--pre-vote` default true since v3.5 (v3.5/v3.6 configuration.md; false in v3.4). */
export const ETCD_PRE_VOTE = true;

/**
 * Request timeout = 5 s + 2 x election timeout = 7 s with defaults
 * (server/config/config.go ReqTimeout: "5s for queue waiting, computation and disk IO
 * delay + 2 * election timeout for possible leader election").
 */
export function requestTimeoutUs(electionTimeoutUs: number): number {
  return 5 * US_PER_S + 2 * electionTimeoutUs;
}
export const ETCD_REQUEST_TIMEOUT_US = requestTimeoutUs(ETCD_ELECTION_TIMEOUT_US);

/** etcd read loop resends ReadIndex every 500 ms (`readIndexRetryTime`, server/etcdserver/read/read.go in v3.8-alpha, v3_server.go before). */
export const ETCD_READ_INDEX_RETRY_US = 500 * US_PER_MS;

/** etcd raft MaxSizePerMsg = 1 MiB (etcdserver/raft.go `maxSizePerMsg`). */
export const ETCD_MAX_SIZE_PER_MSG_BYTES = 1024 * 1024;

/** etcd raft MaxInflightMsgs = 4096 / 8 = 512 (etcdserver/raft.go `maxInflightMsgs`). */
export const ETCD_MAX_INFLIGHT_MSGS = 512;

/**
 * Size of one log entry, used only to turn MaxSizePerMsg into a number of entries per
 * MsgApp. [assumption: a Kubernetes object write (Lease, Pod status) is ~1-4 KiB; 1 KiB]
 */
export const DEFAULT_ENTRY_BYTES = 1024;

/**
 * Entries kept after a snapshot so slow followers can catch up without a snapshot
 * (etcd `SnapshotCatchUpEntries` = 5000, etcdserver/server.go).
 */
export const ETCD_SNAPSHOT_CATCH_UP_ENTRIES = 5000;

/** etcd `--snapshot-count` default 10000 in v3.6 (100000 in v3.5) (configuration.md). */
export const ETCD_SNAPSHOT_COUNT = 10_000;

/** etcd `--max-learners` default 1 (api/membership/cluster_opts.go `DefaultMaxLearners`). */
export const ETCD_MAX_LEARNERS = 1;

/** Raft quorum: floor(n/2) + 1 voters (etcd FAQ; raft quorum/majority.go). */
export function quorumSize(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** Failures a cluster of `voters` tolerates: n - quorum (etcd FAQ table). */
export function failureTolerance(voters: number): number {
  return voters - quorumSize(voters);
}
