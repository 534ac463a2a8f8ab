/**
 * The kubelet's node Lease controller (k8s.io/component-helpers apimachinery/lease/
 * controller.go), one per kubelet: a sync every renewInterval (10 s = the Lease's 40 s
 * duration x 0.25) jittered by 4 % (wait.JitterUntil(sync, renewInterval, 0.04,
 * sliding)); a sync Updates the Lease it last wrote, retrying at once up to
 * maxUpdateRetries (5) times; when all fail it falls back to GETting the Lease with
 * exponential back-off (200 ms doubling to 7 s, until it succeeds), then tries the 5
 * Updates again. So an API outage turns the steady 0.1 writes/s per node into a retry
 * storm, as in a real cluster.
 *
 * A kubelet that stops (its node crashed, the kubelet process stopped) stops renewing;
 * one cut off from the control plane keeps trying and fails (kubeletApi.ts). A stored
 * renewal is what the node lifecycle controller reads (ClusterState.renewLease). With
 * a control plane the jitter is drawn from the stream "apiserver.backgroundLoad",
 * shared with the API server's synthetic load; kubelets past the run's nodes
 * (controlPlane.load.nodeLeases) are synthetic and never stop.
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { KubeletApi } from "./kubeletApi.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";

/** Object keys: node Leases from here up (component Leases use small keys). */
export const NODE_LEASE_KEY_BASE = 1000;
/** KubeletConfiguration nodeLeaseDurationSeconds 40 x nodeLeaseRenewIntervalFraction 0.25 (pkg/kubelet). */
export const NODE_LEASE_RENEW_INTERVAL_US = 10 * US_PER_S;
/** Lease controller sync jitter: wait.JitterUntilWithContext(ctx, c.sync, c.renewInterval, 0.04, true). */
export const NODE_LEASE_RENEW_JITTER = 0.04;
/** Lease controller maxUpdateRetries = 5. */
export const NODE_LEASE_MAX_UPDATE_RETRIES = 5;
/** backoffEnsureLease: first sleep 200 ms, doubled up to maxBackoff = 7 s. */
export const NODE_LEASE_BACKOFF_START_US = 200_000;
export const NODE_LEASE_MAX_BACKOFF_US = 7 * US_PER_S;

// lease controller phases
const UPDATING = 0;
const ENSURING = 1;
/** Request tokens: kubelet x EPOCHS + its epoch, so answers to a stopped loop are dropped. */
const EPOCHS = 256;

export class NodeLeases {
  /** Request options, reused: KubeApi.send copies them at once (no object per request). */
  private readonly leaseWrite = { key: 0, valueA: 1, valueB: 0 };
  private readonly leaseRead = { key: 0 };
  private readonly hLease: number;
  private readonly hLeaseAnswer: number;
  private readonly hEnsure: number;
  /** Per kubelet: UPDATING or ENSURING, update attempts in this round, current back-off. */
  private leasePhase: Uint8Array = new Uint8Array(0);
  private leaseAttempt: Uint8Array = new Uint8Array(0);
  private leaseBackoffUs: Float64Array = new Float64Array(0);
  /** Per kubelet: its loop's epoch (bumped when it stops) and whether it runs. */
  private epoch: Uint8Array = new Uint8Array(0);
  private running: Uint8Array = new Uint8Array(0);
  /** Node-Lease requests sent (renewals, retries and GETs). */
  requests = 0;
  /** A renewal of kubelet i was stored (set by the run: kubelets below the node count are the nodes'). */
  renewed: (i: number) => unknown = () => {};

  constructor(
    private readonly sim: Simulation,
    private readonly api: KubeletApi,
    private readonly rng: RandomStream,
    /** Kubelets renewing a Lease. */
    readonly count: number,
    readonly renewIntervalUs: number,
  ) {
    this.hLease = sim.on("kubelet.nodeLease.sync", (i, e) => this.current(i, e) && this.leaseSync(i));
    this.hLeaseAnswer = sim.on("kubelet.nodeLease.answer", (t, status) => {
      const i = Math.floor(t / EPOCHS);
      if (this.current(i, t % EPOCHS)) this.leaseAnswer(i, status);
    });
    this.hEnsure = sim.on("kubelet.nodeLease.ensure", (i, e) => this.current(i, e) && this.leaseGet(i));
  }

  /** Each kubelet's first sync at a uniform offset within the renew interval. */
  start(): void {
    this.leasePhase = new Uint8Array(this.count);
    this.leaseAttempt = new Uint8Array(this.count);
    this.leaseBackoffUs = new Float64Array(this.count);
    this.epoch = new Uint8Array(this.count);
    this.running = new Uint8Array(this.count).fill(1);
    for (let i = 0; i < this.count; i++) this.sim.schedule(this.rng.next() * this.renewIntervalUs, this.hLease, i, 0);
  }

  /** Kubelet i stopped: no more renewals, answers in flight are dropped. */
  stop(i: number): void {
    if (this.running[i] === 0) return;
    this.running[i] = 0;
    this.epoch[i] = (this.epoch[i] + 1) % EPOCHS;
  }

  /** Kubelet i started again: its lease controller syncs at once. */
  resume(i: number): void {
    if (this.running[i] === 1) return;
    this.running[i] = 1;
    this.leaseBackoffUs[i] = 0;
    this.sim.schedule(0, this.hLease, i, this.epoch[i]);
  }

  private current(i: number, epoch: number): boolean {
    return this.running[i] === 1 && this.epoch[i] === epoch;
  }

  /** A lease controller sync: Update the Lease last written (the kubelet keeps it). */
  private leaseSync(i: number): void {
    this.leasePhase[i] = UPDATING;
    this.leaseAttempt[i] = 0;
    this.leaseUpdate(i);
  }

  private leaseUpdate(i: number): void {
    this.requests++;
    this.leaseWrite.key = NODE_LEASE_KEY_BASE + i;
    this.leaseWrite.valueB = this.sim.now;
    this.api.send(i, Verb.Update, Resource.Lease, i * EPOCHS + this.epoch[i], this.hLeaseAnswer, this.leaseWrite);
  }

  private leaseGet(i: number): void {
    this.requests++;
    this.leaseRead.key = NODE_LEASE_KEY_BASE + i;
    this.api.send(i, Verb.Get, Resource.Lease, i * EPOCHS + this.epoch[i], this.hLeaseAnswer, this.leaseRead);
  }

  private leaseAnswer(i: number, status: number): void {
    if (this.leasePhase[i] === ENSURING) {
      if (isSuccess(status)) {
        // got the Lease: the 5 updates again
        this.leasePhase[i] = UPDATING;
        this.leaseAttempt[i] = 0;
        this.leaseUpdate(i);
      } else {
        const b = this.leaseBackoffUs[i];
        this.sim.schedule(b, this.hEnsure, i, this.epoch[i]);
        this.leaseBackoffUs[i] = Math.min(2 * b, NODE_LEASE_MAX_BACKOFF_US);
      }
      return;
    }
    if (isSuccess(status)) {
      this.renewed(i);
      return this.nextSync(i);
    }
    if (++this.leaseAttempt[i] < NODE_LEASE_MAX_UPDATE_RETRIES) return this.leaseUpdate(i);
    if (this.leaseBackoffUs[i] > 0) {
      // the updates after a successful GET failed as well: wait for the next sync
      this.leaseBackoffUs[i] = 0;
      return this.nextSync(i);
    }
    // fall back to backoffEnsureLease: GET until it works
    this.leasePhase[i] = ENSURING;
    this.leaseBackoffUs[i] = NODE_LEASE_BACKOFF_START_US;
    this.leaseGet(i);
  }

  private nextSync(i: number): void {
    this.leaseBackoffUs[i] = 0;
    const d = this.renewIntervalUs;
    this.sim.schedule(d + this.rng.next() * NODE_LEASE_RENEW_JITTER * d, this.hLease, i, this.epoch[i]);
  }
}
