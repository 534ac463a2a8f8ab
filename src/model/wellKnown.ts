/**
 * Well-known names of the Kubernetes API that several components share
 * (k8s.io/api/core/v1 well_known_labels.go, well_known_taints.go, types.go).
 */

/** v1.LabelHostname. */
export const LABEL_HOSTNAME = "kubernetes.io/hostname";
/** v1.LabelTopologyZone. */
export const LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";
/** v1.LabelMetadataName: the API server labels every Namespace with its own name. */
export const LABEL_METADATA_NAME = "kubernetes.io/metadata.name";
/** The Deployment controller's label on its ReplicaSets' pods (apps/v1 DefaultDeploymentUniqueLabelKey). */
export const LABEL_POD_TEMPLATE_HASH = "pod-template-hash";
/** kubesim's own label: the node pool a node belongs to. */
export const LABEL_NODE_POOL = "kubesim.io/node-pool";

/** v1.TaintNodeNotReady: the node lifecycle controller's taint for Ready=False. */
export const TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
/** v1.TaintNodeUnreachable: the node lifecycle controller's taint for Ready=Unknown. */
export const TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";
/** v1.TaintNodeUnschedulable: the taint NodeUnschedulable checks for a cordoned node. */
export const TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

/** v1.DefaultSchedulerName: a pod's spec.schedulerName when it names none. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";
/** v1.DefaultTerminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_S = 30;
