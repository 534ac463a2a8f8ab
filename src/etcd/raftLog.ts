/**
 * One member's raft log: the term and payload (client request id, 0 for a leader's
 * empty entry) of each entry, in typed arrays. Entries up to `offset` are compacted
 * away (covered by a snapshot); `offsetTerm` is the term of entry `offset`.
 *
 * Index 0 with term 0 is the empty log's sentinel, as in etcd-io/raft.
 */
import { grown } from "../engine/columns.js";

export class RaftLog {
  /** Last compacted index (entries <= offset are gone). */
  offset = 0;
  offsetTerm = 0;
  /** Index of the last entry. */
  last = 0;
  /** terms[i - offset - 1 + shift] holds entry i's term. */
  private terms = new Float64Array(64);
  private payloads = new Float64Array(64);
  /** Physical position of entry offset+1. */
  private shift = 0;
  /** Bumped on every truncation, so messages naming a range of this log can tell it changed. */
  epoch = 0;

  /** Term of entry `i`; -1 when `i` is compacted away or beyond the end. */
  term(i: number): number {
    if (i === this.offset) return this.offsetTerm;
    if (i < this.offset || i > this.last) return -1;
    return this.terms[this.shift + i - this.offset - 1];
  }

  payload(i: number): number {
    if (i <= this.offset || i > this.last) return -1;
    return this.payloads[this.shift + i - this.offset - 1];
  }

  lastTerm(): number {
    return this.term(this.last);
  }

  append(term: number, payload: number): number {
    let p = this.shift + this.last - this.offset;
    if (p >= this.terms.length) {
      this.makeRoom();
      p = this.shift + this.last - this.offset;
    }
    this.terms[p] = term;
    this.payloads[p] = payload;
    return ++this.last;
  }

  /** Drop entries from `i` on (i > offset). */
  truncateFrom(i: number): void {
    if (i <= this.last) {
      this.last = i - 1;
      this.epoch++;
    }
  }

  /** Compact entries up to `i` (kept: offset+1 ..); no-op when already compacted. */
  compactTo(i: number): void {
    if (i <= this.offset) return;
    if (i > this.last) i = this.last;
    const t = this.term(i);
    this.shift += i - this.offset;
    this.offset = i;
    this.offsetTerm = t;
  }

  /** Replace the whole log by a snapshot ending at (index, term). */
  restore(index: number, term: number): void {
    this.offset = index;
    this.offsetTerm = term;
    this.last = index;
    this.shift = 0;
    this.epoch++;
  }

  /** True when the log is at least as up to date as (lastIndex, lastTerm) (Raft §5.4.1). */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const t = this.lastTerm();
    return lastTerm > t || (lastTerm === t && lastIndex >= this.last);
  }

  /**
   * Largest index <= `index` whose term is <= `term` (etcd-io/raft findConflictByTerm):
   * used to skip a whole conflicting term on a rejected append instead of one entry.
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.last);
    while (i > this.offset) {
      if (this.term(i) <= term) return i;
      i--;
    }
    return i;
  }

  /** Number of entries held in memory (for tests). */
  get held(): number {
    return this.last - this.offset;
  }

  private makeRoom(): void {
    const n = this.last - this.offset;
    if (this.shift > 0 && n < this.terms.length / 2) {
      // Compaction left a dead prefix: slide the live entries down instead of growing.
      this.terms.copyWithin(0, this.shift, this.shift + n);
      this.payloads.copyWithin(0, this.shift, this.shift + n);
      this.shift = 0;
      return;
    }
    const cap = this.terms.length * 2;
    this.terms = grown(this.terms, cap);
    this.payloads = grown(this.payloads, cap);
  }
}
