/**
 * Scenario errors: one line naming the file, the field path and what was expected,
 * e.g. `scenario.yaml: nodePools[2].count: expected a positive integer, got "ten"`.
 * The CLI prints `message` and exits 2; it never shows a stack trace.
 */
import type { z } from "zod";

export type PathSegment = string | number;

/**
 * A custom zod issue whose params carry this key is printed as its message, unchanged:
 * the API server's validation errors (`Invalid value: -1: must be in the range 1-100`).
 */
export const VERBATIM = "kubesimVerbatim";

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly expected: string,
  ) {
    // One line, always: a line break that came from the user's own text is shown escaped.
    super((path === "" ? `${file}: ${expected}` : `${file}: ${path}: ${expected}`).replace(/\r?\n/g, "\\n"));
    this.name = "ScenarioError";
  }
}

/** `nodePools[2].count` from ["nodePools", 2, "count"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** How a value that was found reads in an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.length}`;
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

/** The first zod issue as a ScenarioError (one line; the first problem is the one to fix). */
export function fromZodIssue(
  scenarioFile: string,
  zodIssue: z.core.$ZodIssue,
  input: unknown,
  relocate?: (path: PathSegment[]) => { file: string; path: PathSegment[] },
): ScenarioError {
  const issue = mostSpecific(zodIssue);
  const got = valueAt(input, issue.path);
  // Where to point the user: the scenario, or the manifest file an object came from.
  const where = relocate ? relocate(issue.path as PathSegment[]) : { file: scenarioFile, path: issue.path as PathSegment[] };
  const file = where.file;
  const path = where.path;
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0];
      return new ScenarioError(file, formatPath([...path, key]), `unknown field (check the spelling; see \`kubesim schema\`)`);
    }
    case "invalid_type":
      if (got === undefined) return new ScenarioError(file, formatPath(path), `required field is missing (${expectation(issue)})`);
      return new ScenarioError(file, formatPath(path), `${expectation(issue)}, got ${describeValue(got)}`);
    case "custom":
      if ((issue.params as Record<string, unknown> | undefined)?.[VERBATIM]) return new ScenarioError(file, formatPath(path), issue.message);
      // Our own checks: a message that already says what it got stays as it is; a
      // mapping or list found is not worth echoing.
      if (issue.message.includes(", got ") || got === undefined || (typeof got === "object" && got !== null)) {
        return new ScenarioError(file, formatPath(path), expectation(issue));
      }
      return new ScenarioError(file, formatPath(path), `${expectation(issue)}, got ${describeValue(got)}`);
    default:
      return new ScenarioError(file, formatPath(path), `${expectation(issue)}, got ${describeValue(got)}`);
  }
}

/**
 * A check of kubesim's own outside the schema (found while resolving), worded as the
 * schema's custom issues are: "expected ..., got <the value at the path>" unless the
 * message says what it got or the value is a mapping or list.
 */
export function customIssue(file: string, path: PathSegment[], expected: string, root: unknown): ScenarioError {
  const got = valueAt(root, path);
  if (expected.includes(", got ") || got === undefined || (typeof got === "object" && got !== null)) return new ScenarioError(file, formatPath(path), expected);
  return new ScenarioError(file, formatPath(path), `${expected}, got ${describeValue(got)}`);
}

/**
 * For a failed union, the issue of the branch that got furthest into the value
 * (deepest path) says more than "expected one of ..." — unless no branch got past
 * the union itself.
 */
function mostSpecific(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      if (sub.path.length > 0 && (best === undefined || sub.path.length > best.path.length)) best = sub;
    }
  }
  if (best === undefined) return issue;
  return mostSpecific({ ...best, path: [...issue.path, ...best.path] } as z.core.$ZodIssue);
}

/** The "expected ..." part: our own messages start with "expected"; zod's are rephrased. */
function expectation(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (m.startsWith("expected ")) return m;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${article(issue.expected)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${issue.minimum} item(s)` : `expected a value >= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `expected at most ${issue.maximum} item(s)` : `expected a value <= ${issue.maximum}`;
    default:
      return `expected ${m.replace(/^Invalid input: expected /, "")}`;
  }
}

function article(t: string): string {
  switch (t) {
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "integer":
      return "an integer";
    default:
      return `a ${t}`;
  }
}
