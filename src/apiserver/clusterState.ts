/**
 * The cluster in one run: the node and pod tables and the pod lifecycle.
 *
 *   created (Pending) --bind--> Scheduled --startup delay--> Running --lifetime--> Succeeded, deleted
 *                                      \__________ node failure: Failed (lost) ________/
 *
 * Controllers (the ReplicaSet controller, arrival generators) and the fault timeline
 * act through the methods here; metrics read the tables and counters.
 */
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import type { Simulation } from "../engine/simulation.js";
import { EventLog } from "../metrics/events.js";
import { PodCounters } from "../metrics/counters.js";
import { LatencyHistogram, SUB_BUCKET_BITS_3_DIGITS } from "../metrics/latencyHistogram.js";
import { grown, nextCapacity } from "../model/columns.js";
import { Interner } from "../model/interner.js";
import { NodeTable } from "../model/nodeTable.js";
import { PodPhase, PodTable } from "../model/podTable.js";
import type { PodApiClients } from "../run/podApiClients.js";
import type { ClusterActions, PodScheduling } from "../run/scheduling.js";
import type { ClusterSpec } from "../run/spec.js";
import { ClusterStrings } from "../run/strings.js";

/** Why a pod ended, as written in pods.csv's outcome column. */
export const OUTCOME_COMPLETED = "completed";
export const OUTCOME_NODE_FAILURE = "node-failure";
export const OUTCOME_DEADLINE_EXCEEDED = "deadline-exceeded";

/**
 * kube-scheduler's defaults for a container that requests nothing, used only for
 * scoring (pkg/scheduler/util DefaultMilliCPURequest = 100, DefaultMemoryRequest =
 * 200 MiB). Simplification: applied per pod, not per container.
 */
export const NONZERO_DEFAULT_CPU_MILLI = 100;
export const NONZERO_DEFAULT_MEMORY_BYTES = 200 * 1024 * 1024;

/** Receives a pod that ended, so its owner can react (the ReplicaSet controller). */
export type PodEndedListener = (pod: number) => void;

export class Cluster implements ClusterActions {
  readonly nodes = new NodeTable();
  readonly pods = new PodTable();
  readonly strings = new ClusterStrings();
  readonly outcomes = new Interner();
  readonly counters = new PodCounters();
  readonly events = new EventLog();
  readonly schedulingLatency = new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS);
  /** Names of pod owners (`Deployment/ns/name`, `PoissonArrivals/ns/name`), by owner id. */
  readonly owners: string[] = [];
  scheduling!: PodScheduling;
  /**
   * Set when the run has a control plane: pod creates are API requests (see
   * podApiClients.ts) and the pod exists once its create succeeded. Undefined: the
   * controllers call createPod at once.
   */
  podApi: PodApiClients | undefined;
  /** Called after a pod ended (any outcome), with its row. */
  readonly onPodEnded: PodEndedListener[] = [];
  /** Called after a pod became Running, with its row. */
  readonly onPodRunning: PodEndedListener[] = [];

  /** Per pod: the pending start or end event, so a lost pod's timer is cancelled. */
  private timer = new Float64Array(0);
  /** Per pod: its lifetime once Running in us, -1 = until the end of the run. */
  private lifetimeUs = new Float64Array(0);
  private readonly startup: Distribution;
  private readonly startupStream: RandomStream;
  private readonly startedId: number;
  private readonly endId: number;
  /** The phase of the pod that just ended, before it ended (read by onPodEnded listeners). */
  endedPhase: number = PodPhase.Pending;
  /** Per node: when it failed (us), for recovering the earliest-failed first. */
  failedAtUs: Float64Array;

  constructor(
    readonly sim: Simulation,
    readonly spec: ClusterSpec,
  ) {
    for (const n of spec.nodes) {
      const { labels, taints, zone } = this.strings.addNode(n);
      this.nodes.add({ name: n.name, cpuMilli: n.cpuMilli, memoryBytes: n.memoryBytes, ephemeralBytes: n.ephemeralBytes, pods: n.pods, labels, taints, zone });
    }
    const allTaints = spec.nodes.flatMap((n) => n.taints);
    for (const t of spec.templates) this.strings.addTemplate(t, allTaints);
    this.failedAtUs = new Float64Array(spec.nodes.length).fill(-1);
    this.startup = distribution(spec.podStartupDelay);
    this.startupStream = sim.rng.stream("kubelet.podStartup");
    this.startedId = sim.on("pod.running", (pod) => this.podRunning(pod));
    this.endId = sim.on("pod.end", (pod, outcome) => this.endPod(pod, outcome));
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
    if (id >= this.timer.length) {
      const n = nextCapacity(this.timer.length, id + 1);
      this.timer = grown(this.timer, n);
      this.lifetimeUs = grown(this.lifetimeUs, n);
    }
    const t = this.spec.templates[template];
    pods.cpuReq[id] = t.cpuMilli;
    pods.memReq[id] = t.memoryBytes;
    pods.priority[id] = t.priority;
    this.timer[id] = -1;
    this.lifetimeUs[id] = lifetimeUs;
    this.counters.created++;
    this.counters.pending++;
    this.scheduling.podCreated(id);
    return id;
  }

  bind(pod: number, node: number): void {
    const { pods, nodes } = this;
    if (pods.phase[pod] !== PodPhase.Pending) throw new Error(`bind: pod ${pods.names[pod]} is not Pending`);
    if (nodes.ready[node] === 0) throw new Error(`bind: node ${nodes.names[node]} is not Ready`);
    pods.phase[pod] = PodPhase.Scheduled;
    pods.node[pod] = node;
    pods.scheduledUs[pod] = this.sim.now;
    this.account(pod, node, 1);
    this.counters.pending--;
    this.counters.starting++;
    this.counters.scheduled++;
    this.schedulingLatency.record(this.sim.now - pods.createdUs[pod]);
    this.timer[pod] = this.sim.timer(this.startup.sample(this.startupStream) * 1e6, this.startedId, pod);
  }

  private podRunning(pod: number): void {
    const pods = this.pods;
    pods.phase[pod] = PodPhase.Running;
    pods.runningUs[pod] = this.sim.now;
    this.counters.starting--;
    this.counters.running++;
    const life = this.lifetimeUs[pod];
    this.timer[pod] = -1;
    if (life >= 0) {
      // A bare Pod's lifetime is its activeDeadlineSeconds; an arrival's is its work.
      const outcome = this.outcomes.id(pods.owner[pod] < 0 ? OUTCOME_DEADLINE_EXCEEDED : OUTCOME_COMPLETED);
      this.timer[pod] = this.sim.timer(life, this.endId, pod, outcome);
    }
    for (const l of this.onPodRunning) l(pod);
  }

  /** End a pod (any phase before ended) with an outcome id; frees its node's resources. */
  endPod(pod: number, outcome: number): void {
    const { pods, counters } = this;
    const phase = pods.phase[pod];
    if (this.timer[pod] >= 0) this.sim.cancel(this.timer[pod]);
    this.timer[pod] = -1;
    if (phase === PodPhase.Pending) {
      counters.pending--;
      this.scheduling.podDeleted(pod);
    } else if (phase === PodPhase.Scheduled) counters.starting--;
    else if (phase === PodPhase.Running) counters.running--;
    else throw new Error(`endPod: pod ${pods.names[pod]} already ended`);
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
    if (node >= 0) this.scheduling.capacityChanged();
  }

  /** The node stops: NotReady, and every pod bound to it is lost at once. */
  failNode(node: number): number {
    const { nodes, pods } = this;
    if (nodes.ready[node] === 0) return 0;
    nodes.ready[node] = 0;
    this.failedAtUs[node] = this.sim.now;
    const lost = this.outcomes.id(OUTCOME_NODE_FAILURE);
    let n = 0;
    for (let p = 0; p < pods.count; p++) {
      if (pods.node[p] === node && (pods.phase[p] === PodPhase.Scheduled || pods.phase[p] === PodPhase.Running)) {
        this.endPod(p, lost);
        n++;
      }
    }
    return n;
  }

  recoverNode(node: number): boolean {
    if (this.nodes.ready[node] === 1) return false;
    this.nodes.ready[node] = 1;
    this.failedAtUs[node] = -1;
    this.scheduling.capacityChanged();
    return true;
  }

  private account(pod: number, node: number, sign: number): void {
    const { nodes, pods } = this;
    const cpu = pods.cpuReq[pod];
    const mem = pods.memReq[pod];
    const template = pods.template[pod];
    nodes.cpuReq[node] += sign * cpu;
    nodes.memReq[node] += sign * mem;
    nodes.ephReq[node] += sign * this.spec.templates[template].ephemeralBytes;
    nodes.cpuNonzero[node] += sign * (cpu === 0 ? NONZERO_DEFAULT_CPU_MILLI : cpu);
    nodes.memNonzero[node] += sign * (mem === 0 ? NONZERO_DEFAULT_MEMORY_BYTES : mem);
    nodes.podCount[node] += sign;
    this.strings.accountExtended(node, template, sign);
  }
}
