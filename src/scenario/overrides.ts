/**
 * `--set path=value` overrides, applied to the parsed YAML before validation, so an
 * override is checked exactly like the file: `--set nodePools[0].count=500`,
 * `--set seed=7`, `--set workloads[2].rate=2`. Values are YAML scalars ("2" is a
 * number, "true" a boolean, "1h" a string); a flow value (`[a, b]`, `{k: v}`) works too.
 *
 * A path must name something: a value the scenario has (replaced), or a field the
 * scenario format has where it is created (schemaPath.ts); a list index must exist or
 * be the next one (append). So a misspelt or misplaced path is an error saying which
 * part did not match, never a field added and silently ignored. The names JavaScript
 * objects inherit (`__proto__`, `constructor`, `prototype`) are refused outright.
 */
import { parseYamlDocument } from "./yamlInput.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import { scenarioSchema } from "./schema.js";
import { checkSchemaPath, type PathMismatch } from "./schemaPath.js";

export const SET_SOURCE = "--set";

/** Keys that would reach an object's prototype instead of a field. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const PATH_EXPECTED = "expected a field path like nodePools[0].count";

/** ["nodePools", 0, "count"] from "nodePools[0].count"; quoted keys: a["x.y/z"]. */
export function parseSetPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /\s*(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/y;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (!m || (pos === 0 && path[0] === ".")) throw new ScenarioError(SET_SOURCE, path, PATH_EXPECTED);
    let seg: PathSegment;
    if (m[1] !== undefined) seg = m[1];
    else if (m[2] !== undefined) {
      seg = Number(m[2]);
      if (!Number.isSafeInteger(seg)) throw new ScenarioError(SET_SOURCE, path, `expected a list index, got [${m[2]}]`);
    } else seg = JSON.parse(`"${m[3]}"`) as string;
    if (typeof seg === "string" && RESERVED_KEYS.has(seg)) {
      throw new ScenarioError(SET_SOURCE, path, `${PATH_EXPECTED}, got ${JSON.stringify(seg)} (a name reserved by JavaScript objects, never a scenario field)`);
    }
    out.push(seg);
    pos = re.lastIndex;
  }
  if (out.length === 0) throw new ScenarioError(SET_SOURCE, path, PATH_EXPECTED);
  return out;
}

/** Split "a.b=c" into its path and YAML-scalar value. */
export function parseSet(arg: string): { path: PathSegment[]; text: string; value: unknown } {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new ScenarioError(SET_SOURCE, arg, "expected path=value, e.g. --set nodePools[0].count=500");
  const text = arg.slice(0, eq).trim();
  if (text === "") throw new ScenarioError(SET_SOURCE, JSON.stringify(arg), "expected path=value with a field path before \"=\", e.g. nodePools[0].count=500");
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === "" ? "" : parseYamlDocument(SET_SOURCE, raw);
  } catch (e) {
    const why = e instanceof ScenarioError ? ` (${e.expected.replace(/^YAML (syntax )?error: /, "")})` : "";
    throw new ScenarioError(SET_SOURCE, text, `expected a YAML value${why}, got ${JSON.stringify(raw)}`);
  }
  return { path: parseSetPath(text), text, value };
}

/**
 * Overrides in a canonical form (`nodePools[0].count=500`, values as JSON), in order:
 * the same overrides written differently (`count=5e2`, `count= 500`) read the same.
 */
export function canonicalOverrides(sets: readonly string[]): string[] {
  return sets.map((arg) => {
    const { path, value } = parseSet(arg);
    return `${formatPath(path)}=${JSON.stringify(value)}`;
  });
}

/**
 * Apply the overrides in order to a parsed document (mutated and returned). Missing
 * mappings on the way are created where the scenario format has them; a list index
 * must already exist or be the next one (append).
 */
export function applyOverrides(doc: unknown, sets: readonly string[]): unknown {
  let root = doc;
  for (const arg of sets) {
    const { path, text, value } = parseSet(arg);
    if (root === null || typeof root !== "object") root = {};
    const mismatch = checkSchemaPath(scenarioSchema, root, path);
    if (mismatch) throw namesNothing(text, path, mismatch);
    let node = root as Record<PathSegment, unknown>;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (typeof seg === "number") {
        if (!Array.isArray(node)) throw new ScenarioError(SET_SOURCE, text, `expected ${prefix(path, i)} to be a list, got ${kind(node)}`);
        if (seg > node.length) {
          throw new ScenarioError(SET_SOURCE, text, `expected an index up to ${node.length} in ${prefix(path, i)}, got ${seg}`);
        }
      } else if (Array.isArray(node)) {
        throw new ScenarioError(SET_SOURCE, text, `expected ${prefix(path, i)} to be a mapping, got a list`);
      }
      if (last) {
        node[seg] = value;
      } else {
        let next = Object.hasOwn(node, seg) ? node[seg] : undefined;
        if (next === undefined || next === null) {
          next = typeof path[i + 1] === "number" ? [] : {};
          node[seg] = next;
        } else if (typeof next !== "object") {
          throw new ScenarioError(SET_SOURCE, text, `expected ${prefix(path, i + 1)} to be a mapping or list, got ${JSON.stringify(next)}`);
        }
        node = next as Record<PathSegment, unknown>;
      }
    }
  }
  return root;
}

/** The one-line error for a path that names nothing: which part did not match, and what would. */
function namesNothing(text: string, path: PathSegment[], m: PathMismatch): ScenarioError {
  const seg = path[m.matched];
  const parent = prefix(path, m.matched);
  const v = m.parentValue;
  if (v !== undefined && (v === null || typeof v !== "object")) return new ScenarioError(SET_SOURCE, text, `expected ${parent} to be a mapping or list, got ${JSON.stringify(v)}`);
  if (typeof seg === "number") return new ScenarioError(SET_SOURCE, text, `expected ${parent} to be a list, got ${m.parentKind}`);
  if (m.parentKind === "a list") return new ScenarioError(SET_SOURCE, text, `expected an index [n] after ${parent} (a list), got ${JSON.stringify(seg)}`);
  if (m.known.length === 0) return new ScenarioError(SET_SOURCE, text, `expected ${parent} to be a mapping, got ${m.parentKind}`);
  return new ScenarioError(SET_SOURCE, text, `expected a field of ${parent} (${m.parentKind}: ${m.known.join(", ")}), got ${JSON.stringify(seg)}`);
}

function prefix(path: PathSegment[], n: number): string {
  if (n === 0) return "the scenario";
  return formatPath(path.slice(0, n));
}

function kind(v: unknown): string {
  return Array.isArray(v) ? "a list" : typeof v === "object" && v !== null ? "a mapping" : JSON.stringify(v);
}
