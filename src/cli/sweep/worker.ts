/**
 * A sweep's worker process (forked by pool.ts): runs whole runs, one at a time, as the
 * parent hands them out, each exactly as `kubesim run --quiet` would, and answers with
 * its folder or its error. Loaded from dist/ as compiled JS; it exits when the parent
 * disconnects (the sweep is over, or the parent died).
 */
import { ScenarioError } from "../../scenario/errors.js";
import { PluginError } from "../../scheduler/custom/pluginError.js";
import { UsageError } from "../errors.js";
import { runScenarioToFolder } from "../run.js";
import type { RunAnswer, RunTask } from "./runTask.js";

function answerFor(task: RunTask): RunAnswer {
  try {
    const r = runScenarioToFolder({ scenario: task.scenario, seed: task.seed, set: task.set, out: task.out, quiet: true });
    return { run: task.run, ok: true, dir: r.dir };
  } catch (e) {
    if (e instanceof PluginError) return { run: task.run, ok: false, kind: "plugin", plugin: e.plugin, point: e.point, pod: e.pod, detail: e.detail, stack: e.pluginStack };
    const err = e instanceof Error ? e : new Error(String(e));
    const badInput = e instanceof ScenarioError || e instanceof UsageError;
    return { run: task.run, ok: false, kind: badInput ? "bad-input" : "internal", message: err.message, stack: err.stack ?? "" };
  }
}

process.on("message", (task: RunTask) => process.send?.(answerFor(task)));
process.on("disconnect", () => process.exit(0));
