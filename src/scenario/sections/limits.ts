/**
 * The `limits` section: how large a run kubesim accepts before it starts. Each limit
 * bounds one cost that grows with the scenario (memory for nodes, pods and time-series
 * rows; time for periodic control-plane work and raft trials), so a scenario that would
 * take hours or run out of memory is refused at once, with the field, the limit and
 * this section named. A scenario that needs more says so here, or on the command line:
 *
 *   limits: {nodes: 200000}          # or: --set limits.nodes=200000
 *
 * The defaults sit well above Kubernetes' own tested envelope (sig-scalability
 * thresholds: 5,000 nodes, 150,000 pods) and below what one run does in about five
 * minutes and 1 GB on a laptop (measured; docs/limits.md). The checks are in
 * ../bounds.ts.
 */
import { z } from "zod";
import { positiveInt } from "../fields.js";

/** sig-scalability configs-and-limits/thresholds.md: #Nodes 5000, #Pods 150000 (kubernetes/community). */
export const UPSTREAM_TESTED_NODES = 5000;
export const UPSTREAM_TESTED_PODS = 150_000;

export const DEFAULT_LIMITS = {
  /**
   * Nodes in all pools (and synthetic kubelets, controlPlane.load.nodeLeases). 20x the
   * tested 5,000; measured: 200,000 idle nodes for 1 h took 5.5 s and 620 MB.
   */
  nodes: 100_000,
  /**
   * Pods created over the run: Deployment replicas, Pods, and the expected Poisson
   * arrivals (rate x active time). 3x the tested 150,000 at once; measured: 300,000
   * replicas on 5,000 nodes took 37 s and 610 MB (pods.csv keeps one row per pod).
   */
  pods: 500_000,
  /**
   * Rows of timeseries.csv: duration / sampleInterval + 1. Measured: 1,000,000 rows took
   * 13 s and 1.65 GB, so 200,000 (23 days at 10 s) stays near 350 MB.
   */
  timeseriesRows: 200_000,
  /**
   * Periodic control-plane work over the run: API load, node lease renewals, leader
   * election renewals, etcd heartbeats and load-balancer health checks (see bounds.ts).
   * Measured: about 120,000 per second of wall-clock time (2,000 kubelets for 1 h:
   * 0.9 M in 7.8 s), so this is about 4 minutes; a 5,000-node cluster makes ~2 M an hour.
   */
  controlPlaneOperations: 30_000_000,
  /**
   * Trials of the raft-election experiment, all ranges together: 11x the paper's 9,100.
   * Measured: 1,000 trials of 5 members in 0.8 s, 200 of 31 members in 0.8 s.
   */
  raftTrials: 100_000,
  /**
   * Requests the scenario's requestLoad sends over the run (the integral of each rate).
   * Measured (bench:data-path): 3.6 M requests in 7.0 s of run on an idle 2-core VM,
   * 16.3 s under load, so this is about 2 to 4 minutes.
   */
  requests: 50_000_000,
} as const;

export type Limits = { [K in keyof typeof DEFAULT_LIMITS]: number };

const limit = (what: string, dflt: number) => positiveInt(`a positive integer (${what})`).default(dflt);

export const limitsSchema = z
  .strictObject({
    nodes: limit("nodes in all pools", DEFAULT_LIMITS.nodes),
    pods: limit("pods created over the run", DEFAULT_LIMITS.pods),
    timeseriesRows: limit("rows of timeseries.csv", DEFAULT_LIMITS.timeseriesRows),
    controlPlaneOperations: limit("periodic control-plane operations over the run", DEFAULT_LIMITS.controlPlaneOperations),
    raftTrials: limit("trials of the raft-election experiment", DEFAULT_LIMITS.raftTrials),
    requests: limit("requests sent by requestLoad over the run", DEFAULT_LIMITS.requests),
  })
  .prefault({});

export const limitsSection = {
  limits: limitsSchema.describe("how large a run kubesim accepts (docs/limits.md); raise one here or with --set limits.<name>=N"),
};
