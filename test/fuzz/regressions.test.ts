/**
 * The failures the fuzzer found before issue 8's fixes (FIXED_FAILURES), each a minimal
 * input: every one is now accepted, or rejected with one line naming the file and field
 * (exit 2), or a custom plugin's own failure (exit 3), and never an internal error, a
 * hang, a warning from a library or a polluted prototype.
 */
import { afterAll, describe, expect, it } from "vitest";
import { checkCase } from "./check.js";
import { FIXED_FAILURES } from "./knownFailures.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { CaseFolder } from "./targets.js";

describe("fuzz regressions: the failures found before the fixes stay fixed", () => {
  const folder = new CaseFolder();
  afterAll(() => folder.dispose());

  for (const k of FIXED_FAILURES) {
    it(`[${k.area}] was: ${k.signature}`, async () => {
      const v = await checkCase(k.input, folder, DEFAULT_LIMITS);
      expect(v.failures.map((f) => `${f.signature}: ${f.detail.split("\n")[0]}`)).toEqual([]);
    });
  }
});
