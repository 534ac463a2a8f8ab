/**
 * The container runtime's settings as a run uses them (resolved once from the scenario's
 * `containerRuntime` section): times as distributions in seconds or microseconds, sizes
 * in bytes. Upstream constants the runtime uses beside them are here too, with sources.
 */
import type { DistributionSpec } from "../../engine/distribution.js";
import { US_PER_S } from "../../engine/simulation.js";

/** kubelet imageBackOffPeriod 10 s and MaxImageBackOff 300 s (pkg/kubelet/kubelet.go): ImagePullBackOff. */
export const IMAGE_BACKOFF_START_US = 10 * US_PER_S;
export const IMAGE_BACKOFF_MAX_US = 300 * US_PER_S;
/** kubelet ImageGCPeriod (pkg/kubelet/kubelet.go): how often image GC checks the image filesystem. */
export const IMAGE_GC_PERIOD_US = 300 * US_PER_S;
/** Pod template annotation: how long its init containers run (a duration or a distribution), instead of initContainerRun. */
export const ANNOTATION_INIT_RUN_TIME = "kubesim.io/init-run-time";
/** KubeletConfiguration nodeStatusMaxImages default: at most this many images in Node status.images, largest first. */
export const NODE_STATUS_MAX_IMAGES = 50;
/** The image manager refreshes the image list node status reads every 30 s (image_gc_manager.go Start). */
export const IMAGE_LIST_REFRESH_US = 30 * US_PER_S;

export interface ContainerRuntimeSpec {
  /** RunPodSandbox, in seconds. */
  sandboxCreate: DistributionSpec;
  /** CreateContainer + StartContainer of one container, in seconds. */
  containerStart: DistributionSpec;
  /** An init container's run to exit 0, in seconds. */
  initContainerRun: DistributionSpec;
  /** Per pod template: its annotation kubesim.io/init-run-time, which replaces initContainerRun (undefined: none). */
  initContainerRunByTemplate?: readonly (DistributionSpec | undefined)[];
  /** Image size in bytes by reference (as written and normalized with ":latest"). */
  imageSizeBytes: ReadonlyMap<string, number>;
  defaultImageSizeBytes: number;
  /** Images on every node at the start. */
  preloadedImages: readonly string[];
  pullBandwidthBytesPerS: number;
  /** One pull at a time per node, FIFO. */
  serializeImagePulls: boolean;
  /** With serializeImagePulls false: at most this many pulls at once (Infinity: no limit). */
  maxParallelImagePulls: number;
  /** Token bucket on pull starts per node (0: no limit). */
  registryPullQps: number;
  registryBurst: number;
  pullFailureProbability: number;
  imageFilesystemBytes: number;
  imageGcHighThresholdPercent: number;
  imageGcLowThresholdPercent: number;
  imageMinimumGcAgeUs: number;
}
