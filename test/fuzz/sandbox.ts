/**
 * Running one case in-process under a wall-time limit, and measuring what it cost.
 *
 * The code under test is synchronous (loading, resolving and running a scenario, and
 * explain without plugins), so a timer cannot interrupt it. A `vm` script's `timeout`
 * can: V8 terminates whatever JavaScript runs during the script, including the host
 * functions it calls, and the case ends with ERR_SCRIPT_EXECUTION_TIMEOUT. A stopped
 * case may leave half-built state behind (that is why a hang is a failure of its own).
 *
 * Memory: the process's peak RSS (a monotonic counter) tells whether a case blew up
 * while it ran; heap plus array buffers after it, re-measured after a forced GC when
 * over the bound, tells what it kept.
 */
import vm from "node:vm";
import v8 from "node:v8";

export type Bounded<T> = { kind: "returned"; value: T } | { kind: "threw"; error: unknown } | { kind: "timeout" };

// Deep enough that an error thrown inside a library (yaml, zod) still shows the kubesim frame that called it.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 1000);

const context = vm.createContext({ body: undefined as undefined | (() => void) });
const script = new vm.Script("body()");

/** Run `fn` with at most `wallMs` of wall time. */
export function runBounded<T>(fn: () => T, wallMs: number): Bounded<T> {
  let out: Bounded<T> | undefined;
  context.body = () => {
    // A termination is not catchable here: it unwinds through this catch.
    try {
      out = { kind: "returned", value: fn() };
    } catch (error) {
      out = { kind: "threw", error };
    }
  };
  try {
    script.runInContext(context, { timeout: wallMs });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { kind: "timeout" };
    throw e;
  } finally {
    context.body = undefined;
  }
  return out ?? { kind: "timeout" };
}

export interface Warning {
  /** What kind of warning: the yaml library's code (TAG_RESOLVE_FAILED, ...), else the text. */
  kind: string;
  text: string;
}

/**
 * Warnings the process would print on stderr (process.emitWarning: the yaml library's,
 * Node's) from now until the returned function is called; it gives them back.
 */
export function captureWarnings(): () => Warning[] {
  const original = process.emitWarning;
  const seen: Warning[] = [];
  process.emitWarning = ((warning: string | Error) => {
    const text = typeof warning === "string" ? warning : warning.message;
    const code = typeof warning === "string" ? undefined : (warning as { code?: string }).code;
    seen.push({ kind: code ? `${(warning as Error).name} ${code}` : text, text });
  }) as typeof process.emitWarning;
  return () => {
    process.emitWarning = original;
    return seen;
  };
}

let gcFunction: (() => void) | undefined;

/** A full GC (the flag is set on first use; the function comes from a fresh context). */
export function forceGc(): void {
  if (!gcFunction) {
    v8.setFlagsFromString("--expose-gc");
    gcFunction = vm.runInNewContext("gc") as () => void;
  }
  gcFunction();
}

export function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Own properties of the built-in prototypes: an input must never add one (prototype pollution). */
const GUARDED: ReadonlyArray<[string, object]> = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
];
const baseline = new Map(GUARDED.map(([name, proto]) => [name, new Set(Reflect.ownKeys(proto))]));

/** Names of properties added to a built-in prototype since start-up; removes them so later cases run clean. */
export function takePollution(): string[] {
  const found: string[] = [];
  for (const [name, proto] of GUARDED) {
    const known = baseline.get(name)!;
    for (const key of Reflect.ownKeys(proto)) {
      if (known.has(key)) continue;
      found.push(`${name}.${String(key)}`);
      delete (proto as Record<PropertyKey, unknown>)[key];
    }
  }
  return found;
}
