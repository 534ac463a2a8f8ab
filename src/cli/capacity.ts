/**
 * `kubesim capacity`: the two capacity-planning questions, on a cluster given as kubectl
 * output (the same --cluster files `kubesim explain` reads).
 *
 *   kubesim capacity --cluster FILES --pod FILE [--config FILE] [--max-limit N]
 *     How many more copies of this pod fit, where they land, and which constraint stops
 *     the next one (experiments/capacity/podCapacity.ts; cluster-capacity's question).
 *   kubesim capacity --cluster FILES --workload FILE --node-type FILE [--survive zone|node]
 *     The fewest nodes of this type to add so the workload (Deployments, StatefulSets,
 *     ReplicaSets, Pods) schedules, also after the loss of any one zone or node; the
 *     search is printed (experiments/capacity/nodesNeeded.ts).
 *
 * A table by default, --json for machines. Bad input: one line naming the file and the
 * field, exit 2.
 */
import type { Argv, CommandModule } from "yargs";
import type { Node, Pod } from "../model/types.js";
import { Admission, AdmissionError } from "../apiserver/admission/admission.js";
import { errorBody } from "../apiserver/admission/validation/fieldError.js";
import { validateObject } from "../apiserver/admission/validation/validateObject.js";
import { SchedulerConfigError } from "../scheduler/config/configError.js";
import { checkPluginArgs } from "../scheduler/config/runtime.js";
import { defaultSchedulerConfiguration, parseSchedulerConfigValue, type SchedulerConfiguration } from "../scheduler/config/schedulerConfig.js";
import { NoProfileError, type PodToPlace } from "../experiments/capacity/placement.js";
import { DEFAULT_MAX_COPIES, podCapacity, type PodCapacity } from "../experiments/capacity/podCapacity.js";
import { CapacityInputError, DEFAULT_MAX_NEW_NODES, nodesNeeded, type NodesNeeded, type SearchStatus, type Survive } from "../experiments/capacity/nodesNeeded.js";
import { checkInputFile, readInputFile } from "../scenario/inputFile.js";
import { formatPath, type PathSegment } from "../scenario/errors.js";
import { parseYamlDocument } from "../scenario/yamlInput.js";
import { clusterObjects, readObjects, readPod } from "./explain.js";
import { guarded, UsageError } from "./errors.js";
import { flagList, flagValue } from "./options.js";
import { SearchProgress } from "./progress.js";

/** Kinds a --workload file may hold: what runs pods, and what they refer to. */
const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "ReplicaSet", "Pod", "PriorityClass", "Namespace"];

function at(file: string, path: PathSegment[], message: string): UsageError {
  const p = formatPath(path);
  return new UsageError(p === "" ? `${file}: ${message}` : `${file}: ${p}: ${message}`);
}

function readConfig(file: string | undefined): SchedulerConfiguration {
  const config = file ? parseSchedulerConfigValue(parseYamlDocument(file, readInputFile(file, file)), file) : defaultSchedulerConfiguration();
  checkPluginArgs(config);
  return config;
}

/** A positive integer flag. */
function positive(v: unknown, flag: string, fallback: number): number {
  const s = flagValue(v, flag, "a positive integer");
  if (s === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`--${flag}: expected a positive integer, got ${JSON.stringify(s)}`);
  return Number(s);
}

/** The pods of a --workload file: each controller's replicas from its template, then bare Pods, admitted. */
export function readWorkload(file: string, admission: Admission): { pods: PodToPlace[]; objects: string[] } {
  const objs = readObjects(file);
  const pods: PodToPlace[] = [];
  const objects: string[] = [];
  const admit = (o: { path: PathSegment[] }, inner: PathSegment[], create: () => Pod): Pod => {
    try {
      return create();
    } catch (e) {
      if (e instanceof AdmissionError) throw at(file, [...o.path, ...inner, ...e.path], e.describe());
      throw e;
    }
  };
  for (const o of objs) {
    try {
      if (o.obj.kind === "PriorityClass") admission.createPriorityClass(o.obj as never);
      else if (o.obj.kind === "Namespace") admission.createNamespace(o.obj as never);
    } catch (e) {
      if (e instanceof AdmissionError) throw at(file, [...o.path, ...e.path], e.describe());
      throw e;
    }
  }
  for (const o of objs) {
    const kind = o.obj.kind as string;
    if (kind === "PriorityClass" || kind === "Namespace") continue;
    if (!WORKLOAD_KINDS.includes(kind)) throw at(file, [...o.path, "kind"], `expected ${WORKLOAD_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
    const e = validateObject(o.obj);
    if (e) throw at(file, [...o.path, ...e.path], errorBody(e));
    const meta = (o.obj.metadata ?? {}) as { name?: string; namespace?: string };
    const ns = meta.namespace || "default";
    const name = meta.name;
    if (!name) throw at(file, [...o.path, "metadata", "name"], "Required value: capacity names the workload's pods after it");
    if (kind === "Pod") {
      const pod = admit(o, [], () => admission.admitPod({ ...(o.obj as Pod), metadata: { ...(o.obj as Pod).metadata, namespace: ns } }));
      pods.push({ pod, name: `${ns}/${name}` });
      objects.push(`Pod ${ns}/${name}`);
      continue;
    }
    const spec = o.obj.spec as { replicas?: number; template: { metadata?: Pod["metadata"]; spec: Pod["spec"] } };
    // SetDefaults_Deployment / _StatefulSet / _ReplicaSet: replicas 1 when unset.
    const replicas = spec.replicas ?? 1;
    const template = admit(o, ["spec", "template"], () => admission.admitPod({ metadata: { ...spec.template.metadata, namespace: ns }, spec: spec.template.spec }));
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      pods.push({ pod: { ...template, metadata: { ...template.metadata, name: podName, namespace: ns } }, name: `${ns}/${podName}` });
    }
    objects.push(`${kind} ${ns}/${name} (${replicas})`);
  }
  if (pods.length === 0) throw new UsageError(`${file}: expected a Deployment, StatefulSet, ReplicaSet or Pod to place`);
  return { pods, objects };
}

/** The DaemonSets of the --cluster files, each as its admitted pod template named after it: they run on new nodes too. */
export function readDaemonSets(files: readonly string[], admission: Admission): Pod[] {
  const out: Pod[] = [];
  for (const file of files) {
    for (const o of readObjects(file)) {
      if (o.obj.kind !== "DaemonSet") continue;
      const e = validateObject(o.obj, { stored: true });
      if (e) throw at(file, [...o.path, ...e.path], errorBody(e));
      const meta = (o.obj.metadata ?? {}) as { name?: string; namespace?: string };
      const t = (o.obj.spec as { template: { metadata?: Pod["metadata"]; spec: Pod["spec"] } }).template;
      try {
        const pod = admission.admitPod({ metadata: { ...t.metadata, namespace: meta.namespace || "default" }, spec: t.spec });
        out.push({ ...pod, metadata: { ...pod.metadata, name: meta.name ?? "daemon" } });
      } catch (err) {
        if (err instanceof AdmissionError) throw at(file, [...o.path, "spec", "template", ...err.path], err.describe());
        throw err;
      }
    }
  }
  return out;
}

/** The --node-type file: one v1 Node, validated as the API server registers one. */
export function readNodeType(file: string, admission: Admission): Node {
  const nodes = readObjects(file).filter((o) => o.obj.kind === "Node");
  if (nodes.length !== 1) throw new UsageError(`${file}: expected exactly one Node object (the node type), found ${nodes.length}`);
  const o = nodes[0];
  try {
    admission.validateNode(o.obj as Node);
  } catch (e) {
    if (e instanceof AdmissionError) throw at(file, [...o.path, ...e.path], e.describe());
    throw e;
  }
  const alloc = (o.obj as Node).status?.allocatable;
  if (!alloc || alloc.cpu === undefined || alloc.memory === undefined) throw at(file, [...o.path, "status", "allocatable"], "expected the node type's allocatable cpu and memory");
  return o.obj as Node;
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]))).join("  ").trimEnd()).join("\n");
}

export function podCapacityTable(r: PodCapacity): string {
  const lines = [`${r.pod}: ${r.copies} more ${r.copies === 1 ? "copy fits" : "copies fit"}`, "", pad([["NODE", "COPIES"], ...r.nodes.map((n) => [n.name, String(n.copies)])]), ""];
  if (r.stoppedBy) lines.push(`The next copy does not fit: ${r.stoppedBy.message}`);
  else lines.push(`Stopped at the limit of ${r.limit} copies (--max-limit); more may fit.`);
  return `${lines.join("\n")}\n`;
}

export function nodesNeededTable(r: NodesNeeded, what: string, nodeType: string): string {
  const surviving = r.survive ? ` and after losing any one ${r.survive}` : "";
  const lines = [
    `${what}: ${r.pods} pods; new nodes of type ${nodeType}${r.zones.length > 0 ? `, spread over ${r.zones.join(", ")} round robin` : ""}`,
    "",
    pad([["NEW NODES", "FITS", "PLACED", "FAILED CASE", "FIRST FAILURE"], ...r.search.map((t) => [String(t.nodes), t.fits ? "yes" : "no", `${t.placed}/${r.pods}`, t.failedCase ?? "-", t.message ?? "-"])]),
    "",
    r.nodes === null ? `Even ${r.maxNodes} new nodes (--max-nodes) do not do${surviving}.` : `Fewest new nodes so the workload schedules${surviving}: ${r.nodes}`,
  ];
  return `${lines.join("\n")}\n`;
}

export interface CapacityOptions {
  cluster: string[];
  pod?: string;
  workload?: string;
  nodeType?: string;
  survive?: Survive;
  config?: string;
  json?: boolean;
  maxLimit?: number;
  maxNodes?: number;
  /** Progress of the --workload search, before each placement (the CLI's bar on a terminal). */
  onStatus?: (s: SearchStatus) => void;
}

/** The whole command as a function (tests call this): the output text; notes collect what was ignored. */
export function capacityFiles(opts: CapacityOptions, notes: string[]): string {
  try {
    const config = readConfig(opts.config);
    // --workload reads the DaemonSets too (their pods run on the new nodes).
    const { objects, admission } = clusterObjects(opts.cluster, notes, "capacity", opts.pod === undefined ? ["DaemonSet"] : []);
    if (opts.pod !== undefined) {
      const pod = readPod(opts.pod, notes, admission);
      objects.namespaces = admission.namespaceList();
      const r = podCapacity(objects, pod, config, opts.maxLimit ?? DEFAULT_MAX_COPIES);
      return opts.json ? `${JSON.stringify(r)}\n` : podCapacityTable(r);
    }
    const nodeType = readNodeType(opts.nodeType!, admission);
    const workload = readWorkload(opts.workload!, admission);
    objects.namespaces = admission.namespaceList();
    const daemonSets = readDaemonSets(opts.cluster, admission);
    const r = nodesNeeded(objects, workload.pods, nodeType, config, { survive: opts.survive, maxNodes: opts.maxNodes, daemonSets, onStatus: opts.onStatus });
    const typeName = nodeType.metadata?.labels?.["node.kubernetes.io/instance-type"] ?? nodeType.metadata?.name ?? "node";
    return opts.json ? `${JSON.stringify({ workload: workload.objects, nodeType: typeName, ...r })}\n` : nodesNeededTable(r, workload.objects.join(", "), typeName);
  } catch (e) {
    if (e instanceof SchedulerConfigError) throw new UsageError(e.message);
    if (e instanceof NoProfileError) throw new UsageError(`${opts.pod ?? opts.workload}: spec.schedulerName: ${e.message}`);
    if (e instanceof CapacityInputError) throw new UsageError(e.message);
    throw e;
  }
}

export const capacityCommand: CommandModule = {
  command: "capacity",
  describe: "how many more copies of a pod fit (--pod), or how many nodes of a type a workload needs (--workload --node-type [--survive zone|node])",
  builder: (y: Argv) =>
    y
      .option("cluster", { type: "string", array: true, requiresArg: true, demandOption: true, describe: "v1 Node/Pod/... objects (kubectl get nodes,pods,... -A -o yaml); repeatable" })
      .option("pod", { type: "string", requiresArg: true, describe: "the v1 Pod to copy until one does not fit" })
      .option("workload", { type: "string", requiresArg: true, describe: "Deployments, StatefulSets, ReplicaSets or Pods to place (with --node-type)" })
      .option("node-type", { type: "string", requiresArg: true, describe: "a v1 Node: the type of the nodes to add (allocatable, labels, taints)" })
      .option("survive", { type: "string", requiresArg: true, describe: "zone or node: the workload must also fit after losing any one" })
      .option("config", { type: "string", requiresArg: true, describe: "KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1); default: upstream defaults" })
      .option("max-limit", { type: "string", requiresArg: true, describe: `stop after this many copies (default ${DEFAULT_MAX_COPIES})` })
      .option("max-nodes", { type: "string", requiresArg: true, describe: `the most new nodes to try (default ${DEFAULT_MAX_NEW_NODES})` })
      .option("json", { type: "boolean", describe: "one JSON object instead of the table" }),
  handler: (argv) =>
    guarded(() => {
      const notes: string[] = [];
      const cluster = flagList(argv.cluster, "cluster", "a file of Kubernetes objects");
      const pod = flagValue(argv.pod, "pod", "the pod file");
      const workload = flagValue(argv.workload, "workload", "the workload file");
      const nodeType = flagValue(argv["node-type"], "node-type", "the node type file");
      const survive = flagValue(argv.survive, "survive", "zone or node");
      const config = flagValue(argv.config, "config", "the KubeSchedulerConfiguration file");
      if ((pod === undefined) === (workload === undefined)) throw new UsageError(`kubesim capacity: expected exactly one of --pod or --workload, got ${pod === undefined ? "neither" : "both"} (see kubesim capacity --help)`);
      if (workload !== undefined && nodeType === undefined) throw new UsageError("--workload: expected --node-type too (the v1 Node to add copies of)");
      if (pod !== undefined && (nodeType !== undefined || survive !== undefined)) throw new UsageError(`--${nodeType !== undefined ? "node-type" : "survive"}: goes with --workload, not --pod`);
      if (survive !== undefined && survive !== "zone" && survive !== "node") throw new UsageError(`--survive: expected zone or node, got ${JSON.stringify(survive)}`);
      const maxLimit = positive(argv["max-limit"], "max-limit", DEFAULT_MAX_COPIES);
      const maxNodes = positive(argv["max-nodes"], "max-nodes", DEFAULT_MAX_NEW_NODES);
      for (const f of [...cluster, pod, workload, nodeType, config]) if (f !== undefined) checkInputFile(f, f);
      // The --workload search places the workload once per case of each count tried: a bar on a terminal.
      const progress = new SearchProgress(process.stderr.isTTY === true);
      let text: string;
      try {
        text = capacityFiles({ cluster, pod, workload, nodeType, survive: survive as Survive | undefined, config, json: argv.json === true, maxLimit, maxNodes, onStatus: (s) => progress.update(s) }, notes);
      } finally {
        progress.stop();
      }
      for (const n of notes) process.stderr.write(`${n}\n`);
      process.stdout.write(text);
    }),
};
