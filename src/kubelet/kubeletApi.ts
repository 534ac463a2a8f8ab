/**
 * The kubelets' connection to the API servers. A node cut off from the control plane
 * (a partition, its zone lost) sends its requests into the void: each one fails when the
 * client gives up. The kubelet's heartbeat client times out after
 * nodeStatusUpdateFrequency (pkg/kubelet: heartbeat client Timeout = 10 s); kubesim uses
 * that timeout for every kubelet request (simplification).
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ApiPort } from "../apiserver/apiPort.js";
import type { RequestOptions } from "../apiserver/kubeApi.js";
import { Status, type Resource, type Verb } from "../apiserver/verbs.js";

/** KubeletConfiguration nodeStatusUpdateFrequency default (10 s): the heartbeat client's timeout. */
export const KUBELET_REQUEST_TIMEOUT_US = 10 * US_PER_S;

export class KubeletApi {
  /** Per node: 1 while cut off from the control plane. Nodes past the end (synthetic kubelets) are never cut off. */
  cutOff: Uint8Array;
  requests = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiPort,
    nodeCount: number,
  ) {
    this.cutOff = new Uint8Array(nodeCount);
  }

  connected(node: number): boolean {
    return node >= this.cutOff.length || this.cutOff[node] === 0;
  }

  send(node: number, verb: Verb, resource: Resource, token: number, doneHandler: number, opts?: RequestOptions): void {
    this.requests++;
    if (this.connected(node)) this.api.send(verb, resource, token, doneHandler, opts);
    else this.sim.schedule(KUBELET_REQUEST_TIMEOUT_US, doneHandler, token, Status.ConnectionFailed);
  }
}
