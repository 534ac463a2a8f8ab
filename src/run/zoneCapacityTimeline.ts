/**
 * The cloud's faults on the scenario timeline (issue 12): zone-capacity-exhausted. At
 * `at` the zone (of one pool, or of every pool) runs out of capacity: machine creates
 * there fail with the cloud's error (cloud/cloudProvider.ts); `recoverAfter` later they
 * succeed again. Machines already running are untouched. One events.csv row each.
 */
import type { Simulation } from "../engine/simulation.js";
import type { EventLog } from "../metrics/events.js";
import type { CloudProvider } from "../cloud/cloudProvider.js";
import type { ZoneCapacityFaultSpec } from "../cloud/spec.js";

export class ZoneCapacityTimeline {
  private readonly hFault: number;
  private readonly hRecover: number;

  constructor(
    private readonly sim: Simulation,
    private readonly events: EventLog,
    private readonly cloud: CloudProvider,
    private readonly faults: readonly ZoneCapacityFaultSpec[],
  ) {
    this.hFault = sim.on("cloud.zoneCapacityExhausted", (i) => this.exhaust(i));
    this.hRecover = sim.on("cloud.zoneCapacityRestored", (i) => this.restore(i));
  }

  start(): void {
    this.faults.forEach((f, i) => this.sim.scheduleAt(f.atUs, this.hFault, i));
  }

  private exhaust(i: number): void {
    const f = this.faults[i];
    this.cloud.exhaustZone(f.zone, f.group);
    this.events.add(this.sim.now, "ZoneCapacityExhausted", `fault/${f.index}`, `${f.description}: out of capacity, machine creates in the zone fail`);
    if (f.recoverAfterUs >= 0) this.sim.schedule(f.recoverAfterUs, this.hRecover, i);
  }

  private restore(i: number): void {
    const f = this.faults[i];
    this.cloud.zoneRecovered(f.zone, f.group);
    this.events.add(this.sim.now, "ZoneCapacityRestored", `fault/${f.index}`, `${f.description} (recoverAfter): capacity back, fault over`);
  }
}
