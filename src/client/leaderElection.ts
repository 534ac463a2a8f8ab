/**
 * Lease-based leader election of kube-controller-manager and kube-scheduler, as
 * client-go's leaderelection package runs it (k8s.io/client-go/tools/leaderelection).
 *
 * One candidate per control-plane host. The Lease is an object in the API (through the
 * load balancer, API server and etcd), so every attempt costs real requests and fails
 * when the API or etcd does:
 * - tryAcquireOrRenew: a leader whose lease is still valid by its own clock first tries
 *   a plain Update of the record it last saw (the "fast path"); otherwise, or when that
 *   fails, it GETs the Lease (a quorum read), notes the time whenever the record changed
 *   (observedTime), gives up if another holder's lease is still valid
 *   (observedTime + leaseDuration > now), and else Updates the Lease with the revision it
 *   read (optimistic concurrency: a racing candidate gets 409).
 * - acquire: attempt, and after each failure wait RetryPeriod jittered by factor 1.2
 *   (wait.JitterUntil, sliding: the wait starts when the attempt ends), i.e. 2-4.4 s.
 * - renew: each renew cycle gets RenewDeadline (10 s); inside it, attempt immediately and
 *   then every RetryPeriod until one succeeds; the next cycle starts RetryPeriod after a
 *   success. If the deadline passes first, leadership is lost: the component stops
 *   acting (kube-scheduler and kube-controller-manager exit in OnStoppedLeading and are
 *   restarted by the kubelet).
 * So an active leader's crash moves the lease after about LeaseDuration plus up to one
 * jittered retry, and an etcd without quorum makes the holder give up after the renew
 * deadline, well before anyone else could take over (RenewDeadline < LeaseDuration).
 */
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { RequestOptions } from "../apiserver/kubeApi.js";
import type { StoredObject } from "../apiserver/objectStore.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";

/** component-base RecommendedDefaultLeaderElectionConfiguration: LeaseDuration 15 s. */
export const LEASE_DURATION_US = 15 * US_PER_S;
/** Same source: RenewDeadline 10 s. */
export const RENEW_DEADLINE_US = 10 * US_PER_S;
/** Same source: RetryPeriod 2 s. */
export const RETRY_PERIOD_US = 2 * US_PER_S;
/** client-go leaderelection JitterFactor = 1.2 (wait.Jitter: d + rand * 1.2 * d). */
export const JITTER_FACTOR = 1.2;
/**
 * A component that lost its lease exits and the kubelet restarts its static pod after
 * the container restart back-off (10 s first step; kubernetes.io pod-lifecycle docs:
 * "exponential back-off delay (10s, 20s, 40s, ...)"). Simplification: always the first step.
 */
export const COMPONENT_RESTART_DELAY_US = 10 * US_PER_S;

export interface LeaderElectionConfig {
  leaseDurationUs: number;
  renewDeadlineUs: number;
  retryPeriodUs: number;
  jitterFactor: number;
  restartDelayUs: number;
}

export const DEFAULT_LEADER_ELECTION: LeaderElectionConfig = {
  leaseDurationUs: LEASE_DURATION_US,
  renewDeadlineUs: RENEW_DEADLINE_US,
  retryPeriodUs: RETRY_PERIOD_US,
  jitterFactor: JITTER_FACTOR,
  restartDelayUs: COMPONENT_RESTART_DELAY_US,
};

/** client-go's validation: LeaseDuration > RenewDeadline > JitterFactor x RetryPeriod. */
export function validateLeaderElection(c: LeaderElectionConfig): string | null {
  if (!(c.leaseDurationUs > c.renewDeadlineUs)) return "leaseDuration must be greater than renewDeadline";
  if (!(c.renewDeadlineUs > c.jitterFactor * c.retryPeriodUs)) return "renewDeadline must be greater than jitterFactor x retryPeriod";
  return null;
}

/** What leader election needs from the API (KubeApi implements it). */
export interface LeaseApi {
  send(verb: Verb, resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void;
  object(key: number): StoredObject | undefined;
}

const IDLE = 0; // process not running
const ACQUIRING = 1;
const RENEWING = 2;
const NO_REQUEST = 0;
const GET = 1;
const UPDATE_FAST = 2;
const UPDATE = 3;
const CREATE = 4;
const SEQ_SHIFT = 64; // token = seq * 64 + candidate
const MAX_CANDIDATES = 64;

export type LeadershipListener = (candidate: number, leading: boolean, nowUs: number) => void;

export class LeaderElection {
  readonly candidates: number;
  private readonly phase: Uint8Array;
  private readonly leading: Uint8Array;
  private readonly pending: Uint8Array;
  private readonly seq: Float64Array;
  /** Holder seen in the last observed record (candidate + 1; 0 = nobody). */
  private readonly observedHolder: Int32Array;
  private readonly observedRev: Float64Array;
  private readonly observedTimeUs: Float64Array;
  private readonly cycleStartUs: Float64Array;
  private readonly cycleSucceeded: Uint8Array;
  private readonly attemptTimer: Float64Array;
  private readonly deadlineTimer: Float64Array;
  private readonly rng: RandomStream;
  private readonly opts: Required<Pick<RequestOptions, "key" | "expectedRevision" | "valueA" | "valueB" | "server">> = {
    key: 0,
    expectedRevision: -1,
    valueA: 0,
    valueB: 0,
    server: 0,
  };
  private readonly hAttempt: number;
  private readonly hResponse: number;
  private readonly hDeadline: number;
  private readonly hStart: number;
  private readonly hCycle: number;
  readonly listeners: LeadershipListener[] = [];
  /** Whether candidate c's host is up (set by the wiring; a process never starts on a dead host). */
  hostUp: (c: number) => boolean = () => true;
  /** API server candidate c sends its requests to (default: the one on its own host, index c). */
  serverOf: (c: number) => number = (c) => c;
  /** Leadership intervals per candidate, for tests: [startUs, endUs (or -1)]. */
  readonly history: { candidate: number; startUs: number; endUs: number }[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly api: LeaseApi,
    /** "kube-scheduler" / "kube-controller-manager": the Lease name in kube-system. */
    readonly component: string,
    /** Object key of the Lease in the API store. */
    readonly leaseKey: number,
    candidateCount: number,
    readonly config: LeaderElectionConfig = DEFAULT_LEADER_ELECTION,
  ) {
    const err = validateLeaderElection(config);
    if (err) throw new RangeError(`leader election of ${component}: ${err}`);
    if (candidateCount < 1 || candidateCount > MAX_CANDIDATES) throw new RangeError(`leader election: ${candidateCount} candidates`);
    const n = (this.candidates = candidateCount);
    this.phase = new Uint8Array(n);
    this.leading = new Uint8Array(n);
    this.pending = new Uint8Array(n);
    this.seq = new Float64Array(n);
    this.observedHolder = new Int32Array(n);
    this.observedRev = new Float64Array(n);
    this.observedTimeUs = new Float64Array(n);
    this.cycleStartUs = new Float64Array(n);
    this.cycleSucceeded = new Uint8Array(n);
    this.attemptTimer = new Float64Array(n).fill(-1);
    this.deadlineTimer = new Float64Array(n).fill(-1);
    this.rng = sim.rng.stream(`leaderelection.${component}`);
    this.hAttempt = sim.on(`leaderelection.${component}.attempt`, (c) => this.attempt(c));
    this.hResponse = sim.on(`leaderelection.${component}.response`, (tok, status) => this.response(tok, status));
    this.hDeadline = sim.on(`leaderelection.${component}.renewDeadline`, (c) => this.renewDeadlinePassed(c));
    this.hStart = sim.on(`leaderelection.${component}.start`, (c) => this.start(c));
    this.hCycle = sim.on(`leaderelection.${component}.renewCycle`, (c) => this.startRenewCycle(c));
  }

  /** Whether candidate `c` believes it holds the lease (and so acts). */
  isLeader(c: number): boolean {
    return this.leading[c] === 1;
  }

  /** The acting leader, or -1. (Two at once would be a bug; tests check it never happens.) */
  leader(): number {
    for (let c = 0; c < this.candidates; c++) if (this.leading[c]) return c;
    return -1;
  }

  running(c: number): boolean {
    return this.phase[c] !== IDLE;
  }

  /** The process of candidate `c` starts (at boot, host recovery, or restart): acquire. */
  start(c: number): void {
    if (this.phase[c] !== IDLE || !this.hostUp(c)) return;
    this.phase[c] = ACQUIRING;
    this.observedHolder[c] = 0;
    this.observedRev[c] = -1;
    this.observedTimeUs[c] = this.sim.now;
    this.attempt(c);
  }

  /** The process of candidate `c` dies (host loss): it stops at once, holding nothing. */
  stop(c: number): void {
    if (this.phase[c] === IDLE) return;
    this.cancelTimers(c);
    this.seq[c]++; // answers to requests already sent are ignored
    this.pending[c] = NO_REQUEST;
    this.phase[c] = IDLE;
    if (this.leading[c]) this.setLeading(c, false);
  }

  private attempt(c: number): void {
    this.attemptTimer[c] = -1;
    if (this.phase[c] === IDLE || this.pending[c] !== NO_REQUEST) return;
    const now = this.sim.now;
    if (this.leading[c] && this.leaseValid(c, now)) {
      // 1. fast path: update the record we saw last, assuming it is still current
      this.request(c, UPDATE_FAST, Verb.Update, this.observedRev[c], c + 1, now);
    } else {
      this.request(c, GET, Verb.Get);
    }
  }

  /** Send a Lease request for candidate c (expectedRevision -1 = none). */
  private request(c: number, kind: number, verb: Verb, expectedRevision = -1, holder = 0, renewUs = 0): void {
    this.pending[c] = kind;
    this.seq[c]++;
    const o = this.opts; // reused: KubeApi.send copies the values at once
    o.key = this.leaseKey;
    o.expectedRevision = expectedRevision;
    o.valueA = holder;
    o.valueB = renewUs;
    // Each candidate talks to the API server on its own host (kubeadm LocalAPIEndpoint).
    o.server = this.serverOf(c);
    this.api.send(verb, Resource.Lease, this.seq[c] * SEQ_SHIFT + c, this.hResponse, o);
  }

  private response(tok: number, status: number): void {
    const c = tok % SEQ_SHIFT;
    if (Math.floor(tok / SEQ_SHIFT) !== this.seq[c] || this.phase[c] === IDLE) return;
    const kind = this.pending[c];
    this.pending[c] = NO_REQUEST;
    const now = this.sim.now;
    if (kind === UPDATE_FAST) {
      if (isSuccess(status)) return this.attemptDone(c, this.observeOwnWrite(c, now));
      // "Failed to update lock optimistically, falling back to slow path"
      return this.request(c, GET, Verb.Get);
    }
    if (kind === GET) {
      if (!isSuccess(status)) return this.attemptDone(c, false);
      const rec = this.api.object(this.leaseKey);
      if (!rec) {
        return this.request(c, CREATE, Verb.Create, 0, c + 1, now);
      }
      if (rec.revision !== this.observedRev[c]) {
        this.observedHolder[c] = rec.a;
        this.observedRev[c] = rec.revision;
        this.observedTimeUs[c] = now;
      }
      if (rec.a !== 0 && rec.a !== c + 1 && this.leaseValid(c, now)) return this.attemptDone(c, false); // held by another, not expired
      return this.request(c, UPDATE, Verb.Update, rec.revision, c + 1, now);
    }
    // UPDATE or CREATE
    if (!isSuccess(status)) return this.attemptDone(c, false);
    this.attemptDone(c, this.observeOwnWrite(c, now));
  }

  /** After a successful write, the record we wrote is the one we observe. */
  private observeOwnWrite(c: number, now: number): boolean {
    const rec = this.api.object(this.leaseKey);
    if (!rec || rec.a !== c + 1) return false;
    this.observedHolder[c] = c + 1;
    this.observedRev[c] = rec.revision;
    this.observedTimeUs[c] = now;
    return true;
  }

  private attemptDone(c: number, ok: boolean): void {
    const cfg = this.config;
    const now = this.sim.now;
    if (this.phase[c] === ACQUIRING) {
      if (ok) {
        this.phase[c] = RENEWING;
        this.setLeading(c, true);
        this.startRenewCycle(c); // renew() starts at once after acquire()
      } else {
        const wait = cfg.retryPeriodUs + this.rng.next() * cfg.jitterFactor * cfg.retryPeriodUs;
        this.attemptTimer[c] = this.sim.timer(wait, this.hAttempt, c);
      }
      return;
    }
    // RENEWING
    if (ok) {
      this.cycleSucceeded[c] = 1;
      this.cancelDeadline(c);
      this.attemptTimer[c] = this.sim.timer(cfg.retryPeriodUs, this.hCycle, c);
      return;
    }
    // PollImmediateUntil: next poll on the RetryPeriod ticker started with the cycle.
    const start = this.cycleStartUs[c];
    const k = Math.floor((now - start) / cfg.retryPeriodUs) + 1;
    const next = start + k * cfg.retryPeriodUs;
    if (next < start + cfg.renewDeadlineUs) this.attemptTimer[c] = this.sim.timerAt(next, this.hAttempt, c);
  }

  private startRenewCycle(c: number): void {
    this.attemptTimer[c] = -1;
    if (this.phase[c] !== RENEWING) return;
    this.cycleStartUs[c] = this.sim.now;
    this.cycleSucceeded[c] = 0;
    this.deadlineTimer[c] = this.sim.timer(this.config.renewDeadlineUs, this.hDeadline, c);
    this.attempt(c);
  }

  /** RenewDeadline passed without a successful renewal: "failed to renew lease", stop leading. */
  private renewDeadlinePassed(c: number): void {
    this.deadlineTimer[c] = -1;
    if (this.phase[c] !== RENEWING || this.cycleSucceeded[c]) return;
    this.stop(c); // the context is cancelled: the request in flight is abandoned
    // The component exits (OnStoppedLeading) and the kubelet restarts it.
    this.sim.schedule(this.config.restartDelayUs, this.hStart, c);
  }

  private leaseValid(c: number, now: number): boolean {
    return this.observedTimeUs[c] + this.config.leaseDurationUs > now;
  }

  private setLeading(c: number, leading: boolean): void {
    const now = this.sim.now;
    this.leading[c] = leading ? 1 : 0;
    if (leading) this.history.push({ candidate: c, startUs: now, endUs: -1 });
    else {
      for (let i = this.history.length - 1; i >= 0; i--) {
        if (this.history[i].candidate === c && this.history[i].endUs < 0) {
          this.history[i].endUs = now;
          break;
        }
      }
    }
    for (const l of this.listeners) l(c, leading, now);
  }

  private cancelDeadline(c: number): void {
    if (this.deadlineTimer[c] >= 0) this.sim.cancel(this.deadlineTimer[c]);
    this.deadlineTimer[c] = -1;
  }

  private cancelTimers(c: number): void {
    if (this.attemptTimer[c] >= 0) this.sim.cancel(this.attemptTimer[c]);
    this.attemptTimer[c] = -1;
    this.cancelDeadline(c);
  }
}
