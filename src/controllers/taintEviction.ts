/**
 * kube-controller-manager's taint eviction controller ("taint-eviction-controller",
 * k/k pkg/controller/tainteviction/taint_eviction.go): deletes the pods of nodes with
 * NoExecute taints they do not tolerate, at once, or after the smallest
 * tolerationSeconds of the tolerations they use.
 *
 * What it reacts to, as upstream's informer handlers do:
 * - a node whose NoExecute taints changed (its spec NoExecute taints, static in kubesim,
 *   plus the node lifecycle controller's not-ready / unreachable NoExecute bits):
 *   every pod on it is processed with now as the start; no NoExecute taint left cancels
 *   the scheduled deletion of every pod on it;
 * - a pod bound to a node with NoExecute taints: processed with now as the start;
 * - a pod that ended (its object gone) or became Terminating: its scheduled deletion is
 *   cancelled;
 * - a deleted Node: its taints are forgotten, its pods' scheduled deletions stay (as
 *   upstream: PodGC removes those pods, which cancels them).
 *
 * processPodOnNode(pod, now), upstream's rule:
 * - some NoExecute taint not tolerated -> cancel, delete now;
 * - min tolerationSeconds of the tolerations used absent (tolerate forever) -> cancel;
 * - else trigger = now + min. If the pod already has a scheduled deletion created
 *   before now (CreatedAt + min before now + min), it is kept AS IT IS: the same fire
 *   time, even if the taints changed and the new min differs (so a swap unreachable ->
 *   not-ready keeps the original deadline). Only work created at this very instant is
 *   replaced (fire at now + min).
 *
 * The deletion is one graceful `delete pods` through the controller's own client (its
 * own rate limiter, clientset "taint-eviction-controller"). Upstream first GETs the pod
 * and patches its DisruptionTarget condition (reason DeletionByTaintManager): kubesim
 * sends only the Delete (the condition is what outcome "evicted" records). A failed
 * request is retried up to `retries` = 5 attempts, `10 ms` apart, then given up (as
 * upstream, until the next node or pod update processes the pod again).
 *
 * Leadership: nothing happens while no kube-controller-manager instance leads (every
 * scheduled deletion is cancelled). A new leader starts from a fresh informer cache: it
 * processes every tainted node's pods with now as the start, so after a failover the
 * deletions move later (upstream's behaviour: the queue is in memory).
 *
 * Simplifications (kubesim choices):
 * - Pods already Terminating or ended are skipped and a pod becoming Terminating
 *   cancels its work. Upstream still processes them (a terminal pod keeps its node) and
 *   sends a Delete that changes nothing: kubesim saves those no-op requests.
 * - While the pod's Delete (or its retries) is in flight, new processing of that pod is
 *   skipped. Upstream, a not-tolerated update during an in-progress deletion can start a
 *   second one (CancelWork cannot stop running work).
 * - The hot path is bit math: per template, per distinct set of spec NoExecute taints and
 *   per combination of the two lifecycle NoExecute taints, the tolerance is computed once.
 */
import type { Simulation } from "../engine/simulation.js";
import { OUTCOME_EVICTED, type ClusterState } from "../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";
import { LIFECYCLE_TAINTS } from "../model/nodeTable.js";
import type { TaintSpec } from "../model/nodeSpec.js";
import { PodPhase } from "../model/podTable.js";
import type { PodTemplate } from "../model/podTemplate.js";
import { NOT_TOLERATED, TOLERATED_FOREVER, noExecuteToleration, type TaintLike } from "../model/tolerations.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { US_PER_MS, US_PER_S } from "../engine/simulation.js";
import type { ControllerClient } from "./controllerClient.js";
import { TaintEvictionQueue } from "./taintEvictionQueue.js";

/** Attempts of one deletion (taint_eviction.go const `retries`). */
export const TAINT_EVICTION_RETRIES = 5;
/** Sleep after a failed attempt (deletePodHandler: time.Sleep(10 * time.Millisecond)). */
export const TAINT_EVICTION_RETRY_SLEEP_US = 10 * US_PER_MS;

/** The lifecycle NoExecute bits (4, 8) as a 2-bit index. */
const LIFECYCLE_NO_EXECUTE_SHIFT = 2;
const LIFECYCLE_COMBINATIONS = 4;
/** A node's NoExecute state not known to this leader (never seen, or its Node deleted). */
const UNSEEN = -1;
/** Tokens carry the pod and the leadership epoch that sent them: pod * EPOCH_SPAN + epoch % EPOCH_SPAN. */
const EPOCH_SPAN = 1024;

export class TaintEvictionController {
  /** Delete requests sent (first attempts and retries). */
  deletionsSent = 0;
  /** Deletions that succeeded and started the pod's termination (ClusterState counts them in counters.evicted). */
  evicted = 0;
  /** Deletions given up after TAINT_EVICTION_RETRIES failed attempts. */
  deletionsFailed = 0;

  private readonly queue: TaintEvictionQueue;
  private readonly evictedOutcome: number;
  private readonly fireId: number;
  private readonly doneId: number;
  private readonly retryId: number;
  /** Per node: id of its set of spec NoExecute taints (0 = none). */
  private readonly specSet: Int32Array;
  /** Per spec set id: its taints. */
  private readonly specSets: TaintLike[][] = [[]];
  /** Per node: the NoExecute state last seen, specSet * 4 + lifecycle index; 0 = no NoExecute taint. */
  private readonly seen: Int32Array;
  /** Per (template, spec set, lifecycle index): tolerance in seconds, NOT_TOLERATED, TOLERATED_FOREVER; NaN = not computed. */
  private readonly tolerance: Float64Array;
  /** Per pod: the epoch of its Delete in flight, -1 = none; and its attempts so far. */
  private inFlightEpoch = new Int32Array(0);
  private attempts = new Uint8Array(0);
  /** Leadership changes so far: answers and retries of an older epoch are the old process's. */
  private epoch = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: ControllerClient,
    /** Per node row: its spec taints (all effects; the NoExecute ones count). */
    nodeTaints: readonly (readonly TaintSpec[])[],
    private readonly templates: readonly PodTemplate[],
  ) {
    this.evictedOutcome = cluster.outcomes.id(OUTCOME_EVICTED);
    this.fireId = sim.on("taintEviction.fire", (pod) => this.fire(pod));
    this.doneId = sim.on("taintEviction.deleteDone", (token, status) => this.deleteDone(token, status));
    this.retryId = sim.on("taintEviction.retry", (pod, epoch) => this.retry(pod, epoch));
    this.queue = new TaintEvictionQueue(sim, this.fireId);
    const nodeCount = Math.max(nodeTaints.length, cluster.nodes.count);
    this.specSet = new Int32Array(nodeCount);
    this.seen = new Int32Array(nodeCount).fill(UNSEEN);
    const ids = new Map<string, number>([["", 0]]);
    nodeTaints.forEach((taints, node) => {
      const noExecute = taints.filter((t) => t.effect === "NoExecute").map((t) => ({ key: t.key, value: t.value ?? "", effect: t.effect }));
      const key = noExecute.map((t) => JSON.stringify([t.key, t.value])).join(",");
      let id = ids.get(key);
      if (id === undefined) {
        id = this.specSets.length;
        ids.set(key, id);
        this.specSets.push(noExecute);
      }
      this.specSet[node] = id;
    });
    this.tolerance = new Float64Array(templates.length * this.specSets.length * LIFECYCLE_COMBINATIONS).fill(NaN);
  }

  /** Scheduled deletions pending (for tests and the run's summary). */
  get scheduled(): number {
    return this.queue.size;
  }

  /** When the pod's scheduled deletion fires, or -1 when it has none. */
  scheduledAt(pod: number): number {
    return this.queue.has(pod) ? this.queue.fireAt(pod) : -1;
  }

  /** Register the watch handlers; if an instance leads already, sync every node now. */
  start(): void {
    const c = this.cluster;
    c.onNodeChanged.push((node) => this.nodeUpdated(node));
    c.onNodeDeleted.push((node) => {
      if (node < this.seen.length) this.seen[node] = UNSEEN;
    });
    c.onPodBound.push((pod) => this.podBound(pod));
    c.onPodEnded.push((pod) => this.queue.cancel(pod));
    c.onPodDeleting.push((pod) => this.queue.cancel(pod));
    this.client.onLeaderChange((leading) => this.leaderChanged(leading));
    if (this.client.leading) this.resync();
  }

  private leaderChanged(leading: boolean): void {
    this.epoch++;
    this.queue.cancelAll();
    this.seen.fill(UNSEEN);
    if (leading) this.resync();
  }

  /** A fresh informer cache: an Add event for every node. */
  private resync(): void {
    const nodes = this.cluster.nodes;
    for (let node = 0; node < nodes.count; node++) if (nodes.exists[node] === 1) this.nodeUpdated(node);
  }

  private noExecuteState(node: number): number {
    const spec = node < this.specSet.length ? this.specSet[node] : 0;
    return spec * LIFECYCLE_COMBINATIONS + ((this.cluster.nodes.lifecycleTaints[node] >> LIFECYCLE_NO_EXECUTE_SHIFT) & (LIFECYCLE_COMBINATIONS - 1));
  }

  /** handleNodeUpdate: act only when the node's NoExecute taints differ from the last seen. */
  private nodeUpdated(node: number): void {
    if (!this.client.leading || node >= this.seen.length || this.cluster.nodes.exists[node] === 0) return;
    const state = this.noExecuteState(node);
    if (state === this.seen[node]) return;
    this.seen[node] = state;
    if (state === 0) {
      if (this.queue.size > 0) for (const pod of this.cluster.podsOn(node)) this.queue.cancel(pod);
      return;
    }
    const now = this.sim.now;
    for (const pod of this.cluster.podsOn(node)) this.processPodOnNode(pod, state, now);
  }

  /** handlePodUpdate of a newly bound pod: only nodes known to have NoExecute taints matter. */
  private podBound(pod: number): void {
    const node = this.cluster.pods.node[pod];
    if (!this.client.leading || node >= this.seen.length) return;
    const state = this.seen[node];
    if (state > 0) this.processPodOnNode(pod, state, this.sim.now);
  }

  private processPodOnNode(pod: number, state: number, nowUs: number): void {
    const pods = this.cluster.pods;
    if (pods.phase[pod] >= PodPhase.Succeeded || pods.deletionUs[pod] >= 0) return;
    if (pod < this.inFlightEpoch.length && this.inFlightEpoch[pod] === this.epoch) return;
    const seconds = this.toleranceOf(pods.template[pod], state);
    if (seconds === NOT_TOLERATED) {
      this.queue.cancel(pod);
      this.deleteNow(pod);
      return;
    }
    if (seconds === TOLERATED_FOREVER) {
      this.queue.cancel(pod);
      return;
    }
    const minUs = seconds * US_PER_S;
    const triggerUs = nowUs + minUs;
    if (this.queue.has(pod)) {
      // Upstream: startTime = CreatedAt; keep the work when CreatedAt + min is before the
      // new trigger (i.e. it was created before now), whatever its own fire time.
      if (this.queue.createdAt(pod) + minUs < triggerUs) return;
      this.queue.cancel(pod);
    }
    if (minUs <= 0) this.deleteNow(pod);
    else this.queue.add(pod, nowUs, triggerUs);
  }

  private toleranceOf(template: number, state: number): number {
    const spec = (state / LIFECYCLE_COMBINATIONS) | 0;
    const lifecycle = state % LIFECYCLE_COMBINATIONS;
    const i = (template * this.specSets.length + spec) * LIFECYCLE_COMBINATIONS + lifecycle;
    let v = this.tolerance[i];
    if (Number.isNaN(v)) {
      const taints: TaintLike[] = [...this.specSets[spec]];
      for (const t of LIFECYCLE_TAINTS) if (t.effect === "NoExecute" && (lifecycle & (t.bit >> LIFECYCLE_NO_EXECUTE_SHIFT)) !== 0) taints.push({ key: t.key, effect: t.effect });
      v = noExecuteToleration(this.templates[template].pod.spec?.tolerations ?? [], taints);
      this.tolerance[i] = v;
    }
    return v;
  }

  private fire(pod: number): void {
    this.queue.fired(pod);
    this.deleteNow(pod);
  }

  /** deletePodHandler: the first attempt. */
  private deleteNow(pod: number): void {
    const pods = this.cluster.pods;
    if (pods.phase[pod] >= PodPhase.Succeeded || pods.deletionUs[pod] >= 0) return;
    if (pod >= this.inFlightEpoch.length) {
      const n = nextCapacity(this.inFlightEpoch.length, pod + 1);
      const from = this.inFlightEpoch.length;
      this.inFlightEpoch = grown(this.inFlightEpoch, n);
      this.inFlightEpoch.fill(-1, from);
      this.attempts = grown(this.attempts, n);
    }
    this.attempts[pod] = 0;
    this.send(pod);
  }

  private send(pod: number): void {
    this.inFlightEpoch[pod] = this.epoch;
    this.attempts[pod]++;
    this.deletionsSent++;
    this.client.send(Verb.Delete, Resource.Pod, pod * EPOCH_SPAN + (this.epoch % EPOCH_SPAN), this.doneId);
  }

  private deleteDone(token: number, status: number): void {
    const pod = Math.floor(token / EPOCH_SPAN);
    const current = token % EPOCH_SPAN === this.epoch % EPOCH_SPAN && this.inFlightEpoch[pod] === this.epoch;
    if (isSuccess(status)) {
      // The API server applied it, whichever process sent it.
      if (current) this.inFlightEpoch[pod] = -1;
      if (this.cluster.deletePod(pod, this.evictedOutcome)) {
        this.evicted++;
      }
      return;
    }
    if (!current) return; // the process that sent it has stopped: no retry
    if (this.attempts[pod] < TAINT_EVICTION_RETRIES) {
      this.sim.schedule(TAINT_EVICTION_RETRY_SLEEP_US, this.retryId, pod, this.epoch);
      return;
    }
    this.inFlightEpoch[pod] = -1;
    this.deletionsFailed++;
  }

  private retry(pod: number, epoch: number): void {
    if (epoch !== this.epoch || this.inFlightEpoch[pod] !== epoch) return;
    if (this.cluster.pods.phase[pod] >= PodPhase.Succeeded) {
      this.inFlightEpoch[pod] = -1;
      return;
    }
    this.send(pod);
  }
}
