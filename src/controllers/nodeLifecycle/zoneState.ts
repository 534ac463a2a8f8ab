/**
 * Zone states of the node lifecycle controller (ComputeZoneState, node_lifecycle_controller.go):
 * from the Ready conditions of a zone's nodes (those not labelled exclude-disruption), a
 * missing condition counting as not ready:
 *   ready == 0 && notReady > 0                              -> FullDisruption
 *   notReady > 2 && notReady / (notReady + ready) >= 0.55   -> PartialDisruption
 *   otherwise                                               -> Normal
 * A zone first seen is Initial until the end of its first pass.
 */
import { ConditionStatus } from "../../model/nodeTable.js";

export const enum ZoneState {
  Initial = 0,
  Normal = 1,
  FullDisruption = 2,
  PartialDisruption = 3,
}
export const ZONE_STATE_NAMES: readonly string[] = ["Initial", "Normal", "FullDisruption", "PartialDisruption"];

/** `conditions`: the Ready condition (ConditionStatus, None = no condition) of each node of the zone. */
export function computeZoneState(conditions: readonly number[], unhealthyZoneThreshold: number): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const c of conditions) {
    if (c === ConditionStatus.True) ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return ZoneState.FullDisruption;
  // Upstream compares float32 values: float32(notReady)/float32(total) >= float32 threshold.
  if (notReady > 2 && Math.fround(notReady / (notReady + ready)) >= Math.fround(unhealthyZoneThreshold)) return ZoneState.PartialDisruption;
  return ZoneState.Normal;
}
