/**
 * `kubesim sweep job <scenario> --shards n [--param ... --seeds N --set ...]`: print the
 * Kubernetes objects that run the sweep as an Indexed Job (experiments/sweepJob/
 * jobManifest.ts): the batch/v1 Job, then a v1 ConfigMap with the scenario and every
 * file it names, as two YAML documents for `kubectl apply -f -`, with comments saying how
 * to collect the shards' folders and merge them. The scenario is loaded (with --set and
 * --seed) first, so a bad scenario is a one-line error here rather than n failed pods;
 * the files it reads are what the ConfigMap carries.
 *
 * Sizing [kubesim choice]: the pod requests --cpu (default 2) and runs that many sweep
 * workers (--workers, passed explicitly: os.availableParallelism() in a container counts
 * the node's cpus, not its quota); --memory defaults to 2Gi per worker, as one run is
 * refused before it starts when it would need more than about 1 GB (docs/limits.md) and
 * the rest is Node's heap headroom. The memory limit is the request (a shard that
 * outgrows it is OOM-killed and retried, not left to slow the node); no cpu limit, so a
 * shard is not throttled below its request.
 */
import { posix } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { stringify } from "yaml";
import { isDNS1123Label, isDNS1123Subdomain } from "../../apiserver/admission/validation/names.js";
import { DEFAULT_BACKOFF_LIMIT_PER_INDEX, DEFAULT_MAX_PARALLELISM, shardOutPath, SweepJobError, sweepJobObjects, type JobInputFile } from "../../experiments/sweepJob/jobManifest.js";
import { parseQuantity, quantityMilli } from "../../model/quantity.js";
import { withInputHooks, type InputFileRead } from "../../scenario/inputHooks.js";
import { loadScenarioFile } from "../../scenario/load.js";
import { ScenarioError } from "../../scenario/errors.js";
import { guarded, UsageError } from "../errors.js";
import { flagList, flagValue, seedValue } from "../options.js";
import { kubesimVersion } from "../version.js";

/** Default requests.cpu of a shard's pod (and so its workers). [kubesim choice] */
export const DEFAULT_SHARD_CPU = "2";
/** Default memory per worker, GiB. [kubesim choice] see the header */
export const DEFAULT_MEMORY_PER_WORKER_GIB = 2;
/** Default PersistentVolumeClaim of the results. [kubesim choice] */
export const DEFAULT_RESULTS_PVC = "kubesim-results";
/** Job names kubesim derives: kubesim-sweep-<scenario name>. */
const DEFAULT_NAME_PREFIX = "kubesim-sweep-";
/** No anchors for objects used twice (the labels), no folding of long lines (args stay one line each). */
const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0 } as const;
/** A DNS-1123 label's length (the pods' hostnames `<job>-<index>`). */
const DNS_LABEL_MAX = 63;

export interface SweepJobOptions {
  scenario: string;
  shards: number;
  parallelism?: number;
  image?: string;
  cpu?: string;
  memory?: string;
  pvc?: string;
  name?: string;
  namespace?: string;
  backoffLimitPerIndex?: number;
  /** The sweep's flags, passed through verbatim. */
  param?: string[];
  seeds?: string;
  seed?: number;
  set?: string[];
}

/** The scenario's name as a DNS-1123 label, short enough for `-<largest index>`. */
function defaultName(scenarioName: string, shards: number): string {
  const room = DNS_LABEL_MAX - String(shards - 1).length - 1;
  const slug = scenarioName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  return `${DEFAULT_NAME_PREFIX}${slug || "scenario"}`.slice(0, room).replace(/-+$/, "");
}

/** The files the Job mounts: the scenario at its file name, each file it names at the path the scenario wrote. */
function jobInputs(reads: readonly InputFileRead[], scenario: string): { inputs: JobInputFile[]; scenarioPath: string } {
  const scenarioPath = posix.basename(scenario.replaceAll("\\", "/"));
  const inputs: JobInputFile[] = [];
  for (const r of reads) {
    const path = r.by === undefined ? scenarioPath : posix.normalize(r.shown.replaceAll("\\", "/"));
    if (r.by !== undefined && (path.startsWith("/") || path === ".." || path.startsWith("../"))) {
      throw new ScenarioError(r.by.file, r.by.path, `expected a path inside the scenario's folder for kubesim sweep job (the Job mounts the inputs under /scenario), got ${JSON.stringify(r.shown)}`);
    }
    const same = inputs.find((f) => f.path === path);
    if (same) {
      if (Buffer.from(same.content).equals(Buffer.from(r.bytes))) continue;
      const where = r.by ? `${r.by.file}: ${r.by.path}` : scenario;
      throw new UsageError(`${where}: expected one file at ${path} under /scenario, got two different files (rename one)`);
    }
    inputs.push({ path, content: r.bytes });
  }
  return { inputs, scenarioPath };
}

/** A positive quantity flag, in thousandths (millicores; milli-bytes are only compared with 0). */
function quantityFlagMilli(v: string, flag: string, what: string): number {
  let n = NaN;
  try {
    n = quantityMilli(parseQuantity(v));
  } catch {
    // reported below
  }
  if (!(n > 0)) throw new UsageError(`--${flag}: expected ${what}, got ${JSON.stringify(v)}`);
  return n;
}

/** The two YAML documents with their comments: what `kubesim sweep job` prints. */
export function sweepJobText(o: SweepJobOptions): string {
  const reads: InputFileRead[] = [];
  const loaded = withInputHooks({ record: (r) => reads.push(r) }, () => loadScenarioFile(o.scenario, { set: o.set, seed: o.seed }));
  const { inputs, scenarioPath } = jobInputs(reads, o.scenario);
  const cpu = o.cpu ?? DEFAULT_SHARD_CPU;
  // One worker per whole cpu requested: 3500m runs 3.
  const workers = Math.max(1, Math.floor(quantityFlagMilli(cpu, "cpu", "a positive cpu quantity such as 2 or 1500m") / 1000));
  const memory = o.memory ?? `${DEFAULT_MEMORY_PER_WORKER_GIB * workers}Gi`;
  quantityFlagMilli(memory, "memory", "a positive memory quantity such as 4Gi");
  const pvc = o.pvc ?? DEFAULT_RESULTS_PVC;
  if (isDNS1123Subdomain(pvc).length > 0) throw new UsageError(`--pvc: expected a PersistentVolumeClaim name (${isDNS1123Subdomain(pvc)[0]}), got ${JSON.stringify(pvc)}`);
  if (o.namespace !== undefined && isDNS1123Label(o.namespace).length > 0) throw new UsageError(`--namespace: expected a namespace name (${isDNS1123Label(o.namespace)[0]}), got ${JSON.stringify(o.namespace)}`);
  const name = o.name ?? defaultName(loaded.spec.name, o.shards);
  const sweepArgs = [
    ...(o.param ?? []).flatMap((p) => ["--param", p]),
    ...(o.seeds !== undefined ? ["--seeds", o.seeds] : []),
    ...(o.seed !== undefined ? ["--seed", String(o.seed)] : []),
    ...(o.set ?? []).flatMap((s) => ["--set", s]),
  ];
  const parallelism = o.parallelism ?? Math.min(o.shards, DEFAULT_MAX_PARALLELISM);
  let objects;
  try {
    objects = sweepJobObjects({
      name,
      namespace: o.namespace,
      image: o.image ?? `kubesim:${kubesimVersion()}`,
      shards: o.shards,
      parallelism,
      backoffLimitPerIndex: o.backoffLimitPerIndex ?? DEFAULT_BACKOFF_LIMIT_PER_INDEX,
      cpu,
      memory,
      workers,
      pvc,
      scenarioPath,
      inputs,
      sweepArgs,
    });
  } catch (e) {
    if (e instanceof SweepJobError) throw new UsageError(e.field === "inputs" ? `${o.scenario}: ${e.expected}` : e.message);
    throw e;
  }
  const ns = o.namespace ? ` -n ${o.namespace}` : "";
  const shardsDir = shardOutPath(name).replace("/shard-$(JOB_COMPLETION_INDEX)", "");
  const collector = JSON.stringify({
    spec: {
      volumes: [{ name: "results", persistentVolumeClaim: { claimName: pvc } }],
      containers: [{ name: "collect", image: "busybox:1.36", command: ["sleep", "3600"], volumeMounts: [{ name: "results", mountPath: "/results" }] }],
    },
  });
  const comments = [
    `kubesim sweep job: ${o.shards} shard${o.shards === 1 ? "" : "s"} of the sweep of ${o.scenario}, ${parallelism} at a time, kubesim ${kubesimVersion()}.`,
    `Each pod runs shard $JOB_COMPLETION_INDEX of ${o.shards} with ${workers} worker${workers === 1 ? "" : "s"} and writes ${shardsDir}/shard-<index>/`,
    `on the PersistentVolumeClaim ${pvc} (create it first; ReadWriteMany when shards may run on several nodes).`,
    `The image must hold this kubesim version (Dockerfile at the repository root; push it where the cluster pulls from).`,
    "",
    `Run:      kubesim sweep job ... > job.yaml && kubectl apply -f job.yaml${ns}`,
    `Wait:     kubectl wait --for=condition=complete job/${name}${ns} --timeout=24h`,
    `Collect:  kubectl run ${name}-collect${ns} --image=busybox:1.36 --restart=Never --overrides='${collector}'`,
    `          kubectl wait --for=condition=Ready pod/${name}-collect${ns}`,
    `          kubectl cp${ns} ${name}-collect:${shardsDir} ./${name}`,
    `          kubectl delete pod ${name}-collect${ns}`,
    `Merge:    kubesim sweep merge ./${name}/shard-* --out results/${name}`,
  ];
  const header = comments.map((c) => (c === "" ? "#" : `# ${c}`)).join("\n");
  return `${header}\n---\n${stringify(objects.job, YAML_OPTIONS)}---\n${stringify(objects.configMap, YAML_OPTIONS)}`;
}

/** A whole-number flag within bounds. */
function integerFlag(v: unknown, flag: string, min: number): number | undefined {
  const s = flagValue(v, flag, `an integer of at least ${min}`);
  if (s === undefined) return undefined;
  if (!/^[0-9]+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < min) throw new UsageError(`--${flag}: expected an integer of at least ${min}, got ${JSON.stringify(s)}`);
  return Number(s);
}

export const sweepJobCommand: CommandModule = {
  command: "job <scenario>",
  describe: "print a Kubernetes Indexed Job (and the ConfigMap of its inputs) that runs this sweep in --shards pods",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)", demandOption: true })
      .option("shards", { type: "string", requiresArg: true, demandOption: true, description: "pods (Job completions); pod i runs shard i of n" })
      .option("parallelism", { type: "string", requiresArg: true, description: `pods at once (default min(shards, ${DEFAULT_MAX_PARALLELISM}))` })
      .option("image", { type: "string", requiresArg: true, description: "container image with kubesim as its entrypoint (default kubesim:<version>)" })
      .option("cpu", { type: "string", requiresArg: true, description: `cpu request per pod, also its --workers (default ${DEFAULT_SHARD_CPU})` })
      .option("memory", { type: "string", requiresArg: true, description: `memory request and limit per pod (default ${DEFAULT_MEMORY_PER_WORKER_GIB}Gi per worker)` })
      .option("pvc", { type: "string", requiresArg: true, description: `PersistentVolumeClaim for the results, mounted at /results (default ${DEFAULT_RESULTS_PVC})` })
      .option("name", { type: "string", requiresArg: true, description: "the Job's name and the sweep's folder on the volume (default kubesim-sweep-<scenario name>)" })
      .option("namespace", { type: "string", requiresArg: true, description: "namespace of the Job and the ConfigMap" })
      .option("backoff-limit-per-index", { type: "string", requiresArg: true, description: `retries of a failed shard (default ${DEFAULT_BACKOFF_LIMIT_PER_INDEX})` })
      .option("param", { type: "string", array: true, requiresArg: true, description: "passed to kubesim sweep as given (repeatable)" })
      .option("seeds", { type: "string", requiresArg: true, description: "passed to kubesim sweep as given" })
      .option("seed", { type: "string", requiresArg: true, description: "passed to kubesim sweep as given" })
      .option("set", { type: "string", array: true, requiresArg: true, description: "passed to kubesim sweep as given (repeatable); also applied when the scenario is checked here" }),
  handler: (argv) =>
    guarded(() => {
      const text = sweepJobText({
        scenario: flagValue(argv.scenario, "scenario", "the scenario file")!,
        shards: integerFlag(argv.shards, "shards", 1)!,
        parallelism: integerFlag(argv.parallelism, "parallelism", 1),
        image: flagValue(argv.image, "image", "a container image"),
        cpu: flagValue(argv.cpu, "cpu", "a cpu quantity"),
        memory: flagValue(argv.memory, "memory", "a memory quantity"),
        pvc: flagValue(argv.pvc, "pvc", "a PersistentVolumeClaim name"),
        name: flagValue(argv.name, "name", "the Job's name"),
        namespace: flagValue(argv.namespace, "namespace", "a namespace"),
        backoffLimitPerIndex: integerFlag(argv["backoff-limit-per-index"], "backoff-limit-per-index", 0),
        param: flagList(argv.param, "param", "path=values"),
        seeds: flagValue(argv.seeds, "seeds", "the seeds"),
        seed: seedValue(argv.seed),
        set: flagList(argv.set, "set", "path=value"),
      });
      process.stdout.write(text);
    }),
};
