/**
 * What the kubelet does between taking a pod and reporting its containers started
 * (kuberuntime SyncPod), one pod at a time as upstream's pod worker does, for the pods of
 * every node:
 *   1. RunPodSandbox (`sandboxCreate`);
 *   2. each init container in order: its image (EnsureImageExists: pull if the policy
 *      says so), create + start (`containerStart`), run to exit 0 (`initContainerRun`);
 *   3. each restartable init container (sidecar, restartPolicy Always) in order: image,
 *      create + start; the next one starts once it is started [kubesim choice: upstream
 *      waits for a sidecar's startupProbe if it has one; here started is enough];
 *   4. each regular container in order: image, create + start (SyncPod starts them one
 *      after the other, so a second container's pull begins after the first started);
 *   the pod has started when its last regular container has: the kubelet's `started`.
 * imagePullPolicy (defaulted by the API server: Always for :latest or no tag, else
 * IfNotPresent): Never with the image absent leaves the container waiting
 * (ErrImageNeverPull) and the pod never starts; IfNotPresent with the image present
 * skips the pull; Always, or an absent image, pulls (imagePuller.ts). A failed pull
 * waits out ImagePullBackOff (pullBackOff.ts) and tries again.
 *
 * Images per node live in imageCache.ts; image GC runs every ImageGCPeriod; the node's
 * image list (at most nodeStatusMaxImages, largest first) is what its node status posts
 * (nodeImageList.ts). Simplifications: no PLEG relist delay between steps; a kubelet
 * stopped (not crashed) keeps starting its pods, as the one-delay model did.
 */
import { distribution, type Distribution } from "../../engine/distribution.js";
import type { RandomStream } from "../../engine/random.js";
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import { grown, nextCapacity } from "../../engine/columns.js";
import { Interner } from "../../model/interner.js";
import type { PodTemplate } from "../../model/podTemplate.js";
import type { Container } from "../../model/types.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { IMAGE_GC_PERIOD_US, type ContainerRuntimeSpec } from "./config.js";
import { NodeImages } from "./imageCache.js";
import { ImagePuller, type PullRequest } from "./imagePuller.js";
import { normalizedImage } from "./imageName.js";
import { NodeImageList } from "./nodeImageList.js";
import { PullBackOff } from "./pullBackOff.js";
import { StartupTracker } from "./startupLatency.js";

/** firstDetected of a preloaded image: "unknown, in the past" (upstream's zero time). */
const PRELOADED_DETECTED_US = -Number.MAX_SAFE_INTEGER;

// step kinds
const INIT = 0;
const SIDECAR = 1;
const CONTAINER = 2;
// pull policies
const ALWAYS = 0;
const IF_NOT_PRESENT = 1;
const NEVER = 2;
// a pod's stage within its current step
const IDLE = 0;
const SANDBOX = 1;
const PULLING = 2;
const BACKOFF = 3;
const STARTING = 4;
const RUNNING_INIT = 5;
const NEVER_PULL = 6;

interface Step {
  kind: number;
  image: number;
  policy: number;
}

export class ContainerRuntime {
  /** Image references (normalized) by id; sizes by id. */
  readonly images = new Interner();
  private readonly imageSizeBytes: number[] = [];
  private readonly steps: Step[][];
  /** Per template: the distinct images its containers use (image GC's in-use set). */
  private readonly templateImages: number[][];
  private readonly caches: NodeImages[];
  readonly puller: ImagePuller;
  private readonly backOff = new PullBackOff();
  readonly imageList: NodeImageList;
  private readonly sandbox: Distribution;
  private readonly containerStart: Distribution;
  private readonly initRun: Distribution;
  /** Per template: its init containers' run time when its annotation sets one. */
  private readonly initRunOf: (Distribution | undefined)[];
  private readonly stream: RandomStream;
  private readonly hStep: number;
  private readonly hGc: number;
  // per pod
  private stage = new Uint8Array(0);
  private step = new Int32Array(0);
  private gen = new Uint32Array(0);
  private timer = new Float64Array(0);
  /** What the startup SLI leaves out (pulling, init containers), us; -1 until the pod first started. */
  sloExcludedUs = new Float64Array(0);
  private readonly trackers = new Map<number, StartupTracker>();
  /** Containers waiting with ErrImageNeverPull, and images removed by GC (summary.csv). */
  neverPullWaits = 0;
  imagesRemoved = 0;
  /** Does the node's kubelet run (image GC is its loop)? Set by the kubelets. */
  kubeletRuns: (node: number) => boolean = () => true;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    templates: readonly PodTemplate[],
    private readonly spec: ContainerRuntimeSpec,
    /** All regular containers started: the kubelet reports the pod. */
    private readonly started: (pod: number) => void,
  ) {
    this.steps = templates.map((t) => this.compile(t));
    this.templateImages = this.steps.map((s) => [...new Set(s.map((x) => x.image))]);
    const preloaded = spec.preloadedImages.map((ref) => this.imageId(ref));
    this.caches = [];
    for (let n = 0; n < cluster.nodes.count; n++) {
      const c = new NodeImages();
      for (const id of preloaded) c.add(id, this.imageSizeBytes[id], PRELOADED_DETECTED_US);
      this.caches.push(c);
    }
    this.sandbox = distribution(spec.sandboxCreate);
    this.containerStart = distribution(spec.containerStart);
    this.initRun = distribution(spec.initContainerRun);
    this.initRunOf = templates.map((_, t) => {
      const d = spec.initContainerRunByTemplate?.[t];
      return d ? distribution(d) : undefined;
    });
    this.stream = sim.rng.stream("kubelet.runtime");
    this.puller = new ImagePuller(
      sim,
      {
        bandwidthBytesPerS: spec.pullBandwidthBytesPerS,
        serialize: spec.serializeImagePulls,
        maxParallel: spec.maxParallelImagePulls,
        registryQps: spec.registryPullQps,
        registryBurst: spec.registryBurst,
        failureProbability: spec.pullFailureProbability,
      },
      sim.rng.stream("kubelet.imagePull"),
      (node) => this.caches[node],
    );
    this.puller.done = (req, error) => this.pulled(req, error);
    this.imageList = new NodeImageList(sim, cluster, this.caches, this.images, this.imageSizeBytes);
    this.hStep = sim.on("kubelet.runtime.step", (pod, g) => this.stepDone(pod, g));
    this.hGc = sim.on("kubelet.runtime.imageGC", () => this.garbageCollect());
    sim.schedule(IMAGE_GC_PERIOD_US, this.hGc);
  }

  /** The node cache (tests, node status). */
  cacheOf(node: number): NodeImages {
    return this.caches[node];
  }

  private imageId(ref: string): number {
    const name = normalizedImage(ref);
    const id = this.images.id(name);
    if (this.imageSizeBytes.length <= id) {
      this.imageSizeBytes.push(this.spec.imageSizeBytes.get(ref) ?? this.spec.imageSizeBytes.get(name) ?? this.spec.defaultImageSizeBytes);
    }
    return id;
  }

  private compile(t: PodTemplate): Step[] {
    const spec = t.pod.spec ?? { containers: [] };
    const step = (kind: number, c: Container): Step => ({
      kind,
      image: this.imageId(c.image ?? ""),
      policy: c.imagePullPolicy === "Never" ? NEVER : c.imagePullPolicy === "IfNotPresent" ? IF_NOT_PRESENT : ALWAYS,
    });
    const inits = spec.initContainers ?? [];
    return [
      ...inits.filter((c) => c.restartPolicy !== "Always").map((c) => step(INIT, c)),
      ...inits.filter((c) => c.restartPolicy === "Always").map((c) => step(SIDECAR, c)),
      ...(spec.containers ?? []).map((c) => step(CONTAINER, c)),
    ];
  }

  private ensure(pod: number): void {
    if (pod < this.stage.length) return;
    const n = nextCapacity(this.stage.length, pod + 1);
    this.stage = grown(this.stage, n);
    this.step = grown(this.step, n);
    this.gen = grown(this.gen, n);
    this.timer = grown(this.timer, n).fill(-1, this.timer.length);
    this.sloExcludedUs = grown(this.sloExcludedUs, n).fill(-1, this.sloExcludedUs.length);
  }

  /** The kubelet starts the pod (first start, or a restart after its node came back). */
  start(pod: number): void {
    this.ensure(pod);
    this.cancel(pod);
    if (this.sloExcludedUs[pod] < 0) this.trackers.set(pod, new StartupTracker());
    this.stage[pod] = SANDBOX;
    this.wait(pod, this.sandbox);
  }

  /** The kubelet stops the pod's start (deleted, ended, node crashed): no callback follows. */
  cancel(pod: number): void {
    if (pod >= this.stage.length) return;
    this.gen[pod]++;
    if (this.timer[pod] >= 0) this.sim.cancel(this.timer[pod]);
    this.timer[pod] = -1;
    if (this.stage[pod] === NEVER_PULL) this.neverPullWaits--;
    this.stage[pod] = IDLE;
    this.trackers.delete(pod);
    this.backOff.forget(pod, this.templateImages[this.cluster.pods.template[pod]]);
  }

  /** The node crashed: its pulls stop (the pods were cancelled one by one by the kubelet). */
  nodeCrashed(node: number): void {
    this.puller.abort(node);
  }

  private wait(pod: number, d: Distribution): void {
    this.timer[pod] = this.sim.timer(d.sample(this.stream) * US_PER_S, this.hStep, pod, this.gen[pod]);
  }

  private stepDone(pod: number, g: number): void {
    if (g !== this.gen[pod]) return;
    this.timer[pod] = -1;
    const steps = this.steps[this.cluster.pods.template[pod]];
    switch (this.stage[pod]) {
      case SANDBOX:
        this.step[pod] = 0;
        return this.nextStep(pod);
      case BACKOFF:
        return this.ensureImage(pod);
      case STARTING:
        if (steps[this.step[pod]].kind === INIT) {
          this.trackers.get(pod)?.initStarted(this.sim.now);
          this.stage[pod] = RUNNING_INIT;
          return this.wait(pod, this.initRunOf[this.cluster.pods.template[pod]] ?? this.initRun);
        }
        this.step[pod]++;
        return this.nextStep(pod);
      case RUNNING_INIT:
        this.trackers.get(pod)?.initFinished(this.sim.now);
        this.step[pod]++;
        return this.nextStep(pod);
    }
  }

  private nextStep(pod: number): void {
    const steps = this.steps[this.cluster.pods.template[pod]];
    if (this.step[pod] < steps.length) return this.ensureImage(pod);
    this.stage[pod] = IDLE;
    const tracker = this.trackers.get(pod);
    if (tracker) {
      this.sloExcludedUs[pod] = tracker.excludedUs();
      this.trackers.delete(pod);
    }
    this.started(pod);
  }

  /** EnsureImageExists for the current step's container. */
  private ensureImage(pod: number): void {
    const s = this.steps[this.cluster.pods.template[pod]][this.step[pod]];
    const node = this.cluster.pods.node[pod];
    const present = this.caches[node].has(s.image);
    if (s.policy === NEVER || (s.policy === IF_NOT_PRESENT && present)) {
      if (!present) {
        this.stage[pod] = NEVER_PULL;
        this.neverPullWaits++;
        return;
      }
      return this.createAndStart(pod);
    }
    this.trackers.get(pod)?.pullStarted(this.sim.now);
    this.stage[pod] = PULLING;
    this.puller.request({ node, image: s.image, sizeBytes: this.imageSizeBytes[s.image], pod, gen: this.gen[pod] });
  }

  private pulled(req: PullRequest, error: string): void {
    const pod = req.pod;
    if (req.gen !== this.gen[pod] || this.stage[pod] !== PULLING) return;
    if (error === "") {
      this.trackers.get(pod)?.pullFinished(this.sim.now);
      return this.createAndStart(pod);
    }
    this.stage[pod] = BACKOFF;
    const waitUs = this.backOff.next(pod, req.image, this.sim.now);
    this.timer[pod] = this.sim.timer(waitUs, this.hStep, pod, this.gen[pod]);
  }

  private createAndStart(pod: number): void {
    this.stage[pod] = STARTING;
    this.wait(pod, this.containerStart);
  }

  /** summary.csv rows of the runtime (only in runs that model it). */
  summary(): { metric: string; value: number }[] {
    const p = this.puller;
    return [
      { metric: "image_pulls", value: p.pullsStarted },
      { metric: "image_pull_bytes", value: p.bytesPulled },
      { metric: "image_pulls_failed", value: p.pullsFailed },
      { metric: "image_pulls_qps_exceeded", value: p.pullsQpsExceeded },
      { metric: "images_removed_by_gc", value: this.imagesRemoved },
      { metric: "containers_waiting_err_image_never_pull", value: this.neverPullWaits },
    ];
  }

  /** ImageGCPeriod: every node's GarbageCollect, images of its pods in use. */
  private garbageCollect(): void {
    this.sim.schedule(IMAGE_GC_PERIOD_US, this.hGc);
    const policy = {
      capacityBytes: this.spec.imageFilesystemBytes,
      highThresholdPercent: this.spec.imageGcHighThresholdPercent,
      lowThresholdPercent: this.spec.imageGcLowThresholdPercent,
      minimumAgeUs: this.spec.imageMinimumGcAgeUs,
    };
    const pods = this.cluster.pods;
    for (let node = 0; node < this.caches.length; node++) {
      if (!this.kubeletRuns(node)) continue;
      const inUse = new Set<number>();
      for (const pod of this.cluster.podsOn(node)) for (const id of this.templateImages[pods.template[pod]]) inUse.add(id);
      this.imagesRemoved += this.caches[node].garbageCollect(this.sim.now, inUse, policy).length;
    }
  }
}
