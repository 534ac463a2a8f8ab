/**
 * The objects the API keeps in etcd, reduced to what optimistic concurrency needs:
 * per key, the revision of its last committed write and two numbers (for a Lease:
 * holder and renew time). Lease-based leader election relies on it.
 *
 * Upstream: every committed write gets the next revision of etcd's MVCC store
 * (go.etcd.io/etcd/server/v3/mvcc), and an object's resourceVersion is the revision
 * of its last write. kube-apiserver turns an update into an etcd Txn that compares
 * the key's mod revision with the one it read (k8s.io/apiserver pkg/storage/etcd3/
 * store.go, GuaranteedUpdate); when the client's resourceVersion no longer matches,
 * the answer is 409 Conflict. etcd evaluates the compare when it applies the Txn,
 * after the raft round, so a conflicting update costs one round and bumps no
 * revision: kubesim does the same by calling `commit` when the write has committed.
 *
 * kubesim's own simplification: a write without a key (pods, bindings in bulk) bumps
 * the revision and stores nothing.
 */

/** A stored object: latest committed revision and its two values. */
export interface StoredObject {
  revision: number;
  a: number;
  b: number;
}

/** `commit`'s answer when the resourceVersion precondition failed. */
export const CONFLICT = -1;

export class ObjectStore {
  /** Committed objects by key. */
  readonly objects = new Map<number, StoredObject>();
  /** etcd revision: one per committed write. */
  revision = 1;

  get(key: number): StoredObject | undefined {
    return this.objects.get(key);
  }

  /**
   * Apply a committed write of (a, b) to `key` (-1: no object) if the object's revision
   * is still `expectedRevision` (-1: no precondition; 0: the object must not exist).
   * Returns the write's revision, or CONFLICT.
   */
  commit(key: number, expectedRevision: number, a: number, b: number): number {
    if (key < 0) return ++this.revision;
    const cur = this.objects.get(key);
    if (expectedRevision >= 0 && (cur?.revision ?? 0) !== expectedRevision) return CONFLICT;
    const rev = ++this.revision;
    if (cur) {
      cur.revision = rev;
      cur.a = a;
      cur.b = b;
    } else {
      this.objects.set(key, { revision: rev, a, b });
    }
    return rev;
  }
}
