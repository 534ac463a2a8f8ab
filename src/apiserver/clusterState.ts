/**
 * The pods and nodes of a run as the API server holds them, and the watch events the
 * components react to. Components change them only through the methods here (each one
 * an API write: create a pod, bind it, report it Running, delete it, mark a node Ready
 * or not) and learn of each other's changes through the listeners, as informers do:
 *
 *   created (Pending) --bind (kube-scheduler)--> Scheduled --kubelet: started--> Running
 *        \                        \                             \--> ended: Succeeded / Failed
 *         \______ deleted ________\______ node failure: Failed (lost) ____/
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
import { NodeTable } from "../model/nodeTable.js";
import { PodPhase, PodTable } from "../model/podTable.js";
import type { PodTemplate } from "../model/podTemplate.js";

/** Why a pod ended, as written in pods.csv's outcome column. */
export const OUTCOME_COMPLETED = "completed";
export const OUTCOME_NODE_FAILURE = "node-failure";
export const OUTCOME_DEADLINE_EXCEEDED = "deadline-exceeded";

/** A watch callback: the pod's row. */
export type PodListener = (pod: number) => void;
/** A watch callback: the node's row. */
export type NodeListener = (node: number) => void;

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

  /** The phase of the pod that just ended, before it ended (read by onPodEnded listeners). */
  endedPhase: number = PodPhase.Pending;

  /**
   * Per pod that failed at least one scheduling attempt: the message of its last
   * FailedScheduling event (upstream also writes it to the pod's PodScheduled=False
   * condition). Kept after the pod is bound; read by pods.csv. Only pods that waited
   * have an entry.
   */
  readonly lastSchedulingFailure = new Map<number, string>();

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
    for (const n of nodes) {
      this.nodes.add({ name: n.name, cpuMilli: n.cpuMilli, memoryBytes: n.memoryBytes, ephemeralBytes: n.ephemeralBytes, pods: n.pods });
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
    if (nodes.ready[node] === 0) throw new InvariantError(`bind: node ${nodes.names[node]} is not Ready`);
    this.checkAllocatable(pod, node);
    pods.phase[pod] = PodPhase.Scheduled;
    pods.node[pod] = node;
    pods.scheduledUs[pod] = this.sim.now;
    this.account(pod, node, 1);
    this.counters.pending--;
    this.counters.starting++;
    this.counters.scheduled++;
    this.schedulingLatency.record(this.sim.now - pods.createdUs[pod]);
    for (const l of this.onPodBound) l(pod);
  }

  /** The kube-scheduler could not place the pod in a cycle (FailedScheduling with `message`). */
  schedulingFailed(pod: number, message: string): void {
    this.lastSchedulingFailure.set(pod, message);
  }

  /** The kubelet reports the pod Running. */
  podRunning(pod: number): void {
    const pods = this.pods;
    pods.phase[pod] = PodPhase.Running;
    pods.runningUs[pod] = this.sim.now;
    this.counters.starting--;
    this.counters.running++;
    for (const l of this.onPodRunning) l(pod);
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
    const name = this.outcomes.name(outcome);
    const succeeded = name === OUTCOME_COMPLETED;
    pods.phase[pod] = succeeded ? PodPhase.Succeeded : PodPhase.Failed;
    pods.outcome[pod] = outcome;
    pods.deletedUs[pod] = this.sim.now;
    if (succeeded) counters.succeeded++;
    else if (name === OUTCOME_NODE_FAILURE) counters.lost++;
    else counters.failed++;
    const node = pods.node[pod];
    if (node >= 0) this.account(pod, node, -1);
    this.endedPhase = phase;
    for (const l of this.onPodEnded) l(pod);
    if (node >= 0) for (const l of this.onNodeCapacityFreed) l(node);
  }

  /** The node stops: NotReady, and every pod bound to it is lost at once. Returns how many. */
  failNode(node: number): number {
    const { nodes } = this;
    if (nodes.ready[node] === 0) return 0;
    nodes.ready[node] = 0;
    const lost = this.outcomes.id(OUTCOME_NODE_FAILURE);
    // Only the node's own pods, oldest first (the order does not depend on the slot order).
    const victims = this.nodePods[node].slice(0, nodes.podCount[node]).sort();
    for (const p of victims) this.endPod(p, lost);
    return victims.length;
  }

  recoverNode(node: number): boolean {
    if (this.nodes.ready[node] === 1) return false;
    this.nodes.ready[node] = 1;
    for (const l of this.onNodeReady) l(node);
    return true;
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
    const n = this.nodes;
    const template = this.pods.template[pod];
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
    if (over !== "") throw new InvariantError(`node ${n.names[node]} over-committed by pod ${this.pods.namespaces[pod]}/${this.pods.names[pod]}: requested ${over} allocatable`);
  }
}
