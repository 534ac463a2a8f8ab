/**
 * The Raft paper's leader-election experiment (Figure 16) as a run: the experiment
 * runner (src/controlplane/experiments/) crashes the leader of a 5-server cluster over
 * and over for each election-timeout range, and the run writes elections.csv (one row
 * per trial) and election_ranges.csv (the distribution per range).
 */
import type { Table } from "../metrics/tables.js";
import type { Cluster } from "./cluster.js";
import type { Component } from "./components.js";
import type { RaftElectionExperimentSpec } from "./controlPlaneSpec.js";

export function raftElectionComponent(_cluster: Cluster, _spec: RaftElectionExperimentSpec): Component {
  return {
    name: "raft-election-experiment",
    finish(): { tables: Table[] } {
      throw new Error("the raft-election experiment runner (src/controlplane/experiments/) is not available yet");
    },
  };
}
