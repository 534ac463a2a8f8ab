/**
 * How the CLI ends on an error: bad input (a scenario, a flag) prints one line and
 * exits 2; a custom scheduler plugin that throws or returns an invalid score prints
 * one line naming the plugin, the extension point and the pod, and exits 3 (its own
 * stack trace with KUBESIM_DEBUG=1); anything else is a kubesim bug: one line and
 * exit 1 (the stack trace only with KUBESIM_DEBUG=1).
 */
import { ScenarioError } from "../scenario/errors.js";
import { PluginError } from "../scheduler/custom/pluginError.js";

export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 1;
/** A user's scheduler plugin failed (scheduler/custom/pluginError.ts). */
export const EXIT_PLUGIN_ERROR = 3;

/** An error in what the user gave us, already phrased as one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(oneLine(message));
  }
}

export function reportError(e: unknown): number {
  if (e instanceof ScenarioError || e instanceof UsageError) {
    process.stderr.write(`${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof PluginError) {
    const debug = process.env.KUBESIM_DEBUG === "1";
    const hint = e.pluginStack !== "" && !debug ? " (set KUBESIM_DEBUG=1 for the plugin's stack)" : "";
    process.stderr.write(`kubesim: ${oneLine(e.message)}${hint}\n`);
    if (debug && e.pluginStack !== "") process.stderr.write(`${e.pluginStack}\n`);
    return EXIT_PLUGIN_ERROR;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`kubesim: internal error: ${err.message.split("\n")[0]} (set KUBESIM_DEBUG=1 for details)\n`);
  if (process.env.KUBESIM_DEBUG === "1" && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT_INTERNAL;
}

/** Run a command body; set the exit code from its outcome. */
export async function guarded(body: () => void | Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    process.exitCode = reportError(e);
  }
}

/**
 * Warnings of a loaded scenario (PreparedScenario.warnings), once each on stderr. They
 * do not change the exit status; manifest.json keeps them.
 */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}

/** An error is one line: a line break that came from the user's own text is shown escaped. */
function oneLine(message: string): string {
  return message.replace(/\r?\n/g, "\\n");
}
