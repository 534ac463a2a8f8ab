/**
 * The kubelet's node status loop and registration (pkg/kubelet/kubelet_node_status.go),
 * one per node:
 * - registration at start (and after a restart): Create the Node; an existing Node
 *   (AlreadyExists) is read back instead. A failed attempt is retried after a back-off
 *   that starts at 100 ms and doubles up to 7 s (registerWithAPIServer).
 * - every nodeStatusUpdateFrequency (10 s) the kubelet computes its status and posts it
 *   (PATCH nodes/status) when it differs from the Node the API server holds, or when
 *   nodeStatusReportFrequency (5 min) passed since the last post. A stored post is the
 *   Ready condition's heartbeat, which the node lifecycle controller reads, and sets
 *   the Ready condition the kubelet computed. With a container runtime model the status
 *   also carries the node's images (runtime/nodeImageList.ts): a changed list is a
 *   difference that is posted, and a stored post sets the Node's status.images.
 * - the Ready condition is True once the kubelet has run `notReadyForUs` (a slow start:
 *   "container runtime network not ready"), False before.
 *
 * Simplifications (README "Model fidelity"): no retries of a failed post within one
 * sync (nodeStatusUpdateRetry 5); no pressure conditions.
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_MS, US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState, NodeImage } from "../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";
import { ConditionStatus } from "../model/nodeTable.js";
import type { KubeletApi } from "./kubeletApi.js";

/** KubeletConfiguration nodeStatusUpdateFrequency default. */
export const NODE_STATUS_UPDATE_FREQUENCY_US = 10 * US_PER_S;
/** KubeletConfiguration nodeStatusReportFrequency default (5m when nodeStatusUpdateFrequency is not set). */
export const NODE_STATUS_REPORT_FREQUENCY_US = 300 * US_PER_S;
/** registerWithAPIServer: first back-off step 100 ms, doubled up to 7 s. */
export const REGISTER_BACKOFF_START_US = 100 * US_PER_MS;
export const REGISTER_BACKOFF_MAX_US = 7 * US_PER_S;

// per-node phases
const STOPPED = 0;
const REGISTERING = 1;
const REGISTERED = 2;

/** Request tokens: node x EPOCHS + epoch (answers to a stopped kubelet are dropped). */
const EPOCHS = 256;
// what a request was
const KIND_CREATE = 0;
const KIND_GET = 1;
const KIND_POST = 2;

export class NodeStatusLoops {
  private readonly phase: Uint8Array;
  private readonly epoch: Uint8Array;
  /** When the kubelet started (us): Ready once notReadyForUs has passed. */
  private readonly startedUs: Float64Array;
  private readonly notReadyForUs: Float64Array;
  /** When the last stored post was computed (kubelet lastStatusReportTime: the sync's `now`). */
  private readonly lastPostUs: Float64Array;
  private readonly postSyncUs: Float64Array;
  private readonly backoffUs: Float64Array;
  /** Status computed at the sync whose post is in flight. */
  private readonly posting: Uint8Array;
  private readonly hSync: number;
  private readonly hRegister: number;
  private readonly hAnswer: number;
  /** What the node's request in flight is (registration and posts never overlap within an epoch). */
  private readonly kind: Uint8Array;
  posts = 0;
  /**
   * With a container runtime model: the node's image list when it differs from the
   * Node's status.images (a change to post, like a Ready change), else undefined.
   */
  imagesToPost: ((node: number) => readonly NodeImage[] | undefined) | undefined;
  /** The image list of the post in flight, per node. */
  private readonly postingImages: (readonly NodeImage[] | undefined)[] = [];
  /** Called when a kubelet's registration succeeded (it then syncs its pods). */
  registered: (node: number) => void = () => {};

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly api: KubeletApi,
    private readonly rng: RandomStream,
  ) {
    const n = cluster.nodes.count;
    this.phase = new Uint8Array(n);
    this.epoch = new Uint8Array(n);
    this.startedUs = new Float64Array(n);
    this.notReadyForUs = new Float64Array(n);
    this.lastPostUs = new Float64Array(n);
    this.postSyncUs = new Float64Array(n);
    this.backoffUs = new Float64Array(n);
    this.posting = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.hSync = sim.on("kubelet.nodeStatus.sync", (node, e) => this.current(node, e) && this.sync(node));
    this.hRegister = sim.on("kubelet.nodeStatus.register", (node, e) => this.current(node, e) && this.register(node, KIND_CREATE));
    this.hAnswer = sim.on("kubelet.nodeStatus.answer", (t, status) => this.answer(t, status));
  }

  /** The nodes of the run's start: registered and Ready already; each loop starts at a seeded offset in the period. */
  startRegistered(): void {
    for (let node = 0; node < this.cluster.nodes.count; node++) {
      if (this.cluster.nodes.exists[node] === 0) continue; // a machine provisioned later registers then
      this.phase[node] = REGISTERED;
      this.cluster.nodeHeartbeat(node);
      this.sim.schedule(this.rng.next() * NODE_STATUS_UPDATE_FREQUENCY_US, this.hSync, node, 0);
    }
  }

  /** The kubelet (re)started: register, then sync every period; Ready after `notReadyForUs`. */
  kubeletStarted(node: number, notReadyForUs: number): void {
    this.stop(node);
    this.phase[node] = REGISTERING;
    this.startedUs[node] = this.sim.now;
    this.notReadyForUs[node] = notReadyForUs;
    // A new process has no lastStatusReportTime: its first sync posts.
    this.lastPostUs[node] = -Infinity;
    this.backoffUs[node] = REGISTER_BACKOFF_START_US;
    this.register(node, KIND_CREATE);
  }

  /** The kubelet stopped (its node crashed or the process stopped). */
  stop(node: number): void {
    if (this.phase[node] === STOPPED) return;
    this.phase[node] = STOPPED;
    this.epoch[node] = (this.epoch[node] + 1) % EPOCHS;
  }

  private current(node: number, epoch: number): boolean {
    return this.phase[node] !== STOPPED && this.epoch[node] === epoch;
  }

  private register(node: number, kind: number): void {
    this.send(node, kind === KIND_CREATE ? Verb.Create : Verb.Get, kind);
  }

  private send(node: number, verb: Verb, kind: number): void {
    const token = node * EPOCHS + this.epoch[node];
    this.kind[node] = kind;
    this.api.send(node, verb, Resource.Node, token, this.hAnswer);
  }

  /** What the kubelet would report now. */
  private computed(node: number): ConditionStatus {
    return this.sim.now - this.startedUs[node] >= this.notReadyForUs[node] ? ConditionStatus.True : ConditionStatus.False;
  }

  private sync(node: number): void {
    this.sim.schedule(NODE_STATUS_UPDATE_FREQUENCY_US, this.hSync, node, this.epoch[node]);
    const status = this.computed(node);
    const held = this.cluster.nodes.readyCondition[node];
    const images = this.imagesToPost?.(node);
    if (status === held && images === undefined && this.sim.now - this.lastPostUs[node] < NODE_STATUS_REPORT_FREQUENCY_US) return;
    this.posting[node] = status;
    this.postingImages[node] = images;
    this.postSyncUs[node] = this.sim.now;
    this.posts++;
    this.send(node, Verb.Patch, KIND_POST);
  }

  private answer(token: number, status: number): void {
    const node = Math.floor(token / EPOCHS);
    if (!this.current(node, token % EPOCHS)) return;
    const kind = this.kind[node];
    if (kind === KIND_POST) {
      // A failed post is tried again at the next sync (the Node still differs). A Node
      // deleted under a running kubelet stays deleted: its posts are NotFound (the
      // kubelet registers only when it starts).
      if (!isSuccess(status) || this.cluster.nodes.exists[node] === 0) return;
      this.lastPostUs[node] = this.postSyncUs[node];
      this.cluster.nodeHeartbeat(node);
      const ready = this.posting[node];
      const images = this.postingImages[node];
      if (images !== undefined) this.cluster.setNodeImages(node, images);
      this.cluster.setNodeReady(node, ready, ready === ConditionStatus.True ? "kubelet is posting ready status" : "container runtime network not ready");
      return;
    }
    if (isSuccess(status) || (kind === KIND_CREATE && status === 409)) {
      if (kind === KIND_CREATE && !isSuccess(status)) return this.register(node, KIND_GET);
      // Registered: a new Node object if it was gone; status at once, then every period.
      this.cluster.registerNode(node);
      this.phase[node] = REGISTERED;
      this.registered(node);
      this.sync(node);
      return;
    }
    const b = this.backoffUs[node];
    this.backoffUs[node] = Math.min(2 * b, REGISTER_BACKOFF_MAX_US);
    this.sim.schedule(b, this.hRegister, node, this.epoch[node]);
  }
}
