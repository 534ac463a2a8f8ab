/**
 * A pod template of a run: the pod as the API server stored it (defaulted and admitted,
 * apiserver/admission) and its requests computed once (model/podRequests). Every replica
 * of a Deployment shares one, and every component reads its numbers from here.
 */
import type { DistributionSpec } from "../engine/distribution.js";
import { podRequests, type PodResources } from "./podRequests.js";
import type { Pod } from "./types.js";

export interface PodTemplate {
  /** The admitted pod: metadata.namespace and labels set, spec defaulted (requests, priority, tolerations, schedulerName). */
  readonly pod: Pod;
  /** Effective requests of each of its pods (containers, init containers, sidecars, pod-level resources, overhead). */
  readonly requests: PodResources;
  /**
   * How each run of its containers ends, for pods that finish on their own (a Job's):
   * the run time in seconds and the probability that it fails (kubesim's annotations
   * kubesim.io/run-time and kubesim.io/failure-probability on the Job).
   */
  readonly run?: { runTimeS: DistributionSpec; failureProbability: number };
  /** How the app in its containers answers probes and requests (kubesim's annotations on the workload), undefined = at once, always. */
  readonly app?: AppBehaviour;
}

/**
 * The app in a pod's containers (kubesim.io/warm-up, kubesim.io/probe-failure-probability,
 * kubesim.io/probe-latency on the workload object).
 */
export interface AppBehaviour {
  /** After each container start, the app answers only after this (seconds). */
  readonly warmUpS: DistributionSpec;
  /** The fraction of pods whose app never answers (drawn once per pod). */
  readonly failureProbability: number;
  /** How long the app takes to answer a probe (seconds); longer than timeoutSeconds is a failure. */
  readonly probeLatencyS: DistributionSpec;
}

export function podTemplate(admitted: Pod, run?: PodTemplate["run"], app?: AppBehaviour): PodTemplate {
  return { pod: admitted, requests: podRequests(admitted.spec ?? { containers: [] }), ...(run ? { run } : {}), ...(app ? { app } : {}) };
}
