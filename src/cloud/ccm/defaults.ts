/**
 * cloud-controller-manager defaults (k8s.io/cloud-provider; facts in
 * shared/reference/node-controller-facts.md §9).
 */
import { US_PER_S } from "../../engine/simulation.js";

/** --node-monitor-period (KubeCloudShared defaults): the cloud node lifecycle controller's period. */
export const CCM_NODE_MONITOR_PERIOD_US = 5 * US_PER_S;
/**
 * --kube-api-qps / --kube-api-burst of the cloud-controller-manager: k8s.io/cloud-provider
 * config/v1alpha1 SetDefaults_CloudControllerManagerConfiguration sets ClientConnection
 * QPS 20 and Burst 30 (the same figures as kube-controller-manager's, but its own flags).
 */
export const CCM_CLIENT_QPS = 20;
export const CCM_CLIENT_BURST = 30;
/**
 * The CCM's Lease is kube-system/cloud-controller-manager (cloud-provider options:
 * LeaderElection.ResourceName/ResourceNamespace); its timings are the generic controller
 * manager's RecommendedDefaultLeaderElectionConfiguration (15 s / 10 s / 2 s), the same
 * as kube-controller-manager's, so kubesim takes them from controlPlane.leaderElection.
 */
export const CCM_LEASE_NAME = "cloud-controller-manager";
/** events.csv reason of the cloud node lifecycle controller's delete (node_lifecycle_controller.go deleteNodeEvent). */
export const DELETING_NODE_EVENT = "DeletingNode";
