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
 * The configuration (inline or file) is validated here with the scheduler's own
 * parser, so `kubesim validate` reports a bad profile with its field path.
 */
import { z } from "zod";
import { duration } from "../fields.js";
import { SchedulerConfigError } from "../../scheduler/config/configError.js";
import { catalogWith, loadSchedulerConfig, parseSchedulerConfigValue } from "../../scheduler/config/schedulerConfig.js";
import { customCatalog, loadPluginModuleSync, PluginModuleError, type LoadedPlugin } from "../../scheduler/custom/loadPlugin.js";
import { checkPluginArgs } from "../../scheduler/config/runtime.js";

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
      return;
    }
    const loaded: LoadedPlugin[] = [];
    for (const [i, p] of s.customPlugins.entries()) {
      try {
        loaded.push(loadPluginModuleSync(p.module, `customPlugins[${i}].module`));
      } catch (e) {
        if (!(e instanceof PluginModuleError)) throw e;
        ctx.addIssue({ code: "custom", path: ["customPlugins", i, "module"], message: `expected ${e.message.replace(/^[^:]*: /, "")}` });
        return;
      }
    }
    const catalog = catalogWith(customCatalog(loaded));
    try {
      if (s.config !== undefined) checkPluginArgs(parseSchedulerConfigValue(s.config, "scheduler.config", catalog));
      else if (s.configFile !== undefined) checkPluginArgs(loadSchedulerConfig(s.configFile, catalog));
    } catch (e) {
      if (!(e instanceof SchedulerConfigError)) throw e;
      if (s.configFile !== undefined) {
        ctx.addIssue({ code: "custom", path: ["configFile"], message: `expected a valid configuration (${e.message})` });
      } else {
        // The scenario's error line appends ", got <the value at the path>" itself.
        ctx.addIssue({ code: "custom", path: ["config", ...pathSegments(e.path)], message: e.expected });
      }
    }
  });

export type SchedulerSectionInput = z.input<typeof schedulerSchema>;
export type SchedulerSection = z.output<typeof schedulerSchema>;

export const schedulerSection = {
  scheduler: schedulerSchema.optional().describe("the simulated kube-scheduler (default: upstream defaults)"),
};
