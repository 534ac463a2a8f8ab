/**
 * Workloads: Kubernetes objects as written for kubectl (apps/v1 Deployment and DaemonSet, batch/v1 Job, v1 Pod, and
 * the PriorityClasses and Namespaces they refer to) and kubesim's own generator of pod
 * arrivals (a Poisson process).
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, duration, durationDistribution, positiveNumber } from "../fields.js";
import { ARRIVAL_RATE_KINDS, arrivalRateFields, checkArrivalRate } from "./arrivalRate.js";
import { daemonSet, deployment, job, namespace, pod, podDisruptionBudget, podTemplateSpec, priorityClass, service, statefulSet } from "../kubernetes.js";


export const poissonArrivals = z
  .strictObject({
    kind: z.literal("PoissonArrivals"),
    name: dnsSubdomain,
    namespace: dnsLabel.default("default"), // namespaces are DNS labels (ValidateNamespaceName)
    rate: positiveNumber("a positive number of pods per second").optional(),
    meanInterarrival: duration.optional(),
    ...arrivalRateFields,
    start: duration.optional().describe("first possible arrival (default: at the start)"),
    stop: duration.optional().describe("no arrivals after this time (default: the end of the run)"),
    lifetime: durationDistribution.describe("how long each pod runs once Running, then it succeeds and is deleted"),
    template: podTemplateSpec,
  })
  .superRefine((w, ctx) => {
    const given = ARRIVAL_RATE_KINDS.filter((k) => w[k] !== undefined);
    if (given.length !== 1) {
      const got = given.length === 0 ? "none" : given.join(" and ");
      ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of rate (pods per second), meanInterarrival (a duration), steps, daily or csv, got ${got}` });
    }
    checkArrivalRate(w, ctx);
  });

const WORKLOAD_EXPECTED = "expected kind Deployment (apps/v1), DaemonSet (apps/v1), StatefulSet (apps/v1), Job (batch/v1), Pod (v1), PoissonArrivals, PodDisruptionBudget (policy/v1), PriorityClass (scheduling.k8s.io/v1), Namespace (v1) or Service (v1)";

export const workloadObject = z.discriminatedUnion("kind", [deployment, daemonSet, statefulSet, job, pod, poissonArrivals, podDisruptionBudget, priorityClass, namespace, service], { error: WORKLOAD_EXPECTED });

/** Deployments and Pods from manifest files (YAML, multi-document, kind: List, or JSON); expanded by the loader. */
export const manifestsRef = z.strictObject({
  manifests: z
    .union([z.string(), z.array(z.string())])
    .describe("manifest file(s), relative to the scenario file; Deployments, DaemonSets, Jobs and Pods run, PriorityClasses, Namespaces and Services are created, other kinds are skipped"),
});

export const workload = z.union([workloadObject, manifestsRef], { error: WORKLOAD_EXPECTED });

export const workloadsSection = {
  workloads: z.array(workload, { error: "expected a list of workloads" }).default([]),
};
