/**
 * What one run is made of, after the scenario has been validated and resolved:
 * concrete nodes, admitted pod templates, workloads, the fault timeline and the
 * components' resolved sections, with every time in integer microseconds. Nothing
 * here knows YAML; the scenario layer builds a ClusterSpec (and tests can write one by
 * hand, admitting their templates through apiserver/admission).
 */
import type { RateCurve } from "../engine/rateCurve.js";
import type { DistributionSpec } from "../engine/distribution.js";
import type { DeploymentSpec } from "../controllers/replicaSet.js";
import type { DaemonSetSpec } from "../controllers/daemonSet/daemonSetController.js";
import type { JobSpec } from "../controllers/job/jobController.js";
import type { StatefulSetSpec } from "../controllers/statefulSet.js";
import type { PdbSpec } from "../controllers/disruption/disruptionBudgets.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import type { PodTemplate } from "../model/podTemplate.js";
import type { Namespace } from "../model/types.js";
import type { SchedulerSpec } from "../scheduler/config/schedulerSpec.js";
import type { ControlPlaneSpec } from "./controlPlaneSpec.js";
import type { NodeLifecycleConfig } from "../controllers/nodeLifecycle/defaults.js";
import type { ServiceSpec } from "../apiserver/endpointSlices.js";
import type { KubeProxySpec } from "../proxy/kubeProxy.js";
import type { RequestLoadSpec } from "../proxy/requestLoad.js";
import type { ContainerRuntimeSpec } from "../kubelet/runtime/config.js";
import type { CloudSpec } from "../cloud/spec.js";

export type { NodeSpec, TaintSpec } from "../model/nodeSpec.js";
export type { PodTemplate } from "../model/podTemplate.js";
export type { DeploymentSpec } from "../controllers/replicaSet.js";
import type { AdoptedPodSpec } from "./adoptedPods.js";

export interface StandalonePodSpec {
  /** Created by an apply action at this time (us); undefined: at the start of the run. */
  startUs?: number;
  name: string;
  namespace: string;
  template: number;
  /** spec.activeDeadlineSeconds in microseconds, or -1 (runs to the end). */
  activeDeadlineUs: number;
}

export interface ArrivalSpec {
  name: string;
  namespace: string;
  /** Mean time between arrivals at a constant rate (for a rate over time: at its highest rate). */
  meanInterarrivalUs: number;
  /** A rate that changes over time (steps, daily, from a CSV); without it the rate is constant. */
  rate?: RateCurve;
  startUs: number;
  stopUs: number;
  /** Pod lifetime once Running, in seconds. */
  lifetime: DistributionSpec;
  template: number;
}

/**
 * A node fault: node-failure (crash: kubelet and containers stop), node-partition (cut
 * off from the control plane), kubelet-stop, zone-outage (every node of a zone cut off,
 * optionally the zone's control-plane hosts too), node-deletion (kubectl delete node),
 * node-recovery (whatever fault the nodes have ends).
 */
export type NodeFaultType = "node-failure" | "node-partition" | "kubelet-stop" | "zone-outage" | "node-deletion" | "node-recovery";

export interface FaultSpec {
  atUs: number;
  type: NodeFaultType;
  /** Nodes the fault may hit (node indices in NodeSpec order). */
  candidates: number[];
  /** How many of the candidates it hits; Infinity = all of them. */
  count: number;
  /** Recover the same nodes this long after, or -1. */
  recoverAfterUs: number;
  /** On recovery, the kubelet reports Ready=False this long after it starts (a slow-starting node); 0 = Ready at once. */
  notReadyForUs: number;
  /** zone-outage: the zone's control-plane hosts are cut off too (needs a controlPlane section). */
  controlPlaneToo: boolean;
  /** The zone named by the fault, "" when it names a node or a pool. */
  zone: string;
  /** Where it came from, for events.csv ("faults[0]: pool general, 10 nodes"). */
  description: string;
  /** Its index in the scenario's faults (events.csv fault/<index>), when the list holds other faults too (issue 12: the cloud's). */
  index?: number;
}

/** kube-controller-manager's flags for the controllers of node failures (scenario section controllerManager). */
export interface ControllerManagerSpec {
  /** --kube-api-qps / --kube-api-burst: each controller's client. */
  kubeApiQps: number;
  kubeApiBurst: number;
  nodeLifecycle: NodeLifecycleConfig;
  /** --terminated-pod-gc-threshold (0 disables). */
  terminatedPodGcThreshold: number;
}

/** What an apply action creates: indices into the ClusterSpec's lists, and the objects' kind/name for events.csv. */
export interface AppliedObjects {
  deployments: number[];
  daemonSets: number[];
  statefulSets: number[];
  jobs: number[];
  pdbs: number[];
  pods: number[];
  names: string[];
}

/** A managed surge upgrade of a node pool (GKE's NodePool.UpgradeSettings). */
export interface NodePoolUpgradeSpec {
  pool: string;
  /** The new nodes' rows (NodeSpec.provisionLater), one per old node, in the old nodes' order (same zone). */
  newNodes: number[];
  maxSurge: number;
  maxUnavailable: number;
  /** A node's drain respects PodDisruptionBudgets this long, then deletes the pods left. */
  drainTimeoutUs: number;
  /** From a new machine's create to its kubelet starting. */
  provisionUs: number;
}

/** An operator's action on the timeline (scenario section actions). */
export interface ActionSpec {
  atUs: number;
  type: "scale" | "rollout" | "pause" | "resume" | "cordon" | "uncordon" | "drain" | "node-pool-upgrade" | "apply" | "delete" | "delete-namespace";
  /** scale, rollout, pause, resume: the Deployment's index (or -1); scale: its new replicas. */
  deployment: number;
  /** scale, rollout: the StatefulSet's index, or -1. */
  statefulSet: number;
  /** rollout: the DaemonSet's index (-1 or absent: none). */
  daemonSet?: number;
  /** rollout: the index in the workload's spec.revisions of its new template. */
  revision: number;
  replicas: number;
  /** cordon, uncordon, drain: the nodes it may act on, and how many (Infinity = all). */
  candidates: number[];
  count: number;
  /** drain: kubectl drain --timeout (-1: none). */
  timeoutUs?: number;
  /** apply: the objects it creates. */
  applied?: AppliedObjects;
  /** node-pool-upgrade: candidates are the pool's old nodes; these, its new ones. */
  upgrade?: NodePoolUpgradeSpec;
  /** delete: the workload's kind and name, in `namespace`; delete-namespace: the namespace. */
  kind?: "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
  name?: string;
  namespace?: string;
  /** For events.csv ("actions[0]: node general-3"). */
  description: string;
}

export interface ClusterSpec {
  name: string;
  seed: number;
  durationUs: number;
  sampleIntervalUs: number;
  /** Binding to Running, in seconds (the kubelet and its container runtime). */
  podStartupDelay: DistributionSpec;
  /** SIGTERM to exit, in seconds (capped by the grace period); undefined = the whole grace period. */
  containerStopTime?: DistributionSpec;
  /** The kubelets' container runtime (scenario section containerRuntime); undefined: the one podStartupDelay. */
  containerRuntime?: ContainerRuntimeSpec;
  controllerManager: ControllerManagerSpec;
  nodes: NodeSpec[];
  /** Namespaces as the API server holds them (with their kubernetes.io/metadata.name label), in creation order. */
  namespaces: Namespace[];
  templates: PodTemplate[];
  deployments: DeploymentSpec[];
  daemonSets: DaemonSetSpec[];
  jobs: JobSpec[];
  statefulSets: StatefulSetSpec[];
  pdbs: PdbSpec[];
  pods: StandalonePodSpec[];
  arrivals: ArrivalSpec[];
  faults: FaultSpec[];
  actions: ActionSpec[];
  /** The kube-scheduler's configuration, resolved once from the `scheduler` section (or upstream defaults). */
  scheduler: SchedulerSpec;
  /** The control plane, when the scenario has a `controlPlane` section. */
  controlPlane?: ControlPlaneSpec;
  /** A cluster export's controller-owned pods, bound at t=0 and adopted by their workloads (run/adoptedPods.ts); absent: none. */
  adoptedPods?: AdoptedPodSpec[];
  // --- Services, kube-proxy, request load (issue 11): absent or empty, none of it runs ---
  /** v1 Services (ClusterIP), in scenario order. */
  services?: ServiceSpec[];
  /** The `kubeProxy` section (upstream defaults when absent). */
  kubeProxy?: KubeProxySpec;
  /** The `requestLoad` section. */
  requestLoads?: RequestLoadSpec[];
  // --- the cloud (issue 12): absent, none of it runs ---
  /** Instance groups, the cloud-controller-manager, the Cluster Autoscaler (src/cloud). */
  cloud?: CloudSpec;
}
