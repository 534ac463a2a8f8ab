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
 * - an alias inside the node it names (`e: &e {self: *e}`): Kubernetes objects and JSON
 *   have no cycles, and a cyclic value would break every later step;
 * - a tag the parser does not know (`!custom x`) or a bad directive, which the library
 *   would only print as a Node warning, and the YAML 1.1 tags that make values JSON has
 *   no type for (`!!binary`, `!!set`, `!!omap`, `!!pairs`, `!!timestamp`);
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
  const err = doc.errors[0] ?? doc.warnings[0];
  if (err) {
    const pos = err.linePos?.[0];
    const what = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ScenarioError(pos ? `${file}:${pos.line}:${pos.col}` : file, "", `YAML ${doc.errors[0] ? "syntax error" : "error"}: ${what}`);
  }
  const firstAlias = checkTree(file, doc, lines);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_EXPANSIONS });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (/alias count/i.test(message)) {
      throw new ScenarioError(at(file, lines, firstAlias), "", `YAML error: aliases (*name) expand more than ${MAX_YAML_ALIAS_EXPANSIONS} times (an alias bomb?); write the repeated parts out or nest fewer aliases`);
    }
    throw new ScenarioError(file, "", `YAML error: ${message.split("\n")[0]}`);
  }
}

/** Tags whose values are JSON values (YAML 1.2's core schema): every other tag is refused. */
const JSON_TAGS = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"]);

/**
 * Aliases must follow their anchor and not sit inside it; keys must be scalars and unique
 * within their map. Returns the offset of the first alias (where an alias bomb starts).
 */
function checkTree(file: string, doc: Document, lines: LineCounter): number | undefined {
  const anchors = new Set<string>();
  let firstAlias: number | undefined;
  const tagged = (node: { tag?: string | null; range?: [number, number, number] | null }) => {
    if (node.tag && !JSON_TAGS.has(node.tag)) {
      const shown = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      throw new ScenarioError(at(file, lines, node.range?.[0]), "", `YAML error: ${shown} values are not JSON values (Kubernetes objects and scenarios hold strings, numbers, booleans, lists and mappings)`);
    }
  };
  visit(doc, {
    Scalar(_, scalar) {
      tagged(scalar);
    },
    Seq(_, seq) {
      tagged(seq);
      if (seq.anchor) anchors.add(seq.anchor);
    },
    Map(_, map) {
      tagged(map);
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
    Alias(_, alias, path) {
      if (!anchors.has(alias.source)) {
        throw new ScenarioError(at(file, lines, alias.range?.[0]), "", `YAML error: alias *${alias.source} has no anchor &${alias.source} before it`);
      }
      if (path.some((p) => isNode(p) && p.anchor === alias.source)) {
        throw new ScenarioError(at(file, lines, alias.range?.[0]), "", `YAML error: alias *${alias.source} is inside the node &${alias.source} it names (a cycle; Kubernetes objects have none)`);
      }
      firstAlias ??= alias.range?.[0];
    },
    Pair(_, pair) {
      const key = pair.key;
      if (isCollection(key) || isAlias(key)) {
        const offset = isNode(key) ? key.range?.[0] : undefined;
        throw new ScenarioError(at(file, lines, offset), "", `YAML error: expected a plain key (a name), got ${isAlias(key) ? "an alias" : isSeq(key) ? "a list" : "a mapping"} as a key`);
      }
    },
  });
  return firstAlias;
}
