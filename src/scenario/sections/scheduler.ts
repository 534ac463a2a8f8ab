/**
 * The `scheduler:` section: which KubeSchedulerConfiguration the simulated
 * kube-scheduler runs, custom plugin modules, and the cost model of a cycle.
 *
 *   scheduler:
 *     config: {apiVersion: kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration, profiles: [...]}
 *     # or configFile: sched.yaml          (path relative to the working directory)
 *     customPlugins: [{module: scenarios/plugins/dominantResourceFit.mjs}]
 *     cycleCost: {perCycle: 1ms, perNodeEvaluated: 3us, perNodeScored: 2us}
 *     apiWriteLatency: 5ms
 *     popFromBackoffQ: false
 *
 * The configuration (inline or file) is parsed once, by the scheduler's own parser, when
 * the scenario is resolved (resolveSchedulerSection): a bad profile is reported with its
 * field path by `kubesim validate` and `run` alike.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { duration } from "../fields.js";
import { durationUs } from "../duration.js";
import { ScenarioError, customIssue, type PathSegment } from "../errors.js";
import { SchedulerConfigError } from "../../scheduler/config/configError.js";
import { catalogWith, defaultSchedulerConfiguration, parseSchedulerConfigValue } from "../../scheduler/config/schedulerConfig.js";
import { defaultSchedulerSpec, type SchedulerSpec } from "../../scheduler/config/schedulerSpec.js";
import { customCatalog, loadPluginModuleSync, PluginModuleError, type LoadedPlugin } from "../../scheduler/custom/loadPlugin.js";
import { checkPluginArgs } from "../../scheduler/config/runtime.js";
import { inputModulePath, readInputFile } from "../inputFile.js";
import { parseYamlDocument } from "../yamlInput.js";

/** The configFile's value: a regular file within the input limit, YAML errors with their line. */
function readConfigFile(configFile: string, file: string): unknown {
  const text = readInputFile(resolve(configFile), configFile, { file, path: "scheduler.configFile", noun: "KubeSchedulerConfiguration file" });
  return parseYamlDocument(configFile, text);
}

/** "profiles[0].plugins.score" -> ["profiles", 0, "plugins", "score"]. */
function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

const schedulerSchema = z
  .strictObject({
    config: z.looseObject({}).optional().describe("KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), inline"),
    configFile: z.string().optional().describe("KubeSchedulerConfiguration file, relative to the working directory"),
    customPlugins: z
      .array(z.strictObject({ module: z.string().describe("plugin module (.mjs/.js) exporting name and create(args, handle)") }))
      .default([])
      .describe("custom plugins to register; enable them by name in the configuration"),
    cycleCost: z
      .strictObject({
        perCycle: duration.default("1ms"),
        perNodeEvaluated: duration.default("3us"),
        perNodeScored: duration.default("2us"),
      })
      .default({ perCycle: "1ms", perNodeEvaluated: "3us", perNodeScored: "2us" })
      .describe("virtual time of one scheduling cycle: perCycle + perNodeEvaluated x nodes filtered + perNodeScored x nodes scored"),
    apiWriteLatency: duration.default("5ms").describe("time of one API write after the client rate limiter when the scenario has no controlPlane (with one, bindings are real API requests); preemption victims' deletes always take it"),
    popFromBackoffQ: z.boolean().default(false).describe("SchedulerPopFromBackoffQ: pop from backoffQ when activeQ is empty (upstream default on since v1.33)"),
  })
  .superRefine((s, ctx) => {
    if (s.config !== undefined && s.configFile !== undefined) {
      ctx.addIssue({ code: "custom", path: ["configFile"], message: "expected either config or configFile, not both" });
    }
  });

export type SchedulerSectionInput = z.input<typeof schedulerSchema>;
export type SchedulerSection = z.output<typeof schedulerSchema>;

export const schedulerSection = {
  scheduler: schedulerSchema.optional().describe("the simulated kube-scheduler (default: upstream defaults)"),
};

/**
 * The section resolved: custom plugins loaded and registered, the configuration parsed
 * and its plugin args checked, times in microseconds. Errors name the scenario file
 * and the field (`root` is the scenario as validated, for the ", got ..." part).
 */
export function resolveSchedulerSection(section: SchedulerSection | undefined, file: string, root: unknown): SchedulerSpec {
  if (!section) return defaultSchedulerSpec();
  const at = (path: PathSegment[], expected: string) => customIssue(file, ["scheduler", ...path], expected, root);
  const loaded: LoadedPlugin[] = [];
  for (const [i, p] of section.customPlugins.entries()) {
    // A regular file within the input limit before Node loads it (not a device, not a FIFO);
    // recorded as an input of the run, and on a rerun loaded from its kept copy.
    const modulePath = inputModulePath(resolve(p.module), p.module, { file, path: `scheduler.customPlugins[${i}].module`, noun: "plugin module" });
    try {
      loaded.push(loadPluginModuleSync(modulePath === resolve(p.module) ? p.module : modulePath, `customPlugins[${i}].module`));
    } catch (e) {
      if (!(e instanceof PluginModuleError)) throw e;
      throw at(["customPlugins", i, "module"], `expected ${e.message.replace(/^[^:]*: /, "")}`);
    }
  }
  const catalog = catalogWith(customCatalog(loaded));
  let config;
  try {
    config =
      section.config !== undefined
        ? parseSchedulerConfigValue(section.config, "scheduler.config", catalog)
        : section.configFile !== undefined
          ? parseSchedulerConfigValue(readConfigFile(section.configFile, file), section.configFile, catalog)
          : defaultSchedulerConfiguration(catalog);
    checkPluginArgs(config);
  } catch (e) {
    if (!(e instanceof SchedulerConfigError)) throw e;
    if (section.configFile !== undefined) throw new ScenarioError(file, "scheduler.configFile", `expected a valid configuration (${e.message})`);
    throw at(["config", ...pathSegments(e.path)], e.expected);
  }
  const cost = section.cycleCost;
  return {
    config,
    cost: { perCycleUs: durationUs(cost.perCycle), perNodeEvaluatedUs: durationUs(cost.perNodeEvaluated), perNodeScoredUs: durationUs(cost.perNodeScored) },
    apiWriteLatencyUs: durationUs(section.apiWriteLatency),
    popFromBackoffQ: section.popFromBackoffQ,
  };
}
