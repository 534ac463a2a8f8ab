/**
 * The command line as a user runs it: dist/src/cli/main.js in a child process. The
 * tests that use it build it first when a source file is newer (`npm test` builds before
 * vitest; a vitest run alone may not have).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const MAIN = join(process.cwd(), "dist/src/cli/main.js");

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/ when it is missing or older than src/ (for a beforeAll with a long timeout). */
export function ensureBuiltCli(): void {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource("src")) {
    // Type errors elsewhere do not stop tsc from emitting.
    spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { encoding: "utf8" });
  }
}

/**
 * Run `kubesim <args>` in `cwd`; KUBESIM_DEBUG is cleared so errors are the user's one
 * line. `env` adds variables (JOB_COMPLETION_INDEX, ...); `timeoutMs` kills a run that
 * hangs, so the test fails instead of stalling.
 */
export function kubesim(args: string[], cwd = process.cwd(), o: { env?: Record<string, string>; timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", timeout: o.timeoutMs, env: { ...process.env, KUBESIM_DEBUG: "", ...o.env } });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
