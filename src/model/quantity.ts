/**
 * Kubernetes resource quantities ("100m", "0.5", "2Gi", "1e3", "129M", "1.5Ki"),
 * parsed with the grammar of k8s.io/apimachinery resource.ParseQuantity:
 *
 *   quantity ::= [sign] digits ["." digits] [suffix]      (at least one of the digit runs)
 *   suffix   ::= binarySI (Ki|Mi|Gi|Ti|Pi|Ei) | decimalSI (n|u|m|""|k|M|G|T|P|E)
 *              | decimalExponent (e|E followed by a signed integer)
 *
 * The value is kept exact (a rational of BigInts); conversions round up, away from
 * zero, as Quantity.Value() and MilliValue() do. Parsing is set-up work, never on a
 * hot path.
 */

export class QuantityError extends Error {}

export interface Quantity {
  /** The text as written. */
  readonly text: string;
  /** Exact value = num / den (den > 0). */
  readonly num: bigint;
  readonly den: bigint;
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const SHAPE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;
const EXPONENT = /^[eE]([+-]?[0-9]+)$/;

/** Parse a quantity; throws QuantityError with Kubernetes' message on bad input. */
export function parseQuantity(text: string | number): Quantity {
  const s = typeof text === "number" ? String(text) : text;
  const m = SHAPE.exec(s);
  if (s.length === 0 || !m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) {
    throw new QuantityError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got "${s}")`);
  }
  const [, sign, intPart, fracPart = "", suffix] = m;
  let num = BigInt((intPart || "0") + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (sign === "-") num = -num;

  if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else if (suffix in DECIMAL) {
    const e = DECIMAL[suffix];
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  } else {
    const em = EXPONENT.exec(suffix);
    if (!em) throw new QuantityError(`unable to parse quantity's suffix (got "${s}")`);
    const e = Number(em[1]);
    if (Math.abs(e) > 1000) throw new QuantityError(`quantity exponent out of range (got "${s}")`);
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  return { text: s, num, den };
}

function ceilDivAwayFromZero(num: bigint, den: bigint): bigint {
  const q = num / den;
  if (q * den === num) return q;
  return num > 0n ? q + 1n : q - 1n;
}

/** The value rounded up to an integer (Quantity.Value()): bytes, counts. */
export function quantityValue(q: Quantity): number {
  return Number(ceilDivAwayFromZero(q.num, q.den));
}

/** The value in thousandths, rounded up (Quantity.MilliValue()): millicores. */
export function quantityMilli(q: Quantity): number {
  return Number(ceilDivAwayFromZero(q.num * 1000n, q.den));
}

/** Millicores of a cpu quantity ("100m" -> 100, "2" -> 2000). */
export function cpuMilli(text: string | number): number {
  return quantityMilli(parseQuantity(text));
}

/** Bytes of a memory/storage quantity ("2Gi" -> 2147483648). */
export function bytes(text: string | number): number {
  return quantityValue(parseQuantity(text));
}

/** Is this text a valid quantity? */
export function isQuantity(text: string | number): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch {
    return false;
  }
}
