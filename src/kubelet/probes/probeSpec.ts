/**
 * The probes of a pod template, compiled once: which container has which probe, with
 * the API's defaults applied and the times in microseconds.
 *
 * Defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe) are applied by the API server
 * (admission/defaults.ts); they are applied again here for templates built without it
 * (tests): timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3;
 * initialDelaySeconds has no default and reads as 0.
 */
import { PROBE_DEFAULT_FAILURE_THRESHOLD, PROBE_DEFAULT_PERIOD_S, PROBE_DEFAULT_SUCCESS_THRESHOLD, PROBE_DEFAULT_TIMEOUT_S } from "../../apiserver/admission/defaults.js";
import { US_PER_S } from "../../engine/simulation.js";
import type { Container, Pod } from "../../model/types.js";

/** Probe.initialDelaySeconds: not defaulted (0). */
export const PROBE_DEFAULT_INITIAL_DELAY_S = 0;

/** pkg/kubelet/prober/prober_manager.go probeType. */
export const enum ProbeType {
  Liveness = 0,
  Readiness = 1,
  Startup = 2,
}

export const PROBE_TYPE_NAMES = ["liveness", "readiness", "startup"] as const;

export interface ProbeSpec {
  /** Index of the container in spec.containers (regular containers only). */
  readonly container: number;
  readonly type: ProbeType;
  readonly periodUs: number;
  readonly timeoutUs: number;
  /** Whole seconds: the worker compares int32(seconds since the container started) with it. */
  readonly initialDelayS: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** The probe's terminationGracePeriodSeconds: the kill's grace period instead of the pod's (-1 = unset). */
  readonly terminationGracePeriodS: number;
}

/** The probes of a template, and what they imply for its containers. */
export interface TemplateProbes {
  readonly probes: readonly ProbeSpec[];
  readonly hasReadiness: boolean;
  readonly hasStartup: boolean;
}

type ProbeFields = NonNullable<Container["readinessProbe"]>;

const positiveOr = (v: number | undefined | null, fallback: number) => (v === undefined || v === null || v === 0 ? fallback : v);

function probeSpec(container: number, type: ProbeType, p: ProbeFields): ProbeSpec {
  return {
    container,
    type,
    periodUs: positiveOr(p.periodSeconds, PROBE_DEFAULT_PERIOD_S) * US_PER_S,
    timeoutUs: positiveOr(p.timeoutSeconds, PROBE_DEFAULT_TIMEOUT_S) * US_PER_S,
    initialDelayS: p.initialDelaySeconds ?? PROBE_DEFAULT_INITIAL_DELAY_S,
    successThreshold: positiveOr(p.successThreshold, PROBE_DEFAULT_SUCCESS_THRESHOLD),
    failureThreshold: positiveOr(p.failureThreshold, PROBE_DEFAULT_FAILURE_THRESHOLD),
    terminationGracePeriodS: p.terminationGracePeriodSeconds ?? -1,
  };
}

/**
 * The probes of the pod's regular containers, in the order prober_manager.AddPod
 * creates their workers (startup, readiness, liveness per container). Probes of
 * sidecar init containers are not modelled (kubesim runs a pod's containers as one).
 */
export function templateProbes(pod: Pod): TemplateProbes {
  const probes: ProbeSpec[] = [];
  (pod.spec?.containers ?? []).forEach((c, i) => {
    if (c.startupProbe) probes.push(probeSpec(i, ProbeType.Startup, c.startupProbe));
    if (c.readinessProbe) probes.push(probeSpec(i, ProbeType.Readiness, c.readinessProbe));
    if (c.livenessProbe) probes.push(probeSpec(i, ProbeType.Liveness, c.livenessProbe));
  });
  return { probes, hasReadiness: probes.some((p) => p.type === ProbeType.Readiness), hasStartup: probes.some((p) => p.type === ProbeType.Startup) };
}
