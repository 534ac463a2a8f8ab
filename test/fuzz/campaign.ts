/**
 * A fuzz campaign: `runs` cases from one seed (fast-check's generator, so case k of a
 * seed is always the same input), every failure recorded under its signature; then,
 * for each signature not in KNOWN_FAILURES (or for all, on request), its first input is
 * shrunk by fast-check to a small one that fails the same way, and both are written to
 * `out/` (the input files, case.json, outcome.txt with the command that reproduces it).
 * Shared by the tests (small, fixed seeds) and bench/fuzz.ts (long campaigns).
 */
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { explainCaseArb, manifestCaseArb, pluginCaseArb, scenarioCaseArb, type FuzzCase } from "./cases.js";
import { checkCase, type Verdict } from "./check.js";
import { knownFailure } from "./knownFailures.js";
import type { CaseLimits } from "./limits.js";
import { CaseFolder } from "./targets.js";

export type Family = "scenario" | "set" | "manifests" | "explain" | "plugins";
export const FAMILIES: readonly Family[] = ["scenario", "set", "manifests", "explain", "plugins"];

/** The cases of one family (the npm test suites run one family each). */
export function familyArb(f: Family): fc.Arbitrary<FuzzCase> {
  switch (f) {
    case "scenario":
      return scenarioCaseArb({ minMutations: 1, maxMutations: 3, maxSets: 0 });
    case "set":
      return scenarioCaseArb({ minMutations: 0, maxMutations: 1, minSets: 1, maxSets: 3 });
    case "manifests":
      return manifestCaseArb({ maxMutations: 3 });
    case "explain":
      return explainCaseArb({ maxMutations: 3 });
    case "plugins":
      return pluginCaseArb({ maxMutations: 1 });
  }
}

/** Several families, in proportion to the weights given. */
export function casesArb(families: readonly { family: Family; weight: number }[]): fc.Arbitrary<FuzzCase> {
  // One family: its own arbitrary, so that a test's seed and case index replay here.
  if (families.length === 1) return familyArb(families[0].family);
  return fc.oneof(...families.map((f) => ({ weight: f.weight, arbitrary: familyArb(f.family) })));
}

export interface SignatureRecord {
  signature: string;
  known: boolean;
  count: number;
  /** Index of the first case that showed it (replay: the same seed, `--replay-case <index>`). */
  firstIndex: number;
  first: { input: FuzzCase; verdict: Verdict };
  minimal?: { input: FuzzCase; verdict: Verdict };
}

export interface CampaignResult {
  cases: number;
  outcomes: Record<Verdict["outcome"], number>;
  signatures: Map<string, SignatureRecord>;
  wallMs: number;
  /** The slowest case that did not hang: how close the others come to the wall-time limit. */
  slowestMs: number;
}

export interface CampaignOptions {
  arb: fc.Arbitrary<FuzzCase>;
  runs: number;
  seed: number;
  limits: CaseLimits;
  /** Called after each case (progress output). */
  onCase?: (index: number, input: FuzzCase, verdict: Verdict) => void;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const folder = new CaseFolder();
  const outcomes = { accepted: 0, truncated: 0, rejected: 0, "plugin-error": 0, failed: 0 };
  const signatures = new Map<string, SignatureRecord>();
  let index = 0;
  let slowestMs = 0;
  const t0 = performance.now();
  try {
    await fc.check(
      fc.asyncProperty(o.arb, async (input) => {
        const verdict = await checkCase(input, folder, o.limits);
        outcomes[verdict.outcome]++;
        if (!verdict.failures.some((f) => f.signature.startsWith("hang"))) slowestMs = Math.max(slowestMs, verdict.wallMs);
        for (const f of verdict.failures) {
          const r = signatures.get(f.signature);
          if (r) r.count++;
          else signatures.set(f.signature, { signature: f.signature, known: knownFailure(f.signature) !== undefined, count: 1, firstIndex: index, first: { input, verdict } });
        }
        o.onCase?.(index, input, verdict);
        index++;
        return true;
      }),
      { seed: o.seed, numRuns: o.runs },
    );
  } finally {
    folder.dispose();
  }
  return { cases: index, outcomes, signatures, wallMs: performance.now() - t0, slowestMs };
}

/** The case `index` of a seed, exactly as the campaign generated it. */
export function caseAt(arb: fc.Arbitrary<FuzzCase>, seed: number, index: number): FuzzCase {
  let found: FuzzCase | undefined;
  let i = 0;
  fc.check(
    fc.property(arb, (c) => {
      if (i++ === index) found = c;
      return i <= index;
    }),
    { seed, numRuns: index + 1, endOnFailure: true },
  );
  return found!;
}

/**
 * A smaller input with the same signature: fast-check replays the seed up to the first
 * case that showed it and shrinks from there (for at most `timeLimitMs`).
 */
export async function shrink(arb: fc.Arbitrary<FuzzCase>, seed: number, record: SignatureRecord, limits: CaseLimits, timeLimitMs: number): Promise<{ input: FuzzCase; verdict: Verdict }> {
  const folder = new CaseFolder();
  let last = record.first;
  try {
    await fc.check(
      fc.asyncProperty(arb, async (input) => {
        const verdict = await checkCase(input, folder, limits);
        if (!verdict.failures.some((f) => f.signature === record.signature)) return true;
        last = { input, verdict };
        return false;
      }),
      { seed, path: String(record.firstIndex), numRuns: record.firstIndex + 1, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
    );
  } finally {
    folder.dispose();
  }
  return last;
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/** The CLI command that replays an input written by writeInput (from the repository root). */
function command(input: FuzzCase, dir: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  if (input.target === "explain") {
    return [
      "node dist/src/cli/main.js explain",
      ...input.cluster.map((f) => `--cluster ${join(dir, f)}`),
      `--pod ${join(dir, input.pod)}`,
      ...(input.config ? [`--config ${join(dir, input.config)}`] : []),
      ...input.plugins.map((p) => `--plugin ${p}`),
    ].join(" ");
  }
  return [`node dist/src/cli/main.js run ${join(dir, "scenario.yaml")}`, ...input.set.map((s) => `--set ${q(s)}`), `--out ${join(dir, "run")}`].join(" ");
}

/** An input's files in `dir` (a scenario as scenario.yaml, with the manifests it reads), plus case.json. */
export function writeInput(dir: string, input: FuzzCase, verdict: Verdict, signature: string): void {
  mkdirSync(dir, { recursive: true });
  if (input.target === "scenario") {
    writeFileSync(join(dir, "scenario.yaml"), input.text);
    if (input.files.length === 0 && input.baseDir && input.baseDir !== ".") {
      // Manifests the scenario names relative to its own folder.
      for (const f of readdirSync(input.baseDir)) if (/\.(ya?ml|json)$/.test(f) && f !== "scenario.yaml") cpSync(join(input.baseDir, f), join(dir, f));
    }
  }
  for (const f of input.files) writeFileSync(join(dir, f.name), f.text);
  writeFileSync(join(dir, "case.json"), `${JSON.stringify({ signature, input, verdict }, null, 2)}\n`);
  writeFileSync(
    join(dir, "outcome.txt"),
    [`signature: ${signature}`, `input: ${input.about}`, `outcome: ${verdict.outcome} after ${Math.round(verdict.wallMs)} ms (phase ${verdict.phase})`, ...verdict.failures.map((f) => `failure: ${f.signature}\n${f.detail}`), `reproduce: ${command(input, dir)}`, `replay in-process: npm run fuzz -- --replay ${join(dir, "case.json")}`, ""].join("\n"),
  );
}

/** Write every signature's first (and minimal) input under `out/`. */
export function writeFailures(out: string, signatures: Iterable<SignatureRecord>): string[] {
  const dirs: string[] = [];
  let n = 0;
  for (const r of signatures) {
    const base = join(out, `${String(++n).padStart(2, "0")}-${r.known ? "known" : "NEW"}-${slug(r.signature)}`);
    writeInput(join(base, "first"), r.first.input, r.first.verdict, r.signature);
    if (r.minimal) writeInput(join(base, "minimal"), r.minimal.input, r.minimal.verdict, r.signature);
    dirs.push(base);
  }
  return dirs;
}
