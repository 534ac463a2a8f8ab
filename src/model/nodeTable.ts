/**
 * The node table: one row per node, one typed array per field (struct of arrays).
 * A node is its row index. Set-up code fills rows; the scheduler's hot loop reads the
 * columns directly.
 *
 * Resources are integers: cpu in millicores, memory and ephemeral storage in bytes.
 * "requested" is the sum of the actual requests of the pods bound to the node;
 * "nonzero" uses the scheduler's defaults for containers that request nothing
 * (100m cpu, 200Mi memory), as NodeResourcesFit scoring does.
 */
import { grown, nextCapacity } from "../engine/columns.js";

export interface NodeRow {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes?: number;
  pods: number;
  /** Interned key=value label pair ids (see ClusterStrings). */
  labels?: number[];
  /** Interned taint ids. */
  taints?: number[];
  unschedulable?: boolean;
  zone?: number;
}

export class NodeTable {
  count = 0;
  capacity = 0;
  names: string[] = [];
  readonly byName = new Map<string, number>();

  // Allocatable.
  cpuAlloc = new Float64Array(0);
  memAlloc = new Float64Array(0);
  ephAlloc = new Float64Array(0);
  podsAlloc = new Int32Array(0);
  // Sums over bound pods.
  cpuReq = new Float64Array(0);
  memReq = new Float64Array(0);
  ephReq = new Float64Array(0);
  cpuNonzero = new Float64Array(0);
  memNonzero = new Float64Array(0);
  podCount = new Int32Array(0);
  // State.
  ready = new Uint8Array(0);
  unschedulable = new Uint8Array(0);
  /** Interned zone value id, -1 when the node has no zone label. */
  zone = new Int32Array(0);
  /** Per node: sorted interned key=value pair ids. Set-up data, read by compiled selectors. */
  labels: Int32Array[] = [];
  /** Per node: interned taint ids. */
  taints: Int32Array[] = [];

  add(row: NodeRow): number {
    if (this.byName.has(row.name)) throw new Error(`duplicate node name ${row.name}`);
    const i = this.count;
    if (i === this.capacity) this.grow(i + 1);
    this.count++;
    this.names.push(row.name);
    this.byName.set(row.name, i);
    this.cpuAlloc[i] = row.cpuMilli;
    this.memAlloc[i] = row.memoryBytes;
    this.ephAlloc[i] = row.ephemeralBytes ?? 0;
    this.podsAlloc[i] = row.pods;
    this.ready[i] = 1;
    this.unschedulable[i] = row.unschedulable ? 1 : 0;
    this.zone[i] = row.zone ?? -1;
    this.labels.push(Int32Array.from([...(row.labels ?? [])].sort((a, b) => a - b)));
    this.taints.push(Int32Array.from(row.taints ?? []));
    return i;
  }

  private grow(needed: number): void {
    const n = nextCapacity(this.capacity, needed);
    this.cpuAlloc = grown(this.cpuAlloc, n);
    this.memAlloc = grown(this.memAlloc, n);
    this.ephAlloc = grown(this.ephAlloc, n);
    this.podsAlloc = grown(this.podsAlloc, n);
    this.cpuReq = grown(this.cpuReq, n);
    this.memReq = grown(this.memReq, n);
    this.ephReq = grown(this.ephReq, n);
    this.cpuNonzero = grown(this.cpuNonzero, n);
    this.memNonzero = grown(this.memNonzero, n);
    this.podCount = grown(this.podCount, n);
    this.ready = grown(this.ready, n);
    this.unschedulable = grown(this.unschedulable, n);
    this.zone = grown(this.zone, n);
    this.capacity = n;
  }
}
