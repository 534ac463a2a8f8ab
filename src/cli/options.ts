/**
 * Options several commands share, and the checks of flag values: a flag given without
 * a value, twice when it takes one, or with an empty value is a one-line UsageError
 * naming the flag (yargs' own parse errors go through main.ts's fail handler).
 */
import type { Argv } from "yargs";
import { UsageError } from "./errors.js";

export function withSetOption<T>(y: Argv<T>) {
  return y.option("set", {
    type: "string",
    array: true,
    requiresArg: true,
    description: "override a scenario field before validation, e.g. --set nodePools[0].count=500 (repeatable)",
  });
}

/** Values of a repeatable flag as a flat list (yargs may give a string or a list); none may be empty. */
export function flagList(v: unknown, flag: string, what: string): string[] {
  if (v === undefined) return [];
  const list = (Array.isArray(v) ? v : [v]).map(String);
  for (const s of list) if (s.trim() === "") throw new UsageError(`--${flag}: expected a value (${what}), got an empty one`);
  return list;
}

/** --set values as a flat list. */
export function setList(v: unknown): string[] {
  return flagList(v, "set", "path=value");
}

/** The value of a flag that takes one (yargs gives a list when it is repeated). */
export function flagValue(v: unknown, flag: string, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new UsageError(`--${flag}: expected one value (${what}), got ${v.length}: ${v.map((x) => JSON.stringify(String(x))).join(", ")}`);
  const s = String(v);
  if (s.trim() === "") throw new UsageError(`--${flag}: expected a value (${what}), got an empty one`);
  return s;
}

/** --seed: a non-negative integer a double holds exactly. */
export function seedValue(v: unknown): number | undefined {
  const text = flagValue(v, "seed", "the seed");
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--seed: expected a non-negative integer, got ${JSON.stringify(text)}`);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--seed: expected a non-negative integer of at most ${Number.MAX_SAFE_INTEGER} (what a double holds exactly), got ${JSON.stringify(text)}`);
  return n;
}
