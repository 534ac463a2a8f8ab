/**
 * A compiled label requirement (key, operator, values) over interned ids: the common
 * core of LabelSelectors (pod labels) and NodeSelectorRequirements (node labels).
 */
import { parseGoInt, type ClusterStrings } from "./strings.js";

export const Op = { In: 0, NotIn: 1, Exists: 2, DoesNotExist: 3, Gt: 4, Lt: 5 } as const;
export type OpCode = (typeof Op)[keyof typeof Op];

export interface Requirement {
  key: number;
  op: OpCode;
  /** Sorted value ids (In/NotIn). */
  values: Int32Array;
  /** The integer operand of Gt/Lt. */
  num: number;
}

/** Thrown for a requirement upstream would reject; the enclosing term then matches nothing. */
export class InvalidRequirement extends Error {}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** k8s.io/apimachinery validation.IsValidLabelValue (<= 63 chars, alphanumeric ends). */
export function isValidLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

export function opCode(op: string): OpCode {
  switch (op) {
    case "In":
      return Op.In;
    case "NotIn":
      return Op.NotIn;
    case "Exists":
      return Op.Exists;
    case "DoesNotExist":
      return Op.DoesNotExist;
    case "Gt":
      return Op.Gt;
    case "Lt":
      return Op.Lt;
    default:
      throw new InvalidRequirement(`unknown operator ${JSON.stringify(op)}`);
  }
}

/** Compile one requirement; throws InvalidRequirement for what labels.NewRequirement rejects. */
export function compileRequirement(strings: ClusterStrings, key: string, op: string, values: readonly string[] | undefined): Requirement {
  const code = opCode(op);
  const vals = values ?? [];
  switch (code) {
    case Op.In:
    case Op.NotIn:
      if (vals.length === 0) throw new InvalidRequirement(`${op} requires at least one value`);
      break;
    case Op.Exists:
    case Op.DoesNotExist:
      if (vals.length !== 0) throw new InvalidRequirement(`${op} takes no values`);
      break;
    case Op.Gt:
    case Op.Lt:
      if (vals.length !== 1 || Number.isNaN(parseGoInt(vals[0]))) throw new InvalidRequirement(`${op} requires one integer value`);
      break;
  }
  for (const v of vals) if (code !== Op.Gt && code !== Op.Lt && !isValidLabelValue(v)) throw new InvalidRequirement(`invalid label value ${JSON.stringify(v)}`);
  const ids = Int32Array.from(code === Op.In || code === Op.NotIn ? vals.map((v) => strings.value(v)) : []).sort();
  return { key: strings.key(key), op: code, values: ids, num: code === Op.Gt || code === Op.Lt ? parseGoInt(vals[0]) : 0 };
}

function hasValue(values: Int32Array, v: number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === v) return true;
  return false;
}

/** Does a label with value id `v` (-1 = absent) satisfy `r`? */
export function requirementMatches(r: Requirement, v: number, valueInt: readonly number[]): boolean {
  switch (r.op) {
    case Op.In:
      return v >= 0 && hasValue(r.values, v);
    case Op.NotIn:
      return v < 0 || !hasValue(r.values, v);
    case Op.Exists:
      return v >= 0;
    case Op.DoesNotExist:
      return v < 0;
    case Op.Gt:
      return v >= 0 && valueInt[v] > r.num;
    case Op.Lt:
      return v >= 0 && valueInt[v] < r.num;
  }
  return false;
}
