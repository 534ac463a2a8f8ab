/**
 * YAML (and JSON, which is YAML) text to plain values, for every file kubesim reads.
 * Whatever the parser would otherwise throw from deep inside, or print as a Node
 * warning, is a one-line ScenarioError naming the file, and the line and column where
 * the parser knows them:
 * - syntax errors and duplicate keys (`s.yaml:12:5: YAML syntax error: ...`); duplicate
 *   keys are found in one pass with a Set per map (the library's own uniqueKeys check
 *   compares each key with every earlier one: a pod with 100,000 labels took ~100 s);
 * - an alias to an anchor that is not defined before it (`name: *nope`);
 * - a key that is a list or mapping (`? [a, b] : c`): JavaScript objects have string keys;
 * - aliases that expand to too much (an "alias bomb": each level multiplies the last).
 */
import { isAlias, isCollection, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Document } from "yaml";
import { ScenarioError } from "./errors.js";

/**
 * Most alias expansions one document may make (the yaml library's maxAliasCount: uses
 * of an alias times the aliases inside its anchor). [kubesim choice] Real manifests use
 * a handful of anchors; the library's default is 100; 1,000 leaves room for scenarios
 * that share a template a few hundred times and still stops a bomb at once.
 */
export const MAX_YAML_ALIAS_EXPANSIONS = 1000;

/** One document of a file as a plain value (undefined for an empty document). */
export interface YamlValue {
  value: unknown;
  /** 0-based index of the document in the file. */
  index: number;
}

/** Parse one document (a scenario file). */
export function parseYamlDocument(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines, logLevel: "error" });
  return toValue(file, doc, lines);
}

/** Parse every document of a multi-document file (manifests). */
export function parseYamlDocuments(file: string, text: string): YamlValue[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines, logLevel: "error" });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((d, index) => ({ value: toValue(file, d, lines), index }));
}

function at(file: string, lines: LineCounter, offset: number | undefined): string {
  if (offset === undefined) return file;
  const pos = lines.linePos(offset);
  return `${file}:${pos.line}:${pos.col}`;
}

function toValue(file: string, doc: Document.Parsed | Document, lines: LineCounter): unknown {
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const what = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ScenarioError(pos ? `${file}:${pos.line}:${pos.col}` : file, "", `YAML syntax error: ${what}`);
  }
  checkTree(file, doc, lines);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_EXPANSIONS });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (/alias count/i.test(message)) {
      throw new ScenarioError(file, "", `YAML error: aliases (*name) expand more than ${MAX_YAML_ALIAS_EXPANSIONS} times (an alias bomb?); write the repeated parts out or nest fewer aliases`);
    }
    throw new ScenarioError(file, "", `YAML error: ${message.split("\n")[0]}`);
  }
}

/** Aliases must follow their anchor; keys must be scalars and unique within their map. */
function checkTree(file: string, doc: Document, lines: LineCounter): void {
  const anchors = new Set<string>();
  visit(doc, {
    Map(_, map) {
      // The visitor for maps replaces the Node visitor for them: note their anchor here too.
      if (map.anchor) anchors.add(map.anchor);
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
          throw new ScenarioError(at(file, lines, offset), "", "YAML syntax error: Map keys must be unique");
        }
        seen.add(key);
      }
    },
    Node(_, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Alias(_, alias) {
      if (!anchors.has(alias.source)) {
        throw new ScenarioError(at(file, lines, alias.range?.[0]), "", `YAML error: alias *${alias.source} has no anchor &${alias.source} before it`);
      }
    },
    Pair(_, pair) {
      const key = pair.key;
      if (isCollection(key) || isAlias(key)) {
        const offset = isNode(key) ? key.range?.[0] : undefined;
        throw new ScenarioError(at(file, lines, offset), "", `YAML error: expected a plain key (a name), got ${isAlias(key) ? "an alias" : isSeq(key) ? "a list" : "a mapping"} as a key`);
      }
    },
  });
}
