#!/usr/bin/env node
/**
 * Generates apiTypes.generated.ts: the field names and Go types of the Kubernetes objects
 * kubesim reads, from the Go sources of k8s.io/api and k8s.io/apimachinery (the structs
 * whose `json` tags the API server's strict decoder checks). Facts, not code: only the
 * field names and types are carried over.
 *
 *   node src/apiserver/admission/validation/generateApiTypes.mjs <k8s.io/api git dir> <k8s.io/apimachinery git dir> <tag>
 *
 * e.g. with clones of github.com/kubernetes/api and github.com/kubernetes/apimachinery and
 * tag v0.35.7 (Kubernetes 1.35.7).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [apiDir, machineryDir, tag] = process.argv.slice(2);
if (!apiDir || !machineryDir || !tag) {
  console.error("usage: generateApiTypes.mjs <k8s.io/api git dir> <k8s.io/apimachinery git dir> <tag>");
  process.exit(2);
}
const show = (dir, path) => execFileSync("git", ["--git-dir", dir.endsWith(".git") || dir.endsWith("repo") ? dir : join(dir, ".git"), "show", `${tag}:${path}`], { encoding: "utf8", maxBuffer: 1 << 26 });

/** Go package -> our key prefix; the Go package name printed in messages is "v1" for all of them. */
const SOURCES = [
  { pkg: "core", dir: apiDir, files: ["core/v1/types.go"] },
  { pkg: "apps", dir: apiDir, files: ["apps/v1/types.go"] },
  { pkg: "policy", dir: apiDir, files: ["policy/v1/types.go"] },
  { pkg: "scheduling", dir: apiDir, files: ["scheduling/v1/types.go"] },
  { pkg: "batch", dir: apiDir, files: ["batch/v1/types.go"] },
  { pkg: "meta", dir: machineryDir, files: ["pkg/apis/meta/v1/types.go"] },
];
/** Import aliases used in those files -> our prefix, or a special leaf type. */
const QUALIFIED = {
  "metav1.": "meta.",
  "v1.": "core.", // apps, policy and scheduling import core/v1 as v1
  "corev1.": "core.",
  "apiv1.": "core.", // scheduling/v1
};
const SPECIAL = {
  "resource.Quantity": "quantity",
  "intstr.IntOrString": "intOrString",
  "types.UID": "string",
  "runtime.RawExtension": "any",
  "meta.Time": "string",
  "meta.MicroTime": "string",
  "meta.Duration": "string",
  "meta.FieldsV1": "any",
};

const structs = new Map(); // "core.Pod" -> [[jsonName, typeExpr] | ["...inline", typeExpr]]
const named = new Map(); // "core.ResourceList" -> typeExpr

function qualify(pkg, t) {
  t = t.trim();
  if (t.startsWith("*")) return qualify(pkg, t.slice(1));
  if (t === "[]byte") return "string"; // base64 in JSON
  if (t.startsWith("[]")) return `[]${qualify(pkg, t.slice(2))}`;
  const m = /^map\[([^\]]+)\](.+)$/.exec(t);
  if (m) return `map[string]${qualify(pkg, m[2])}`;
  if (/^(string|bool|int|int32|int64|uint|uint32|uint64|float32|float64)$/.test(t)) return t;
  for (const [prefix, to] of Object.entries(QUALIFIED)) if (t.startsWith(prefix)) return SPECIAL[to + t.slice(prefix.length)] ?? to + t.slice(prefix.length);
  if (t in SPECIAL) return SPECIAL[t];
  if (t.includes(".")) throw new Error(`unknown qualified type ${t}`);
  const key = `${pkg}.${t}`;
  return SPECIAL[key] ?? key;
}

for (const { pkg, dir, files } of SOURCES) {
  for (const file of files) {
    const lines = show(dir, file).split("\n");
    for (let i = 0; i < lines.length; i++) {
      const start = /^type (\w+) struct \{\s*$/.exec(lines[i]);
      if (start) {
        const fields = [];
        let depth = 1;
        for (i++; i < lines.length && depth > 0; i++) {
          const line = lines[i].replace(/\/\/.*$/, "").trimEnd();
          if (/^\s*\}\s*$/.test(line)) {
            depth--;
            continue;
          }
          if (line.includes("struct {")) throw new Error(`anonymous struct in ${pkg}.${start[1]}: ${line}`);
          const f = /^\s+(?:(\w+)\s+)?([^`\s][^`]*?)\s*`([^`]*)`/.exec(line);
          if (!f) continue;
          const tagJson = /json:"([^"]*)"/.exec(f[3]);
          const jsonName = tagJson ? tagJson[1].split(",")[0] : f[1];
          if (jsonName === "-") continue;
          // encoding/json promotes the fields of an embedded struct without a name in its tag.
          const inline = (tagJson && tagJson[1].split(",").includes("inline")) || (f[1] === undefined && !jsonName);
          const type = qualify(pkg, f[2]);
          if (inline) fields.push(["...inline", type]);
          else fields.push([jsonName, type]);
        }
        i--;
        structs.set(`${pkg}.${start[1]}`, fields);
        continue;
      }
      const alias = /^type (\w+) =? ?([^{]+)$/.exec(lines[i]);
      if (alias && !/\binterface\b/.test(alias[2])) named.set(`${pkg}.${alias[1]}`, qualify(pkg, alias[2].replace(/\/\/.*$/, "")));
    }
  }
}

/** Types reachable from the objects kubesim reads. */
const ROOTS = ["core.Pod", "core.Node", "core.Namespace", "core.Service", "apps.Deployment", "apps.ReplicaSet", "apps.StatefulSet", "apps.DaemonSet", "batch.Job", "policy.PodDisruptionBudget", "scheduling.PriorityClass"];
const outStructs = new Map();
const outNamed = new Map();
function leafNames(t) {
  if (t.startsWith("[]")) return leafNames(t.slice(2));
  if (t.startsWith("map[string]")) return leafNames(t.slice("map[string]".length));
  return [t];
}
function visit(t) {
  for (const name of leafNames(t)) {
    if (!name.includes(".")) continue;
    if (outStructs.has(name) || outNamed.has(name)) continue;
    if (structs.has(name)) {
      const flat = {};
      const add = (typeName) => {
        for (const [k, v] of structs.get(typeName)) {
          if (k === "...inline") {
            if (!structs.has(v)) throw new Error(`inline of non-struct ${v} in ${typeName}`);
            add(v);
          } else flat[k] = v;
        }
      };
      outStructs.set(name, flat);
      add(name);
      for (const v of Object.values(flat)) visit(v);
    } else if (named.has(name)) {
      outNamed.set(name, named.get(name));
      visit(named.get(name));
    } else throw new Error(`unresolved type ${name}`);
  }
}
ROOTS.forEach(visit);

const sortObj = (m) => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const header = `/**
 * GENERATED by generateApiTypes.mjs from k8s.io/api and k8s.io/apimachinery ${tag} — do not edit.
 *
 * The JSON field names and Go types of every struct reachable from the objects kubesim
 * reads (${ROOTS.join(", ")}), for the API server's strict decoding (strictDecode.ts).
 * Type expressions: string, bool, int32, int64, float64, quantity (resource.Quantity),
 * intOrString, any, []T, map[string]T, or a named type ("core.PodSpec") defined below.
 */
`;
const body = `export const API_STRUCTS: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(sortObj(outStructs))};\n\n/** Named non-struct types (enums are strings; ResourceList is a map of quantities). */\nexport const API_NAMED: Readonly<Record<string, string>> = ${JSON.stringify(sortObj(outNamed))};\n`;
const out = join(dirname(fileURLToPath(import.meta.url)), "apiTypes.generated.ts");
writeFileSync(out, header + body);
console.log(`${out}: ${outStructs.size} structs, ${outNamed.size} named types, ${[...outStructs.values()].reduce((s, f) => s + Object.keys(f).length, 0)} fields`);
