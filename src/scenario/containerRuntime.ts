/**
 * The `containerRuntime` section resolved into the runtime's spec (sizes in bytes, times
 * in seconds or microseconds, upstream's serializeImagePulls defaulting), and the one
 * rule across sections: podStartupDelay is the model the runtime replaces, so a scenario
 * sets one or the other.
 */
import type { ContainerRuntimeSpec } from "../kubelet/runtime/config.js";
import { normalizedImage } from "../kubelet/runtime/imageName.js";
import { bytes } from "../model/quantity.js";
import { durationUs } from "./duration.js";
import { ScenarioError } from "./errors.js";
import { distributionSeconds } from "./fields.js";
import type { Scenario } from "./schema.js";

export function resolveContainerRuntime(s: Scenario, file: string): ContainerRuntimeSpec | undefined {
  const c = s.containerRuntime;
  if (c === undefined) return undefined;
  if (s.podStartupDelay !== undefined) {
    throw new ScenarioError(file, "podStartupDelay", "expected no podStartupDelay in a scenario with a containerRuntime section (the runtime's sandboxCreate, image pulls and containerStart replace it)");
  }
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
