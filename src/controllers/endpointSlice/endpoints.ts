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

/**
 * The next version from the published one and the desired endpoints (in ascending pod
 * order), and the slice writes between them. `maxPerSlice` is MAX_ENDPOINTS_PER_SLICE
 * unless a test says otherwise.
 */
export function diffSlices(published: EndpointVersion, desired: readonly DesiredEndpoint[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SliceDiff {
  const before = new Map<number, number>();
  for (let i = 0; i < published.pods.length; i++) before.set(published.pods[i], i);
  const oldCount = published.sliceCount;
  const size: number[] = new Array(oldCount).fill(0);
  const changed: boolean[] = new Array(oldCount).fill(false);
  const sliceOf = new Int32Array(desired.length).fill(-1);
  const keep = new Set<number>();
  // Endpoints that stay keep their slice; a condition change rewrites it.
  desired.forEach((d, k) => {
    const i = before.get(d.pod);
    if (i === undefined) return;
    keep.add(d.pod);
    const s = published.slice[i];
    sliceOf[k] = s;
    size[s]++;
    if ((published.ready[i] === 1) !== d.ready || (published.serving[i] === 1) !== d.serving || (published.terminating[i] === 1) !== d.terminating) changed[s] = true;
  });
  for (let i = 0; i < published.pods.length; i++) if (!keep.has(published.pods[i])) changed[published.slice[i]] = true;
  // New endpoints fill the lowest slice with room, then new slices.
  let cursor = 0;
  desired.forEach((_, k) => {
    if (sliceOf[k] >= 0) return;
    while (cursor < size.length && size[cursor] >= maxPerSlice) cursor++;
    if (cursor === size.length) {
      size.push(0);
      changed.push(true);
    }
    sliceOf[k] = cursor;
    size[cursor]++;
    changed[cursor] = true;
  });
  // Empty slices go, but a Service keeps one (the placeholder); renumber the rest in order.
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
  // Endpoints in slice order, pod order within a slice.
  const order = desired.map((_, k) => k).sort((a, b) => newIndex[sliceOf[a]] - newIndex[sliceOf[b]] || desired[a].pod - desired[b].pod);
  const n = desired.length;
  const pods = new Int32Array(n);
  const slice = new Uint16Array(n);
  const ready = new Uint8Array(n);
  const serving = new Uint8Array(n);
  const terminating = new Uint8Array(n);
  order.forEach((k, i) => {
    const d = desired[k];
    pods[i] = d.pod;
    slice[i] = newIndex[sliceOf[k]];
    ready[i] = d.ready ? 1 : 0;
    serving[i] = d.serving ? 1 : 0;
    terminating[i] = d.terminating ? 1 : 0;
  });
  return { version: endpointVersion(pods, slice, ready, serving, terminating, next), creates, updates, deletes };
}
