/**
 * Instance creation errors, as the Cluster Autoscaler handles them (cluster-autoscaler
 * clusterstate.go handleInstanceCreationErrorsForNodeGroup, then static_autoscaler.go
 * deleteCreatedNodesWithErrors), each loop before scale-up:
 *
 * - the cloud provider lists a group's instances; those in Creating with ErrorInfo are
 *   grouped by error (class, code). For each, one Warning event "ScaleUpFailed":
 *   "Failed adding %v nodes to group %v due to %v; source errors: %v", the error printed
 *   as class.code ("OutOfResource.RESOURCE_POOL_EXHAUSTED", "Other.OTHER"), the unique
 *   messages joined by ", " (", ..." after more than 3); the scale-up request shrinks by
 *   them and the group is backed off (utils/backoff: 5 min, doubling, up to 30 min);
 * - then the failed instances are deleted (NodeGroup.DeleteNodes), so the group's target
 *   size drops by them, and the loop goes on (current upstream recalculates the cluster
 *   state; older releases skipped the rest of the iteration): its scale-up skips the
 *   backed-off group.
 *
 * The errored instances are seen once each (upstream reports only instances "unseen
 * previously"): here they are deleted in the loop that sees them.
 */
import type { EventLog } from "../../metrics/events.js";
import { InstanceErrorClass, type CloudProvider, type InstanceError } from "../cloudProvider.js";
import type { NodeGroupBackoff } from "./nodeGroupBackoff.js";

/** InstanceErrorClass.String() (cloud_provider.go). */
export function errorClassName(c: InstanceErrorClass): string {
  return c === InstanceErrorClass.OutOfResources ? "OutOfResource" : c === InstanceErrorClass.Other ? "Other" : String(c);
}

/** buildErrorMessageEventString: every unique message, ", ..." appended past 3 (as upstream writes it). */
const MAX_ERRORS_SHOWN = 3;
function sourceErrors(messages: readonly string[]): string {
  return messages.join(", ") + (messages.length > MAX_ERRORS_SHOWN ? ", ..." : "");
}

/** Handle every group's create errors at nowUs; returns the machines deleted. */
export function handleCreateErrors(nowUs: number, events: EventLog, cloud: CloudProvider, backoff: NodeGroupBackoff): number {
  let deleted = 0;
  cloud.groups.forEach((g, gi) => {
    const errors = cloud.createErrors(gi);
    if (errors.length === 0) return;
    const byCode = new Map<string, InstanceError[]>();
    for (const e of errors) {
      const key = `${errorClassName(e.errorClass)}.${e.code}`;
      if (!byCode.has(key)) byCode.set(key, []);
      byCode.get(key)!.push(e);
    }
    for (const [key, list] of byCode) {
      const messages = [...new Set(list.map((e) => e.message))];
      events.add(nowUs, "ScaleUpFailed", `nodepool/${g.pool}`, `Failed adding ${list.length} nodes to group ${g.pool} due to ${key}; source errors: ${sourceErrors(messages)}`);
      backoff.failed(gi, nowUs);
    }
    for (const e of errors) {
      cloud.deleteMachine(e.node);
      deleted++;
    }
  });
  return deleted;
}
