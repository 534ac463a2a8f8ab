/** The Kubernetes v1 object types kubesim reads (types only; no runtime code). */
export type { Node, Pod, PodSpec, PodTemplateSpec, Container, Toleration, Taint, Affinity, NodeSelectorTerm, TopologySpreadConstraint, Namespace, Service } from "kubernetes-types/core/v1.d.ts";
export type { Deployment, ReplicaSet, StatefulSet, DaemonSet } from "kubernetes-types/apps/v1.d.ts";
export type { PodDisruptionBudget } from "kubernetes-types/policy/v1.d.ts";
export type { PriorityClass } from "kubernetes-types/scheduling/v1.d.ts";
export type { LabelSelector, ObjectMeta } from "kubernetes-types/meta/v1.d.ts";
