/**
 * The plugin registry (upstream names -> factories) and the default profile: the
 * MultiPoint list of config/defaults.ts (default_plugins.go, with upstream Score
 * weights) without the plugins kubesim does not model.
 *
 * Volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone)
 * and DynamicResources are not modelled: kubesim has no PV/PVC/CSI/DRA objects, so
 * they would pass every node. SchedulingGates (PreEnqueue) lives in the queue.
 */
import { DEFAULT_MULTIPOINT, UNMODELLED_PLUGINS } from "./config/defaults.js";
import { PluginArgsError, type FrameworkHandle, type Plugin, type PluginFactory, type ProfileSpec } from "./framework.js";
import { Profile } from "./profile.js";
import type { Snapshot } from "./snapshot.js";
import { PrioritySort, PRIORITY_SORT } from "./plugins/PrioritySort.js";
import { NodeUnschedulable, NODE_UNSCHEDULABLE } from "./plugins/NodeUnschedulable.js";
import { NodeName, NODE_NAME } from "./plugins/NodeName.js";
import { TaintToleration, TAINT_TOLERATION } from "./plugins/TaintToleration.js";
import { NodeAffinity, NODE_AFFINITY, type NodeAffinityArgs } from "./plugins/NodeAffinity.js";
import { NodePorts, NODE_PORTS } from "./plugins/NodePorts.js";
import { NodeResourcesFit, NODE_RESOURCES_FIT, type NodeResourcesFitArgs } from "./plugins/NodeResourcesFit.js";
import { NodeResourcesBalancedAllocation, NODE_RESOURCES_BALANCED_ALLOCATION, type BalancedAllocationArgs } from "./plugins/NodeResourcesBalancedAllocation.js";
import { DEFAULT_SCHEDULER_NAME } from "../model/wellKnown.js";
import { ImageLocality, IMAGE_LOCALITY } from "./plugins/ImageLocality.js";
import { DefaultBinder, DEFAULT_BINDER } from "./plugins/DefaultBinder.js";
import { newInterPodAffinity, NAME as INTER_POD_AFFINITY } from "./plugins/InterPodAffinity.js";
import { newPodTopologySpread, NAME as POD_TOPOLOGY_SPREAD } from "./plugins/PodTopologySpread.js";
import { createDefaultPreemption, NAME as DEFAULT_PREEMPTION } from "./plugins/DefaultPreemption.js";

const factories = new Map<string, PluginFactory>([
  [PRIORITY_SORT, () => new PrioritySort()],
  [NODE_UNSCHEDULABLE, () => new NodeUnschedulable()],
  [NODE_NAME, () => new NodeName()],
  [TAINT_TOLERATION, () => new TaintToleration()],
  [NODE_AFFINITY, (args, h) => new NodeAffinity(args as NodeAffinityArgs | undefined, h)],
  [NODE_PORTS, () => new NodePorts()],
  [NODE_RESOURCES_FIT, (args, h) => new NodeResourcesFit(args as NodeResourcesFitArgs | undefined, h)],
  [NODE_RESOURCES_BALANCED_ALLOCATION, (args, h) => new NodeResourcesBalancedAllocation(args as BalancedAllocationArgs | undefined, h)],
  [IMAGE_LOCALITY, () => new ImageLocality()],
  [DEFAULT_BINDER, () => new DefaultBinder()],
  [INTER_POD_AFFINITY, (args, h) => newInterPodAffinity(args, h)],
  [POD_TOPOLOGY_SPREAD, (args, h) => newPodTopologySpread(args, h)],
  [DEFAULT_PREEMPTION, (args, h) => createDefaultPreemption(args, h)],
]);

/** Register a plugin factory under its KubeSchedulerConfiguration name (custom or out-of-file plugins). */
export function registerPlugin(name: string, factory: PluginFactory): void {
  factories.set(name, factory);
}

export function isRegistered(name: string): boolean {
  return factories.has(name);
}

export function registeredPlugins(): string[] {
  return [...factories.keys()];
}

export class UnknownPluginError extends Error {}

/** The default profile as a spec: DEFAULT_MULTIPOINT in order, modelled and registered plugins only. */
export function defaultProfileSpec(schedulerName = DEFAULT_SCHEDULER_NAME): ProfileSpec {
  return {
    schedulerName,
    plugins: DEFAULT_MULTIPOINT.filter((p) => !UNMODELLED_PLUGINS.has(p.name) && factories.has(p.name)).map((p) => ({ name: p.name, weight: p.weight })),
  };
}

/** Upstream: a Score plugin without an explicit weight (or weight 0) gets 1. */
function weightOf(w: number | undefined): number {
  return w === undefined || w === 0 ? 1 : w;
}

/**
 * Instantiate a profile's plugins against a snapshot. Unknown names throw
 * UnknownPluginError; bad args throw PluginArgsError (both one-line messages).
 */
export function buildProfile(spec: ProfileSpec, snapshot: Snapshot): Profile {
  const handle: FrameworkHandle = { snapshot };
  const entries: { plugin: Plugin; weight: number; disabled?: string[] }[] = [];
  for (const p of spec.plugins) {
    const f = factories.get(p.name);
    if (!f) throw new UnknownPluginError(`plugin "${p.name}" is not registered`);
    let plugin: Plugin;
    try {
      plugin = f(p.args, handle);
    } catch (e) {
      if (e instanceof PluginArgsError) throw new PluginArgsError(`${p.name}: ${e.message}`);
      throw e;
    }
    entries.push({ plugin, weight: weightOf(p.weight), disabled: [...(spec.disabledPoints?.[p.name] ?? [])] });
  }
  const profile = new Profile(spec.schedulerName, entries, spec.percentageOfNodesToScore, spec.points);
  // Plugins that work with the whole profile (DefaultPreemption dry-runs its filters) get it here.
  for (const e of entries) (e.plugin as Plugin & { attach?: (p: Profile) => void }).attach?.(profile);
  return profile;
}
