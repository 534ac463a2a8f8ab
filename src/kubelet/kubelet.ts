/**
 * The kubelets of the run's nodes: one model for all of them, since a kubelet's state is
 * a few columns per node and per pod.
 *
 * A kubelet that runs and reaches the API servers sees the pods bound to its node:
 * - it admits each one again (admission.ts); a rejected pod is Failed with the reason;
 * - it starts the admitted pod: after the container runtime's start-up time the pod is
 *   Running, and Ready unless it has readiness or startup probes (then when they pass,
 *   probes/). With a `containerRuntime` section the start-up is the runtime's sequence
 *   (runtime/containerRuntime.ts: sandbox, image pulls, init containers, sidecars,
 *   containers); without, one delay drawn from `podStartupDelay` (stream
 *   "kubelet.podStartup");
 * - a Running pod with a lifetime ends when it is over: Succeeded ("completed") for the
 *   work of an arrival, Failed ("deadline-exceeded") for a bare Pod's
 *   activeDeadlineSeconds (counted from Running: a simplification);
 * - a deleted pod (deletionTimestamp set) is stopped gracefully: its containers get
 *   SIGTERM and take `containerStopTime` (by default the whole
 *   terminationGracePeriodSeconds, the upper bound an app that ignores SIGTERM uses),
 *   then the kubelet confirms and the pod is gone.
 *
 * Node faults:
 * - crash: the kubelet and every container stop; the API still shows the pods Running
 *   until the node lifecycle controller marks them. On recovery the kubelet starts,
 *   registers, and syncs its pods: deleted ones are confirmed at once (no container
 *   runs), others start again as their restartPolicy says (Always and OnFailure: the
 *   containers restart, counted in restarts; Never: the pod fails, "node-failure").
 * - cut off from the control plane: the kubelet and its containers keep running; it
 *   cannot renew its Lease nor post status, and sees no new binding or deletion. When the
 *   connection comes back it syncs: starts what was bound, stops what was deleted, and
 *   posts Ready again for the pods the node lifecycle controller marked not ready.
 * - kubelet stopped: the containers keep running, nothing is reported; on restart the
 *   kubelet registers again and adopts them.
 *
 * Probes (probes/): a pod with a readiness or startup probe is Running but not Ready
 * when its containers start, and Ready when its probes say so; a failed liveness or
 * startup probe kills the containers, which start again after CrashLoopBackOff
 * (probes/crashLoopBackOff.ts).
 *
 * Simplifications (README "Model fidelity"): a pod that finishes its work while its
 * kubelet is cut off or stopped is reported at once; container restarts start the work
 * over.
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { OUTCOME_COMPLETED, OUTCOME_DEADLINE_EXCEEDED, OUTCOME_ERROR, OUTCOME_NODE_FAILURE, type ClusterState } from "../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";
import { PodPhase } from "../model/podTable.js";
import type { PodTemplate } from "../model/podTemplate.js";
import type { KubeletAdmission } from "./admission.js";
import type { KubeletApi } from "./kubeletApi.js";
import type { NodeLeases } from "./nodeLease.js";
import type { NodeStatusLoops } from "./nodeStatus.js";
import { KUBELET_STATUS_RETRY_US, type PodStatusReporter } from "./podStatus.js";
import { Prober } from "./probes/prober.js";
import { ProbeType } from "./probes/probeSpec.js";
import { CrashLoopBackOff } from "./probes/crashLoopBackOff.js";
import { ContainerRuntime } from "./runtime/containerRuntime.js";
import type { ContainerRuntimeSpec } from "./runtime/config.js";

/** kubelet containerBackOffPeriod (10 s) and MaxContainerBackOff (300 s): CrashLoopBackOff (pkg/kubelet/kubelet.go). */
export const CRASH_LOOP_BACKOFF_START_US = 10 * US_PER_S;
export const CRASH_LOOP_BACKOFF_MAX_US = 300 * US_PER_S;

// node fault bits
const CRASHED = 1;
const CUT_OFF = 2;
const KUBELET_STOPPED = 4;

// a pod's containers, as its kubelet runs them
const NONE = 0;
const STARTING = 1;
const RUNNING = 2;
const STOPPING = 3;
/** Killed for a failed liveness or startup probe: SIGTERM, then a restart (probes/). */
const KILLING = 4;
/** kuberuntime_container.go minimumGracePeriodInSeconds: a container kill waits at least 2 s. */
const MINIMUM_KILL_GRACE_US = 2 * US_PER_S;

export interface KubeletConfig {
  /** Binding to Running, in seconds. */
  podStartupDelay: DistributionSpec;
  /** SIGTERM to exit, in seconds, capped by the grace period; undefined = the whole grace period. */
  containerStopTime?: DistributionSpec;
  /** The container runtime model (replaces podStartupDelay), when the scenario has one. */
  containerRuntime?: ContainerRuntimeSpec;
}

export interface KubeletParts {
  api: KubeletApi;
  admission: KubeletAdmission;
  leases: NodeLeases;
  nodeStatus: NodeStatusLoops;
  /** Pod status writes as API requests (with a control plane). */
  status: PodStatusReporter | undefined;
}

export class Kubelets {
  private readonly fault: Uint8Array;
  /** Per pod: its pending start, end or stop event, -1 for none. */
  private timer = new Float64Array(0);
  private containers = new Uint8Array(0);
  private readonly startup: Distribution;
  private readonly startupStream: RandomStream;
  private readonly stopTime: Distribution | undefined;
  private readonly stopStream: RandomStream;
  private readonly graceUs: Float64Array;
  private readonly restartNever: Uint8Array;
  /** Per template: the run of a pod that finishes on its own (a Job's), or undefined. */
  private readonly runTime: (Distribution | undefined)[];
  private readonly failureProbability: Float64Array;
  private readonly restartOnFailure: Uint8Array;
  private readonly runStream: RandomStream;
  private readonly hCrashLoopOver: number;
  private readonly errorOutcome: number;
  private readonly hStarted: number;
  private readonly hFinished: number;
  private readonly hStopped: number;
  private readonly hReadyAnswer: number;
  private readonly hReadyRetry: number;
  private readonly completed: number;
  private readonly deadlineExceeded: number;
  private readonly nodeFailure: number;
  /** The container runtime between start(pod) and started(pod), when modelled. */
  readonly runtime: ContainerRuntime | undefined;
  /** Container restarts so far. */
  restarts = 0;
  /** Pods rejected by admission. */
  rejected = 0;
  /** A node's fault state changed (crash, cut-off, recovery): kube-proxy follows its node (issue 11). */
  readonly onNodeFaultChanged: ((node: number) => void)[] = [];
  /** The prober: probe workers, the apps they ask, Ready (probes/prober.ts). */
  readonly prober: Prober;
  private readonly probeBackOff = new CrashLoopBackOff();
  private readonly hProbeKilled: number;
  private readonly hProbeBackOffOver: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    templates: readonly PodTemplate[],
    config: KubeletConfig,
    private readonly parts: KubeletParts,
  ) {
    this.fault = new Uint8Array(cluster.nodes.count);
    // A machine not provisioned yet is down: provision() boots it.
    for (let n = 0; n < cluster.nodes.count; n++) if (cluster.nodes.exists[n] === 0) this.fault[n] = CRASHED;
    this.startup = distribution(config.podStartupDelay);
    this.startupStream = sim.rng.stream("kubelet.podStartup");
    this.stopTime = config.containerStopTime ? distribution(config.containerStopTime) : undefined;
    this.stopStream = sim.rng.stream("kubelet.containerStop");
    this.graceUs = Float64Array.from(templates, (t) => (t.pod.spec?.terminationGracePeriodSeconds ?? 30) * US_PER_S);
    this.restartNever = Uint8Array.from(templates, (t) => (t.pod.spec?.restartPolicy === "Never" ? 1 : 0));
    this.runTime = templates.map((t) => (t.run ? distribution(t.run.runTimeS) : undefined));
    this.failureProbability = Float64Array.from(templates, (t) => t.run?.failureProbability ?? 0);
    this.restartOnFailure = Uint8Array.from(templates, (t) => (t.pod.spec?.restartPolicy === "OnFailure" ? 1 : 0));
    this.runStream = sim.rng.stream("kubelet.podRun");
    this.hCrashLoopOver = sim.on("kubelet.crashLoopOver", (pod) => this.started(pod));
    this.errorOutcome = cluster.outcomes.id(OUTCOME_ERROR);
    this.hStarted = sim.on("kubelet.podStarted", (pod) => this.started(pod));
    this.hFinished = sim.on("kubelet.podFinished", (pod, outcome) => this.finished(pod, outcome));
    this.hStopped = sim.on("kubelet.podStopped", (pod) => this.confirmDeletion(pod));
    this.hReadyAnswer = sim.on("kubelet.podReadyAnswer", (pod, status) => this.readyAnswered(pod, status));
    this.hReadyRetry = sim.on("kubelet.podReadyRetry", (pod) => this.reportReady(pod));
    this.completed = cluster.outcomes.id(OUTCOME_COMPLETED);
    this.deadlineExceeded = cluster.outcomes.id(OUTCOME_DEADLINE_EXCEEDED);
    this.nodeFailure = cluster.outcomes.id(OUTCOME_NODE_FAILURE);
    cluster.onPodBound.push((pod) => this.bound(pod));
    cluster.onPodDeleting.push((pod) => this.deleting(pod));
    cluster.onPodEnded.push((pod) => this.ended(pod));
    parts.nodeStatus.registered = (node) => this.sync(node);
    // ---- probes (probes/prober.ts)
    this.prober = new Prober(sim, (pod) => cluster.pods.template[pod], templates, {
      running: (pod) => this.containers[pod] === RUNNING,
      deleting: (pod) => cluster.pods.deletionUs[pod] >= 0,
      node: (pod) => cluster.pods.node[pod],
      setReady: (pod, ready) => this.probeReady(pod, ready),
      kill: (pod, type, container, graceS) => this.probeKill(pod, type, container, graceS),
    });
    this.hProbeKilled = sim.on("kubelet.probeKilled", (pod) => this.probeKilled(pod));
    this.hProbeBackOffOver = sim.on("kubelet.probeBackOffOver", (pod) => this.restart(pod, false));
    // Container runtime (issue 11): it calls started(pod) when the pod's containers run.
    this.runtime = config.containerRuntime ? new ContainerRuntime(sim, cluster, templates, config.containerRuntime, (pod) => this.started(pod)) : undefined;
    if (this.runtime) {
      const list = this.runtime.imageList;
      parts.nodeStatus.imagesToPost = (node) => list.toPost(node);
      // Image GC is the kubelet's: not on a node that is down or whose kubelet is stopped.
      this.runtime.kubeletRuns = (node) => (this.fault[node] & (CRASHED | KUBELET_STOPPED)) === 0;
    }
  }

  // --- read by kube-proxy and the request load (issue 11, src/proxy/) ---
  /** Is the machine down (crashed, or not provisioned yet)? */
  nodeCrashed(node: number): boolean {
    return (this.fault[node] & CRASHED) !== 0;
  }
  /** Is the node cut off from the control plane (node-partition, zone-outage)? */
  nodeCutOff(node: number): boolean {
    return (this.fault[node] & CUT_OFF) !== 0;
  }
  /** Do the pod's containers run (started, not stopping or stopped)? */
  containersRunning(pod: number): boolean {
    return pod < this.containers.length && this.containers[pod] === RUNNING;
  }
  // ---

  /** Does the node's kubelet run and see the API servers' watch events? */
  watching(node: number): boolean {
    return this.fault[node] === 0;
  }

  // -------------------------------------------------------------------------
  // Node faults

  /** The node stops: kubelet and containers. */
  crash(node: number): void {
    if ((this.fault[node] & CRASHED) !== 0) return;
    this.fault[node] |= CRASHED;
    for (const pod of this.cluster.podsOn(node)) this.killContainers(pod);
    this.runtime?.nodeCrashed(node);
    this.stopKubeletLoops(node);
    for (const l of this.onNodeFaultChanged) l(node);
  }

  /** The node is cut off from the control plane; everything on it keeps running. */
  cutOff(node: number): void {
    this.fault[node] |= CUT_OFF;
    this.parts.api.cutOff[node] = 1;
    for (const l of this.onNodeFaultChanged) l(node);
  }

  /** The kubelet process stops; its containers keep running. */
  stopKubelet(node: number): void {
    this.fault[node] |= KUBELET_STOPPED;
    this.stopKubeletLoops(node);
  }

  /** A new machine boots (a node-pool upgrade's new node): its kubelet starts and registers the Node. */
  provision(node: number): void {
    this.recover(node, 0);
  }

  /** The machine is deleted (the cloud removed its VM): everything on it stops for good. */
  deprovision(node: number): void {
    this.crash(node);
  }

  /** Every fault of the node ends: it boots (after a crash), reconnects, its kubelet starts. */
  recover(node: number, notReadyForUs: number): boolean {
    const f = this.fault[node];
    if (f === 0) return false;
    this.fault[node] = 0;
    this.parts.api.cutOff[node] = 0;
    if ((f & (CRASHED | KUBELET_STOPPED)) !== 0) {
      this.prober.kubeletStarted(node);
      // A new kubelet process: it registers, then syncs its pods (NodeStatusLoops.registered).
      this.parts.leases.resume(node);
      this.parts.nodeStatus.kubeletStarted(node, notReadyForUs);
    } else {
      this.sync(node);
    }
    for (const l of this.onNodeFaultChanged) l(node);
    return true;
  }

  private stopKubeletLoops(node: number): void {
    this.parts.leases.stop(node);
    this.parts.nodeStatus.stop(node);
  }

  /**
   * The kubelet's pod sync after it (re)connected or (re)started: stop what was
   * deleted, start what waits, restart what a crash stopped, and report Ready again
   * for running pods the API holds as not ready.
   */
  private sync(node: number): void {
    if (!this.watching(node)) return;
    const pods = this.cluster.pods;
    for (const pod of this.cluster.podsOn(node)) {
      if (pods.deletionUs[pod] >= 0) {
        if (this.containers[pod] !== STOPPING) this.stop(pod);
      } else if (this.containers[pod] === NONE) {
        if (pods.phase[pod] === PodPhase.Scheduled) this.admitAndStart(pod);
        else if (this.restartNever[pods.template[pod]] === 1) this.cluster.endPod(pod, this.nodeFailure);
        else this.restart(pod);
      } else if (this.containers[pod] === RUNNING && pods.ready[pod] === 0 && this.prober.ready(pod)) {
        this.reportReady(pod);
      }
    }
  }

  // -------------------------------------------------------------------------
  // Pods

  private ensure(pod: number): void {
    if (pod < this.timer.length) return;
    const n = nextCapacity(this.timer.length, pod + 1);
    this.timer = grown(this.timer, n).fill(-1, this.timer.length);
    this.containers = grown(this.containers, n);
  }

  private bound(pod: number): void {
    this.ensure(pod);
    if (this.watching(this.cluster.pods.node[pod])) this.admitAndStart(pod);
  }

  private admitAndStart(pod: number): void {
    const reason = this.parts.admission.admit(pod, this.cluster.pods.node[pod]);
    if (reason !== "") {
      this.rejected++;
      this.cluster.endPod(pod, this.cluster.outcomes.id(reason));
      return;
    }
    this.start(pod);
  }

  private start(pod: number): void {
    this.prober.podSynced(pod);
    this.containers[pod] = STARTING;
    // A cluster export's pod (run/adoptedPods.ts) was running when the export was taken: no start-up.
    if (this.cluster.adoptingRunning) return this.started(pod);
    if (this.runtime) return this.runtime.start(pod);
    this.timer[pod] = this.sim.timer(this.startup.sample(this.startupStream) * US_PER_S, this.hStarted, pod);
  }

  private restart(pod: number, counted = true): void {
    // Started first: a listener of the restart (the Job controller) may delete the pod.
    this.start(pod);
    if (!counted) return;
    this.restarts++;
    this.cluster.podRestarting(pod);
    this.parts.status?.update(pod);
  }

  private started(pod: number): void {
    this.timer[pod] = -1;
    this.containers[pod] = RUNNING;
    this.prober.containerStarted(pod);
    const template = this.cluster.pods.template[pod];
    const run = this.runTime[template];
    const life = this.cluster.lifetimeUs[pod];
    if (run) {
      // A Job's container: it runs, then exits zero or not.
      const runUs = run.sample(this.runStream) * US_PER_S;
      const fails = this.runStream.next() < this.failureProbability[template];
      this.timer[pod] = this.sim.timer(runUs, this.hFinished, pod, fails ? this.errorOutcome : this.completed);
    } else if (life >= 0) {
      // A bare Pod's lifetime is its activeDeadlineSeconds; an arrival's is its work.
      const outcome = this.cluster.pods.owner[pod] < 0 ? this.deadlineExceeded : this.completed;
      this.timer[pod] = this.sim.timer(life, this.hFinished, pod, outcome);
    }
    // Without readiness or startup probes the pod is Ready once its containers run.
    const ready = !this.prober.gatesReadiness(pod);
    if (this.cluster.pods.phase[pod] === PodPhase.Scheduled) {
      this.cluster.podRunning(pod, ready);
      this.parts.status?.running(pod);
    } else {
      this.cluster.setPodReady(pod, ready);
      this.parts.status?.update(pod);
    }
  }

  private finished(pod: number, outcome: number): void {
    this.timer[pod] = -1;
    if (outcome === this.errorOutcome && this.restartOnFailure[this.cluster.pods.template[pod]] === 1) {
      // restartPolicy OnFailure: the container is restarted in place after CrashLoopBackOff.
      // The back-off is set first: a listener of the restart (the Job controller) may delete the pod.
      const backoffUs = Math.min(CRASH_LOOP_BACKOFF_START_US * 2 ** this.cluster.pods.restarts[pod], CRASH_LOOP_BACKOFF_MAX_US);
      this.containers[pod] = STARTING;
      this.timer[pod] = this.sim.timer(backoffUs, this.hCrashLoopOver, pod);
      this.restarts++;
      this.cluster.podRestarting(pod);
      this.parts.status?.update(pod);
      return;
    }
    this.containers[pod] = NONE;
    this.cluster.endPod(pod, outcome);
  }

  private deleting(pod: number): void {
    if (this.watching(this.cluster.pods.node[pod])) this.stop(pod);
  }

  /** Graceful stop: containers that run get SIGTERM and up to the grace period; none running: confirm now. */
  private stop(pod: number): void {
    this.cancelTimer(pod);
    if (this.containers[pod] === NONE) return this.confirmDeletion(pod);
    this.containers[pod] = STOPPING;
    const graceUs = this.graceUs[this.cluster.pods.template[pod]];
    const stopUs = this.stopTime ? Math.min(graceUs, this.stopTime.sample(this.stopStream) * US_PER_S) : graceUs;
    this.timer[pod] = this.sim.timer(stopUs, this.hStopped, pod);
  }

  /** The containers are gone: the kubelet's final delete (grace 0) removes the pod. */
  private confirmDeletion(pod: number): void {
    this.timer[pod] = -1;
    this.containers[pod] = NONE;
    const phase = this.cluster.pods.phase[pod];
    if (phase === PodPhase.Succeeded || phase === PodPhase.Failed) return;
    this.cluster.endPod(pod, this.cluster.deletionOutcomeOf(pod));
  }

  /** The status manager writes Ready=True for a running pod the API holds as not ready. */
  private reportReady(pod: number): void {
    const node = this.cluster.pods.node[pod];
    if (this.containers[pod] !== RUNNING || this.cluster.pods.ready[pod] === 1 || !this.watching(node)) return;
    this.parts.api.send(node, Verb.Patch, Resource.PodStatus, pod, this.hReadyAnswer);
  }

  /** A failed write is sent again at the status manager's next sync (syncPeriod 10 s). */
  private readyAnswered(pod: number, status: number): void {
    if (isSuccess(status)) {
      if (this.containers[pod] === RUNNING && this.prober.ready(pod)) this.cluster.setPodReady(pod, true);
    } else {
      this.sim.schedule(KUBELET_STATUS_RETRY_US, this.hReadyRetry, pod);
    }
  }

  private killContainers(pod: number): void {
    this.ensure(pod);
    this.cancelTimer(pod);
    this.containers[pod] = NONE;
    this.prober.containerStopped(pod);
  }

  private cancelTimer(pod: number): void {
    this.runtime?.cancel(pod);
    if (this.timer[pod] >= 0) {
      this.sim.cancel(this.timer[pod]);
      this.timer[pod] = -1;
    }
  }

  /** Any end (finished, deleted, rejected, force-deleted): no event of the pod may follow. */
  private ended(pod: number): void {
    this.ensure(pod);
    this.cancelTimer(pod);
    this.containers[pod] = NONE;
    this.prober.podEnded(pod);
    this.parts.status?.ended(pod);
  }

  // -------------------------------------------------------------------------
  // Probes (probes/prober.ts): Ready from readiness and startup probes, restarts from liveness

  /** The probes changed the pod's Ready condition: a pod status write (SetContainerReadiness). */
  private probeReady(pod: number, ready: boolean): void {
    if (this.cluster.pods.phase[pod] !== PodPhase.Running || (this.cluster.pods.ready[pod] === 1) === ready) return;
    if (!this.watching(this.cluster.pods.node[pod])) return; // cut off: the sync after reconnecting reports it
    this.cluster.setPodReady(pod, ready);
    this.parts.status?.update(pod);
  }

  /**
   * A failed liveness or startup probe: the container gets SIGTERM and its grace period
   * (kuberuntime setTerminationGracePeriod: the probe's terminationGracePeriodSeconds when
   * set, else the pod's; killContainer waits at least minimumGracePeriodInSeconds, 2 s).
   */
  private probeKill(pod: number, type: ProbeType, container: string, probeGraceS: number): void {
    // kuberuntime computePodActions' message, as the kubelet's Killing event carries it.
    const restarts = this.restartNever[this.cluster.pods.template[pod]] === 0 ? ", will be restarted" : "";
    const pods = this.cluster.pods;
    this.cluster.events.add(this.sim.now, "Killing", `pod/${pods.namespaces[pod]}/${pods.names[pod]}`, `Container ${container} failed ${type === ProbeType.Startup ? "startup" : "liveness"} probe${restarts}`);
    this.cancelTimer(pod);
    this.containers[pod] = KILLING;
    this.prober.containerStopped(pod);
    this.probeReady(pod, false);
    const graceUs = Math.max(probeGraceS >= 0 ? probeGraceS * US_PER_S : this.graceUs[this.cluster.pods.template[pod]], MINIMUM_KILL_GRACE_US);
    const stopUs = this.stopTime ? Math.min(graceUs, this.stopTime.sample(this.stopStream) * US_PER_S) : graceUs;
    this.timer[pod] = this.sim.timer(stopUs, this.hProbeKilled, pod);
  }

  /** The killed container exited: restartPolicy Never fails the pod; otherwise it starts again after CrashLoopBackOff. */
  private probeKilled(pod: number): void {
    this.timer[pod] = -1;
    if (this.restartNever[this.cluster.pods.template[pod]] === 1) {
      this.containers[pod] = NONE;
      this.cluster.endPod(pod, this.errorOutcome);
      return;
    }
    const delayUs = this.probeBackOff.restartDelayUs(pod, this.sim.now);
    if (delayUs === 0) return this.restart(pod);
    // In CrashLoopBackOff: the restart is counted now, the container starts when it is over.
    // The back-off is set first: a listener of the restart (the Job controller) may delete the pod.
    this.containers[pod] = STARTING;
    this.timer[pod] = this.sim.timer(delayUs, this.hProbeBackOffOver, pod);
    this.restarts++;
    this.cluster.podRestarting(pod);
    this.parts.status?.update(pod);
  }
}
