/**
 * The `containerRuntime` section resolved into the runtime's spec (sizes in bytes, times
 * in seconds or microseconds, upstream's serializeImagePulls defaulting). That it
 * excludes podStartupDelay is checked when the scenario loads (load.ts).
 */
import type { ContainerRuntimeSpec } from "../kubelet/runtime/config.js";
import { normalizedImage } from "../kubelet/runtime/imageName.js";
import { bytes } from "../model/quantity.js";
import { durationUs } from "./duration.js";
import { distributionSeconds } from "./fields.js";
import type { Scenario } from "./schema.js";

export function resolveContainerRuntime(s: Scenario): ContainerRuntimeSpec | undefined {
  const c = s.containerRuntime;
  if (c === undefined) return undefined;
  const sizes = new Map<string, number>();
  for (const [ref, size] of Object.entries(c.images)) {
    sizes.set(ref, bytes(size));
    if (!sizes.has(normalizedImage(ref))) sizes.set(normalizedImage(ref), bytes(size));
  }
  // SetDefaults_KubeletConfiguration: serializeImagePulls is true unless maxParallelImagePulls > 1.
  const serialize = c.serializeImagePulls ?? !(c.maxParallelImagePulls !== undefined && c.maxParallelImagePulls > 1);
  return {
    sandboxCreate: distributionSeconds(c.sandboxCreate),
    containerStart: distributionSeconds(c.containerStart),
    initContainerRun: distributionSeconds(c.initContainerRun),
    imageSizeBytes: sizes,
    defaultImageSizeBytes: bytes(c.defaultImageSize),
    preloadedImages: c.preloadedImages,
    pullBandwidthBytesPerS: bytes(c.pullBandwidth),
    serializeImagePulls: serialize,
    maxParallelImagePulls: c.maxParallelImagePulls ?? Infinity,
    registryPullQps: c.registryPullQPS,
    registryBurst: c.registryBurst,
    pullFailureProbability: c.pullFailureProbability,
    imageFilesystemBytes: bytes(c.imageFilesystemSize),
    imageGcHighThresholdPercent: c.imageGCHighThresholdPercent,
    imageGcLowThresholdPercent: c.imageGCLowThresholdPercent,
    imageMinimumGcAgeUs: durationUs(c.imageMinimumGCAge),
  };
}
