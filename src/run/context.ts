/**
 * What every component of a run is handed: the clock and random streams, the resolved
 * spec, the cluster state the API server holds (and its watch events), and the control
 * plane when the scenario has one. Components get their neighbours from here, never from
 * a global or a lookup that depends on the order in which they were created.
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import type { Simulation } from "../engine/simulation.js";
import type { SummaryRow } from "../metrics/summary.js";
import type { Table } from "../metrics/tables.js";
import type { ControlPlane } from "./controlPlane.js";
import type { ClusterSpec } from "./spec.js";

export interface RunContext {
  readonly sim: Simulation;
  readonly spec: ClusterSpec;
  readonly cluster: ClusterState;
  /** The control plane (API servers, etcd, leases); undefined: API writes take effect at once. */
  readonly controlPlane: ControlPlane | undefined;
  /** PodDisruptionBudget i's status.disruptionsAllowed now (spec.pdbs order), as the disruption controller keeps it. */
  readonly disruptionsAllowed?: (pdb: number) => number;
}

/** A pluggable part of a run (the kube-scheduler, or a test's stand-in for it). */
export interface Component {
  readonly name: string;
  /** Called once at time 0, after every component exists. */
  start?(): void;
  /** Called at the end of the run: extra CSV tables and summary rows. */
  finish?(): { tables?: Table[]; summary?: SummaryRow[] };
}

/** Builds a component from the run context, or returns undefined when it has nothing to do. */
export type ComponentFactory = (ctx: RunContext) => Component | undefined;
