/**
 * What a scenario load does with its input files beyond reading them: record each file
 * it read (so `kubesim run` can keep a copy beside the results) and read a kept copy
 * instead of the file at its path (so `kubesim rerun` plays what the run read, not what
 * the path holds now). One scope at a time, set around a synchronous load; nothing is
 * hooked outside it (validate, explain and capacity read files as they are).
 */

/** Who named an input file: the file and the field that hold its path. */
export interface InputNamedBy {
  file: string;
  path: string;
}

/** One input file as read: how it was named, where it was, its exact bytes. */
export interface InputFileRead {
  /** The path as the scenario (or the command line) wrote it. */
  shown: string;
  /** The field that named it; undefined for the scenario file itself. */
  by?: InputNamedBy;
  /** Absolute path of the file at its original place (not of a kept copy). */
  resolvedPath: string;
  bytes: Uint8Array;
}

export interface InputHooks {
  /** Called once per file read (a file read twice is recorded twice). */
  record?(read: InputFileRead): void;
  /**
   * The file to read in place of the one named `shown` by `by` (a kept copy). It throws
   * a ScenarioError when there is none: a rerun never falls back to the path silently.
   */
  redirect?(shown: string, by: InputNamedBy | undefined): string;
}

let active: InputHooks | undefined;

/** Run `fn` with `hooks` in force (restoring the outer scope after, also on a throw). */
export function withInputHooks<T>(hooks: InputHooks, fn: () => T): T {
  const outer = active;
  active = hooks;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/** The hooks in force, if any (read by inputFile.ts). */
export function inputHooks(): InputHooks | undefined {
  return active;
}
