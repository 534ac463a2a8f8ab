/**
 * `--set path=value` overrides, applied to the parsed YAML before validation, so an
 * override is checked exactly like the file: `--set nodePools[0].count=500`,
 * `--set seed=7`, `--set workloads[1].rate=2`. Values are YAML scalars ("2" is a
 * number, "true" a boolean, "1h" a string); a flow value (`[a, b]`, `{k: v}`) works too.
 */
import { parse as parseYaml } from "yaml";
import { ScenarioError, type PathSegment } from "./errors.js";

export const SET_SOURCE = "--set";

/** ["nodePools", 0, "count"] from "nodePools[0].count"; quoted keys: a["x.y/z"]. */
export function parseSetPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const re = /\s*(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/y;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (!m || (pos === 0 && path[0] === ".")) throw new ScenarioError(SET_SOURCE, path, "expected a field path like nodePools[0].count");
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3]}"`) as string);
    pos = re.lastIndex;
  }
  if (out.length === 0) throw new ScenarioError(SET_SOURCE, path, "expected a field path like nodePools[0].count");
  return out;
}

/** Split "a.b=c" into its path and YAML-scalar value. */
export function parseSet(arg: string): { path: PathSegment[]; text: string; value: unknown } {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new ScenarioError(SET_SOURCE, arg, "expected path=value, e.g. --set nodePools[0].count=500");
  const text = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === "" ? "" : parseYaml(raw);
  } catch {
    throw new ScenarioError(SET_SOURCE, text, `expected a YAML value, got ${JSON.stringify(raw)}`);
  }
  return { path: parseSetPath(text), text, value };
}

/**
 * Apply the overrides in order to a parsed document (mutated and returned).
 * Missing mappings on the way are created; a list index must already exist or be
 * the next one (append).
 */
export function applyOverrides(doc: unknown, sets: readonly string[]): unknown {
  let root = doc;
  for (const arg of sets) {
    const { path, text, value } = parseSet(arg);
    if (root === null || typeof root !== "object") root = {};
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
        let next = node[seg];
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

function prefix(path: PathSegment[], n: number): string {
  if (n === 0) return "the scenario";
  let out = "";
  for (const seg of path.slice(0, n)) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

function kind(v: unknown): string {
  return Array.isArray(v) ? "a list" : typeof v === "object" && v !== null ? "a mapping" : JSON.stringify(v);
}
