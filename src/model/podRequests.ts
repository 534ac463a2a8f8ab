/**
 * A pod's effective resource requests, as k8s.io/component-helpers resource.PodRequests
 * computes them for the scheduler, the kubelet's admission and the cluster's accounting:
 *
 *   containers = Σ regular containers + Σ sidecars (init containers with restartPolicy Always)
 *   initMax    = max over init containers i of (request_i + sidecars started before i)
 *   pod        = max(containers, initMax), then pod-level requests (spec.resources, the
 *                PodLevelResources feature, on by default since 1.34) replace cpu, memory
 *                and hugepages-*, then + overhead
 *
 * It reads `requests` only: a limit without a request has become the request during the
 * API server's defaulting (apiserver/admission/defaults.ts), as upstream. Every component
 * reads the numbers of this one function, computed from the one admitted pod, so the
 * scheduler and the accounting of a node can never disagree.
 *
 * `nonzero` is the scheduler's scoring view (NonMissingContainerRequests): a container
 * that lists no cpu (memory) request counts DEFAULT_MILLI_CPU_REQUEST
 * (DEFAULT_MEMORY_REQUEST_BYTES); an explicit 0 stays 0.
 */
import type { Container, PodSpec } from "./types.js";
import { bytes, cpuMilli, parseQuantity, quantityValue } from "./quantity.js";

/** pkg/scheduler/util DefaultMilliCPURequest: 0.1 core, for scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** pkg/scheduler/util DefaultMemoryRequest: 200 MiB (not MB), for scoring only. */
export const DEFAULT_MEMORY_REQUEST_BYTES = 200 * 1024 * 1024;

/** Resources with a column of their own; every other name is a scalar (extended, hugepages). */
const FIXED = new Set(["cpu", "memory", "ephemeral-storage", "pods"]);

export interface PodResources {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes: number;
  /** Scalar resources (extended such as nvidia.com/gpu, hugepages-*) by name, in integer units. */
  scalars: Map<string, number>;
}

type ResourceList = Record<string, string | number>;

const zero = (): PodResources => ({ cpuMilli: 0, memoryBytes: 0, ephemeralBytes: 0, scalars: new Map() });

function scalarAmount(q: string | number): number {
  return quantityValue(parseQuantity(q));
}

function containerRequests(requests: ResourceList | undefined, nonzero: boolean): PodResources {
  const r = requests ?? {};
  const out = zero();
  out.cpuMilli = r.cpu !== undefined ? cpuMilli(r.cpu) : nonzero ? DEFAULT_MILLI_CPU_REQUEST : 0;
  out.memoryBytes = r.memory !== undefined ? bytes(r.memory) : nonzero ? DEFAULT_MEMORY_REQUEST_BYTES : 0;
  out.ephemeralBytes = r["ephemeral-storage"] !== undefined ? bytes(r["ephemeral-storage"]) : 0;
  for (const [name, q] of Object.entries(r)) if (!FIXED.has(name)) out.scalars.set(name, scalarAmount(q));
  return out;
}

function add(a: PodResources, b: PodResources): PodResources {
  const scalars = new Map(a.scalars);
  for (const [k, v] of b.scalars) scalars.set(k, (scalars.get(k) ?? 0) + v);
  return { cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes, ephemeralBytes: a.ephemeralBytes + b.ephemeralBytes, scalars };
}

function max(a: PodResources, b: PodResources): PodResources {
  const scalars = new Map(a.scalars);
  for (const [k, v] of b.scalars) scalars.set(k, Math.max(scalars.get(k) ?? 0, v));
  return {
    cpuMilli: Math.max(a.cpuMilli, b.cpuMilli),
    memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
    ephemeralBytes: Math.max(a.ephemeralBytes, b.ephemeralBytes),
    scalars,
  };
}

const requestsOf = (c: Container): ResourceList | undefined => c.resources?.requests as ResourceList | undefined;

/**
 * AggregateContainerRequests: the max(containers, initMax) part, before pod-level
 * requests and overhead (also what the API server's pod-level defaulting reads).
 */
export function aggregateContainerRequests(spec: PodSpec, nonzero = false): PodResources {
  let sum = zero();
  for (const c of spec.containers ?? []) sum = add(sum, containerRequests(requestsOf(c), nonzero));
  let sidecars = zero();
  let initMax = zero();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(requestsOf(c), nonzero);
    if (c.restartPolicy === "Always") {
      sum = add(sum, r);
      sidecars = add(sidecars, r);
      initMax = max(initMax, sidecars);
    } else {
      initMax = max(initMax, add(r, sidecars));
    }
  }
  return max(sum, initMax);
}

/** The pod's effective requests (see the file comment). */
export function podRequests(spec: PodSpec, nonzero = false): PodResources {
  const total = aggregateContainerRequests(spec, nonzero);
  const podLevel = spec.resources?.requests as ResourceList | undefined;
  if (podLevel) {
    // IsSupportedPodLevelResource: cpu, memory and hugepages-*.
    if (podLevel.cpu !== undefined) total.cpuMilli = cpuMilli(podLevel.cpu);
    if (podLevel.memory !== undefined) total.memoryBytes = bytes(podLevel.memory);
    for (const [k, q] of Object.entries(podLevel)) if (k.startsWith("hugepages-")) total.scalars.set(k, scalarAmount(q));
  }
  const overhead = spec.overhead as ResourceList | undefined;
  if (overhead && Object.keys(overhead).length > 0) return add(total, containerRequests(overhead, false));
  return total;
}
