/**
 * Quantity parsing against k8s.io/apimachinery's own test tables
 * (pkg/api/resource/quantity_test.go: TestQuantityParse valid and invalid inputs,
 * TestQuantityParseEmit), transcribed as (input, mantissa, base-10 exponent) facts:
 * the expected value is mantissa * 10^exponent.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytes, cpuMilli, isQuantity, parseQuantity, quantityMilli, quantityValue } from "../../src/model/quantity.js";

/** value of a parsed quantity equals m * 10^e exactly. */
function equals(input: string, m: bigint, e: number): boolean {
  const q = parseQuantity(input);
  const [en, ed] = e >= 0 ? [m * 10n ** BigInt(e), 1n] : [m, 10n ** BigInt(-e)];
  return q.num * ed === en * q.den;
}

// Upstream TestQuantityParse table: input -> decQuantity(mantissa, exponent).
const VALID: [string, bigint, number][] = [
  ["0", 0n, 0],
  ["0n", 0n, 0],
  ["0u", 0n, 0],
  ["0m", 0n, 0],
  ["0Ki", 0n, 0],
  ["0k", 0n, 0],
  ["0Mi", 0n, 0],
  ["0M", 0n, 0],
  ["0Gi", 0n, 0],
  ["0G", 0n, 0],
  ["0Ti", 0n, 0],
  ["0T", 0n, 0],
  ["1", 1n, 0],
  ["1Ki", 1024n, 0],
  ["8Ki", 8n * 1024n, 0],
  ["7Mi", 7n * 1024n ** 2n, 0],
  ["6Gi", 6n * 1024n ** 3n, 0],
  ["5Ti", 5n * 1024n ** 4n, 0],
  ["4Pi", 4n * 1024n ** 5n, 0],
  ["3Ei", 3n * 1024n ** 6n, 0],
  ["10Ti", 10n * 1024n ** 4n, 0],
  ["100Ti", 100n * 1024n ** 4n, 0],
  ["5n", 5n, -9],
  ["4u", 4n, -6],
  ["3m", 3n, -3],
  ["9", 9n, 0],
  ["8k", 8n, 3],
  ["50k", 5n, 4],
  ["7M", 7n, 6],
  ["6G", 6n, 9],
  ["5T", 5n, 12],
  ["40T", 4n, 13],
  ["300T", 3n, 14],
  ["2P", 2n, 15],
  ["1E", 1n, 18],
  ["1E-3", 1n, -3],
  ["1e3", 1n, 3],
  ["1E6", 1n, 6],
  ["1e9", 1n, 9],
  ["1E12", 1n, 12],
  ["1e15", 1n, 15],
  ["1E18", 1n, 18],
  ["1e14", 1n, 14],
  ["1e13", 1n, 13],
  ["100.035k", 100035n, 0],
  ["0.001", 1n, -3],
  ["0.0005k", 5n, -1],
  ["0.005", 5n, -3],
  ["0.05", 5n, -2],
  ["0.5", 5n, -1],
  ["0.00050k", 5n, -1],
  ["0.00500", 5n, -3],
  ["0.05000", 5n, -2],
  ["0.50000", 5n, -1],
  ["0.5e0", 5n, -1],
  ["0.5e-1", 5n, -2],
  ["0.5e-2", 5n, -3],
  ["10.035M", 10035n, 3],
  ["1.2e3", 12n, 2],
  ["1.3E+6", 13n, 5],
  ["1.40e9", 14n, 8],
  ["1.53E12", 153n, 10],
  ["1.6e15", 16n, 14],
  ["1.7E18", 17n, 17],
  ["9.01", 901n, -2],
  ["8.1k", 81n, 2],
  ["7.123456M", 7123456n, 0],
  ["6.987654321G", 6987654321n, 0],
  ["5.444T", 5444n, 9],
  ["40.1T", 401n, 11],
  ["300.2T", 3002n, 11],
  ["2.5P", 25n, 14],
  ["1.01E", 101n, 16],
  // Things that round up to a whole nano unit.
  ["3.001n", 4n, -9],
  ["1.1E-9", 2n, -9],
  ["0.0000000001", 1n, -9],
  ["0.0000000005", 1n, -9],
  ["0.00000000050", 1n, -9],
  ["0.5e-9", 1n, -9],
  ["0.9n", 1n, -9],
  ["0.00000012345", 124n, -9],
  ["0.00000012354", 124n, -9],
  // Binary amounts saturate at 2^63 - 1 (maxAllowed); decimal ones do not.
  ["9Ei", (1n << 63n) - 1n, 0],
  ["9223372036854775807Ki", (1n << 63n) - 1n, 0],
  ["12E", 12n, 18],
  ["100.035Ki", 10243584n, -2],
  ["0.5Mi", 524288n, 0],
  ["0.05Gi", 536870912n, -1],
  ["0.025Ti", 274877906944n, -1],
  // "Things written by trolls" (upstream's words): accepted.
  ["0.000000000001Ki", 2n, -9],
  [".001", 1n, -3],
  [".0001k", 100n, -3],
  ["1.", 1n, 0],
  ["1.G", 1n, 9],
];

// Upstream TestQuantityParse invalid list, plus the empty string.
const INVALID = ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "1e4294967297", " 1", "1 "];

describe("parseQuantity (upstream TestQuantityParse)", () => {
  it.each(VALID)("%s = %s x 10^%s", (input, m, e) => {
    expect(equals(input, m, e)).toBe(true);
  });

  it.each(VALID)("-%s is the negation, +%s the same value", (input, m, e) => {
    expect(equals(`-${input}`, -m, e)).toBe(true);
    expect(equals(`+${input}`, m, e)).toBe(true);
  });

  it.each(INVALID)("rejects %j", (input) => {
    expect(() => parseQuantity(input)).toThrow();
    expect(isQuantity(input)).toBe(false);
  });

  it("rejects what the task's examples call invalid, as upstream's scanner does", () => {
    for (const bad of ["1.1.1", "1Gi ", "1KiB", "1 Gi", "2Gb", "1e", "1.5Kib"]) expect(isQuantity(bad)).toBe(false);
  });

  it("accepts what upstream's scanner accepts even if it looks odd: '.', '-.', and a bare suffix are zero", () => {
    // parseQuantityString returns num "0" when no digits are left (TestParseQuantityString: "." and "-.").
    for (const zero of [".", "-.", "Ki", "m", "5.", "0.", "00012"]) expect(isQuantity(zero)).toBe(true);
    expect(quantityValue(parseQuantity("Ki"))).toBe(0);
    expect(quantityValue(parseQuantity("5."))).toBe(5);
    expect(quantityValue(parseQuantity("00012"))).toBe(12);
  });

  it("names the format error with upstream's message", () => {
    expect(() => parseQuantity("1KiB")).toThrow(/quantities must match the regular expression/);
    expect(() => parseQuantity("1i")).toThrow(/unable to parse quantity's suffix/);
  });
});

describe("conversions (Value / MilliValue round up, away from zero)", () => {
  const cases: [string, number, number][] = [
    // input, MilliValue, Value
    ["100m", 100, 1],
    ["0.5", 500, 1],
    ["2", 2000, 2],
    ["1e3", 1_000_000, 1000],
    ["1.1e3", 1_100_000, 1100],
    ["129M", 129e9, 129_000_000],
    ["123Mi", 123 * 1048576 * 1000, 123 * 1048576],
    ["1.5Ki", 1536000, 1536],
    ["2Gi", 2147483648000, 2147483648],
    ["1m", 1, 1],
    ["0.1m", 1, 1],
    ["1n", 1, 1],
    ["-1n", -1, -1],
    ["-100m", -100, -1],
    ["-1.5", -1500, -2],
  ];
  it.each(cases)("%s: milli %d, value %d", (input, milli, value) => {
    const q = parseQuantity(input);
    expect(quantityMilli(q)).toBe(milli);
    expect(quantityValue(q)).toBe(value);
  });

  it("TestQuantityParseEmit amounts: .001Ki = 1.024, .000000000001Ki = 2n", () => {
    expect(equals(".001Ki", 1024n, -3)).toBe(true);
    expect(equals(".000001Ki", 1024n, -6)).toBe(true);
    expect(equals(".000000001Ki", 1024n, -9)).toBe(true);
    expect(equals(".000000000001Ki", 2n, -9)).toBe(true);
    expect(equals("1024Mi", 1n << 30n, 0)).toBe(true);
  });

  it("cpuMilli and bytes accept YAML numbers as well as strings", () => {
    expect(cpuMilli(0.25)).toBe(250);
    expect(cpuMilli(4)).toBe(4000);
    expect(bytes(1e21)).toBe(1e21);
    expect(bytes("64Mi")).toBe(67108864);
  });

  it("integers written in decimal parse to themselves (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(quantityValue(parseQuantity(String(n)))).toBe(n);
        expect(quantityMilli(parseQuantity(`${n}m`))).toBe(n);
      }),
    );
  });
});
