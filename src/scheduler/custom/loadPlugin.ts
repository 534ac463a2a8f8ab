/**
 * Custom scheduler plugins from user modules. A module (.mjs / .js, or .ts when run
 * through a TypeScript loader) exports:
 *
 *   export const name = "GpuBinPacking";          // the name KubeSchedulerConfiguration uses
 *   export function create(args, handle) { ... }  // returns a plugin object (framework.ts)
 *
 * The plugin implements any of filter / preScore / score / normalizeScore (batched:
 * one call per candidate list, results into the given typed array). Loading
 * registers the factory with the plugin registry and returns the extension points it
 * implements, so a KubeSchedulerConfiguration can enable it by name. The registered
 * factory wraps every instance (guard.ts): an exception or an invalid score stops the
 * run with a PluginError naming the plugin, the extension point and the pod.
 */
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { isBind, isFilter, isPostFilter, isPreFilter, isPreScore, isReserve, isScore, type Plugin, type PluginFactory } from "../framework.js";
import { Snapshot } from "../snapshot.js";
import { isRegistered, registerPlugin } from "../registry.js";
import type { ExtensionPoint } from "../config/defaults.js";
import { IN_TREE_POINTS } from "../config/defaults.js";
import { guardPlugin } from "./guard.js";

export class PluginModuleError extends Error {}

export interface LoadedPlugin {
  name: string;
  file: string;
  points: ExtensionPoint[];
  factory: PluginFactory;
}

/** The extension points a plugin object implements. */
export function pointsOf(p: Plugin): ExtensionPoint[] {
  const out: ExtensionPoint[] = [];
  if (isPreFilter(p)) out.push("preFilter");
  if (isFilter(p)) out.push("filter");
  if (isPostFilter(p)) out.push("postFilter");
  if (isPreScore(p)) out.push("preScore");
  if (isScore(p)) out.push("score");
  if (isReserve(p)) out.push("reserve");
  if (isBind(p)) out.push("bind");
  return out;
}

/**
 * Import a plugin module and register it. `where` names the place that referenced the
 * file (for the one-line error), e.g. "scenario.yaml: scheduler.customPlugins[0].module".
 */
export async function loadPluginModule(file: string, where: string, baseDir = process.cwd()): Promise<LoadedPlugin> {
  const path = checkedPath(file, where, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginModuleError(`${where}: cannot load plugin module ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  return registerModule(mod, file, path, where);
}

/**
 * The same, synchronously (the simulation's set-up is synchronous). Node >= 20.19
 * loads ES modules without top-level await through require().
 */
export function loadPluginModuleSync(file: string, where: string, baseDir = process.cwd()): LoadedPlugin {
  const path = checkedPath(file, where, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = createRequire(import.meta.url)(path) as Record<string, unknown>;
  } catch (e) {
    throw new PluginModuleError(`${where}: cannot load plugin module ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  return registerModule(mod, file, path, where);
}

function checkedPath(file: string, where: string, baseDir: string): string {
  const path = resolve(baseDir, file);
  if (!existsSync(path)) throw new PluginModuleError(`${where}: plugin module ${file} not found`);
  return path;
}

function registerModule(mod: Record<string, unknown>, file: string, path: string, where: string): LoadedPlugin {
  const name = mod.name ?? (mod.default as Record<string, unknown> | undefined)?.name;
  const create = mod.create ?? (mod.default as Record<string, unknown> | undefined)?.create;
  if (typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    throw new PluginModuleError(`${where}: plugin module ${file} must export a name (letters and digits, e.g. export const name = "MyPlugin")`);
  }
  if (typeof create !== "function") throw new PluginModuleError(`${where}: plugin module ${file} must export a function create(args, handle)`);
  if (name in IN_TREE_POINTS) throw new PluginModuleError(`${where}: plugin name ${name} is an in-tree plugin; choose another name`);
  const factory = create as PluginFactory;
  let probe: Plugin;
  try {
    probe = factory(undefined, { snapshot: new Snapshot() });
  } catch (e) {
    throw new PluginModuleError(`${where}: plugin ${name} from ${file}: create(undefined, handle) failed: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!probe || probe.name !== name) throw new PluginModuleError(`${where}: plugin ${name} from ${file}: create() must return an object whose name is "${name}"`);
  const points = pointsOf(probe);
  if (!points.includes("filter") && !points.includes("score")) {
    throw new PluginModuleError(`${where}: plugin ${name} from ${file} implements neither filter(...) nor score(...)`);
  }
  const guarded: PluginFactory = (args, handle) => guardPlugin(factory(args, handle));
  if (!isRegistered(name)) registerPlugin(name, guarded);
  return { name, file: path, points, factory: guarded };
}

/** name -> points, for the KubeSchedulerConfiguration catalog. */
export function customCatalog(plugins: readonly LoadedPlugin[]): Map<string, readonly ExtensionPoint[]> {
  return new Map(plugins.map((p) => [p.name, p.points]));
}
