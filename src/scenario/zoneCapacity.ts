/**
 * The cloud's zone-capacity-exhausted faults (issue 12): checked against the scenario
 * (a cloud to act on, a zone of some pool, the pool having that zone) and resolved to
 * instance-group indices and microseconds for the cloud (src/run/zoneCapacityTimeline.ts).
 */
import type { ZoneCapacityFaultSpec } from "../cloud/spec.js";
import { durationUs } from "./duration.js";
import { ScenarioError } from "./errors.js";
import type { Scenario } from "./schema.js";

type ZoneCapacityFault = Extract<Scenario["faults"][number], { type: "zone-capacity-exhausted" }>;

const zonesOfPool = (p: Scenario["nodePools"][number]): string[] => (p.zones ?? []).map((z) => (typeof z === "string" ? z : z.name));

/** faults[i] names a zone (and pool) that machines can be created in. */
export function checkZoneCapacity(file: string, s: Scenario, i: number, f: ZoneCapacityFault, zones: ReadonlySet<string>, cloud: boolean): void {
  if (!cloud) throw new ScenarioError(file, `faults[${i}].type`, "expected a scenario with a cloud (a node pool with instanceType or autoscaling): zone-capacity-exhausted acts on machine creates");
  if (!zones.has(f.zone)) throw new ScenarioError(file, `faults[${i}].zone`, `expected a zone of some node pool (${[...zones].join(", ") || "none defined"}), got ${JSON.stringify(f.zone)}`);
  if (f.pool === undefined) return;
  const pool = s.nodePools.find((p) => p.name === f.pool);
  if (!pool) throw new ScenarioError(file, `faults[${i}].pool`, `expected the name of a node pool (${s.nodePools.map((p) => p.name).join(", ")}), got ${JSON.stringify(f.pool)}`);
  if (!zonesOfPool(pool).includes(f.zone)) throw new ScenarioError(file, `faults[${i}].pool`, `expected a pool with zone ${f.zone} (pool ${f.pool} has ${zonesOfPool(pool).join(", ") || "no zones"})`);
}

/** The scenario's zone-capacity-exhausted faults, in file order. */
export function resolveZoneCapacityFaults(s: Scenario): ZoneCapacityFaultSpec[] {
  const out: ZoneCapacityFaultSpec[] = [];
  s.faults.forEach((f, i) => {
    if (f.type !== "zone-capacity-exhausted") return;
    out.push({
      atUs: durationUs(f.at),
      zone: f.zone,
      group: f.pool === undefined ? -1 : s.nodePools.findIndex((p) => p.name === f.pool),
      recoverAfterUs: f.recoverAfter === undefined ? -1 : durationUs(f.recoverAfter),
      index: i,
      description: `faults[${i}]: zone ${f.zone}${f.pool === undefined ? "" : `, pool ${f.pool}`}`,
    });
  });
  return out;
}
