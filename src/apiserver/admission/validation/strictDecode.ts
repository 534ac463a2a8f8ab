/**
 * The API server's strict decoding (kubectl --validate=strict, the default since 1.27:
 * server-side field validation): every field must be one the Go type declares
 * (apiTypes.generated.ts, from k8s.io/api v0.35), with a JSON value the Go decoder can
 * store in it. Checked before validation, so the validators can trust the shapes.
 *
 * Messages, as upstream prints them after `<Kind> in version "v1" cannot be handled as a <Kind>:`
 *
 *   unknown field:   strict decoding error: unknown field "spec.containers[0].imag"
 *   wrong JSON type: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container
 *   bad quantity:    quantities must match the regular expression '...' (resource.ParseQuantity)
 *
 * and kubesim puts the path of the offending field in front. null is accepted anywhere,
 * and the object is left as the Go decoder leaves it: a null field is absent (a nil
 * pointer, slice or map), a null list element or map value is its type's zero value
 * (`containers: [null]` is a container without a name, `labels: {a: null}` an empty
 * value), so the validators and the components never meet a null. Numbers that do not fit the Go integer type
 * (1.5 or 3000000000 into an int32) are the decoder's "number 1.5" errors.
 *
 * `kubectl get -o yaml` output loads unchanged: status, managedFields, uid,
 * resourceVersion and creationTimestamp are fields of the types like any other.
 *
 * The type expressions are compiled once into descriptors: `kubesim explain` decodes
 * every pod of a cluster export (about 10 µs per pod).
 */
import { FORMAT_WRONG, parseQuantity, QuantityError } from "../../../model/quantity.js";
import { API_NAMED, API_STRUCTS } from "./apiTypes.generated.js";
import { decodeError, invalid, type FieldError, upstreamPath } from "./fieldError.js";

const enum Kind {
  Any,
  String,
  Bool,
  Float,
  Int,
  Quantity,
  IntOrString,
  List,
  Map,
  Struct,
}

interface Desc {
  kind: Kind;
  /** Go's reflect name, for the decoder's message ("[]v1.Container", "v1.TaintEffect"). */
  goName: string;
  /** Lists and maps: the element; named types: nothing (they are compiled to their underlying kind). */
  elem?: Desc;
  /** Structs: fields by JSON name; the struct's Go name for messages. */
  fields?: Map<string, Desc>;
  structName?: string;
  /** Ints: the range of the Go type. */
  lo?: number;
  hi?: number;
  /** A string kind (for the "quote numbers" hint). */
  stringLike?: boolean;
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [-9223372036854775808, 9223372036854775807],
  int: [-9223372036854775808, 9223372036854775807],
};

/** Go's reflect name of a type expression: "[]v1.Container", "map[string]string", "resource.Quantity". */
function goName(t: string): string {
  if (t.startsWith("[]")) return `[]${goName(t.slice(2))}`;
  if (t.startsWith("map[string]")) return `map[string]${goName(t.slice(11))}`;
  if (t === "quantity") return "resource.Quantity";
  if (t === "intOrString") return "intstr.IntOrString";
  const dot = t.indexOf(".");
  return dot < 0 ? t : `v1${t.slice(dot)}`;
}

const compiled = new Map<string, Desc>();

function compile(t: string): Desc {
  const known = compiled.get(t);
  if (known) return known;
  const d: Desc = { kind: Kind.Any, goName: goName(t) };
  compiled.set(t, d); // before recursing: types refer to themselves (JSONSchemaProps-like cycles)
  let u = t;
  while (API_NAMED[u] !== undefined) u = API_NAMED[u];
  if (u === "string") {
    d.kind = Kind.String;
    d.stringLike = true;
  } else if (u === "bool") d.kind = Kind.Bool;
  else if (u === "float32" || u === "float64") d.kind = Kind.Float;
  else if (u in INT_RANGE) {
    d.kind = Kind.Int;
    [d.lo, d.hi] = INT_RANGE[u];
  } else if (u === "quantity") d.kind = Kind.Quantity;
  else if (u === "intOrString") d.kind = Kind.IntOrString;
  else if (u === "any") d.kind = Kind.Any;
  else if (u.startsWith("[]")) {
    d.kind = Kind.List;
    d.elem = compile(u.slice(2));
  } else if (u.startsWith("map[string]")) {
    d.kind = Kind.Map;
    d.elem = compile(u.slice(11));
  } else {
    const fields = API_STRUCTS[u];
    if (fields === undefined) throw new Error(`strictDecode: unknown API type ${u}`);
    d.kind = Kind.Struct;
    d.structName = u.slice(u.indexOf(".") + 1);
    d.fields = new Map();
    for (const [k, ft] of Object.entries(fields)) d.fields.set(k, compile(ft));
  }
  return d;
}

interface Walk {
  /** The path so far (pushed and popped). */
  path: (string | number)[];
  /** Per path entry: is it a map key (printed [key] upstream)? */
  isKey: boolean[];
  /** The Go struct holding the current field, for the decoder's message. */
  struct: string;
  /** JSON names from the root without indices (encoding/json's Field). */
  fieldNames: string[];
  /** Approximate JSON size seen so far (see validateObject's size limit). */
  sizeBytes: number;
}

/** encoding/json's name of a JSON value in "cannot unmarshal <value>". */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "number";
  return typeof v;
}

function mismatch(w: Walk, value: unknown, d: Desc, numberText?: string, goType = d.goName): FieldError {
  const what = numberText !== undefined ? `number ${numberText}` : jsonKind(value);
  const where = w.fieldNames.length > 0 ? `Go struct field ${w.struct}.${w.fieldNames.join(".")}` : "Go value";
  const hint = d.stringLike && (typeof value === "number" || typeof value === "boolean") ? " (quote numbers and booleans in YAML)" : "";
  return decodeError([...w.path], `json: cannot unmarshal ${what} into ${where} of type ${goType}${hint}`);
}

function keySet(w: Walk): Set<number> {
  const s = new Set<number>();
  w.isKey.forEach((k, i) => k && s.add(i));
  return s;
}

/** The zero value of a type, as encoding/json stores for a JSON null in a list or map. */
function zero(d: Desc): unknown {
  switch (d.kind) {
    case Kind.String:
      return "";
    case Kind.Bool:
      return false;
    case Kind.Float:
    case Kind.Int:
    case Kind.IntOrString:
      return 0;
    case Kind.Quantity:
      return "0";
    case Kind.List:
      return [];
    case Kind.Map:
    case Kind.Struct:
      return {};
    case Kind.Any:
      return null;
  }
}

/** Walk `value` as `d`; the first error, or undefined. */
function decode(value: unknown, d: Desc, w: Walk): FieldError | undefined {
  if (value === null || value === undefined) return undefined;
  switch (d.kind) {
    case Kind.Any:
      w.sizeBytes += 2; // not walked: managedFields' fieldsV1, RawExtension
      return undefined;
    case Kind.String:
      if (typeof value !== "string") return mismatch(w, value, d);
      w.sizeBytes += value.length + 2;
      return undefined;
    case Kind.Bool:
      w.sizeBytes += 5;
      return typeof value === "boolean" ? undefined : mismatch(w, value, d);
    case Kind.Float:
      w.sizeBytes += 8;
      return typeof value === "number" ? undefined : mismatch(w, value, d);
    case Kind.Int:
      if (typeof value !== "number") return mismatch(w, value, d);
      w.sizeBytes += 8;
      return Number.isInteger(value) && value >= d.lo! && value <= d.hi! ? undefined : mismatch(w, value, d, String(value));
    case Kind.Quantity:
      if (typeof value !== "string" && typeof value !== "number") return invalid([...w.path], value, FORMAT_WRONG);
      w.sizeBytes += String(value).length + 2;
      try {
        parseQuantity(value);
      } catch (e) {
        if (!(e instanceof QuantityError)) throw e;
        return invalid([...w.path], value, e.message.replace(/ \(got .*\)$/, ""));
      }
      return undefined;
    case Kind.IntOrString:
      w.sizeBytes += 8;
      if (typeof value === "string") return undefined;
      if (typeof value === "number") return Number.isInteger(value) && value >= INT_RANGE.int32[0] && value <= INT_RANGE.int32[1] ? undefined : mismatch(w, value, d, String(value), "int32");
      return mismatch(w, value, d);
    case Kind.List: {
      if (!Array.isArray(value)) return mismatch(w, value, d);
      w.sizeBytes += 2 + value.length;
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) value[i] = zero(d.elem!);
        w.path.push(i);
        w.isKey.push(false);
        const e = decode(value[i], d.elem!, w);
        if (e) return e;
        w.path.pop();
        w.isKey.pop();
      }
      return undefined;
    }
    case Kind.Map: {
      if (typeof value !== "object" || Array.isArray(value)) return mismatch(w, value, d);
      w.sizeBytes += 2;
      const rec = value as Record<string, unknown>;
      for (const k in rec) {
        w.sizeBytes += k.length + 4;
        w.path.push(k);
        w.isKey.push(true);
        if (rec[k] === null) rec[k] = zero(d.elem!);
        const e = decode(rec[k], d.elem!, w);
        if (e) return e;
        w.path.pop();
        w.isKey.pop();
      }
      return undefined;
    }
    case Kind.Struct: {
      if (typeof value !== "object" || Array.isArray(value)) return mismatch(w, value, d);
      const outer = w.struct;
      w.struct = d.structName!;
      w.sizeBytes += 2;
      const rec = value as Record<string, unknown>;
      for (const k in rec) {
        w.sizeBytes += k.length + 4;
        w.path.push(k);
        w.isKey.push(false);
        const ft = d.fields!.get(k);
        if (ft === undefined) return decodeError([...w.path], `strict decoding error: unknown field "${upstreamPath(w.path, keySet(w))}"`);
        if (rec[k] === null) {
          delete rec[k]; // a nil field
          w.path.pop();
          w.isKey.pop();
          continue;
        }
        w.fieldNames.push(k);
        const e = decode(rec[k], ft, w);
        if (e) return e;
        w.fieldNames.pop();
        w.path.pop();
        w.isKey.pop();
      }
      w.struct = outer;
      return undefined;
    }
  }
}

export interface DecodeResult {
  error?: FieldError;
  /**
   * The object's size as JSON, roughly (keys and strings without escapes, numbers as 8
   * bytes): what the size limit compares against (validateObject.ts).
   */
  sizeBytes: number;
}

/** Strict-decode `obj` as the API type `typeName` ("core.Pod", "apps.Deployment", ...). */
export function strictDecode(obj: unknown, typeName: string): DecodeResult {
  const w: Walk = { path: [], isKey: [], struct: "", fieldNames: [], sizeBytes: 0 };
  const error = decode(obj, compile(typeName), w);
  return { error, sizeBytes: w.sizeBytes };
}
