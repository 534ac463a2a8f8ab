/**
 * The leader's pending ReadIndex requests (etcd-io/raft read_only.go, ReadOnlySafe), one
 * slot per (leader, requesting member) at index `leader * n + origin`: etcd's read loop
 * keeps at most one ReadIndex in flight per member.
 *
 * A request records the leader's commit index and is confirmed once a quorum acknowledged
 * a heartbeat carrying its context (or a later one). Contexts increase, so an ack of
 * context c confirms every pending request with context <= c.
 */
export const RO_NONE = 0;
/** Held until the leader has committed an entry of its own term. */
export const RO_WAITING_FOR_COMMIT = 1;
/** Heartbeats with the context are out; collecting acknowledgements. */
export const RO_CONFIRMING = 2;

export class ReadOnlyTracker {
  readonly state: Uint8Array;
  readonly ctx: Float64Array;
  readonly index: Float64Array;
  private readonly acks: Int32Array;
  /** Per leader: the newest context, carried by its heartbeats. */
  readonly leaderCtx: Float64Array;

  constructor(readonly members: number) {
    const nn = members * members;
    this.state = new Uint8Array(nn);
    this.ctx = new Float64Array(nn);
    this.index = new Float64Array(nn);
    this.acks = new Int32Array(nn);
    this.leaderCtx = new Float64Array(members);
  }

  /** Drop every pending request of leader `l` (it stepped down or was just elected). */
  reset(l: number): void {
    const n = this.members;
    for (let o = 0; o < n; o++) this.state[l * n + o] = RO_NONE;
  }

  hold(l: number, origin: number, ctx: number): void {
    const i = l * this.members + origin;
    this.ctx[i] = ctx;
    this.state[i] = RO_WAITING_FOR_COMMIT;
  }

  /** Start confirming a request at read index `index`; the leader's own ack counts. Returns the heartbeat context. */
  confirm(l: number, origin: number, ctx: number, index: number): number {
    const i = l * this.members + origin;
    this.ctx[i] = ctx;
    this.index[i] = index;
    this.acks[i] = 1 << l;
    this.state[i] = RO_CONFIRMING;
    if (ctx > this.leaderCtx[l]) this.leaderCtx[l] = ctx;
    return this.leaderCtx[l];
  }

  /** Voter `f` acknowledged a heartbeat with context `ctx`: returns a bitmask of origins now confirmed by a quorum. */
  ack(l: number, f: number, ctx: number, quorum: number): number {
    const n = this.members;
    let done = 0;
    for (let o = 0; o < n; o++) {
      const i = l * n + o;
      if (this.state[i] !== RO_CONFIRMING || this.ctx[i] > ctx) continue;
      this.acks[i] |= 1 << f;
      if (popcount(this.acks[i]) >= quorum) {
        this.state[i] = RO_NONE;
        done |= 1 << o;
      }
    }
    return done;
  }
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
