/**
 * The Deployment's ReplicaSet controller, reduced to what the skeleton needs: each
 * Deployment creates spec.replicas pods at the start, and a replacement for every pod
 * of its that ends or is lost. Simplifications (README "Model fidelity"): the
 * controller reacts in zero virtual time (no watch delay, no expectations, no
 * slow-start batches, no rollout); one ReplicaSet per Deployment.
 */
import type { Cluster } from "./cluster.js";
import { podNameSuffix } from "./names.js";

export class ReplicaSetController {
  /** Owner id -> Deployment index; -1 for owners that are not Deployments. */
  private readonly deploymentOf: number[] = [];
  private readonly ownerOf: number[] = [];
  private readonly created: number[] = [];

  constructor(private readonly cluster: Cluster) {
    for (const d of cluster.spec.deployments) {
      const owner = cluster.addOwner(`Deployment/${d.namespace}/${d.name}`);
      this.deploymentOf[owner] = this.ownerOf.length;
      this.ownerOf.push(owner);
      this.created.push(0);
    }
    cluster.onPodEnded.push((pod) => this.podEnded(pod));
  }

  /** Create every Deployment's replicas (at the start of the run). */
  start(): void {
    this.cluster.spec.deployments.forEach((d, i) => {
      for (let r = 0; r < d.replicas; r++) this.createReplica(i);
    });
  }

  private podEnded(pod: number): void {
    const d = this.deploymentOf[this.cluster.pods.owner[pod]];
    if (d !== undefined && d >= 0) this.createReplica(d);
  }

  private createReplica(d: number): void {
    const spec = this.cluster.spec.deployments[d];
    const name = `${spec.name}-${spec.templateHash}-${podNameSuffix(this.created[d]++)}`;
    this.cluster.createPod(name, spec.namespace, spec.template, this.ownerOf[d], -1);
  }
}
