/**
 * What one run is made of, after the scenario has been validated and resolved:
 * concrete nodes, compiled pod templates, workloads and the fault timeline, with
 * every time in integer microseconds. The cluster layer knows nothing of YAML; the
 * scenario layer builds a ClusterSpec (and tests can write one by hand).
 */
import type { DistributionSpec } from "../engine/distribution.js";
import type { PodTemplateSpec, Toleration } from "../model/types.js";

export interface TaintSpec {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodeSpec {
  name: string;
  pool: string;
  /** topology.kubernetes.io/zone, when the pool has zones. */
  zone?: string;
  /** All labels, including kubernetes.io/hostname and topology.kubernetes.io/zone. */
  labels: Record<string, string>;
  taints: TaintSpec[];
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes: number;
  pods: number;
  /** Extended and hugepages resources (name -> integer amount). */
  extended: Record<string, number>;
}

/** A pod template with its effective requests computed once (shared by all its pods). */
export interface PodTemplate {
  namespace: string;
  labels: Record<string, string>;
  /** Effective pod requests (containers, init containers, sidecars, overhead). */
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes: number;
  extended: Record<string, number>;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  priority: number;
  schedulerName: string;
  /** The template as written, for components that compile it themselves (the scheduler). */
  source: PodTemplateSpec;
}

export interface DeploymentSpec {
  name: string;
  namespace: string;
  replicas: number;
  template: number;
  /** pod-template-hash label value, as the Deployment controller derives it from the template. */
  templateHash: string;
}

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
  /** Binding to Running, in seconds. */
  podStartupDelay: DistributionSpec;
  nodes: NodeSpec[];
  templates: PodTemplate[];
  deployments: DeploymentSpec[];
  pods: StandalonePodSpec[];
  arrivals: ArrivalSpec[];
  faults: FaultSpec[];
  /** Sections for components (scheduler, control plane), passed through as validated. */
  sections: Record<string, unknown>;
}
