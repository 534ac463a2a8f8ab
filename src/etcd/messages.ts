/**
 * Raft messages in flight, as a pool of struct-of-arrays slots. A message is a slot
 * index; the calendar event that delivers it carries only that index, so sending a
 * message allocates nothing once the pool has grown to the working size.
 *
 * Entries are not copied into MsgApp: the message names a range of the sender's log
 * (`index`+1 .. `index`+`count`) plus the sender's truncation epoch. A leader's log is
 * append-only during its term, so the range is unchanged at delivery unless the sender
 * was deposed and its log truncated (or compacted) meanwhile; such a message is dropped
 * at delivery, which raft tolerates like any lost message.
 */
import { grown } from "../engine/columns.js";

/** Message types (names as in etcd-io/raft raftpb). */
export const Msg = {
  APP: 0,
  APP_RESP: 1,
  HEARTBEAT: 2,
  HEARTBEAT_RESP: 3,
  VOTE: 4,
  VOTE_RESP: 5,
  PRE_VOTE: 6,
  PRE_VOTE_RESP: 7,
  PROP: 8,
  READ_INDEX: 9,
  READ_INDEX_RESP: 10,
  SNAP: 11,
} as const;

export const MSG_NAMES = [
  "MsgApp",
  "MsgAppResp",
  "MsgHeartbeat",
  "MsgHeartbeatResp",
  "MsgVote",
  "MsgVoteResp",
  "MsgPreVote",
  "MsgPreVoteResp",
  "MsgProp",
  "MsgReadIndex",
  "MsgReadIndexResp",
  "MsgSnap",
] as const;

export class MessagePool {
  type = new Uint8Array(256);
  from = new Int32Array(256);
  to = new Int32Array(256);
  term = new Float64Array(256);
  /** MsgApp: index of the entry before the batch; MsgAppResp: last index / rejected index; votes: last log index. */
  index = new Float64Array(256);
  /** Term of `index` (MsgApp, votes, MsgSnap), or the hint term of a rejection. */
  logTerm = new Float64Array(256);
  commit = new Float64Array(256);
  /** MsgApp: number of entries. */
  count = new Int32Array(256);
  reject = new Uint8Array(256);
  /** MsgAppResp rejection: hint index. */
  hint = new Float64Array(256);
  /** ReadIndex context, heartbeat context, or the request id of a MsgProp. */
  ctx = new Float64Array(256);
  /** Sender's log truncation epoch at send time (MsgApp). */
  epoch = new Float64Array(256);
  /** Link in a member's outbox. */
  next = new Int32Array(256);
  private free = new Int32Array(256);
  private freeCount = 0;
  private used = 0;

  alloc(type: number, from: number, to: number, term: number): number {
    let s: number;
    if (this.freeCount > 0) s = this.free[--this.freeCount];
    else {
      if (this.used === this.type.length) this.grow();
      s = this.used++;
    }
    this.type[s] = type;
    this.from[s] = from;
    this.to[s] = to;
    this.term[s] = term;
    this.index[s] = 0;
    this.logTerm[s] = 0;
    this.commit[s] = 0;
    this.count[s] = 0;
    this.reject[s] = 0;
    this.hint[s] = 0;
    this.ctx[s] = 0;
    this.epoch[s] = 0;
    this.next[s] = -1;
    return s;
  }

  release(s: number): void {
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = s;
  }

  /** Slots in use (allocated and not released). */
  get inUse(): number {
    return this.used - this.freeCount;
  }

  private grow(): void {
    const n = this.type.length * 2;
    this.type = grown(this.type, n);
    this.from = grown(this.from, n);
    this.to = grown(this.to, n);
    this.term = grown(this.term, n);
    this.index = grown(this.index, n);
    this.logTerm = grown(this.logTerm, n);
    this.commit = grown(this.commit, n);
    this.count = grown(this.count, n);
    this.reject = grown(this.reject, n);
    this.hint = grown(this.hint, n);
    this.ctx = grown(this.ctx, n);
    this.epoch = grown(this.epoch, n);
    this.next = grown(this.next, n);
  }
}
