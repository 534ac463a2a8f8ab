/** One row per pod ever created (pods.csv), from the pod table. */
import { US_PER_S } from "../engine/simulation.js";
import type { NodeTable } from "../model/nodeTable.js";
import type { Interner } from "../model/interner.js";
import { PodPhase, type PodTable } from "../model/podTable.js";

export interface PodRow {
  pod: string;
  namespace: string;
  /** Owner kind/namespace/name, empty for a bare Pod. */
  owner: string;
  created_s: number;
  scheduled_s: number | null;
  running_s: number | null;
  deleted_s: number | null;
  node: string;
  /** completed, node-failure, deadline-exceeded; or the state at the end of the run: pending, starting, running. */
  outcome: string;
}

export const POD_COLUMNS: (keyof PodRow)[] = ["pod", "namespace", "owner", "created_s", "scheduled_s", "running_s", "deleted_s", "node", "outcome"];

const seconds = (us: number): number | null => (us < 0 ? null : us / US_PER_S);

export function podRows(pods: PodTable, nodes: NodeTable, owners: readonly string[], outcomes: Interner): PodRow[] {
  const rows: PodRow[] = [];
  for (let p = 0; p < pods.count; p++) {
    const phase = pods.phase[p];
    const outcome =
      pods.outcome[p] >= 0
        ? outcomes.name(pods.outcome[p])
        : phase === PodPhase.Pending
          ? "pending"
          : phase === PodPhase.Scheduled
            ? "starting"
            : "running";
    rows.push({
      pod: pods.names[p],
      namespace: pods.namespaces[p],
      owner: pods.owner[p] >= 0 ? owners[pods.owner[p]] : "",
      created_s: pods.createdUs[p] / US_PER_S,
      scheduled_s: seconds(pods.scheduledUs[p]),
      running_s: seconds(pods.runningUs[p]),
      deleted_s: seconds(pods.deletedUs[p]),
      node: pods.node[p] >= 0 ? nodes.names[pods.node[p]] : "",
      outcome,
    });
  }
  return rows;
}
