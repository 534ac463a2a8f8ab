/**
 * The kubelet's prober (pkg/kubelet/prober): a worker per container and probe type,
 * the app each probe asks, and what the results do to the pod (Ready, restarts).
 *
 * Facts carried over from upstream (kubernetes/kubernetes, read for v1.33–v1.35):
 * - Workers are made by prober_manager.go AddPod, which Kubelet.SyncPod calls before the
 *   container runtime's SyncPod (so before the sandbox, image pulls and container
 *   starts), once per pod: a restarted container keeps its workers and their ticker.
 * - worker.go run(): the worker probes once at once (doProbe before the first tick), then
 *   on every tick of a periodSeconds ticker (time.Ticker: a tick missed while a probe
 *   runs is kept, one at most) and on a manual trigger. Only when the kubelet started less
 *   than one period ago does it first sleep a random part of the period ("If kubelet
 *   restarted the probes could be started in rapid succession"). kubesim: the kubelets
 *   of the nodes present at the start of a run started long before; a kubelet that
 *   starts in the run (recovery, a new node) draws that sleep (stream "kubelet.probeStart").
 * - worker.go doProbe(): nothing while the container does not run; a new container ID
 *   resets the result to its initial value (readiness Failure, liveness Success, startup
 *   Unknown) and ends the hold; no probe while on hold; once the pod has a
 *   deletionTimestamp, liveness and startup workers set Success and stop (readiness goes
 *   on); no probe while int32(seconds since the container started) < initialDelaySeconds
 *   (the seconds are truncated); until the container has started (startup probe passed,
 *   or none) only the startup worker probes, and after it only the others; results count
 *   after successThreshold / failureThreshold in a row (probeWorker.ts).
 * - prober.go: a probe that gets no answer within timeoutSeconds fails.
 * - kubelet.go syncLoopIteration / prober_manager.go UpdatePodStatus: a readiness or
 *   startup result that changes syncs the pod, and every pod sync triggers the readiness
 *   worker of a started container that is not ready (manualTriggerCh): so the readiness
 *   probe runs at once when the container starts (after PLEG sees it: kubesim takes no
 *   relist delay), when its startup probe passes, and again right after it turns not
 *   ready. (Other pod syncs, such as the 1-minute resync, trigger it too: not modelled.)
 * - kuberuntime computePodActions: a container whose liveness or startup result is
 *   Failure is killed ("failed liveness probe, will be restarted") and started again
 *   unless restartPolicy is Never, after CrashLoopBackOff (crashLoopBackOff.ts).
 * - status_manager SetContainerReadiness: the pod's Ready condition is true when every
 *   container runs, has started and is ready (a container without a readiness probe is
 *   ready once started).
 *
 * kubesim's simplifications: a pod's containers start and stop together, so the app's
 * warm-up and health are the pod's; a container being killed for its liveness probe is
 * not ready from the kill on (upstream: until it exits); probes of sidecar init
 * containers are not run.
 */
import { distribution, type Distribution } from "../../engine/distribution.js";
import type { RandomStream } from "../../engine/random.js";
import { US_PER_S, type Simulation } from "../../engine/simulation.js";
import { grown, nextCapacity } from "../../engine/columns.js";
import type { PodTemplate } from "../../model/podTemplate.js";
import { ProbeResult, ProbeWorkerState } from "./probeWorker.js";
import { PROBE_TYPE_NAMES, ProbeType, templateProbes, type TemplateProbes } from "./probeSpec.js";
import type { SummaryRow } from "../../metrics/summary.js";

/** What the prober needs from the kubelet around it. */
export interface ProberHooks {
  /** Do the pod's containers run (started and not being killed)? */
  running(pod: number): boolean;
  /** Has the pod got a deletionTimestamp? */
  deleting(pod: number): boolean;
  /** The pod's node (for the kubelet's start time). */
  node(pod: number): number;
  /** The pod's Ready condition as the kubelet computes it changed. */
  setReady(pod: number, ready: boolean): void;
  /**
   * A liveness or startup probe of container `container` (its name) failed: kill the pod's
   * containers (and restart them); `graceS` is the probe's terminationGracePeriodSeconds, -1 = unset.
   */
  kill(pod: number, reason: ProbeType, container: string, graceS: number): void;
}

/** Counters for summary.csv and tests. */
export interface ProbeCounts {
  /** Probes run, by type (liveness, readiness, startup). */
  readonly runs: number[];
  /** Probes that failed (no answer, or an answer after timeoutSeconds), by type. */
  readonly failures: number[];
  /** Containers killed for a failed liveness or startup probe. */
  kills: number;
}

interface PodWorkers {
  readonly workers: ProbeWorkerState[];
  /** Per worker: its pending tick timer, -1 = stopped. */
  readonly timers: number[];
  /** Per worker: a probe is in flight. */
  readonly busy: boolean[];
  /** Per worker: a tick or trigger came while a probe was in flight. */
  readonly pending: boolean[];
  /** Per worker: when its ticker started (us). */
  readonly tickerStartUs: number[];
}

/** A per-template app with no annotations: answers at once, always. */
const ZERO = distribution({ type: "constant", value: 0 });

export class Prober {
  readonly counts: ProbeCounts = { runs: [0, 0, 0], failures: [0, 0, 0], kills: 0 };
  /** Observers of each probe result the kubelet acts on (tests; a future probes table). */
  readonly onProbeResult: ((pod: number, type: ProbeType, result: ProbeResult) => void)[] = [];
  private readonly probes: TemplateProbes[];
  private readonly containerNames: string[][];
  private readonly warmUp: Distribution[];
  private readonly latency: Distribution[];
  private readonly failureProbability: Float64Array;
  private readonly warmUpStream: RandomStream;
  private readonly healthStream: RandomStream;
  private readonly latencyStream: RandomStream;
  private readonly startStream: RandomStream;
  private readonly workers = new Map<number, PodWorkers>();
  /** Per pod: container starts so far (the container instance), and the last start (us). */
  private instance = new Int32Array(0);
  private containerStartUs = new Float64Array(0);
  /** Per pod: when its app answers from (us), -1 = not now (not started, or never healthy). */
  private servingFromUs = new Float64Array(0);
  /** Per pod: 1 when its app never becomes healthy (drawn at its first start). */
  private unhealthy = new Uint8Array(0);
  /** Per node: when its kubelet process started (us); -Infinity for one that ran before the run. */
  private kubeletStartUs: number[] = [];
  private readonly hTick: number;
  private readonly hAnswer: number;

  constructor(
    private readonly sim: Simulation,
    private readonly templateOf: (pod: number) => number,
    templates: readonly PodTemplate[],
    private readonly hooks: ProberHooks,
  ) {
    this.probes = templates.map((t) => templateProbes(t.pod));
    this.containerNames = templates.map((t) => (t.pod.spec?.containers ?? []).map((c) => c.name));
    this.warmUp = templates.map((t) => (t.app ? distribution(t.app.warmUpS) : ZERO));
    this.latency = templates.map((t) => (t.app ? distribution(t.app.probeLatencyS) : ZERO));
    this.failureProbability = Float64Array.from(templates, (t) => t.app?.failureProbability ?? 0);
    this.warmUpStream = sim.rng.stream("kubelet.appWarmUp");
    this.healthStream = sim.rng.stream("kubelet.appHealth");
    this.latencyStream = sim.rng.stream("kubelet.probeLatency");
    this.startStream = sim.rng.stream("kubelet.probeStart");
    this.hTick = sim.on("kubelet.probeTick", (pod, w) => this.tick(pod, w));
    this.hAnswer = sim.on("kubelet.probeAnswer", (pod, code) => this.answered(pod, code >> 2, code & 3));
  }

  /** Does the template of this pod have a readiness or startup probe (so it is not Ready when its containers start)? */
  gatesReadiness(pod: number): boolean {
    const p = this.probes[this.templateOf(pod)];
    return p.hasReadiness || p.hasStartup;
  }

  // -------------------------------------------------------------------------
  // What the kubelet tells the prober

  /** A kubelet process started on the node (recovery, a new machine). */
  kubeletStarted(node: number): void {
    while (this.kubeletStartUs.length <= node) this.kubeletStartUs.push(-Infinity);
    this.kubeletStartUs[node] = this.sim.now;
  }

  /** Kubelet.SyncPod: prober_manager.AddPod, once per pod (workers exist until the pod ends). */
  podSynced(pod: number): void {
    this.ensure(pod);
    const spec = this.probes[this.templateOf(pod)];
    if (spec.probes.length === 0 || this.workers.has(pod)) return;
    const n = spec.probes.length;
    const pw: PodWorkers = { workers: spec.probes.map((p) => new ProbeWorkerState(p)), timers: new Array<number>(n).fill(-1), busy: new Array<boolean>(n).fill(false), pending: new Array<boolean>(n).fill(false), tickerStartUs: new Array<number>(n).fill(0) };
    this.workers.set(pod, pw);
    const node = this.hooks.node(pod);
    const kubeletStart = node < this.kubeletStartUs.length ? this.kubeletStartUs[node] : -Infinity;
    for (let w = 0; w < n; w++) {
      const periodUs = pw.workers[w].spec.periodUs;
      // worker.run(): a random sleep only while the kubelet started less than a period ago.
      const sleepUs = periodUs > this.sim.now - kubeletStart ? Math.floor(this.startStream.next() * periodUs) : 0;
      pw.tickerStartUs[w] = this.sim.now + sleepUs;
      pw.timers[w] = this.sim.timer(sleepUs, this.hTick, pod, w);
    }
  }

  /** The pod's containers started (first start or restart): a new container instance. */
  containerStarted(pod: number): void {
    this.ensure(pod);
    const template = this.templateOf(pod);
    if (this.instance[pod] === 0 && this.failureProbability[template] > 0) this.unhealthy[pod] = this.healthStream.next() < this.failureProbability[template] ? 1 : 0;
    this.instance[pod]++;
    this.containerStartUs[pod] = this.sim.now;
    const warmUpUs = this.warmUp[template] === ZERO ? 0 : Math.round(this.warmUp[template].sample(this.warmUpStream) * US_PER_S);
    this.servingFromUs[pod] = this.unhealthy[pod] === 1 ? -1 : this.sim.now + warmUpUs;
    // The PLEG's ContainerStarted event syncs the pod: UpdatePodStatus triggers the readiness worker.
    const pw = this.workers.get(pod);
    if (pw) for (let w = 0; w < pw.workers.length; w++) if (pw.workers[w].spec.type === ProbeType.Readiness && this.started(pod, pw, pw.workers[w].spec.container)) this.trigger(pod, pw, w);
  }

  /** The pod's containers stopped (killed, crashed, deleted). */
  containerStopped(pod: number): void {
    if (pod < this.servingFromUs.length) this.servingFromUs[pod] = -1;
  }

  /** The pod ended: its workers stop. */
  podEnded(pod: number): void {
    this.containerStopped(pod);
    const pw = this.workers.get(pod);
    if (!pw) return;
    for (let w = 0; w < pw.timers.length; w++) this.stopWorker(pw, w);
    this.workers.delete(pod);
  }

  // -------------------------------------------------------------------------
  // What the Services' request load asks

  /** Does the pod's app answer now: containers running, warmed up, healthy? */
  appServing(pod: number): boolean {
    if (pod >= this.servingFromUs.length || !this.hooks.running(pod)) return false;
    const from = this.servingFromUs[pod];
    return from >= 0 && this.sim.now >= from;
  }

  /** Since when the pod's app answers (us), -1 when it does not now. */
  servingSinceUs(pod: number): number {
    return this.appServing(pod) ? this.servingFromUs[pod] : -1;
  }

  /** The pod's Ready condition as the probes say (containers running, started and ready). */
  ready(pod: number): boolean {
    if (!this.hooks.running(pod)) return false;
    const pw = this.workers.get(pod);
    if (!pw) return !this.gatesReadiness(pod);
    for (const w of pw.workers) {
      if (w.instance !== this.instance[pod]) {
        // The worker has not seen this container yet: its initial value.
        if (w.spec.type === ProbeType.Readiness || w.spec.type === ProbeType.Startup) return false;
      } else if (w.spec.type === ProbeType.Readiness ? w.result !== ProbeResult.Success : w.spec.type === ProbeType.Startup && w.result !== ProbeResult.Success) return false;
    }
    return true;
  }

  /** summary.csv rows (only for runs with a probe): probes run and failed by type, containers killed. */
  summary(): SummaryRow[] {
    if (!this.probes.some((p) => p.probes.length > 0)) return [];
    const rows: SummaryRow[] = [];
    PROBE_TYPE_NAMES.forEach((name, type) => rows.push({ metric: `probes_${name}`, value: this.counts.runs[type] }, { metric: `probe_failures_${name}`, value: this.counts.failures[type] }));
    rows.push({ metric: "containers_killed_by_probes", value: this.counts.kills });
    return rows;
  }

  // -------------------------------------------------------------------------
  // Workers

  private ensure(pod: number): void {
    if (pod < this.instance.length) return;
    const n = nextCapacity(this.instance.length, pod + 1);
    const from = this.instance.length;
    this.instance = grown(this.instance, n);
    this.containerStartUs = grown(this.containerStartUs, n);
    this.servingFromUs = grown(this.servingFromUs, n).fill(-1, from);
    this.unhealthy = grown(this.unhealthy, n);
  }

  /** Has the pod's current container started: its startup probe passed for this container, or it has none? */
  private started(pod: number, pw: PodWorkers, container: number): boolean {
    for (const w of pw.workers) if (w.spec.container === container && w.spec.type === ProbeType.Startup) return w.instance === this.instance[pod] && w.result === ProbeResult.Success;
    return true;
  }

  private tick(pod: number, w: number): void {
    const pw = this.workers.get(pod);
    if (!pw) return;
    const periodUs = pw.workers[w].spec.periodUs;
    // The next tick of the ticker: tickerStart + k x period.
    const k = Math.floor((this.sim.now - pw.tickerStartUs[w]) / periodUs) + 1;
    pw.timers[w] = this.sim.timer(pw.tickerStartUs[w] + k * periodUs - this.sim.now, this.hTick, pod, w);
    this.trigger(pod, pw, w);
  }

  private trigger(pod: number, pw: PodWorkers, w: number): void {
    if (pw.timers[w] < 0) return;
    if (pw.busy[w]) pw.pending[w] = true;
    else this.doProbe(pod, pw, w);
  }

  private stopWorker(pw: PodWorkers, w: number): void {
    if (pw.timers[w] >= 0) this.sim.cancel(pw.timers[w]);
    pw.timers[w] = -1;
  }

  /** worker.go doProbe. */
  private doProbe(pod: number, pw: PodWorkers, w: number): void {
    if (!this.hooks.running(pod)) return;
    const state = pw.workers[w];
    const spec = state.spec;
    state.seeContainer(this.instance[pod]);
    if (state.onHold) return;
    if (spec.type !== ProbeType.Readiness && this.hooks.deleting(pod)) {
      // "Pod deletion requested, setting probe result to success": stop probing.
      state.result = ProbeResult.Success;
      this.stopWorker(pw, w);
      return;
    }
    if (Math.floor((this.sim.now - this.containerStartUs[pod]) / US_PER_S) < spec.initialDelayS) return;
    if (this.started(pod, pw, spec.container) === (spec.type === ProbeType.Startup)) return;
    const template = this.templateOf(pod);
    const latencyUs = this.latency[template] === ZERO ? 0 : Math.round(this.latency[template].sample(this.latencyStream) * US_PER_S);
    const answered = latencyUs <= spec.timeoutUs;
    const result = answered && this.appServing(pod) ? ProbeResult.Success : ProbeResult.Failure;
    this.counts.runs[spec.type]++;
    if (result === ProbeResult.Failure) this.counts.failures[spec.type]++;
    pw.busy[w] = true;
    this.sim.schedule(answered ? latencyUs : spec.timeoutUs, this.hAnswer, pod, (w << 2) | result);
  }

  private answered(pod: number, w: number, result: ProbeResult): void {
    const pw = this.workers.get(pod);
    if (!pw) return;
    pw.busy[w] = false;
    const state = pw.workers[w];
    // A result for a container that is gone (killed or restarted meanwhile) is dropped.
    if (this.hooks.running(pod) && state.instance === this.instance[pod] && pw.timers[w] >= 0) {
      for (const l of this.onProbeResult) l(pod, state.spec.type, result);
      this.apply(pod, pw, w, result);
    }
    if (pw.pending[w] && this.workers.get(pod) === pw) {
      pw.pending[w] = false;
      this.trigger(pod, pw, w);
    }
  }

  private apply(pod: number, pw: PodWorkers, w: number, result: ProbeResult): void {
    const state = pw.workers[w];
    const before = state.result;
    if (!state.record(result)) return;
    const type = state.spec.type;
    if (type === ProbeType.Liveness || type === ProbeType.Startup) {
      if (result === ProbeResult.Failure) {
        this.counts.kills++;
        this.hooks.kill(pod, type, this.containerNames[this.templateOf(pod)][state.spec.container], state.spec.terminationGracePeriodS);
        return;
      }
      if (type === ProbeType.Startup && before !== ProbeResult.Success) {
        // Started: the pod sync triggers the container's readiness worker.
        this.hooks.setReady(pod, this.ready(pod));
        for (let r = 0; r < pw.workers.length; r++) if (pw.workers[r].spec.type === ProbeType.Readiness && pw.workers[r].spec.container === state.spec.container) this.trigger(pod, pw, r);
      }
      return;
    }
    if (before === result) return;
    this.hooks.setReady(pod, this.ready(pod));
    // Not ready: the pod sync's UpdatePodStatus triggers the readiness worker again.
    if (result === ProbeResult.Failure) this.trigger(pod, pw, w);
  }
}
