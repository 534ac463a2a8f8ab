/**
 * PrioritySort (QueueSort): higher spec.priority first; on a tie, the pod that entered
 * the queue earlier first (pkg/scheduler/framework/plugins/queuesort).
 */
import type { QueueSortKey, QueueSortPlugin } from "../framework.js";

export const PRIORITY_SORT = "PrioritySort";

export class PrioritySort implements QueueSortPlugin {
  readonly name = PRIORITY_SORT;
  less(a: QueueSortKey, b: QueueSortKey): boolean {
    if (a.priority !== b.priority) return a.priority > b.priority;
    return a.timestampUs < b.timestampUs;
  }
}
