/**
 * The values of kubesim's annotations on workload objects (kubesim.io/run-time,
 * kubesim.io/warm-up, kubesim.io/init-run-time, ...-probability): annotations are
 * strings, so a distribution is written as YAML flow text. Callers name the annotation
 * in their own error.
 */
import type { DistributionSpec } from "../engine/distribution.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import { distributionSeconds, durationDistribution } from "./fields.js";
import { parseYamlDocument } from "./yamlInput.js";

/** `text` as a duration ("5m") or a distribution of durations ("{type: exponential, mean: 5m}"), in seconds; undefined when it is neither. */
export function annotationDurations(text: string, path: PathSegment[]): DistributionSpec | undefined {
  let value: unknown;
  try {
    value = parseYamlDocument(formatPath(path), text);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return undefined; // not YAML: the caller refuses it in the scenario's own words
  }
  const parsed = durationDistribution.safeParse(value);
  return parsed.success ? distributionSeconds(parsed.data) : undefined;
}

/** `text` as a probability from 0 to 1 (absent: 0); undefined when it is not one. */
export function annotationProbability(text: string | undefined): number | undefined {
  if (text === undefined) return 0;
  const p = Number(text);
  return text.trim() !== "" && p >= 0 && p <= 1 ? p : undefined;
}
