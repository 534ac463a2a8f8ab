/**
 * How kube-controller-manager's ReplicaSet controller creates pods when the run has a
 * control plane: `create pods` sent to the API server on the host of the instance that
 * holds the kube-controller-manager lease (kubeadm's LocalAPIEndpoint), through the
 * controller manager's client rate limiter (--kube-api-qps 20, --kube-api-burst 30). A
 * pod exists (enters the scheduler's queue, is a row of pods.csv with created_s = now)
 * only when its create succeeded.
 *
 * - The controller acts only while some instance holds its lease: a create decided while
 *   none does waits, and a new leader starts with a fresh workqueue and syncs every
 *   ReplicaSet, sending what waits.
 * - A sync of a ReplicaSet sends every create that waits; when one of them fails, the
 *   ReplicaSet is requeued rate-limited (client/workqueue.ts: 5 ms doubling per failed
 *   sync in a row, up to 1000 s) and its failed creates are sent by that next sync; a
 *   sync without failure Forgets.
 *
 * - A create refused by the NamespaceLifecycle admission plugin (403, the namespace is
 *   Terminating; 404, it is gone) is dropped, not retried: upstream's controllers ignore a
 *   NamespaceTerminating error (replica_set.go slowStartBatch), and the namespace controller
 *   deletes the workload. Without a control plane the create is refused at once.
 * - `forget(rs)`: the workload was deleted; its creates that wait are dropped, one in flight
 *   that fails is not retried (one that succeeds makes a pod the garbage collector deletes).
 *
 * Simplifications (README "Model fidelity"): no slow-start batches, no expectations; a
 * new pod to create syncs its ReplicaSet at once (a plain Add, as a pod deletion event
 * does upstream), sending its failed creates too.
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { KubeApi } from "../apiserver/kubeApi.js";
import { Resource, Status, Verb, isSuccess } from "../apiserver/verbs.js";
import type { LeaderElection } from "../client/leaderElection.js";
import { TokenBucket } from "../client/tokenBucket.js";
import { controllerBackoffUs } from "../client/workqueue.js";

/** kube-controller-manager --kube-api-qps / --kube-api-burst defaults (20, 30). */
export const KCM_CLIENT_QPS = 20;
export const KCM_CLIENT_BURST = 30;

/** Where a ReplicaSet controller's decision to create a pod goes. */
export interface PodCreates {
  /** Create pod `name` of ReplicaSet `rs` (its Deployment's index), from template `template`, owned by `owner`. */
  create(rs: number, name: string, namespace: string, template: number, owner: number): void;
  /** Workload `rs` was deleted: drop its creates that wait (none without a control plane). */
  forget?(rs: number): void;
}

/** Without a control plane: the pod exists at once (unless NamespaceLifecycle refuses it). */
export function immediatePodCreates(cluster: ClusterState): PodCreates {
  return {
    create: (_rs, name, namespace, template, owner) => {
      if (cluster.namespaces.admitCreate(cluster.namespaces.id(namespace)) === 0) cluster.createPod(name, namespace, template, owner, -1);
    },
  };
}

export class ApiPodCreates implements PodCreates {
  // Creates not yet succeeded, by slot (a slot is freed when its create succeeded).
  private readonly name: string[] = [];
  private readonly namespace: string[] = [];
  private readonly template: number[] = [];
  private readonly owner: number[] = [];
  private readonly replicaSet: number[] = [];
  private readonly freeSlots: number[] = [];

  // Per ReplicaSet (its workqueue item).
  /** Creates to send at the next sync (new or failed). */
  private readonly waiting: number[][];
  /** Creates of the current sync not answered yet. */
  private readonly inFlight: number[];
  /** Some create of the current sync failed. */
  private readonly failedSync: boolean[];
  /** Failed syncs in a row (the rate limiter's NumRequeues). */
  private readonly requeues: number[];
  private readonly resyncPending: boolean[];
  /** Deleted workloads (forget). */
  private readonly forgotten: boolean[];

  private readonly limiter: TokenBucket;
  private readonly serverOpts = { server: 0, namespace: -1 }; // KubeApi.send copies it
  private readonly sendId: number;
  private readonly answeredId: number;
  private readonly resyncId: number;

  /** Answers of `create pods` that were not 2xx. */
  failures = 0;
  /** Of those, refused by NamespaceLifecycle admission (403, 404): dropped. */
  refused = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly api: KubeApi,
    /** kube-controller-manager's leader election: candidate c sends to API server c. */
    private readonly lease: LeaderElection,
    replicaSets: number,
    /** The controller's client rate limit (--kube-api-qps, --kube-api-burst). */
    client: { qps: number; burst: number } = { qps: KCM_CLIENT_QPS, burst: KCM_CLIENT_BURST },
  ) {
    this.waiting = Array.from({ length: replicaSets }, () => []);
    this.inFlight = new Array<number>(replicaSets).fill(0);
    this.failedSync = new Array<boolean>(replicaSets).fill(false);
    this.requeues = new Array<number>(replicaSets).fill(0);
    this.resyncPending = new Array<boolean>(replicaSets).fill(false);
    this.forgotten = new Array<boolean>(replicaSets).fill(false);
    this.limiter = new TokenBucket(client.qps, client.burst, sim.now);
    this.sendId = sim.on("kube-controller-manager.sendCreate", (slot) => this.send(slot));
    this.answeredId = sim.on("kube-controller-manager.createAnswered", (slot, status) => this.answered(slot, status));
    this.resyncId = sim.on("kube-controller-manager.resync", (rs) => {
      this.resyncPending[rs] = false;
      this.sync(rs);
    });
    lease.listeners.push((_candidate, leading) => {
      if (!leading) return;
      for (let rs = 0; rs < replicaSets; rs++) {
        this.requeues[rs] = 0;
        this.sync(rs);
      }
    });
  }

  create(rs: number, name: string, namespace: string, template: number, owner: number): void {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.name.length;
    this.name[slot] = name;
    this.namespace[slot] = namespace;
    this.template[slot] = template;
    this.owner[slot] = owner;
    this.replicaSet[slot] = rs;
    this.waiting[rs].push(slot);
    this.sync(rs);
  }

  /** Creates still to be answered or retried. */
  get pending(): number {
    return this.name.length - this.freeSlots.length;
  }

  forget(rs: number): void {
    this.forgotten[rs] = true;
    for (const slot of this.waiting[rs]) this.freeSlots.push(slot);
    this.waiting[rs].length = 0;
  }

  /** A sync of ReplicaSet rs: send every waiting create (only while some instance leads). */
  private sync(rs: number): void {
    if (this.lease.leader() < 0) return;
    const w = this.waiting[rs];
    if (w.length === 0) return;
    for (const slot of w) this.sim.scheduleAt(this.limiter.reserve(this.sim.now), this.sendId, slot);
    this.inFlight[rs] += w.length;
    w.length = 0;
  }

  /** The client rate limiter let the create go. */
  private send(slot: number): void {
    const server = this.lease.leader();
    if (server < 0) {
      // the leader stopped meanwhile: the next leader's sync sends it
      const rs = this.replicaSet[slot];
      if (this.forgotten[rs]) this.freeSlots.push(slot);
      else this.waiting[rs].push(slot);
      this.syncAnswered(rs);
      return;
    }
    this.serverOpts.server = server;
    this.serverOpts.namespace = this.cluster.namespaces.id(this.namespace[slot]);
    this.api.send(Verb.Create, Resource.Pod, slot, this.answeredId, this.serverOpts);
  }

  private answered(slot: number, status: number): void {
    const rs = this.replicaSet[slot];
    if (isSuccess(status)) {
      // The pod exists now (committed in etcd, even if the sender stopped leading meanwhile).
      this.freeSlots.push(slot);
      this.cluster.createPod(this.name[slot], this.namespace[slot], this.template[slot], this.owner[slot], -1);
      this.syncAnswered(rs);
      return;
    }
    this.failures++;
    const refused = status === Status.Forbidden || status === Status.NotFound;
    if (refused || this.forgotten[rs]) {
      // NamespaceLifecycle refused it, or the workload is gone: not retried
      if (refused) this.refused++;
      this.freeSlots.push(slot);
      this.syncAnswered(rs);
      return;
    }
    this.failedSync[rs] = true;
    this.waiting[rs].push(slot);
    this.syncAnswered(rs);
  }

  /**
   * One create of ReplicaSet rs's sync was answered (or given back). When the sync is
   * over: a failure requeues the ReplicaSet rate-limited, else the rate limiter forgets it.
   */
  private syncAnswered(rs: number): void {
    if (--this.inFlight[rs] > 0) return;
    if (!this.failedSync[rs]) {
      this.requeues[rs] = 0;
      return;
    }
    this.failedSync[rs] = false;
    const delay = controllerBackoffUs(this.requeues[rs]);
    this.requeues[rs]++;
    if (this.resyncPending[rs]) return;
    this.resyncPending[rs] = true;
    this.sim.schedule(delay, this.resyncId, rs);
  }
}
