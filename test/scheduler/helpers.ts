/**
 * Fixture builders for scheduler tests: v1 objects from compact descriptions, in the
 * shape upstream's test helpers use (makeNode(cpu, mem), pod with container requests).
 */
import type { Node, Pod, Container } from "../../src/model/types.js";
import { Snapshot, snapshotFromObjects, type ClusterObjects } from "../../src/scheduler/snapshot.js";
import { CycleState, type FilterPlugin, type ScorePlugin, type PreScorePlugin, type PreFilterPlugin, verdictCode, verdictReasonBits, Code } from "../../src/scheduler/framework.js";
import type { CompiledPod } from "../../src/scheduler/compiled.js";

export interface NodeFixture {
  name: string;
  cpu?: string | number;
  memory?: string | number;
  pods?: number;
  ephemeral?: string | number;
  scalars?: Record<string, string | number>;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function node(f: NodeFixture): Node {
  const alloc: Record<string, string> = {};
  if (f.cpu !== undefined) alloc.cpu = String(f.cpu);
  if (f.memory !== undefined) alloc.memory = String(f.memory);
  alloc.pods = String(f.pods ?? 110);
  if (f.ephemeral !== undefined) alloc["ephemeral-storage"] = String(f.ephemeral);
  for (const [k, v] of Object.entries(f.scalars ?? {})) alloc[k] = String(v);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: f.name, labels: f.labels },
    spec: { taints: f.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect })), unschedulable: f.unschedulable },
    status: { allocatable: alloc, capacity: alloc, images: f.images },
  };
}

export type Requests = Record<string, string | number>;

export interface PodFixture {
  name?: string;
  namespace?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  /** One container per entry (requests); undefined entries mean a container without requests. */
  containers?: (Requests | undefined)[];
  initContainers?: (Requests | undefined)[];
  sidecars?: (Requests | undefined)[];
  overhead?: Requests;
  images?: string[];
  spec?: Partial<Pod["spec"]>;
  hostPorts?: { port: number; protocol?: string; hostIP?: string }[];
}

function container(name: string, req: Requests | undefined, image = "pause"): Container {
  const c: Container = { name, image };
  if (req) c.resources = { requests: Object.fromEntries(Object.entries(req).map(([k, v]) => [k, String(v)])) };
  return c;
}

export function pod(f: PodFixture = {}): Pod {
  const containers = (f.containers ?? [undefined]).map((r, i) => container(`c${i}`, r, f.images?.[i] ?? "pause"));
  if (f.images && f.images.length > containers.length) for (let i = containers.length; i < f.images.length; i++) containers.push(container(`c${i}`, undefined, f.images[i]));
  if (f.hostPorts) containers[0].ports = f.hostPorts.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol, hostIP: p.hostIP }));
  const init = [
    ...(f.sidecars ?? []).map((r, i) => ({ ...container(`s${i}`, r), restartPolicy: "Always" })),
    ...(f.initContainers ?? []).map((r, i) => container(`i${i}`, r)),
  ];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: f.name ?? "p", namespace: f.namespace ?? "default", labels: f.labels },
    spec: {
      containers,
      initContainers: init.length ? init : undefined,
      overhead: f.overhead ? Object.fromEntries(Object.entries(f.overhead).map(([k, v]) => [k, String(v)])) : undefined,
      nodeName: f.nodeName,
      ...(f.spec ?? {}),
    } as Pod["spec"],
  };
}

/** A snapshot of nodes plus bound pods (each pod fixture must set nodeName). */
export function cluster(nodes: NodeFixture[], bound: PodFixture[] = [], extra: Partial<ClusterObjects> = {}): Snapshot {
  return snapshotFromObjects({ nodes: nodes.map(node), pods: bound.map((p, i) => pod({ name: `bound-${i}`, ...p })), ...extra });
}

export function allNodes(snap: Snapshot): Int32Array {
  return Int32Array.from({ length: snap.nodeCount }, (_, i) => i);
}

export function stateFor(snap: Snapshot): CycleState {
  const s = new CycleState();
  s.reset(snap, -1, false);
  return s;
}

/** Run PreFilter (if any) and Filter of one plugin over all nodes; returns status codes per node (Skip => all Success). */
export function runFilter(
  plugin: FilterPlugin & Partial<PreFilterPlugin>,
  snap: Snapshot,
  p: CompiledPod,
  opts: { skipPreFilter?: boolean } = {},
): { codes: number[]; reasons: string[][]; preFilter: number; state: CycleState } {
  const state = stateFor(snap);
  const pre = plugin.preFilter && !opts.skipPreFilter ? plugin.preFilter(state, p) : Code.Success;
  const nodes = allNodes(snap);
  const out = new Int32Array(nodes.length);
  const none = () => Array.from(nodes, () => [] as string[]);
  if (pre === Code.Skip) return { codes: Array(nodes.length).fill(Code.Success), reasons: none(), preFilter: pre, state };
  plugin.filter(state, p, nodes, nodes.length, out);
  const reasons = [...out].map((v, n) => {
    if (v === 0) return [];
    const bits = verdictReasonBits(v);
    if (plugin.describe) return plugin.describe(state, p, n, bits);
    return plugin.reasons.filter((_, b) => bits & (1 << b));
  });
  return { codes: [...out].map((v) => verdictCode(v)), reasons, preFilter: pre, state };
}

/** Run PreScore (if any), Score and NormalizeScore of one plugin over all nodes. */
export function runScore(plugin: ScorePlugin & Partial<PreScorePlugin>, snap: Snapshot, p: CompiledPod, nodes = allNodes(snap)): number[] {
  const state = stateFor(snap);
  if (plugin.preScore && plugin.preScore(state, p, nodes, nodes.length) === Code.Skip) return Array(nodes.length).fill(0);
  const out = new Int32Array(nodes.length);
  plugin.score(state, p, nodes, nodes.length, out);
  if (plugin.normalizeScore) plugin.normalizeScore(state, p, nodes, nodes.length, out);
  return [...out];
}
