/**
 * The kubelets of the run's nodes: one model for all of them, since a kubelet's state
 * is the rows of the pods bound to its node.
 *
 * - A pod bound to the node is started: after the container runtime's start-up time
 *   (sandbox, image pulls, container starts, drawn as one delay from `podStartupDelay`,
 *   stream "kubelet.podStartup") it is Running.
 * - A Running pod with a lifetime ends when it is over: Succeeded ("completed") for the
 *   work of an arrival, Failed ("deadline-exceeded") for a bare Pod's
 *   activeDeadlineSeconds (simplification: counted from Running, not from
 *   status.startTime, which comes slightly earlier).
 * - With a control plane, each change is reported to the API server (PodStatusReporter).
 *
 * Simplifications (README "Model fidelity"): no node registration, no kubelet admission,
 * no graceful termination; a failed node's pods end at once (the node lifecycle
 * controller's grace periods and taint-based eviction are not modelled yet).
 */
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { OUTCOME_COMPLETED, OUTCOME_DEADLINE_EXCEEDED, type ClusterState } from "../apiserver/clusterState.js";
import { grown, nextCapacity } from "../engine/columns.js";
import type { DistributionSpec } from "../engine/distribution.js";
import type { PodStatusReporter } from "./podStatus.js";

export class Kubelets {
  /** Per pod: its pending start or end event, -1 for none, so a deleted pod's timer is cancelled. */
  private timer = new Float64Array(0);
  private readonly startup: Distribution;
  private readonly startupStream: RandomStream;
  private readonly startedId: number;
  private readonly endId: number;
  private readonly completed: number;
  private readonly deadlineExceeded: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    podStartupDelay: DistributionSpec,
    /** Reports pod status to the API server; undefined without a control plane. */
    private readonly status: PodStatusReporter | undefined,
  ) {
    this.startup = distribution(podStartupDelay);
    this.startupStream = sim.rng.stream("kubelet.podStartup");
    this.startedId = sim.on("kubelet.podStarted", (pod) => this.started(pod));
    this.endId = sim.on("kubelet.podFinished", (pod, outcome) => this.finished(pod, outcome));
    this.completed = cluster.outcomes.id(OUTCOME_COMPLETED);
    this.deadlineExceeded = cluster.outcomes.id(OUTCOME_DEADLINE_EXCEEDED);
    cluster.onPodBound.push((pod) => this.bound(pod));
    cluster.onPodEnded.push((pod) => this.ended(pod));
  }

  private bound(pod: number): void {
    if (pod >= this.timer.length) this.timer = grown(this.timer, nextCapacity(this.timer.length, pod + 1)).fill(-1, this.timer.length);
    this.timer[pod] = this.sim.timer(this.startup.sample(this.startupStream) * US_PER_S, this.startedId, pod);
  }

  private started(pod: number): void {
    this.timer[pod] = -1;
    const life = this.cluster.lifetimeUs[pod];
    if (life >= 0) {
      // A bare Pod's lifetime is its activeDeadlineSeconds; an arrival's is its work.
      const outcome = this.cluster.pods.owner[pod] < 0 ? this.deadlineExceeded : this.completed;
      this.timer[pod] = this.sim.timer(life, this.endId, pod, outcome);
    }
    this.cluster.podRunning(pod);
    this.status?.running(pod);
  }

  private finished(pod: number, outcome: number): void {
    this.timer[pod] = -1;
    this.cluster.endPod(pod, outcome);
  }

  /** Any end (finished, deleted, lost with its node): no start or end event may follow. */
  private ended(pod: number): void {
    if (pod < this.timer.length && this.timer[pod] >= 0) {
      this.sim.cancel(this.timer[pod]);
      this.timer[pod] = -1;
    }
    this.status?.ended(pod);
  }
}
