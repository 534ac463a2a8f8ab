/** The events log: faults and other notable moments, one row each (events.csv). */
import { US_PER_S } from "../engine/simulation.js";

export interface EventRow {
  sim_time_s: number;
  /** What happened, in Kubernetes' event-reason style: NodeFailure, NodeRecovery, PodsLost, ... */
  kind: string;
  /** The object concerned: node/<name>, deployment/<ns>/<name>, fault/<i>. */
  object: string;
  message: string;
}

export const EVENT_COLUMNS: (keyof EventRow)[] = ["sim_time_s", "kind", "object", "message"];

export class EventLog {
  readonly rows: EventRow[] = [];
  add(timeUs: number, kind: string, object: string, message: string): void {
    this.rows.push({ sim_time_s: timeUs / US_PER_S, kind, object, message });
  }
}
