/**
 * Growable typed-array columns, the one helper every struct-of-arrays table uses (the
 * calendar, the node and pod tables, etcd's members, the scheduler's snapshot): grown by
 * doubling, copied once per doubling.
 */

export type NumericArray = Float64Array | Int32Array | Uint8Array | Uint32Array;

/** A copy of `a` with capacity `n` (n >= a.length), same element type. */
export function grown<T extends NumericArray>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Next capacity that holds `needed` rows, doubling from `current`. */
export function nextCapacity(current: number, needed: number): number {
  let n = Math.max(current, 16);
  while (n < needed) n *= 2;
  return n;
}
