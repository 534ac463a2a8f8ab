/**
 * A kube-controller-manager controller's API client. Each controller gets its own
 * clientset (ControllerContext.ClientBuilder.ClientOrDie("<controller>")) and so its own
 * client-side token bucket (--kube-api-qps 20, --kube-api-burst 30). Requests go to the
 * API server on the host of the instance holding the kube-controller-manager lease
 * (kubeadm's LocalAPIEndpoint); without a control plane, to the fixed-latency API.
 *
 * The controller acts only while some instance holds the lease: `leading` says so, and
 * `onLeaderChange` tells the controller when a new instance took over (it starts from a
 * fresh informer cache) or when nobody leads. A request whose turn comes while nobody
 * leads is answered with ConnectionFailed: the process that decided it has stopped.
 */
import type { Simulation } from "../engine/simulation.js";
import type { ApiPort } from "../apiserver/apiPort.js";
import { Status, type Resource, type Verb } from "../apiserver/verbs.js";
import type { LeaderElection } from "../client/leaderElection.js";
import { TokenBucket } from "../client/tokenBucket.js";
import { KCM_CLIENT_BURST, KCM_CLIENT_QPS } from "./podCreates.js";

export interface ControllerClientOptions {
  /** --kube-api-qps / --kube-api-burst of kube-controller-manager. */
  qps?: number;
  burst?: number;
}

export class ControllerClient {
  private readonly limiter: TokenBucket;
  // Requests waiting for their token, in order (reserve times never decrease).
  private readonly qVerb: number[] = [];
  private readonly qResource: number[] = [];
  private readonly qToken: number[] = [];
  private readonly qHandler: number[] = [];
  private qHead = 0;
  private readonly fireId: number;
  private readonly opts = { server: -1 };
  private readonly leaderListeners: ((leading: boolean) => void)[] = [];
  /** Requests sent (after the rate limiter). */
  sent = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiPort,
    /** The leader election of the controller's process (kube-controller-manager's, or the
     *  cloud-controller-manager's); undefined without a control plane (always leading). */
    private readonly lease: LeaderElection | undefined,
    name: string,
    options: ControllerClientOptions = {},
  ) {
    this.limiter = new TokenBucket(options.qps ?? KCM_CLIENT_QPS, options.burst ?? KCM_CLIENT_BURST, sim.now);
    this.fireId = sim.on(`${name}.clientSend`, () => this.fire());
    lease?.listeners.push(() => {
      const leading = this.leading;
      for (const l of this.leaderListeners) l(leading);
    });
  }

  /** Whether some kube-controller-manager instance holds the lease (always, without a control plane). */
  get leading(): boolean {
    return this.lease === undefined || this.lease.leader() >= 0;
  }

  /** Called on every leadership change: `leading` true when an instance (maybe a new one) leads. */
  onLeaderChange(listener: (leading: boolean) => void): void {
    this.leaderListeners.push(listener);
  }

  /** Send after the client rate limiter; `doneHandler(token, status)` gets the answer. */
  send(verb: Verb, resource: Resource, token: number, doneHandler: number): void {
    this.qVerb.push(verb);
    this.qResource.push(resource);
    this.qToken.push(token);
    this.qHandler.push(doneHandler);
    this.sim.scheduleAt(this.limiter.reserve(this.sim.now), this.fireId);
  }

  private fire(): void {
    const i = this.qHead++;
    const verb = this.qVerb[i];
    const resource = this.qResource[i];
    const token = this.qToken[i];
    const handler = this.qHandler[i];
    if (this.qHead > 1024 && this.qHead * 2 > this.qVerb.length) this.compact();
    if (!this.leading) {
      this.sim.schedule(0, handler, token, Status.ConnectionFailed);
      return;
    }
    this.sent++;
    this.opts.server = this.lease ? this.lease.leader() : -1;
    this.api.send(verb as Verb, resource as Resource, token, handler, this.lease ? this.opts : undefined);
  }

  private compact(): void {
    for (const q of [this.qVerb, this.qResource, this.qToken, this.qHandler]) q.splice(0, this.qHead);
    this.qHead = 0;
  }
}
