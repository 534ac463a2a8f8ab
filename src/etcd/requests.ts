/**
 * Client requests in flight, as struct-of-arrays slots. A request id is
 * `generation * 2^24 + slot`: the generation makes an id that outlived its request (an
 * entry applied after the client timed out) harmless. Ids are always > 0, so payload 0
 * can mark a leader's empty entry.
 */
import { grown } from "../engine/columns.js";

const SLOT_SPAN = 2 ** 24;

export class RequestTable {
  kind = new Uint8Array(256);
  client = new Int32Array(256);
  member = new Int32Array(256);
  tag = new Float64Array(256);
  startUs = new Float64Array(256);
  timer = new Float64Array(256);
  gen = new Float64Array(256).fill(1);
  live = new Uint8Array(256);
  /** A response is on its way to the client (never answer twice). */
  answered = new Uint8Array(256);
  /** The client asked for a leader (clientv3 WithRequireLeader). */
  requireLeader = new Uint8Array(256);
  private free = new Int32Array(256);
  private freeCount = 0;
  private used = 0;

  alloc(kind: number, client: number, member: number, tag: number, startUs: number): number {
    let s: number;
    if (this.freeCount > 0) s = this.free[--this.freeCount];
    else {
      if (this.used === this.kind.length) this.grow();
      s = this.used++;
    }
    this.kind[s] = kind;
    this.client[s] = client;
    this.member[s] = member;
    this.tag[s] = tag;
    this.startUs[s] = startUs;
    this.timer[s] = -1;
    this.live[s] = 1;
    this.answered[s] = 0;
    this.requireLeader[s] = 0;
    return this.gen[s] * SLOT_SPAN + s;
  }

  /** Id of the request in slot `s`. */
  idOf(s: number): number {
    return this.gen[s] * SLOT_SPAN + s;
  }

  /** Slot of a live request id, or -1 when the request already ended. */
  slotOf(id: number): number {
    const s = id % SLOT_SPAN;
    if (s >= this.used || this.live[s] === 0 || this.gen[s] * SLOT_SPAN + s !== id) return -1;
    return s;
  }

  release(s: number): void {
    this.live[s] = 0;
    this.gen[s]++;
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = s;
  }

  get inFlight(): number {
    return this.used - this.freeCount;
  }

  /** Slots currently used (upper bound for scans). */
  get slotsUsed(): number {
    return this.used;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    if (n > SLOT_SPAN) throw new Error(`etcd: more than ${SLOT_SPAN} client requests in flight`);
    this.kind = grown(this.kind, n);
    this.client = grown(this.client, n);
    this.member = grown(this.member, n);
    this.tag = grown(this.tag, n);
    this.startUs = grown(this.startUs, n);
    this.timer = grown(this.timer, n);
    const had = this.gen.length;
    this.gen = grown(this.gen, n);
    this.gen.fill(1, had);
    this.live = grown(this.live, n);
    this.answered = grown(this.answered, n);
    this.requireLeader = grown(this.requireLeader, n);
  }
}
