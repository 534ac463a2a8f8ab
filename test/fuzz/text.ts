/**
 * From a mutated document to the text a user's file would hold: YAML (shared and
 * cyclic references become anchors and aliases) or JSON, then, sometimes, a change to
 * the text itself: a repeated or dropped line (duplicate keys, broken indentation),
 * a truncated file, YAML syntax pasted in (tabs, stray anchors and aliases, tags,
 * merge keys, directives).
 */
import fc from "fast-check";
import { stringify } from "yaml";

export type TextMutation =
  | { op: "repeatLine"; at: number }
  | { op: "dropLine"; at: number }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; text: string };

const SNIPPETS = ["\t", "&x ", "*x", "*nowhere ", "!!binary ", "!!js/function ", "!custom ", "<<: *x\n", "{", "]", "---\n", "%YAML 1.1\n", "? ", ": ", "- ", "'", '"', "\\", "#", "\u00a0", "\ufeff", "\r"];

export const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant("repeatLine" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("dropLine" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
);

/** YAML text of a document; NaN and infinities as .nan/.inf, references as aliases. */
export function renderYaml(doc: unknown): string {
  // A deleted root is an empty file.
  return doc === undefined ? "" : stringify(doc, { aliasDuplicateObjects: true, lineWidth: 0 });
}

/** Nodes a document has once its shared references are expanded (Infinity for a cycle). */
function expandedSize(v: unknown, memo = new Map<object, number>(), onPath = new Set<object>()): number {
  if (v === null || typeof v !== "object") return 1;
  if (onPath.has(v)) return Infinity;
  const known = memo.get(v);
  if (known !== undefined) return known;
  onPath.add(v);
  let n = 1;
  for (const x of Array.isArray(v) ? v : Object.values(v)) n += expandedSize(x, memo, onPath);
  onPath.delete(v);
  memo.set(v, n);
  return n;
}

/** Past this many nodes JSON (which has no aliases) would spell out an alias bomb: such a document stays YAML. */
const MAX_JSON_NODES = 10_000;

/** JSON text of a document; YAML (which the JSON readers here also read) when it is cyclic or an expanded bomb. */
export function renderJson(doc: unknown): string {
  if (doc === undefined) return "";
  return expandedSize(doc) > MAX_JSON_NODES ? renderYaml(doc) : `${JSON.stringify(doc, null, 2)}\n`;
}

export function applyTextMutation(text: string, m: TextMutation): string {
  const lines = text.split("\n");
  const line = m.at % Math.max(1, lines.length);
  switch (m.op) {
    case "repeatLine":
      lines.splice(line, 0, lines[line]);
      return lines.join("\n");
    case "dropLine":
      lines.splice(line, 1);
      return lines.join("\n");
    case "truncate":
      return text.slice(0, m.at % Math.max(1, text.length));
    case "insert": {
      const pos = m.at % (text.length + 1);
      return text.slice(0, pos) + m.text + text.slice(pos);
    }
  }
}
