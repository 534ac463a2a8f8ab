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
 * tied nodes at random). Bad files: one line naming file and field, exit 2.
 */
import { readFileSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { parseAllDocuments } from "yaml";
import type { Node, Pod } from "../model/types.js";
import { isQuantity } from "../model/quantity.js";
import { SchedulerConfigError } from "../scheduler/config/configError.js";
import { buildRuntimes, checkPluginArgs } from "../scheduler/config/runtime.js";
import {
  catalogWith,
  defaultSchedulerConfiguration,
  loadSchedulerConfig,
  profileFor,
  type SchedulerConfiguration,
} from "../scheduler/config/schedulerConfig.js";
import { customCatalog, loadPluginModule, PluginModuleError, type LoadedPlugin } from "../scheduler/custom/loadPlugin.js";
import { numFeasibleNodesToFind } from "../scheduler/cycle.js";
import { snapshotFromObjects, type ClusterObjects } from "../scheduler/snapshot.js";
import { Admission, AdmissionError } from "../apiserver/admission/admission.js";
import { checkInputFile } from "../scenario/inputFile.js";
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
  /** "file: items[3]" style location for messages. */
  where: string;
}

/** Read Kubernetes objects from a file: multi-document YAML, `kind: List`, or JSON. */
export function readObjects(file: string, notes: string[]): Located<Record<string, unknown>>[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const docs = parseAllDocuments(text);
  const out: Located<Record<string, unknown>>[] = [];
  const multi = Array.isArray(docs) && docs.length > 1;
  (Array.isArray(docs) ? docs : [docs]).forEach((doc, d) => {
    if (doc.errors.length > 0) throw new UsageError(`${file}: not valid YAML or JSON (${doc.errors[0].message.split("\n")[0]})`);
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) return;
    const base = multi ? `document ${d + 1}` : "";
    const add = (o: unknown, path: string) => {
      const where = path === "" ? file : `${file}: ${path}`;
      if (o === null || typeof o !== "object" || Array.isArray(o)) throw new UsageError(`${where}: expected a Kubernetes object (a mapping with kind)`);
      const rec = o as Record<string, unknown>;
      if (typeof rec.kind !== "string") throw new UsageError(`${where}${path === "" ? ": " : "."}kind: expected a Kubernetes kind such as Node or Pod`);
      if (rec.kind === "List" || rec.kind.endsWith("List")) {
        const items = rec.items;
        if (!Array.isArray(items)) throw new UsageError(`${where}${path === "" ? ": " : "."}items: expected a list`);
        items.forEach((it, i) => add(it, path === "" ? `items[${i}]` : `${path}.items[${i}]`));
        return;
      }
      out.push({ obj: rec, where: path === "" ? file : `${file}: ${path}` });
    };
    add(v, base);
  });
  void notes;
  return out;
}

function field(where: string, path: string): string {
  return where.includes(": ") ? `${where}.${path}` : `${where}: ${path}`;
}

function checkName(o: Located<Record<string, unknown>>): string {
  const meta = o.obj.metadata as Record<string, unknown> | undefined;
  const name = meta?.name;
  if (typeof name !== "string" || name === "") throw new UsageError(`${field(o.where, "metadata.name")}: expected a non-empty string`);
  return name;
}

function checkQuantities(o: Located<Record<string, unknown>>, path: string, list: unknown): void {
  if (list === undefined || list === null) return;
  if (typeof list !== "object" || Array.isArray(list)) throw new UsageError(`${field(o.where, path)}: expected a mapping of resource names to quantities`);
  for (const [k, v] of Object.entries(list as Record<string, unknown>)) {
    if ((typeof v !== "string" && typeof v !== "number") || !isQuantity(v)) {
      throw new UsageError(`${field(o.where, `${path}.${k}`)}: expected a Kubernetes quantity such as 500m, 2, 4Gi, got ${JSON.stringify(v)}`);
    }
  }
}

function checkPod(o: Located<Record<string, unknown>>): Pod {
  checkName(o);
  const spec = o.obj.spec as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== "object") throw new UsageError(`${field(o.where, "spec")}: expected a pod spec`);
  for (const kind of ["containers", "initContainers"] as const) {
    const cs = spec[kind];
    if (cs === undefined && kind === "initContainers") continue;
    if (!Array.isArray(cs) || (kind === "containers" && cs.length === 0)) throw new UsageError(`${field(o.where, `spec.${kind}`)}: expected a list of containers`);
    cs.forEach((c: Record<string, unknown>, i: number) => {
      const res = (c?.resources ?? {}) as Record<string, unknown>;
      checkQuantities(o, `spec.${kind}[${i}].resources.requests`, res.requests);
      checkQuantities(o, `spec.${kind}[${i}].resources.limits`, res.limits);
    });
  }
  checkQuantities(o, "spec.overhead", spec.overhead);
  if (spec.priority !== undefined && !Number.isInteger(spec.priority)) throw new UsageError(`${field(o.where, "spec.priority")}: expected an integer, got ${JSON.stringify(spec.priority)}`);
  return o.obj as Pod;
}

/** An object the API server refused, as a one-line error at the field it names. */
function refused(where: string, e: AdmissionError): UsageError {
  const hint = e.field === "spec.priorityClassName" ? " (give the cluster's PriorityClasses with --cluster, e.g. kubectl get priorityclasses -o yaml)" : "";
  return new UsageError(`${field(where, e.field)}: rejected by the API server: ${e.message}${hint}`);
}

/**
 * The objects of the --cluster files as the API server holds them: sorted by kind,
 * PriorityClasses and Namespaces created first, the bound pods defaulted (they were
 * admitted when they were created). Unknown kinds get a note. The returned admission
 * step admits the pod to schedule next, and then knows every namespace.
 */
export function clusterObjects(files: readonly string[], notes: string[]): { objects: Required<ClusterObjects>; admission: Admission } {
  const objs: Required<ClusterObjects> = { nodes: [], pods: [], namespaces: [], services: [], replicaSets: [], statefulSets: [], pdbs: [] };
  const admission = new Admission();
  const nodeNames = new Set<string>();
  const all = files.flatMap((file) => readObjects(file, notes));
  const admit = (o: Located<Record<string, unknown>>, create: () => void) => {
    try {
      create();
    } catch (e) {
      if (e instanceof AdmissionError) throw refused(o.where, e);
      throw e;
    }
  };
  for (const o of all) {
    if (o.obj.kind === "PriorityClass") {
      checkName(o);
      if (!Number.isInteger(o.obj.value)) throw new UsageError(`${field(o.where, "value")}: expected an integer priority, got ${JSON.stringify(o.obj.value)}`);
      admit(o, () => admission.createPriorityClass(o.obj as never));
    } else if (o.obj.kind === "Namespace") {
      checkName(o);
      admit(o, () => admission.createNamespace(o.obj as never));
    }
  }
  for (const o of all) {
    const kind = o.obj.kind as string;
    switch (kind as (typeof KNOWN_KINDS)[number]) {
      case "Node": {
        const name = checkName(o);
        if (nodeNames.has(name)) throw new UsageError(`${field(o.where, "metadata.name")}: expected a unique node name, ${name} appears twice`);
        nodeNames.add(name);
        const st = (o.obj.status ?? {}) as Record<string, unknown>;
        checkQuantities(o, "status.allocatable", st.allocatable);
        checkQuantities(o, "status.capacity", st.capacity);
        objs.nodes.push(o.obj as Node);
        break;
      }
      case "Pod":
        objs.pods.push(admission.storedPod(checkPod(o)));
        break;
      case "Namespace":
      case "PriorityClass":
        break; // created above
      case "Service":
        objs.services.push(o.obj as never);
        break;
      case "ReplicaSet":
        objs.replicaSets.push(o.obj as never);
        break;
      case "StatefulSet":
        objs.statefulSets.push(o.obj as never);
        break;
      case "PodDisruptionBudget":
        objs.pdbs.push(o.obj as never);
        break;
      default: {
        const name = (o.obj.metadata as Record<string, unknown> | undefined)?.name;
        notes.push(`${o.where}: ignoring ${kind}${typeof name === "string" ? ` ${name}` : ""} (explain reads ${KNOWN_KINDS.join(", ")})`);
      }
    }
  }
  if (objs.nodes.length === 0) throw new UsageError(`${files.join(", ")}: expected at least one Node object`);
  return { objects: objs, admission };
}

/** The pod to schedule, as the API server admits it when it is created. */
export function readPod(file: string, notes: string[], admission: Admission): Pod {
  const objs = readObjects(file, notes);
  const pods = objs.filter((o) => o.obj.kind === "Pod");
  if (pods.length !== 1) throw new UsageError(`${file}: expected exactly one Pod object, found ${pods.length}`);
  const pod = checkPod(pods[0]);
  try {
    return admission.admitPod(pod);
  } catch (e) {
    if (e instanceof AdmissionError) throw refused(pods[0].where, e);
    throw e;
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
    const config = opts.config ? loadSchedulerConfig(opts.config, catalog) : defaultSchedulerConfiguration(catalog);
    checkPluginArgs(config);
    const { objects, admission } = clusterObjects(opts.cluster, notes);
    const pod = readPod(opts.pod, notes, admission);
    // Every namespace the API server holds, with its kubernetes.io/metadata.name label (namespaceSelector reads them).
    objects.namespaces = admission.namespaceList();
    return `${JSON.stringify(explain(objects, pod, config, opts.pod))}\n`;
  } catch (e) {
    if (e instanceof SchedulerConfigError || e instanceof PluginModuleError) throw new UsageError(e.message);
    if (e instanceof Error && e.name === "QuantityError") throw new UsageError(`${opts.pod}: ${e.message}`);
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
