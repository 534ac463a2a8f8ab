/**
 * Watches: a committed write reaches every watcher of its resource after a delivery
 * delay (etcd watch -> the API server's watch cache -> the client's informer).
 *
 * Upstream: kube-apiserver keeps one etcd watch per resource and fans its events out
 * to the clients' watches from the watch cache (k8s.io/apiserver pkg/storage/cacher,
 * cacher.go), which also answers reads with resourceVersion="0" (see kubeApi.ts).
 * kubesim draws one delivery delay per watcher and event from `watchDeliveryMs`
 * ("apiserver.watch" stream), in watch registration order.
 */
import { distribution, type Distribution, type DistributionSpec } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { US_PER_MS, type Simulation } from "../engine/simulation.js";
import { RESOURCE_NAMES, type Resource } from "./verbs.js";

export class WatchCache {
  /** Per resource code: handler ids run with (key, revision). */
  private readonly watchers: number[][] = RESOURCE_NAMES.map(() => []);
  private readonly delivery: Distribution;
  private readonly rng: RandomStream;

  constructor(
    private readonly sim: Simulation,
    deliveryMs: DistributionSpec,
  ) {
    this.delivery = distribution(deliveryMs);
    this.rng = sim.rng.stream("apiserver.watch");
  }

  /** Run `handler(key, revision)` for every committed write to `resource`, after the delivery delay. */
  watch(resource: Resource, handler: number): void {
    this.watchers[resource].push(handler);
  }

  /** A write to `resource` committed at `revision` (`key` -1: no stored object). */
  committed(resource: Resource, key: number, revision: number): void {
    const ws = this.watchers[resource];
    for (let i = 0; i < ws.length; i++) {
      const d = this.delivery.sample(this.rng);
      this.sim.schedule(d > 0 ? d * US_PER_MS : 0, ws[i], key, revision);
    }
  }
}
