/**
 * A pod's effective resource requests, computed as the scheduler does
 * (k8s.io/component-helpers resource.PodRequests):
 *
 *   containers   = sum over regular containers + sum over sidecars (restartable init containers)
 *   initMax      = max over init containers i of (request_i + sidecars started before i)
 *   pod request  = max(containers, initMax) + overhead
 *
 * A container that sets a limit but no request for a resource requests its limit
 * (API server defaulting).
 */
import { bytes, cpuMilli, quantityValue, parseQuantity } from "./quantity.js";

type ResourceList = Record<string, string | number>;
interface ContainerLike {
  resources?: { requests?: ResourceList; limits?: ResourceList };
  restartPolicy?: string;
}
interface PodSpecLike {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: ResourceList;
}

/** Resource amounts as integers: cpu in millicores, everything else in units (bytes, count). */
export type Amounts = Map<string, number>;

function amount(name: string, q: string | number): number {
  return name === "cpu" ? cpuMilli(q) : name === "memory" || name === "ephemeral-storage" ? bytes(q) : quantityValue(parseQuantity(q));
}

function containerRequests(c: ContainerLike): Amounts {
  const out: Amounts = new Map();
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  for (const [name, q] of Object.entries(lim)) if (!(name in req)) out.set(name, amount(name, q));
  for (const [name, q] of Object.entries(req)) out.set(name, amount(name, q));
  return out;
}

function addInto(a: Amounts, b: Amounts): void {
  for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + v);
}

function maxInto(a: Amounts, b: Amounts): void {
  for (const [k, v] of b) a.set(k, Math.max(a.get(k) ?? 0, v));
}

export function podRequests(spec: PodSpecLike): Amounts {
  const total: Amounts = new Map();
  for (const c of spec.containers) addInto(total, containerRequests(c));
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === "Always") {
      addInto(sidecars, r);
      // A sidecar keeps running: it is part of the init peak from its start on.
      const peak = new Map(sidecars);
      maxInto(initMax, peak);
    } else {
      const peak = new Map(sidecars);
      addInto(peak, r);
      maxInto(initMax, peak);
    }
  }
  addInto(total, sidecars);
  maxInto(total, initMax);
  for (const [name, q] of Object.entries(spec.overhead ?? {})) total.set(name, (total.get(name) ?? 0) + amount(name, q));
  return total;
}

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * The pod-template-hash label: a 32-bit FNV-1a hash of the template, written in
 * decimal and mapped digit by digit onto Kubernetes' safe alphabet
 * (rand.SafeEncodeString), as the Deployment controller does. Our hash input is the
 * template's JSON, not Go's object printer, so values differ from a real cluster's.
 */
export function podTemplateHash(template: unknown): string {
  const text = JSON.stringify(template);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = "";
  for (const d of String(h)) out += SAFE_ALPHABET[d.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}
