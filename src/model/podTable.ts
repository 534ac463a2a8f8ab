/**
 * The pod table: one row per pod ever created in a run (rows are not reused, so a
 * pod id is stable for the per-pod CSV). Times are virtual microseconds, -1 = not yet.
 */
import { grown, nextCapacity } from "../engine/columns.js";

export const enum PodPhase {
  Pending = 0,
  Scheduled = 1,
  Running = 2,
  Succeeded = 3,
  Failed = 4,
  Deleted = 5,
}

export class PodTable {
  count = 0;
  capacity = 0;
  names: string[] = [];
  namespaces: string[] = [];
  /** Index of the pod's template (its compiled scheduling requirements), shared by replicas. */
  template = new Int32Array(0);
  /** Owning workload id (Deployment, generator), -1 for none. */
  owner = new Int32Array(0);
  phase = new Uint8Array(0);
  node = new Int32Array(0);
  priority = new Int32Array(0);
  cpuReq = new Float64Array(0);
  memReq = new Float64Array(0);
  createdUs = new Float64Array(0);
  scheduledUs = new Float64Array(0);
  runningUs = new Float64Array(0);
  deletedUs = new Float64Array(0);
  /** The PodReady condition: 1 when True. */
  ready = new Uint8Array(0);
  /** The PodReady condition's lastTransitionTime to True (us), -1 while not ready. */
  readyUs = new Float64Array(0);
  /** metadata.deletionTimestamp (us): set when a graceful delete began (Terminating), -1 = none. */
  deletionUs = new Float64Array(0);
  /** Container restarts (the kubelet started the pod's containers again). */
  restarts = new Int32Array(0);
  /** Why the pod ended ("completed", "node-failure", "preempted", ...), interned by the caller. */
  outcome = new Int32Array(0);

  add(name: string, namespace: string, template: number, owner: number, createdUs: number): number {
    const i = this.count;
    if (i === this.capacity) this.grow(i + 1);
    this.count++;
    this.names.push(name);
    this.namespaces.push(namespace);
    this.template[i] = template;
    this.owner[i] = owner;
    this.phase[i] = PodPhase.Pending;
    this.node[i] = -1;
    this.createdUs[i] = createdUs;
    this.scheduledUs[i] = -1;
    this.runningUs[i] = -1;
    this.deletedUs[i] = -1;
    this.ready[i] = 0;
    this.readyUs[i] = -1;
    this.deletionUs[i] = -1;
    this.restarts[i] = 0;
    this.outcome[i] = -1;
    return i;
  }

  private grow(needed: number): void {
    const n = nextCapacity(this.capacity, needed);
    this.template = grown(this.template, n);
    this.owner = grown(this.owner, n);
    this.phase = grown(this.phase, n);
    this.node = grown(this.node, n);
    this.priority = grown(this.priority, n);
    this.cpuReq = grown(this.cpuReq, n);
    this.memReq = grown(this.memReq, n);
    this.createdUs = grown(this.createdUs, n);
    this.scheduledUs = grown(this.scheduledUs, n);
    this.runningUs = grown(this.runningUs, n);
    this.readyUs = grown(this.readyUs, n);
    this.deletedUs = grown(this.deletedUs, n);
    this.ready = grown(this.ready, n);
    this.deletionUs = grown(this.deletionUs, n);
    this.restarts = grown(this.restarts, n);
    this.outcome = grown(this.outcome, n);
    this.capacity = n;
  }
}
