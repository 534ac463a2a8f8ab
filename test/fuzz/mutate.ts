/**
 * Mutations of a parsed document (a scenario, a manifest, a KubeSchedulerConfiguration):
 * a mutation picks a node of the document by index (`at`, taken modulo the number of
 * nodes, so every plan applies to every document and shrinks towards the root) and
 * changes it the ways bad input comes: a value of another type, a huge or negative
 * number, an odd string or quantity, a deleted or unknown or prototype-named field,
 * a duplicated list entry, a YAML alias (a shared or cyclic reference, rendered as
 * `&a1`/`*a1`), an alias bomb.
 *
 * Documents are plain data; mutations build new containers on the way to the node, so
 * the seed documents are never changed. New keys are defined as own properties, so a
 * key named `__proto__` is a key, as the YAML parser makes it.
 */
import fc from "fast-check";
import { stringify } from "yaml";

export type PathSegment = string | number;
type Container = Record<string, unknown> | unknown[];

/** Numbers at the edges: zero and signs, int32/int53/float64 limits, NaN and infinities (YAML .nan, .inf). */
export const NUMBERS: readonly number[] = [
  0, -0, 1, -1, 2, 0.5, -0.5, 1e-9, 5e-324, 1e9, -1e9, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e18, 1e300, -1e300,
  Number.MAX_VALUE, NaN, Infinity, -Infinity,
];

/** Strings that look like numbers, quantities, durations, names, YAML syntax, or are empty or huge. */
export const STRINGS: readonly string[] = [
  "", " ", "0", "1", "-1", "1e9", "1e300", "-1e300", "1e999", "NaN", "nan", ".nan", "Infinity", "-Infinity", ".inf", "null", "~", "true", "yes",
  "Gi", ".Gi", "1E", "1e18", "1e19", "1Ei", "8Ei", "16Ei", "1e-9", "0.000000001", "9223372036854775807", "99999999999999999999999", "500m", "-500m",
  "1.5.5", "1 Gi", " 1Gi", "+1", "1_000", "0x10", "0o7", "1h", "-1s", "1ns", "0.5us", "999999999999h", "1e308s", "1h-1m", "µs",
  "__proto__", "constructor", "prototype", "toString", "default", "kube-system", "Deployment", "Pod", "List", "v1", "apps/v1",
  "x".repeat(64), "A_B", "a/b", "a.b", "ü", "\u0000", "\t", "line\nbreak", "'", '"', "*", "&", "!", "%", "@", "`", "{", "[", "- x", "a: b", "#",
  "x".repeat(100_000),
];

/** Field names a user would not write: prototype keys, kind-like names, empty, huge. */
export const KEYS: readonly string[] = [
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "unknownField", "kind", "apiVersion",
  "metadata", "spec", "status", "items", "manifests", "", " ", "a.b", "x".repeat(300),
];

function nested(depth: number, leaf: unknown, asList: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asList ? [v] : { a: v };
  return v;
}

/** Containers: empty, of odd content, deeply nested. */
const CONTAINERS: readonly unknown[] = [[], {}, [null], [1, 2, 3], { a: 1 }, [[]], nested(200, 1, true), nested(200, 1, false)];

export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTAINERS) },
);

export const keyArb: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

export type Mutation =
  | { op: "replace"; at: number; value: unknown }
  | { op: "retype"; at: number; to: "string" | "number" | "bool" | "null" | "list" | "mapping" }
  | { op: "scale"; at: number; factor: number }
  | { op: "delete"; at: number }
  | { op: "addKey"; at: number; key: string; value: unknown }
  | { op: "renameKey"; at: number; key: string }
  | { op: "duplicate"; at: number; shared: boolean }
  | { op: "alias"; at: number; from: number }
  | { op: "aliasBomb"; at: number; fanOut: number; depth: number };

const at = fc.nat();
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("replace" as const), at, value: valueArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("retype" as const), at, to: fc.constantFrom("string" as const, "number" as const, "bool" as const, "null" as const, "list" as const, "mapping" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("scale" as const), at, factor: fc.constantFrom(-1, 0, 1e3, 1e6, 1e9, 1e300, 0.001) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), at }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("addKey" as const), at, key: keyArb, value: valueArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("renameKey" as const), at, key: keyArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("duplicate" as const), at, shared: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("alias" as const), at, from: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("aliasBomb" as const), at, fanOut: fc.integer({ min: 2, max: 10 }), depth: fc.integer({ min: 2, max: 7 }) }) },
);

/** A value as one line of JSON, or of YAML flow style when it is cyclic (with an anchor and alias). */
export function inlineText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return stringify(v, { aliasDuplicateObjects: true, collectionStyle: "flow", lineWidth: 0 }).trimEnd();
  }
}

export function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === "object";
}

/** An own, enumerable property (so `__proto__` is a key, not the prototype). */
export function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Paths of every node, root first, depth-first; shared and cyclic references are visited once. */
export function nodePaths(root: unknown, limit = 20_000): PathSegment[][] {
  const out: PathSegment[][] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: PathSegment[]) => {
    if (out.length >= limit) return;
    out.push(path);
    if (!isContainer(v) || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else for (const k of Object.keys(v)) walk(v[k], [...path, k]);
  };
  walk(root, []);
  return out;
}

export function getAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (!isContainer(v)) return undefined;
    v = Object.prototype.hasOwnProperty.call(v, seg) ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return v;
}

/** A shallow copy of a container, own keys kept as own keys. */
function copy(c: Container): Container {
  if (Array.isArray(c)) return [...c];
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(c)) put(o, k, c[k]);
  return o;
}

/**
 * The root with the node at `path` changed by `change` (which gets the node and its
 * parent's copy and key): containers on the way are copied, the rest is shared.
 */
function update(root: unknown, path: readonly PathSegment[], change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(root);
  if (!isContainer(root)) return root;
  const c = copy(root);
  const [seg, ...rest] = path;
  const old = (c as Record<PropertyKey, unknown>)[seg];
  const now = update(old, rest, change);
  if (Array.isArray(c)) c[seg as number] = now;
  else put(c, String(seg), now);
  return c;
}

/** The same container without the entry `key`, or with it renamed (key order kept). */
function withoutOrRenamed(c: Container, key: PathSegment, rename?: string): Container {
  if (Array.isArray(c)) {
    const l = [...c];
    l.splice(key as number, 1);
    return l;
  }
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(c)) {
    if (k !== key) put(o, k, c[k]);
    else if (rename !== undefined) put(o, rename, c[k]);
  }
  return o;
}

function retyped(v: unknown, to: Extract<Mutation, { op: "retype" }>["to"]): unknown {
  switch (to) {
    case "string":
      return typeof v === "string" ? `${v}x` : isContainer(v) ? inlineText(v) : String(v);
    case "number":
      return typeof v === "number" ? -v : typeof v === "string" ? parseFloat(v) : v ? 1 : 0;
    case "bool":
      return typeof v === "boolean" ? !v : Boolean(v);
    case "null":
      return null;
    case "list":
      return [v];
    case "mapping":
      return Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : { value: v };
  }
}

/** A number scaled; a string's leading number scaled with its suffix kept ("500m" * 1e9 = "500000000000m"). */
function scaled(v: unknown, factor: number): unknown {
  if (typeof v === "number") return v * factor;
  if (typeof v !== "string") return v;
  const m = /^(-?[0-9.]+)(.*)$/.exec(v);
  return m ? `${Number(m[1]) * factor}${m[2]}` : v;
}

/** fanOut^depth leaves from depth shared lists: a handful of anchors, a huge document once expanded. */
function aliasBomb(fanOut: number, depth: number): unknown {
  let v: unknown = "x";
  for (let i = 0; i < depth; i++) v = Array.from({ length: fanOut }, () => v);
  return v;
}

/** Apply one mutation; returns the new root and where it applied (the locus, for reports). */
export function applyMutation(root: unknown, m: Mutation): { root: unknown; locus: PathSegment[] } {
  const paths = nodePaths(root);
  let path = paths[m.at % paths.length];
  switch (m.op) {
    case "replace":
      return { root: update(root, path, () => structuredClone(m.value)), locus: path };
    case "retype":
      return { root: update(root, path, (v) => retyped(v, m.to)), locus: path };
    case "scale":
      return { root: update(root, path, (v) => scaled(v, m.factor)), locus: path };
    case "delete": {
      if (path.length === 0) return { root: undefined, locus: path };
      const key = path[path.length - 1];
      return { root: update(root, path.slice(0, -1), (p) => (isContainer(p) ? withoutOrRenamed(p, key) : p)), locus: path };
    }
    case "renameKey": {
      // The nearest field that is a mapping's key.
      while (path.length > 0 && typeof path[path.length - 1] === "number") path = path.slice(0, -1);
      if (path.length === 0) return { root, locus: path };
      const key = path[path.length - 1];
      return { root: update(root, path.slice(0, -1), (p) => (isContainer(p) ? withoutOrRenamed(p, key, m.key) : p)), locus: [...path.slice(0, -1), m.key] };
    }
    case "addKey": {
      // The node itself if it is a mapping, else the mapping that holds it.
      while (path.length > 0 && !(isContainer(getAt(root, path)) && !Array.isArray(getAt(root, path)))) path = path.slice(0, -1);
      const target = getAt(root, path);
      if (!isContainer(target) || Array.isArray(target)) return { root, locus: path };
      return {
        root: update(root, path, (p) => {
          const o = copy(p as Container) as Record<string, unknown>;
          put(o, m.key, structuredClone(m.value));
          return o;
        }),
        locus: [...path, m.key],
      };
    }
    case "duplicate": {
      // The nearest list entry on the way to the node.
      let i = path.length - 1;
      while (i >= 0 && typeof path[i] !== "number") i--;
      if (i < 0) return { root, locus: path };
      const listPath = path.slice(0, i);
      const idx = path[i] as number;
      return {
        root: update(root, listPath, (l) => {
          if (!Array.isArray(l)) return l;
          const out = [...l];
          out.splice(idx + 1, 0, m.shared ? l[idx] : structuredClone(l[idx]));
          return out;
        }),
        locus: path.slice(0, i + 1),
      };
    }
    case "alias": {
      // Another node of the document, by reference: a YAML alias; a cycle when it is an ancestor.
      const from = paths[m.from % paths.length];
      const isAncestor = from.length < path.length && from.every((seg, i) => path[i] === seg);
      if (!isAncestor) {
        const shared = getAt(root, from);
        return { root: update(root, path, () => shared), locus: path };
      }
      // The containers on the way were copied: point the node at the new ancestor.
      const next = update(root, path, () => null);
      const parent = getAt(next, path.slice(0, -1)) as Container;
      const last = path[path.length - 1];
      if (Array.isArray(parent)) parent[last as number] = getAt(next, from);
      else put(parent, String(last), getAt(next, from));
      return { root: next, locus: path };
    }
    case "aliasBomb":
      return { root: update(root, path, () => aliasBomb(m.fanOut, m.depth)), locus: path };
  }
}

export function describeMutation(m: Mutation, locus: readonly PathSegment[]): string {
  const where = locus.length === 0 ? "(root)" : locus.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");
  const show = (v: unknown) => {
    const s = typeof v === "number" ? String(v) : inlineText(v);
    return s.length > 40 ? `${s.slice(0, 40)}…(${s.length} chars)` : s;
  };
  switch (m.op) {
    case "replace":
      return `${where} := ${show(m.value)}`;
    case "retype":
      return `${where} as ${m.to}`;
    case "scale":
      return `${where} *= ${m.factor}`;
    case "delete":
      return `delete ${where}`;
    case "addKey":
      return `add ${where} = ${show(m.value)}`;
    case "renameKey":
      return `rename to ${where}`;
    case "duplicate":
      return `duplicate ${where}${m.shared ? " (alias)" : ""}`;
    case "alias":
      return `${where} := alias`;
    case "aliasBomb":
      return `${where} := alias bomb ${m.fanOut}^${m.depth}`;
  }
}
