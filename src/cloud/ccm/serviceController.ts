/**
 * The cloud-controller-manager's service controller (k8s.io/cloud-provider
 * controllers/service/controller.go): a load balancer for each Service of type
 * LoadBalancer, and its backends kept to the cluster's nodes.
 *
 * - Sync of a Service (one at a time: --concurrent-service-syncs 1): event
 *   EnsuringLoadBalancer; the cleanup finalizer is added (one patch) before the load
 *   balancer is created; EnsureLoadBalancer with the current backend nodes (event
 *   UnAvailableLoadBalancer when there are none); event EnsuredLoadBalancer; the status
 *   (status.loadBalancer.ingress) is patched when it changed. A failed write is event
 *   SyncLoadBalancerFailed and the Service is retried after 5 s, doubling to 300 s.
 * - Which Services: each when it is created, and all of them again when this instance
 *   becomes leader (its informers list them; the sync of an existing load balancer only
 *   sets its backends and writes nothing).
 * - Backends (stableNodeSetPredicates, StableLoadBalancerNodeSet GA in 1.30): every Node
 *   object that is not being deleted, not labelled
 *   node.kubernetes.io/exclude-from-external-load-balancers (unless "false") and not
 *   tainted ToBeDeletedByClusterAutoscaler (a taint alone triggers no node sync). Readiness is
 *   not a predicate: the cloud's health checks decide which backends take traffic
 *   (loadBalancers.ts). A Node added or deleted triggers a node sync: every load balancer
 *   whose backend set differs from the one last synced gets UpdateLoadBalancer and event
 *   UpdatedLoadBalancer (UnAvailableLoadBalancer when the set is empty).
 *
 * Simplifications: a node sync runs at the Node change (informer delay left out); Services
 * are not deleted during a run.
 */
import type { Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import type { ServiceSpec } from "../../apiserver/endpointSlices.js";
import { Resource, Verb, isSuccess } from "../../apiserver/verbs.js";
import type { CloudClient } from "./client.js";
import type { CloudLoadBalancers } from "../loadBalancers.js";
import { LifecycleTaint } from "../../model/nodeTable.js";
import {
  ENSURED_LOAD_BALANCER_EVENT,
  ENSURING_LOAD_BALANCER_EVENT,
  SERVICE_MAX_RETRY_DELAY_US,
  SERVICE_MIN_RETRY_DELAY_US,
  SYNC_LOAD_BALANCER_FAILED_EVENT,
  UNAVAILABLE_LOAD_BALANCER_EVENT,
  UPDATED_LOAD_BALANCER_EVENT,
} from "./defaults.js";

export class ServiceController {
  /** Load balancer status writes (the ingress published). */
  statusWrites = 0;
  /** UpdateLoadBalancer calls of node syncs. */
  backendUpdates = 0;
  private readonly lbServices: number[];
  private readonly queue: number[] = [];
  private readonly queued: Uint8Array;
  private readonly finalizer: Uint8Array;
  private readonly statusWritten: Uint8Array;
  private readonly failures: Int32Array;
  /** Per Service: the backend set of the last EnsureLoadBalancer/UpdateLoadBalancer (undefined: none yet). */
  private readonly lastSynced: (Int32Array | undefined)[];
  /** Per node: whether its Node object existed at the last look (a change triggers a node sync). */
  private readonly knownNode: Uint8Array;
  private busy = false;
  private nodeSyncPending = false;
  private readonly hAdded: number;
  private readonly hRetry: number;
  private readonly hFinalizer: number;
  private readonly hEnsured: number;
  private readonly hStatus: number;
  private readonly hNodeSync: number;
  private readonly hUpdated: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: CloudClient,
    private readonly services: readonly ServiceSpec[],
    private readonly lbs: CloudLoadBalancers,
    /** Per node: labelled node.kubernetes.io/exclude-from-external-load-balancers. */
    private readonly excluded: Uint8Array,
  ) {
    const n = services.length;
    this.lbServices = services.flatMap((s, i) => (s.loadBalancer ? [i] : []));
    this.queued = new Uint8Array(n);
    this.finalizer = new Uint8Array(n);
    this.statusWritten = new Uint8Array(n);
    this.failures = new Int32Array(n);
    this.lastSynced = new Array(n).fill(undefined);
    this.knownNode = Uint8Array.from(cluster.nodes.exists);
    this.hAdded = sim.on("service-controller.added", (s) => this.enqueue(s));
    this.hRetry = sim.on("service-controller.retry", (s) => this.enqueue(s));
    this.hFinalizer = sim.on("service-controller.finalizerPatched", (s, status) => this.finalizerPatched(s, status));
    this.hEnsured = sim.on("service-controller.ensured", (s) => this.ensured(s));
    this.hStatus = sim.on("service-controller.statusPatched", (s, status) => this.statusPatched(s, status));
    this.hNodeSync = sim.on("service-controller.nodeSync", () => this.nodeSync());
    this.hUpdated = sim.on("service-controller.backendsUpdated", (s) => this.backendsUpdated(s));
    cluster.onNodeChanged.push((node) => this.nodeMaybeChanged(node));
    cluster.onNodeDeleted.push((node) => this.nodeMaybeChanged(node));
    client.onLeaderChange((leading) => {
      if (leading) for (const s of this.lbServices) if (this.services[s].startUs <= sim.now) this.enqueue(s);
    });
  }

  start(): void {
    for (const s of this.lbServices) this.sim.scheduleAt(this.services[s].startUs, this.hAdded, s);
  }

  private object(s: number): string {
    return `service/${this.services[s].namespace}/${this.services[s].name}`;
  }

  private enqueue(s: number): void {
    if (!this.client.leading || this.queued[s] === 1) return;
    this.queued[s] = 1;
    this.queue.push(s);
    this.next();
  }

  private next(): void {
    if (this.busy || this.queue.length === 0) return;
    const s = this.queue.shift()!;
    this.queued[s] = 0;
    this.busy = true;
    this.cluster.events.add(this.sim.now, ENSURING_LOAD_BALANCER_EVENT, this.object(s), "Ensuring load balancer");
    if (this.finalizer[s] === 0) this.client.send(Verb.Patch, Resource.Other, s, this.hFinalizer);
    else this.ensure(s);
  }

  private finalizerPatched(s: number, status: number): void {
    if (!isSuccess(status)) return this.failed(s, "failed to add load balancer cleanup finalizer");
    this.finalizer[s] = 1;
    this.ensure(s);
  }

  private ensure(s: number): void {
    const hosts = this.hosts();
    if (hosts.length === 0) this.cluster.events.add(this.sim.now, UNAVAILABLE_LOAD_BALANCER_EVENT, this.object(s), "There are no available nodes for LoadBalancer");
    this.lastSynced[s] = hosts;
    this.lbs.ensure(s, hosts, this.hEnsured);
  }

  private ensured(s: number): void {
    this.cluster.events.add(this.sim.now, ENSURED_LOAD_BALANCER_EVENT, this.object(s), "Ensured load balancer");
    // The status only changes once: from no ingress to the load balancer's address.
    if (this.statusWritten[s] === 0) this.client.send(Verb.Patch, Resource.Other, s, this.hStatus);
    else this.done(s);
  }

  private statusPatched(s: number, status: number): void {
    if (!isSuccess(status)) return this.failed(s, "failed to update load balancer status");
    this.statusWritten[s] = 1;
    this.statusWrites++;
    this.lbs.publish(s);
    this.done(s);
  }

  private done(s: number): void {
    this.failures[s] = 0;
    this.busy = false;
    this.next();
  }

  private failed(s: number, why: string): void {
    this.cluster.events.add(this.sim.now, SYNC_LOAD_BALANCER_FAILED_EVENT, this.object(s), `Error syncing load balancer: ${why}`);
    const delayUs = Math.min(SERVICE_MAX_RETRY_DELAY_US, SERVICE_MIN_RETRY_DELAY_US * 2 ** this.failures[s]);
    this.failures[s]++;
    this.sim.schedule(delayUs, this.hRetry, s);
    this.busy = false;
    this.next();
  }

  /** The backend nodes now (stableNodeSetPredicates), in row order. */
  private hosts(): Int32Array {
    const nodes = this.cluster.nodes;
    const out: number[] = [];
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] === 1 && this.excluded[n] === 0 && (nodes.lifecycleTaints[n] & LifecycleTaint.ToBeDeleted) === 0) out.push(n);
    }
    return Int32Array.from(out);
  }

  /** A Node was added or deleted (other changes do not move the backend set): one node sync for all. */
  private nodeMaybeChanged(node: number): void {
    const exists = this.cluster.nodes.exists[node];
    if (exists === this.knownNode[node]) return;
    this.knownNode[node] = exists;
    if (this.nodeSyncPending) return;
    this.nodeSyncPending = true;
    this.sim.schedule(0, this.hNodeSync);
  }

  private nodeSync(): void {
    this.nodeSyncPending = false;
    if (!this.client.leading) return;
    const hosts = this.hosts();
    for (const s of this.lbServices) {
      const last = this.lastSynced[s];
      if (last === undefined || sameNodes(last, hosts)) continue; // no load balancer yet, or nothing to change
      this.lastSynced[s] = hosts;
      this.backendUpdates++;
      this.lbs.update(s, hosts, this.hUpdated);
    }
  }

  private backendsUpdated(s: number): void {
    const empty = this.lbs.backendsOf(s).length === 0;
    this.cluster.events.add(
      this.sim.now,
      empty ? UNAVAILABLE_LOAD_BALANCER_EVENT : UPDATED_LOAD_BALANCER_EVENT,
      this.object(s),
      empty ? "There are no available nodes for LoadBalancer" : "Updated load balancer with new hosts",
    );
  }
}

function sameNodes(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** nodeIncludedPredicate: the label excludes the node unless its value parses as false (strconv.ParseBool). */
export function excludedFromLoadBalancers(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !["0", "f", "F", "false", "FALSE", "False"].includes(value);
}
