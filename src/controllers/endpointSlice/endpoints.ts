/**
 * Which pods are a Service's endpoints, with which conditions, and how they are packed
 * into EndpointSlices: upstream's rules (k8s.io/endpointslice reconciler.go and utils.go).
 *
 * - ShouldPodBeInEndpoints(pod, includeTerminating=true), as the EndpointSlice reconciler
 *   calls it: not terminal (Succeeded/Failed), and has a pod IP. kubesim gives a pod its IP
 *   when its kubelet first reports it Running (the sandbox exists); a Terminating pod stays.
 * - podToEndpoint: serving = pod Ready; terminating = deletionTimestamp set;
 *   ready = publishNotReadyAddresses || (serving && !terminating).
 * - maxEndpointsPerSlice 100 (--max-endpoints-per-slice default,
 *   RecommendedDefaultEndpointSliceControllerConfiguration).
 *
 * Packing (simplified from reconcileByPortMapping, a kubesim choice): an endpoint that
 * stays keeps its slice; new endpoints fill the lowest-numbered slice with room, then new
 * slices; a slice left empty is deleted, except that a Service with no endpoint keeps one
 * empty placeholder slice (upstream's placeholder). Each slice whose endpoints or
 * conditions changed is one write (create, update or delete). Upstream also rebalances
 * slices and may merge small ones; kubesim does not.
 */
import { endpointVersion, type EndpointVersion } from "../../apiserver/endpointSlices.js";

/** --max-endpoints-per-slice default (pkg/controller/endpointslice/config/v1alpha1/defaults.go). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** One desired endpoint: the pod and its conditions. */
export interface DesiredEndpoint {
  pod: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** podToEndpoint's conditions for a pod that is Ready or not and Terminating or not. */
export function endpointConditions(podReady: boolean, deleting: boolean, publishNotReadyAddresses: boolean): { ready: boolean; serving: boolean; terminating: boolean } {
  const serving = podReady;
  const terminating = deleting;
  return { ready: publishNotReadyAddresses || (serving && !terminating), serving, terminating };
}

export interface SliceDiff {
  version: EndpointVersion;
  /** Slice writes this change takes: creates, updates and deletes. */
  creates: number;
  updates: number;
  deletes: number;
}

/** Conditions packed in one byte: bit 0 ready, bit 1 serving, bit 2 terminating. */
export const READY = 1;
export const SERVING = 2;
export const TERMINATING = 4;

export function packConditions(ready: boolean, serving: boolean, terminating: boolean): number {
  return (ready ? READY : 0) | (serving ? SERVING : 0) | (terminating ? TERMINATING : 0);
}

/** The same from desired endpoints as objects (tests, readable callers). */
export function diffSlices(published: EndpointVersion, desired: readonly DesiredEndpoint[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SliceDiff {
  const pods = Int32Array.from(desired, (d) => d.pod);
  const flags = Uint8Array.from(desired, (d) => packConditions(d.ready, d.serving, d.terminating));
  return diffSlicesPacked(published, pods, flags, pods.length, maxPerSlice);
}

/** Per pod row: its index in the published version + 1 (0: not in it). Grown on demand, cleared after each use. */
let indexOfPod = new Int32Array(1024);

/**
 * The next version from the published one and the desired endpoints (`n` pods and their
 * packed conditions, in a deterministic order), and the slice writes between them. O(n)
 * with no per-endpoint object: the controller runs it on every sync of a Service.
 */
export function diffSlicesPacked(published: EndpointVersion, desiredPods: Int32Array, desiredFlags: Uint8Array, n: number, maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SliceDiff {
  let maxPod = 0;
  for (let i = 0; i < published.pods.length; i++) maxPod = Math.max(maxPod, published.pods[i]);
  for (let k = 0; k < n; k++) maxPod = Math.max(maxPod, desiredPods[k]);
  if (maxPod >= indexOfPod.length) indexOfPod = new Int32Array(Math.max(maxPod + 1, indexOfPod.length * 2));
  const index = indexOfPod;
  for (let i = 0; i < published.pods.length; i++) index[published.pods[i]] = i + 1;
  const oldCount = published.sliceCount;
  const size: number[] = new Array(oldCount).fill(0);
  const changed: boolean[] = new Array(oldCount).fill(false);
  const sliceOf = new Int32Array(n).fill(-1);
  // Endpoints that stay keep their slice; a condition change rewrites it. Their index is
  // negated once seen, so the published endpoints left positive afterwards are the ones that go.
  for (let k = 0; k < n; k++) {
    const at = index[desiredPods[k]];
    if (at <= 0) continue;
    const i = at - 1;
    index[desiredPods[k]] = -at;
    const s = published.slice[i];
    sliceOf[k] = s;
    size[s]++;
    const was = (published.ready[i] === 1 ? READY : 0) | (published.serving[i] === 1 ? SERVING : 0) | (published.terminating[i] === 1 ? TERMINATING : 0);
    if (was !== desiredFlags[k]) changed[s] = true;
  }
  for (let i = 0; i < published.pods.length; i++) {
    if (index[published.pods[i]] > 0) changed[published.slice[i]] = true;
    index[published.pods[i]] = 0;
  }
  // New endpoints fill the lowest slice with room, then new slices.
  let cursor = 0;
  for (let k = 0; k < n; k++) {
    if (sliceOf[k] >= 0) continue;
    while (cursor < size.length && size[cursor] >= maxPerSlice) cursor++;
    if (cursor === size.length) {
      size.push(0);
      changed.push(true);
    }
    sliceOf[k] = cursor;
    size[cursor]++;
    changed[cursor] = true;
  }
  // Empty slices go, but a Service keeps one (the placeholder); the rest keep their order.
  const newIndex = new Int32Array(size.length).fill(-1);
  let next = 0;
  let creates = 0;
  let updates = 0;
  let deletes = 0;
  for (let s = 0; s < size.length; s++) {
    const placeholder = size[s] === 0 && next === 0 && s === size.length - 1;
    if (size[s] > 0 || placeholder) {
      newIndex[s] = next++;
      if (s >= oldCount) creates++;
      else if (changed[s]) updates++;
    } else if (s < oldCount) deletes++;
  }
  if (size.length === 0) {
    // No slice yet and no endpoint: the placeholder is created.
    next = 1;
    creates = 1;
  }
  // Endpoints in slice order (a counting sort), the desired order within a slice.
  const start = new Int32Array(next + 1);
  for (let k = 0; k < n; k++) start[newIndex[sliceOf[k]] + 1]++;
  for (let s = 0; s < next; s++) start[s + 1] += start[s];
  const pods = new Int32Array(n);
  const slice = new Uint16Array(n);
  const ready = new Uint8Array(n);
  const serving = new Uint8Array(n);
  const terminating = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const s = newIndex[sliceOf[k]];
    const i = start[s]++;
    const f = desiredFlags[k];
    pods[i] = desiredPods[k];
    slice[i] = s;
    ready[i] = f & READY ? 1 : 0;
    serving[i] = f & SERVING ? 1 : 0;
    terminating[i] = f & TERMINATING ? 1 : 0;
  }
  return { version: endpointVersion(pods, slice, ready, serving, terminating, next), creates, updates, deletes };
}
