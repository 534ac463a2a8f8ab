/**
 * Scheduling latency (pod created -> bound) in an HDR histogram of microseconds:
 * 3 significant digits over 1 us .. 1 day, constant memory however many pods.
 */
import * as hdr from "hdr-histogram-js";

const HIGHEST_TRACKABLE_US = 86_400_000_000;

export class LatencyHistogram {
  private readonly h = hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  /** Values of 0 us are counted here: HDR's lowest bucket starts at 1. */
  private zeros = 0;

  record(us: number): void {
    const v = Math.round(us);
    if (v <= 0) this.zeros++;
    else this.h.recordValue(Math.min(v, HIGHEST_TRACKABLE_US));
  }

  get count(): number {
    return this.zeros + this.h.totalCount;
  }

  /** The p-th percentile (0-100) in microseconds; 0 when empty. */
  percentileUs(p: number): number {
    const n = this.count;
    if (n === 0) return 0;
    // The rank of the percentile among all values; zeros come first.
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    if (rank <= this.zeros) return 0;
    const pInRest = ((rank - this.zeros) / this.h.totalCount) * 100;
    return this.h.getValueAtPercentile(Math.min(100, pInRest));
  }

  get maxUs(): number {
    return this.h.totalCount === 0 ? 0 : this.h.maxValue;
  }

  get meanUs(): number {
    const n = this.count;
    return n === 0 ? 0 : (this.h.mean * this.h.totalCount) / n;
  }
}
