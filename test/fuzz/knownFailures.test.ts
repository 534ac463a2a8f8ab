/**
 * KNOWN_FAILURES stays honest: every entry's input still fails with its signature. When
 * a fix lands, its entry's test fails with "fixed: delete this entry", so the list
 * shrinks instead of hiding the next bug with the same signature.
 */
import { afterAll, describe, expect, it } from "vitest";
import { checkCase } from "./check.js";
import { KNOWN_FAILURES } from "./knownFailures.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { CaseFolder } from "./targets.js";

describe("known fuzz failures (issue 8): each input still fails as listed", () => {
  const folder = new CaseFolder();
  afterAll(() => folder.dispose());

  it("signatures are unique", () => {
    expect(new Set(KNOWN_FAILURES.map((k) => k.signature)).size).toBe(KNOWN_FAILURES.length);
  });

  for (const k of KNOWN_FAILURES) {
    it(`[${k.area}] ${k.signature}`, async () => {
      const v = await checkCase(k.input, folder, DEFAULT_LIMITS);
      const found = v.failures.map((f) => f.signature);
      expect(found, `fixed? If this input now passes (${v.outcome}${v.line ? `: ${v.line}` : ""}), delete this entry from test/fuzz/knownFailures.ts`).toContain(k.signature);
    });
  }
});
