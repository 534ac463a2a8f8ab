/**
 * From a validated scenario to the concrete run: nodes of each pool spread over
 * zones; Namespaces, PriorityClasses and pod templates created through the API
 * server's defaulting and admission (apiserver/admission), each template's requests
 * computed once; workloads and faults with times in microseconds; the components'
 * sections resolved once. Objects the API server refuses are one-line errors naming
 * the file and field.
 */
import { Admission, AdmissionError } from "../apiserver/admission/admission.js";
import { DEFAULT_DAEMONSET_MAX_SURGE, DEFAULT_DAEMONSET_MAX_UNAVAILABLE, DEFAULT_DEPLOYMENT_REPLICAS, DEFAULT_PROGRESS_DEADLINE_SECONDS, DEFAULT_REVISION_HISTORY_LIMIT, DEFAULT_ROLLING_UPDATE, DEFAULT_STATEFULSET_PARTITION } from "../apiserver/admission/defaults.js";
import { inApiFieldOrder } from "../apiserver/admission/validation/apiFieldOrder.js";
import { podTemplateHash } from "../controllers/podTemplateHash.js";
import { US_PER_S } from "../engine/simulation.js";
import type { ActionSpec, AppliedObjects, ArrivalSpec, ClusterSpec, ControllerManagerSpec, DeploymentSpec, FaultSpec, NodeSpec, PodTemplate, StandalonePodSpec, TaintSpec } from "../run/spec.js";
import { DEFAULT_NODE_LIFECYCLE_CONFIG } from "../controllers/nodeLifecycle/defaults.js";
import type { DaemonSetSpec } from "../controllers/daemonSet/daemonSetController.js";
import { forNode, withDaemonTolerations } from "../controllers/daemonSet/daemonPodTemplate.js";
import { nodeShouldRunDaemonPod } from "../controllers/daemonSet/nodeShouldRun.js";
import type { JobSpec } from "../controllers/job/jobController.js";
import type { StatefulSetSpec } from "../controllers/statefulSet.js";
import type { PdbSpec } from "../controllers/disruption/disruptionBudgets.js";
import { resolveJob } from "./jobs.js";
import { workloadEntries } from "./workloadEntries.js";
import { podTemplate, type AppBehaviour } from "../model/podTemplate.js";
import { appBehaviour } from "./appAnnotations.js";
import type { Container, Namespace, Pod, PodSpec, PodTemplateSpec, PriorityClass } from "../model/types.js";
import { bytes, cpuMilli, parseQuantity, quantityValue } from "../model/quantity.js";
import { LABEL_HOSTNAME, LABEL_NODE_POOL, LABEL_POD_TEMPLATE_HASH, LABEL_TOPOLOGY_ZONE } from "../model/wellKnown.js";
import { durationUs } from "./duration.js";
import { distributionSeconds } from "./fields.js";
import { ScenarioError, formatPath, type PathSegment } from "./errors.js";
import type { Scenario } from "./schema.js";
import { resolveSchedulerSection } from "./sections/scheduler.js";
import { resolveServices } from "./services.js";
import { DEFAULT_POD_STARTUP_DELAY } from "./sections/run.js";
import { resolveContainerRuntime } from "./containerRuntime.js";
import { arrivalRate, arrivalRateCurve, type ArrivalRates } from "./arrivalRate.js";
import { resolveCloud } from "./cloud.js";


/** Node names are <pool>-<index>, index from 0 within the pool. */
export function nodeName(pool: string, index: number): string {
  return `${pool}-${index}`;
}

/**
 * Zone of each of `count` nodes: smooth weighted round-robin, so zones interleave
 * and each gets its weight's share (equal weights: plain round-robin a, b, c, a, ...).
 */
export function spreadOverZones(zones: { name: string; weight: number }[], count: number): string[] {
  const current = zones.map(() => 0);
  const total = zones.reduce((s, z) => s + z.weight, 0);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let best = 0;
    for (let i = 0; i < zones.length; i++) {
      current[i] += zones[i].weight;
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    out.push(zones[best].name);
  }
  return out;
}

function buildNodes(s: Scenario): { nodes: NodeSpec[]; poolNodes: Map<string, number[]>; zoneNodes: Map<string, number[]> } {
  const nodes: NodeSpec[] = [];
  const poolNodes = new Map<string, number[]>();
  const zoneNodes = new Map<string, number[]>();
  for (const pool of s.nodePools) {
    const zones = (pool.zones ?? []).map((z) => (typeof z === "string" ? { name: z, weight: 1 } : z));
    const zoneOf = zones.length > 0 ? spreadOverZones(zones, pool.count) : [];
    const { cpu, memory, pods, "ephemeral-storage": eph, ...rest } = pool.allocatable;
    const extended: Record<string, number> = {};
    for (const [k, v] of Object.entries(rest)) extended[k] = quantityValue(parseQuantity(v as string | number));
    const taints: TaintSpec[] = (pool.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
    const ids: number[] = [];
    for (let i = 0; i < pool.count; i++) {
      const name = nodeName(pool.name, i);
      const zone = zoneOf[i];
      const labels: Record<string, string> = { ...(pool.labels ?? {}), [LABEL_HOSTNAME]: name, [LABEL_NODE_POOL]: pool.name };
      if (zone !== undefined) labels[LABEL_TOPOLOGY_ZONE] = zone;
      const id = nodes.length;
      nodes.push({
        name,
        pool: pool.name,
        zone,
        labels,
        taints,
        cpuMilli: cpuMilli(cpu),
        memoryBytes: bytes(memory),
        ephemeralBytes: eph === undefined ? 0 : bytes(eph),
        pods,
        extended,
      });
      ids.push(id);
      if (zone !== undefined) {
        if (!zoneNodes.has(zone)) zoneNodes.set(zone, []);
        zoneNodes.get(zone)!.push(id);
      }
    }
    poolNodes.set(pool.name, ids);
  }
  return { nodes, poolNodes, zoneNodes };
}

/**
 * The new nodes of each node-pool upgrade (by action index): one per node of the pool,
 * appended after every pool's nodes (so no other node's row moves), named on from the
 * pool's last index, in the zone of the node it replaces, with no Node at the start.
 */
function addUpgradeNodes(s: Scenario, nodes: NodeSpec[], poolNodes: Map<string, number[]>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const next = new Map(s.nodePools.map((p) => [p.name, p.count]));
  s.actions.forEach((a, i) => {
    if (a.type !== "node-pool-upgrade") return;
    const rows: number[] = [];
    for (const old of poolNodes.get(a.pool)!) {
      const k = next.get(a.pool)!;
      next.set(a.pool, k + 1);
      const name = nodeName(a.pool, k);
      const o = nodes[old];
      rows.push(nodes.length);
      nodes.push({ ...o, name, labels: { ...o.labels, [LABEL_HOSTNAME]: name }, provisionLater: true });
    }
    out.set(i, rows);
  });
  return out;
}

/** Where a resolve-time error points: the scenario file, or the manifest file an object came from. */
export type Locate = (path: PathSegment[]) => { file: string; path: PathSegment[] };

export interface ResolveOptions {
  /** The scenario's name in messages (default "scenario"). */
  file?: string;
  /** Maps a path into the validated scenario to the file and path the user wrote (manifest files). */
  locate?: Locate;
  /** Folder that CSV rate files are relative to (default: the working directory). */
  baseDir?: string;
  /** The PoissonArrivals' rate curves, when the loader already read them (resolveArrivalRates). */
  arrivalRates?: ArrivalRates;
}

/** An object the API server refused, as a one-line scenario error at the field it names. */
function refused(e: AdmissionError, objectPath: PathSegment[], locate: Locate): ScenarioError {
  const at = locate([...objectPath, ...e.path]);
  return new ScenarioError(at.file, formatPath(at.path), e.describe());
}

/**
 * Each pool's nodes are registered as v1 Nodes: validate one per zone (they differ only
 * by name and zone label) as the API server validates a Node, pointing errors at the
 * pool's fields.
 */
function validatePools(s: Scenario, nodes: NodeSpec[], poolNodes: Map<string, number[]>, admission: Admission, file: string): void {
  s.nodePools.forEach((pool, i) => {
    const seenZones = new Set<string | undefined>();
    for (const id of poolNodes.get(pool.name)!) {
      const n = nodes[id];
      if (seenZones.has(n.zone)) continue;
      seenZones.add(n.zone);
      validatePoolNode(n, pool, i, admission, file);
    }
  });
}

/** One node of pool `i` through the API server's Node validation; errors point at the pool's fields. */
function validatePoolNode(n: NodeSpec, pool: Scenario["nodePools"][number], i: number, admission: Admission, file: string): void {
  try {
    admission.validateNode({
      metadata: { name: n.name, labels: n.labels },
      spec: { taints: n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) },
      status: { allocatable: pool.allocatable as Record<string, string> },
    });
  } catch (e) {
    if (!(e instanceof AdmissionError)) throw e;
    // metadata.labels -> labels, spec.taints -> taints, status.allocatable -> allocatable.
    const rest = e.path[0] === "metadata" || e.path[0] === "spec" || e.path[0] === "status" ? e.path.slice(1) : e.path;
    throw new ScenarioError(file, formatPath(["nodePools", i, ...rest]), e.describe());
  }
}

export function resolveScenario(s: Scenario, options: ResolveOptions = {}): ClusterSpec {
  const file = options.file ?? "scenario";
  const locate: Locate = options.locate ?? ((path) => ({ file, path }));
  const durationOfRunUs = durationUs(s.duration);
  const arrivalRates: ArrivalRates = options.arrivalRates ?? new Map();
  const admission = new Admission();
  const { nodes, poolNodes, zoneNodes } = buildNodes(s);
  validatePools(s, nodes, poolNodes, admission, file);
  // The cloud (issue 12): autoscaled pools' extra rows, appended before any upgrade's.
  const cloud = resolveCloud(s, nodes, poolNodes, {
    nodeName,
    zonesOf: (pool, count) => {
      const zones = (pool.zones ?? []).map((z) => (typeof z === "string" ? { name: z, weight: 1 } : z));
      return zones.length > 0 ? spreadOverZones(zones, count) : [];
    },
  }, file);
  const upgradeNodes = addUpgradeNodes(s, nodes, poolNodes);
  const admit = <T>(objectPath: PathSegment[], create: () => T): T => {
    try {
      return create();
    } catch (e) {
      if (e instanceof AdmissionError) throw refused(e, objectPath, locate);
      throw e;
    }
  };
  // Namespaces and PriorityClasses exist before any pod is created.
  s.workloads.forEach((w, i) => {
    if (!("kind" in w)) return;
    if (w.kind === "PriorityClass") admit(["workloads", i], () => admission.createPriorityClass(w as unknown as PriorityClass));
    else if (w.kind === "Namespace") admit(["workloads", i], () => admission.createNamespace(w as unknown as Namespace));
  });
  const templates: PodTemplate[] = [];
  // ---- probes: the app behind each workload's pods (kubesim.io/warm-up, ...), kept per workload for its rollouts
  const appOf = new Map<object, AppBehaviour | undefined>();
  /** Where each template was written (its annotations' errors point there: containerRuntime). */
  const templatePaths: PathSegment[][] = [];
  const addTemplate = (objectPath: PathSegment[], pod: Pod, app?: AppBehaviour): number => {
    templates.push(podTemplate(admit(objectPath, () => admission.admitPod(pod)), undefined, app));
    templatePaths.push(objectPath);
    return templates.length - 1;
  };
  const deployments: DeploymentSpec[] = [];
  /** Per Deployment: its pod template as written, then as the last rollout action left it. */
  const rawTemplates: PodTemplateSpec[] = [];
  /** The same per StatefulSet and per DaemonSet. */
  const stsRawTemplates: PodTemplateSpec[] = [];
  const dsRawTemplates: PodTemplateSpec[] = [];
  const daemonSets: DaemonSetSpec[] = [];
  const jobs: JobSpec[] = [];
  const statefulSets: StatefulSetSpec[] = [];
  const pods: StandalonePodSpec[] = [];
  const arrivals: ArrivalSpec[] = [];
  /** Per apply action: what it creates, as indices into the lists below. */
  const applied = new Map<number, AppliedObjects>();
  for (const { w, path: at, atUs, action } of workloadEntries(s)) {
    const startUs = atUs > 0 ? atUs : undefined;
    if (action >= 0 && !applied.has(action)) applied.set(action, { deployments: [], daemonSets: [], statefulSets: [], jobs: [], pdbs: [], pods: [], names: [] });
    const apply = (list: keyof Omit<AppliedObjects, "names">, index: number) => {
      if (action < 0) return;
      applied.get(action)![list].push(index);
      applied.get(action)!.names.push(`${w.kind}/${w.kind === "PoissonArrivals" ? w.name : w.metadata.name}`);
    };
    const app = appBehaviour(w.kind === "PoissonArrivals" ? w.template.metadata?.annotations : w.metadata.annotations, w.kind === "PoissonArrivals" ? [...at, "template", "metadata"] : [...at, "metadata"], locate);
    switch (w.kind) {
      case "Deployment": {
        const namespace = w.metadata.namespace ?? "default";
        const t = w.spec.template;
        // Hashed in Kubernetes' field order, so the order of the YAML's keys does not change pod names.
        const hash = podTemplateHash(inApiFieldOrder(t, "core.PodTemplateSpec"));
        const labels = { ...(t.metadata?.labels ?? {}), [LABEL_POD_TEMPLATE_HASH]: hash };
        const template = addTemplate([...at, "spec", "template"], { metadata: { ...t.metadata, namespace, labels }, spec: t.spec as PodSpec }, app);
        const ru = w.spec.strategy?.rollingUpdate;
        const strategy =
          w.spec.strategy?.type === "Recreate"
            ? { type: "Recreate" as const, maxSurge: 0, maxUnavailable: 0 }
            : { type: "RollingUpdate" as const, maxSurge: ru?.maxSurge ?? DEFAULT_ROLLING_UPDATE, maxUnavailable: ru?.maxUnavailable ?? DEFAULT_ROLLING_UPDATE };
        rawTemplates.push(t);
        deployments.push({ name: w.metadata.name, namespace, replicas: w.spec.replicas ?? DEFAULT_DEPLOYMENT_REPLICAS, template, templateHash: hash, strategy, revisions: [], minReadySeconds: w.spec.minReadySeconds ?? 0, progressDeadlineSeconds: w.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS, paused: w.spec.paused ?? false, revisionHistoryLimit: w.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT, startUs });
        appOf.set(deployments[deployments.length - 1], app);
        apply("deployments", deployments.length - 1);
        break;
      }
      case "DaemonSet": {
        // One admitted template per eligible node: the DaemonSet controller's pod for it.
        const namespace = w.metadata.namespace ?? "default";
        const t = w.spec.template;
        const podSpec = withDaemonTolerations(t.spec as PodSpec);
        const ru = w.spec.updateStrategy?.rollingUpdate;
        const updateStrategy =
          w.spec.updateStrategy?.type === "OnDelete"
            ? { type: "OnDelete" as const, maxUnavailable: 0, maxSurge: 0 }
            : { type: "RollingUpdate" as const, maxUnavailable: ru?.maxUnavailable ?? DEFAULT_DAEMONSET_MAX_UNAVAILABLE, maxSurge: ru?.maxSurge ?? DEFAULT_DAEMONSET_MAX_SURGE };
        const templateHash = podTemplateHash(inApiFieldOrder(t, "core.PodTemplateSpec"));
        const ds: DaemonSetSpec = { name: w.metadata.name, namespace, nodes: [], templates: [], updateStrategy, templateHash, revisions: [] };
        nodes.forEach((n, row) => {
          if (!nodeShouldRunDaemonPod(podSpec, n)) return;
          ds.nodes.push(row);
          ds.templates.push(addTemplate([...at, "spec", "template"], { metadata: { ...t.metadata, namespace, labels: t.metadata?.labels ?? {} }, spec: forNode(podSpec, n.name) }, app));
        });
        if (startUs !== undefined) ds.startUs = startUs;
        daemonSets.push(ds);
        appOf.set(ds, app);
        apply("daemonSets", daemonSets.length - 1);
        dsRawTemplates.push(t);
        break;
      }
      case "StatefulSet": {
        const namespace = w.metadata.namespace ?? "default";
        const t = w.spec.template;
        const template = addTemplate([...at, "spec", "template"], { metadata: { ...t.metadata, namespace, labels: t.metadata?.labels ?? {} }, spec: t.spec as PodSpec }, app);
        const updateStrategy =
          w.spec.updateStrategy?.type === "OnDelete" ? { type: "OnDelete" as const, partition: 0 } : { type: "RollingUpdate" as const, partition: w.spec.updateStrategy?.rollingUpdate?.partition ?? DEFAULT_STATEFULSET_PARTITION };
        const templateHash = podTemplateHash(inApiFieldOrder(t, "core.PodTemplateSpec"));
        statefulSets.push({ name: w.metadata.name, namespace, replicas: w.spec.replicas ?? 1, template, parallel: w.spec.podManagementPolicy === "Parallel", updateStrategy, templateHash, revisions: [], startUs });
        appOf.set(statefulSets[statefulSets.length - 1], app);
        apply("statefulSets", statefulSets.length - 1);
        stsRawTemplates.push(t);
        break;
      }
      case "Job": {
        jobs.push(resolveJob(w, at, (path, pod, run) => {
          templates.push(podTemplate(admit(path, () => admission.admitPod(pod)), run, app));
          templatePaths.push(path);
          return templates.length - 1;
        }, locate));
        if (startUs !== undefined) jobs[jobs.length - 1].startUs = startUs;
        apply("jobs", jobs.length - 1);
        break;
      }
      case "Pod": {
        const namespace = w.metadata.namespace ?? "default";
        const template = addTemplate(at, { metadata: { ...w.metadata, namespace, labels: w.metadata.labels ?? {} }, spec: w.spec as PodSpec }, app);
        const deadline = w.spec.activeDeadlineSeconds;
        pods.push({ name: w.metadata.name, namespace, template, activeDeadlineUs: deadline === undefined ? -1 : deadline * US_PER_S, startUs });
        apply("pods", pods.length - 1);
        break;
      }
      case "Service":
        // Services are resolved by resolveServices (issue 11); an apply names them in events.csv.
        if (action >= 0) applied.get(action)!.names.push(`Service/${w.metadata.name}`);
        break;
      case "PoissonArrivals": {
        const t = w.template;
        const template = addTemplate([...at, "template"], { metadata: { ...t.metadata, namespace: w.namespace, labels: t.metadata?.labels ?? {} }, spec: t.spec as PodSpec }, app);
        arrivals.push({
          name: w.name,
          namespace: w.namespace,
          ...arrivalRate(arrivalRates.get(w) ?? arrivalRateCurve(w, at, options.baseDir ?? ".", locate)),
          startUs: w.start === undefined ? 0 : durationUs(w.start),
          stopUs: w.stop === undefined ? durationOfRunUs : Math.min(durationOfRunUs, durationUs(w.stop)),
          lifetime: distributionSeconds(w.lifetime),
          template,
        });
        break;
      }
    }
  }
  const faults: FaultSpec[] = [];
  s.faults.forEach((f, i) => {
    if (f.type === "zone-capacity-exhausted") return; // the cloud's fault (issue 12): resolved in cloud.ts
    let candidates: number[];
    let count = Infinity;
    let what: string;
    let zone = "";
    if (f.type === "zone-outage" || f.zone !== undefined) {
      zone = f.zone!;
      candidates = zoneNodes.get(zone) ?? [];
      count = ("count" in f ? f.count : undefined) ?? Infinity;
      what = count === Infinity ? `zone ${zone}` : `${count} node(s) of zone ${zone}`;
    } else if (f.node !== undefined) {
      const n = nodes.findIndex((x) => x.name === f.node);
      candidates = n >= 0 ? [n] : [];
      what = `node ${f.node}`;
    } else {
      candidates = poolNodes.get(f.pool!) ?? [];
      count = f.count ?? Infinity;
      what = f.count === undefined ? `pool ${f.pool}` : `${f.count} node(s) of pool ${f.pool}`;
    }
    const recoverAfterUs = "recoverAfter" in f && f.recoverAfter !== undefined ? durationUs(f.recoverAfter) : -1;
    const notReadyForUs = "notReadyFor" in f && f.notReadyFor !== undefined ? durationUs(f.notReadyFor) : 0;
    const controlPlaneToo = f.type === "zone-outage" && f.controlPlane;
    faults.push({ atUs: durationUs(f.at), type: f.type, candidates, count, recoverAfterUs, notReadyForUs, controlPlaneToo, zone, description: `faults[${i}]: ${what}`, ...(i !== faults.length ? { index: i } : {}) });
  });
  const pdbs: PdbSpec[] = [];
  for (const { w, atUs, action } of workloadEntries(s)) {
    if (w.kind !== "PodDisruptionBudget") continue;
    pdbs.push({ name: w.metadata.name, namespace: w.metadata.namespace ?? "default", selector: w.spec?.selector ?? undefined, minAvailable: w.spec?.minAvailable ?? undefined, maxUnavailable: w.spec?.maxUnavailable ?? undefined, ...(atUs > 0 ? { startUs: atUs } : {}) });
    if (action >= 0) {
      applied.get(action)!.pdbs.push(pdbs.length - 1);
      applied.get(action)!.names.push(`PodDisruptionBudget/${w.metadata.name}`);
    }
  }
  // Rollouts in time order: each new template starts from the one before it.
  const revisionOf = new Map<number, number>();
  /** The workload a rollout action names: its template now, and how a new revision of it is added (returns its index in spec.revisions). */
  const rolloutTarget = (a: { deployment?: string; statefulSet?: string; daemonSet?: string; namespace: string }) => {
    const named = (x: { name: string; namespace: string }, name: string | undefined) => x.name === name && x.namespace === a.namespace;
    if (a.deployment !== undefined) {
      const d = deployments.findIndex((x) => named(x, a.deployment));
      return { d, kind: "deployment", name: a.deployment, raw: rawTemplates, labels: (hash: string) => ({ [LABEL_POD_TEMPLATE_HASH]: hash }) };
    }
    if (a.statefulSet !== undefined) return { d: statefulSets.findIndex((x) => named(x, a.statefulSet)), kind: "statefulset", name: a.statefulSet, raw: stsRawTemplates, labels: () => ({}) };
    return { d: daemonSets.findIndex((x) => named(x, a.daemonSet)), kind: "daemonset", name: a.daemonSet!, raw: dsRawTemplates, labels: () => ({}) };
  };
  [...s.actions.entries()]
    .filter(([, a]) => a.type === "set-image" || a.type === "rollout-restart")
    .sort(([i, a], [j, b]) => durationUs(a.at) - durationUs(b.at) || i - j)
    .forEach(([i, a]) => {
      if (a.type !== "set-image" && a.type !== "rollout-restart") return;
      const target = rolloutTarget(a);
      const d = target.d;
      const before = target.raw[d];
      const spec = before.spec as PodSpec;
      let next: PodTemplateSpec;
      if (a.type === "set-image") {
        const names = [...(spec.initContainers ?? []), ...spec.containers].map((c) => c.name);
        if (!names.includes(a.container)) throw new ScenarioError(file, formatPath(["actions", i, "container"]), `expected a container of ${target.kind} ${a.namespace}/${target.name} (${names.join(", ")}), got ${JSON.stringify(a.container)}`);
        const set = (c: Container) => (c.name === a.container ? { ...c, image: a.image } : c);
        next = { ...before, spec: { ...spec, containers: spec.containers.map(set), ...(spec.initContainers ? { initContainers: spec.initContainers.map(set) } : {}) } };
      } else {
        const annotations = { ...(before.metadata?.annotations ?? {}), "kubectl.kubernetes.io/restartedAt": `+${formatAt(a.at)}` };
        next = { ...before, metadata: { ...before.metadata, annotations } };
      }
      target.raw[d] = next;
      const hash = podTemplateHash(inApiFieldOrder(next, "core.PodTemplateSpec"));
      const labels = { ...(next.metadata?.labels ?? {}), ...target.labels(hash) };
      if (target.kind === "daemonset") {
        // One admitted template per node of the DaemonSet (its eligible nodes do not change: labels, taints and node affinity stay).
        const ds = daemonSets[d];
        const podSpec = withDaemonTolerations(next.spec as PodSpec);
        const templates = ds.nodes.map((row) => addTemplate(["actions", i], { metadata: { ...next.metadata, namespace: ds.namespace, labels }, spec: forNode(podSpec, nodes[row].name) }, appOf.get(ds)));
        ds.revisions!.push({ templates, templateHash: hash });
        revisionOf.set(i, ds.revisions!.length - 1);
        return;
      }
      const owner = target.kind === "deployment" ? deployments[d] : statefulSets[d];
      const template = addTemplate(["actions", i], { metadata: { ...next.metadata, namespace: owner.namespace, labels }, spec: next.spec as PodSpec }, appOf.get(owner));
      owner.revisions!.push({ template, templateHash: hash });
      revisionOf.set(i, owner.revisions!.length - 1);
    });
  const actions: ActionSpec[] = s.actions.map((a, i) => {
    if (a.type === "set-image" || a.type === "rollout-restart") {
      const target = rolloutTarget(a);
      const [deployment, statefulSet, daemonSet] = [target.kind === "deployment" ? target.d : -1, target.kind === "statefulset" ? target.d : -1, target.kind === "daemonset" ? target.d : -1];
      return { atUs: durationUs(a.at), type: "rollout", deployment, statefulSet, daemonSet, revision: revisionOf.get(i)!, replicas: 0, candidates: [], count: 0, description: `actions[${i}]: ${target.kind} ${a.namespace}/${target.name}` };
    }
    if (a.type === "pause" || a.type === "resume") {
      const d = deployments.findIndex((x) => x.name === a.deployment && x.namespace === a.namespace);
      return { atUs: durationUs(a.at), type: a.type, deployment: d, statefulSet: -1, revision: -1, replicas: 0, candidates: [], count: 0, description: `actions[${i}]: deployment ${a.namespace}/${a.deployment}` };
    }
    if (a.type === "scale") {
      const d = a.deployment === undefined ? -1 : deployments.findIndex((x) => x.name === a.deployment && x.namespace === a.namespace);
      const ss = a.statefulSet === undefined ? -1 : statefulSets.findIndex((x) => x.name === a.statefulSet && x.namespace === a.namespace);
      const what = d >= 0 ? `deployment ${a.namespace}/${a.deployment}` : `statefulset ${a.namespace}/${a.statefulSet}`;
      return { atUs: durationUs(a.at), type: a.type, deployment: d, statefulSet: ss, revision: -1, replicas: a.replicas, candidates: [], count: 0, description: `actions[${i}]: ${what}` };
    }
    if (a.type === "apply") {
      const what = applied.get(i) ?? { deployments: [], daemonSets: [], statefulSets: [], jobs: [], pdbs: [], pods: [], names: [] };
      return { atUs: durationUs(a.at), type: a.type, deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates: [], count: 0, applied: what, description: `actions[${i}]` };
    }
    if (a.type === "delete") {
      return { atUs: durationUs(a.at), type: a.type, deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates: [], count: 0, kind: a.kind, name: a.name, namespace: a.namespace, description: `actions[${i}]: ${a.kind} ${a.namespace}/${a.name}` };
    }
    if (a.type === "delete-namespace") {
      return { atUs: durationUs(a.at), type: a.type, deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates: [], count: 0, namespace: a.namespace, description: `actions[${i}]: namespace ${a.namespace}` };
    }
    if (a.type === "node-pool-upgrade") {
      const upgrade = { pool: a.pool, newNodes: upgradeNodes.get(i)!, maxSurge: a.maxSurge, maxUnavailable: a.maxUnavailable, drainTimeoutUs: durationUs(a.drainTimeout), provisionUs: durationUs(a.provisionTime) };
      const candidates = poolNodes.get(a.pool)!;
      return { atUs: durationUs(a.at), type: a.type, deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates, count: candidates.length, upgrade, description: `actions[${i}]: pool ${a.pool}` };
    }
    let candidates: number[];
    let what: string;
    if (a.node !== undefined) {
      const n = nodes.findIndex((x) => x.name === a.node);
      candidates = n >= 0 ? [n] : [];
      what = `node ${a.node}`;
    } else if (a.pool !== undefined) {
      candidates = poolNodes.get(a.pool) ?? [];
      what = a.count === undefined ? `pool ${a.pool}` : `${a.count} node(s) of pool ${a.pool}`;
    } else {
      candidates = zoneNodes.get(a.zone!) ?? [];
      what = a.count === undefined ? `zone ${a.zone}` : `${a.count} node(s) of zone ${a.zone}`;
    }
    const timeoutUs = a.type === "drain" && a.timeout !== undefined ? durationUs(a.timeout) : -1;
    return { atUs: durationUs(a.at), type: a.type, deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates, count: a.count ?? Infinity, timeoutUs, description: `actions[${i}]: ${what}` };
  });
  return {
    name: s.name,
    seed: s.seed,
    durationUs: durationOfRunUs,
    sampleIntervalUs: durationUs(s.sampleInterval),
    podStartupDelay: distributionSeconds(s.podStartupDelay ?? DEFAULT_POD_STARTUP_DELAY),
    containerRuntime: resolveContainerRuntime(s, templates, (t, p) => locate([...templatePaths[t], ...p])),
    containerStopTime: s.kubelet.containerStopTime === undefined ? undefined : distributionSeconds(s.kubelet.containerStopTime),
    controllerManager: resolveControllerManager(s.controllerManager),
    nodes,
    namespaces: admission.namespaceList(),
    templates,
    deployments,
    daemonSets,
    jobs,
    statefulSets,
    pdbs,
    pods,
    arrivals,
    faults,
    actions,
    scheduler: resolveSchedulerSection(s.scheduler, file, s),
    controlPlane: s.controlPlane,
    // Services, kube-proxy, request load (issue 11)
    ...resolveServices(s, file),
    // The cloud (issue 12): instance groups, cloud-controller-manager, Cluster Autoscaler
    ...(cloud ? { cloud } : {}),
  };
}

function resolveControllerManager(c: Scenario["controllerManager"]): ControllerManagerSpec {
  return {
    kubeApiQps: c.kubeApiQps,
    kubeApiBurst: c.kubeApiBurst,
    terminatedPodGcThreshold: c.terminatedPodGcThreshold,
    nodeLifecycle: {
      ...DEFAULT_NODE_LIFECYCLE_CONFIG,
      nodeMonitorPeriodUs: durationUs(c.nodeMonitorPeriod),
      nodeMonitorGracePeriodUs: durationUs(c.nodeMonitorGracePeriod),
      nodeStartupGracePeriodUs: durationUs(c.nodeStartupGracePeriod),
      evictionLimiterQps: c.nodeEvictionRate,
      secondaryEvictionLimiterQps: c.secondaryNodeEvictionRate,
      largeClusterSizeThreshold: c.largeClusterSizeThreshold,
      unhealthyZoneThreshold: c.unhealthyZoneThreshold,
    },
  };
}

/** The restartedAt annotation kubesim writes: the action's time since the start of the run (kubectl writes a wall-clock RFC 3339 time). */
function formatAt(at: string | number): string {
  return typeof at === "number" ? `${at}s` : at;
}
