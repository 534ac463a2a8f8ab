/**
 * The node-sized scratch arrays of one SchedulingCycle, shared by its parts (the
 * search in cycle.ts, filter.ts, filterMemo.ts, prioritize.ts) so a cycle allocates
 * nothing: upstream allocates its feasible-node slice and score lists per cycle
 * (schedule_one.go findNodesThatPassFilters, prioritizeNodes); kubesim keeps one set
 * per cycle instance, grown by doubling when the node table outgrows it.
 *
 * The arrays are fields, not constants: the search swaps `cand` and `feasible` after
 * its first chunk, and grow() replaces them all. Read them from this object at the
 * start of each call, never keep them across calls.
 */
import { nextCapacity } from "../engine/columns.js";

export class CycleBuffers {
  /** Capacity of every array below (>= the node count after ensure()). */
  capacity = 0;
  /** Candidate node rows of the batch being filtered, and their search positions. */
  cand = new Int32Array(0);
  candPos = new Int32Array(0);
  /** Filter verdicts of the batch (framework.ts verdict(); 0 = passes). */
  verdicts = new Int32Array(0);
  /** Feasible node rows found so far, in search order, and their search positions. */
  feasible = new Int32Array(0);
  feasiblePos = new Int32Array(0);
  /** One score plugin's scores for the feasible nodes. */
  scoreBuf = new Int32Array(0);
  /** TotalScore per feasible node (weighted sum). */
  total = new Int32Array(0);
  /** Memo misses (node rows) and their positions (search position or feasible index). */
  miss = new Int32Array(0);
  missPos = new Int32Array(0);
  /** Merge target of memo hits and misses (filterMemo.ts). */
  merged = new Int32Array(0);
  mergedPos = new Int32Array(0);
  /** Weighted node-local score sum per memo miss. */
  missAcc = new Int32Array(0);

  /** Make room for `nodes` node rows (contents are scratch: not kept). */
  ensure(nodes: number): void {
    if (this.capacity >= nodes) return;
    const c = nextCapacity(this.capacity, nodes);
    this.capacity = c;
    this.cand = new Int32Array(c);
    this.candPos = new Int32Array(c);
    this.verdicts = new Int32Array(c);
    this.feasible = new Int32Array(c);
    this.feasiblePos = new Int32Array(c);
    this.scoreBuf = new Int32Array(c);
    this.total = new Int32Array(c);
    this.miss = new Int32Array(c);
    this.missPos = new Int32Array(c);
    this.merged = new Int32Array(c);
    this.mergedPos = new Int32Array(c);
    this.missAcc = new Int32Array(c);
  }
}
