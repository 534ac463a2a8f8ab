/**
 * The kubelet's status manager, as API requests (with a control plane): `patch
 * pods/status` through the load balancer when a pod becomes Running, when its containers
 * restart or run again, and when it ends (not for a pod deleted before it was bound, nor
 * for one that failed with its crashed node: no kubelet runs it). Updates do not gate the
 * pod's lifecycle. A failed update is sent once more after KUBELET_STATUS_RETRY_US
 * (simplification of the status manager, which retries on its next periodic sync; the
 * Ready-again write after a reconnection is retried until it lands, kubelet.ts).
 */
import { PodPhase } from "../model/podTable.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { OUTCOME_NODE_FAILURE, type ClusterState } from "../apiserver/clusterState.js";
import type { KubeletApi } from "./kubeletApi.js";
import { Resource, Verb, isSuccess } from "../apiserver/verbs.js";

/**
 * A failed status update is sent once more, 10 s later: the status manager retries on
 * its next periodic sync (pkg/kubelet/status/status_manager.go syncPeriod = 10 s).
 */
export const KUBELET_STATUS_RETRY_US = 10 * US_PER_S;

/** In the request's token: pod x 2, + 1 on the retry. */
const RETRY_BIT = 1;

export class PodStatusReporter {
  updates = 0;
  failures = 0;
  private readonly answerId: number;
  private readonly retryId: number;
  private readonly lost: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly api: KubeletApi,
  ) {
    this.answerId = sim.on("kubelet.statusAnswered", (token, status) => this.answered(token, status));
    this.retryId = sim.on("kubelet.statusRetry", (token) => this.send(token));
    this.lost = cluster.outcomes.id(OUTCOME_NODE_FAILURE);
  }

  running(pod: number): void {
    this.send(pod * 2);
  }

  /** A change of the pod's status other than Running and ended (Ready after a restart). */
  update(pod: number): void {
    this.send(pod * 2);
  }

  ended(pod: number): void {
    if (this.cluster.endedPhase === PodPhase.Pending || this.cluster.pods.outcome[pod] === this.lost) return;
    this.send(pod * 2);
  }

  private send(token: number): void {
    this.updates++;
    const node = this.cluster.pods.node[token >> 1];
    this.api.send(node, Verb.Patch, Resource.PodStatus, token, this.answerId);
  }

  private answered(token: number, status: number): void {
    if (isSuccess(status)) return;
    this.failures++;
    if ((token & RETRY_BIT) === 0) this.sim.schedule(KUBELET_STATUS_RETRY_US, this.retryId, token + RETRY_BIT);
  }
}
