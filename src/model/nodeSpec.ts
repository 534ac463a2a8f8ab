/**
 * A node as a run creates it: the Node object kubesim registers for each member of a
 * node pool, with its allocatable resources as integers (cpu in millicores, memory and
 * ephemeral storage in bytes, extended and hugepages resources in units).
 */

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
  /**
   * A machine the cloud creates during the run (a node-pool upgrade's new nodes): no Node
   * object and no kubelet at the start; it registers when it is provisioned.
   */
  provisionLater?: boolean;
}
