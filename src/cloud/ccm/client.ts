/**
 * What a cloud-controller-manager controller needs of its API client (the run gives it
 * a ControllerClient on the CCM's own lease, kube-system/cloud-controller-manager: its own
 * token bucket at the CCM's --kube-api-qps/--kube-api-burst, acting while some CCM
 * instance holds that lease).
 */
import type { Resource, Verb } from "../../apiserver/verbs.js";

export interface CloudClient {
  /** Whether the controller's process leads (holds the lease). */
  readonly leading: boolean;
  onLeaderChange(listener: (leading: boolean) => void): void;
  /** Send after the client's rate limiter; `doneHandler(token, status)` gets the answer. */
  send(verb: Verb, resource: Resource, token: number, doneHandler: number): void;
}
