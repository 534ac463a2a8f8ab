/**
 * The container runtime of the kubelets (opt-in): with this section a pod's start is
 * the kubelet's SyncPod sequence (sandbox, image pulls, init containers, sidecars,
 * containers) instead of the one `podStartupDelay`. Names follow KubeletConfiguration
 * where the setting is the kubelet's (serializeImagePulls, maxParallelImagePulls,
 * registryPullQPS, registryBurst, imageGC*); the rest are the runtime's and the
 * registry's, kubesim's own (docs/container-runtime.md).
 */
import { z } from "zod";
import { duration, durationDistribution, nonNegativeInt, positiveInt, quantity } from "../fields.js";
import { bytes, isQuantity } from "../../model/quantity.js";

// zod runs every refinement: this one must not parse what the quantity check refused.
const positiveBytes = quantity.refine((v) => !isQuantity(v) || bytes(v) > 0, { error: "expected a positive quantity of bytes such as 100Mi" });

/** [kubesim choice] Upstream publishes no sandbox or container start latency (reference §2: a free parameter). */
export const DEFAULT_SANDBOX_CREATE = "500ms";
export const DEFAULT_CONTAINER_START = "200ms";
/** [kubesim choice] How long an init container runs before it exits 0. */
export const DEFAULT_INIT_CONTAINER_RUN = "1s";
/** [kubesim choice] Registry throughput per node, shared by its concurrent pulls (bytes per second). */
export const DEFAULT_PULL_BANDWIDTH = "100Mi";
/** [kubesim choice] Size of an image the `images` map does not name. */
export const DEFAULT_IMAGE_SIZE = "200Mi";
/** [kubesim choice] The image filesystem of a node (images only). */
export const DEFAULT_IMAGE_FILESYSTEM_SIZE = "100Gi";
/** KubeletConfiguration defaults (pkg/kubelet/apis/config/v1beta1/defaults.go). */
export const DEFAULT_REGISTRY_PULL_QPS = 5;
export const DEFAULT_REGISTRY_BURST = 10;
export const DEFAULT_IMAGE_GC_HIGH_THRESHOLD_PERCENT = 85;
export const DEFAULT_IMAGE_GC_LOW_THRESHOLD_PERCENT = 80;
export const DEFAULT_IMAGE_MINIMUM_GC_AGE = "2m";

const percent = z.number({ error: "expected a percentage 0-100" }).int({ error: "expected a percentage 0-100" }).min(0, { error: "expected a percentage 0-100" }).max(100, { error: "expected a percentage 0-100" });

export const containerRuntimeSection = {
  containerRuntime: z
    .strictObject({
      sandboxCreate: durationDistribution.default(DEFAULT_SANDBOX_CREATE).describe("RunPodSandbox: creating the pod's sandbox (network namespace, pause container)"),
      containerStart: durationDistribution.default(DEFAULT_CONTAINER_START).describe("CreateContainer + StartContainer of one container, its image present"),
      initContainerRun: durationDistribution.default(DEFAULT_INIT_CONTAINER_RUN).describe("how long an init container runs before it exits 0 (a pod template's annotation kubesim.io/init-run-time replaces it for its pods)"),
      images: z
        .record(z.string().min(1, { error: "expected an image reference" }), quantity, { error: "expected a mapping of image references to sizes (2Gi)" })
        .default({})
        .describe("size in bytes of each image, by reference as containers name it (registry/app:1.2)"),
      defaultImageSize: quantity.default(DEFAULT_IMAGE_SIZE).describe("size of an image not in `images`"),
      preloadedImages: z.array(z.string().min(1, { error: "expected an image reference" }), { error: "expected a list of image references" }).default([]).describe("images every node has at the start (its Node's status.images)"),
      pullBandwidth: positiveBytes.default(DEFAULT_PULL_BANDWIDTH).describe("bytes per second a node pulls, shared equally by its concurrent pulls"),
      serializeImagePulls: z.boolean({ error: "expected true or false" }).optional().describe("one pull at a time per node, FIFO (default true unless maxParallelImagePulls > 1)"),
      maxParallelImagePulls: positiveInt().optional().describe("at most this many pulls at once per node (serializeImagePulls false; unset: no limit)"),
      registryPullQPS: z.number({ error: "expected a non-negative number" }).min(0, { error: "expected a non-negative number" }).finite().default(DEFAULT_REGISTRY_PULL_QPS).describe("registryPullQPS: pulls started per second per node (0: no limit); a pull over it fails with 'pull QPS exceeded'"),
      registryBurst: nonNegativeInt().default(DEFAULT_REGISTRY_BURST).describe("registryBurst"),
      pullFailureProbability: z.number({ error: "expected a probability 0-1" }).min(0, { error: "expected a probability 0-1" }).max(1, { error: "expected a probability 0-1" }).default(0).describe("chance that a pull fails (ErrImagePull, then ImagePullBackOff 10s doubling to 300s)"),
      imageFilesystemSize: positiveBytes.default(DEFAULT_IMAGE_FILESYSTEM_SIZE).describe("capacity of each node's image filesystem"),
      imageGCHighThresholdPercent: percent.default(DEFAULT_IMAGE_GC_HIGH_THRESHOLD_PERCENT).describe("image GC runs when usage reaches this"),
      imageGCLowThresholdPercent: percent.default(DEFAULT_IMAGE_GC_LOW_THRESHOLD_PERCENT).describe("image GC frees down to this"),
      imageMinimumGCAge: duration.default(DEFAULT_IMAGE_MINIMUM_GC_AGE).describe("an image younger than this is never removed"),
    })
    .superRefine((c, ctx) => {
      // Upstream's KubeletConfiguration validation (pkg/kubelet/apis/config/validation, recalled).
      if (c.serializeImagePulls === true && c.maxParallelImagePulls !== undefined && c.maxParallelImagePulls > 1) {
        ctx.addIssue({ code: "custom", path: ["maxParallelImagePulls"], message: "expected 1 or unset while serializeImagePulls is true (maxParallelImagePulls cannot be larger than 1 unless serializeImagePulls is false)" });
      }
      if (c.imageGCLowThresholdPercent >= c.imageGCHighThresholdPercent) {
        ctx.addIssue({ code: "custom", path: ["imageGCLowThresholdPercent"], message: `expected less than imageGCHighThresholdPercent (${c.imageGCHighThresholdPercent}), got ${c.imageGCLowThresholdPercent}` });
      }
    })
    .optional()
    .describe("the kubelets' container runtime: sandbox, image pulls, image cache and GC (replaces podStartupDelay; docs/container-runtime.md)"),
};
