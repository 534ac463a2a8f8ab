/**
 * What a component holds to talk to the API server: `send` a request and get
 * `doneHandler(token, status)` back later. With a control plane this is KubeApi (load
 * balancer, inflight seats, etcd); without one it is FixedLatencyApi, so that the same
 * kubelets and controllers run in every scenario and only the API's timing differs.
 */
import type { Simulation } from "../engine/simulation.js";
import type { RequestOptions } from "./kubeApi.js";
import { Status, Verb, type Resource } from "./verbs.js";

export interface ApiPort {
  send(verb: Verb, resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void;
}

/**
 * The API without a control plane: every request succeeds after a fixed latency
 * (simplification, README "Model fidelity": no etcd, no inflight limits, no errors).
 */
export class FixedLatencyApi implements ApiPort {
  requests = 0;
  /** NamespaceLifecycle admission for creates (set by the run): 0 to admit, else the refusal's status. */
  admitCreate: (namespace: number) => number = () => 0;
  constructor(
    private readonly sim: Simulation,
    readonly latencyUs: number,
  ) {}

  send(verb: Verb, _resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void {
    this.requests++;
    const refused = verb === Verb.Create && opts?.namespace !== undefined && opts.namespace >= 0 ? this.admitCreate(opts.namespace) : 0;
    this.sim.schedule(this.latencyUs, doneHandler, token, refused !== 0 ? refused : verb === Verb.Create ? Status.Created : Status.OK);
  }
}
