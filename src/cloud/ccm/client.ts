/**
 * What a cloud-controller-manager controller needs of its API client (the run gives it
 * one of kube-controller-manager's ControllerClient: own token bucket, acting while the
 * lease is held).
 */
import type { Resource, Verb } from "../../apiserver/verbs.js";

export interface CloudClient {
  /** Whether the controller's process leads (holds the lease). */
  readonly leading: boolean;
  onLeaderChange(listener: (leading: boolean) => void): void;
  /** Send after the client's rate limiter; `doneHandler(token, status)` gets the answer. */
  send(verb: Verb, resource: Resource, token: number, doneHandler: number): void;
}
