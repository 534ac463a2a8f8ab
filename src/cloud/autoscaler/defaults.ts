/**
 * Cluster Autoscaler defaults that are not scenario fields (kubernetes/autoscaler
 * cluster-autoscaler/config/flags; facts in shared/reference/node-controller-facts.md §10).
 */
import { US_PER_S } from "../../engine/simulation.js";

/** --max-pod-eviction-time: how long evictions of a node's pods are retried before the scale-down fails. */
export const MAX_POD_EVICTION_TIME_US = 120 * US_PER_S;
/** --max-empty-bulk-delete / --max-scale-down-parallelism: empty nodes removed in one loop. */
export const MAX_EMPTY_BULK_DELETE = 10;
/** --max-drain-parallelism: non-empty nodes drained at once. */
export const MAX_DRAIN_PARALLELISM = 1;
/** --initial-node-group-backoff-duration: a group whose scale-up failed is skipped this long. */
export const INITIAL_NODE_GROUP_BACKOFF_US = 5 * 60 * US_PER_S;
/** --max-node-group-backoff-duration: the backoff doubles per failure up to this. */
export const MAX_NODE_GROUP_BACKOFF_US = 30 * 60 * US_PER_S;
/** --node-group-backoff-reset-timeout: a group's backoff history is forgotten this long after its last failure. */
export const NODE_GROUP_BACKOFF_RESET_US = 3 * 3600 * US_PER_S;
