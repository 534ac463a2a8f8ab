/**
 * The control plane of one run, resolved from the scenario's `controlPlane` section:
 * every time in microseconds, every distribution a DistributionSpec (latencies in ms,
 * as the network and disk models take them).
 */
import type { DistributionSpec } from "../engine/distribution.js";
import type { KubeApiConfig } from "../apiserver/kubeApi.js";
import type { ControlPlaneFault } from "./controlPlaneFaults.js";
import type { LeaderElectionConfig } from "../client/leaderElection.js";
import type { TopologyInput } from "../infra/topology.js";
import type { RaftConfig } from "../etcd/api.js";
import type { NetworkLatencyConfig } from "../infra/network.js";

/** Background API traffic, so latencies and availability mean something. */
export interface ApiLoadSpec {
  /** Kubelets renewing their node Lease (kube-node-lease); -1 = one per node of the node pools. */
  nodeLeases: number;
  nodeLeaseRenewIntervalUs: number;
  /** PATCH pods/status per second, cluster-wide (kubelet status updates). */
  podStatusUpdatesPerSecond: number;
  /** POST pods/binding per second by the acting kube-scheduler (only while it holds its lease). */
  bindingsPerSecond: number;
  /** LIST/GET from the watch cache per second (informers' resourceVersion=0 reads, kubectl get). */
  cachedReadsPerSecond: number;
  /** Quorum GETs per second (reads that reach etcd). */
  quorumReadsPerSecond: number;
}

/** The Raft paper's leader-election experiment (run by src/controlplane/experiments/leaderElection.ts). */
export interface RaftElectionExperimentSpec {
  members: number;
  /** Election timeouts: continuous ranges in ms (the paper's), or etcd-style whole ticks. */
  timeouts: ({ minMs: number; maxMs: number } | { ticks: number })[];
  /** Absolute heartbeat interval (ms): the tick of tick series, and for ranges it overrides heartbeatFraction. */
  heartbeatIntervalMs?: number;
  /** Heartbeat interval as a fraction of the minimum election timeout (paper: 0.5). */
  heartbeatFraction: number;
  trials: number;
  /** Trials for ranges without randomness (the paper ran 100 for 150-150). */
  trialsWithoutRandomness: number;
  /** One-way link latency (ms); undefined = the runner's LAN default. */
  linkLatencyMs?: DistributionSpec;
  /** fsync latency (ms); undefined = the runner's default (lognormal p50 2.5 ms, p99 5 ms, fitted; docs/etcd.md). */
  fsyncMs?: DistributionSpec;
  /** Members crashed together per trial (the leader and crashTogether-1 others). */
  crashTogether: number;
  /** Survivors whose log lacks the last entry, so they cannot win (paper: 2 of 4). */
  ineligible: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Restart the election timer on stepping down to a newer term (etcd-io/raft), not only on a leader's message or a granted vote (the paper). */
  resetTimerOnTermChange: boolean;
  /** A trial without a new leader after this long is censored (ms). */
  trialTimeoutMs: number;
}

export interface ControlPlaneSpec {
  topology: TopologyInput;
  raft: Partial<RaftConfig>;
  fsyncMs: DistributionSpec;
  network: { latencyMs: Partial<NetworkLatencyConfig>; lossProbability: number };
  apiserver: KubeApiConfig;
  leaderElection: LeaderElectionConfig;
  load: ApiLoadSpec;
  faults: ControlPlaneFault[];
  /** When set, the run is this experiment instead of a cluster control plane. */
  experiment?: RaftElectionExperimentSpec;
}
