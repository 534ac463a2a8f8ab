/**
 * A bad KubeSchedulerConfiguration: one line naming the file, the field path and
 * what was expected (`sched.yaml: profiles[0].plugins.score.enabled[1].weight:
 * expected an integer 1..100, got 0`). The CLI prints it and exits 2.
 */
export class SchedulerConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly expected: string,
    /** How the value found reads ("0", "\"Spread\"", "a list"), when the message names it. */
    readonly got?: string,
  ) {
    const text = got === undefined ? expected : `${expected}, got ${got}`;
    super(path === "" ? `${file}: ${text}` : `${file}: ${path}: ${text}`);
    this.name = "SchedulerConfigError";
  }
}

/** How a value reads in an error message. */
export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}
