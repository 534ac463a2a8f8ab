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

// --- the service controller (k8s.io/cloud-provider controllers/service/controller.go) ---
/** --concurrent-service-syncs default (SetDefaults_ServiceControllerConfiguration): one Service at a time. */
export const CONCURRENT_SERVICE_SYNCS = 1;
/** The service queue's ItemExponentialFailureRateLimiter: a failed sync is retried after 5 s, doubling to 300 s (minRetryDelay, maxRetryDelay). */
export const SERVICE_MIN_RETRY_DELAY_US = 5 * US_PER_S;
export const SERVICE_MAX_RETRY_DELAY_US = 300 * US_PER_S;
/** servicehelper.LoadBalancerCleanupFinalizer, added (one patch) before the load balancer is created. */
export const LOAD_BALANCER_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup";
/** v1.LabelNodeExcludeBalancers: a node carrying it (with a value that is not "false") is no load balancer backend. */
export const EXCLUDE_FROM_LOAD_BALANCERS_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
/** The service controller's events (reasons and messages as upstream records them). */
export const ENSURING_LOAD_BALANCER_EVENT = "EnsuringLoadBalancer";
export const ENSURED_LOAD_BALANCER_EVENT = "EnsuredLoadBalancer";
export const UPDATED_LOAD_BALANCER_EVENT = "UpdatedLoadBalancer";
export const UNAVAILABLE_LOAD_BALANCER_EVENT = "UnAvailableLoadBalancer";
export const SYNC_LOAD_BALANCER_FAILED_EVENT = "SyncLoadBalancerFailed";

// --- the cloud's load balancer (what EnsureLoadBalancer creates; cloud-specific, not Kubernetes) ---
/**
 * [kubesim choice] From EnsureLoadBalancer's call to the load balancer existing with an
 * address. Clouds differ: a network load balancer commonly takes one to a few minutes
 * (recalled, not measured here).
 */
export const LB_PROVISIONING_DELAY_S = 60;
/** [kubesim choice] An UpdateLoadBalancer call (new backend set) takes effect this long after it is made. */
export const LB_UPDATE_DELAY_US = 5 * US_PER_S;
/**
 * Health check of each backend node: every 10 s; healthy after 3 passes in a row, unhealthy
 * after 3 failures in a row (the AWS Load Balancer Controller's NLB defaults,
 * kubernetes-sigs/aws-load-balancer-controller pkg/service model_builder.go:
 * interval 10, healthy threshold 3, unhealthy threshold 3). With externalTrafficPolicy
 * Cluster the check passes on every node whose kube-proxy answers.
 */
export const LB_HEALTH_CHECK_INTERVAL_US = 10 * US_PER_S;
export const LB_HEALTHY_THRESHOLD = 3;
export const LB_UNHEALTHY_THRESHOLD = 3;
