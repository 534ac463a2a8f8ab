/**
 * The images on each node (what the runtime's image store holds) and the kubelet's image
 * GC (pkg/kubelet/images/image_gc_manager.go):
 * - an image record has its size, firstDetected and lastUsed. Preloaded images were
 *   detected "at an unknown time in the past" (upstream's first detection uses the zero
 *   time), so they are never too young. [kubesim choice] A pulled image is detected
 *   when its pull completes (upstream: at its next image listing, at most 5 min later).
 * - lastUsed is set to now, at each GC pass, for every image a container on the node
 *   uses (detectImages marks images in use); never-used images keep lastUsed 0.
 * - every ImageGCPeriod (5 min) GarbageCollect reads the image filesystem: usage% =
 *   100 - int(available x 100 / capacity); at or above imageGCHighThresholdPercent it
 *   frees capacity x (100 - low)/100 - available bytes (freeSpace): images sorted by
 *   lastUsed, ties by firstDetected (oldest first); it stops at the first image used
 *   now (lastUsed >= the GC time: every later one is in use too), skips an image younger
 *   than imageMinimumGCAge, and removes the rest until enough is freed.
 * [kubesim choice] The image filesystem holds images only (no writable layers, logs).
 */

export interface ImageRecord {
  sizeBytes: number;
  firstDetectedUs: number;
  lastUsedUs: number;
}

export interface GcPolicy {
  capacityBytes: number;
  highThresholdPercent: number;
  lowThresholdPercent: number;
  minimumAgeUs: number;
}

export class NodeImages {
  /** Image id -> record, in the order the images arrived. */
  readonly records = new Map<number, ImageRecord>();
  usedBytes = 0;
  /** Bumped on every change (a pull, a removal): the node status compares lists only when it moved. */
  version = 0;

  has(image: number): boolean {
    return this.records.has(image);
  }

  add(image: number, sizeBytes: number, detectedUs: number): void {
    if (this.records.has(image)) return;
    this.records.set(image, { sizeBytes, firstDetectedUs: detectedUs, lastUsedUs: 0 });
    this.usedBytes += sizeBytes;
    this.version++;
  }

  remove(image: number): void {
    const r = this.records.get(image);
    if (!r) return;
    this.records.delete(image);
    this.usedBytes -= r.sizeBytes;
    this.version++;
  }

  /**
   * One GarbageCollect at `nowUs` with `inUse` the images containers use: marks them
   * used now, then frees space if usage is at the high threshold. Returns the removed
   * image ids in removal order.
   */
  garbageCollect(nowUs: number, inUse: ReadonlySet<number>, policy: GcPolicy): number[] {
    for (const id of inUse) {
      const r = this.records.get(id);
      if (r) r.lastUsedUs = nowUs;
    }
    const capacity = policy.capacityBytes;
    if (capacity <= 0) return [];
    const available = Math.max(0, capacity - this.usedBytes);
    const usagePercent = 100 - Math.trunc((available * 100) / capacity);
    if (usagePercent < policy.highThresholdPercent) return [];
    const toFree = Math.trunc((capacity * (100 - policy.lowThresholdPercent)) / 100) - available;
    return this.freeSpace(toFree, nowUs, policy.minimumAgeUs);
  }

  /** freeSpace: the eviction order and skips described above. */
  freeSpace(bytesToFree: number, nowUs: number, minimumAgeUs: number): number[] {
    const order = [...this.records.entries()].sort(([, a], [, b]) => (a.lastUsedUs !== b.lastUsedUs ? a.lastUsedUs - b.lastUsedUs : a.firstDetectedUs - b.firstDetectedUs));
    const removed: number[] = [];
    let freed = 0;
    for (const [id, r] of order) {
      if (r.lastUsedUs >= nowUs) break;
      if (nowUs - r.firstDetectedUs < minimumAgeUs) continue;
      this.remove(id);
      removed.push(id);
      freed += r.sizeBytes;
      if (freed >= bytesToFree) break;
    }
    return removed;
  }
}
