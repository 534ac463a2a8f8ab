/**
 * Probes, as pkg/apis/core/validation validates them on the defaulted pod
 * (validateProbe, validateHandler; validateContainers' liveness- and startup-specific
 * rules): exactly one handler; initialDelaySeconds, timeoutSeconds, periodSeconds,
 * successThreshold and failureThreshold not negative (after defaulting, a 0 has become the
 * default, so these are at least 1 except initialDelaySeconds); terminationGracePeriodSeconds
 * above 0 when set; successThreshold 1 for liveness and startup probes. The handlers'
 * own fields (ports, paths, commands) are only strictly decoded.
 */
import type { Container } from "../../../model/types.js";
import { forbidden, invalid, required, type FieldError, type Path } from "./fieldError.js";

type Probe = NonNullable<Container["readinessProbe"]>;

/** apimachinery validation isNegativeErrorMsg. */
const IS_NEGATIVE = "must be greater than or equal to 0";
const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** validateProbe (with validateHandler's count of handler types). */
export function validateProbe(probe: Probe | undefined, path: Path, out: FieldError[]): void {
  if (!probe) return;
  const set = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (set.length === 0) out.push(required(path, "must specify a handler type"));
  for (const h of set.slice(1)) out.push(forbidden([...path, h], "may not specify more than 1 handler type"));
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const) {
    const v = probe[f];
    if (typeof v === "number" && v < 0) out.push(invalid([...path, f], v, IS_NEGATIVE));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === "number" && grace <= 0) out.push(invalid([...path, "terminationGracePeriodSeconds"], grace, "must be greater than 0"));
}

/** validateLivenessProbe / validateStartupProbe: validateProbe, then successThreshold must be 1. */
function validateProbeOfOne(probe: Probe | undefined, path: Path, out: FieldError[]): void {
  if (!probe) return;
  validateProbe(probe, path, out);
  if (probe.successThreshold !== 1) out.push(invalid([...path, "successThreshold"], probe.successThreshold, "must be 1"));
}

/** A regular container's (or sidecar's) probes, in validateContainerCommon's order: liveness, readiness, startup. */
export function validateContainerProbes(c: Container, path: Path, out: FieldError[]): void {
  validateProbeOfOne(c.livenessProbe, [...path, "livenessProbe"], out);
  validateProbe(c.readinessProbe, [...path, "readinessProbe"], out);
  validateProbeOfOne(c.startupProbe, [...path, "startupProbe"], out);
}
