/**
 * A failure's signature: its message with what varies from input to input taken out
 * (file names, numbers, quoted values, list indices), so that one bug found through a
 * thousand inputs is one signature. Internal errors add the phase and the first kubesim
 * stack frame (file and function, no line: the same in the TypeScript sources and the
 * compiled dist/), since one message ("Cannot read properties of undefined") can come
 * from many places.
 */

/** Where a case was when it failed. */
export type Phase = "parse" | "prepare" | "run" | "finish" | "output" | "explain";

const MAX_SIGNATURE_CHARS = 240;

export function normalizeMessage(text: string, files: readonly string[] = []): string {
  return truncated(normalized(text, files));
}

function normalized(text: string, files: readonly string[]): string {
  let s = text.split("\n")[0];
  for (const f of [...files].sort((a, b) => b.length - a.length)) if (f !== "") s = s.split(f).join("<file>");
  return s
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/^(Unresolved alias \(.*?\)): .*$/, "$1: …")
    // What a TypeError found says nothing of where: "number 0" and "object" are not iterable alike.
    .replace(/\b(?:number -?[\d.e+-]+|boolean (?:true|false)|object|undefined|null) is not iterable/, "… is not iterable")
    // V8's optimized code says this of a for-of over a non-iterable (no [Symbol.iterator] to call).
    .replace(/^undefined is not a function$/, "… is not iterable")
    .replace(/Cannot read properties of (?:null|undefined)/, "Cannot read properties of null/undefined")
    .replace(/^node \S+ over-committed by pod \S+: requested \S+/, "node … over-committed by pod …: requested …")
    .replace(/\[\d+\]/g, "[*]")
    .replace(/(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?(?![\w])/gi, "N")
    .replace(/\/(?:tmp|var)\/[^\s:,)]+/g, "<tmp>");
}

function truncated(s: string): string {
  return s.length > MAX_SIGNATURE_CHARS ? `${s.slice(0, MAX_SIGNATURE_CHARS)}…` : s;
}

/**
 * The shape of a rejection line that is not well-formed: which file, then the message
 * from its first word on ("expected ...", "unknown field", "not valid YAML ..."),
 * parenthesized details dropped. The field before it may hold anything the input held,
 * so it is left out.
 */
export function messageShape(line: string, files: readonly string[]): string {
  let n = normalized(line, files);
  for (let prev = ""; prev !== n; ) [prev, n] = [n, n.replace(/\([^()]*\)/g, "…")];
  const head = n.startsWith("<file>") ? "<file>" : n.slice(0, Math.max(0, n.indexOf(":")));
  const m = /: (?=(?:expected|unknown|not|cannot|no|rejected|YAML|invalid)\b)/.exec(n);
  return truncated(m && m.index > head.length ? `${head}: …${n.slice(m.index)}` : n);
}

/** `nodePools[*].count` from ["nodePools", 3, "count"]: where in an input something happened. */
export function normalizeLocus(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? "[*]" : out === "" ? seg : `.${seg}`;
  return out === "" ? "(root)" : out;
}

/** The first stack frame inside kubesim's sources: `file:function`. */
export function kubesimFrame(error: Error): string {
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    if (line.includes("node_modules")) continue;
    const m = /at (?:(.*?) \()?(?:file:\/\/)?[^()]*?\/src\/(?:[^()]*\/)?([\w.-]+?)\.(?:ts|js):\d+:\d+\)?$/.exec(line.trim());
    if (m) return `${m[2]}:${m[1] ?? "<anonymous>"}`;
  }
  return "no kubesim frame";
}

export function internalSignature(phase: Phase, error: Error, files: readonly string[]): string {
  return `internal(${phase}) ${error.name}: ${normalizeMessage(error.message, files)} @ ${kubesimFrame(error)}`;
}
