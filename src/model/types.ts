/** The Kubernetes v1 object types kubesim reads (types only; no runtime code). */
import type * as v1 from "kubernetes-types/core/v1.d.ts";

export type { Node, Container, Toleration, Taint, Affinity, NodeSelectorTerm, TopologySpreadConstraint, Namespace, Service, ResourceRequirements } from "kubernetes-types/core/v1.d.ts";
export type { Deployment, ReplicaSet, StatefulSet, DaemonSet } from "kubernetes-types/apps/v1.d.ts";
export type { PodDisruptionBudget } from "kubernetes-types/policy/v1.d.ts";
export type { Job } from "kubernetes-types/batch/v1.d.ts";
export type { PriorityClass } from "kubernetes-types/scheduling/v1.d.ts";
export type { LabelSelector, ObjectMeta } from "kubernetes-types/meta/v1.d.ts";

/** v1.PodSpec with the fields newer than kubernetes-types 1.30: pod-level resources (1.32+, PodLevelResources). */
export type PodSpec = v1.PodSpec & { resources?: v1.ResourceRequirements };
export type Pod = Omit<v1.Pod, "spec"> & { spec?: PodSpec };
export type PodTemplateSpec = Omit<v1.PodTemplateSpec, "spec"> & { spec?: PodSpec };
