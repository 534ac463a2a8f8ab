/**
 * A log-linear latency histogram over integer microseconds, the one histogram of
 * kubesim (control-plane request latencies, etcd round trips, scheduling latency).
 *
 * Layout (HdrHistogram's, with the precision as a parameter): with `subBucketBits` = k,
 * values below 2^(k+1) have a bucket each; above, every power of two [2^e, 2^(e+1)) is
 * cut into 2^k equal buckets of width 2^(e-k). A bucket is therefore never wider than
 * 2^-k of its lower bound:
 *   k = 4  (SUB_BUCKET_BITS_COARSE): 16 buckets per power of two, at most 6.25 % wide;
 *          the control-plane tables, 608 buckets each.
 *   k = 10 (SUB_BUCKET_BITS_3_DIGITS): exact below 2048, 1024 buckets per power of two
 *          above, at most 1/1024 < 0.1 % wide. This is exactly HdrHistogram with 3
 *          significant digits and a lowest discernible value of 1 (its sub-bucket count
 *          is the power of two above 2 x 10^3, i.e. 2048, and half of it per power of two
 *          beyond the first), so the bucket bounds match HDR's.
 * Values up to 2^41 us (25 days) get their own bucket; larger ones share the last one,
 * whose upper bound is open (Infinity).
 *
 * Query semantics, and why (kubesim's own choices where HDR differs):
 * - quantileUs(q) is the nearest-rank q-quantile: the rank-th smallest value, rank =
 *   ceil(q x count), reported as the upper bound of its bucket capped at the exact
 *   maximum. The true value lies in [bucket lower, min(bucket upper, max)], so the
 *   report is never below the truth and at most one bucket width (2^-k relative) above
 *   it. HDR reports the bucket's upper bound even above the largest recorded value.
 * - meanUs() is the exact sum over the count. HDR computes its mean from bucket
 *   midpoints.
 * - maxUs and sumUs are exact; an empty histogram has count 0, and its quantiles and
 *   mean are NaN (there is no value): a caller that writes a number decides what to
 *   write instead.
 * Recording allocates nothing: one typed-array increment and three number updates.
 */

/** 16 sub-buckets per power of two (buckets at most 6.25 % wide): the control-plane counters. */
export const SUB_BUCKET_BITS_COARSE = 4;
/** 1024 sub-buckets per power of two, exact below 2048: HdrHistogram's 3 significant digits. */
export const SUB_BUCKET_BITS_3_DIGITS = 10;

/** Values below 2^(MAX_EXP + 1) us get their own bucket. */
const MAX_EXP = 40;
const TWO_POW_32 = 4294967296;

export class LatencyHistogram {
  readonly subBucketBits: number;
  /** Per bucket, values recorded. */
  readonly counts: Float64Array;
  count = 0;
  sumUs = 0;
  maxUs = 0;
  private readonly subBuckets: number;

  constructor(subBucketBits: number) {
    if (!Number.isInteger(subBucketBits) || subBucketBits < 1 || subBucketBits > 20) {
      throw new RangeError(`latency histogram: subBucketBits ${subBucketBits} must be an integer in 1..20`);
    }
    this.subBucketBits = subBucketBits;
    this.subBuckets = 2 ** subBucketBits;
    this.counts = new Float64Array((MAX_EXP - subBucketBits + 2) * this.subBuckets);
  }

  /** Record one latency. A fractional value is rounded to the microsecond, as the clock rounds delays. */
  record(us: number): void {
    const v = Math.round(us);
    // A negative or NaN latency is a bookkeeping bug in the caller (an end before its start).
    if (!(v >= 0)) throw new RangeError(`latency histogram: latency ${us} us is not a non-negative number`);
    this.counts[this.bucketOf(v)]++;
    this.count++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  /** The nearest-rank q-quantile (0 < q <= 1) in us: its bucket's upper bound, capped at the max. NaN when empty. */
  quantileUs(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    const counts = this.counts;
    let seen = 0;
    for (let b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= rank) return Math.min(this.bucketUpper(b), this.maxUs);
    }
    return this.maxUs;
  }

  /** Exact mean in us; NaN when empty. */
  meanUs(): number {
    return this.count === 0 ? NaN : this.sumUs / this.count;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sumUs = 0;
    this.maxUs = 0;
  }

  /** Non-empty buckets, lowest first, as [lowerUs, upperUs (inclusive), count]. */
  nonEmptyBuckets(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let b = 0; b < this.counts.length; b++) if (this.counts[b] > 0) out.push([this.bucketLower(b), this.bucketUpper(b), this.counts[b]]);
    return out;
  }

  /** Bucket index of a non-negative integer value in us. */
  bucketOf(v: number): number {
    const sub = this.subBuckets;
    if (v < 2 * sub) return v;
    // exp = floor(log2 v), exact in integers (Math.log2 can round up just below a power of two)
    const exp = v < TWO_POW_32 ? 31 - Math.clz32(v) : 63 - Math.clz32(Math.floor(v / TWO_POW_32));
    const shift = exp - this.subBucketBits;
    const b = (shift + 1) * sub + Math.floor(v / 2 ** shift) - sub;
    return b < this.counts.length ? b : this.counts.length - 1;
  }

  /** Smallest value of bucket `b`. */
  bucketLower(b: number): number {
    const sub = this.subBuckets;
    if (b < sub) return b;
    const shift = Math.floor(b / sub) - 1;
    return (sub + (b % sub)) * 2 ** shift;
  }

  /** Largest value of bucket `b` (inclusive); Infinity for the open last bucket. */
  bucketUpper(b: number): number {
    return b === this.counts.length - 1 ? Infinity : this.bucketLower(b + 1) - 1;
  }
}
