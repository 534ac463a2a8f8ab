/**
 * nodes.csv: one row per change of a node's Ready condition, of a lifecycle taint, or
 * of the Node object's existence, in the order they happened.
 */
import { US_PER_S } from "../engine/simulation.js";

export interface NodeTransitionRow {
  sim_time_s: number;
  node: string;
  pool: string;
  zone: string;
  /** condition | taint | object */
  kind: string;
  /** Ready; node.kubernetes.io/unreachable:NoExecute; Node */
  name: string;
  from: string;
  to: string;
}

export const NODE_TRANSITION_COLUMNS: (keyof NodeTransitionRow)[] = ["sim_time_s", "node", "pool", "zone", "kind", "name", "from", "to"];

export class NodeTransitions {
  readonly rows: NodeTransitionRow[] = [];

  constructor(
    private readonly names: readonly string[],
    private readonly pools: readonly string[],
    private readonly zones: readonly string[],
  ) {}

  add(timeUs: number, node: number, kind: string, name: string, from: string, to: string): void {
    this.rows.push({ sim_time_s: timeUs / US_PER_S, node: this.names[node], pool: this.pools[node], zone: this.zones[node], kind, name, from, to });
  }
}
