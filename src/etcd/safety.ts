/**
 * Raft safety, checked as the run goes (Raft paper Figure 3):
 *  - Election Safety: at most one leader per term;
 *  - State Machine Safety / Leader Completeness: an entry committed at an index is never
 *    lost or replaced; every new leader holds every committed entry;
 *  - Log Matching up to the commit index: a member that commits index i holds, at every
 *    index <= i, the entry the cluster committed there.
 * A violation ends the run with a `SafetyViolation` naming the time and the members.
 *
 * Memory stays bounded: the committed log is kept for the last `window` indices (far more
 * than etcd keeps in its raft log: snapshot-count + catch-up entries), so entries older
 * than that are no longer compared; a member that far behind is restored from a snapshot.
 */
import { US_PER_S, StopSimulation } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";
import type { RaftLog } from "./raftLog.js";

export class SafetyViolation extends StopSimulation {}

export class SafetyChecker {
  /** leaderOfTerm[t] = member elected in term t, or -1. */
  private leaderOfTerm = new Int32Array(64).fill(-1);
  /** The committed log of the cluster: term and payload of index `base + k` at position k. */
  private committedTerm = new Float64Array(1024);
  private committedPayload = new Float64Array(1024);
  private base = 1;
  /** Highest index known committed anywhere. */
  committed = 0;
  checks = 0;

  constructor(
    private readonly names: readonly string[],
    private readonly window = 1 << 18,
  ) {}

  onLeaderElected(timeUs: number, member: number, term: number, log: RaftLog): void {
    this.checks++;
    if (term >= this.leaderOfTerm.length) {
      const had = this.leaderOfTerm.length;
      this.leaderOfTerm = grown(this.leaderOfTerm, nextCapacity(had, term + 1));
      this.leaderOfTerm.fill(-1, had);
    }
    const prev = this.leaderOfTerm[term];
    if (prev !== -1 && prev !== member) {
      this.fail(timeUs, `two leaders in term ${term}: ${this.names[prev]} and ${this.names[member]}`);
    }
    this.leaderOfTerm[term] = member;
    // Leader Completeness: by Log Matching it is enough that the newest committed entry is present.
    const c = this.committed;
    if (c > 0 && c > log.offset) {
      const t = log.term(c);
      const want = this.committedTerm[c - this.base];
      if (t !== want) {
        this.fail(
          timeUs,
          `${this.names[member]} elected leader of term ${term} without committed entry ${c} (term ${want}; it has ${t === -1 ? "nothing" : "term " + t})`,
        );
      }
    }
  }

  /** `member` advanced its commit index from `from` to `to`; check and record entries from+1..to. */
  onCommit(timeUs: number, member: number, from: number, to: number, log: RaftLog): void {
    this.checks++;
    if (to > log.last) this.fail(timeUs, `${this.names[member]} committed index ${to} beyond its last entry ${log.last}`);
    const start = Math.max(from, log.offset, this.base - 1) + 1;
    for (let i = start; i <= to; i++) {
      const t = log.term(i);
      const p = log.payload(i);
      if (i <= this.committed) {
        const k = i - this.base;
        if (this.committedTerm[k] !== t || this.committedPayload[k] !== p) {
          this.fail(
            timeUs,
            `${this.names[member]} committed index ${i} as (term ${t}, payload ${p}) but the cluster committed (term ${this.committedTerm[k]}, payload ${this.committedPayload[k]})`,
          );
        }
      } else {
        if (i > this.committed + 1) {
          this.fail(timeUs, `${this.names[member]} committed index ${i} while the cluster's commit index is ${this.committed}`);
        }
        this.record(i, t, p);
      }
    }
  }

  private record(i: number, t: number, p: number): void {
    let k = i - this.base;
    if (k >= this.committedTerm.length) {
      if (k >= 2 * this.window) {
        // Forget all but the last `window` entries.
        const drop = k - this.window;
        this.committedTerm.copyWithin(0, drop, k);
        this.committedPayload.copyWithin(0, drop, k);
        this.base += drop;
        k -= drop;
      } else {
        this.committedTerm = grown(this.committedTerm, this.committedTerm.length * 2);
        this.committedPayload = grown(this.committedPayload, this.committedPayload.length * 2);
      }
    }
    this.committedTerm[k] = t;
    this.committedPayload[k] = p;
    this.committed = i;
  }

  /** `member` is about to drop entries from `index` on; committed ones must never go. */
  onTruncate(timeUs: number, member: number, index: number, commitIndex: number): void {
    this.checks++;
    if (index <= commitIndex) {
      this.fail(timeUs, `${this.names[member]} would truncate its log from index ${index}, at or below its commit index ${commitIndex}`);
    }
  }

  private fail(timeUs: number, what: string): never {
    throw new SafetyViolation(`raft safety violation at t=${(timeUs / US_PER_S).toFixed(6)} s: ${what}`);
  }
}
