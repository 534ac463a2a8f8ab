/**
 * Every workload object of a scenario with where it is written and when it is created:
 * the `workloads` list (at the start), then the objects of each `apply` action (at the
 * action's time), in the order of the actions. Checks and resolution read this one list,
 * so an applied object is checked, bounded and resolved like any other.
 */
import type { Scenario } from "./schema.js";
import type { PathSegment } from "./errors.js";
import { durationUs } from "./duration.js";

type Entry = Scenario["workloads"][number];
/** A workload object (a `{manifests}` entry is expanded by the loader before this is read). */
export type WorkloadObject = Extract<Entry, { kind: string }>;

export interface WorkloadEntry {
  w: WorkloadObject;
  /** Where it is in the validated scenario: ["workloads", i] or ["actions", i, "workloads", k]. */
  path: PathSegment[];
  /** When it is created (us): 0 for `workloads`, the action's time for `apply`. */
  atUs: number;
  /** The apply action's index, -1 for `workloads`. */
  action: number;
}

export function workloadEntries(s: Scenario): WorkloadEntry[] {
  const out: WorkloadEntry[] = [];
  s.workloads.forEach((w, i) => {
    if ("kind" in w) out.push({ w, path: ["workloads", i], atUs: 0, action: -1 });
  });
  s.actions.forEach((a, i) => {
    if (a.type !== "apply") return;
    const atUs = durationUs(a.at);
    a.workloads.forEach((w, k) => {
      if ("kind" in w) out.push({ w, path: ["actions", i, "workloads", k], atUs, action: i });
    });
  });
  return out;
}
