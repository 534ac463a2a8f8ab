/**
 * A long fuzz campaign (the properties of test/fuzz/check.ts on generated inputs):
 *
 *   npm run fuzz -- --runs 100000 --seed 7
 *   npm run fuzz -- --seed 7 --replay-case 4711          # one case of that campaign again
 *   npm run fuzz -- --replay results/fuzz/seed-7/03-NEW-.../minimal/case.json
 *
 * Options: --families scenario,set,manifests,explain,plugins (default all), --out DIR (default
 * results/fuzz), --wall-ms N (per-case limit), --shrink-ms N (time to shrink each
 * signature; 0 = no shrinking), --shrink-known (shrink the known ones too).
 * Every distinct failure signature gets a folder under <out>/seed-<seed>/ with its first
 * and its shrunk input, what happened, and the command that reproduces it. The exit
 * status is 1 when a signature is not in test/fuzz/knownFailures.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { caseAt, casesArb, FAMILIES, runCampaign, shrink, writeFailures, type Family } from "../test/fuzz/campaign.js";
import type { FuzzCase } from "../test/fuzz/cases.js";
import { checkCase, type Verdict } from "../test/fuzz/check.js";
import { DEFAULT_LIMITS } from "../test/fuzz/limits.js";
import { CaseFolder } from "../test/fuzz/targets.js";

/** Weights of the families in a mixed campaign: scenarios are the largest input space. */
const WEIGHTS: Record<Family, number> = { scenario: 4, set: 2, manifests: 3, explain: 2, plugins: 1 };

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intOption(name: string, fallback: number): number {
  const v = option(name);
  if (v === undefined) return fallback;
  if (!/^[0-9]+$/.test(v)) {
    process.stderr.write(`--${name}: expected a non-negative integer, got ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return Number(v);
}

function show(verdict: Verdict): string {
  return [`outcome: ${verdict.outcome} in ${Math.round(verdict.wallMs)} ms (phase ${verdict.phase})`, ...(verdict.line ? [`line: ${verdict.line}`] : []), ...verdict.failures.map((f) => `FAILURE ${f.signature}\n${f.detail}`)].join("\n");
}

async function replay(input: FuzzCase): Promise<void> {
  const folder = new CaseFolder();
  try {
    const verdict = await checkCase(input, folder, limits);
    process.stdout.write(`${input.about}\n${show(verdict)}\n`);
    process.exitCode = verdict.failures.length > 0 ? 1 : 0;
  } finally {
    folder.dispose();
  }
}

const limits = { ...DEFAULT_LIMITS, wallMs: intOption("wall-ms", DEFAULT_LIMITS.wallMs) };
const families = (option("families") ?? FAMILIES.join(",")).split(",") as Family[];
for (const f of families) {
  if (!FAMILIES.includes(f)) {
    process.stderr.write(`--families: expected some of ${FAMILIES.join(", ")}, got ${JSON.stringify(f)}\n`);
    process.exit(2);
  }
}
const arb = casesArb(families.map((family) => ({ family, weight: WEIGHTS[family] })));
const seed = intOption("seed", 1);

const replayFile = option("replay");
const replayCase = option("replay-case");
if (replayFile !== undefined) {
  await replay((JSON.parse(readFileSync(replayFile, "utf8")) as { input: FuzzCase }).input);
} else if (replayCase !== undefined) {
  await replay(caseAt(arb, seed, intOption("replay-case", 0)));
} else {
  const runs = intOption("runs", 10_000);
  const shrinkMs = intOption("shrink-ms", 20_000);
  const out = join(option("out") ?? join("results", "fuzz"), `seed-${seed}`);
  process.stdout.write(`fuzz: ${runs} cases, seed ${seed}, families ${families.join(",")}, ${limits.wallMs} ms per case\n`);
  const seen = new Set<string>();
  const t0 = performance.now();
  const result = await runCampaign({
    arb,
    runs,
    seed,
    limits,
    onCase: (i, _input, verdict) => {
      for (const f of verdict.failures) seen.add(f.signature);
      if ((i + 1) % 1000 === 0) process.stdout.write(`  ${i + 1} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s, ${seen.size} signatures so far\n`);
    },
  });
  const records = [...result.signatures.values()];
  for (const r of records) {
    if (shrinkMs > 0 && (!r.known || process.argv.includes("--shrink-known"))) r.minimal = await shrink(arb, seed, r, limits, shrinkMs);
  }
  const dirs = writeFailures(out, records);
  const o = result.outcomes;
  for (const r of records) {
    process.stdout.write(`${r.known ? "known" : "NEW  "} ${String(r.count).padStart(6)}x  ${r.signature}\n        first: case ${r.firstIndex}: ${r.first.input.about.slice(0, 200)}\n${r.minimal ? `        minimal: ${r.minimal.input.about.slice(0, 200)}\n` : ""}`);
  }
  if (dirs.length > 0) process.stdout.write(`inputs and outcomes: ${out}/\n`);
  const fresh = records.filter((r) => !r.known).length;
  process.stdout.write(
    `fuzz: ${result.cases} cases (seed ${seed}) in ${(result.wallMs / 1000).toFixed(1)} s (${Math.round(result.cases / (result.wallMs / 1000))}/s, slowest case that did not hang ${Math.round(result.slowestMs)} ms): ` +
      `${o.accepted} accepted, ${o.truncated} accepted and cut short, ${o.rejected} rejected, ${o["plugin-error"]} plugin errors (exit 3), ${o.failed} failed; ${records.length} signatures (${fresh} new)\n`,
  );
  process.exitCode = fresh > 0 ? 1 : 0;
}
