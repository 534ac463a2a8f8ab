/**
 * Quantity.String() (CanonicalizeBytes) as the API server prints quantities in its
 * messages, derived by hand from quantity.go's rules: decimal amounts are an integer
 * mantissa with the largest exponent that is a multiple of 3 and its SI suffix; binary
 * amounts of at least 1024 that are whole use the largest power of 1024; anything else
 * prints as decimal; exponent-written amounts keep the exponent form.
 */
import { describe, expect, it } from "vitest";
import { formatQuantity, parseQuantity } from "../../src/model/quantity.js";

const f = (s: string | number) => formatQuantity(parseQuantity(s));

describe("formatQuantity (Quantity.String)", () => {
  it.each([
    ["1500m", "1500m"], // 1500 * 10^-3: no factor of 10 to move
    ["2000m", "2"],
    ["1.5", "1500m"],
    ["0.1", "100m"],
    [".5", "500m"],
    ["100M", "100M"],
    ["1E", "1E"],
    ["5n", "5n"],
    ["-500m", "-500m"],
    ["-1", "-1"],
    ["1.5e3", "1500"], // exponent form: 15 * 10^2 -> 1500 * 10^0, printed without an exponent
    ["1e3", "1e3"],
    ["12e6", "12e6"],
    ["2Gi", "2Gi"],
    ["2048Mi", "2Gi"],
    ["1536Mi", "1536Mi"],
    ["1.5Ki", "1536"], // whole but not a multiple of 1024: no binary suffix
    ["0.5Gi", "512Mi"],
    ["512", "512"],
    [3e9, "3G"],
  ])("%s prints as %s", (input, out) => {
    expect(f(input)).toBe(out);
  });

  it("zero is 0 however it is written, 'Gi', '.Gi' and '.' included (upstream's scanner reads them as zero)", () => {
    for (const z of ["0", "0Gi", "0m", "Gi", ".Gi", ".", "-"]) expect(f(z)).toBe("0");
  });

  it("the format follows the suffix: a binary amount below 1 is decimal", () => {
    expect(parseQuantity("1Gi").format).toBe("BinarySI");
    expect(parseQuantity("1e3").format).toBe("DecimalExponent");
    expect(parseQuantity("1k").format).toBe("DecimalSI");
    expect(parseQuantity("0.0001Ki").format).toBe("DecimalSI");
  });
});
