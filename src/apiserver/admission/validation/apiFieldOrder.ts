/**
 * An object with its keys in Kubernetes' own order: struct fields in the Go type's
 * declaration order (apiTypes.generated.ts), map keys sorted, list items as they are —
 * the order in which upstream's ComputeHash prints a pod template (spew, SortKeys). A
 * hash of this form does not depend on the order in which a YAML file lists the fields.
 * Call it on a decoded (strictly valid) object.
 */
import { API_NAMED, API_STRUCTS } from "./apiTypes.generated.js";

export function inApiFieldOrder(value: unknown, typeName: string): unknown {
  if (value === null || typeof value !== "object") return value;
  let t = typeName;
  while (API_NAMED[t] !== undefined) t = API_NAMED[t];
  if (Array.isArray(value)) return t.startsWith("[]") ? value.map((v) => inApiFieldOrder(v, t.slice(2))) : value;
  if (t.startsWith("map[string]")) {
    const elem = t.slice(11);
    const rec = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, inApiFieldOrder(rec[k], elem)]));
  }
  const fields = API_STRUCTS[t];
  if (fields === undefined) return value; // any, RawExtension, FieldsV1: as written
  const rec = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, ft] of Object.entries(fields)) if (k in rec) out[k] = inApiFieldOrder(rec[k], ft);
  return out;
}
