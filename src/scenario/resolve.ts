/**
 * From a validated scenario to the concrete run: nodes of each pool spread over
 * zones, pod templates with their requests computed once, workloads and faults with
 * times in microseconds.
 */
import type { ArrivalSpec, ClusterSpec, DeploymentSpec, FaultSpec, NodeSpec, PodTemplate, StandalonePodSpec, TaintSpec } from "../run/spec.js";
import type { PodTemplateSpec, Toleration } from "../model/types.js";
import { bytes, cpuMilli, parseQuantity, quantityValue } from "../model/quantity.js";
import { DEFAULT_SCHEDULER_NAME, LABEL_HOSTNAME, LABEL_NODE_POOL, LABEL_POD_TEMPLATE_HASH, LABEL_TOPOLOGY_ZONE } from "../model/wellKnown.js";
import { durationUs } from "./duration.js";
import { distributionSeconds } from "./fields.js";
import type { PodTemplateSpecInput } from "./kubernetes.js";
import { podRequests, podTemplateHash } from "../model/podRequests.js";
import type { Scenario } from "./schema.js";


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

function compileTemplate(t: PodTemplateSpecInput, namespace: string, extraLabels: Record<string, string> = {}): PodTemplate {
  const req = podRequests(t.spec);
  const extended: Record<string, number> = {};
  for (const [k, v] of req) if (k !== "cpu" && k !== "memory" && k !== "ephemeral-storage") extended[k] = v;
  return {
    namespace,
    labels: { ...(t.metadata?.labels ?? {}), ...extraLabels },
    cpuMilli: req.get("cpu") ?? 0,
    memoryBytes: req.get("memory") ?? 0,
    ephemeralBytes: req.get("ephemeral-storage") ?? 0,
    extended,
    nodeSelector: t.spec.nodeSelector ?? {},
    tolerations: (t.spec.tolerations ?? []) as Toleration[],
    // Simplification: priorityClassName is not resolved (no PriorityClass objects yet); spec.priority is used as written.
    priority: t.spec.priority ?? 0,
    schedulerName: t.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    source: t as PodTemplateSpec,
  };
}

const FOUNDATION_FIELDS = new Set(["$schema", "name", "description", "seed", "duration", "sampleInterval", "podStartupDelay", "nodePools", "workloads", "faults"]);

export function resolveScenario(s: Scenario): ClusterSpec {
  const durationOfRunUs = durationUs(s.duration);
  const { nodes, poolNodes, zoneNodes } = buildNodes(s);
  const templates: PodTemplate[] = [];
  const deployments: DeploymentSpec[] = [];
  const pods: StandalonePodSpec[] = [];
  const arrivals: ArrivalSpec[] = [];
  for (const w of s.workloads) {
    if (!("kind" in w)) continue; // {manifests} entries are expanded by the loader
    switch (w.kind) {
      case "Deployment": {
        const namespace = w.metadata.namespace ?? "default";
        const hash = podTemplateHash(w.spec.template);
        templates.push(compileTemplate(w.spec.template, namespace, { [LABEL_POD_TEMPLATE_HASH]: hash }));
        deployments.push({ name: w.metadata.name, namespace, replicas: w.spec.replicas, template: templates.length - 1, templateHash: hash });
        break;
      }
      case "Pod": {
        const namespace = w.metadata.namespace ?? "default";
        templates.push(compileTemplate({ metadata: w.metadata, spec: w.spec }, namespace));
        const deadline = w.spec.activeDeadlineSeconds;
        pods.push({ name: w.metadata.name, namespace, template: templates.length - 1, activeDeadlineUs: deadline === undefined ? -1 : deadline * 1e6 });
        break;
      }
      case "PoissonArrivals": {
        templates.push(compileTemplate(w.template, w.namespace));
        arrivals.push({
          name: w.name,
          namespace: w.namespace,
          meanInterarrivalUs: w.rate !== undefined ? 1e6 / w.rate : durationUs(w.meanInterarrival!),
          startUs: w.start === undefined ? 0 : durationUs(w.start),
          stopUs: w.stop === undefined ? durationOfRunUs : Math.min(durationOfRunUs, durationUs(w.stop)),
          lifetime: distributionSeconds(w.lifetime),
          template: templates.length - 1,
        });
        break;
      }
    }
  }
  const faults: FaultSpec[] = [];
  s.faults.forEach((f, i) => {
    let candidates: number[];
    let count = Infinity;
    let what: string;
    if (f.node !== undefined) {
      candidates = nodes.findIndex((n) => n.name === f.node) >= 0 ? [nodes.findIndex((n) => n.name === f.node)] : [];
      what = `node ${f.node}`;
    } else if (f.pool !== undefined) {
      candidates = poolNodes.get(f.pool) ?? [];
      count = f.count ?? Infinity;
      what = f.count === undefined ? `pool ${f.pool}` : `${f.count} node(s) of pool ${f.pool}`;
    } else {
      candidates = zoneNodes.get(f.zone!) ?? [];
      what = `zone ${f.zone}`;
    }
    const recoverAfterUs = f.type === "node-failure" && f.recoverAfter !== undefined ? durationUs(f.recoverAfter) : -1;
    faults.push({ atUs: durationUs(f.at), type: f.type, candidates, count, recoverAfterUs, description: `faults[${i}]: ${what}` });
  });
  // Every section beyond the foundation's goes to the components as validated.
  const sections: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) if (!FOUNDATION_FIELDS.has(key) && value !== undefined) sections[key] = value;
  return {
    name: s.name,
    seed: s.seed,
    durationUs: durationOfRunUs,
    sampleIntervalUs: durationUs(s.sampleInterval),
    podStartupDelay: distributionSeconds(s.podStartupDelay),
    nodes,
    templates,
    deployments,
    pods,
    arrivals,
    faults,
    sections,
  };
}
