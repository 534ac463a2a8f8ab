/**
 * `kubesim explain --cluster FILE [--cluster FILE ...] --pod FILE [--config FILE]`:
 * where would kube-scheduler put this pod, and why. Runs one scheduling cycle in
 * record mode (the same SchedulingCycle the simulation uses, every node evaluated,
 * nothing sampled) and prints one JSON object:
 *
 *   {"pod": "ns/name", "profile": "...", "numFeasibleNodesToFind": N,
 *    "nodes": [{"name", "feasible", "reasons", "scores": {Plugin: 0-100}, "total"}],
 *    "selected": "node" | null}
 *
 * scores are each Score plugin's value after NormalizeScore and before its weight,
 * for feasible nodes; total is the weighted sum; nodes are in input order. Ties for
 * the top total go to the first node in input order (kube-scheduler picks one of the
 * tied nodes at random). Bad files: one line naming file and field, exit 2: every
 * object is checked by the API server's own validation (apiserver/admission/validation),
 * the one a scenario's objects pass too, with upstream's messages.
 */
import type { Argv, CommandModule } from "yargs";
import type { Node, Pod } from "../model/types.js";
import { SchedulerConfigError } from "../scheduler/config/configError.js";
import { buildRuntimes, checkPluginArgs } from "../scheduler/config/runtime.js";
import {
  catalogWith,
  defaultSchedulerConfiguration,
  parseSchedulerConfigValue,
  profileFor,
  type SchedulerConfiguration,
} from "../scheduler/config/schedulerConfig.js";
import { customCatalog, loadPluginModule, PluginModuleError, type LoadedPlugin } from "../scheduler/custom/loadPlugin.js";
import { numFeasibleNodesToFind } from "../scheduler/cycle.js";
import { snapshotFromObjects, type ClusterObjects } from "../scheduler/snapshot.js";
import { Admission, AdmissionError } from "../apiserver/admission/admission.js";
import { checkInputFile, readInputFile } from "../scenario/inputFile.js";
import { errorBody, type FieldError } from "../apiserver/admission/validation/fieldError.js";
import { validateObject } from "../apiserver/admission/validation/validateObject.js";
import { formatPath, type PathSegment } from "../scenario/errors.js";
import { parseYamlDocument, parseYamlDocuments } from "../scenario/yamlInput.js";
import { guarded, UsageError } from "./errors.js";
import { flagList, flagValue } from "./options.js";

export interface ExplainOutput {
  pod: string;
  profile: string;
  numFeasibleNodesToFind: number;
  nodes: Array<{ name: string; feasible: boolean; reasons: string[]; scores: Record<string, number>; total: number }>;
  selected: string | null;
}

const KNOWN_KINDS = ["Node", "Pod", "Namespace", "Service", "ReplicaSet", "StatefulSet", "PodDisruptionBudget", "PriorityClass"] as const;

interface Located<T> {
  obj: T;
  file: string;
  /** The object's place in its file ([] for a file of one object, ["items", 3], ["documents", 1, "items", 0]). */
  path: PathSegment[];
}

/** "file: items[3].spec.x: message", or "file: message" when there is no path. */
function at(o: { file: string; path: PathSegment[] }, inner: readonly PathSegment[], message: string): UsageError {
  const path = formatPath([...o.path, ...inner]);
  return new UsageError(path === "" ? `${o.file}: ${message}` : `${o.file}: ${path}: ${message}`);
}

/** Read Kubernetes objects from a file: multi-document YAML, `kind: List`, or JSON. */
export function readObjects(file: string): Located<Record<string, unknown>>[] {
  // Size limit, syntax, duplicate keys, aliases: the scenario loader's reader (one line, exit 2).
  const docs = parseYamlDocuments(file, readInputFile(file, file)).map((d) => d.value);
  const out: Located<Record<string, unknown>>[] = [];
  const multi = docs.length > 1;
  docs.forEach((v, d) => {
    if (v === null || v === undefined) return;
    const add = (o: unknown, path: PathSegment[]) => {
      const here = { file, path };
      if (o === null || typeof o !== "object" || Array.isArray(o)) throw at(here, [], "expected a Kubernetes object (a mapping with apiVersion and kind)");
      const rec = o as Record<string, unknown>;
      if (typeof rec.kind !== "string") throw at(here, ["kind"], "expected a Kubernetes kind such as Node or Pod");
      if (rec.kind === "List" || rec.kind.endsWith("List")) {
        if (!Array.isArray(rec.items)) throw at(here, ["items"], "expected a list");
        rec.items.forEach((it, i) => add(it, [...path, "items", i]));
        return;
      }
      out.push({ obj: rec, file, path });
    };
    add(v, multi ? ["documents", d] : []);
  });
  return out;
}

/** A validation error at its field: `file: path: Invalid value: ...`. */
function invalidAt(o: Located<unknown>, e: FieldError): UsageError {
  return at(o, e.path, errorBody(e));
}

/** An object the API server refused, as a one-line error at the field it names. */
function refused(o: Located<unknown>, e: AdmissionError): UsageError {
  const hint = e.field === "spec.priorityClassName" && e.kind === "forbidden" ? " (give the cluster's PriorityClasses with --cluster, e.g. kubectl get priorityclasses -o yaml)" : "";
  return at(o, e.path, `${e.describe()}${hint}`);
}

/**
 * The objects of the --cluster files as the API server holds them: each validated as
 * the API server validates it (the same validation a scenario's objects pass), sorted by
 * kind, PriorityClasses and Namespaces created first, the bound pods defaulted (they
 * were admitted when they were created). Unknown kinds get a note. The returned
 * admission step admits the pod to schedule next, and then knows every namespace.
 */
export function clusterObjects(files: readonly string[], notes: string[], command = "explain", alsoReads: readonly string[] = []): { objects: Required<ClusterObjects>; admission: Admission } {
  const objs: Required<ClusterObjects> = { nodes: [], pods: [], namespaces: [], services: [], replicaSets: [], statefulSets: [], pdbs: [] };
  const admission = new Admission();
  const nodeNames = new Set<string>();
  const all = files.flatMap((file) => readObjects(file));
  const admit = <T>(o: Located<unknown>, create: () => T): T => {
    try {
      return create();
    } catch (e) {
      if (e instanceof AdmissionError) throw refused(o, e);
      throw e;
    }
  };
  const validated = (o: Located<Record<string, unknown>>) => {
    const e = validateObject(o.obj, { stored: true });
    if (e) throw invalidAt(o, e);
    return o.obj as never;
  };
  for (const o of all) {
    if (o.obj.kind === "PriorityClass") admit(o, () => admission.createPriorityClass(o.obj as never));
    else if (o.obj.kind === "Namespace") admit(o, () => admission.createNamespace(o.obj as never));
  }
  for (const o of all) {
    const kind = o.obj.kind as string;
    switch (kind as (typeof KNOWN_KINDS)[number]) {
      case "Node": {
        admit(o, () => admission.validateNode(o.obj as Node));
        const name = (o.obj as Node).metadata?.name;
        if (!name) throw at(o, ["metadata", "name"], "Required value: explain needs each node's name (a generateName is not expanded)");
        if (nodeNames.has(name)) throw at(o, ["metadata", "name"], `rejected by the API server: nodes "${name}" already exists`);
        nodeNames.add(name);
        objs.nodes.push(o.obj as Node);
        break;
      }
      case "Pod":
        objs.pods.push(admit(o, () => admission.storedPod(o.obj as Pod)));
        break;
      case "Namespace":
      case "PriorityClass":
        break; // created above
      case "Service":
        objs.services.push(validated(o));
        break;
      case "ReplicaSet":
        objs.replicaSets.push(validated(o));
        break;
      case "StatefulSet":
        objs.statefulSets.push(validated(o));
        break;
      case "PodDisruptionBudget":
        objs.pdbs.push(validated(o));
        break;
      default: {
        if (alsoReads.includes(kind)) break; // the caller reads these itself
        const name = (o.obj.metadata as Record<string, unknown> | undefined)?.name;
        notes.push(`${o.path.length > 0 ? `${o.file}: ${formatPath(o.path)}` : o.file}: ignoring ${kind}${typeof name === "string" ? ` ${name}` : ""} (${command} reads ${[...KNOWN_KINDS, ...alsoReads].join(", ")})`);
      }
    }
  }
  if (objs.nodes.length === 0) throw new UsageError(`${files.join(", ")}: expected at least one Node object`);
  return { objects: objs, admission };
}

/** The pod to schedule, as the API server admits it when it is created. */
export function readPod(file: string, notes: string[], admission: Admission): Pod {
  void notes; // kept for callers: the pod file notes nothing today
  const objs = readObjects(file);
  const pods = objs.filter((o) => o.obj.kind === "Pod");
  if (pods.length !== 1) throw new UsageError(`${file}: expected exactly one Pod object, found ${pods.length}`);
  const e = validateObject(pods[0].obj);
  if (e) throw invalidAt(pods[0], e);
  try {
    return admission.admitPod(pods[0].obj as Pod);
  } catch (err) {
    if (err instanceof AdmissionError) throw refused(pods[0], err);
    throw err;
  }
}

/** explain as a function: the cluster, the pod, the configuration -> the report. */
export function explain(objs: ClusterObjects, pod: Pod, config: SchedulerConfiguration, podFile = "pod"): ExplainOutput {
  const snapshot = snapshotFromObjects(objs);
  const profileSpec = profileFor(config, pod.spec?.schedulerName);
  if (!profileSpec) {
    throw new UsageError(`${podFile}: spec.schedulerName: expected one of the configured profiles (${config.profiles.map((p) => p.schedulerName).join(", ")}), got ${JSON.stringify(pod.spec?.schedulerName)}`);
  }
  const runtimes = buildRuntimes({ ...config, profiles: [profileSpec] }, snapshot, { tieBreak: "first" });
  const { cycle, profile } = runtimes[0];
  const compiled = snapshot.compile(pod);
  const podName = `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
  cycle.state.podName = podName; // a custom plugin's error names it (exit 3, as in a run)
  cycle.scheduleOne(compiled, -1, -1, true);
  const nodes = cycle.explainNodes();
  let selected: string | null = null;
  let best = -1;
  for (const n of nodes) {
    if (n.feasible && n.total > best) {
      best = n.total;
      selected = n.name;
    }
  }
  const pct = profile.percentageOfNodesToScore ?? config.percentageOfNodesToScore;
  return {
    pod: podName,
    profile: profile.schedulerName,
    numFeasibleNodesToFind: profile.score.length === 0 ? 1 : numFeasibleNodesToFind(snapshot.nodeCount, pct),
    nodes,
    selected,
  };
}

/** The whole command as a function (tests call this): returns the JSON text. */
export async function explainFiles(opts: { cluster: string[]; pod: string; config?: string; plugins?: string[] }, notes: string[]): Promise<string> {
  try {
    const loaded: LoadedPlugin[] = [];
    for (const [i, p] of (opts.plugins ?? []).entries()) loaded.push(await loadPluginModule(p, `--plugin[${i}]`));
    const catalog = catalogWith(customCatalog(loaded));
    // The configuration file through the one YAML reader (size limit, aliases, tags, duplicate keys).
    const config = opts.config ? parseSchedulerConfigValue(parseYamlDocument(opts.config, readInputFile(opts.config, opts.config)), opts.config, catalog) : defaultSchedulerConfiguration(catalog);
    checkPluginArgs(config);
    const { objects, admission } = clusterObjects(opts.cluster, notes);
    const pod = readPod(opts.pod, notes, admission);
    // Every namespace the API server holds, with its kubernetes.io/metadata.name label (namespaceSelector reads them).
    objects.namespaces = admission.namespaceList();
    return `${JSON.stringify(explain(objects, pod, config, opts.pod))}\n`;
  } catch (e) {
    if (e instanceof SchedulerConfigError || e instanceof PluginModuleError) throw new UsageError(e.message);
    throw e;
  }
}

export const explainCommand: CommandModule = {
  command: "explain",
  describe: "show how kube-scheduler would place one pod on a cluster: per-node filter reasons and scores (JSON)",
  builder: (y: Argv) =>
    y
      .option("cluster", { type: "string", array: true, requiresArg: true, demandOption: true, describe: "v1 Node/Pod/... objects (YAML, multi-document, kind: List, or JSON, e.g. kubectl get nodes,pods -o yaml); repeatable" })
      .option("pod", { type: "string", requiresArg: true, demandOption: true, describe: "the v1 Pod to schedule" })
      .option("config", { type: "string", requiresArg: true, describe: "KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1); default: upstream defaults" })
      .option("plugin", { type: "string", array: true, requiresArg: true, describe: "custom plugin module (.mjs/.js) to register; repeatable" }),
  handler: (argv) =>
    guarded(async () => {
      const notes: string[] = [];
      const cluster = flagList(argv.cluster, "cluster", "a file of Kubernetes objects");
      const pod = flagValue(argv.pod, "pod", "the pod file")!;
      const config = flagValue(argv.config, "config", "the KubeSchedulerConfiguration file");
      const plugins = flagList(argv.plugin, "plugin", "a plugin module");
      // Every input a regular file within the input limit, before any is read.
      for (const f of [...cluster, pod, ...(config === undefined ? [] : [config]), ...plugins]) checkInputFile(f, f);
      const text = await explainFiles({ cluster, pod, config, plugins }, notes);
      for (const n of notes) process.stderr.write(`${n}\n`);
      process.stdout.write(text);
    }),
};
