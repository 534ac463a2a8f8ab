/**
 * The node table: one row per node, one typed array per field (struct of arrays).
 * A node is its row index. Set-up code fills rows; the scheduler's hot loop reads the
 * columns directly.
 *
 * Resources are integers: cpu in millicores, memory and ephemeral storage in bytes.
 * "requested" is the sum of the actual requests of the pods bound to the node;
 * "nonzero" uses the scheduler's defaults for containers that request nothing
 * (100m cpu, 200Mi memory), as NodeResourcesFit scoring does.
 */
import { grown, nextCapacity } from "../engine/columns.js";

/** v1.ConditionStatus of a node condition. */
export const enum ConditionStatus {
  True = 0,
  False = 1,
  Unknown = 2,
  /** No Ready condition yet: the kubelet registered the Node but never posted its status. */
  None = 3,
}
export const CONDITION_STATUS_NAMES: readonly string[] = ["True", "False", "Unknown", "none"];

/**
 * The taints the node lifecycle controller puts on nodes, as bits (pkg/controller/
 * nodelifecycle: NoSchedule ones follow the Ready condition at once, NoExecute ones
 * are rate limited per zone).
 */
export const enum LifecycleTaint {
  NotReadyNoSchedule = 1,
  UnreachableNoSchedule = 2,
  NotReadyNoExecute = 4,
  UnreachableNoExecute = 8,
  /** node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule: the kubelet's (--cloud-provider=external) until the cloud node controller initializes the Node. */
  Uninitialized = 16,
  /** ToBeDeletedByClusterAutoscaler:NoSchedule: the Cluster Autoscaler's mark on a node it is removing (utils/taints). */
  ToBeDeleted = 32,
}
export const NO_EXECUTE_TAINTS = LifecycleTaint.NotReadyNoExecute | LifecycleTaint.UnreachableNoExecute;
/** The taints of the bits, in bit order: key and effect. */
export const LIFECYCLE_TAINTS: readonly { bit: number; key: string; value?: string; effect: "NoSchedule" | "NoExecute" }[] = [
  { bit: LifecycleTaint.NotReadyNoSchedule, key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
  { bit: LifecycleTaint.UnreachableNoSchedule, key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
  { bit: LifecycleTaint.NotReadyNoExecute, key: "node.kubernetes.io/not-ready", effect: "NoExecute" },
  { bit: LifecycleTaint.UnreachableNoExecute, key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
  { bit: LifecycleTaint.Uninitialized, key: "node.cloudprovider.kubernetes.io/uninitialized", value: "true", effect: "NoSchedule" },
  { bit: LifecycleTaint.ToBeDeleted, key: "ToBeDeletedByClusterAutoscaler", effect: "NoSchedule" },
];

export interface NodeRow {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes?: number;
  pods: number;
  /** Interned key=value label pair ids (see ClusterStrings). */
  labels?: number[];
  /** Interned taint ids. */
  taints?: number[];
  unschedulable?: boolean;
  zone?: number;
  /** No Node object at the start (a machine provisioned later in the run). */
  absent?: boolean;
}

export class NodeTable {
  count = 0;
  capacity = 0;
  names: string[] = [];
  readonly byName = new Map<string, number>();

  // Allocatable.
  cpuAlloc = new Float64Array(0);
  memAlloc = new Float64Array(0);
  ephAlloc = new Float64Array(0);
  podsAlloc = new Int32Array(0);
  // Sums over bound pods.
  cpuReq = new Float64Array(0);
  memReq = new Float64Array(0);
  ephReq = new Float64Array(0);
  cpuNonzero = new Float64Array(0);
  memNonzero = new Float64Array(0);
  podCount = new Int32Array(0);
  // State, as the API server holds it.
  /** 1 while the Ready condition is True (the scheduler and the samplers read this). */
  ready = new Uint8Array(0);
  /** The Ready condition: ConditionStatus.True, False or Unknown. */
  readyCondition = new Uint8Array(0);
  /** The node lifecycle controller's taints on the node (LifecycleTaint bits). */
  lifecycleTaints = new Uint8Array(0);
  /** 1 while the Node object exists (kubectl delete node, the cloud controller remove it). */
  exists = new Uint8Array(0);
  /** The node Lease's spec.renewTime (us), -1 = never renewed. */
  leaseRenewUs = new Float64Array(0);
  /** The Ready condition's lastHeartbeatTime (us): the kubelet's last status post. */
  heartbeatUs = new Float64Array(0);
  /** metadata.creationTimestamp of the Node object (us); 0 for the nodes of the run's start. */
  registeredUs = new Float64Array(0);
  unschedulable = new Uint8Array(0);
  /** Interned zone value id, -1 when the node has no zone label. */
  zone = new Int32Array(0);
  /** Per node: sorted interned key=value pair ids. Set-up data, read by compiled selectors. */
  labels: Int32Array[] = [];
  /** Per node: interned taint ids. */
  taints: Int32Array[] = [];

  add(row: NodeRow): number {
    if (this.byName.has(row.name)) throw new Error(`duplicate node name ${row.name}`);
    const i = this.count;
    if (i === this.capacity) this.grow(i + 1);
    this.count++;
    this.names.push(row.name);
    this.byName.set(row.name, i);
    this.cpuAlloc[i] = row.cpuMilli;
    this.memAlloc[i] = row.memoryBytes;
    this.ephAlloc[i] = row.ephemeralBytes ?? 0;
    this.podsAlloc[i] = row.pods;
    this.ready[i] = row.absent ? 0 : 1;
    this.readyCondition[i] = row.absent ? ConditionStatus.None : ConditionStatus.True;
    this.lifecycleTaints[i] = 0;
    this.exists[i] = row.absent ? 0 : 1;
    this.leaseRenewUs[i] = -1;
    this.heartbeatUs[i] = 0;
    this.registeredUs[i] = 0;
    this.unschedulable[i] = row.unschedulable ? 1 : 0;
    this.zone[i] = row.zone ?? -1;
    this.labels.push(Int32Array.from([...(row.labels ?? [])].sort((a, b) => a - b)));
    this.taints.push(Int32Array.from(row.taints ?? []));
    return i;
  }

  private grow(needed: number): void {
    const n = nextCapacity(this.capacity, needed);
    this.cpuAlloc = grown(this.cpuAlloc, n);
    this.memAlloc = grown(this.memAlloc, n);
    this.ephAlloc = grown(this.ephAlloc, n);
    this.podsAlloc = grown(this.podsAlloc, n);
    this.cpuReq = grown(this.cpuReq, n);
    this.memReq = grown(this.memReq, n);
    this.ephReq = grown(this.ephReq, n);
    this.cpuNonzero = grown(this.cpuNonzero, n);
    this.memNonzero = grown(this.memNonzero, n);
    this.podCount = grown(this.podCount, n);
    this.ready = grown(this.ready, n);
    this.readyCondition = grown(this.readyCondition, n);
    this.lifecycleTaints = grown(this.lifecycleTaints, n);
    this.exists = grown(this.exists, n);
    this.leaseRenewUs = grown(this.leaseRenewUs, n);
    this.heartbeatUs = grown(this.heartbeatUs, n);
    this.registeredUs = grown(this.registeredUs, n);
    this.unschedulable = grown(this.unschedulable, n);
    this.zone = grown(this.zone, n);
    this.capacity = n;
  }
}
