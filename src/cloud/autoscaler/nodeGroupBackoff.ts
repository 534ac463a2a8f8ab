/**
 * Node-group backoff after a failed scale-up (cluster-autoscaler utils/backoff
 * exponential_backoff.go): a group is skipped by scale-up while the time is before its
 * backoffUntil. The first failure backs off --initial-node-group-backoff-duration (5 min);
 * a failure while backed off keeps the duration (concurrent failures do not compound),
 * one after the backoff ended doubles it, up to --max-node-group-backoff-duration (30 min);
 * the history is forgotten --node-group-backoff-reset-timeout (3 h) after the last failure,
 * and at once when a scale-up of the group finishes successfully (RemoveBackoff).
 */
import { INITIAL_NODE_GROUP_BACKOFF_US, MAX_NODE_GROUP_BACKOFF_US, NODE_GROUP_BACKOFF_RESET_US } from "./defaults.js";

export class NodeGroupBackoff {
  /** Per group: the current backoff (-1: none), until when, the last failure. */
  private readonly durationUs: number[];
  private readonly untilUs: number[];
  private readonly lastFailedUs: number[];

  constructor(groups: number) {
    this.durationUs = new Array<number>(groups).fill(-1);
    this.untilUs = new Array<number>(groups).fill(-1);
    this.lastFailedUs = new Array<number>(groups).fill(-1);
  }

  backedOff(g: number, nowUs: number): boolean {
    return this.untilUs[g] > nowUs;
  }

  /** A failed scale-up of group g at nowUs. */
  failed(g: number, nowUs: number): void {
    if (this.durationUs[g] >= 0 && this.lastFailedUs[g] + NODE_GROUP_BACKOFF_RESET_US < nowUs) this.durationUs[g] = -1; // stale: forgotten
    let d = INITIAL_NODE_GROUP_BACKOFF_US;
    if (this.durationUs[g] >= 0) {
      d = this.durationUs[g];
      if (this.untilUs[g] < nowUs) d = Math.min(2 * d, MAX_NODE_GROUP_BACKOFF_US);
    }
    this.durationUs[g] = d;
    this.untilUs[g] = nowUs + d;
    this.lastFailedUs[g] = nowUs;
  }

  /** When group g last failed (-1: never). */
  failedAt(g: number): number {
    return this.lastFailedUs[g];
  }

  /** A scale-up of group g finished successfully: its backoff and history are gone (RemoveBackoff). */
  remove(g: number): void {
    this.durationUs[g] = -1;
    this.untilUs[g] = -1;
    this.lastFailedUs[g] = -1;
  }
}
