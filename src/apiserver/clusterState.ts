/**
 * The pods and nodes of a run as the API server holds them, and the watch events the
 * components react to. Components change them only through the methods here (each one
 * an API write: create a pod, bind it, report it Running, delete it, mark a node Ready
 * or not) and learn of each other's changes through the listeners, as informers do:
 *
 *   created (Pending) --bind (kube-scheduler)--> Scheduled --kubelet: started--> Running
 *        \                        \                             \--> ended: Succeeded / Failed
 *         \                        \--- delete: deletionTimestamp set (Terminating) ---\
 *          \______ deleted (unbound: at once) ______ kubelet confirms / PodGC force-deletes: ended
 *
 * Nodes carry what the node lifecycle controller and the kubelet write: the Ready
 * condition (True, False, Unknown), the lifecycle taints, the node Lease's renewTime and
 * the Ready condition's heartbeat. A pod bound to a node that fails stays bound: only the
 * controllers' deletions and the kubelet's confirmations end it.
 *
 * The listeners of one event run in the order they were registered; run/run.ts wires
 * the components in a fixed order, so a run is deterministic.
 *
 * Every pod's requests come from its admitted template (model/podTemplate.ts), the
 * numbers the scheduler compiled too. Accounting a pod to a node asserts that the node's
 * requests stay within its allocatable: a violation is an internal error that names the
 * node, the pod and the resource, never a quiet metric.
 */
import type { Simulation } from "../engine/simulation.js";
import { EventLog } from "../metrics/events.js";
import { PodCounters } from "../metrics/counters.js";
import { LatencyHistogram, SUB_BUCKET_BITS_3_DIGITS } from "../metrics/latencyHistogram.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { Interner } from "../model/interner.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import { CONDITION_STATUS_NAMES, ConditionStatus, LIFECYCLE_TAINTS, NodeTable } from "../model/nodeTable.js";
import { NodeTransitions } from "../metrics/nodeTransitions.js";
import { PodPhase, PodTable } from "../model/podTable.js";
import type { PodTemplate } from "../model/podTemplate.js";
import { NamespaceLifecycle } from "./admission/namespaceLifecycle.js";

/** Why a pod ended, as written in pods.csv's outcome column. */
export const OUTCOME_COMPLETED = "completed";
export const OUTCOME_NODE_FAILURE = "node-failure";
export const OUTCOME_DEADLINE_EXCEEDED = "deadline-exceeded";
/** A container of a pod that finishes on its own exited non-zero (phase Failed, container reason Error). */
export const OUTCOME_ERROR = "error";
/** Deleted by its controller (a ReplicaSet scaled down, a Job finished or was deleted). */
export const OUTCOME_DELETED = "deleted";
/** Deleted by the taint eviction controller (condition DisruptionTarget, reason DeletionByTaintManager). */
export const OUTCOME_EVICTED = "evicted";
/** Force-deleted by PodGC: its Node object is gone (reason DeletionByPodGC). */
export const OUTCOME_POD_GC = "pod-gc";
/** Outcomes counted as lost to node faults (pods_lost_total). */
const NODE_FAULT_OUTCOMES = new Set([OUTCOME_NODE_FAILURE, OUTCOME_EVICTED, OUTCOME_POD_GC]);

/** A watch callback: the pod's row. */
export type PodListener = (pod: number) => void;
/** A watch callback: the node's row. */
export type NodeListener = (node: number) => void;
/** A pod became available (Running, Ready, not Terminating) or stopped being. */
export type AvailabilityListener = (pod: number, available: boolean) => void;

/** A container image as a Node's status.images lists it (v1.ContainerImage). */
export interface NodeImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

/** A broken invariant of the model (not a user mistake): the CLI reports it as an internal error. */
export class InvariantError extends Error {}

export class ClusterState {
  readonly nodes = new NodeTable();
  readonly pods = new PodTable();
  readonly outcomes = new Interner();
  readonly counters = new PodCounters();
  readonly events = new EventLog();
  readonly schedulingLatency = new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS);
  /** Names of pod owners (`Deployment/ns/name`, `PoissonArrivals/ns/name`), by owner id. */
  readonly owners: string[] = [];
  /** The namespaces' phase (Active, Terminating, gone) and the NamespaceLifecycle admission of creates. */
  readonly namespaces = new NamespaceLifecycle();

  /** A pod was created (Pending): the kube-scheduler queues it. */
  readonly onPodCreated: PodListener[] = [];
  /** A Pending pod is being deleted, before anything else changes (the scheduler forgets it). */
  readonly onPendingPodDeleted: PodListener[] = [];
  /** A pod was bound to a node: its kubelet starts it. */
  readonly onPodBound: PodListener[] = [];
  /** A pod's containers run (status Running). */
  readonly onPodRunning: PodListener[] = [];
  /** A pod ended (any outcome); `endedPhase` holds the phase it had. */
  readonly onPodEnded: PodListener[] = [];
  /** A node's resources were freed by a pod that ended on it. */
  readonly onNodeCapacityFreed: NodeListener[] = [];
  /** A node became Ready again. */
  readonly onNodeReady: NodeListener[] = [];
  /** A node's Ready condition or lifecycle taints changed (the Node's watch event). */
  readonly onNodeChanged: NodeListener[] = [];
  /** A Node object was deleted (kubectl delete node, the cloud controller). */
  readonly onNodeDeleted: NodeListener[] = [];
  /** A bound pod got its deletionTimestamp: Terminating until its kubelet confirms. */
  readonly onPodDeleting: PodListener[] = [];
  /** A pod's containers restart (its restarts count grew). */
  readonly onPodRestarting: PodListener[] = [];
  /** A pod became available or stopped being (Deployment availability). */
  readonly onPodAvailability: AvailabilityListener[] = [];
  // --- container runtime (issue 11): the Nodes' status.images ---
  /** Per node: status.images as the API server holds it (undefined: the kubelet reports none, as without a container runtime model). */
  readonly nodeImages: (readonly NodeImage[] | undefined)[] = [];
  /** A Node's status.images changed (its kubelet posted a new list): the kube-scheduler's ImageLocality reads it. */
  readonly onNodeImagesChanged: NodeListener[] = [];
  // --- end container runtime ---
  // --- adopted pods (issue 12): a cluster export's controller-owned pods (run/adoptedPods.ts) ---
  /**
   * While a pod of a cluster export is created (at t=0, before any controller starts): the
   * node it is bound to in the export, else -1. The onPodCreated listeners read it: the
   * kube-scheduler pins the pod to that node (its spec.nodeName), the controllers adopt a
   * pod they did not ask for.
   */
  adoptingNode = -1;
  /** With adoptingNode: the pod is bound at once and starts Running (false: it does not fit there and waits Pending, pinned to the node). */
  adoptingRunning = false;
  /** The pods bound Running at t=0 that way: not scheduled by the simulated scheduler, no startup measured (pods.csv, scheduling latency). */
  readonly runningAtStart = new Set<number>();
  // --- end adopted pods ---
  /** Per node condition and taint transition (nodes.csv). */
  readonly nodeTransitions: NodeTransitions;

  /** First and last deletion by the taint eviction controller (us), -1 = none. */
  firstEvictionUs = -1;
  lastEvictionUs = -1;

  /** The phase of the pod that just ended, before it ended (read by onPodEnded listeners). */
  endedPhase: number = PodPhase.Pending;

  /**
   * Per pod that failed at least one scheduling attempt: the message of its last
   * FailedScheduling event (upstream also writes it to the pod's PodScheduled=False
   * condition). Kept after the pod is bound; read by pods.csv. Only pods that waited
   * have an entry.
   */
  readonly lastSchedulingFailure = new Map<number, string>();

  /** Per pod being deleted: the outcome it ends with when its deletion completes. */
  private deletionOutcome = new Int32Array(0);
  /** Per pod: its lifetime once Running in us (its work, or activeDeadlineSeconds), -1 = until the end of the run. */
  lifetimeUs = new Float64Array(0);
  /** Per node: rows of the pods bound to it, the first nodes.podCount[n] valid; per pod: its slot there. */
  private nodePods: Int32Array[] = [];
  private podSlot = new Int32Array(0);
  /** Extended and hugepages resources: per resource id, allocatable and requested by node. */
  private readonly resources = new Interner();
  private extendedAlloc: Float64Array[] = [];
  private extendedReq: Float64Array[] = [];
  /** Per template: its scalar requests as [resource id, amount] pairs. */
  private readonly templateScalars: Float64Array[];

  constructor(
    private readonly sim: Simulation,
    nodes: readonly NodeSpec[],
    private readonly templates: readonly PodTemplate[],
  ) {
    this.nodeTransitions = new NodeTransitions(nodes.map((n) => n.name), nodes.map((n) => n.pool), nodes.map((n) => n.zone ?? ""));
    for (const n of nodes) {
      this.nodes.add({ name: n.name, cpuMilli: n.cpuMilli, memoryBytes: n.memoryBytes, ephemeralBytes: n.ephemeralBytes, pods: n.pods, absent: n.provisionLater });
      this.nodePods.push(new Int32Array(8));
    }
    nodes.forEach((n, row) => {
      for (const [name, amount] of Object.entries(n.extended)) this.extendedColumn(this.resources.id(name), nodes.length).alloc[row] = amount;
    });
    this.templateScalars = templates.map((t) => {
      const pairs: number[] = [];
      for (const [name, amount] of t.requests.scalars) if (amount !== 0) pairs.push(this.resources.id(name), amount);
      for (let k = 0; k < pairs.length; k += 2) this.extendedColumn(pairs[k], nodes.length);
      return Float64Array.from(pairs);
    });
  }

  /** The virtual time now (us). */
  get now(): number {
    return this.sim.now;
  }

  addOwner(name: string): number {
    this.owners.push(name);
    return this.owners.length - 1;
  }

  /**
   * Create a pod (Pending) from template `template`; `lifetimeUs` counts from Running
   * (-1 = runs until the end). Returns the pod's row.
   */
  createPod(name: string, namespace: string, template: number, owner: number, lifetimeUs: number): number {
    const pods = this.pods;
    const id = pods.add(name, namespace, template, owner, this.sim.now);
    if (id >= this.lifetimeUs.length) {
      const n = nextCapacity(this.lifetimeUs.length, id + 1);
      this.lifetimeUs = grown(this.lifetimeUs, n);
      this.podSlot = grown(this.podSlot, n);
      this.deletionOutcome = grown(this.deletionOutcome, n);
    }
    const t = this.templates[template];
    pods.cpuReq[id] = t.requests.cpuMilli;
    pods.memReq[id] = t.requests.memoryBytes;
    pods.priority[id] = t.pod.spec?.priority ?? 0;
    this.lifetimeUs[id] = lifetimeUs;
    this.counters.created++;
    this.counters.pending++;
    for (const l of this.onPodCreated) l(id);
    return id;
  }

  /** Bind a Pending pod to a Ready node (the Binding the kube-scheduler posts). */
  bind(pod: number, node: number): void {
    const { pods, nodes } = this;
    if (pods.phase[pod] !== PodPhase.Pending) throw new InvariantError(`bind: pod ${pods.names[pod]} is not Pending`);
    if (nodes.exists[node] === 0) throw new InvariantError(`bind: node ${nodes.names[node]} does not exist`);
    this.checkAllocatable(pod, node);
    pods.phase[pod] = PodPhase.Scheduled;
    pods.node[pod] = node;
    pods.scheduledUs[pod] = this.sim.now;
    this.account(pod, node, 1);
    this.counters.pending--;
    this.counters.starting++;
    this.counters.scheduled++;
    if (this.adoptingRunning) this.runningAtStart.add(pod);
    else this.schedulingLatency.record(this.sim.now - pods.createdUs[pod]);
    for (const l of this.onPodBound) l(pod);
  }

  /** The kube-scheduler could not place the pod in a cycle (FailedScheduling with `message`). */
  schedulingFailed(pod: number, message: string): void {
    this.lastSchedulingFailure.set(pod, message);
  }

  /**
   * The kubelet reports the pod Running; Ready at once unless its readiness or startup
   * probes have yet to pass (`ready` false: the kubelet's later setPodReady makes it Ready).
   */
  podRunning(pod: number, ready = true): void {
    const pods = this.pods;
    pods.phase[pod] = PodPhase.Running;
    pods.runningUs[pod] = this.sim.now;
    pods.ready[pod] = ready ? 1 : 0;
    pods.readyUs[pod] = ready ? this.sim.now : -1;
    this.counters.starting--;
    this.counters.running++;
    if (!ready) this.counters.notReady++;
    for (const l of this.onPodRunning) l(pod);
    if (ready && pods.deletionUs[pod] < 0) for (const l of this.onPodAvailability) l(pod, true);
  }

  /** Is the pod counted by its Deployment as available: Running, Ready and not Terminating? */
  available(pod: number): boolean {
    const pods = this.pods;
    return pods.phase[pod] === PodPhase.Running && pods.ready[pod] === 1 && pods.deletionUs[pod] < 0;
  }

  /** A pod status write of the PodReady condition (the kubelet, or MarkPodsNotReady). */
  setPodReady(pod: number, ready: boolean): void {
    const pods = this.pods;
    if (pods.phase[pod] !== PodPhase.Running || (pods.ready[pod] === 1) === ready) return;
    const was = this.available(pod);
    pods.ready[pod] = ready ? 1 : 0;
    pods.readyUs[pod] = ready ? this.sim.now : -1;
    this.counters.notReady += ready ? -1 : 1;
    const now = this.available(pod);
    if (was !== now) for (const l of this.onPodAvailability) l(pod, now);
  }

  /** The kubelet restarted the pod's containers (after its node came back): Ready again when they run. */
  podRestarting(pod: number): void {
    this.pods.restarts[pod]++;
    this.setPodReady(pod, false);
    for (const l of this.onPodRestarting) l(pod);
  }

  /**
   * A graceful delete (DELETE with the pod's grace period): an unbound pod is removed at
   * once; a bound one gets its deletionTimestamp and stays, Terminating and holding its
   * node's resources, until its kubelet confirms (or PodGC force-deletes it). It ends
   * with `outcome`. Returns false when the pod is already gone or Terminating.
   */
  deletePod(pod: number, outcome: number): boolean {
    const pods = this.pods;
    const phase = pods.phase[pod];
    if (phase >= PodPhase.Succeeded || pods.deletionUs[pod] >= 0) return false;
    if (pods.node[pod] < 0) {
      this.endPod(pod, outcome);
      return true;
    }
    const was = this.available(pod);
    pods.deletionUs[pod] = this.sim.now;
    this.deletionOutcome[pod] = outcome;
    this.counters.terminating++;
    if (this.outcomes.name(outcome) === OUTCOME_EVICTED) {
      this.counters.evicted++;
      if (this.firstEvictionUs < 0) this.firstEvictionUs = this.sim.now;
      this.lastEvictionUs = this.sim.now;
    }
    if (was) for (const l of this.onPodAvailability) l(pod, false);
    for (const l of this.onPodDeleting) l(pod);
    return true;
  }

  /** The outcome a Terminating pod ends with (set by deletePod). */
  deletionOutcomeOf(pod: number): number {
    return this.deletionOutcome[pod];
  }

  /** End a pod (any phase before ended) with an outcome id; frees its node's resources. */
  endPod(pod: number, outcome: number): void {
    const { pods, counters } = this;
    const phase = pods.phase[pod];
    if (phase === PodPhase.Pending) {
      counters.pending--;
      for (const l of this.onPendingPodDeleted) l(pod);
    } else if (phase === PodPhase.Scheduled) counters.starting--;
    else if (phase === PodPhase.Running) counters.running--;
    else throw new InvariantError(`endPod: pod ${pods.names[pod]} already ended`);
    const wasAvailable = this.available(pod);
    if (pods.deletionUs[pod] >= 0) counters.terminating--;
    if (phase === PodPhase.Running && pods.ready[pod] === 0) counters.notReady--;
    const name = this.outcomes.name(outcome);
    const succeeded = name === OUTCOME_COMPLETED;
    pods.phase[pod] = succeeded ? PodPhase.Succeeded : PodPhase.Failed;
    pods.outcome[pod] = outcome;
    pods.deletedUs[pod] = this.sim.now;
    if (succeeded) counters.succeeded++;
    else if (NODE_FAULT_OUTCOMES.has(name)) counters.lost++;
    else counters.failed++;
    const node = pods.node[pod];
    if (node >= 0) this.account(pod, node, -1);
    this.endedPhase = phase;
    if (wasAvailable) for (const l of this.onPodAvailability) l(pod, false);
    for (const l of this.onPodEnded) l(pod);
    if (node >= 0) for (const l of this.onNodeCapacityFreed) l(node);
  }

  /** The pods bound to `node`, oldest first (a copy: the caller may end them). */
  podsOn(node: number): number[] {
    return Array.from(this.nodePods[node].subarray(0, this.nodes.podCount[node])).sort((a, b) => a - b);
  }

  /** A status write of the node's Ready condition (the kubelet's post, or the node lifecycle controller's Unknown). */
  setNodeReady(node: number, status: ConditionStatus, reason: string): void {
    const nodes = this.nodes;
    const from = nodes.readyCondition[node];
    if (from === status) return;
    nodes.readyCondition[node] = status;
    nodes.ready[node] = status === ConditionStatus.True ? 1 : 0;
    const now = this.sim.now;
    this.nodeTransitions.add(now, node, "condition", "Ready", CONDITION_STATUS_NAMES[from], CONDITION_STATUS_NAMES[status]);
    const kind = status === ConditionStatus.True ? "NodeReady" : status === ConditionStatus.False ? "NodeNotReady" : "NodeStatusUnknown";
    this.events.add(now, kind, `node/${nodes.names[node]}`, `Ready ${CONDITION_STATUS_NAMES[from]} -> ${CONDITION_STATUS_NAMES[status]}: ${reason}`);
    for (const l of this.onNodeChanged) l(node);
    if (status === ConditionStatus.True) for (const l of this.onNodeReady) l(node);
  }

  /** A write of the node's lifecycle taints (LifecycleTaint bits). */
  setNodeTaints(node: number, bits: number): void {
    const nodes = this.nodes;
    const from = nodes.lifecycleTaints[node];
    if (from === bits) return;
    nodes.lifecycleTaints[node] = bits;
    for (const t of LIFECYCLE_TAINTS) {
      const had = (from & t.bit) !== 0;
      const has = (bits & t.bit) !== 0;
      if (had !== has) this.nodeTransitions.add(this.sim.now, node, "taint", `${t.key}:${t.effect}`, had ? "present" : "absent", has ? "present" : "absent");
    }
    for (const l of this.onNodeChanged) l(node);
  }

  /** kubectl cordon / uncordon: the Node's spec.unschedulable. */
  setUnschedulable(node: number, unschedulable: boolean): void {
    const nodes = this.nodes;
    const v = unschedulable ? 1 : 0;
    if (nodes.unschedulable[node] === v) return;
    nodes.unschedulable[node] = v;
    this.nodeTransitions.add(this.sim.now, node, "spec", "unschedulable", v ? "false" : "true", v ? "true" : "false");
    for (const l of this.onNodeChanged) l(node);
  }

  /** The kubelet's Lease renewal was stored. */
  renewLease(node: number): void {
    this.nodes.leaseRenewUs[node] = this.sim.now;
  }

  /** The kubelet's node status post was stored (the Ready condition's lastHeartbeatTime). */
  nodeHeartbeat(node: number): void {
    this.nodes.heartbeatUs[node] = this.sim.now;
  }

  /** A status write of the Node's status.images (the kubelet's post; at registration, its first list). */
  setNodeImages(node: number, images: readonly NodeImage[]): void {
    this.nodeImages[node] = images;
    for (const l of this.onNodeImagesChanged) l(node);
  }

  /** The Node object is deleted; its pods stay bound until PodGC removes them. */
  deleteNode(node: number): void {
    const nodes = this.nodes;
    if (nodes.exists[node] === 0) return;
    nodes.exists[node] = 0;
    this.nodeTransitions.add(this.sim.now, node, "object", "Node", "present", "absent");
    this.events.add(this.sim.now, "NodeDeleted", `node/${nodes.names[node]}`, "Node object deleted");
    for (const l of this.onNodeDeleted) l(node);
  }

  /**
   * Taints (LifecycleTaint bits) a kubelet registers its Node with: Uninitialized when
   * the kubelets run with --cloud-provider=external (the cloud-controller-manager is
   * modelled, src/cloud/ccm). 0: none.
   */
  registrationTaints = 0;

  /** The kubelet registered the Node again (after it was deleted). */
  registerNode(node: number): void {
    const nodes = this.nodes;
    if (nodes.exists[node] === 1) return;
    nodes.exists[node] = 1;
    nodes.registeredUs[node] = this.sim.now;
    nodes.readyCondition[node] = ConditionStatus.None;
    nodes.ready[node] = 0;
    nodes.lifecycleTaints[node] = this.registrationTaints;
    nodes.leaseRenewUs[node] = -1;
    this.nodeTransitions.add(this.sim.now, node, "object", "Node", "absent", "present");
    for (const t of LIFECYCLE_TAINTS) if ((this.registrationTaints & t.bit) !== 0) this.nodeTransitions.add(this.sim.now, node, "taint", `${t.key}:${t.effect}`, "absent", "present");
    this.events.add(this.sim.now, "RegisteredNode", `node/${nodes.names[node]}`, "kubelet registered the Node");
    for (const l of this.onNodeChanged) l(node);
  }

  private extendedColumn(resource: number, nodeCount: number): { alloc: Float64Array; req: Float64Array } {
    while (this.extendedAlloc.length <= resource) {
      this.extendedAlloc.push(new Float64Array(nodeCount));
      this.extendedReq.push(new Float64Array(nodeCount));
    }
    return { alloc: this.extendedAlloc[resource], req: this.extendedReq[resource] };
  }

  private account(pod: number, node: number, sign: number): void {
    const { nodes, pods } = this;
    const template = pods.template[pod];
    const t = this.templates[template];
    nodes.cpuReq[node] += sign * t.requests.cpuMilli;
    nodes.memReq[node] += sign * t.requests.memoryBytes;
    nodes.ephReq[node] += sign * t.requests.ephemeralBytes;
    const scalars = this.templateScalars[template];
    for (let k = 0; k < scalars.length; k += 2) this.extendedReq[scalars[k]][node] += sign * scalars[k + 1];
    const list = this.nodePods[node];
    if (sign > 0) {
      let n = nodes.podCount[node];
      if (n === list.length) this.nodePods[node] = grown(list, n * 2);
      this.nodePods[node][n] = pod;
      this.podSlot[pod] = n++;
      nodes.podCount[node] = n;
    } else {
      // Swap-remove from the node's list.
      const last = nodes.podCount[node] - 1;
      const moved = list[last];
      list[this.podSlot[pod]] = moved;
      this.podSlot[moved] = this.podSlot[pod];
      nodes.podCount[node] = last;
    }
  }

  /**
   * A node's requests never exceed its allocatable (NodeResourcesFit and the kubelet's
   * admission guarantee it): checked before a pod is accounted to a node.
   */
  private checkAllocatable(pod: number, node: number): void {
    const over = this.overAllocatable(this.pods.template[pod], node);
    if (over !== "") throw new InvariantError(`node ${this.nodes.names[node]} over-committed by pod ${this.pods.namespaces[pod]}/${this.pods.names[pod]}: requested ${over} allocatable`);
  }

  /** What a pod of `template` would overcommit on `node` ("cpu 8100m > 7910m"), "" when it fits. */
  overAllocatable(template: number, node: number): string {
    const n = this.nodes;
    const r = this.templates[template].requests;
    let over = "";
    const cpu = n.cpuReq[node] + r.cpuMilli;
    const mem = n.memReq[node] + r.memoryBytes;
    const eph = n.ephReq[node] + r.ephemeralBytes;
    if (cpu > n.cpuAlloc[node]) over = `cpu ${cpu}m > ${n.cpuAlloc[node]}m`;
    else if (mem > n.memAlloc[node]) over = `memory ${mem} > ${n.memAlloc[node]} bytes`;
    else if (eph > n.ephAlloc[node]) over = `ephemeral-storage ${eph} > ${n.ephAlloc[node]} bytes`;
    else if (n.podCount[node] + 1 > n.podsAlloc[node]) over = `pods ${n.podCount[node] + 1} > ${n.podsAlloc[node]}`;
    else {
      const scalars = this.templateScalars[template];
      for (let k = 0; k < scalars.length && over === ""; k += 2) {
        const id = scalars[k];
        const req = this.extendedReq[id][node] + scalars[k + 1];
        if (req > this.extendedAlloc[id][node]) over = `${this.resources.name(id)} ${req} > ${this.extendedAlloc[id][node]}`;
      }
    }
    return over;
  }
}
