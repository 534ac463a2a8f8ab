/**
 * How kube-controller-manager's workload controllers (ReplicaSet, DaemonSet, StatefulSet,
 * Job) create pods: `create pods` sent to the API server on the host of the instance that
 * holds the kube-controller-manager lease (kubeadm's LocalAPIEndpoint) when the run has a
 * control plane, or to the fixed-latency API (apiserver/apiPort.ts, one instance that
 * always leads: ALWAYS_LEADING) without one; either way through the controller's client
 * rate limiter (--kube-api-qps 20, --kube-api-burst 30). A pod exists (enters the scheduler's queue, is a row of pods.csv
 * with created_s = now) only when its create succeeded.
 *
 * One workqueue item per owner (a ReplicaSet: replicaSetItems numbers a Deployment's), processed as
 * client-go's workqueue and upstream's manageReplicas do (replica_set.go,
 * controller_utils.go slowStartBatch):
 * - A create decided by the controller adds the item; creates decided in the same
 *   instant are taken by one sync (the queue dedups, the worker picks the item up after).
 * - A sync takes at most `perSync` waiting creates (burstReplicas: 500 for ReplicaSets
 *   and Jobs, 250 for DaemonSets, no limit for StatefulSets) and sends them in batches of
 *   1, 2, 4, 8, ... (slowStartBatch with SlowStartInitialBatchSize = 1: each batch is
 *   min(2 x the previous one, what is left), the StatefulSet's at most 500): a batch's
 *   creates go out together (each through the rate limiter), the next batch only once
 *   every create of this one is answered and succeeded. At the first batch with a failure
 *   the sync ends: the batch's failed creates and the sync's creates not sent yet
 *   (upstream lowers its expectations for these "skipped" pods) wait for the next sync,
 *   and the item is requeued rate-limited (client/workqueue.ts: 5 ms doubling per failed
 *   sync in a row, up to 1000 s; the delaying queue keeps the earlier time when the item
 *   already waits). A sync without failure Forgets (the back-off starts over).
 * - Expectations: while a sync's creates are in flight the item is not synced again
 *   (upstream: one worker per item, and SatisfiedExpectations holds the next sync until
 *   the creates are observed). Anything that adds the item meanwhile (a new create, the
 *   back-off timer, a new leader) marks it dirty, and it is synced again as soon as the
 *   sync ends. The sync's successful creates do too: they are the informer's pod add
 *   events (addPod: CreationObserved, queue.Add). So a sync that created pods and then
 *   failed is followed at once by another (whose first batch of one finds out whether
 *   the API still refuses); only a sync that created nothing waits out its back-off. A
 *   sync that took 500 of 600 waiting creates is followed at once by one taking the
 *   other 100.
 * - The controller acts only while some instance holds its lease: a create decided
 *   while none does waits; a sync whose leader is gone sends no further batch; a new
 *   leader starts with a fresh workqueue (back-off forgotten) and syncs every item,
 *   abandoning a sync of the previous leader still in flight (its answers still create
 *   pods, or put the creates back to wait, but no longer drive batches).
 *
 * - A create refused by the NamespaceLifecycle admission plugin (403, the namespace is
 *   Terminating; 404, it is gone) is dropped, not retried, and does not fail its batch:
 *   upstream's controllers ignore a NamespaceTerminating error (replica_set.go
 *   slowStartBatch), and the namespace controller deletes the workload. Without a control
 *   plane the fixed-latency API answers the refusal after its latency.
 * - `forget(rs)`: the workload was deleted; its creates that wait are dropped, one in flight
 *   that fails is not retried (one that succeeds makes a pod the garbage collector deletes).
 *
 * Simplifications (README "Model fidelity"): no informer delay (a create is observed when
 * it is answered, so expectations are satisfied when the sync ends; no 5 min
 * ExpectationsTimeout); creates once decided are sent even if the controller would no
 * longer want them (a scale-down meanwhile deletes other pods instead); only new
 * creates, the sync's own successful creates, back-off timers and leader changes sync
 * the item, not other pod events (updates, deletions not followed by a create); the
 * Job controller's own API back-off (1 s doubling to 1 min) and its 1 s
 * syncJobBatchPeriod are not modelled (the 5 ms controller default is used); the
 * StatefulSet controller's batches count the pods to create only (upstream's
 * runForAll batches all replicas, existing ones included); no overall workqueue token
 * bucket (10 qps, burst 100).
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

/** controller_utils.go SlowStartInitialBatchSize: the first batch of a sync's creates. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** replica_set.go BurstReplicas: creates (or deletes) per ReplicaSet sync. */
export const REPLICASET_BURST_REPLICAS = 500;
/** daemon_controller.go BurstReplicas: creates per DaemonSet sync ("values that are too high can cause registry DoS issues"). */
export const DAEMONSET_BURST_REPLICAS = 250;
/** job_controller.go MaxPodCreateDeletePerSync: creates per Job sync. */
export const JOB_MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** stateful_set_control.go MaxBatchSize: the largest batch of a Parallel StatefulSet (no per-sync limit). */
export const STATEFULSET_MAX_BATCH_SIZE = 500;

/** How one controller's sync sends its creates. */
export interface CreateBatching {
  /** At most this many creates per sync (burstReplicas); the others wait for the next sync. */
  perSync: number;
  /** No batch larger than this. */
  maxBatch: number;
}

export const REPLICASET_CREATES: CreateBatching = { perSync: REPLICASET_BURST_REPLICAS, maxBatch: Infinity };
export const DAEMONSET_CREATES: CreateBatching = { perSync: DAEMONSET_BURST_REPLICAS, maxBatch: Infinity };
export const JOB_CREATES: CreateBatching = { perSync: JOB_MAX_POD_CREATE_DELETE_PER_SYNC, maxBatch: Infinity };
/** OrderedReady decides one create at a time anyway; Parallel sends all in slow-start batches. */
export const STATEFULSET_CREATES: CreateBatching = { perSync: Infinity, maxBatch: STATEFULSET_MAX_BATCH_SIZE };

/**
 * slowStartBatch's next batch: SlowStartInitialBatchSize first, then twice the previous
 * one, never more than what is left (nor than `maxBatch`).
 */
export function nextBatchSize(previous: number, left: number, maxBatch = Infinity): number {
  return Math.min(previous === 0 ? SLOW_START_INITIAL_BATCH_SIZE : 2 * previous, left, maxBatch);
}

/** Without a control plane: one kube-controller-manager that always holds its lease. */
export const ALWAYS_LEADING: Pick<LeaderElection, "leader" | "listeners"> = { leader: () => 0, listeners: [] };

/** Where a workload controller's decision to create a pod goes. */
export interface PodCreates {
  /** Create pod `name` of item `rs` (a ReplicaSet, a DaemonSet, ...), from template `template`, owned by `owner`. */
  create(rs: number, name: string, namespace: string, template: number, owner: number): void;
  /** Workload `rs` was deleted: drop its creates that wait (none without a control plane). */
  forget?(rs: number): void;
}

/** The pod exists at once (unless NamespaceLifecycle refuses it): for tests of a controller alone. */
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
  /** The sync (syncGeneration) that sent the create; a stale one no longer drives batches. */
  private readonly sentBy: number[] = [];
  private readonly freeSlots: number[] = [];

  // Per item (a ReplicaSet, its workqueue key).
  /** Creates for the next sync, oldest first (new, failed, skipped). */
  private readonly waiting: number[][];
  /** The item is in the queue: a sync event is scheduled. */
  private readonly queued: boolean[];
  /** A sync is in progress (its creates in flight: expectations not satisfied). */
  private readonly syncing: boolean[];
  /** Added while syncing: sync again when this sync ends. */
  private readonly dirty: boolean[];
  /** The creates the current sync took, in order; `nextToSend` of them were sent. */
  private readonly syncCreates: number[][];
  private readonly nextToSend: number[];
  /** The size of the batch in flight, and how many of its creates are not answered yet. */
  private readonly batchSize: number[];
  private readonly inFlight: number[];
  /** Creates of the current sync to wait again: failed, or not sent (no leader). */
  private readonly putBack: number[][];
  /** Some create of the current sync failed. */
  private readonly failedSync: boolean[];
  /** Counts the item's syncs; a create remembers the sync that sent it. */
  private readonly syncGeneration: number[];
  /** Failed syncs in a row (the rate limiter's NumRequeues). */
  private readonly requeues: number[];
  private readonly resyncPending: boolean[];

  private readonly limiter: TokenBucket;
  private readonly serverOpts = { server: 0, namespace: -1 }; // KubeApi.send copies it
  /** Deleted workloads (forget). */
  private readonly forgotten: boolean[];
  private readonly sendId: number;
  private readonly answeredId: number;
  private readonly syncId: number;
  private readonly resyncId: number;

  /** Answers of `create pods` that were not 2xx. */
  failures = 0;
  /** Of those, refused by NamespaceLifecycle admission (403, 404): dropped. */
  refused = 0;
  /** Syncs that sent creates, and batches sent (for tests and the bench). */
  syncs = 0;
  batches = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: Pick<ClusterState, "createPod"> & Partial<Pick<ClusterState, "namespaces">>,
    private readonly api: Pick<KubeApi, "send">,
    /** kube-controller-manager's leader election: candidate c sends to API server c. */
    private readonly lease: Pick<LeaderElection, "leader" | "listeners">,
    items: number,
    /** The controller's client rate limit (--kube-api-qps, --kube-api-burst). */
    client: { qps: number; burst: number } = { qps: KCM_CLIENT_QPS, burst: KCM_CLIENT_BURST },
    /** The controller's burstReplicas and batch limit. */
    private readonly batching: CreateBatching = REPLICASET_CREATES,
  ) {
    this.waiting = Array.from({ length: items }, () => []);
    this.forgotten = new Array<boolean>(items).fill(false);
    this.queued = new Array<boolean>(items).fill(false);
    this.syncing = new Array<boolean>(items).fill(false);
    this.dirty = new Array<boolean>(items).fill(false);
    this.syncCreates = Array.from({ length: items }, () => []);
    this.nextToSend = new Array<number>(items).fill(0);
    this.batchSize = new Array<number>(items).fill(0);
    this.inFlight = new Array<number>(items).fill(0);
    this.putBack = Array.from({ length: items }, () => []);
    this.failedSync = new Array<boolean>(items).fill(false);
    this.syncGeneration = new Array<number>(items).fill(0);
    this.requeues = new Array<number>(items).fill(0);
    this.resyncPending = new Array<boolean>(items).fill(false);
    this.limiter = new TokenBucket(client.qps, client.burst, sim.now);
    this.sendId = sim.on("kube-controller-manager.sendCreate", (slot) => this.send(slot));
    this.answeredId = sim.on("kube-controller-manager.createAnswered", (slot, status) => this.answered(slot, status));
    this.syncId = sim.on("kube-controller-manager.syncCreates", (rs) => {
      this.queued[rs] = false;
      this.sync(rs);
    });
    this.resyncId = sim.on("kube-controller-manager.resync", (rs) => {
      this.resyncPending[rs] = false;
      this.add(rs);
    });
    lease.listeners.push((_candidate, leading) => {
      if (!leading) return;
      // A new process: a fresh workqueue, no sync in progress, every item added.
      for (let rs = 0; rs < items; rs++) {
        this.requeues[rs] = 0;
        if (this.syncing[rs]) this.endSync(rs);
        this.dirty[rs] = false;
        this.add(rs);
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
    this.sentBy[slot] = -1;
    this.waiting[rs].push(slot);
    this.add(rs);
  }

  /** Creates still to be answered or retried. */
  get pending(): number {
    return this.name.length - this.freeSlots.length;
  }

  /** workqueue Add: dirty while a sync is in progress, else queued once (the worker syncs it at this instant). */
  private add(rs: number): void {
    if (this.syncing[rs]) {
      this.dirty[rs] = true;
      return;
    }
    if (this.queued[rs]) return;
    this.queued[rs] = true;
    this.sim.schedule(0, this.syncId, rs);
  }

  forget(rs: number): void {
    this.forgotten[rs] = true;
    for (const slot of this.waiting[rs]) this.freeSlots.push(slot);
    this.waiting[rs].length = 0;
  }

  /** A sync of item rs: take up to perSync waiting creates and send the first batch (only while some instance leads). */
  private sync(rs: number): void {
    if (this.forgotten[rs]) return this.forget(rs);
    if (this.lease.leader() < 0) return;
    const w = this.waiting[rs];
    if (w.length === 0) {
      this.requeues[rs] = 0; // nothing to do: a sync without error, Forget
      return;
    }
    const take = Math.min(w.length, this.batching.perSync);
    const creates = this.syncCreates[rs];
    for (let i = 0; i < take; i++) creates.push(w[i]);
    w.splice(0, take);
    this.syncing[rs] = true;
    this.syncGeneration[rs]++;
    this.nextToSend[rs] = 0;
    this.batchSize[rs] = 0;
    this.syncs++;
    this.sendBatch(rs);
  }

  private sendBatch(rs: number): void {
    const creates = this.syncCreates[rs];
    const from = this.nextToSend[rs];
    const size = nextBatchSize(this.batchSize[rs], creates.length - from, this.batching.maxBatch);
    this.batchSize[rs] = size;
    this.inFlight[rs] = size;
    this.nextToSend[rs] = from + size;
    this.batches++;
    const gen = this.syncGeneration[rs];
    for (let i = from; i < from + size; i++) {
      const slot = creates[i];
      this.sentBy[slot] = gen;
      this.sim.scheduleAt(this.limiter.reserve(this.sim.now), this.sendId, slot);
    }
  }

  /** The client rate limiter let the create go. */
  private send(slot: number): void {
    const rs = this.replicaSet[slot];
    const server = this.lease.leader();
    if (this.forgotten[rs] && server < 0) {
      // the workload is gone: nothing to send again
      this.freeSlots.push(slot);
      if (this.current(slot)) this.createDone(rs);
      return;
    }
    if (server < 0 || !this.current(slot)) {
      // the leader stopped meanwhile (or this sync was abandoned by a new leader): the next sync sends it
      if (this.current(slot)) {
        this.putBack[rs].push(slot);
        this.createDone(rs);
      } else {
        this.waiting[rs].push(slot);
        this.add(rs);
      }
      return;
    }
    this.serverOpts.server = server;
    this.serverOpts.namespace = this.cluster.namespaces?.id(this.namespace[slot]) ?? -1;
    this.api.send(Verb.Create, Resource.Pod, slot, this.answeredId, this.serverOpts);
  }

  private answered(slot: number, status: number): void {
    const rs = this.replicaSet[slot];
    const current = this.current(slot);
    if (isSuccess(status)) {
      // The pod exists now (committed in etcd, even if the sender stopped leading meanwhile).
      this.freeSlots.push(slot);
      this.cluster.createPod(this.name[slot], this.namespace[slot], this.template[slot], this.owner[slot], -1);
      // The informer's add event for it (no watch delay): the item is synced again.
      this.add(rs);
      if (current) this.createDone(rs);
      return;
    }
    this.failures++;
    const refused = status === Status.Forbidden || status === Status.NotFound;
    if (refused || this.forgotten[rs]) {
      // NamespaceLifecycle refused it (ignored, as upstream), or the workload is gone: not retried
      if (refused) this.refused++;
      this.freeSlots.push(slot);
      if (current) this.createDone(rs);
      return;
    }
    if (!current) {
      this.waiting[rs].push(slot);
      this.add(rs);
      return;
    }
    this.failedSync[rs] = true;
    this.putBack[rs].push(slot);
    this.createDone(rs);
  }

  /** Whether the create was sent by the sync in progress of its item. */
  private current(slot: number): boolean {
    const rs = this.replicaSet[slot];
    return this.syncing[rs] && this.sentBy[slot] === this.syncGeneration[rs];
  }

  /**
   * A create of the batch in flight was answered (or given back). When the whole batch
   * is: the next batch if it all succeeded, some creates are left and the leader still
   * leads; else the sync ends.
   */
  private createDone(rs: number): void {
    if (--this.inFlight[rs] > 0) return;
    const left = this.syncCreates[rs].length - this.nextToSend[rs];
    if (!this.failedSync[rs] && this.putBack[rs].length === 0 && left > 0 && this.lease.leader() >= 0) {
      this.sendBatch(rs);
      return;
    }
    const failed = this.failedSync[rs];
    this.endSync(rs);
    if (failed) {
      // processNextWorkItem: AddRateLimited (NumRequeues counts every failed sync).
      const delay = controllerBackoffUs(this.requeues[rs]);
      this.requeues[rs]++;
      if (!this.resyncPending[rs]) {
        this.resyncPending[rs] = true;
        this.sim.schedule(delay, this.resyncId, rs);
      }
    } else {
      this.requeues[rs] = 0; // Forget
    }
    // workqueue Done: an item added during the sync is processed again at once.
    if (this.dirty[rs]) {
      this.dirty[rs] = false;
      this.add(rs);
    }
  }

  /** The sync is over: its failed and unsent creates wait again, ahead of newer ones. */
  private endSync(rs: number): void {
    const creates = this.syncCreates[rs];
    const again = this.putBack[rs];
    for (let i = this.nextToSend[rs]; i < creates.length; i++) again.push(creates[i]);
    if (again.length > 0) this.waiting[rs] = again.concat(this.waiting[rs]);
    creates.length = 0;
    again.length = 0;
    this.nextToSend[rs] = 0;
    this.batchSize[rs] = 0;
    this.inFlight[rs] = 0;
    this.failedSync[rs] = false;
    this.syncing[rs] = false;
  }
}
