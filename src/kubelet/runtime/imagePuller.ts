/**
 * The kubelet's image pullers, one per node (pkg/kubelet/images/puller.go), with the
 * registry behind them:
 * - serialized (serializeImagePulls, the default): one pull at a time, requests in FIFO
 *   order (serialImagePuller's channel); parallel: at most maxParallelImagePulls at once
 *   (parallelImagePuller's blocker; unset: no limit), the rest wait in FIFO order.
 * - registryPullQPS / registryBurst: a token bucket in front of the runtime's PullImage
 *   (throttleImagePulling). Upstream uses TryAccept: a pull without a token fails at
 *   once with "pull QPS exceeded" (ErrImagePull, then the pod's back-off), it does not
 *   wait.
 * - a pull whose image is present by the time it runs (imagePullPolicy Always, or a
 *   second request for an image a pull just brought) is a registry request (a token, the
 *   manifest check) and moves no bytes; a request for an image another pull on the node
 *   is transferring joins that transfer (the runtime's content store fetches each blob
 *   once) [kubesim choice: containerd's per-blob dedup, recalled].
 * - bytes: the node's `pullBandwidth` is shared equally by the transfers in flight
 *   (processor sharing); a transfer ends when its image's bytes are in.
 * - `pullFailureProbability`: a pull fails at its start with that chance (a registry
 *   error: no bytes move), stream "kubelet.imagePull".
 * A node crash aborts its pulls (partial downloads are lost) and empties its queue.
 * Simplifications: serialImagePuller's queue holds 10 requests upstream (a full queue
 * blocks the pod worker); here it is unbounded. A request keeps running after its pod
 * is gone (the image still lands in the cache).
 */
import type { RandomStream } from "../../engine/random.js";
import type { Simulation } from "../../engine/simulation.js";
import { US_PER_S } from "../../engine/simulation.js";
import { TokenBucket } from "../../client/tokenBucket.js";
import type { NodeImages } from "./imageCache.js";

/** The error of a pull refused by registryPullQPS (throttleImagePulling). */
export const PULL_QPS_EXCEEDED = "pull QPS exceeded";
/** The error of a pull that failed at the registry (the CRI's ErrImagePull). */
export const ERR_IMAGE_PULL = "ErrImagePull";

export interface PullRequest {
  node: number;
  image: number;
  sizeBytes: number;
  /** Who asked (the runtime's pod row and its start generation). */
  pod: number;
  gen: number;
}

export interface PullerConfig {
  bandwidthBytesPerS: number;
  serialize: boolean;
  maxParallel: number;
  registryQps: number;
  registryBurst: number;
  failureProbability: number;
}

interface Transfer {
  image: number;
  sizeBytes: number;
  remainingBytes: number;
  requests: PullRequest[];
}

class NodePulls {
  readonly queue: PullRequest[] = [];
  readonly transfers: Transfer[] = [];
  /** Requests holding a slot (running: transferring, joined, or answering at once). */
  running = 0;
  lastUs = 0;
  timer = -1;
  bucket: TokenBucket | undefined;
}

export class ImagePuller {
  private readonly nodes = new Map<number, NodePulls>();
  /** Requests answered without a transfer, by id until their event runs. */
  private readonly immediate = new Map<number, { req: PullRequest; error: string }>();
  private nextImmediate = 0;
  private readonly hTransfer: number;
  private readonly hImmediate: number;
  private readonly limit: number;
  /** Counters for summary.csv. */
  pullsStarted = 0;
  pullsFailed = 0;
  pullsQpsExceeded = 0;
  bytesPulled = 0;
  /** A request ended: ok, or the error ("pull QPS exceeded", "ErrImagePull"). */
  done: (req: PullRequest, error: string) => void = () => {};

  constructor(
    private readonly sim: Simulation,
    private readonly config: PullerConfig,
    private readonly rng: RandomStream,
    private readonly cacheOf: (node: number) => NodeImages,
  ) {
    this.limit = config.serialize ? 1 : config.maxParallel;
    this.hTransfer = sim.on("kubelet.imagePull.transferDone", (node) => this.transferDone(node));
    this.hImmediate = sim.on("kubelet.imagePull.answered", (id) => this.answered(id));
  }

  private state(node: number): NodePulls {
    let s = this.nodes.get(node);
    if (!s) {
      s = new NodePulls();
      this.nodes.set(node, s);
    }
    return s;
  }

  /** EnsureImageExists decided to pull: queue the request. */
  request(req: PullRequest): void {
    const s = this.state(req.node);
    s.queue.push(req);
    this.pump(req.node, s);
  }

  /** Requests waiting for a slot on the node (tests, metrics). */
  queued(node: number): number {
    return this.nodes.get(node)?.queue.length ?? 0;
  }

  /** The node crashed: transfers and queue are gone, nobody is answered. */
  abort(node: number): void {
    const s = this.nodes.get(node);
    if (!s) return;
    if (s.timer >= 0) this.sim.cancel(s.timer);
    for (const [id, x] of this.immediate) if (x.req.node === node) this.immediate.delete(id);
    this.nodes.delete(node);
    // The token bucket is the kubelet's: a new process starts with a full one.
  }

  private pump(node: number, s: NodePulls): void {
    while (s.queue.length > 0 && s.running < this.limit) {
      const req = s.queue.shift()!;
      s.running++;
      this.begin(s, req);
    }
  }

  private begin(s: NodePulls, req: PullRequest): void {
    const now = this.sim.now;
    this.pullsStarted++;
    if (this.config.registryQps > 0) {
      s.bucket ??= new TokenBucket(this.config.registryQps, this.config.registryBurst, now);
      if (!s.bucket.tryAccept(now)) {
        this.pullsQpsExceeded++;
        return this.answerNow(req, PULL_QPS_EXCEEDED);
      }
    }
    if (this.config.failureProbability > 0 && this.rng.next() < this.config.failureProbability) {
      this.pullsFailed++;
      return this.answerNow(req, ERR_IMAGE_PULL);
    }
    if (this.cacheOf(req.node).has(req.image)) return this.answerNow(req, "");
    const joined = s.transfers.find((t) => t.image === req.image);
    if (joined) {
      joined.requests.push(req);
      return;
    }
    this.advance(s);
    s.transfers.push({ image: req.image, sizeBytes: req.sizeBytes, remainingBytes: req.sizeBytes, requests: [req] });
    this.reschedule(req.node, s);
  }

  /** An answer without a transfer, as its own event at this instant (never inside the caller's step). */
  private answerNow(req: PullRequest, error: string): void {
    const id = this.nextImmediate++;
    this.immediate.set(id, { req, error });
    this.sim.schedule(0, this.hImmediate, id);
  }

  private answered(id: number): void {
    const x = this.immediate.get(id);
    if (!x) return;
    this.immediate.delete(id);
    const s = this.state(x.req.node);
    s.running--;
    this.pump(x.req.node, s);
    this.done(x.req, x.error);
  }

  /** Bytes per microsecond each transfer gets now. */
  private rateOf(s: NodePulls): number {
    return this.config.bandwidthBytesPerS / US_PER_S / s.transfers.length;
  }

  private advance(s: NodePulls): void {
    const now = this.sim.now;
    if (s.transfers.length > 0 && now > s.lastUs) {
      const moved = (now - s.lastUs) * this.rateOf(s);
      for (const t of s.transfers) t.remainingBytes -= moved;
    }
    s.lastUs = now;
  }

  private reschedule(node: number, s: NodePulls): void {
    if (s.timer >= 0) this.sim.cancel(s.timer);
    s.timer = -1;
    if (s.transfers.length === 0) return;
    let least = Infinity;
    for (const t of s.transfers) least = Math.min(least, t.remainingBytes);
    s.timer = this.sim.timer(Math.max(0, Math.round(least / this.rateOf(s))), this.hTransfer, node);
  }

  private transferDone(node: number): void {
    const s = this.nodes.get(node);
    if (!s) return;
    s.timer = -1;
    this.advance(s);
    // What is left below a microsecond's worth is rounding: those transfers are complete.
    const epsilon = this.rateOf(s);
    const finished = s.transfers.filter((t) => t.remainingBytes <= epsilon);
    const cache = this.cacheOf(node);
    for (const t of finished) {
      s.transfers.splice(s.transfers.indexOf(t), 1);
      cache.add(t.image, t.sizeBytes, this.sim.now);
      this.bytesPulled += t.sizeBytes;
    }
    this.reschedule(node, s);
    const answered: PullRequest[] = [];
    for (const t of finished) for (const r of t.requests) answered.push(r);
    s.running -= answered.length;
    this.pump(node, s);
    for (const r of answered) this.done(r, "");
  }
}
