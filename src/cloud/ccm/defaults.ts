/**
 * cloud-controller-manager defaults (k8s.io/cloud-provider; facts in
 * shared/reference/node-controller-facts.md §9).
 */
import { US_PER_S } from "../../engine/simulation.js";

/** --node-monitor-period (KubeCloudShared defaults): the cloud node lifecycle controller's period. */
export const CCM_NODE_MONITOR_PERIOD_US = 5 * US_PER_S;
/** events.csv reason of the cloud node lifecycle controller's delete (node_lifecycle_controller.go deleteNodeEvent). */
export const DELETING_NODE_EVENT = "DeletingNode";
