/**
 * Whether a --set path names something the scenario format has: walks the zod schema
 * beside the document, so `--set controlPlane.etcd.preVot=false` is refused (and
 * `--set workloads[1].rate=4` on a Deployment is refused by the API server's strict
 * decoding: a Deployment has no `rate`) while `--set controlPlane.etcd.preVote=false` may create the mappings on its
 * way in a scenario without a controlPlane section. A union follows the branch the
 * document's value is (its kind or type); a mapping of free keys (labels, allocatable)
 * takes any key.
 */
import type { z } from "zod";
import type { PathSegment } from "./errors.js";

type Schema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  options?: Schema[];
  discriminator?: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  valueType?: Schema;
  values?: unknown[];
}

const def = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** What is wrong with a path, for the message; undefined when it names something. */
export interface PathMismatch {
  /** Segments that did match (the parent of the one that did not). */
  matched: number;
  /** The keys the parent has, when it is a mapping with a fixed set. */
  known: string[];
  /** "kind Deployment", "a mapping", ... */
  parentKind: string;
  /** The parent's value in the document (undefined when it is yet to be created). */
  parentValue: unknown;
}

/** The schemas a value may be under `s`: wrappers removed, unions narrowed to the value's branch. */
function branches(s: Schema, value: unknown, out: Schema[] = []): Schema[] {
  const d = def(s);
  switch (d.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return branches(d.innerType!, value, out);
    case "pipe":
      return branches(d.in!, value, out);
    case "lazy":
      return branches(d.getter!(), value, out);
    case "union": {
      const all = d.options!.flatMap((o) => branches(o, value));
      const matching = all.filter((o) => fits(o, value));
      out.push(...(matching.length > 0 ? matching : all));
      return out;
    }
    default:
      out.push(s);
      return out;
  }
}

/** Whether an object schema could be the value: its discriminating literals are the value's, and every key the value has is one it knows. */
function fits(s: Schema, value: unknown): boolean {
  const d = def(s);
  if (d.type !== "object" || value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  for (const [k, field] of Object.entries(d.shape!)) {
    const fd = def(field);
    // A required literal (kind: Deployment, type: heal) is what tells the branches apart.
    if (fd.type === "literal" && !fd.values!.includes(v[k])) return false;
  }
  const open = d.catchall !== undefined && def(d.catchall).type !== "never";
  return open || Object.keys(v).every((k) => k in d.shape!);
}

/**
 * Nothing to check below these here: a free-form mapping (a loose object that declares
 * no field: scheduler.config, a pod template), or a Kubernetes object (apiVersion and kind
 * and the rest open), whose fields the API server's strict decoding judges after the
 * override, naming an unknown field as kubectl --validate=strict does.
 */
function isOpen(s: Schema): boolean {
  const d = def(s);
  if (d.type === "object") {
    if (d.catchall === undefined || !isOpen(d.catchall)) return false;
    const keys = Object.keys(d.shape!);
    return keys.length === 0 || (keys.length === 2 && keys.includes("apiVersion") && keys.includes("kind"));
  }
  return d.type === "unknown" || d.type === "any";
}

/** "a Deployment" for messages, from the value's kind or type field. */
function describeParent(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === undefined) return "a mapping";
  if (value === null || typeof value !== "object") return "a value";
  const v = value as Record<string, unknown>;
  if (typeof v.kind === "string") return `kind ${v.kind}`;
  if (typeof v.type === "string") return `type ${v.type}`;
  if ("manifests" in v) return "a {manifests} entry";
  return "a mapping";
}

/**
 * Check `path` against `root` and the document `doc` (as it is before this override).
 * A key that exists in the document always matches (it is replaced); a new key must be
 * one the schema declares where it is created.
 */
export function checkSchemaPath(root: Schema, doc: unknown, path: readonly PathSegment[]): PathMismatch | undefined {
  let schemas: Schema[] = [root];
  let value: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const exists = value !== null && typeof value === "object" && Object.hasOwn(value as object, seg);
    const next: Schema[] = [];
    const known = new Set<string>();
    for (const s of schemas.flatMap((x) => branches(x, value))) {
      if (isOpen(s)) return undefined;
      const d = def(s);
      if (typeof seg === "number") {
        if (d.type === "array") next.push(d.element!);
        continue;
      }
      if (d.type === "record") next.push(d.valueType!);
      else if (d.type === "object") {
        for (const k of Object.keys(d.shape!)) known.add(k);
        if (Object.hasOwn(d.shape!, seg)) next.push(d.shape![seg]);
        else if (d.catchall !== undefined && def(d.catchall).type !== "never") {
          if (isOpen(d.catchall) && exists) return undefined; // a field of a loose object the document already has
          if (!isOpen(d.catchall)) next.push(d.catchall);
        }
      }
    }
    if (next.length === 0) {
      if (exists) return undefined; // replacing what the document has: validation judges it
      return { matched: i, known: [...known], parentKind: describeParent(value), parentValue: value };
    }
    schemas = next;
    value = value !== null && typeof value === "object" ? (value as Record<PathSegment, unknown>)[seg] : undefined;
  }
  return undefined;
}
