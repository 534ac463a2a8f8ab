/**
 * Pod groups: the snapshot's assigned pods grouped by template (CompiledPod) and
 * terminating flag, with per-topology-domain pod counts kept up to date incrementally.
 *
 * Upstream's InterPodAffinity and PodTopologySpread rescan every pod of every node in
 * each PreFilter/PreScore. All replicas of a template have the same labels, namespace
 * and affinity terms, so "does this pod match that term" only needs an answer per
 * group, and "how many matching pods in domain (key, value)" is a sum of per-group
 * counters. A counter ("watch") is created on first use by one scan over the pods and
 * afterwards updated on every pod placed or removed, so a scheduling cycle reads
 * counts in O(domains) instead of O(pods).
 *
 * Synchronisation is pull-based: sync() compares the snapshot's generation with the
 * last one seen. If the only changes are new pod rows (the common case: one assumed
 * pod per cycle), only those rows are read; otherwise (a pod removed or restored, a
 * node changed, a preemption victim deleted) every row that is on a node or counted
 * is compared with what was counted, in ascending row order. Rows that are neither
 * (deleted pods: a simulation keeps its pod rows forever) have nothing to compare:
 * once they are the majority, only the nodes' pod lists and the counted rows are
 * visited, so the comparison costs O(pods on nodes + nodes), not O(pods ever
 * created); while they are few, one pass over the rows is cheaper and is used.
 * Terminating pods form their own groups, because PodTopologySpread ignores them
 * while InterPodAffinity does not.
 *
 * Caveat: Snapshot.podTerminating set without a generation bump is noticed at the
 * next full comparison only (snapshotFromObjects sets it before any cycle runs).
 */
import { grown, nextCapacity } from "../../../engine/columns.js";
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";

/** A node mask (1 = the node counts). Held in an object so watches see it regrown. */
export interface NodeMask {
  bits: Uint8Array;
}

/**
 * Pods of one group per value of one topology key, optionally only on masked nodes.
 * A counter starts sparse (value -> slot map with parallel arrays: a StatefulSet's
 * pods are one template each, so most groups hold a few pods) and turns dense (an
 * Int32Array indexed by value id) once it spans more than DENSE_AFTER domains.
 * Read it with countOf() / liveValues().
 */
export interface DomainCount {
  /** Topology key id, or NODE_KEY for a count per node row. */
  readonly key: number;
  readonly mask: NodeMask | null;
  /** Pods of the group on (masked) nodes that have the key. */
  withKey: number;
  /** Label column of `key` (refreshed when the node table grows). */
  col: Int32Array;
  /** Dense form: counts by value id, or null while sparse. */
  dense: Int32Array | null;
  /** Dense: values that hold (or held) pods; 1 in inNz while listed. Sparse: exactly the live values. */
  nz: number[];
  inNz: Uint8Array | null;
  /** Sparse form: value -> slot in nz / cnt. */
  slot: Map<number, number> | null;
  cnt: number[];
}

/** The pseudo key of per-node counters (PodTopologySpread's hostname scoring counts a node's own pods). */
export const NODE_KEY = -2;

/** Domains a sparse counter may span before it turns dense (tests lower it to exercise both forms). */
export const denseAfter = { domains: 64 };

/** Pods of a counter in domain v. */
export function countOf(w: DomainCount, v: number): number {
  const d = w.dense;
  if (d !== null) return v < d.length ? d[v] : 0;
  const i = w.slot!.get(v);
  return i === undefined ? 0 : w.cnt[i];
}

export interface PodGroup {
  readonly id: number;
  readonly pod: CompiledPod;
  readonly terminating: boolean;
  /** Pods of this group currently on a node. */
  total: number;
  /** Pods of this group per node row (created on first use). */
  nodeWatch: DomainCount | null;
  readonly watches: DomainCount[];
  /** Unmasked watches by key id (the hot lookup), masked ones by "key/maskId". */
  readonly watchByKeyId: (DomainCount | undefined)[];
  readonly watchByKey: Map<string, DomainCount>;
  /** Pod rows counted under this group (on a node), so a new counter reads only them. */
  readonly rows: number[];
}

const registry = new WeakMap<Snapshot, PodGroups>();

export class PodGroups {
  readonly groups: PodGroup[] = [];
  private readonly byPod = new Map<CompiledPod, number>();
  private readonly byPodTerminating = new Map<CompiledPod, number>();
  /** Per pod row: group and node it is counted under (-1 = not counted). */
  private rowGroup = new Int32Array(0);
  private rowNode = new Int32Array(0);
  /** Position of a counted row in its group's `rows`. */
  private rowSlot = new Int32Array(0);
  /** The rows counted under some group (rowNode >= 0), unordered: countedRows[0 .. countedCount). */
  private countedRows = new Int32Array(0);
  private countedCount = 0;
  /** Per pod row: 1 + its position in countedRows, 0 when not counted. */
  private countedAt = new Int32Array(0);
  /** Scratch for the full comparison: one bit per pod row, all zero between syncs. */
  private rowBits = new Uint32Array(0);
  private rows = 0;
  private generation = -1;
  /** How far the snapshot's pod journal was read (-1: never synced). */
  private journalAt = -1;
  /** Rows the journal named since the last sync, each once (marked in rowBits). */
  private changed: number[] = [];
  private readonly markChanged = (id: number): void => {
    if (id >= this.rows) return; // a row forgotten by Snapshot.truncatePods
    const bit = 1 << (id & 31);
    if ((this.rowBits[id >>> 5] & bit) !== 0) return;
    this.rowBits[id >>> 5] |= bit;
    this.changed.push(id);
  };
  private nodeCount = 0;
  private valueCap = 0;
  private nodeCap = 0;
  /** identity[n] = n: the "label column" of NODE_KEY counters. */
  private identity = new Int32Array(0);

  private constructor(readonly snapshot: Snapshot) {}

  /** The index of a snapshot (one per snapshot, shared by both plugins). */
  static of(snapshot: Snapshot): PodGroups {
    let g = registry.get(snapshot);
    if (!g) {
      g = new PodGroups(snapshot);
      registry.set(snapshot, g);
    }
    return g;
  }

  /** Group id of a template (terminating pods of it are a separate group). */
  groupOf(pod: CompiledPod, terminating: boolean): number {
    const map = terminating ? this.byPodTerminating : this.byPod;
    let id = map.get(pod);
    if (id === undefined) {
      id = this.groups.length;
      this.groups.push({ id, pod, terminating, total: 0, nodeWatch: null, watches: [], watchByKeyId: [], watchByKey: new Map(), rows: [] });
      map.set(pod, id);
    }
    return id;
  }

  /** Bring every counter up to date with the snapshot. */
  sync(): void {
    const s = this.snapshot;
    if (s.generation === this.generation) return;
    this.ensureCapacity();
    const podNode = s.podNode;
    const oldRows = this.rows;
    const newRows = s.podCount;
    let placedNewRows = 0;
    for (let id = oldRows; id < newRows; id++) {
      // A row id reused after Snapshot.truncatePods starts uncounted (its old counts stay).
      if (this.countedAt[id] !== 0) this.uncount(id);
      this.rowGroup[id] = -1;
      this.rowNode[id] = -1;
      if (podNode[id] >= 0) placedNewRows++;
    }
    this.rows = newRows;
    const onlyAdditions = this.generation >= 0 && s.generation === this.generation + placedNewRows && s.nodeCount === this.nodeCount;
    const nodesChanged = s.nodeCount !== this.nodeCount;
    if (nodesChanged) this.onNodesChanged();
    if (onlyAdditions) {
      for (let id = oldRows; id < newRows; id++) this.syncRow(id);
    } else if (!nodesChanged && this.journalAt >= 0 && s.podChangesSince(this.journalAt, this.markChanged)) {
      // Only the rows whose node or terminating flag changed, in ascending order: the
      // same moves, in the same order, as a pass over every row (unchanged rows move nothing).
      const changed = this.changed.sort((a, b) => a - b);
      for (const id of changed) {
        this.rowBits[id >>> 5] = 0;
        this.syncRow(id);
      }
      changed.length = 0;
    } else if (2 * this.countedCount + s.nodeCount < newRows) {
      // Mostly rows of deleted pods (kubesim's threshold: visiting a live row through
      // the pod lists and the bitset costs about twice a row of the plain pass).
      this.syncLiveRows(newRows);
    } else {
      const rowNode = this.rowNode;
      for (let id = 0; id < newRows; id++) if (podNode[id] >= 0 || rowNode[id] >= 0) this.syncRow(id);
    }
    this.generation = s.generation;
    this.journalAt = s.podJournalCount;
  }

  /**
   * Compare rows [0, newRows) with what was counted, in ascending row order. A row
   * that is neither on a node nor counted has nothing to compare, so only the rows on
   * the nodes' pod lists and the counted rows are visited (marked in a bitset, read
   * back in order: the same moves, in the same order, as a pass over every row).
   */
  private syncLiveRows(newRows: number): void {
    const s = this.snapshot;
    const bits = this.rowBits;
    const podsOn = s.nodes.podCount;
    for (let n = 0; n < s.nodeCount; n++) {
      const list = s.nodePods[n];
      for (let i = 0, c = podsOn[n]; i < c; i++) {
        const id = list[i];
        if (id < newRows) bits[id >>> 5] |= 1 << (id & 31);
      }
    }
    const counted = this.countedRows;
    for (let k = 0; k < this.countedCount; k++) {
      const id = counted[k];
      if (id < newRows) bits[id >>> 5] |= 1 << (id & 31);
    }
    const words = (newRows + 31) >>> 5;
    for (let w = 0; w < words; w++) {
      let x = bits[w];
      if (x === 0) continue;
      bits[w] = 0;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        this.syncRow((w << 5) | (31 - Math.clz32(low)));
      }
    }
  }

  /** Count row `id` under its current node and group, or uncount it when it left its node. */
  private syncRow(id: number): void {
    const s = this.snapshot;
    const n = s.podNode[id];
    const curNode = this.rowNode[id];
    if (n < 0) {
      if (curNode >= 0) this.move(id, -1, -1);
      return;
    }
    const terminating = s.podTerminating[id] === 1;
    let g = this.rowGroup[id];
    if (g < 0 || this.groups[g].terminating !== terminating || this.groups[g].pod !== s.podCompiled[id]) {
      g = this.groupOf(s.podCompiled[id], terminating);
    }
    if (n !== curNode || g !== this.rowGroup[id]) this.move(id, g, n);
  }

  /** Pods of group g per value of `key` on nodes of `mask` (null = all nodes). */
  watch(g: number, key: number, mask: NodeMask | null = null, maskId = 0): DomainCount {
    const group = this.groups[g];
    if (mask === null) {
      const w = group.watchByKeyId[key];
      if (w !== undefined) return w;
    }
    const name = mask === null ? `${key}` : `${key}/${maskId}`;
    let w = group.watchByKey.get(name);
    if (w) return w;
    w = { key, mask, withKey: 0, col: this.snapshot.labelColumn(key), dense: null, nz: [], inNz: null, slot: new Map(), cnt: [] };
    for (const id of group.rows) this.applyWatch(w, this.rowNode[id], 1);
    group.watches.push(w);
    group.watchByKey.set(name, w);
    if (mask === null) {
      while (group.watchByKeyId.length < key) group.watchByKeyId.push(undefined);
      group.watchByKeyId[key] = w;
    }
    return w;
  }

  /** Drop the masked watches of a mask id (its mask changed); they are rebuilt on demand. */
  unwatchMask(maskId: number): void {
    const suffix = `/${maskId}`;
    for (const group of this.groups) {
      for (const [name, w] of group.watchByKey) {
        if (!name.endsWith(suffix)) continue;
        group.watchByKey.delete(name);
        group.watches.splice(group.watches.indexOf(w), 1);
      }
    }
  }

  /** Pods of group g per node row (a counter over NODE_KEY). */
  nodeWatch(g: number): DomainCount {
    const group = this.groups[g];
    if (group.nodeWatch) return group.nodeWatch;
    const w: DomainCount = { key: NODE_KEY, mask: null, withKey: 0, col: this.identity, dense: null, nz: [], inNz: null, slot: new Map(), cnt: [] };
    for (const id of group.rows) this.applyWatch(w, this.rowNode[id], 1);
    group.watches.push(w);
    group.nodeWatch = w;
    return w;
  }

  /** Group id a pod row is counted under, or its template's group if not counted. */
  groupOfRow(id: number): number {
    const s = this.snapshot;
    if (id < this.rows && this.rowGroup[id] >= 0) return this.rowGroup[id];
    return this.groupOf(s.podCompiled[id], s.podTerminating[id] === 1);
  }

  /** Capacity of value-indexed arrays (>= number of interned label values). */
  get valueCapacity(): number {
    return this.valueCap;
  }

  private move(id: number, g: number, n: number): void {
    const oldG = this.rowGroup[id];
    const oldN = this.rowNode[id];
    if (oldG >= 0 && oldN >= 0) {
      this.apply(oldG, oldN, -1);
      // Swap-remove the row from its group's list.
      const rows = this.groups[oldG].rows;
      const slot = this.rowSlot[id];
      const last = rows.pop()!;
      if (last !== id) {
        rows[slot] = last;
        this.rowSlot[last] = slot;
      }
    }
    this.rowGroup[id] = g;
    this.rowNode[id] = n;
    if (g >= 0 && n >= 0) {
      this.apply(g, n, 1);
      const rows = this.groups[g].rows;
      this.rowSlot[id] = rows.length;
      rows.push(id);
      if (this.countedAt[id] === 0) {
        this.countedRows[this.countedCount++] = id;
        this.countedAt[id] = this.countedCount;
      }
    } else if (this.countedAt[id] !== 0) {
      this.uncount(id);
    }
  }

  /** Take row `id` off the counted list (swap-remove); its counters are not touched. */
  private uncount(id: number): void {
    const at = this.countedAt[id] - 1;
    const last = this.countedRows[--this.countedCount];
    this.countedRows[at] = last;
    this.countedAt[last] = at + 1;
    this.countedAt[id] = 0;
  }

  private apply(g: number, n: number, d: number): void {
    const group = this.groups[g];
    group.total += d;
    const ws = group.watches;
    for (let i = 0; i < ws.length; i++) this.applyWatch(ws[i], n, d);
  }

  private applyWatch(w: DomainCount, n: number, d: number): void {
    applyWatchTo(w, n, d, w.key === NODE_KEY ? this.nodeCap : this.valueCap);
  }

  private ensureCapacity(): void {
    const s = this.snapshot;
    if (s.podCount > this.rowGroup.length) {
      const cap = nextCapacity(this.rowGroup.length, s.podCount);
      this.rowGroup = grown(this.rowGroup, cap);
      this.rowNode = grown(this.rowNode, cap);
      this.rowSlot = grown(this.rowSlot, cap);
      this.countedRows = grown(this.countedRows, cap);
      this.countedAt = grown(this.countedAt, cap);
      this.rowBits = grown(this.rowBits, (cap + 31) >>> 5);
    }
    const values = s.strings.values.size;
    if (values > this.valueCap) {
      // At least 64 value slots (kubesim's choice), doubling.
      const cap = nextCapacity(Math.max(64, this.valueCap), values);
      this.valueCap = cap;
      for (const group of this.groups) {
        for (const w of group.watches) {
          if (w.dense === null || w.key === NODE_KEY) continue;
          if (w.dense.length < cap) w.dense = grown(w.dense, cap);
          w.inNz = grown(w.inNz!, cap);
        }
      }
    }
    if (s.nodes.capacity > this.nodeCap) {
      this.nodeCap = s.nodes.capacity;
      this.identity = Int32Array.from({ length: this.nodeCap }, (_, i) => i);
      for (const group of this.groups) {
        const w = group.nodeWatch;
        if (w === null) continue;
        w.col = this.identity;
        if (w.dense !== null) {
          if (w.dense.length < this.nodeCap) w.dense = grown(w.dense, this.nodeCap);
          w.inNz = grown(w.inNz!, this.nodeCap);
        }
      }
    }
  }

  private onNodesChanged(): void {
    this.nodeCount = this.snapshot.nodeCount;
    for (const group of this.groups) for (const w of group.watches) w.col = w.key === NODE_KEY ? this.identity : this.snapshot.labelColumn(w.key);
  }
}

function applyWatchTo(w: DomainCount, n: number, d: number, valueCap: number): void {
  if (w.mask !== null && w.mask.bits[n] !== 1) return;
  const v = w.col[n];
  if (v < 0) return;
  w.withKey += d;
  const dense = w.dense;
  if (dense !== null) {
    dense[v] += d;
    if (w.inNz![v] === 0) {
      w.inNz![v] = 1;
      w.nz.push(v);
    }
    return;
  }
  const slot = w.slot!;
  const i = slot.get(v);
  if (i === undefined) {
    slot.set(v, w.nz.length);
    w.nz.push(v);
    w.cnt.push(d);
    if (w.nz.length > denseAfter.domains) densify(w, valueCap);
    return;
  }
  const c = w.cnt[i] + d;
  if (c !== 0) {
    w.cnt[i] = c;
    return;
  }
  // Swap-remove the emptied domain so nz stays exactly the live values.
  const last = w.nz.length - 1;
  if (i !== last) {
    w.nz[i] = w.nz[last];
    w.cnt[i] = w.cnt[last];
    slot.set(w.nz[i], i);
  }
  w.nz.pop();
  w.cnt.pop();
  slot.delete(v);
}

function densify(w: DomainCount, valueCap: number): void {
  const dense = new Int32Array(valueCap);
  const inNz = new Uint8Array(valueCap);
  for (let i = 0; i < w.nz.length; i++) {
    dense[w.nz[i]] = w.cnt[i];
    inNz[w.nz[i]] = 1;
  }
  w.dense = dense;
  w.inNz = inNz;
  w.slot = null;
  w.cnt = [];
}

/**
 * The values of a counter that hold pods, without duplicates: lets a cycle touch only
 * the domains with matching pods instead of every interned value.
 */
export function liveValues(w: DomainCount): number[] {
  const nz = w.nz;
  const dense = w.dense;
  if (dense !== null && nz.length > 2 * w.withKey + 16) {
    let j = 0;
    for (let i = 0; i < nz.length; i++) {
      const v = nz[i];
      if (dense[v] !== 0) nz[j++] = v;
      else w.inNz![v] = 0;
    }
    nz.length = j;
  }
  return nz;
}

