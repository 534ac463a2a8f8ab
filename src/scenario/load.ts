/**
 * Loading a scenario: read the file (a regular file within the input limit), parse
 * YAML or JSON (errors name the line), apply --set overrides, validate against the
 * schema, check references between sections and the size of the run against its
 * limits, resolve it into the run (admission, component sections). Every failure is a
 * ScenarioError with one line of text; what is accepted but worth a word (a fault
 * after the end of the run, objects of a manifest file that were skipped) is a warning.
 */
import { basename, dirname } from "node:path";
import { checkBounds } from "./bounds.js";
import { csvEndWarnings, resolveArrivalRates } from "./arrivalRate.js";
import { durationUs, formatDurationUs } from "./duration.js";
import { ScenarioError, formatPath, fromZodIssue, type PathSegment } from "./errors.js";
import { readInputFile } from "./inputFile.js";
import { examples, expandManifests, type Origin } from "./manifests.js";
import { expandCluster } from "./clusterExport.js";
import { workloadEntries, type WorkloadEntry } from "./workloadEntries.js";
import { applyOverrides } from "./overrides.js";
import { resolveScenario, spreadOverZones } from "./resolve.js";
import { MAX_DEPLOYMENT_REPLICAS } from "../apiserver/admission/validation/workloads.js";
import { IMMORTAL_NAMESPACE_MESSAGE, IMMORTAL_NAMESPACES } from "../apiserver/admission/namespaceLifecycle.js";
import { INITIAL_NAMESPACES } from "../apiserver/admission/admission.js";
import { NAMESPACE_DELETION_GRACE_PERIOD_US } from "../controllers/namespace/namespaceController.js";
import type { ClusterSpec } from "../run/spec.js";
import { scenarioSchema, type Scenario } from "./schema.js";
import { DEFAULT_POD_STARTUP_DELAY } from "./sections/run.js";
import { parseYamlDocument } from "./yamlInput.js";
import { checkZoneCapacity } from "./zoneCapacity.js";
import { hasCloud } from "./cloud.js";

/** A scenario validated and resolved into the run it describes. */
export interface PreparedScenario {
  /** As validated, with defaults (the manifest's `parameters`). */
  scenario: Scenario;
  /** The run: objects admitted by the API server, sections resolved (run/spec.ts). */
  spec: ClusterSpec;
  /**
   * What was accepted but changes what the user may expect, one line each, naming the
   * file (and field): faults after the end of the run, objects of manifest files that
   * were skipped or re-scheduled. `kubesim run` and `validate` print them once on
   * stderr; manifest.json lists them.
   */
  warnings: string[];
}

export interface LoadedScenario extends PreparedScenario {
  /** The file as given on the command line. */
  file: string;
  /** The file's exact bytes (for the manifest's sha256). */
  text: string;
}

export interface LoadOptions {
  /** --set overrides, in order. */
  set?: readonly string[];
  /** --seed, applied after --set. */
  seed?: number;
  /** Folder that manifest paths are relative to (default: the scenario file's, else the working directory). */
  baseDir?: string;
}

/** Parse YAML (JSON is YAML) text; an error names the file and, where the parser knows it, the line. */
export function parseScenarioText(file: string, text: string): unknown {
  return parseYamlDocument(file, text);
}

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadedScenario {
  const text = readInputFile(file, displayName(file));
  const raw = parseScenarioText(displayName(file), text);
  return { file, text, ...prepareScenario(raw, displayName(file), { baseDir: dirname(file), ...options }) };
}

/** Validate a parsed scenario object (from a file, or built in code); resolving it finds the errors only resolving can. */
export function validateScenario(raw: unknown, file = "scenario", options: LoadOptions = {}): Scenario {
  return prepareScenario(raw, file, options).scenario;
}

/**
 * Validate and resolve a parsed scenario object: the schema, the references between
 * sections, then the objects through the API server's admission and the components'
 * sections (scheduler configuration, custom plugins), each parsed once.
 */
export function prepareScenario(raw: unknown, file = "scenario", options: LoadOptions = {}): PreparedScenario {
  let doc = raw;
  if (options.set && options.set.length > 0) doc = applyOverrides(structuredClone(doc ?? {}), options.set);
  if (options.seed !== undefined) doc = { ...(doc as object), seed: options.seed };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new ScenarioError(file, "", "expected a mapping with name, duration, nodePools, workloads, ...");
  }
  // A cluster export (`cluster:`): its Nodes become pools, its objects a manifests entry.
  const cluster = expandCluster(doc as Record<string, unknown>, file, options.baseDir ?? ".");
  const clusterFiles = cluster && { files: cluster.clusterFiles, renameNodes: cluster.renameNodes };
  const { doc: expanded, origins, warnings, adopted } = expandManifests(cluster?.doc ?? (doc as Record<string, unknown>), file, options.baseDir ?? ".", clusterFiles);
  if (cluster) warnings.unshift(...cluster.warnings);
  // The objects of apply actions are expanded the same way, each list on its own.
  const appliedOrigins = new Map<number, Origin[]>();
  if (Array.isArray(expanded.actions)) {
    expanded.actions = expanded.actions.map((a: unknown, i: number) => {
      if (a === null || typeof a !== "object" || (a as { type?: unknown }).type !== "apply" || !Array.isArray((a as { workloads?: unknown }).workloads)) return a;
      const r = expandManifests({ workloads: (a as { workloads: unknown[] }).workloads }, file, options.baseDir ?? ".");
      // an inline object's origin is its place in the action, not in `workloads`
      appliedOrigins.set(i, r.origins.map((o) => (o.file === file && o.path[0] === "workloads" ? { file, path: ["actions", i, ...o.path] } : o)));
      warnings.push(...r.warnings);
      return { ...a, workloads: r.doc.workloads };
    });
  }
  // Paths into the expanded workloads lists point back to the scenario entry or manifest object.
  const relocate = (path: PathSegment[]): { file: string; path: PathSegment[] } => {
    if (path[0] === "workloads" && typeof path[1] === "number" && origins[path[1]]) {
      const o = origins[path[1]];
      return { file: o.file, path: [...o.path, ...path.slice(2)] };
    }
    if (path[0] === "actions" && typeof path[1] === "number" && path[2] === "workloads" && typeof path[3] === "number") {
      const o = appliedOrigins.get(path[1])?.[path[3]];
      if (o) return { file: o.file, path: [...o.path, ...path.slice(4)] };
    }
    return { file, path };
  };
  const parsed = scenarioSchema.safeParse(expanded);
  if (!parsed.success) throw fromZodIssue(file, parsed.error.issues[0], expanded, relocate);
  const result = { data: podStartupModel(file, parsed.data) };
  const workloadError = (path: PathSegment[], expected: string) => {
    const at = relocate(path);
    return new ScenarioError(at.file, formatPath(at.path), expected);
  };
  checkReferences(file, result.data, workloadError);
  const baseDir = options.baseDir ?? ".";
  const arrivalRates = resolveArrivalRates(result.data, baseDir, relocate);
  checkBounds(result.data, workloadError, arrivalRates);
  warnings.push(...notReached(file, result.data), ...csvEndWarnings(result.data, arrivalRates, file));
  warnings.push(...checkNodeNames(file, result.data, (e) => (e.action < 0 ? origins[e.path[1] as number] : appliedOrigins.get(e.action)?.[e.path[3] as number]), workloadError));
  const spec = resolveScenario(result.data, { file, locate: relocate, baseDir, arrivalRates });
  // A cluster export's controller-owned pods start bound, adopted by their workloads (run/adoptedPods.ts).
  if (adopted.length > 0) spec.adoptedPods = adopted;
  return { scenario: result.data, spec, warnings };
}

/**
 * podStartupDelay is the one-delay start the containerRuntime section replaces: a
 * scenario sets one or the other. Without a runtime the delay gets its default here
 * (not in the schema, which could not tell a default from a value the user wrote).
 */
function podStartupModel(file: string, s: Scenario): Scenario {
  if (s.containerRuntime !== undefined) {
    if (s.podStartupDelay === undefined) return s;
    throw new ScenarioError(file, "podStartupDelay", "expected no podStartupDelay in a scenario with a containerRuntime section (the runtime's sandboxCreate, image pulls and containerStart replace it)");
  }
  if (s.podStartupDelay !== undefined) return s;
  // In the field's place (after sampleInterval), as the schema's default put it: manifest.json keeps its order.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = v;
    if (k === "sampleInterval") out.podStartupDelay = DEFAULT_POD_STARTUP_DELAY;
  }
  return out as Scenario;
}

/** The name used in messages: the path as given (short and recognisable). */
function displayName(file: string): string {
  return file.length > 0 ? file : basename(file);
}

/** Cross-section checks the schema cannot express: names exist, times are inside the run. */
function checkReferences(file: string, s: Scenario, workloadError: (path: PathSegment[], expected: string) => ScenarioError): void {
  const durUs = durationUs(s.duration);
  if (durUs <= 0) throw new ScenarioError(file, "duration", `expected a positive duration, got ${JSON.stringify(s.duration)}`);
  const sampleUs = durationUs(s.sampleInterval);
  if (sampleUs <= 0 || sampleUs > durUs) {
    throw new ScenarioError(file, "sampleInterval", `expected a positive duration no longer than duration, got ${JSON.stringify(s.sampleInterval)}`);
  }
  const pools = new Map<string, number>();
  const zones = new Set<string>();
  s.nodePools.forEach((p, i) => {
    if (pools.has(p.name)) throw new ScenarioError(file, `nodePools[${i}].name`, `expected a unique pool name, got ${JSON.stringify(p.name)} twice`);
    pools.set(p.name, p.count);
    for (const z of p.zones ?? []) zones.add(typeof z === "string" ? z : z.name);
  });
  /** Nodes of a zone across pools; only asked for a fault with a count, and pools beyond limits.nodes are refused by the bounds check anyway. */
  const zoneSize = (zone: string): number => {
    let n = 0;
    for (const p of s.nodePools) {
      if (p.count > s.limits.nodes) return Infinity;
      const weighted = (p.zones ?? []).map((z) => (typeof z === "string" ? { name: z, weight: 1 } : z));
      if (weighted.some((z) => z.name === zone)) n += spreadOverZones(weighted, p.count).filter((z) => z === zone).length;
    }
    return n;
  };
  const workloadNames = new Set<string>();
  for (const { w, path, action } of workloadEntries(s)) {
    if (action >= 0 && (w.kind === "PoissonArrivals" || w.kind === "PriorityClass" || w.kind === "Namespace")) {
      throw workloadError([...path, "kind"], `expected a Deployment, DaemonSet, StatefulSet, Job, Pod or PodDisruptionBudget to apply, got ${w.kind} (${w.kind === "PoissonArrivals" ? "it has its own start" : "it exists from the start: put it in workloads"})`);
    }
    const clusterScoped = w.kind === "PriorityClass" || w.kind === "Namespace";
    const name = w.kind === "PoissonArrivals" ? `${w.namespace}/${w.name}` : clusterScoped ? w.metadata.name : `${w.metadata.namespace ?? "default"}/${w.metadata.name}`;
    if (workloadNames.has(`${w.kind}/${name}`)) {
      throw workloadError([...path, "metadata", "name"], `expected a unique ${w.kind} name${clusterScoped ? "" : " per namespace"}, got ${name} twice`);
    }
    workloadNames.add(`${w.kind}/${name}`);
    // (A Deployment whose selector does not select its template is refused by the API server's validation.)
    // MaxUnavailableStatefulSet is alpha, off by default, through 1.34 (beta from 1.35): kubesim updates one pod at a time.
    const stsMaxUnavailable = w.kind === "StatefulSet" ? w.spec.updateStrategy?.rollingUpdate?.maxUnavailable : undefined;
    if (stsMaxUnavailable !== undefined && stsMaxUnavailable !== null && stsMaxUnavailable !== 1) {
      throw workloadError(
        [...path, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable"],
        `expected 1 or nothing (kubesim updates a StatefulSet one pod at a time, as upstream does without the MaxUnavailableStatefulSet feature gate, alpha through 1.34), got ${JSON.stringify(stsMaxUnavailable)}`,
      );
    }
    if (w.kind === "PoissonArrivals" && w.stop !== undefined && w.start !== undefined && durationUs(w.stop) < durationUs(w.start)) {
      throw workloadError([...path, "stop"], `expected a time after start, got ${JSON.stringify(w.stop)}`);
    }
  }
  /** A node selection (node, pool or zone, + count) of faults[i] or actions[i] names nodes of the scenario. */
  const checkNodes = (section: "faults" | "actions", i: number, f: { node?: string; pool?: string; zone?: string; count?: number }, zoneCount: boolean): void => {
    if (f.pool !== undefined) {
      const count = pools.get(f.pool);
      if (count === undefined) {
        throw new ScenarioError(file, `${section}[${i}].pool`, `expected the name of a node pool (${[...pools.keys()].join(", ")}), got ${JSON.stringify(f.pool)}`);
      }
      if (f.count !== undefined && f.count > count) {
        throw new ScenarioError(file, `${section}[${i}].count`, `expected at most ${count} (the size of pool ${f.pool}), got ${f.count}`);
      }
    }
    if (f.zone !== undefined && !zones.has(f.zone)) {
      throw new ScenarioError(file, `${section}[${i}].zone`, `expected a zone of some node pool (${[...zones].join(", ") || "none defined"}), got ${JSON.stringify(f.zone)}`);
    }
    if (zoneCount && f.zone !== undefined && f.count !== undefined && f.count > zoneSize(f.zone)) {
      throw new ScenarioError(file, `${section}[${i}].count`, `expected at most ${zoneSize(f.zone)} (the nodes of zone ${f.zone}), got ${f.count}`);
    }
    if (f.node !== undefined && !isNodeOf(pools, f.node)) {
      throw new ScenarioError(file, `${section}[${i}].node`, `expected a node name <pool>-<index> such as ${s.nodePools[0].name}-0, got ${JSON.stringify(f.node)}`);
    }
  };
  s.faults.forEach((f, i) => {
    if (f.type === "zone-outage" && f.controlPlane && !s.controlPlane) {
      throw new ScenarioError(file, `faults[${i}].controlPlane`, "expected false without a controlPlane section (there are no control-plane hosts to cut off)");
    }
    if (f.type === "zone-capacity-exhausted") return checkZoneCapacity(file, s, i, f, zones, hasCloud(s)); // the cloud's fault (issue 12)
    checkNodes("faults", i, f.type === "zone-outage" ? { zone: f.zone } : f, f.type !== "zone-outage");
  });
  const named = (kind: string) => new Set(workloadEntries(s).flatMap(({ w }) => (w.kind === kind && w.kind !== "PoissonArrivals" ? [`${w.metadata.namespace ?? "default"}/${w.metadata.name}`] : [])));
  // An action on an object an apply action creates must come at or after the apply.
  const appliedAt = new Map(workloadEntries(s).flatMap(({ w, atUs, action }) => (action >= 0 && w.kind !== "PoissonArrivals" ? [[`${w.kind}/${w.metadata.namespace ?? "default"}/${w.metadata.name}`, { atUs, action }] as const] : [])));
  s.actions.forEach((a, i) => {
    if (a.type === "delete") {
      const created = appliedAt.get(`${a.kind}/${a.namespace}/${a.name}`);
      if (created && durationUs(a.at) < created.atUs) throw new ScenarioError(file, `actions[${i}].at`, `expected a time at or after actions[${created.action}] (the apply that creates ${a.kind.toLowerCase()} ${a.namespace}/${a.name}, at ${formatDurationUs(created.atUs)}), got ${JSON.stringify(a.at)}`);
      return;
    }
    if (!("namespace" in a)) return;
    const [field, kind] = "deployment" in a && a.deployment !== undefined ? (["deployment", "Deployment"] as const) : "statefulSet" in a && a.statefulSet !== undefined ? (["statefulSet", "StatefulSet"] as const) : "daemonSet" in a && a.daemonSet !== undefined ? (["daemonSet", "DaemonSet"] as const) : [undefined, undefined];
    if (field === undefined) return;
    const created = appliedAt.get(`${kind}/${a.namespace}/${(a as Record<string, unknown>)[field]}`);
    if (created && durationUs(a.at) < created.atUs) {
      throw new ScenarioError(file, `actions[${i}].at`, `expected a time at or after actions[${created.action}] (the apply that creates ${kind.toLowerCase()} ${a.namespace}/${(a as Record<string, unknown>)[field]}, at ${formatDurationUs(created.atUs)}), got ${JSON.stringify(a.at)}`);
    }
  });
  const deployments = named("Deployment");
  const statefulSets = named("StatefulSet");
  const daemonSets = named("DaemonSet");
  checkDeletes(file, s);
  s.actions.forEach((a, i) => {
    if (a.type === "delete" || a.type === "delete-namespace") return; // checkDeletes
    if (a.type === "scale" && a.statefulSet !== undefined) {
      if (!statefulSets.has(`${a.namespace}/${a.statefulSet}`)) {
        throw new ScenarioError(file, `actions[${i}].statefulSet`, `expected the name of a StatefulSet of the scenario in namespace ${a.namespace} (${[...statefulSets].join(", ") || "none"}), got ${JSON.stringify(a.statefulSet)}`);
      }
      if (a.replicas > MAX_DEPLOYMENT_REPLICAS) throw new ScenarioError(file, `actions[${i}].replicas`, `expected at most ${MAX_DEPLOYMENT_REPLICAS} replicas (kubesim's limit for one StatefulSet), got ${a.replicas}`);
    } else if (a.type === "scale") {
      if (!deployments.has(`${a.namespace}/${a.deployment}`)) {
        throw new ScenarioError(file, `actions[${i}].deployment`, `expected the name of a Deployment of the scenario in namespace ${a.namespace} (${[...deployments].join(", ") || "none"}), got ${JSON.stringify(a.deployment)}`);
      }
      if (a.replicas > MAX_DEPLOYMENT_REPLICAS) throw new ScenarioError(file, `actions[${i}].replicas`, `expected at most ${MAX_DEPLOYMENT_REPLICAS} replicas (kubesim's limit for one Deployment), got ${a.replicas}`);
    } else if (a.type === "set-image" || a.type === "rollout-restart") {
      const [field, kind, names, name] =
        a.deployment !== undefined ? ["deployment", "Deployment", deployments, a.deployment] : a.statefulSet !== undefined ? ["statefulSet", "StatefulSet", statefulSets, a.statefulSet] : ["daemonSet", "DaemonSet", daemonSets, a.daemonSet];
      if (!names.has(`${a.namespace}/${name}`)) {
        throw new ScenarioError(file, `actions[${i}].${field}`, `expected the name of a ${kind} of the scenario in namespace ${a.namespace} (${[...names].join(", ") || "none"}), got ${JSON.stringify(name)}`);
      }
    } else if (a.type === "pause" || a.type === "resume") {
      if (!deployments.has(`${a.namespace}/${a.deployment}`)) {
        throw new ScenarioError(file, `actions[${i}].deployment`, `expected the name of a Deployment of the scenario in namespace ${a.namespace} (${[...deployments].join(", ") || "none"}), got ${JSON.stringify(a.deployment)}`);
      }
    } else if (a.type === "node-pool-upgrade") {
      checkNodes("actions", i, { pool: a.pool }, false);
      const first = s.actions.findIndex((b) => b.type === "node-pool-upgrade" && b.pool === a.pool);
      if (first !== i) throw new ScenarioError(file, `actions[${i}].pool`, `expected one node-pool-upgrade per pool, got a second one for pool ${a.pool} (the first is actions[${first}])`);
    } else if (a.type !== "apply") checkNodes("actions", i, a, true);
  });
}

/**
 * delete and delete-namespace actions: the workload or namespace exists; default,
 * kube-system and kube-public may not be deleted (NamespaceLifecycle); and no action names
 * a workload or namespace that an earlier action (earlier in time, or at the same time and
 * earlier in the list) deleted: kubectl would answer NotFound. A namespace's workloads exist
 * until the namespace controller's first sync, namespaceDeletionGracePeriod (5 s) after its
 * delete: a scale in between is accepted (its creates are refused).
 */
function checkDeletes(file: string, s: Scenario): void {
  const kinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);
  const workloads = new Set<string>();
  const namespaces = new Set<string>(INITIAL_NAMESPACES);
  for (const { w } of workloadEntries(s)) {
    if (w.kind === "Namespace") namespaces.add(w.metadata.name);
    else if (w.kind === "PoissonArrivals") namespaces.add(w.namespace);
    else if (w.kind !== "PriorityClass") {
      const ns = w.metadata.namespace ?? "default";
      namespaces.add(ns);
      if (kinds.has(w.kind)) workloads.add(`${w.kind}/${ns}/${w.metadata.name}`);
    }
  }
  const order = s.actions.map((a, i) => ({ a, i, atUs: durationUs(a.at) }));
  /** The first action before actions[i] that deletes the workload (or its namespace): when the object goes, and that action. */
  const deletedBefore = (i: number, kind: string | undefined, namespace: string, name: string | undefined) =>
    order.find((x) => {
      const goneUs = x.a.type === "delete-namespace" && kind !== undefined ? x.atUs + NAMESPACE_DELETION_GRACE_PERIOD_US : x.atUs;
      const before = goneUs < order[i].atUs || (goneUs === order[i].atUs && x.i < i);
      return before && ((x.a.type === "delete-namespace" && x.a.namespace === namespace) || (kind !== undefined && x.a.type === "delete" && x.a.kind === kind && x.a.namespace === namespace && x.a.name === name));
    });
  s.actions.forEach((a, i) => {
    let target: { kind?: string; name?: string; namespace: string; field: string } | undefined;
    if (a.type === "delete") {
      const key = `${a.kind}/${a.namespace}/${a.name}`;
      if (!workloads.has(key)) {
        const same = [...workloads].filter((k) => k.startsWith(`${a.kind}/`)).map((k) => k.slice(a.kind.length + 1));
        throw new ScenarioError(file, `actions[${i}].name`, `expected the name of a ${a.kind} of the scenario in namespace ${a.namespace} (${same.join(", ") || "none"}), got ${JSON.stringify(a.name)}`);
      }
      target = { kind: a.kind, name: a.name, namespace: a.namespace, field: "name" };
    } else if (a.type === "delete-namespace") {
      if (IMMORTAL_NAMESPACES.includes(a.namespace)) {
        throw new ScenarioError(file, `actions[${i}].namespace`, `expected a namespace that may be deleted, got ${JSON.stringify(a.namespace)}: namespaces "${a.namespace}" is forbidden: ${IMMORTAL_NAMESPACE_MESSAGE} (NamespaceLifecycle admission)`);
      }
      if (a.namespace === "kube-node-lease") {
        throw new ScenarioError(file, `actions[${i}].namespace`, `expected a namespace that may be deleted, got "kube-node-lease": kubesim does not model deleting it (upstream allows it; the API server's system namespaces controller creates it again)`);
      }
      if (!namespaces.has(a.namespace)) {
        throw new ScenarioError(file, `actions[${i}].namespace`, `expected a namespace of the scenario (${[...namespaces].filter((n) => !(INITIAL_NAMESPACES as readonly string[]).includes(n)).join(", ") || "none but the initial ones"}), got ${JSON.stringify(a.namespace)}`);
      }
      target = { namespace: a.namespace, field: "namespace" };
    } else if (a.type === "scale" || a.type === "set-image" || a.type === "rollout-restart" || a.type === "pause" || a.type === "resume") {
      const named = a as { deployment?: string; statefulSet?: string; daemonSet?: string; namespace: string };
      const [kind, field, name] =
        named.deployment !== undefined ? ["Deployment", "deployment", named.deployment] : named.statefulSet !== undefined ? ["StatefulSet", "statefulSet", named.statefulSet] : ["DaemonSet", "daemonSet", named.daemonSet];
      target = { kind, name, namespace: named.namespace, field };
    }
    if (!target) return;
    const by = deletedBefore(i, target.kind, target.namespace, target.name);
    if (!by) return;
    const what = target.kind === undefined ? `namespace ${target.namespace}` : `${target.kind} ${target.namespace}/${target.name}`;
    const controller = by.a.type === "delete-namespace" && target.kind !== undefined ? ` (the namespace controller at ${formatDurationUs(by.atUs + NAMESPACE_DELETION_GRACE_PERIOD_US)})` : "";
    throw new ScenarioError(file, `actions[${i}].${target.field}`, `expected a ${target.kind === undefined ? "namespace" : target.kind} that still exists at ${formatDurationUs(durationUs(a.at))}, got ${what}: actions[${by.i}] (${by.a.type}) deletes it at ${formatDurationUs(by.atUs)}${controller}`);
  });
}

/** Whether `name` is a node of the scenario: <pool>-<index> with index below the pool's count. */
function isNodeOf(pools: ReadonlyMap<string, number>, name: string): boolean {
  const m = /^(.*)-(\d+)$/.exec(name);
  const count = m ? pools.get(m[1]) : undefined;
  return m !== null && count !== undefined && String(Number(m[2])) === m[2] && Number(m[2]) < count;
}

/**
 * Faults and arrivals timed after the end of the run are accepted (so `--set
 * duration=10m` works on any scenario) and reported as not reached. A time at the
 * end itself is reached: the run processes its last instant.
 */
function notReached(file: string, s: Scenario): string[] {
  const endUs = durationUs(s.duration);
  const out: string[] = [];
  const after = (what: string, atUs: number) => `${file}: ${what} at ${formatDurationUs(atUs)} is after the end of the run (duration ${s.duration}): not reached`;
  s.faults.forEach((f, i) => {
    const at = durationUs(f.at);
    if (at > endUs) out.push(after(`faults[${i}] (${f.type})`, at));
  });
  s.controlPlane?.faults.forEach((f, i) => {
    if (f.atUs > endUs) out.push(after(`controlPlane.faults[${i}] (${f.type})`, f.atUs));
  });
  s.actions.forEach((a, i) => {
    const at = durationUs(a.at);
    if (at > endUs) out.push(after(`actions[${i}] (${a.type})`, at));
  });
  s.workloads.forEach((w, i) => {
    if (!("kind" in w) || w.kind !== "PoissonArrivals" || w.start === undefined) return;
    const start = durationUs(w.start);
    if (start >= endUs && endUs > 0) out.push(`${file}: workloads[${i}] (PoissonArrivals ${w.name}) starts at ${formatDurationUs(start)}, not before the end of the run (duration ${s.duration}): no arrivals`);
  });
  return out;
}

/**
 * spec.nodeName must name a node of the scenario: no kubelet would ever run a pod bound
 * to a node that does not exist (upstream, the pod garbage collector deletes it). In a
 * pod written for the scenario that is an error. In a Pod imported from a manifest file
 * (`kubectl get pods -o yaml`), the name is the source cluster's binding, not the
 * author's choice: the binding is cleared and the pod is scheduled anew, with a warning.
 */
function checkNodeNames(file: string, s: Scenario, originOf: (e: WorkloadEntry) => Origin | undefined, error: (path: PathSegment[], expected: string) => ScenarioError): string[] {
  const pools = new Map(s.nodePools.map((p) => [p.name, p.count]));
  const expected = (got: string) => `expected the name of a node of the scenario (<pool>-<index>, such as ${s.nodePools[0].name}-0), got ${JSON.stringify(got)}: no kubelet would run the pod`;
  const cleared = new Map<string, string[]>();
  for (const e of workloadEntries(s)) {
    const w = e.w;
    const spec = w.kind === "Pod" ? w.spec : w.kind === "Deployment" || w.kind === "DaemonSet" || w.kind === "Job" || w.kind === "StatefulSet" ? w.spec.template.spec : w.kind === "PoissonArrivals" ? w.template.spec : undefined;
    const name = spec?.nodeName;
    if (spec === undefined || name === undefined || name === "" || isNodeOf(pools, name)) continue;
    const path: PathSegment[] = w.kind === "Pod" ? [...e.path, "spec", "nodeName"] : w.kind === "Deployment" || w.kind === "DaemonSet" || w.kind === "Job" || w.kind === "StatefulSet" ? [...e.path, "spec", "template", "spec", "nodeName"] : [...e.path, "template", "spec", "nodeName"];
    const origin = originOf(e);
    if (w.kind !== "Pod" || origin === undefined || origin.file === file) throw error(path, expected(name));
    delete spec.nodeName;
    const list = cleared.get(origin.file) ?? [];
    list.push(`${w.metadata.name} on ${name}`);
    cleared.set(origin.file, list);
  }
  return [...cleared].map(
    ([from, pods]) =>
      `${from}: ${pods.length === 1 ? "1 Pod is" : `${pods.length} Pods are`} bound to nodes the scenario does not have (${examples(pods)}): ` +
      `spec.nodeName cleared, the simulated kube-scheduler places ${pods.length === 1 ? "it" : "them"}`,
  );
}
