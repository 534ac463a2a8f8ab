/** Runs a control plane from a `controlPlane` section (as written in a scenario) for tests. */
import { Simulation, US_PER_S } from "../../src/engine/simulation.js";
import { ControlPlane } from "../../src/run/controlPlane.js";
import { controlPlaneSection } from "../../src/scenario/sections/controlPlane.js";
import { formatCell, type Table } from "../../src/metrics/tables.js";
import { EventLog } from "../../src/metrics/events.js";

export function runControlPlane(section: Record<string, unknown>, opts: { seed?: number; durationSeconds?: number; sampleSeconds?: number; nodes?: number } = {}) {
  // No kube-scheduler and no kubelets run here: as the HA scenarios do, a synthetic one
  // binds 10 pods/s and synthetic kubelets write 20 pod statuses/s unless the test says
  // otherwise (the section's defaults are 0).
  const load = { bindingsPerSecond: 10, podStatusUpdatesPerSecond: 20, ...((section.load as Record<string, unknown> | undefined) ?? {}) };
  const spec = controlPlaneSection.controlPlane.parse({ ...section, load })!;
  const sim = new Simulation(opts.seed ?? 1);
  const durationUs = (opts.durationSeconds ?? 120) * US_PER_S;
  const cp = new ControlPlane(sim, spec, opts.nodes ?? 100, new EventLog(), (opts.sampleSeconds ?? 5) * US_PER_S, durationUs);
  cp.start(); // samples every sample_s
  sim.run(durationUs);
  const out = cp.finish(sim.now);
  const summary = Object.fromEntries(out.summary.map((s) => [s.metric, s.value]));
  const table = (file: string) => out.tables.find((t) => t.file === file)!;
  return { cp, sim, out, summary, table };
}

/** Rows of a table as objects. */
export function rowsOf(t: Table): Record<string, string | number | null>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

/** A table as CSV text (what the run would write), for byte-identity checks. */
export function csvText(t: Table): string {
  return [t.columns.join(","), ...t.rows.map((r) => r.map((c) => formatCell(c, t.decimals)).join(","))].join("\n");
}

/** API availability (answered / requests) over the sample rows with sim_time_s in (from_s, to_s]. */
export function availability(t: Table, fromSeconds: number, toSeconds: number): number {
  let req = 0;
  let err = 0;
  for (const r of rowsOf(t)) {
    const time = r.sim_time_s as number;
    if (time > fromSeconds && time <= toSeconds) {
      req += r.api_requests as number;
      err += r.api_errors as number;
    }
  }
  return req === 0 ? NaN : (req - err) / req;
}
