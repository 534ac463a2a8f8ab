/**
 * The fuzzer in `npm test`: 2,200 generated inputs from fixed seeds (deterministic),
 * each accepted, or rejected with one line naming its file and a field; never an
 * internal error, a hang, a blow-up, a polluted prototype or a stray warning
 * (check.ts). Failures already being fixed are listed in knownFailures.ts; a signature
 * not listed there fails the test, with the seed and case index that reproduce it:
 *
 *   npm run fuzz -- --families <family> --seed <seed> --replay-case <index>
 *
 * and the inputs written under results/fuzz/test-<family>-seed-<seed>/.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { familyArb, runCampaign, shrink, writeFailures, type Family } from "./campaign.js";
import { DEFAULT_LIMITS } from "./limits.js";

/** Cases per family (2,200 in all): scenarios are the largest space; `--set` and explain cases are cheap. */
const SUITES: readonly { family: Family; runs: number; seed: number }[] = [
  { family: "scenario", runs: 600, seed: 20260801 },
  { family: "set", runs: 500, seed: 20260802 },
  { family: "manifests", runs: 400, seed: 20260803 },
  { family: "explain", runs: 500, seed: 20260804 },
  { family: "plugins", runs: 200, seed: 20260805 },
];

/** Time to shrink a new failure's input before reporting it. */
const SHRINK_MS = 10_000;

describe("fuzz: every input is accepted or rejected with one line naming the file and field", () => {
  for (const suite of SUITES) {
    it(`${suite.family}: ${suite.runs} cases from seed ${suite.seed}, no failure outside knownFailures.ts`, async () => {
      const arb = familyArb(suite.family);
      const r = await runCampaign({ arb, runs: suite.runs, seed: suite.seed, limits: DEFAULT_LIMITS });
      const fresh = [...r.signatures.values()].filter((s) => !s.known);
      const known = [...r.signatures.values()].filter((s) => s.known);
      const o = r.outcomes;
      console.log(
        `fuzz ${suite.family}: ${r.cases} cases (seed ${suite.seed}) in ${(r.wallMs / 1000).toFixed(1)} s (slowest ${Math.round(r.slowestMs)} ms): ${o.accepted} accepted, ${o.truncated} cut short, ${o.rejected} rejected, ${o["plugin-error"]} plugin errors, ` +
          `${o.failed} failed with ${known.length} known signature(s)${fresh.length > 0 ? ` and ${fresh.length} NEW` : ""}`,
      );
      if (fresh.length > 0) {
        for (const s of fresh) s.minimal = await shrink(arb, suite.seed, s, DEFAULT_LIMITS, SHRINK_MS);
        const out = join("results", "fuzz", `test-${suite.family}-seed-${suite.seed}`);
        writeFailures(out, fresh);
        const lines = fresh.map(
          (s) =>
            `${s.signature}\n  ${s.count} case(s); first: case ${s.firstIndex} (npm run fuzz -- --families ${suite.family} --seed ${suite.seed} --replay-case ${s.firstIndex})\n` +
            `  ${s.first.verdict.failures.find((f) => f.signature === s.signature)?.detail.split("\n")[0]}\n  input: ${(s.minimal ?? s.first).input.about.slice(0, 300)}`,
        );
        expect.fail(`new fuzz failure signature(s), seed ${suite.seed}; inputs in ${out}/:\n${lines.join("\n")}`);
      }
      expect(r.cases).toBe(suite.runs);
      // The harness reaches the run: some inputs get past validation.
      expect(o.accepted + o.truncated).toBeGreaterThan(0);
    });
  }
});
