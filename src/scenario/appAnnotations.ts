/**
 * How the app in a workload's pods answers probes and requests, from kubesim's
 * annotations on the workload object (Deployment, StatefulSet, DaemonSet, Job, Pod; a
 * PoissonArrivals' template), next to the Job's kubesim.io/run-time:
 *
 *   kubesim.io/warm-up: "20s"                          after each container start, the app
 *   kubesim.io/warm-up: "{type: uniform, min: 10s, max: 30s}"  answers only after this (default 0)
 *   kubesim.io/probe-failure-probability: "0.05"       the fraction of pods whose app never
 *                                                      answers (readiness never passes,
 *                                                      liveness fails: restarts; default 0)
 *   kubesim.io/probe-latency: "200ms"                  how long a probe takes to answer; longer
 *                                                      than timeoutSeconds fails (default 0)
 *
 * A workload without them gets no AppBehaviour: its app answers as soon as it runs.
 */
import type { AppBehaviour } from "../model/podTemplate.js";
import { annotationDurations, annotationProbability } from "./annotationValues.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import type { Locate } from "./resolve.js";

export const ANNOTATION_WARM_UP = "kubesim.io/warm-up";
export const ANNOTATION_PROBE_FAILURE_PROBABILITY = "kubesim.io/probe-failure-probability";
export const ANNOTATION_PROBE_LATENCY = "kubesim.io/probe-latency";

/** `metadataPath` points at the object's metadata (for the error's field path). */
export function appBehaviour(annotations: Record<string, string> | undefined, metadataPath: PathSegment[], locate: Locate): AppBehaviour | undefined {
  const a = annotations ?? {};
  const warmUp = a[ANNOTATION_WARM_UP];
  const failure = a[ANNOTATION_PROBE_FAILURE_PROBABILITY];
  const latency = a[ANNOTATION_PROBE_LATENCY];
  if (warmUp === undefined && failure === undefined && latency === undefined) return undefined;
  const error = (key: string, message: string) => {
    const at = locate([...metadataPath, "annotations", key]);
    return new ScenarioError(at.file, formatPath(at.path), message);
  };
  const durations = (key: string, text: string | undefined) => {
    if (text === undefined) return { type: "constant" as const, value: 0 };
    const d = annotationDurations(text, [...metadataPath, "annotations", key]);
    if (d === undefined) throw error(key, `expected a duration ("20s") or a distribution of durations ("{type: uniform, min: 10s, max: 30s}"), got ${JSON.stringify(text)}`);
    return d;
  };
  const failureProbability = annotationProbability(failure);
  if (failureProbability === undefined) throw error(ANNOTATION_PROBE_FAILURE_PROBABILITY, `expected a probability from 0 to 1, got ${JSON.stringify(failure)}`);
  return { warmUpS: durations(ANNOTATION_WARM_UP, warmUp), failureProbability, probeLatencyS: durations(ANNOTATION_PROBE_LATENCY, latency) };
}
