/**
 * Requests in flight at the API servers: one slot per request in a struct of typed
 * arrays, so that sending a request allocates nothing once the table has grown to the
 * run's peak.
 *
 * A slot is reused after its request is answered. Every event about a request carries
 * (slot, generation), and the generation is bumped when the slot is freed, so a late
 * event for a request already answered (an etcd answer after the API server died, a
 * connect timeout after a retry) finds a different generation and is dropped. The
 * token handed to etcd packs both: generation * SLOT_LIMIT + slot.
 *
 * kubesim's own bookkeeping; upstream a request is a goroutine with its context.
 */
import { grown, nextCapacity } from "../engine/columns.js";

/** Slots at most; with generations kept below 2^30 a token stays below 2^53 (exact in a double). */
export const SLOT_LIMIT = 2 ** 22;
const GENERATION_MASK = 0x3fffffff;
const INITIAL_CAPACITY = 1024;

/** Where a request is in the pipeline (see kubeApi.ts). */
export const enum Phase {
  /** Travelling to its API server (through the load balancer or directly). */
  Connecting = 0,
  /** Holding a seat, in the API server's own work (authn, admission, ...). */
  Processing = 1,
  /** Waiting for etcd. */
  Etcd = 2,
}

/** `flags` bits. */
export const FLAG_FROM_CACHE = 1;
export const FLAG_HOLDS_SEAT = 2;

export class RequestTable {
  capacity = INITIAL_CAPACITY;
  verb = new Uint8Array(INITIAL_CAPACITY);
  resource = new Uint8Array(INITIAL_CAPACITY);
  phase = new Uint8Array(INITIAL_CAPACITY);
  /** FLAG_FROM_CACHE | FLAG_HOLDS_SEAT. */
  flags = new Uint8Array(INITIAL_CAPACITY);
  /** Connection attempts so far beyond the first (load balancer redispatch). */
  attempts = new Uint8Array(INITIAL_CAPACITY);
  /** 1 when the request is pinned to one API server (no LB, no redispatch). */
  pinned = new Uint8Array(INITIAL_CAPACITY);
  /** API server index. */
  server = new Int32Array(INITIAL_CAPACITY);
  /** The server's process epoch when the request took its seat (see KubeApi.serverDied). */
  epochAt = new Int32Array(INITIAL_CAPACITY);
  generation = new Uint32Array(INITIAL_CAPACITY);
  /** The client's token and answer handler id. */
  clientToken = new Float64Array(INITIAL_CAPACITY);
  doneHandler = new Int32Array(INITIAL_CAPACITY);
  startUs = new Float64Array(INITIAL_CAPACITY);
  /** Object key in the store (-1: none), resourceVersion precondition (-1: none), values written. */
  key = new Float64Array(INITIAL_CAPACITY);
  expectedRevision = new Float64Array(INITIAL_CAPACITY);
  valueA = new Float64Array(INITIAL_CAPACITY);
  valueB = new Float64Array(INITIAL_CAPACITY);
  /** A create's namespace id (NamespaceLifecycle), -1: none. */
  namespace = new Int32Array(INITIAL_CAPACITY);

  private readonly freeSlots: number[] = [];
  private used = 0;

  /** Requests currently in flight. */
  get inFlight(): number {
    return this.used - this.freeSlots.length;
  }

  /** A free slot (its generation already differs from any earlier request's in it). */
  alloc(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  /** The request in `slot` is answered: events still carrying its generation are stale from now on. */
  free(slot: number): void {
    this.generation[slot] = (this.generation[slot] + 1) & GENERATION_MASK;
    this.freeSlots.push(slot);
  }

  /** The etcd token of the request in `slot`. */
  token(slot: number): number {
    return this.generation[slot] * SLOT_LIMIT + slot;
  }

  private grow(): void {
    const n = nextCapacity(this.capacity, this.capacity + 1);
    if (n > SLOT_LIMIT) throw new Error(`apiserver: more than ${SLOT_LIMIT} requests in flight`);
    this.verb = grown(this.verb, n);
    this.resource = grown(this.resource, n);
    this.phase = grown(this.phase, n);
    this.flags = grown(this.flags, n);
    this.attempts = grown(this.attempts, n);
    this.pinned = grown(this.pinned, n);
    this.server = grown(this.server, n);
    this.epochAt = grown(this.epochAt, n);
    this.generation = grown(this.generation, n);
    this.clientToken = grown(this.clientToken, n);
    this.doneHandler = grown(this.doneHandler, n);
    this.startUs = grown(this.startUs, n);
    this.key = grown(this.key, n);
    this.expectedRevision = grown(this.expectedRevision, n);
    this.valueA = grown(this.valueA, n);
    this.valueB = grown(this.valueB, n);
    this.namespace = grown(this.namespace, n);
    this.capacity = n;
  }
}

/** Slot and generation of an etcd token. */
export function slotOfToken(token: number): number {
  return token % SLOT_LIMIT;
}
export function generationOfToken(token: number): number {
  return Math.floor(token / SLOT_LIMIT);
}
