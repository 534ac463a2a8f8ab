/**
 * With a control plane (`controlPlane` section), the pod writes of the workload
 * components are API requests through KubeApi (in-flight seats, etcd write, errors):
 *
 * - Pod creates of the ReplicaSet controller: `create pods` sent by kube-controller-manager
 *   to the API server on the host of the instance that holds the kube-controller-manager
 *   lease (kubeadm's LocalAPIEndpoint, as the kube-scheduler's bindings), through
 *   kube-controller-manager's client rate limiter (--kube-api-qps 20, --kube-api-burst 30).
 *   The controller acts only while some instance holds its lease: a create decided while
 *   none does waits, and every waiting create is sent when an instance acquires the lease.
 *   A failed create is retried by the next sync of its ReplicaSet, which the workqueue
 *   rate limiter delays (client-go DefaultControllerRateLimiter's per-item exponential
 *   part: 5 ms doubling per failed sync up to 1000 s; a sync without failure Forgets).
 *   Simplifications: one sync of a ReplicaSet is the set of creates sent together and
 *   its failures requeue it once; no slow-start batches, no expectations, no overall
 *   workqueue bucket (10 qps, burst 100); a new pod to create syncs the ReplicaSet at
 *   once (a plain Add, as a pod deletion event does upstream), sending its failed
 *   creates too.
 * - Pod creates of PoissonArrivals and bare Pods: a user client through the load
 *   balancer; a failed create is sent again after USER_CREATE_RETRY_US (1 s, a kubesim
 *   choice, not a client-go behaviour).
 *   Either way the pod exists (enters the scheduler's queue, is a row of pods.csv with
 *   created_s = now) only when its create succeeded.
 * - The kubelet's pod status updates: `patch pods/status` through the load balancer when
 *   a pod becomes Running and when it ends (not for pods lost with their node nor for
 *   pods deleted before binding: no kubelet runs them). They do not gate the pod's
 *   lifecycle; a failed update is sent once more after KUBELET_STATUS_RETRY_US
 *   (simplification of the kubelet's status manager, which retries on its next sync).
 *
 * Without a control plane this component does not exist and pods are created at once.
 */
import { US_PER_S } from "../engine/simulation.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";
import { PodPhase } from "../model/podTable.js";
import { TokenBucket } from "../client/tokenBucket.js";
import { OUTCOME_NODE_FAILURE, type Cluster } from "../apiserver/clusterState.js";
import type { ComponentFactory } from "./components.js";
import type { ControlPlane } from "./controlPlane.js";
import { controlPlaneOf } from "./controlPlaneComponent.js";

/**
 * client-go workqueue.DefaultControllerRateLimiter, per-item part:
 * ItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second).
 */
export const CONTROLLER_BACKOFF_BASE_US = 5_000;
export const CONTROLLER_BACKOFF_MAX_US = 1000 * US_PER_S;
/** kube-controller-manager --kube-api-qps / --kube-api-burst defaults (20, 30). */
export const KCM_CLIENT_QPS = 20;
export const KCM_CLIENT_BURST = 30;
/** A user client's create that failed is sent again after 1 s. [kubesim choice] */
export const USER_CREATE_RETRY_US = 1 * US_PER_S;
/**
 * A failed kubelet status update is sent once more, 10 s later: the status manager
 * retries on its next periodic sync (pkg/kubelet/status/status_manager.go syncPeriod =
 * 10 s); simplified to a single retry.
 */
export const KUBELET_STATUS_RETRY_US = 10 * US_PER_S;

/** Where a create comes from. */
const USER = -1;

/** Per pod, in the status update's token: which update and which attempt. */
const STATUS_RETRY_BIT = 1;

export class PodApiClients {
  // Pending creates by slot (freed when the create succeeded).
  private readonly name: string[] = [];
  private readonly namespace: string[] = [];
  private readonly template: number[] = [];
  private readonly owner: number[] = [];
  private readonly lifetimeUs: number[] = [];
  /** Deployment index (ReplicaSet controller) or USER. */
  private readonly client: number[] = [];
  private readonly freeSlots: number[] = [];

  // Per Deployment (its ReplicaSet's workqueue item).
  /** Creates to send at the next sync (new or failed). */
  private readonly waiting: number[][];
  /** Creates of the current sync not answered yet. */
  private readonly inFlight: number[];
  /** Some create of the current sync failed. */
  private readonly failedSync: boolean[];
  /** Failed syncs in a row (the rate limiter's NumRequeues). */
  private readonly requeues: number[];
  private readonly resyncPending: boolean[];

  private readonly limiter: TokenBucket;
  private readonly serverOpts = { server: 0 }; // KubeApi.send copies it
  private readonly hSend: number;
  private readonly hCreated: number;
  private readonly hResync: number;
  private readonly hUserRetry: number;
  private readonly hStatusAnswer: number;
  private readonly hStatusRetry: number;
  private readonly lostOutcome: number;

  /** Answers of `create pods` that were not 2xx, by client kind. */
  controllerCreateFailures = 0;
  userCreateFailures = 0;
  statusUpdates = 0;
  statusUpdateFailures = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly cp: ControlPlane,
  ) {
    const sim = cluster.sim;
    const n = cluster.spec.deployments.length;
    this.waiting = Array.from({ length: n }, () => []);
    this.inFlight = new Array<number>(n).fill(0);
    this.failedSync = new Array<boolean>(n).fill(false);
    this.requeues = new Array<number>(n).fill(0);
    this.resyncPending = new Array<boolean>(n).fill(false);
    this.limiter = new TokenBucket(KCM_CLIENT_QPS, KCM_CLIENT_BURST, sim.now);
    this.lostOutcome = cluster.outcomes.id(OUTCOME_NODE_FAILURE);
    this.hSend = sim.on("kube-controller-manager.sendCreate", (slot) => this.sendControllerCreate(slot));
    this.hCreated = sim.on("pods.createAnswered", (slot, status) => this.createAnswered(slot, status));
    this.hResync = sim.on("kube-controller-manager.resync", (d) => {
      this.resyncPending[d] = false;
      this.sync(d);
    });
    this.hUserRetry = sim.on("user.createRetry", (slot) => this.sendUserCreate(slot));
    this.hStatusAnswer = sim.on("kubelet.statusAnswered", (token, status) => this.statusAnswered(token, status));
    this.hStatusRetry = sim.on("kubelet.statusRetry", (token) => this.sendStatus(token));
    // A new kube-controller-manager leader starts with a fresh workqueue and syncs every ReplicaSet.
    cp.onLeadershipChange("kube-controller-manager", (_host, leading) => {
      if (!leading) return;
      for (let d = 0; d < n; d++) {
        this.requeues[d] = 0;
        this.sync(d);
      }
    });
    cluster.onPodRunning.push((pod) => this.sendStatus(pod * 2));
    cluster.onPodEnded.push((pod) => {
      // No kubelet reports a pod that never reached a node or was lost with it.
      if (cluster.endedPhase === PodPhase.Pending || cluster.pods.outcome[pod] === this.lostOutcome) return;
      this.sendStatus(pod * 2);
    });
  }

  /** The ReplicaSet controller of Deployment `d` decided to create this pod. */
  createByController(d: number, name: string, namespace: string, template: number, owner: number, lifetimeUs: number): void {
    const slot = this.alloc(d, name, namespace, template, owner, lifetimeUs);
    this.waiting[d].push(slot);
    this.sync(d);
  }

  /** A user client (arrivals, bare Pods) creates this pod. */
  createByUser(name: string, namespace: string, template: number, owner: number, lifetimeUs: number): void {
    this.sendUserCreate(this.alloc(USER, name, namespace, template, owner, lifetimeUs));
  }

  /** Requests still to be answered or retried (creates not yet succeeded). */
  get pendingCreates(): number {
    return this.name.length - this.freeSlots.length;
  }

  private alloc(client: number, name: string, namespace: string, template: number, owner: number, lifetimeUs: number): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.name.length;
    this.name[slot] = name;
    this.namespace[slot] = namespace;
    this.template[slot] = template;
    this.owner[slot] = owner;
    this.lifetimeUs[slot] = lifetimeUs;
    this.client[slot] = client;
    return slot;
  }

  /** A sync of Deployment d's ReplicaSet: send every waiting create (only while some instance leads). */
  private sync(d: number): void {
    if (!this.cp.isLeader("kube-controller-manager")) return;
    const w = this.waiting[d];
    if (w.length === 0) return;
    const sim = this.cluster.sim;
    for (const slot of w) sim.scheduleAt(this.limiter.reserve(sim.now), this.hSend, slot);
    this.inFlight[d] += w.length;
    w.length = 0;
  }

  /** The client rate limiter let the create go. */
  private sendControllerCreate(slot: number): void {
    const server = this.cp.controllerManager.leader();
    if (server < 0) {
      // the leader stopped meanwhile: the next leader's sync sends it
      const d = this.client[slot];
      this.waiting[d].push(slot);
      this.syncAnswered(d);
      return;
    }
    this.serverOpts.server = server;
    this.cp.api.send(Verb.Create, Resource.Pod, slot, this.hCreated, this.serverOpts);
  }

  private sendUserCreate(slot: number): void {
    this.cp.api.send(Verb.Create, Resource.Pod, slot, this.hCreated);
  }

  private createAnswered(slot: number, status: number): void {
    const d = this.client[slot];
    if (isSuccess(status)) {
      // The pod exists now (committed in etcd, even if the sender stopped leading meanwhile).
      this.freeSlots.push(slot);
      this.cluster.createPod(this.name[slot], this.namespace[slot], this.template[slot], this.owner[slot], this.lifetimeUs[slot]);
      if (d !== USER) this.syncAnswered(d);
      return;
    }
    if (d === USER) {
      this.userCreateFailures++;
      this.cluster.sim.schedule(USER_CREATE_RETRY_US, this.hUserRetry, slot);
      return;
    }
    this.controllerCreateFailures++;
    this.failedSync[d] = true;
    this.waiting[d].push(slot);
    this.syncAnswered(d);
  }

  /**
   * One create of Deployment d's sync was answered (or given back). When the sync is over:
   * a failure requeues the ReplicaSet rate-limited (5 ms x 2^requeues, at most 1000 s),
   * else the rate limiter forgets it.
   */
  private syncAnswered(d: number): void {
    if (--this.inFlight[d] > 0) return;
    if (!this.failedSync[d]) {
      this.requeues[d] = 0;
      return;
    }
    this.failedSync[d] = false;
    const delay = Math.min(CONTROLLER_BACKOFF_BASE_US * 2 ** this.requeues[d], CONTROLLER_BACKOFF_MAX_US);
    this.requeues[d]++;
    if (this.resyncPending[d]) return;
    this.resyncPending[d] = true;
    this.cluster.sim.schedule(delay, this.hResync, d);
  }

  /** token = pod x 2 + (1 on the retry). */
  private sendStatus(token: number): void {
    this.statusUpdates++;
    this.cp.api.send(Verb.Patch, Resource.PodStatus, token, this.hStatusAnswer);
  }

  private statusAnswered(token: number, status: number): void {
    if (isSuccess(status)) return;
    this.statusUpdateFailures++;
    if ((token & STATUS_RETRY_BIT) === 0) this.cluster.sim.schedule(KUBELET_STATUS_RETRY_US, this.hStatusRetry, token + STATUS_RETRY_BIT);
  }
}

/** The pod API clients of a run with a control plane (see PodApiClients). */
export const podApiComponent: ComponentFactory = (cluster) => {
  const cp = controlPlaneOf(cluster);
  if (!cp) return undefined;
  const clients = new PodApiClients(cluster, cp);
  cluster.podApi = clients;
  const spec = cluster.spec;
  const workloads = spec.deployments.length + spec.arrivals.length + spec.pods.length > 0;
  return {
    name: "pod-api-clients",
    finish() {
      // Only where pods are API writes (scenarios without workloads keep their summary).
      if (!workloads) return {};
      return {
        summary: [
          { metric: "pod_create_failures", value: clients.controllerCreateFailures + clients.userCreateFailures },
          { metric: "pod_creates_pending_at_end", value: clients.pendingCreates },
          { metric: "pod_status_updates", value: clients.statusUpdates },
          { metric: "pod_status_update_failures", value: clients.statusUpdateFailures },
        ],
      };
    },
  };
};
