/**
 * Generated pod name suffixes: five characters of Kubernetes' safe alphabet, as the
 * API server's generateName produces (names.SimpleNameGenerator). kubesim derives them
 * from a per-owner counter instead of randomness (scrambled by a bijection), so names
 * are unique within an owner for 27^5 = 14 million pods and stable across seeds.
 */
import { SAFE_ALPHABET } from "../model/safeEncoding.js";

const SPAN = 27 ** 5;
/** v -> (v * STRIDE + OFFSET) mod 27^5 is a bijection (STRIDE is not a multiple of 3): unique, random-looking. */
const STRIDE = 7_368_787;
const OFFSET = 1_234_567;

export function podNameSuffix(n: number): string {
  let out = "";
  let v = (n * STRIDE + OFFSET) % SPAN;
  for (let i = 0; i < 5; i++) {
    out = SAFE_ALPHABET[v % 27] + out;
    v = Math.floor(v / 27);
  }
  return out;
}
