/**
 * Field errors as the API server reports them (k8s.io/apimachinery
 * pkg/util/validation/field/errors.go): a path inside the object, a type, the bad
 * value and a detail, printed as `<path>: <Type>: <value>: <detail>`, e.g.
 *
 *   spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: -1: must be in the range 1-100
 *
 * kubesim keeps the path as segments (so a caller can prefix the file and the object's
 * place in it) and prints the rest with errorBody(), which follows ErrorBody(): values
 * of simple types are printed bare, strings quoted, anything else as JSON.
 */

/** A path inside an object: field names and list indices (map keys are field names). */
export type Path = readonly (string | number)[];

/** field.ErrorType, by the word ErrorBody prints; "Decode" is a strict-decoding error printed as its detail alone. */
export type ErrorType =
  | "Not found"
  | "Required value"
  | "Duplicate value"
  | "Invalid value"
  | "Unsupported value"
  | "Forbidden"
  | "Too long"
  | "Too many"
  | "Decode";

/** field.omitValue: the error prints no value. */
export const OMIT_VALUE: unique symbol = Symbol("omitValue");

export interface FieldError {
  readonly type: ErrorType;
  readonly path: Path;
  readonly value: unknown;
  readonly detail: string;
}

export const invalid = (path: Path, value: unknown, detail: string): FieldError => ({ type: "Invalid value", path, value, detail });
export const required = (path: Path, detail = ""): FieldError => ({ type: "Required value", path, value: OMIT_VALUE, detail });
export const forbidden = (path: Path, detail: string): FieldError => ({ type: "Forbidden", path, value: OMIT_VALUE, detail });
export const duplicate = (path: Path, value: unknown): FieldError => ({ type: "Duplicate value", path, value, detail: "" });
export const notFound = (path: Path, value: unknown): FieldError => ({ type: "Not found", path, value, detail: "" });
export const decodeError = (path: Path, detail: string): FieldError => ({ type: "Decode", path, value: OMIT_VALUE, detail });

/** field.NotSupported: `Unsupported value: "x": supported values: "a", "b"`. */
export function notSupported(path: Path, value: unknown, validValues: readonly string[]): FieldError {
  return { type: "Unsupported value", path, value, detail: validValues.length > 0 ? `supported values: ${validValues.map((v) => JSON.stringify(v)).join(", ")}` : "" };
}

/** field.TooLong: `Too long: may not be more than 262144 bytes`. */
export function tooLong(path: Path, maxLength: number): FieldError {
  return { type: "Too long", path, value: OMIT_VALUE, detail: maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? "byte" : "bytes"}` : "value is too long" };
}

/** field.TooMany: `Too many: 5: must have at most 4 items`. */
export function tooMany(path: Path, actual: number, max: number): FieldError {
  return { type: "Too many", path, value: actual >= 0 ? actual : OMIT_VALUE, detail: max >= 0 ? `must have at most ${max} ${max === 1 ? "item" : "items"}` : "has too many items" };
}

/** How ErrorBody prints a bad value: numbers and booleans bare, strings quoted, the rest as JSON. */
function printValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** field.Error.ErrorBody(): the message without the path. */
export function errorBody(e: FieldError): string {
  if (e.type === "Decode") return e.detail;
  let s: string = e.type;
  const printsValue = e.type !== "Required value" && e.type !== "Forbidden" && e.type !== "Too long";
  if (printsValue && e.value !== OMIT_VALUE) s += `: ${printValue(e.value)}`;
  if (e.detail !== "") s += `: ${e.detail}`;
  return s;
}

/** field.Path.String(): `spec.containers[0].name`, map keys in brackets. */
export function upstreamPath(path: Path, keyAt: ReadonlySet<number> = new Set()): string {
  let out = "";
  path.forEach((seg, i) => {
    if (typeof seg === "number" || keyAt.has(i)) out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  });
  return out;
}
