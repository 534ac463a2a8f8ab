/**
 * Poisson arrivals of pods: exponential inter-arrival times from the stream
 * `arrivals.<name>`, lifetimes from `lifetime.<name>`, so a variant of a scenario
 * (another scheduler, more nodes) sees the very same arrivals (common random numbers).
 */
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import type { Cluster } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";

interface Generator {
  owner: number;
  created: number;
  arrivals: RandomStream;
  lifetimes: RandomStream;
  lifetime: Distribution;
}

export class ArrivalGenerators {
  private readonly arriveId: number;
  private readonly generators: Generator[];

  constructor(private readonly cluster: Cluster) {
    const rng = cluster.sim.rng;
    this.arriveId = cluster.sim.on("arrivals.arrive", (g) => this.arrive(g));
    this.generators = cluster.spec.arrivals.map((a) => ({
      owner: cluster.addOwner(`PoissonArrivals/${a.namespace}/${a.name}`),
      created: 0,
      arrivals: rng.stream(`arrivals.${a.name}`),
      lifetimes: rng.stream(`lifetime.${a.name}`),
      lifetime: distribution(a.lifetime),
    }));
  }

  start(): void {
    this.cluster.spec.arrivals.forEach((a, g) => this.scheduleNext(g, a.startUs));
  }

  private scheduleNext(g: number, fromUs: number): void {
    const a = this.cluster.spec.arrivals[g];
    const t = Math.round(fromUs + this.generators[g].arrivals.exponential(a.meanInterarrivalUs));
    if (t <= a.stopUs) this.cluster.sim.scheduleAt(t, this.arriveId, g);
  }

  private arrive(g: number): void {
    const a = this.cluster.spec.arrivals[g];
    const gen = this.generators[g];
    const lifetimeUs = Math.max(0, Math.round(gen.lifetime.sample(gen.lifetimes) * 1e6));
    const name = `${a.name}-${podNameSuffix(gen.created++)}`;
    // With a control plane the create is a user client's API request (podApiClients.ts).
    const api = this.cluster.podApi;
    if (api) api.createByUser(name, a.namespace, a.template, gen.owner, lifetimeUs);
    else this.cluster.createPod(name, a.namespace, a.template, gen.owner, lifetimeUs);
    this.scheduleNext(g, this.cluster.sim.now);
  }
}
