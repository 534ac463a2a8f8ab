/**
 * kube-controller-manager's EndpointSlice controller (k/k pkg/controller/endpointslice):
 * for each Service with a selector, the pods of its namespace that match it become the
 * endpoints of its EndpointSlices (rules and packing: endpoints.ts).
 *
 * Syncs: a pod change (Running with an IP, Ready or not, Terminating, ended, restarted)
 * queues the Services that select the pod's template; a Service is queued when it is
 * created. endpointSliceUpdatesBatchPeriod is 0 (its default), so a queued Service syncs
 * at the same instant (kubesim gives the sync no processing time; upstream runs 5 workers,
 * --concurrent-service-endpoint-syncs).
 *
 * Each slice create/update/delete is a request through the controller's own client
 * (rate-limited, to the lease holder's API server, or the fixed-latency API without a
 * control plane). A sync's writes are published together when all of them succeeded
 * (a kubesim simplification: upstream's watchers see each slice as it is written); if one
 * fails, the Service is requeued with the workqueue back-off (5 ms doubling) and the next
 * sync starts again from the published slices. While a sync's writes are in flight, a
 * new change waits for them (upstream's endpointSliceTracker expectations) and syncs
 * right after.
 *
 * The controller acts only while some instance holds the kube-controller-manager lease;
 * a new leader resyncs every Service (its informers list everything).
 */
import type { Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import type { EndpointSliceStore, ServiceSpec } from "../../apiserver/endpointSlices.js";
import { Resource, Verb, isSuccess } from "../../apiserver/verbs.js";
import { controllerBackoffUs } from "../../client/workqueue.js";
import { PodPhase } from "../../model/podTable.js";
import type { PodTemplate } from "../../model/podTemplate.js";
import type { ControllerClient } from "../controllerClient.js";
import { diffSlicesPacked, endpointConditions, MAX_ENDPOINTS_PER_SLICE, packConditions, READY, SERVING, TERMINATING, type DesiredEndpoint, type SliceDiff } from "./endpoints.js";

/** Does a Service's selector (a label map) select a pod template's labels? An empty selector selects every pod. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

export class EndpointSliceController {
  /** Slice write requests sent (after the client's rate limiter), and those that failed. */
  writesSent = 0;
  writesFailed = 0;
  /** Per template: the Services that select its pods. */
  private readonly servicesOf: number[][];
  /** Per Service: its candidate pods (an IP, not terminal), ascending. */
  private readonly members: Set<number>[];
  private readonly started: Uint8Array;
  private readonly queued: Uint8Array;
  private readonly inFlight: Int32Array;
  private readonly failed: Uint8Array;
  private readonly pendingSync: Uint8Array;
  private readonly requeues: Int32Array;
  private readonly pendingDiff: (SliceDiff | undefined)[];
  /** Scratch columns of one sync's desired endpoints. */
  private desiredPods = new Int32Array(64);
  private desiredFlags = new Uint8Array(64);
  private readonly syncId: number;
  private readonly startId: number;
  private readonly doneId: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: ControllerClient,
    private readonly store: EndpointSliceStore,
    templates: readonly PodTemplate[],
    private readonly maxEndpointsPerSlice = MAX_ENDPOINTS_PER_SLICE,
  ) {
    const services = store.services;
    this.servicesOf = templates.map((t) => {
      const ns = t.pod.metadata?.namespace ?? "default";
      const labels = t.pod.metadata?.labels ?? undefined;
      const out: number[] = [];
      services.forEach((s, i) => {
        if (s.selector !== undefined && s.namespace === ns && selects(s.selector, labels)) out.push(i);
      });
      return out;
    });
    const n = services.length;
    this.members = services.map(() => new Set<number>());
    this.started = new Uint8Array(n);
    this.queued = new Uint8Array(n);
    this.inFlight = new Int32Array(n);
    this.failed = new Uint8Array(n);
    this.pendingSync = new Uint8Array(n);
    this.requeues = new Int32Array(n);
    this.pendingDiff = services.map(() => undefined);
    this.syncId = sim.on("endpointslice.sync", (s) => this.sync(s));
    this.startId = sim.on("endpointslice.serviceCreated", (s) => this.serviceCreated(s));
    this.doneId = sim.on("endpointslice.writeDone", (s, status) => this.writeDone(s, status));
  }

  get services(): readonly ServiceSpec[] {
    return this.store.services;
  }

  start(): void {
    const c = this.cluster;
    c.onPodRunning.push((p) => this.podRunning(p));
    c.onPodAvailability.push((p) => this.podChanged(p));
    c.onPodDeleting.push((p) => this.podChanged(p));
    c.onPodRestarting.push((p) => this.podChanged(p));
    c.onPodEnded.push((p) => this.podEnded(p));
    this.client.onLeaderChange((leading) => {
      if (leading) this.services.forEach((_, s) => this.enqueue(s));
    });
    this.services.forEach((s, i) => this.sim.scheduleAt(s.startUs, this.startId, i));
  }

  private serviceCreated(s: number): void {
    // syncService: "services without a selector receive no endpoint slices from this controller".
    if (this.services[s].selector === undefined) return;
    this.started[s] = 1;
    this.enqueue(s);
  }

  private podRunning(pod: number): void {
    for (const s of this.servicesOf[this.cluster.pods.template[pod]]) {
      this.members[s].add(pod);
      this.enqueue(s);
    }
  }

  private podChanged(pod: number): void {
    for (const s of this.servicesOf[this.cluster.pods.template[pod]]) if (this.members[s].has(pod)) this.enqueue(s);
  }

  private podEnded(pod: number): void {
    for (const s of this.servicesOf[this.cluster.pods.template[pod]]) if (this.members[s].delete(pod)) this.enqueue(s);
  }

  private enqueue(s: number): void {
    if (this.started[s] === 0 || this.queued[s] === 1) return;
    this.queued[s] = 1;
    this.sim.schedule(0, this.syncId, s);
  }

  /** The desired endpoints of Service s now, in ascending pod order (tests, diagnostics). */
  desired(s: number): DesiredEndpoint[] {
    const n = this.fillDesired(s);
    return Array.from(this.desiredPods.subarray(0, n), (pod, k) => {
      const f = this.desiredFlags[k];
      return { pod, ready: (f & READY) !== 0, serving: (f & SERVING) !== 0, terminating: (f & TERMINATING) !== 0 };
    }).sort((a, b) => a.pod - b.pod);
  }

  /**
   * Service s's desired endpoints into the scratch columns, in the order its pods got an
   * IP (the member set's insertion order: deterministic); returns how many.
   */
  private fillDesired(s: number): number {
    const pods = this.cluster.pods;
    const publish = this.services[s].publishNotReadyAddresses;
    const members = this.members[s];
    if (this.desiredPods.length < members.size) {
      this.desiredPods = new Int32Array(members.size * 2);
      this.desiredFlags = new Uint8Array(members.size * 2);
    }
    let n = 0;
    for (const pod of members) {
      // ShouldPodBeInEndpoints: not terminal, has an IP (members joined when Running).
      if (pods.phase[pod] >= PodPhase.Succeeded) continue;
      const c = endpointConditions(pods.ready[pod] === 1 && pods.phase[pod] === PodPhase.Running, pods.deletionUs[pod] >= 0, publish);
      this.desiredPods[n] = pod;
      this.desiredFlags[n++] = packConditions(c.ready, c.serving, c.terminating);
    }
    return n;
  }

  private sync(s: number): void {
    this.queued[s] = 0;
    if (!this.client.leading) return; // the new leader resyncs everything
    if (this.inFlight[s] > 0) {
      this.pendingSync[s] = 1;
      return;
    }
    const n = this.fillDesired(s);
    const diff = diffSlicesPacked(this.store.version(s), this.desiredPods, this.desiredFlags, n, this.maxEndpointsPerSlice);
    const writes = diff.creates + diff.updates + diff.deletes;
    if (writes === 0) return;
    this.pendingDiff[s] = diff;
    this.failed[s] = 0;
    this.inFlight[s] = writes;
    const send = (verb: Verb, count: number) => {
      for (let k = 0; k < count; k++) {
        this.writesSent++;
        this.client.send(verb, Resource.Other, s, this.doneId);
      }
    };
    send(Verb.Create, diff.creates);
    send(Verb.Update, diff.updates);
    send(Verb.Delete, diff.deletes);
  }

  private writeDone(s: number, status: number): void {
    if (!isSuccess(status)) {
      this.failed[s] = 1;
      this.writesFailed++;
    }
    if (--this.inFlight[s] > 0) return;
    const diff = this.pendingDiff[s]!;
    this.pendingDiff[s] = undefined;
    if (this.failed[s] === 1) {
      // Requeued with the workqueue's per-item back-off; the next sync starts from the published slices.
      const delayUs = controllerBackoffUs(this.requeues[s]++);
      this.pendingSync[s] = 0;
      this.queued[s] = 1;
      this.sim.schedule(delayUs, this.syncId, s);
      return;
    }
    this.requeues[s] = 0;
    this.store.publish(s, diff.version, diff.creates + diff.updates + diff.deletes);
    if (this.pendingSync[s] === 1) {
      this.pendingSync[s] = 0;
      this.enqueue(s);
    }
  }
}
