/**
 * Generated pod name suffixes: five characters of Kubernetes' safe alphabet
 * (no vowels, no 0/1/3 — rand.SafeEncodeString), as generateName produces. kubesim
 * derives them from a per-owner counter instead of randomness, so names are unique
 * within an owner (27^5 = 14 million) and stable across seeds.
 */
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function podNameSuffix(n: number): string {
  let out = "";
  let v = n;
  for (let i = 0; i < 5; i++) {
    out = SAFE_ALPHABET[v % 27] + out;
    v = Math.floor(v / 27);
  }
  return out;
}
