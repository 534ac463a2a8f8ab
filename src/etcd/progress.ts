/**
 * The leader's view of each follower (etcd-io/raft tracker.Progress), for every
 * (leader, follower) pair at index `leader * n + follower`, in typed arrays.
 *
 * States: PROBE (send one MsgApp, wait for the answer), REPLICATE (pipeline up to
 * `maxInflight` MsgApps), SNAPSHOT (a snapshot is on its way).
 */
export const PROBE = 0;
export const REPLICATE = 1;
export const SNAPSHOT = 2;

export class ProgressTracker {
  /** Highest index known to be durable on the follower. */
  readonly match: Float64Array;
  /** Next index to send. */
  readonly next: Float64Array;
  readonly state: Uint8Array;
  /** PROBE: a MsgApp is out, wait for its answer (raft MsgAppFlowPaused). */
  readonly paused: Uint8Array;
  /** Heard from since the last check-quorum. */
  readonly recentActive: Uint8Array;
  /** Last time the leader heard from the follower (µs). */
  readonly lastAckUs: Float64Array;
  /** SNAPSHOT: index of the snapshot being sent. */
  readonly pendingSnap: Float64Array;
  /** Something (entries or a commit index) is waiting to be sent in the next Ready. */
  readonly needAppend: Uint8Array;
  /** In-flight MsgApps: a ring of their last indices per pair (raft tracker.Inflights). */
  private readonly inflightStart: Int32Array;
  readonly inflightCount: Int32Array;
  private readonly inflightBuf: Float64Array;

  constructor(
    readonly members: number,
    readonly maxInflight: number,
  ) {
    const nn = members * members;
    this.match = new Float64Array(nn);
    this.next = new Float64Array(nn);
    this.state = new Uint8Array(nn);
    this.paused = new Uint8Array(nn);
    this.recentActive = new Uint8Array(nn);
    this.lastAckUs = new Float64Array(nn);
    this.pendingSnap = new Float64Array(nn);
    this.needAppend = new Uint8Array(nn);
    this.inflightStart = new Int32Array(nn);
    this.inflightCount = new Int32Array(nn);
    this.inflightBuf = new Float64Array(nn * maxInflight);
  }

  /** A new leader `l` starts probing everybody from its last index + 1. */
  resetForLeader(l: number, lastIndex: number, selfMatch: number, nowUs: number): void {
    const n = this.members;
    for (let f = 0; f < n; f++) {
      const i = l * n + f;
      this.match[i] = f === l ? selfMatch : 0;
      this.next[i] = lastIndex + 1;
      this.state[i] = f === l ? REPLICATE : PROBE;
      this.paused[i] = 0;
      this.recentActive[i] = f === l ? 1 : 0;
      this.lastAckUs[i] = nowUs;
      this.inflightCount[i] = 0;
      this.inflightStart[i] = 0;
      this.needAppend[i] = f === l ? 0 : 1;
    }
  }

  becomeProbe(i: number): void {
    if (this.state[i] === SNAPSHOT) this.next[i] = Math.max(this.match[i] + 1, this.pendingSnap[i] + 1);
    else this.next[i] = this.match[i] + 1;
    this.state[i] = PROBE;
    this.paused[i] = 0;
    this.inflightCount[i] = 0;
    this.inflightStart[i] = 0;
  }

  becomeReplicate(i: number): void {
    this.state[i] = REPLICATE;
    this.next[i] = this.match[i] + 1;
    this.paused[i] = 0;
    this.inflightCount[i] = 0;
    this.inflightStart[i] = 0;
  }

  becomeSnapshot(i: number, snapIndex: number): void {
    this.state[i] = SNAPSHOT;
    this.pendingSnap[i] = snapIndex;
    this.inflightCount[i] = 0;
    this.inflightStart[i] = 0;
  }

  /** raft Progress.MaybeDecrTo: move `next` back after a rejection; false if the rejection is stale. */
  maybeDecrTo(i: number, rejected: number, matchHint: number): boolean {
    if (this.state[i] === REPLICATE) {
      if (rejected <= this.match[i]) return false;
      this.next[i] = this.match[i] + 1;
      return true;
    }
    if (this.next[i] - 1 !== rejected) return false;
    this.next[i] = Math.max(Math.min(rejected, matchHint + 1), this.match[i] + 1);
    this.paused[i] = 0;
    return true;
  }

  inflightFull(i: number): boolean {
    return this.inflightCount[i] >= this.maxInflight;
  }

  addInflight(i: number, lastIndex: number): void {
    const cap = this.maxInflight;
    this.inflightBuf[i * cap + ((this.inflightStart[i] + this.inflightCount[i]) % cap)] = lastIndex;
    this.inflightCount[i]++;
  }

  /** The follower acknowledged up to `index`: free every in-flight MsgApp ending at or below it. */
  freeInflightTo(i: number, index: number): void {
    const cap = this.maxInflight;
    while (this.inflightCount[i] > 0 && this.inflightBuf[i * cap + this.inflightStart[i]] <= index) {
      this.inflightStart[i] = (this.inflightStart[i] + 1) % cap;
      this.inflightCount[i]--;
    }
  }
}
