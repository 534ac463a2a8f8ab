/**
 * Services and their EndpointSlices as the API server holds them (discovery.k8s.io/v1).
 * The EndpointSlice controller (controllers/endpointSlice/) writes them; every node's
 * kube-proxy (proxy/) watches them. The two never import each other: this store is the
 * seam, as the API server is upstream.
 *
 * A Service's slices are kept as one immutable EndpointVersion: the endpoints of all its
 * slices in slice order, their conditions, and what kube-proxy programs from them. A new
 * write replaces the version; readers keep a reference to the version they last saw, so
 * 5,000 nodes' rules for one Service share one array (memory: a pointer per node and
 * Service, not a copy of the endpoints).
 */

/** A v1 Service of type ClusterIP or LoadBalancer, as kubesim models it. */
export interface ServiceSpec {
  name: string;
  namespace: string;
  /** spec.type LoadBalancer: the cloud-controller-manager's service controller provisions a load balancer for it. */
  loadBalancer?: boolean;
  /** spec.selector; undefined: a Service without selector (its slices are managed by someone else: none here). */
  selector: Record<string, string> | undefined;
  /** spec.publishNotReadyAddresses: every endpoint is ready. */
  publishNotReadyAddresses: boolean;
  /** Created by an apply action at this time (us); 0: at the start. */
  startUs: number;
}

/** One published state of a Service's EndpointSlices. */
export interface EndpointVersion {
  /** The endpoints' pods (rows), in slice order. */
  readonly pods: Int32Array;
  /** Per endpoint: the slice it is in (0-based), and its conditions as 0/1. */
  readonly slice: Uint16Array;
  readonly ready: Uint8Array;
  readonly serving: Uint8Array;
  readonly terminating: Uint8Array;
  /** How many slices the Service has (a Service with a selector and no endpoint has one empty placeholder slice). */
  readonly sliceCount: number;
  readonly readyCount: number;
  /**
   * The pods kube-proxy sends traffic to: the ready endpoints, or when there is none the
   * serving terminating ones (pkg/proxy CategorizeEndpoints, ProxyTerminatingEndpoints GA 1.28).
   */
  readonly usable: Int32Array;
}

/** The version of a Service before its first slice write: no slice, no endpoint. */
export const NO_ENDPOINTS: EndpointVersion = {
  pods: new Int32Array(0),
  slice: new Uint16Array(0),
  ready: new Uint8Array(0),
  serving: new Uint8Array(0),
  terminating: new Uint8Array(0),
  sliceCount: 0,
  readyCount: 0,
  usable: new Int32Array(0),
};

/** Build a version (and its `usable` list) from its endpoints. */
export function endpointVersion(pods: Int32Array, slice: Uint16Array, ready: Uint8Array, serving: Uint8Array, terminating: Uint8Array, sliceCount: number): EndpointVersion {
  let readyCount = 0;
  let fallback = 0;
  for (let i = 0; i < pods.length; i++) {
    if (ready[i] === 1) readyCount++;
    else if (serving[i] === 1 && terminating[i] === 1) fallback++;
  }
  const usable = new Int32Array(readyCount > 0 ? readyCount : fallback);
  let k = 0;
  for (let i = 0; i < pods.length; i++) {
    if (readyCount > 0 ? ready[i] === 1 : serving[i] === 1 && terminating[i] === 1) usable[k++] = pods[i];
  }
  return { pods, slice, ready, serving, terminating, sliceCount, readyCount, usable };
}

export class EndpointSliceStore {
  private readonly current: EndpointVersion[];
  /** Called when a Service's slices changed (the watch event), after the new version is stored. */
  readonly onChanged: ((service: number) => void)[] = [];
  /** Slice writes stored (creates, updates, deletes), per Service. */
  readonly writes: Float64Array;

  constructor(readonly services: readonly ServiceSpec[]) {
    this.current = services.map(() => NO_ENDPOINTS);
    this.writes = new Float64Array(services.length);
  }

  version(service: number): EndpointVersion {
    return this.current[service];
  }

  /** Store a Service's new slices (the controller's writes all succeeded); `writes` of them were sent. */
  publish(service: number, version: EndpointVersion, writes: number): void {
    this.current[service] = version;
    this.writes[service] += writes;
    for (const l of this.onChanged) l(service);
  }
}
