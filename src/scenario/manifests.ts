/**
 * Workloads from Kubernetes manifest files: a workloads entry `{manifests: path}` (or a
 * list of paths, relative to the scenario file) is replaced by the Deployments and
 * Pods (and the PriorityClasses and Namespaces they refer to) in those files before
 * validation. A file may hold several YAML documents, a `kind: List` (as
 * `kubectl get deploy -o yaml` writes), or JSON. Objects kubesim does not read
 * (Service, ConfigMap, ...) are skipped; workload kinds it does not
 * model yet (StatefulSet, DaemonSet, Job, ...) are an error rather than silently lost.
 *
 * Each expanded entry remembers where it came from, so an error names the manifest
 * file and the object's path in it.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";

/** Where an expanded workloads entry came from: a file and the path of the object in it. */
export interface Origin {
  file: string;
  path: PathSegment[];
}

/** Kinds kubesim reads: workloads that run pods, and the objects pods refer to. */
const RUN_KINDS = new Set(["Deployment", "Pod", "PriorityClass", "Namespace"]);
const NOT_MODELLED = new Set(["ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"]);

export function isManifestsEntry(v: unknown): v is { manifests: string | string[] } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && "manifests" in v && !("kind" in v);
}

/**
 * Expand `{manifests: ...}` entries of doc.workloads (doc is not modified). Returns the
 * new document and the origin of each entry of its workloads list.
 */
export function expandManifests(doc: Record<string, unknown>, file: string, baseDir: string): { doc: Record<string, unknown>; origins: Origin[] } {
  const workloads = doc.workloads;
  if (!Array.isArray(workloads)) return { doc, origins: [] };
  const out: unknown[] = [];
  const origins: Origin[] = [];
  workloads.forEach((entry, i) => {
    if (!isManifestsEntry(entry)) {
      out.push(entry);
      origins.push({ file, path: ["workloads", i] });
      return;
    }
    const paths = Array.isArray(entry.manifests) ? entry.manifests : [entry.manifests];
    paths.forEach((p, k) => {
      const where: PathSegment[] = Array.isArray(entry.manifests) ? ["workloads", i, "manifests", k] : ["workloads", i, "manifests"];
      if (typeof p !== "string" || p === "") throw new ScenarioError(file, formatPath(where), "expected the path of a manifest file (YAML or JSON)");
      for (const obj of readManifest(p, baseDir, file, where)) {
        out.push(obj.value);
        origins.push({ file: obj.file, path: obj.path });
      }
    });
  });
  return { doc: { ...doc, workloads: out }, origins };
}

function readManifest(p: string, baseDir: string, scenarioFile: string, where: PathSegment[]): { value: unknown; file: string; path: PathSegment[] }[] {
  const full = isAbsolute(p) ? p : join(baseDir, p);
  const shown = isAbsolute(p) ? p : relative(process.cwd(), full) || p;
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(scenarioFile, formatPath(where), `expected a readable manifest file, got ${JSON.stringify(p)} (${code === "ENOENT" ? "no such file" : code})`);
  }
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: { value: unknown; file: string; path: PathSegment[] }[] = [];
  const multi = list.length > 1;
  list.forEach((d, di) => {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ScenarioError(pos ? `${shown}:${pos.line}:${pos.col}` : shown, "", `YAML syntax error: ${err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
    }
    const value = d.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) return; // an empty document ("---" at the end)
    const base: PathSegment[] = multi ? ["documents", di] : [];
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === "string" && kind.endsWith("List") && Array.isArray((value as { items?: unknown }).items)) {
      ((value as { items: unknown[] }).items).forEach((item, ii) => collect(item, shown, [...base, "items", ii], objects));
    } else {
      collect(value, shown, base, objects);
    }
  });
  return objects;
}

function collect(value: unknown, file: string, path: PathSegment[], out: { value: unknown; file: string; path: PathSegment[] }[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ScenarioError(file, formatPath(path), "expected a Kubernetes object (a mapping with apiVersion and kind)");
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== "string") throw new ScenarioError(file, formatPath([...path, "kind"]), "expected the kind of a Kubernetes object");
  if (RUN_KINDS.has(kind)) out.push({ value, file, path });
  else if (NOT_MODELLED.has(kind)) {
    throw new ScenarioError(file, formatPath([...path, "kind"]), `expected Deployment, Pod, PriorityClass or Namespace (kubesim does not model ${kind} yet), got ${JSON.stringify(kind)}`);
  }
  // Anything else (Service, ConfigMap, ...) does not change what runs: skipped.
}
