/**
 * What the CLI would do with a case, decided the way src/cli/errors.ts `reportError`
 * decides it: a ScenarioError or UsageError is bad input (exit 2, its message is the one
 * line printed), a PluginError a user's plugin failing (exit 3, one line), anything else
 * thrown is an internal error (exit 1).
 *
 * A rejection is well-formed when its line names one of the case's files and then a
 * place in it: `<file>: <field path>: ...` or `<file>:<line>:<col>: ...`. A few messages
 * are about a whole file and name no field; they are listed in WHOLE_FILE with why.
 * (Checked with linear-time regular expressions only: a line may hold a huge value.)
 */
import { UsageError } from "../../src/cli/errors.js";
import { ScenarioError } from "../../src/scenario/errors.js";

/** How a thrown error ends the CLI: exit 2 with its line, exit 3 (a custom plugin failed), or exit 1. */
export type ErrorOutcome = { kind: "rejected"; line: string } | { kind: "plugin"; line: string } | { kind: "internal"; error: Error };

export function classify(e: unknown): ErrorOutcome {
  if (e instanceof ScenarioError || e instanceof UsageError) return { kind: "rejected", line: e.message };
  // A user's plugin broke its contract (src/scheduler/custom/pluginError.ts, where the
  // build has it): `kubesim: plugin <name> failed at <point> ...`, exit 3. Known by name,
  // so the fuzzer also builds where that class does not exist yet.
  if (e instanceof Error && e.name === "PluginError") return { kind: "plugin", line: `kubesim: ${e.message}` };
  return { kind: "internal", error: e instanceof Error ? e : new Error(String(e)) };
}

/** Why a custom plugin's failure line is not one line naming the plugin, or null. */
export function pluginLineProblem(line: string): string | null {
  if (line.includes("\n")) return "more than one line";
  return /^kubesim: plugin \S+ failed at \S+/.test(line) ? null : "no plugin and extension point named";
}

/** Words a message starts with: text after `<file>: ` that starts so is not a field path. */
const MESSAGE_START = /^(?:expected|unknown|not|cannot|no|rejected|YAML|invalid)\b/;

/** Messages about a whole file (no field to name), after `<file>`. */
const WHOLE_FILE: readonly RegExp[] = [
  // The document is not a mapping at all (a scenario, a KubeSchedulerConfiguration).
  /^: expected a mapping\b/,
  // explain: the --pod file has no Pod, or several; the --cluster files have no Node.
  /^: expected exactly one Pod object, found \d+$/,
  /^(?:, [^,:]+)*: expected at least one Node object$/,
  // A file or document that is not a Kubernetes object (the root was replaced).
  /^: expected a Kubernetes object \(a mapping with (?:kind|apiVersion and kind)\)$/,
];

/**
 * Why a rejection line is not what a user should see, or null when it is fine.
 * `files` are the names the case's files are shown under (`--set` for overrides).
 */
export function rejectionProblem(line: string, files: readonly string[]): string | null {
  if (line.includes("\n")) return /\n\s+at /.test(line) ? "a stack trace" : "more than one line";
  if (line.trim() === "") return "an empty message";
  const file = [...files].sort((a, b) => b.length - a.length).find((f) => line.startsWith(f));
  if (file === undefined) return "no input file named";
  const rest = line.slice(file.length);
  if (/^:\d+:\d+: \S/.test(rest)) return null;
  if (file === "--set") return /^: [^\n]+?: \S/.test(rest) ? null : "no --set path named";
  if (WHOLE_FILE.some((re) => re.test(rest))) return null;
  // `: <path>: <message>`. The path is taken as written: the scenario loader quotes odd
  // keys (`labels["a b"]`), explain and the scheduler configuration do not.
  const m = /^: (.+?): \S/.exec(rest);
  return m && !MESSAGE_START.test(m[1]) ? null : "no field named";
}
