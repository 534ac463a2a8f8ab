/**
 * The Kubernetes objects that run a kubesim sweep as an Indexed Job: a batch/v1 Job with
 * one completion per shard (the pod of index i runs shard i of n: the sweep reads
 * JOB_COMPLETION_INDEX, which the Job controller sets in every container of an Indexed
 * Job), and a v1 ConfigMap holding the scenario and the files it names, mounted at
 * /scenario. Each shard writes its own folder on a PersistentVolumeClaim mounted at
 * /results (`<sweep>/shard-<i>`), which `kubesim sweep merge` reads once collected.
 *
 * Upstream rules the objects follow (pkg/apis/batch/validation and core validation,
 * read in kubernetes/kubernetes; "recalled" where noted):
 * - Indexed: completions required; parallelism at most 100,000 (maxParallelismForIndexedJob);
 *   `<job name>-<completions - 1>` must be a DNS-1123 label (the pods' hostnames), so
 *   the name leaves room for the largest index;
 * - backoffLimitPerIndex needs completionMode Indexed; without a backoffLimit the
 *   API server defaults it to the int32 maximum then (recalled), so only the per-index
 *   limit is written;
 * - podReplacementPolicy Failed: a replacement pod starts only once the failed one has
 *   terminated, so two pods of one index never write the same shard folder at once
 *   (the default, TerminatingOrFailed, would allow it; recalled);
 * - restartPolicy Never (a failed shard is a new pod with a clean start);
 * - a ConfigMap's keys match [-._a-zA-Z0-9]+ (at most 253 characters) and its data is at
 *   most 1 MiB in all (core validation's MaxSecretSize, recalled); a volume item's path
 *   is relative, without `..` elements.
 */
import { isDNS1123Label } from "../../apiserver/admission/validation/names.js";

/** Where the pod mounts the ConfigMap of inputs, and runs (its working directory). */
export const SCENARIO_MOUNT = "/scenario";
/** uid and gid of the `node` user of the node:20-slim image the Dockerfile builds on. */
export const NODE_UID = 1000;
/** Where the pod mounts the results volume. */
export const RESULTS_MOUNT = "/results";
/** maxParallelismForIndexedJob (pkg/apis/batch/validation/validation.go). */
export const MAX_INDEXED_JOB_PARALLELISM = 100_000;
/**
 * Most shards kubesim writes a Job for: above 100,000 completions with a per-index
 * backoff limit upstream also requires maxFailedIndexes (completionsSoftLimit, recalled).
 * [kubesim choice] to stay below it.
 */
export const MAX_SHARDS = 100_000;
/** Total data of a ConfigMap (core validation: MaxSecretSize, 1 MiB; recalled). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;
/** A ConfigMap key: IsConfigMapKey (apimachinery validation). */
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIGMAP_KEY_MAX_LENGTH = 253;
/** Default shards running at once: min(shards, 10). [kubesim choice] a sweep of 100 shards should not take 100 nodes' worth of cpu unless asked. */
export const DEFAULT_MAX_PARALLELISM = 10;
/**
 * A failed shard runs once more. [kubesim choice] A pod lost with its node is worth a
 * retry; a deterministic failure (a bad value) fails again and the index is marked failed.
 */
export const DEFAULT_BACKOFF_LIMIT_PER_INDEX = 1;

/** One file of the ConfigMap: its path under /scenario (as the scenario names it) and content. */
export interface JobInputFile {
  path: string;
  content: Uint8Array;
}

export interface SweepJobSpec {
  /** The Job's name (a DNS-1123 label with room for `-<index>`); also the sweep's folder on the volume. */
  name: string;
  namespace?: string;
  image: string;
  shards: number;
  parallelism: number;
  backoffLimitPerIndex: number;
  /** requests.cpu and requests.memory (= limits.memory); the sweep's --workers. */
  cpu: string;
  memory: string;
  workers: number;
  /** The PersistentVolumeClaim mounted at /results. */
  pvc: string;
  /** The scenario's path under /scenario (one of `inputs`). */
  scenarioPath: string;
  /** The scenario and every file it names, at their paths under /scenario. */
  inputs: JobInputFile[];
  /** The sweep's flags passed through verbatim: --param, --seeds, --set, --seed, in order. */
  sweepArgs: string[];
}

/** A spec the objects cannot be made from: the field (flag) and what was expected. */
export class SweepJobError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: ${expected}`);
  }
}

/** A ConfigMap key for a path: its characters outside [-._a-zA-Z0-9] become "_", made unique with a counter. */
function keysFor(paths: readonly string[]): string[] {
  const used = new Set<string>();
  return paths.map((p) => {
    const base = p.replace(/[^-._a-zA-Z0-9]/g, "_").replace(/^\.+/, "_").slice(0, CONFIGMAP_KEY_MAX_LENGTH - 8);
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}-${i}`;
    // Holds by construction; a broken key would only show when the ConfigMap is applied.
    if (!CONFIGMAP_KEY.test(key)) throw new Error(`internal: ConfigMap key ${JSON.stringify(key)} for ${JSON.stringify(p)}`);
    used.add(key);
    return key;
  });
}

/** A path under /scenario: relative, no `..`, not empty. */
export function isMountablePath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\\")) return false;
  return p.split("/").every((s) => s !== ".." && s !== "");
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The sweep's output folder on the volume for the pod of index i: `$(JOB_COMPLETION_INDEX)` is expanded by the kubelet from the container's environment. */
export function shardOutPath(name: string): string {
  return `${RESULTS_MOUNT}/${name}/shard-$(JOB_COMPLETION_INDEX)`;
}

export function sweepJobObjects(s: SweepJobSpec): { job: Record<string, unknown>; configMap: Record<string, unknown> } {
  if (!Number.isSafeInteger(s.shards) || s.shards < 1 || s.shards > MAX_SHARDS) throw new SweepJobError("--shards", `expected an integer from 1 to ${MAX_SHARDS.toLocaleString("en-US")}, got ${s.shards}`);
  if (!Number.isSafeInteger(s.parallelism) || s.parallelism < 1 || s.parallelism > MAX_INDEXED_JOB_PARALLELISM) {
    throw new SweepJobError("--parallelism", `expected an integer from 1 to ${MAX_INDEXED_JOB_PARALLELISM.toLocaleString("en-US")} (maxParallelismForIndexedJob), got ${s.parallelism}`);
  }
  const hostname = `${s.name}-${s.shards - 1}`;
  const nameErrors = isDNS1123Label(hostname);
  if (nameErrors.length > 0) throw new SweepJobError("--name", `expected a name whose pods' hostnames are DNS-1123 labels (${JSON.stringify(hostname)}: ${nameErrors[0]}), got ${JSON.stringify(s.name)}`);
  const paths = s.inputs.map((f) => f.path);
  for (const p of paths) if (!isMountablePath(p)) throw new SweepJobError("inputs", `expected relative paths without "..", got ${JSON.stringify(p)}`);
  if (!paths.includes(s.scenarioPath)) throw new SweepJobError("inputs", `expected the scenario ${s.scenarioPath} among the inputs`);
  const total = s.inputs.reduce((n, f) => n + f.content.length, 0);
  if (total > MAX_CONFIGMAP_BYTES) {
    throw new SweepJobError("inputs", `expected at most ${MAX_CONFIGMAP_BYTES.toLocaleString("en-US")} bytes for the ConfigMap (1 MiB), got ${total.toLocaleString("en-US")} in ${s.inputs.length} files: build them into the image instead`);
  }
  const keys = keysFor(paths);
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  s.inputs.forEach((f, i) => {
    if (isUtf8(f.content)) data[keys[i]] = Buffer.from(f.content).toString("utf8");
    else binaryData[keys[i]] = Buffer.from(f.content).toString("base64");
  });
  const configMapName = `${s.name}-inputs`;
  const labels = { "app.kubernetes.io/name": "kubesim", "app.kubernetes.io/component": "sweep", "kubesim.io/sweep": s.name };
  const meta = (name: string) => ({ name, ...(s.namespace ? { namespace: s.namespace } : {}), labels });
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(configMapName),
    data,
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
  const args = ["sweep", `${SCENARIO_MOUNT}/${s.scenarioPath}`, ...s.sweepArgs, "--shards", String(s.shards), "--workers", String(s.workers), "--out", shardOutPath(s.name)];
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(s.name),
    spec: {
      completionMode: "Indexed",
      completions: s.shards,
      parallelism: s.parallelism,
      backoffLimitPerIndex: s.backoffLimitPerIndex,
      podReplacementPolicy: "Failed",
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          // The image runs as the node user (uid 1000, Dockerfile); fsGroup makes the results volume writable for it.
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID, runAsGroup: NODE_UID, fsGroup: NODE_UID },
          containers: [
            {
              name: "kubesim",
              image: s.image,
              imagePullPolicy: "IfNotPresent",
              workingDir: SCENARIO_MOUNT,
              args,
              resources: { requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } },
              volumeMounts: [
                { name: "scenario", mountPath: SCENARIO_MOUNT, readOnly: true },
                { name: "results", mountPath: RESULTS_MOUNT },
              ],
            },
          ],
          volumes: [
            { name: "scenario", configMap: { name: configMapName, items: keys.map((key, i) => ({ key, path: paths[i] })) } },
            { name: "results", persistentVolumeClaim: { claimName: s.pvc } },
          ],
        },
      },
    },
  };
  return { job, configMap };
}
