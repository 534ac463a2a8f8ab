/**
 * The pod-template-hash label the Deployment controller puts on its ReplicaSet's pods:
 * a 32-bit FNV-1a hash of the template, written in decimal and safe-encoded
 * (controller.ComputeHash + rand.SafeEncodeString). kubesim hashes the template's JSON,
 * not Go's object printer, so the values differ from a real cluster's.
 */
import { safeEncodeString } from "../model/safeEncoding.js";

export function podTemplateHash(template: unknown): string {
  const text = JSON.stringify(template);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return safeEncodeString(String(h));
}
