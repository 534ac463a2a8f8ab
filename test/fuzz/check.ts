/**
 * The properties every input must have, checked on one case:
 *  1. it is accepted (exit 0), or rejected as bad input (exit 2) with one line that
 *     names one of its files and a field (outcome.ts), or a custom plugin's failure is
 *     reported as such (exit 3, one line naming the plugin and extension point);
 *  2. never an internal error (exit 1), whatever the phase;
 *  3. it ends within `limits.wallMs` (else it is stopped: a hang);
 *  4. its peak RSS grows by at most `limits.peakRssGrowthBytes`, and it keeps at most
 *     `limits.retainedBytes` of heap once it is over;
 *  5. it adds nothing to a built-in prototype;
 *  6. it prints nothing else on stderr (no process warnings from a library);
 *  7. an accepted explain prints what its contract says (explainOutput.ts).
 * A broken property is a Failure with a signature (signature.ts): the same bug found
 * through many inputs has one signature.
 */
import type { FuzzCase } from "./cases.js";
import { explainOutputProblem } from "./explainOutput.js";
import { filedUnder } from "./knownFailures.js";
import type { CaseLimits } from "./limits.js";
import { classify, pluginLineProblem, rejectionProblem } from "./outcome.js";
import { captureWarnings, forceGc, heapBytes, peakRssBytes, runBounded, takePollution } from "./sandbox.js";
import { internalSignature, messageShape, normalizeMessage, type Phase } from "./signature.js";
import { explainCase, playScenario, shownFiles, type CaseFolder, type Progress } from "./targets.js";

export interface Failure {
  signature: string;
  /** The full message (and stack for internal errors): what a person reads first. */
  detail: string;
}

export interface Verdict {
  /**
   * accepted (exit 0; "truncated" = accepted, the bounded run stopped at its event
   * budget), rejected (exit 2), plugin-error (exit 3: a custom plugin failed, reported
   * as such), failed (a property broke).
   */
  outcome: "accepted" | "truncated" | "rejected" | "plugin-error" | "failed";
  /** The line the CLI would print (rejections and internal errors). */
  line?: string;
  failures: Failure[];
  wallMs: number;
  phase: Phase;
}

const MIB = 1024 * 1024;

export async function checkCase(c: FuzzCase, folder: CaseFolder, limits: CaseLimits): Promise<Verdict> {
  folder.write(c.files);
  const files = shownFiles(c, folder.dir);
  const progress: Progress = { phase: c.target === "explain" ? "explain" : "parse" };
  const heapBefore = heapBytes();
  const peakBefore = peakRssBytes();
  const warnings = captureWarnings();
  const t0 = performance.now();
  let ran = runBounded<unknown>(() => (c.target === "explain" ? explainCase(c, folder.dir, progress) : playScenario(c, folder.dir, limits, progress)), limits.wallMs);
  if (ran.kind === "returned" && ran.value instanceof Promise) {
    try {
      ran = { kind: "returned", value: await ran.value };
    } catch (error) {
      ran = { kind: "threw", error };
    }
  }
  const wallMs = performance.now() - t0;
  const printed = warnings();
  const failures: Failure[] = [];

  let outcome: Verdict["outcome"];
  let line: string | undefined;
  const hung = ran.kind === "timeout" || wallMs > limits.wallMs;
  if (hung) {
    outcome = "failed";
    // Filed by field, not phase: one unbounded size may hang resolving or running, depending on how big.
    failures.push({ signature: filedUnder("hang", c.loci), detail: `stopped after ${Math.round(wallMs)} ms (limit ${limits.wallMs} ms) in ${progress.phase}; changes at ${c.loci.join(", ")}` });
  } else if (ran.kind === "threw") {
    const o = classify(ran.error);
    if (o.kind === "rejected") {
      line = o.line;
      const problem = rejectionProblem(o.line, files);
      outcome = problem ? "failed" : "rejected";
      if (problem) failures.push({ signature: `message(${problem}): ${messageShape(o.line, files)}`, detail: o.line });
    } else if (o.kind === "plugin") {
      line = o.line;
      const problem = pluginLineProblem(o.line);
      outcome = problem ? "failed" : "plugin-error";
      if (problem) failures.push({ signature: `message(${problem}): ${messageShape(o.line, files)}`, detail: o.line });
    } else {
      outcome = "failed";
      line = `kubesim: internal error: ${o.error.message.split("\n")[0]}`;
      failures.push({ signature: internalSignature(progress.phase, o.error, files), detail: o.error.stack ?? o.error.message });
    }
  } else {
    outcome = ran.kind === "returned" && ran.value === "truncated" ? "truncated" : "accepted";
    const problem = c.target === "explain" && ran.kind === "returned" ? explainOutputProblem(String(ran.value)) : null;
    if (problem) failures.push({ signature: `explain-output: ${problem}`, detail: String(ran.kind === "returned" ? ran.value : "").slice(0, 2000) });
  }

  // A stopped case has failed already; what it held when it was stopped says nothing more.
  const peakGrowth = peakRssBytes() - peakBefore;
  if (!hung && peakGrowth > limits.peakRssGrowthBytes) {
    failures.push({ signature: filedUnder(`memory(${progress.phase}) peak`, c.loci), detail: `peak RSS grew by ${Math.round(peakGrowth / MIB)} MiB (limit ${limits.peakRssGrowthBytes / MIB} MiB)` });
  }
  if (!hung && heapBytes() - heapBefore > limits.retainedBytes) {
    // Array buffers' memory is given back after the GC, off the main thread: give it a few moments.
    let kept = Infinity;
    for (let attempt = 0; attempt < 3 && kept > limits.retainedBytes; attempt++) {
      forceGc();
      await new Promise((resolve) => setTimeout(resolve, 20));
      kept = heapBytes() - heapBefore;
    }
    if (kept > limits.retainedBytes) {
      failures.push({ signature: filedUnder(`memory(${progress.phase}) retained`, c.loci), detail: `${Math.round(kept / MIB)} MiB still held after the case (limit ${limits.retainedBytes / MIB} MiB)` });
    }
  }
  for (const kind of new Set(printed.map((w) => normalizeMessage(w.kind, files)))) {
    failures.push({ signature: `stderr-warning(${c.target}): ${kind}`, detail: `printed besides the outcome: ${printed.map((w) => w.text).join(" | ")}` });
  }
  const polluted = takePollution();
  if (polluted.length > 0) {
    failures.push({ signature: `prototype-pollution of ${[...new Set(polluted.map((p) => p.replace(/\.[^.]*$/, "")))].join(", ")}`, detail: `added ${polluted.join(", ")}` });
  }
  if (failures.length > 0) outcome = "failed";
  return { outcome, line, failures, wallMs, phase: progress.phase };
}
