/**
 * kube-controller-manager's PodGC controller (k/k pkg/controller/podgc/gc_controller.go):
 * every gcCheckPeriod it deletes terminated pods beyond --terminated-pod-gc-threshold and
 * force-deletes the pods of Nodes that no longer exist.
 *
 * The loop: a pass at once when an instance starts leading (wait.UntilWithContext runs
 * its function first), then every 20 s. Each pass, in upstream's order:
 * 1. gcTerminated (threshold > 0): pods whose phase is Succeeded or Failed and whose
 *    object still exists. When there are more than the threshold, the excess is deleted,
 *    kubelet-evicted pods first, then oldest creationTimestamp, then name
 *    (byEvictionAndCreationTimestamp): one `delete pods` each. Their rows do not change
 *    (they ended already); only the count of terminated objects kept goes down.
 * 2. gcOrphaned: every Node name some pod is bound to but that has no Node object is
 *    queued with AddAfter(name, quarantineTime = 40 s) (a name already waiting keeps its
 *    earlier time). A pass drains the names whose time has come: a name still without a
 *    Node (informer, then the live GET) is confirmed deleted and each of its pods,
 *    Terminating or not, is force-deleted (`delete pods`, grace 0); on success the pod
 *    ends with outcome pod-gc. A Node that came back within the quarantine keeps its
 *    pods. So a deleted Node's pods go 40-60 s after the Node object does.
 *
 * Terminated objects: a pod counts when it ended while bound and never deleted (no
 * deletionTimestamp) and with a phase outcome (completed, deadline-exceeded,
 * node-failure, a kubelet rejection...), not one that deletes the object (evicted,
 * pod-gc, preempted, and `options.deletedOutcomes`). A component that deletes such an
 * object itself calls `forgetTerminated`.
 *
 * Simplifications (kubesim choices):
 * - gcTerminating (Terminating pods on NotReady nodes tainted
 *   node.kubernetes.io/out-of-service) and gcUnscheduledTerminating (Terminating pods
 *   with no nodeName) are not modelled: kubesim has no out-of-service taint, and an
 *   unbound pod's deletion ends it at once.
 * - One `delete pods` per pod: upstream first patches status.phase=Failed (and for
 *   orphans the DisruptionTarget condition, reason DeletionByPodGC "PodGC: node no longer
 *   exists") when the pod is not terminal yet; the live GET of a Node is not a request.
 * - The period counts from the start of a pass, not from its end (upstream's sliding
 *   period starts after the pass's requests, which it sends and waits for in turn).
 *   A failed deletion is not retried within the pass; the next pass tries again.
 */
import type { Simulation } from "../engine/simulation.js";
import { OUTCOME_EVICTED, OUTCOME_POD_GC, type ClusterState } from "../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { US_PER_S } from "../engine/simulation.js";
import { PodPhase } from "../model/podTable.js";
import type { ControllerClient } from "./controllerClient.js";

/** gc_controller.go gcCheckPeriod. */
export const GC_CHECK_PERIOD_US = 20 * US_PER_S;
/** gc_controller.go quarantineTime: how long a missing Node name waits before the live check. */
export const QUARANTINE_TIME_US = 40 * US_PER_S;
/**
 * --terminated-pod-gc-threshold default (podgc/config/v1alpha1
 * RecommendedDefaultPodGCControllerConfiguration); 0 disables gcTerminated.
 */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;
/** Outcomes whose pod object is deleted when it ends (the scheduler's preemption: run/kubeSchedulerComponent.ts OUTCOME_PREEMPTED). */
const DELETING_OUTCOMES = [OUTCOME_EVICTED, OUTCOME_POD_GC, "preempted"];

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold (default 12,500; 0 disables gcTerminated). */
  terminatedPodThreshold?: number;
  /** More outcomes whose pod object is gone when the pod ends. */
  deletedOutcomes?: readonly string[];
  /** Outcomes of the kubelet's node-pressure evictions (status.reason Evicted): deleted first. */
  evictedOutcomes?: readonly string[];
}

const NONE = -1;
const KIND_TERMINATED = 0;
const KIND_ORPHANED = 1;

export class PodGCController {
  /** Passes run. */
  passes = 0;
  /** Delete requests sent. */
  deletionsSent = 0;
  /** Terminated pods' objects deleted beyond the threshold (gcTerminated). */
  terminatedDeleted = 0;
  /** Pods of deleted Nodes force-deleted (gcOrphaned). */
  orphanedDeleted = 0;
  /** Delete requests that failed (tried again at a later pass if still needed). */
  deletionsFailed = 0;

  private readonly threshold: number;
  private readonly podGcOutcome: number;
  private readonly deletedOutcomes: Set<number>;
  private readonly evictedOutcomes: Set<number>;
  private readonly passId: number;
  private readonly doneId: number;
  private passTimer = NONE;
  /** Terminated pods whose object exists, the first `terminatedCount` valid; per pod its slot (NONE when not there). */
  private terminated = new Int32Array(16);
  private terminatedSlot = new Int32Array(0);
  /** Per pod: 1 while a Delete of it is in flight. */
  private inFlight = new Uint8Array(0);
  /** Per node: terminated objects bound to it. */
  private terminatedOn: Int32Array;
  /** Per node name (row): when its quarantine ends (the delaying queue's readyAt), NONE when not queued. */
  private readyAtUs: Float64Array;
  terminatedCount = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: ControllerClient,
    options: PodGCOptions = {},
  ) {
    this.threshold = options.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
    if (!(Number.isInteger(this.threshold) && this.threshold >= 0)) throw new RangeError(`podgc: terminatedPodThreshold ${this.threshold}`);
    this.podGcOutcome = cluster.outcomes.id(OUTCOME_POD_GC);
    this.deletedOutcomes = new Set([...DELETING_OUTCOMES, ...(options.deletedOutcomes ?? [])].map((o) => cluster.outcomes.id(o)));
    this.evictedOutcomes = new Set((options.evictedOutcomes ?? []).map((o) => cluster.outcomes.id(o)));
    this.passId = sim.on("podgc.pass", () => this.pass());
    this.doneId = sim.on("podgc.deleteDone", (token, status) => this.deleteDone(token, status));
    this.terminatedOn = new Int32Array(cluster.nodes.count);
    this.readyAtUs = new Float64Array(cluster.nodes.count).fill(NONE);
  }

  /** Register the watch handlers and, if an instance leads, run the first pass now. */
  start(): void {
    this.cluster.onPodEnded.push((pod) => this.podEnded(pod));
    this.client.onLeaderChange((leading) => this.leaderChanged(leading));
    if (this.client.leading) this.passTimer = this.sim.timer(0, this.passId);
  }

  /** Whether the pod is a terminated pod whose object PodGC still counts. */
  keepsTerminated(pod: number): boolean {
    return pod < this.terminatedSlot.length && this.terminatedSlot[pod] !== NONE;
  }

  /** A terminated pod's object was deleted by someone else (a user, its controller). */
  forgetTerminated(pod: number): void {
    if (this.keepsTerminated(pod)) this.removeTerminated(pod);
  }

  private leaderChanged(leading: boolean): void {
    if (this.passTimer !== NONE) this.sim.cancel(this.passTimer);
    this.passTimer = NONE;
    this.readyAtUs.fill(NONE); // the delaying queue is the old process's memory
    if (leading) this.passTimer = this.sim.timer(0, this.passId);
  }

  private podEnded(pod: number): void {
    const pods = this.cluster.pods;
    const node = pods.node[pod];
    if (node < 0 || pods.deletionUs[pod] >= 0 || this.deletedOutcomes.has(pods.outcome[pod])) return;
    this.ensurePod(pod);
    if (this.terminatedCount === this.terminated.length) this.terminated = grown(this.terminated, this.terminatedCount * 2);
    this.terminated[this.terminatedCount] = pod;
    this.terminatedSlot[pod] = this.terminatedCount++;
    this.ensureNode(node);
    this.terminatedOn[node]++;
  }

  private removeTerminated(pod: number): void {
    const slot = this.terminatedSlot[pod];
    const last = this.terminated[--this.terminatedCount];
    this.terminated[slot] = last;
    this.terminatedSlot[last] = slot;
    this.terminatedSlot[pod] = NONE;
    this.terminatedOn[this.cluster.pods.node[pod]]--;
  }

  private pass(): void {
    this.passes++;
    this.passTimer = this.sim.timer(GC_CHECK_PERIOD_US, this.passId);
    if (this.threshold > 0) this.gcTerminated();
    this.gcOrphaned();
  }

  private gcTerminated(): void {
    const deleteCount = this.terminatedCount - this.threshold;
    if (deleteCount <= 0) return;
    const pods = this.cluster.pods;
    const evicted = (p: number) => (this.evictedOutcomes.has(pods.outcome[p]) ? 0 : 1);
    const order = Array.from(this.terminated.subarray(0, this.terminatedCount)).sort(
      (a, b) => evicted(a) - evicted(b) || pods.createdUs[a] - pods.createdUs[b] || (pods.names[a] < pods.names[b] ? -1 : pods.names[a] > pods.names[b] ? 1 : 0),
    );
    for (let i = 0; i < deleteCount; i++) this.sendDelete(order[i], KIND_TERMINATED);
  }

  private gcOrphaned(): void {
    const { nodes } = this.cluster;
    const now = this.sim.now;
    this.ensureNode(nodes.count - 1);
    // Names whose quarantine is over are taken out of the delaying queue first; then
    // every name with bound pods and no Node is (re)queued unless still waiting.
    const ready: number[] = [];
    for (let node = 0; node < nodes.count; node++) {
      const at = this.readyAtUs[node];
      if (at !== NONE && at <= now) {
        ready.push(node);
        this.readyAtUs[node] = NONE;
      }
    }
    for (let node = 0; node < nodes.count; node++) {
      if (nodes.exists[node] === 0 && (nodes.podCount[node] > 0 || this.terminatedOn[node] > 0) && this.readyAtUs[node] === NONE) {
        this.readyAtUs[node] = now + QUARANTINE_TIME_US;
      }
    }
    for (const node of ready) {
      if (nodes.exists[node] === 1) continue; // it came back within the quarantine
      for (const pod of this.cluster.podsOn(node)) this.sendDelete(pod, KIND_ORPHANED);
      if (this.terminatedOn[node] > 0) {
        const pods = this.cluster.pods;
        for (const pod of Array.from(this.terminated.subarray(0, this.terminatedCount))) if (pods.node[pod] === node) this.sendDelete(pod, KIND_ORPHANED);
      }
    }
  }

  private sendDelete(pod: number, kind: number): void {
    this.ensurePod(pod);
    if (this.inFlight[pod] === 1) return;
    this.inFlight[pod] = 1;
    this.deletionsSent++;
    this.client.send(Verb.Delete, Resource.Pod, pod * 2 + kind, this.doneId);
  }

  private deleteDone(token: number, status: number): void {
    const pod = token >> 1;
    const kind = token & 1;
    this.inFlight[pod] = 0;
    if (!isSuccess(status)) {
      this.deletionsFailed++;
      return;
    }
    if (this.cluster.pods.phase[pod] < PodPhase.Succeeded) {
      this.cluster.endPod(pod, this.podGcOutcome);
    } else if (this.terminatedSlot[pod] !== NONE) {
      this.removeTerminated(pod);
    } else return; // gone meanwhile (its object deleted by someone else)
    if (kind === KIND_ORPHANED) this.orphanedDeleted++;
    else this.terminatedDeleted++;
  }

  private ensurePod(pod: number): void {
    if (pod < this.inFlight.length) return;
    const from = this.inFlight.length;
    const n = nextCapacity(from, pod + 1);
    this.inFlight = grown(this.inFlight, n);
    this.terminatedSlot = grown(this.terminatedSlot, n);
    this.terminatedSlot.fill(NONE, from);
  }

  private ensureNode(node: number): void {
    if (node < this.terminatedOn.length) return;
    const from = this.readyAtUs.length;
    const n = nextCapacity(from, node + 1);
    this.terminatedOn = grown(this.terminatedOn, n);
    this.readyAtUs = grown(this.readyAtUs, n);
    this.readyAtUs.fill(NONE, from);
  }
}
