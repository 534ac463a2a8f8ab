/**
 * The Deployment's ReplicaSet controller, reduced to what the skeleton needs: each
 * Deployment creates spec.replicas pods at the start, and a replacement for every pod
 * of its that ends or is lost. Simplifications (README "Model fidelity"): the
 * controller reacts in zero virtual time (no watch delay, no expectations, no
 * slow-start batches, no rollout); one ReplicaSet per Deployment. With a control plane
 * the creates are API requests of kube-controller-manager (podApiClients.ts): a pod
 * exists once its create succeeded.
 */
import { PodPhase } from "../model/podTable.js";
import type { Cluster } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";

export class ReplicaSetController {
  /** Owner id -> Deployment index; -1 for owners that are not Deployments. */
  private readonly deploymentOf: number[] = [];
  private readonly ownerOf: number[] = [];
  private readonly created: number[] = [];
  /** Per Deployment: pods Running now. */
  private readonly running: number[] = [];
  /** Per Deployment: since when fewer than spec.replicas pods run (us), -1 when all do or never did. */
  private readonly unavailableSinceUs: number[] = [];
  private readonly everAvailable: boolean[] = [];
  /** Longest time any Deployment spent below its replica count after first reaching it (us). */
  maxUnavailableUs = 0;

  constructor(private readonly cluster: Cluster) {
    for (const d of cluster.spec.deployments) {
      const owner = cluster.addOwner(`Deployment/${d.namespace}/${d.name}`);
      this.deploymentOf[owner] = this.ownerOf.length;
      this.ownerOf.push(owner);
      this.created.push(0);
      this.running.push(0);
      this.unavailableSinceUs.push(-1);
      this.everAvailable.push(false);
    }
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
    cluster.onPodRunning.push((pod) => this.podRunning(pod));
  }

  /** Create every Deployment's replicas (at the start of the run). */
  start(): void {
    this.cluster.spec.deployments.forEach((d, i) => {
      for (let r = 0; r < d.replicas; r++) this.createReplica(i);
    });
  }

  private podEnded(pod: number): void {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d === undefined || d < 0) return;
    if (this.cluster.endedPhase === PodPhase.Running) {
      this.running[d]--;
      if (this.everAvailable[d] && this.unavailableSinceUs[d] < 0) {
        this.unavailableSinceUs[d] = this.cluster.sim.now;
        const spec = this.cluster.spec.deployments[d];
        this.cluster.events.add(this.cluster.sim.now, "ReplicasUnavailable", `deployment/${spec.namespace}/${spec.name}`, `fewer than ${spec.replicas} replicas Running`);
      }
    }
    this.createReplica(d);
  }

  /**
   * Events when a Deployment first falls below its replica count and when all its
   * replicas run again (how long the loss lasted); the initial ramp-up is not logged.
   */
  private podRunning(pod: number): void {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d === undefined || d < 0) return;
    const spec = this.cluster.spec.deployments[d];
    if (++this.running[d] < spec.replicas) return;
    this.everAvailable[d] = true;
    const since = this.unavailableSinceUs[d];
    if (since < 0) return;
    const lastedUs = this.cluster.sim.now - since;
    this.maxUnavailableUs = Math.max(this.maxUnavailableUs, lastedUs);
    this.unavailableSinceUs[d] = -1;
    this.cluster.events.add(this.cluster.sim.now, "ReplicasAvailable", `deployment/${spec.namespace}/${spec.name}`, `all ${spec.replicas} replicas Running again after ${(lastedUs / 1e6).toFixed(3)} s`);
  }

  private createReplica(d: number): void {
    const spec = this.cluster.spec.deployments[d];
    const name = `${spec.name}-${spec.templateHash}-${podNameSuffix(this.created[d]++)}`;
    const api = this.cluster.podApi;
    if (api) api.createByController(d, name, spec.namespace, spec.template, this.ownerOf[d], -1);
    else this.cluster.createPod(name, spec.namespace, spec.template, this.ownerOf[d], -1);
  }
}
