/** Options several commands share. */
import type { Argv } from "yargs";

export function withSetOption<T>(y: Argv<T>) {
  return y.option("set", {
    type: "string",
    array: true,
    requiresArg: true,
    description: "override a scenario field before validation, e.g. --set nodePools[0].count=500 (repeatable)",
  });
}

/** --set values as a flat list (yargs may give a string or a list). */
export function setList(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
