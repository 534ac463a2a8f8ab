/**
 * Kubernetes' safe alphabet for generated names (k8s.io/apimachinery util/rand
 * SafeEncodeString): no vowels, and no 0, 1 or 3, so generated names never spell
 * words. Pod name suffixes (generateName) and the pod-template-hash label use it.
 */
export const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** rand.SafeEncodeString: each character mapped onto the safe alphabet by its code modulo 27. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}
