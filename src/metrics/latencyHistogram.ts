/**
 * A log-linear latency histogram over integer microseconds (HDR-style: 16 linear
 * sub-buckets per power of two, so a bucket is at most 1/16 = 6.25 % wide).
 * Recording allocates nothing; percentiles return the bucket's upper bound, so a
 * reported p99 is never below the true one by more than the bucket width.
 */

const SUB_BITS = 4;
const SUB = 1 << SUB_BITS;
/** Values up to 2^40 us (~12.7 days) fit; larger ones land in the last bucket. */
const MAX_EXP = 40;
const BUCKETS = (MAX_EXP + 1) * SUB;

/** Bucket index of a value in microseconds. Values below SUB get exact buckets. */
export function bucketOf(us: number): number {
  const v = Math.max(0, Math.floor(us));
  if (v < SUB) return v;
  const exp = v <= 0xffffffff ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  const shift = exp - SUB_BITS;
  const sub = Math.floor(v / 2 ** shift) - SUB;
  return Math.min(BUCKETS - 1, (shift + 1) * SUB + sub);
}

/** Smallest value of a bucket. */
export function bucketLower(b: number): number {
  if (b < SUB) return b;
  const shift = Math.floor(b / SUB) - 1;
  return (SUB + (b % SUB)) * 2 ** shift;
}

/** Largest value of a bucket (inclusive). */
export function bucketUpper(b: number): number {
  return bucketLower(b + 1) - 1;
}

export class LatencyHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum_us = 0;
  max_us = 0;

  record(us: number): void {
    this.counts[bucketOf(us)]++;
    this.count++;
    this.sum_us += us;
    if (us > this.max_us) this.max_us = us;
  }

  /** The q-quantile (0 < q <= 1) in microseconds (bucket upper bound, capped at the max); NaN when empty. */
  quantile_us(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(bucketUpper(b), this.max_us);
    }
    return this.max_us;
  }

  mean_us(): number {
    return this.count === 0 ? NaN : this.sum_us / this.count;
  }

  add(other: LatencyHistogram): void {
    for (let b = 0; b < BUCKETS; b++) this.counts[b] += other.counts[b];
    this.count += other.count;
    this.sum_us += other.sum_us;
    if (other.max_us > this.max_us) this.max_us = other.max_us;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum_us = 0;
    this.max_us = 0;
  }

  /** Non-empty buckets as [lower_us, upper_us, count]. */
  nonEmptyBuckets(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let b = 0; b < BUCKETS; b++) if (this.counts[b] > 0) out.push([bucketLower(b), bucketUpper(b), this.counts[b]]);
    return out;
  }
}
