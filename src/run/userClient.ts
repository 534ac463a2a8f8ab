/**
 * The scenario's users: the client that creates the bare Pods and the pods of
 * PoissonArrivals (kubectl, a CI system, a batch submitter). Without a control plane a
 * pod exists at once; with one, its create is an API request through the load balancer
 * and the pod exists (enters the scheduler's queue, is a row of pods.csv with
 * created_s = now) only when the create succeeded. A failed create is sent again after
 * USER_CREATE_RETRY_US (kubesim's choice, not a client-go behaviour). A create refused by
 * the NamespaceLifecycle admission plugin (the namespace is Terminating: 403; gone: 404)
 * is not retried: the user sees the error (counted in `refused`). Without a control
 * plane the refusal is at once.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { KubeApi } from "../apiserver/kubeApi.js";
import { Resource, Status, Verb, isSuccess } from "../apiserver/verbs.js";

/** A user client's create that failed is sent again after 1 s. [kubesim choice] */
export const USER_CREATE_RETRY_US = 1 * US_PER_S;

export class UserClient {
  // Creates not yet succeeded, by slot (freed when the create succeeded).
  private readonly name: string[] = [];
  private readonly namespace: string[] = [];
  private readonly template: number[] = [];
  private readonly owner: number[] = [];
  private readonly lifetimeUs: number[] = [];
  private readonly freeSlots: number[] = [];
  private readonly answeredId: number;
  private readonly retryId: number;
  /** Answers of `create pods` that were not 2xx. */
  failures = 0;
  /** Creates refused by NamespaceLifecycle admission (with a control plane, also counted in failures). */
  refused = 0;
  private readonly opts = { namespace: -1 }; // KubeApi.send copies it

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    /** The API, when the run has a control plane; undefined: pods are created at once. */
    private readonly api: KubeApi | undefined,
  ) {
    this.answeredId = sim.on("user.createAnswered", (slot, status) => this.answered(slot, status));
    this.retryId = sim.on("user.createRetry", (slot) => this.send(slot));
  }

  /** Create a pod; `lifetimeUs` counts from Running (-1 = until the end of the run). */
  createPod(name: string, namespace: string, template: number, owner: number, lifetimeUs: number): void {
    if (!this.api) {
      if (this.cluster.namespaces.admitCreate(this.cluster.namespaces.id(namespace)) === 0) this.cluster.createPod(name, namespace, template, owner, lifetimeUs);
      else this.refused++;
      return;
    }
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.name.length;
    this.name[slot] = name;
    this.namespace[slot] = namespace;
    this.template[slot] = template;
    this.owner[slot] = owner;
    this.lifetimeUs[slot] = lifetimeUs;
    this.send(slot);
  }

  /** Creates still to be answered or retried. */
  get pending(): number {
    return this.name.length - this.freeSlots.length;
  }

  private send(slot: number): void {
    this.opts.namespace = this.cluster.namespaces.id(this.namespace[slot]);
    this.api!.send(Verb.Create, Resource.Pod, slot, this.answeredId, this.opts);
  }

  private answered(slot: number, status: number): void {
    if (status === Status.Forbidden || status === Status.NotFound) {
      this.failures++;
      this.refused++;
      this.freeSlots.push(slot);
      return;
    }
    if (!isSuccess(status)) {
      this.failures++;
      this.sim.schedule(USER_CREATE_RETRY_US, this.retryId, slot);
      return;
    }
    this.freeSlots.push(slot);
    this.cluster.createPod(this.name[slot], this.namespace[slot], this.template[slot], this.owner[slot], this.lifetimeUs[slot]);
  }
}
