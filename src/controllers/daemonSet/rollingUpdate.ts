/**
 * The DaemonSet controller's RollingUpdate step (k/k pkg/controller/daemon/update.go
 * rollingUpdate and updatedDesiredNodeCounts; util/daemonset_util.go SurgeCount and
 * UnavailableCount). Pure functions over the daemon pods of each node: which old pods to
 * delete and on which nodes to create a new pod beside the old one, this sync.
 *
 * - maxUnavailable and maxSurge are numbers or percentages of desiredNumberScheduled,
 *   both rounded up; when both come to 0 (and some node should run the pod),
 *   maxUnavailable is 1.
 * - maxSurge 0: a node counts as unavailable when it has no pod or two (the manage loop
 *   is at work there), a new pod that is not available, or an old one that is not (that
 *   old pod is deleted at once). Old available pods are deleted while fewer than
 *   maxUnavailable nodes are unavailable; the manage loop creates the new pod once the
 *   old one is gone.
 * - maxSurge > 0 (maxUnavailable is then 0, validation): a new pod is created beside an
 *   old one that is not available, and beside up to maxSurge - (nodes already surging
 *   whose new pod is not available yet) old available ones; an old pod is deleted once
 *   the new pod beside it is available.
 *
 * [kubesim choice] Upstream walks the nodes in Go map order (random); kubesim walks them
 * in node order, so the first nodes are updated first.
 */
import { scaledValue } from "../deployment/rollingUpdate.js";

/** A daemon pod of one revision on a node: none, there but not available, available. */
export type DaemonPodState = "none" | "unavailable" | "available";

/** The daemon pods of one node, Terminating ones left out (findUpdatedPodsOnNode). */
export interface NodeDaemonPods {
  /** On the update revision (a create in flight counts as a new pod not available yet). */
  newPod: DaemonPodState;
  /** On an earlier revision. */
  oldPod: DaemonPodState;
  /** More than one pod of a revision: the manage loop prunes them first. */
  excess: boolean;
}

/** updatedDesiredNodeCounts: maxSurge and maxUnavailable for desiredNumberScheduled nodes. */
export function daemonSetBudget(maxSurge: number | string, maxUnavailable: number | string, desiredNumberScheduled: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desiredNumberScheduled, true);
  let unavailable = scaledValue(maxUnavailable, desiredNumberScheduled, true);
  if (desiredNumberScheduled > 0 && surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** rollingUpdate: the nodes (indices into `nodes`) whose old pod to delete, and those to create a new pod on beside the old one. */
export function rollingUpdateStep(nodes: readonly NodeDaemonPods[], surge: number, unavailable: number): { deleteOld: number[]; createNew: number[] } {
  if (surge === 0) {
    let numUnavailable = 0;
    const replacements: number[] = [];
    const candidates: number[] = [];
    nodes.forEach((n, k) => {
      if (n.excess || (n.oldPod === "none") === (n.newPod === "none")) numUnavailable++;
      else if (n.newPod !== "none") {
        if (n.newPod !== "available") numUnavailable++;
      } else if (n.oldPod !== "available") {
        replacements.push(k);
        numUnavailable++;
      } else if (numUnavailable < unavailable) candidates.push(k);
    });
    const remaining = Math.min(Math.max(unavailable - numUnavailable, 0), candidates.length);
    return { deleteOld: [...replacements, ...candidates.slice(0, remaining)], createNew: [] };
  }
  let numSurge = 0;
  const deleteOld: number[] = [];
  const allowed: number[] = [];
  const candidates: number[] = [];
  nodes.forEach((n, k) => {
    if (n.excess) {
      numSurge++;
      return;
    }
    if (n.oldPod === "none") return;
    if (n.newPod === "none") {
      if (n.oldPod !== "available") allowed.push(k);
      else if (numSurge < surge) candidates.push(k);
      return;
    }
    if (n.newPod !== "available") numSurge++;
    else deleteOld.push(k);
  });
  const remaining = Math.min(Math.max(surge - numSurge, 0), candidates.length);
  return { deleteOld, createNew: [...allowed, ...candidates.slice(0, remaining)] };
}
