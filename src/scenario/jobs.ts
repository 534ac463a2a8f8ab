/**
 * A scenario's batch/v1 Job, resolved for the Job controller: its defaults
 * (SetDefaults_Job), the labels the API server gives its pods (batch.kubernetes.io/job-name
 * and job-name), and how its pods run, from kubesim's annotations on the Job:
 *
 *   kubesim.io/run-time: "5m"                      how long each pod's containers run: a
 *   kubesim.io/run-time: "{type: exponential, mean: 5m}"   duration or a distribution
 *   kubesim.io/failure-probability: "0.1"          each run fails with this probability (default 0)
 *
 * The Job features kubesim does not model are refused in one line naming the field.
 */
import { setDefaultsJob } from "../apiserver/admission/defaults.js";
import type { JobSpec } from "../controllers/job/jobController.js";
import { US_PER_S } from "../engine/simulation.js";
import type { PodTemplate } from "../model/podTemplate.js";
import type { Pod, PodSpec } from "../model/types.js";
import { annotationDurations, annotationProbability } from "./annotationValues.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import type { JobObject } from "./kubernetes.js";
import type { Locate } from "./resolve.js";

export const ANNOTATION_RUN_TIME = "kubesim.io/run-time";
export const ANNOTATION_FAILURE_PROBABILITY = "kubesim.io/failure-probability";
/** Labels the API server adds to a Job's pod template (batch/v1 Job strategy, PrepareForCreate). */
const LABEL_JOB_NAME = "batch.kubernetes.io/job-name";
const LEGACY_LABEL_JOB_NAME = "job-name";

/** Fields of a Job that kubesim does not model yet. */
const NOT_MODELLED: readonly (keyof NonNullable<JobObject["spec"]>)[] = ["podFailurePolicy", "successPolicy", "backoffLimitPerIndex", "maxFailedIndexes", "managedBy", "podReplacementPolicy"];

type AddTemplate = (path: PathSegment[], pod: Pod, run: PodTemplate["run"]) => number;

export function resolveJob(w: JobObject, objectPath: PathSegment[], addTemplate: AddTemplate, locate: Locate): JobSpec {
  const error = (path: PathSegment[], message: string) => {
    const at = locate([...objectPath, ...path]);
    return new ScenarioError(at.file, formatPath(at.path), message);
  };
  const job = setDefaultsJob(w) as JobObject;
  const spec = job.spec;
  for (const field of NOT_MODELLED) {
    if (spec[field] !== undefined && spec[field] !== null) throw error(["spec", field], `kubesim does not model ${field} yet: remove it`);
  }
  if (spec.suspend === true) throw error(["spec", "suspend"], "kubesim does not model suspended Jobs yet: remove it or set it to false");
  const annotations = w.metadata.annotations ?? {};
  const runPath: PathSegment[] = ["metadata", "annotations", ANNOTATION_RUN_TIME];
  const runText = annotations[ANNOTATION_RUN_TIME];
  if (runText === undefined) throw error(runPath, 'expected how long each pod runs, a duration ("5m") or a distribution ("{type: exponential, mean: 5m}"): kubesim runs no real containers');
  const runTimeS = annotationDurations(runText, runPath);
  if (runTimeS === undefined) throw error(runPath, `expected a duration ("5m") or a distribution of durations ("{type: exponential, mean: 5m}"), got ${JSON.stringify(runText)}`);
  const failText = annotations[ANNOTATION_FAILURE_PROBABILITY];
  const failureProbability = annotationProbability(failText);
  if (failureProbability === undefined) {
    throw error(["metadata", "annotations", ANNOTATION_FAILURE_PROBABILITY], `expected a probability from 0 to 1, got ${JSON.stringify(failText)}`);
  }
  const namespace = w.metadata.namespace ?? "default";
  const t = spec.template;
  const labels = { ...(t.metadata?.labels ?? {}), [LABEL_JOB_NAME]: w.metadata.name, [LEGACY_LABEL_JOB_NAME]: w.metadata.name };
  const template = addTemplate([...objectPath, "spec", "template"], { metadata: { ...t.metadata, namespace, labels }, spec: t.spec as PodSpec }, { runTimeS, failureProbability });
  const parallelism = spec.parallelism ?? 1;
  return {
    name: w.metadata.name,
    namespace,
    template,
    parallelism,
    completions: spec.completions ?? -1,
    indexed: spec.completionMode === "Indexed",
    backoffLimit: spec.backoffLimit ?? 6,
    activeDeadlineUs: spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds === null ? -1 : spec.activeDeadlineSeconds * US_PER_S,
    ttlAfterFinishedUs: spec.ttlSecondsAfterFinished === undefined || spec.ttlSecondsAfterFinished === null ? -1 : spec.ttlSecondsAfterFinished * US_PER_S,
    onFailure: t.spec?.restartPolicy === "OnFailure",
  };
}
