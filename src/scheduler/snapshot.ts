/**
 * The scheduler's view of the cluster (upstream's cache snapshot of NodeInfos), as
 * struct-of-arrays:
 *
 *   nodes       the model NodeTable (allocatable, requested sums, pod counts, labels,
 *               taints) plus the columns below, indexed by node row;
 *   label columns  per label key, an Int32Array of the node's value id (-1 = no such
 *               label): labelColumn(strings.key("topology.kubernetes.io/zone"));
 *   pods        rows of assigned (bound or assumed) pods: node, compiled template,
 *               namespace, labels (via the template), priority, start time;
 *   per node    the pod rows on it: nodePods[n][0 .. nodes.podCount[n]).
 *
 * addPod/removePod keep every sum exact, so Reserve (assume) and a preemption dry
 * run are O(1) updates. Pod rows are never reused (a removed row keeps node -1).
 */
import { US_PER_MS } from "../engine/simulation.js";
import type { Node, Pod, Namespace, Service, ReplicaSet, StatefulSet, PodDisruptionBudget } from "../model/types.js";
import { NodeTable } from "../model/nodeTable.js";
import { LABEL_TOPOLOGY_ZONE } from "../model/wellKnown.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { bytes, cpuMilli, parseQuantity, quantityValue } from "../model/quantity.js";
import { ClusterStrings, TaintEffect } from "./labels/strings.js";
import { CompiledPod, normalizedImageName } from "./compiled.js";


const FIXED_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage", "pods"]);

/**
 * Objects a snapshot is built from (what `kubectl get -o yaml` returns), as the API
 * server holds them: pods defaulted and admitted, every namespace with its
 * kubernetes.io/metadata.name label (apiserver/admission).
 */
export interface ClusterObjects {
  nodes?: Node[];
  pods?: Pod[];
  namespaces?: Namespace[];
  services?: Service[];
  replicaSets?: ReplicaSet[];
  statefulSets?: StatefulSet[];
  pdbs?: PodDisruptionBudget[];
}

/** Entries the pod journal holds (a power of two): more changes between two reads of a reader mean a full pass. */
const POD_JOURNAL_SIZE = 1 << 14;

export class Snapshot {
  readonly strings = new ClusterStrings();
  readonly nodes = new NodeTable();

  /** Scalar resources per resource id: allocatable and requested, indexed by node row. */
  scalarAlloc: Float64Array[] = [];
  scalarReq: Float64Array[] = [];
  /** Per node: image ids (ClusterStrings.images) it reports in status.images. */
  nodeImages: Int32Array[] = [];
  /**
   * Per image id: its size in bytes, as the first node that reported it gave it (the
   * scheduler cache keeps one imageState per image name: cache.go addNodeImageStates).
   */
  imageSizeBytes: number[] = [];
  /** Per image id: number of nodes that have it (ImageLocality spread). */
  imageNodeCount: number[] = [];
  /** Per node: host ports in use, flat [protocolPort, hostIP id, ...] (see CompiledPod.hostPorts). */
  nodeHostPorts: number[][] = [];
  /** Per node: pod rows on it; the first nodes.podCount[n] entries are valid. */
  nodePods: Int32Array[] = [];
  private readonly labelCols = new Map<number, Int32Array>();
  /** Nodes with a NoSchedule/NoExecute taint, with a PreferNoSchedule taint, and cordoned: plugins skip their loops when 0. */
  nodesWithHardTaints = 0;
  nodesWithPreferTaints = 0;
  unschedulableNodes = 0;

  // Pod rows.
  podCount = 0;
  podCapacity = 0;
  podNames: string[] = [];
  podCompiled: CompiledPod[] = [];
  /** Node row of the pod, -1 once removed. */
  podNode = new Int32Array(0);
  /** Position of the pod in nodePods[podNode]. */
  podSlot = new Int32Array(0);
  podNamespace = new Int32Array(0);
  podPriority = new Int32Array(0);
  /** Start time (status.startTime) in virtual microseconds; preemption prefers younger victims. */
  podStartUs = new Float64Array(0);
  /** 1 when the pod has a deletionTimestamp (terminating): set it with markTerminating. */
  podTerminating = new Uint8Array(0);
  /** 1 when the pod row was assumed by the scheduler and not yet confirmed bound. */
  podAssumed = new Uint8Array(0);

  /** Namespace labels by namespace id (namespaceSelector of pod affinity terms). */
  namespaceLabels: Int32Array[] = [];
  services: Service[] = [];
  replicaSets: ReplicaSet[] = [];
  statefulSets: StatefulSet[] = [];
  pdbs: PodDisruptionBudget[] = [];

  /** Feature gates that change plugin semantics (upstream defaults). */
  readonly features = {
    /** TaintTolerationComparisonOperators: Gt/Lt tolerations (alpha in 1.35, off by default). */
    taintTolerationComparisonOperators: false,
  };

  /** Incremented on every change; plugins may key caches on it. */
  generation = 0;
  /**
   * Per node row: a version stamp, replaced by a fresh value (never reused) whenever
   * the node or the pods on it change. NodeMemo keys cached plugin results on it.
   */
  nodeVersion = new Int32Array(0);
  private versionCounter = 0;

  /**
   * The pod journal: the rows whose node or terminating flag changed, in order, in a ring
   * of POD_JOURNAL_SIZE entries. A reader remembers podJournalCount and later reads what
   * came since (podChangesSince), so it revisits the changed rows instead of every pod.
   */
  private readonly podJournal = new Int32Array(POD_JOURNAL_SIZE);
  /** Entries ever appended to the pod journal. */
  podJournalCount = 0;

  private journalPod(id: number): void {
    this.podJournal[this.podJournalCount++ & (POD_JOURNAL_SIZE - 1)] = id;
  }

  /**
   * Call fn for each journal entry from entry `from` on (a row may come more than once);
   * false, calling nothing, when the ring no longer holds them all (the reader does a
   * full pass instead).
   */
  podChangesSince(from: number, fn: (row: number) => void): boolean {
    if (this.podJournalCount - from > POD_JOURNAL_SIZE) return false;
    for (let k = from; k < this.podJournalCount; k++) fn(this.podJournal[k & (POD_JOURNAL_SIZE - 1)]);
    return true;
  }

  /** The pod got a deletionTimestamp (it keeps its resources until it is gone). Changes no generation. */
  markTerminating(id: number): void {
    if (this.podTerminating[id] === 1) return;
    this.podTerminating[id] = 1;
    this.journalPod(id);
  }

  /** Mark node row `n` changed (invalidates memoized plugin results for it). */
  touchNode(n: number): void {
    this.nodeVersion[n] = ++this.versionCounter;
    this.generation++;
  }

  private readonly templates = new Map<string, CompiledPod>();

  // -------------------------------------------------------------------------
  // Nodes

  get nodeCount(): number {
    return this.nodes.count;
  }

  /**
   * Per node row: 1 while the row has no Node object (a machine not created yet, or a
   * deleted Node). Such a row is never a place to bind (the caller also marks it
   * unschedulable) and is left out of the FailedScheduling and preemption messages'
   * "0/N nodes" counts: upstream's scheduler cache does not hold it.
   */
  absent = new Uint8Array(0);
  absentNodes = 0;

  /** The Node objects the scheduler knows: rows minus absent ones. */
  get presentNodeCount(): number {
    return this.nodes.count - this.absentNodes;
  }

  setAbsent(node: number, absent: boolean): void {
    if (this.absent.length < this.nodes.capacity) this.absent = grown(this.absent, this.nodes.capacity);
    const was = this.absent[node] === 1;
    if (was === absent) return;
    this.absentNodes += absent ? 1 : -1;
    this.absent[node] = absent ? 1 : 0;
  }

  /** Node row by name, -1 if absent. */
  nodeIndex(name: string): number {
    return this.nodes.byName.get(name) ?? -1;
  }

  /** Add a v1 Node (status.allocatable, falling back to status.capacity). Returns its row. */
  addNode(node: Node): number {
    const s = this.strings;
    const name = node.metadata?.name;
    if (!name) throw new Error("node without metadata.name");
    const alloc: Record<string, string> = { ...(node.status?.capacity ?? {}), ...(node.status?.allocatable ?? {}) };
    const labels = node.metadata?.labels ?? {};
    const labelPairs = Object.entries(labels).map(([k, v]) => s.pair(k, v));
    const taints = (node.spec?.taints ?? []).map((t) => s.taint(t.key, t.value ?? "", t.effect));
    const zone = labels[LABEL_TOPOLOGY_ZONE];
    const row = this.nodes.add({
      name,
      cpuMilli: alloc.cpu !== undefined ? cpuMilli(alloc.cpu) : 0,
      memoryBytes: alloc.memory !== undefined ? bytes(alloc.memory) : 0,
      ephemeralBytes: alloc["ephemeral-storage"] !== undefined ? bytes(alloc["ephemeral-storage"]) : 0,
      pods: alloc.pods !== undefined ? quantityValue(parseQuantity(alloc.pods)) : 0,
      labels: labelPairs,
      taints,
      unschedulable: node.spec?.unschedulable === true,
      zone: zone !== undefined ? s.value(zone) : -1,
    });
    this.ensureNodeColumns();
    this.countTaints(row, 1);
    if (node.spec?.unschedulable === true) this.unschedulableNodes++;
    for (const col of this.scalarAlloc) col[row] = 0;
    for (const [rname, q] of Object.entries(alloc)) {
      if (FIXED_RESOURCES.has(rname)) continue;
      this.scalarColumn(s.resources.id(rname)).alloc[row] = quantityValue(parseQuantity(q));
    }
    for (const col of this.labelCols.values()) col[row] = -1;
    for (const pid of labelPairs) {
      const col = this.labelCols.get(s.pairKey[pid]);
      if (col) col[row] = s.pairValue[pid];
    }
    const imgIds: number[] = [];
    for (const img of node.status?.images ?? []) {
      for (const n of img.names ?? []) {
        const id = s.images.id(n);
        if (imgIds.includes(id)) continue;
        imgIds.push(id);
        while (this.imageNodeCount.length <= id) {
          this.imageNodeCount.push(0);
          this.imageSizeBytes.push(0);
        }
        if (this.imageNodeCount[id]++ === 0) this.imageSizeBytes[id] = img.sizeBytes ?? 0;
      }
    }
    this.nodeImages.push(Int32Array.from(imgIds));
    this.nodeHostPorts.push([]);
    this.nodePods.push(new Int32Array(8));
    this.touchNode(row);
    return row;
  }

  /**
   * Replace a node's status.images (its kubelet posted a new list): the per-image node
   * counts and sizes follow the scheduler cache's imageStates (cache.go
   * removeNodeImageStates / addNodeImageStates: an image no node has any more is
   * forgotten, so its size is the next reporter's).
   */
  setNodeImages(node: number, images: readonly { names?: readonly string[]; sizeBytes?: number }[]): void {
    for (const id of this.nodeImages[node]) this.imageNodeCount[id]--;
    const ids: number[] = [];
    for (const img of images) {
      for (const n of img.names ?? []) {
        const id = this.strings.images.id(n);
        if (ids.includes(id)) continue;
        ids.push(id);
        while (this.imageNodeCount.length <= id) {
          this.imageNodeCount.push(0);
          this.imageSizeBytes.push(0);
        }
        if (this.imageNodeCount[id]++ === 0) this.imageSizeBytes[id] = img.sizeBytes ?? 0;
      }
    }
    this.nodeImages[node] = Int32Array.from(ids);
    this.touchNode(node);
  }

  /** Mark a node (un)schedulable (kubectl cordon/uncordon). */
  setUnschedulable(node: number, unschedulable: boolean): void {
    const was = this.nodes.unschedulable[node] === 1;
    if (was !== unschedulable) this.unschedulableNodes += unschedulable ? 1 : -1;
    this.nodes.unschedulable[node] = unschedulable ? 1 : 0;
    this.touchNode(node);
  }

  /** Replace a node's taints (node lifecycle taints, kubectl taint). */
  setTaints(node: number, taints: readonly { key: string; value?: string; effect: string }[]): void {
    this.countTaints(node, -1);
    this.nodes.taints[node] = Int32Array.from(taints.map((t) => this.strings.taint(t.key, t.value ?? "", t.effect)));
    this.countTaints(node, 1);
    this.touchNode(node);
  }

  private countTaints(node: number, sign: number): void {
    const ts = this.nodes.taints[node];
    let hard = false;
    let prefer = false;
    for (let i = 0; i < ts.length; i++) {
      const e = this.strings.taintEffect[ts[i]];
      if (e === TaintEffect.PreferNoSchedule) prefer = true;
      else if (e === TaintEffect.NoSchedule || e === TaintEffect.NoExecute) hard = true;
    }
    if (hard) this.nodesWithHardTaints += sign;
    if (prefer) this.nodesWithPreferTaints += sign;
  }

  /**
   * Per label key, the value id of each node (-1 when the node lacks the key).
   * Built on first use and kept up to date by addNode. Fetch it once per batch, not
   * per node (it is replaced when the node table grows).
   */
  labelColumn(key: number): Int32Array {
    let col = this.labelCols.get(key);
    if (col && col.length >= this.nodes.capacity) return col;
    col = new Int32Array(Math.max(this.nodes.capacity, 1)).fill(-1);
    const s = this.strings;
    for (let n = 0; n < this.nodes.count; n++) {
      const labels = this.nodes.labels[n];
      for (let i = 0; i < labels.length; i++) if (s.pairKey[labels[i]] === key) col[n] = s.pairValue[labels[i]];
    }
    this.labelCols.set(key, col);
    return col;
  }

  /** The value id of `node`'s label `key` (-1 if absent). Not for hot loops. */
  nodeLabel(node: number, key: string): number {
    const k = this.strings.keys.peek(key);
    return k < 0 ? -1 : this.labelColumn(k)[node];
  }

  private scalarColumn(resource: number): { alloc: Float64Array; req: Float64Array } {
    while (this.scalarAlloc.length <= resource) {
      this.scalarAlloc.push(new Float64Array(Math.max(this.nodes.capacity, 1)));
      this.scalarReq.push(new Float64Array(Math.max(this.nodes.capacity, 1)));
    }
    return { alloc: this.scalarAlloc[resource], req: this.scalarReq[resource] };
  }

  private ensureNodeColumns(): void {
    const cap = this.nodes.capacity;
    if (this.nodeVersion.length < cap) this.nodeVersion = grown(this.nodeVersion, cap);
    for (let r = 0; r < this.scalarAlloc.length; r++) {
      if (this.scalarAlloc[r].length < cap) {
        this.scalarAlloc[r] = grown(this.scalarAlloc[r], cap);
        this.scalarReq[r] = grown(this.scalarReq[r], cap);
      }
    }
    for (const [k, col] of this.labelCols) if (col.length < cap) this.labelCols.set(k, grown(col, cap).fill(-1, col.length));
  }

  // -------------------------------------------------------------------------
  // Pods

  /**
   * The compiled form of a v1 Pod, shared by all pods with the same template
   * (namespace, labels, spec minus nodeName/status). The pod is one the API server
   * admitted (apiserver/admission), so spec.priority is resolved; unset counts as 0.
   */
  compile(pod: Pod, opts: { ignoreNodeName?: boolean } = {}): CompiledPod {
    const spec = { ...(pod.spec ?? { containers: [] }) };
    if (opts.ignoreNodeName) delete spec.nodeName;
    const priority = spec.priority ?? 0;
    const key = JSON.stringify([pod.metadata?.namespace ?? "default", pod.metadata?.labels ?? {}, priority, spec]);
    let c = this.templates.get(key);
    if (!c) {
      c = new CompiledPod(key, { metadata: pod.metadata, spec }, this.strings, priority);
      this.templates.set(key, c);
    }
    return c;
  }

  /**
   * Put a pod on a node (a bound pod, or Reserve/assume). Updates the node's requested
   * sums, pod count, host ports. Returns the pod row.
   */
  addPod(pod: CompiledPod, name: string, node: number, startUs = 0, assumed = false): number {
    const id = this.podCount;
    if (id === this.podCapacity) this.growPods(id + 1);
    this.podCount++;
    this.podNames.push(name);
    this.podCompiled.push(pod);
    this.podNamespace[id] = pod.namespaceId;
    this.podPriority[id] = pod.priority;
    this.podStartUs[id] = startUs;
    this.podTerminating[id] = 0;
    this.podAssumed[id] = assumed ? 1 : 0;
    this.podNode[id] = -1;
    this.placePod(id, node);
    return id;
  }

  /** Take a pod off its node (deleted, evicted, preemption victim, unreserve). */
  removePod(id: number): void {
    const node = this.podNode[id];
    if (node < 0) return;
    const pod = this.podCompiled[id];
    const t = this.nodes;
    t.cpuReq[node] -= pod.cpuMilli;
    t.memReq[node] -= pod.memoryBytes;
    t.ephReq[node] -= pod.ephemeralBytes;
    t.cpuNonzero[node] -= pod.nonzeroCpuMilli;
    t.memNonzero[node] -= pod.nonzeroMemoryBytes;
    for (let i = 0; i < pod.scalarIds.length; i++) this.scalarColumn(pod.scalarIds[i]).req[node] -= pod.scalarAmounts[i];
    // Swap-remove from the node's pod list.
    const list = this.nodePods[node];
    const last = t.podCount[node] - 1;
    const slot = this.podSlot[id];
    const moved = list[last];
    list[slot] = moved;
    this.podSlot[moved] = slot;
    t.podCount[node] = last;
    const ports = this.nodeHostPorts[node];
    for (let i = 0; i < pod.hostPorts.length; i += 2) {
      for (let j = 0; j < ports.length; j += 2) {
        if (ports[j] === pod.hostPorts[i] && ports[j + 1] === pod.hostPorts[i + 1]) {
          ports.splice(j, 2);
          break;
        }
      }
    }
    this.podNode[id] = -1;
    this.journalPod(id);
    this.touchNode(node);
  }

  /** Put a removed pod row back on a node (undo of removePod, e.g. after a preemption dry run). */
  restorePod(id: number, node: number): void {
    if (this.podNode[id] >= 0) throw new Error(`pod row ${id} is already on a node`);
    this.placePod(id, node);
  }

  private placePod(id: number, node: number): void {
    const pod = this.podCompiled[id];
    const t = this.nodes;
    t.cpuReq[node] += pod.cpuMilli;
    t.memReq[node] += pod.memoryBytes;
    t.ephReq[node] += pod.ephemeralBytes;
    t.cpuNonzero[node] += pod.nonzeroCpuMilli;
    t.memNonzero[node] += pod.nonzeroMemoryBytes;
    for (let i = 0; i < pod.scalarIds.length; i++) this.scalarColumn(pod.scalarIds[i]).req[node] += pod.scalarAmounts[i];
    let list = this.nodePods[node];
    const n = t.podCount[node];
    if (n === list.length) {
      list = grown(list, list.length * 2);
      this.nodePods[node] = list;
    }
    list[n] = id;
    this.podSlot[id] = n;
    t.podCount[node] = n + 1;
    const ports = this.nodeHostPorts[node];
    for (let i = 0; i < pod.hostPorts.length; i++) ports.push(pod.hostPorts[i]);
    this.podNode[id] = node;
    this.journalPod(id);
    this.touchNode(node);
  }

  /**
   * Forget pod rows >= `start` (all of them must already be removed). For what-if runs
   * and benchmarks that undo a batch of placements; a simulation keeps rows forever.
   */
  truncatePods(start: number): void {
    for (let id = start; id < this.podCount; id++) if (this.podNode[id] >= 0) throw new Error(`pod row ${id} is still on a node`);
    if (start >= this.podCount) return;
    this.podNames.length = start;
    this.podCompiled.length = start;
    this.podCount = start;
  }

  /** Call fn(podRow, nodeRow) for every assigned pod, node by node. Not for hot loops. */
  forEachPod(fn: (pod: number, node: number) => void): void {
    for (let n = 0; n < this.nodes.count; n++) {
      const list = this.nodePods[n];
      for (let i = 0, c = this.nodes.podCount[n]; i < c; i++) fn(list[i], n);
    }
  }

  private growPods(needed: number): void {
    const n = nextCapacity(this.podCapacity, needed);
    this.podNode = grown(this.podNode, n);
    this.podSlot = grown(this.podSlot, n);
    this.podNamespace = grown(this.podNamespace, n);
    this.podPriority = grown(this.podPriority, n);
    this.podStartUs = grown(this.podStartUs, n);
    this.podTerminating = grown(this.podTerminating, n);
    this.podAssumed = grown(this.podAssumed, n);
    this.podCapacity = n;
  }

  // -------------------------------------------------------------------------
  // Other objects

  addNamespace(ns: Namespace): void {
    const id = this.strings.namespaces.id(ns.metadata?.name ?? "default");
    while (this.namespaceLabels.length <= id) this.namespaceLabels.push(new Int32Array(0));
    this.namespaceLabels[id] = this.strings.labelList(ns.metadata?.labels);
  }

  /** Labels of a namespace id (empty when no Namespace object was given). */
  namespaceLabelIds(id: number): Int32Array {
    return this.namespaceLabels[id] ?? EMPTY;
  }

  /** The image id of a normalized image name on some node, -1 if no node has it. */
  imageId(normalizedName: string): number {
    return this.strings.images.peek(normalizedName);
  }
}

const EMPTY = new Int32Array(0);

function parseStartUs(pod: Pod): number {
  const t = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms * US_PER_MS;
}

/**
 * Build a snapshot from kubectl-style v1 objects. Pods with spec.nodeName count on
 * that node (pods naming an unknown node, and Succeeded/Failed pods, are left out,
 * as the scheduler cache does); pending pods are not part of the snapshot.
 */
export function snapshotFromObjects(objs: ClusterObjects): Snapshot {
  const s = new Snapshot();
  for (const ns of objs.namespaces ?? []) s.addNamespace(ns);
  s.services = objs.services ?? [];
  s.replicaSets = objs.replicaSets ?? [];
  s.statefulSets = objs.statefulSets ?? [];
  s.pdbs = objs.pdbs ?? [];
  for (const n of objs.nodes ?? []) s.addNode(n);
  for (const p of objs.pods ?? []) {
    const nodeName = p.spec?.nodeName;
    if (!nodeName) continue;
    const phase = p.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    const node = s.nodeIndex(nodeName);
    if (node < 0) continue;
    const name = `${p.metadata?.namespace ?? "default"}/${p.metadata?.name ?? ""}`;
    const id = s.addPod(s.compile(p, { ignoreNodeName: true }), name, node, parseStartUs(p));
    if (p.metadata?.deletionTimestamp) s.markTerminating(id);
  }
  return s;
}

export { normalizedImageName };
