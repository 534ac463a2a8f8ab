/**
 * The `containerRuntime` section resolved into the runtime's spec (sizes in bytes, times
 * in seconds or microseconds, upstream's serializeImagePulls defaulting). That it
 * excludes podStartupDelay is checked when the scenario loads (load.ts).
 */
import type { ContainerRuntimeSpec } from "../kubelet/runtime/config.js";
import { normalizedImage } from "../kubelet/runtime/imageName.js";
import { bytes } from "../model/quantity.js";
import { durationUs } from "./duration.js";
import { annotationDurations } from "./annotationValues.js";
import { distributionSeconds } from "./fields.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import type { DistributionSpec } from "../engine/distribution.js";
import type { PodTemplate } from "../model/podTemplate.js";
import { ANNOTATION_INIT_RUN_TIME } from "../kubelet/runtime/config.js";
import type { Scenario } from "./schema.js";

export function resolveContainerRuntime(s: Scenario, templates: readonly PodTemplate[], locate: (template: number, path: PathSegment[]) => { file: string; path: PathSegment[] }): ContainerRuntimeSpec | undefined {
  const c = s.containerRuntime;
  if (c === undefined) return undefined;
  const initRun = templates.map((t, i) => initRunTime(t, (path, expected) => {
    const at = locate(i, path);
    return new ScenarioError(at.file, formatPath(at.path), expected);
  }));
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
    ...(initRun.some((d) => d !== undefined) ? { initContainerRunByTemplate: initRun } : {}),
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

/** A template's kubesim.io/init-run-time annotation, as the Job's kubesim.io/run-time is read (scenario/jobs.ts). */
function initRunTime(t: PodTemplate, error: (path: PathSegment[], expected: string) => ScenarioError): DistributionSpec | undefined {
  const text = t.pod.metadata?.annotations?.[ANNOTATION_INIT_RUN_TIME];
  if (text === undefined) return undefined;
  const path: PathSegment[] = ["metadata", "annotations", ANNOTATION_INIT_RUN_TIME];
  const runS = annotationDurations(text, path);
  if (runS === undefined) throw error(path, `expected a duration ("3s") or a distribution of durations ("{type: uniform, min: 1s, max: 5s}"), got ${JSON.stringify(text)}`);
  return runS;
}
