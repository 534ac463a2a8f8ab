/**
 * From a parsed KubeSchedulerConfiguration to running profiles: plugin instances
 * (via the registry), one SchedulingCycle each, and DefaultPreemption wired to its
 * profile. Plugins kubesim does not model (the volume plugins, see registry.ts) are
 * left out: with no PV/PVC objects they would pass every node and skip scoring.
 */
import type { RandomStream } from "../../engine/random.js";
import { SchedulingCycle, type TieBreak } from "../cycle.js";
import { DefaultPreemption, createDefaultPreemption } from "../plugins/DefaultPreemption.js";
import { buildProfile, isRegistered, registerPlugin } from "../registry.js";
import type { SchedulerProfileRuntime } from "../scheduler.js";
import { Snapshot } from "../snapshot.js";
import { SchedulerConfigError } from "./configError.js";
import { UNMODELLED_PLUGINS } from "./defaults.js";
import type { ResolvedProfile, SchedulerConfiguration } from "./schedulerConfig.js";

export { UNMODELLED_PLUGINS };

/** Make sure DefaultPreemption is in the registry (it lives with the queue/preemption code). */
export function registerSchedulerPlugins(): void {
  if (!isRegistered("DefaultPreemption")) registerPlugin("DefaultPreemption", createDefaultPreemption);
}

/**
 * The profile spec without unmodelled plugins (and without in-tree plugins whose
 * implementation is not registered in this build; custom plugins are registered
 * before the configuration is parsed, so they are always kept).
 */
export function modelledSpec(p: ResolvedProfile): ResolvedProfile {
  const keep = (n: string) => !UNMODELLED_PLUGINS.has(n) && isRegistered(n);
  const points = Object.fromEntries(Object.entries(p.points).map(([k, v]) => [k, v.filter(keep)])) as ResolvedProfile["points"];
  return { ...p, plugins: p.plugins.filter((x) => keep(x.name)), points };
}

/**
 * Instantiate every plugin of every profile once against an empty snapshot, so bad
 * args of a plugin (custom plugins validate their own args in create()) are reported
 * as a configuration error naming the profile, not as a crash at run time.
 */
export function checkPluginArgs(config: SchedulerConfiguration): void {
  registerSchedulerPlugins();
  config.profiles.forEach((p, i) => {
    const spec = modelledSpec(p);
    for (const x of spec.plugins) {
      try {
        buildProfile({ schedulerName: p.schedulerName, plugins: [{ name: x.name, weight: x.weight, args: p.args[x.name] }] }, new Snapshot());
      } catch (e) {
        const msg = (e as Error).message.split("\n")[0].replace(new RegExp(`^${x.name}: `), "");
        const j = p.argsIndex[x.name];
        const where = j === undefined ? `profiles[${i}]` : `profiles[${i}].pluginConfig[${j}].args`;
        // Plugins that phrase errors as "<field>: expected ..., got ..." get the field in the path.
        const m = /^([A-Za-z][\w.[\]]*): (expected .*?)(?:, got (.*))?$/.exec(msg);
        if (m && j !== undefined) throw new SchedulerConfigError(config.source, `${where}.${m[1]}`, m[2], m[3]);
        throw new SchedulerConfigError(config.source, where, `expected args ${x.name} accepts (${msg})`);
      }
    }
  });
}

export function buildRuntimes(
  config: SchedulerConfiguration,
  snapshot: Snapshot,
  opts: { tieBreak?: TieBreak; random?: RandomStream | { int(n: number): number } } = {},
): SchedulerProfileRuntime[] {
  registerSchedulerPlugins();
  return config.profiles.map((p) => {
    const spec = modelledSpec(p);
    const profile = buildProfile({ ...spec, plugins: spec.plugins.map((x) => ({ ...x, args: p.args[x.name] })) }, snapshot);
    const cycle = new SchedulingCycle(profile, snapshot, {
      percentageOfNodesToScore: config.percentageOfNodesToScore,
      tieBreak: opts.tieBreak ?? (opts.random ? "reservoir" : "first"),
      random: opts.random,
    });
    const pre = profile.plugin("DefaultPreemption");
    const preemption = pre instanceof DefaultPreemption ? pre : null;
    preemption?.attach(profile);
    return { profile, cycle, preemption };
  });
}
