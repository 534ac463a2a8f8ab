/**
 * What one run is made of, after the scenario has been validated and resolved:
 * concrete nodes, admitted pod templates, workloads, the fault timeline and the
 * components' resolved sections, with every time in integer microseconds. Nothing
 * here knows YAML; the scenario layer builds a ClusterSpec (and tests can write one by
 * hand, admitting their templates through apiserver/admission).
 */
import type { DistributionSpec } from "../engine/distribution.js";
import type { DeploymentSpec } from "../controllers/replicaSet.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import type { PodTemplate } from "../model/podTemplate.js";
import type { Namespace } from "../model/types.js";
import type { SchedulerSpec } from "../scheduler/config/schedulerSpec.js";
import type { ControlPlaneSpec } from "./controlPlaneSpec.js";

export type { NodeSpec, TaintSpec } from "../model/nodeSpec.js";
export type { PodTemplate } from "../model/podTemplate.js";
export type { DeploymentSpec } from "../controllers/replicaSet.js";

export interface StandalonePodSpec {
  name: string;
  namespace: string;
  template: number;
  /** spec.activeDeadlineSeconds in microseconds, or -1 (runs to the end). */
  activeDeadlineUs: number;
}

export interface ArrivalSpec {
  name: string;
  namespace: string;
  meanInterarrivalUs: number;
  startUs: number;
  stopUs: number;
  /** Pod lifetime once Running, in seconds. */
  lifetime: DistributionSpec;
  template: number;
}

export interface FaultSpec {
  atUs: number;
  type: "node-failure" | "node-recovery";
  /** Nodes the fault may hit (node indices in NodeSpec order). */
  candidates: number[];
  /** How many of the candidates it hits; Infinity = all of them. */
  count: number;
  /** node-failure only: recover the same nodes this long after, or -1. */
  recoverAfterUs: number;
  /** Where it came from, for events.csv ("faults[0]: pool general, 10 nodes"). */
  description: string;
}

export interface ClusterSpec {
  name: string;
  seed: number;
  durationUs: number;
  sampleIntervalUs: number;
  /** Binding to Running, in seconds (the kubelet and its container runtime). */
  podStartupDelay: DistributionSpec;
  nodes: NodeSpec[];
  /** Namespaces as the API server holds them (with their kubernetes.io/metadata.name label), in creation order. */
  namespaces: Namespace[];
  templates: PodTemplate[];
  deployments: DeploymentSpec[];
  pods: StandalonePodSpec[];
  arrivals: ArrivalSpec[];
  faults: FaultSpec[];
  /** The kube-scheduler's configuration, resolved once from the `scheduler` section (or upstream defaults). */
  scheduler: SchedulerSpec;
  /** The control plane, when the scenario has a `controlPlane` section. */
  controlPlane?: ControlPlaneSpec;
}
