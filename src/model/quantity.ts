/**
 * Kubernetes resource quantities ("100m", "0.5", "2Gi", "1e3", "129M", "1.5Ki"),
 * parsed with the grammar of k8s.io/apimachinery resource.ParseQuantity:
 *
 *   quantity ::= [sign] [digits] ["." [digits]] [suffix]   (upstream's scanner: "." and "Ki" are 0)
 *   suffix   ::= binarySI (Ki|Mi|Gi|Ti|Pi|Ei) | decimalSI (n|u|m|""|k|M|G|T|P|E)
 *              | decimalExponent (e|E followed by a signed integer)
 *
 * The value is kept exact (a rational of BigInts) after upstream's parse-time rounding
 * up to a whole number of nano units and the 2^63-1 cap on binary amounts;
 * conversions round up, away from zero, as Quantity.Value() and MilliValue() do.
 * formatQuantity() prints the canonical form, as Quantity.String() does in the API
 * server's messages ("1500m", "2Gi", "-1"). Parsing is set-up work, never on a hot path.
 *
 * What upstream's scanner accepts and kubesim therefore accepts too: "Gi", ".Gi", "."
 * and "-" are zero (quantity_test.go TestParseQuantityString has {".", "0"} and
 * {"-.", "0"}; with no digits the numerator is "0" and a suffix alone is allowed).
 */

export class QuantityError extends Error {}

/** quantity.go Format: how the value was written, and so how String() prints it. */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** The text as written. */
  readonly text: string;
  /** Exact value = num / den (den > 0). */
  readonly num: bigint;
  readonly den: bigint;
  readonly format: QuantityFormat;
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

const SUFFIX_CHARS = "eEinumkKMGTP";
const DIGIT = /[0-9]/;

/** quantity.go ErrFormatWrong: the message users see from kubectl for a malformed quantity. */
export const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** quantity.go ErrSuffix. */
export const SUFFIX_WRONG = "unable to parse quantity's suffix";

/** Exponents beyond int32 are rejected upstream (quantity.go interpret). */
const MAX_INT32 = 2147483647;
/**
 * kubesim's own bound: |exponent| above this would need astronomically large exact
 * integers. Upstream accepts up to int32; no real resource amount comes near either.
 */
const MAX_EXPONENT = 1000;

/** Largest BinarySI amount (quantity.go maxAllowed = 2^63 - 1): larger binary values saturate. */
const MAX_ALLOWED = (1n << 63n) - 1n;
const NANO = 1_000_000_000n;

/**
 * The scanner of quantity.go parseQuantityString, step by step: sign, leading zeros,
 * integer digits, optional "." and fraction digits, then a suffix made of the
 * characters eEinumkKMGTP, an optional sign and digits. Anything left over is a
 * format error. Note what upstream accepts: "1.", ".5", "." (zero), and a bare
 * suffix such as "Ki" (zero).
 */
function scan(s: string): { negative: boolean; num: string; denom: string; suffix: string } {
  const end = s.length;
  let pos = 0;
  let negative = false;
  if (s[0] === "-") {
    negative = true;
    pos++;
  } else if (s[0] === "+") pos++;
  while (pos < end && s[pos] === "0") pos++;
  const numStart = pos;
  while (pos < end && DIGIT.test(s[pos])) pos++;
  const num = s.slice(numStart, pos) || "0";
  let denom = "";
  if (pos < end && s[pos] === ".") {
    pos++;
    const denomStart = pos;
    while (pos < end && DIGIT.test(s[pos])) pos++;
    denom = s.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(s[pos])) pos++;
  if (pos < end && (s[pos] === "-" || s[pos] === "+")) pos++;
  while (pos < end && DIGIT.test(s[pos])) pos++;
  if (pos < end) throw new QuantityError(`${FORMAT_WRONG} (got ${JSON.stringify(s)})`);
  return { negative, num, denom, suffix: s.slice(suffixStart) };
}

/** Base-10 exponent or binary shift of a suffix (quantity.go quantitySuffixer.interpret), or null. */
function interpret(suffix: string): { binary: bigint } | { exp10: number; exponentForm: boolean } | null {
  if (suffix in DECIMAL) return { exp10: DECIMAL[suffix], exponentForm: false };
  if (suffix in BINARY) return { binary: BINARY[suffix] };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E") && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > MAX_INT32) return null;
    return { exp10: e, exponentForm: true };
  }
  return null;
}

/** Parsed quantities by text: a cluster export repeats a few dozen texts ("100m", "1Gi") thousands of times. */
const parsedCache = new Map<string, Quantity>();
/** [kubesim choice] Texts remembered before the cache starts over (bounds its memory). */
const PARSED_CACHE_SIZE = 4096;

/** Parse a quantity as k8s.io/apimachinery resource.ParseQuantity does; throws QuantityError with its messages. */
export function parseQuantity(text: string | number): Quantity {
  const s = typeof text === "number" ? String(text) : text;
  const known = parsedCache.get(s);
  if (known !== undefined) return known;
  const q = parseQuantityText(s);
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.clear();
  parsedCache.set(s, q);
  return q;
}

function parseQuantityText(s: string): Quantity {
  if (s.length === 0) throw new QuantityError(`${FORMAT_WRONG} (got "")`);
  const { negative, num, denom, suffix } = scan(s);
  const unit = interpret(suffix);
  if (unit === null) throw new QuantityError(`${SUFFIX_WRONG} (got ${JSON.stringify(s)})`);
  let n = BigInt(num + denom);
  let d = 10n ** BigInt(denom.length);
  const binary = "binary" in unit;
  const written: QuantityFormat = binary ? "BinarySI" : unit.exponentForm ? "DecimalExponent" : "DecimalSI";
  if (binary) {
    n *= unit.binary;
  } else {
    const e = unit.exp10;
    if (Math.abs(e) > MAX_EXPONENT) {
      if (e > 0 || n === 0n) {
        if (n === 0n) return { text: s, num: 0n, den: 1n, format: written };
        throw new QuantityError(`quantity exponent out of kubesim's range (|e| <= ${MAX_EXPONENT}) (got ${JSON.stringify(s)})`);
      }
      // Rounds up to the smallest representable amount, 1n (below).
      d = NANO * 10n;
      n = 1n;
    } else if (e >= 0) n *= 10n ** BigInt(e);
    else d *= 10n ** BigInt(-e);
  }
  // Non-zero values round up (away from zero) to a whole number of nano units.
  if (n !== 0n && (n * NANO) % d !== 0n) {
    n = (n * NANO) / d + 1n;
    d = NANO;
  }
  if (binary && n > MAX_ALLOWED * d) {
    n = MAX_ALLOWED;
    d = 1n;
  }
  // A binary amount strictly between 0 and 1 is shown as DecimalSI ("This avoids rounding").
  const format = binary && n !== 0n && n < d ? "DecimalSI" : written;
  return { text: s, num: negative ? -n : n, den: d, format };
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

/** Remove every factor `f` of a non-zero integer: (rest, count). */
function removeFactors(v: bigint, f: bigint): [bigint, number] {
  let count = 0;
  while (v !== 0n && v % f === 0n) {
    v /= f;
    count++;
  }
  return [v, count];
}

const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL).map(([suffix, e]) => [e, suffix]));
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/**
 * Quantity.String(): the canonical form (CanonicalizeBytes). Decimal amounts are an
 * integer mantissa with the largest exponent that is a multiple of 3 ("1500m", "2",
 * "1500", "2k" for 2000 written with a suffix), binary amounts of at least 1Ki an integer
 * times the largest power of 1024 ("1536Mi", "2Gi"); smaller or fractional binary amounts
 * print as decimal. Exponent-written amounts keep the exponent form ("1e3").
 */
export function formatQuantity(q: Quantity): string {
  if (q.num === 0n) return "0";
  let format = q.format;
  const integer = q.num % q.den === 0n;
  if (format === "BinarySI") {
    const abs = q.num < 0n ? -q.num : q.num;
    if (abs < 1024n * q.den || !integer) format = "DecimalSI";
  }
  if (format === "BinarySI") {
    const [mantissa, k] = removeFactors(q.num / q.den, 1024n);
    if (k < BINARY_SUFFIXES.length) return `${mantissa}${BINARY_SUFFIXES[k]}`;
    return `${mantissa * 1024n ** BigInt(k - BINARY_SUFFIXES.length + 1)}${BINARY_SUFFIXES[BINARY_SUFFIXES.length - 1]}`;
  }
  // value = num / den with den a power of 10 times what parse left: bring it to m * 10^e.
  let m = q.num;
  let e = 0;
  let den = q.den;
  while (den % 10n === 0n) {
    den /= 10n;
    e--;
  }
  if (den !== 1n) {
    // Not a decimal fraction (cannot happen after nano rounding): show nano units.
    m = (q.num * NANO) / q.den;
    e = -9;
  }
  const [rest, tens] = removeFactors(m, 10n);
  m = rest;
  e += tens;
  while (((e % 3) + 3) % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (format === "DecimalExponent") return e === 0 ? `${m}` : `${m}e${e}`;
  const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(e);
  // Beyond E (1e18) upstream has no suffix; kubesim prints the exponent form rather than a wrong number.
  return suffix === undefined ? `${m}e${e}` : `${m}${suffix}`;
}
