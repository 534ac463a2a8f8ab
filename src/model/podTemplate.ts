/**
 * A pod template of a run: the pod as the API server stored it (defaulted and admitted,
 * apiserver/admission) and its requests computed once (model/podRequests). Every replica
 * of a Deployment shares one, and every component reads its numbers from here.
 */
import { podRequests, type PodResources } from "./podRequests.js";
import type { Pod } from "./types.js";

export interface PodTemplate {
  /** The admitted pod: metadata.namespace and labels set, spec defaulted (requests, priority, tolerations, schedulerName). */
  readonly pod: Pod;
  /** Effective requests of each of its pods (containers, init containers, sidecars, pod-level resources, overhead). */
  readonly requests: PodResources;
}

export function podTemplate(admitted: Pod): PodTemplate {
  return { pod: admitted, requests: podRequests(admitted.spec ?? { containers: [] }) };
}
