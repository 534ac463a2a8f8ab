/**
 * Named random streams. Each stream is seeded from (run seed, stream name), so
 * adding a stream never shifts another one: two variants of a scenario see the same
 * arrivals (common random numbers). Generator: seedrandom's Alea (fast, 2^116 period).
 */
import seedrandom from "seedrandom";

export class RandomStream {
  private readonly gen: () => number;
  constructor(readonly name: string, seed: string) {
    this.gen = seedrandom.alea(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.gen();
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.gen();
  }
  /** Exponential with the given mean. */
  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.gen());
  }
  /** Standard normal (Box-Muller; one value per call keeps the stream position simple). */
  normal01(): number {
    const u1 = 1 - this.gen();
    const u2 = this.gen();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();
  constructor(readonly seed: number | string) {}

  /** The stream with this name; the same object on every call. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (!s) {
      s = new RandomStream(name, `${this.seed}\u0000${name}`);
      this.streams.set(name, s);
    }
    return s;
  }

  /** Names of the streams drawn from so far (for the run manifest). */
  names(): string[] {
    return [...this.streams.keys()];
  }
}
