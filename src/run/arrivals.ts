/**
 * PoissonArrivals: a user submitting pods as a Poisson process drawn from the stream
 * `arrivals.<name>`, each with a lifetime from `lifetime.<name>`, so a variant of a
 * scenario (another scheduler, more nodes) sees the very same arrivals (common random
 * numbers). The rate is constant (exponential inter-arrival times) or changes over time
 * (engine/rateCurve.ts: sampled exactly by thinning, on the same stream).
 */
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import { nextEventUs, type RateCurve } from "../engine/rateCurve.js";
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { podNameSuffix } from "../apiserver/generateName.js";
import type { ArrivalSpec } from "./spec.js";
import type { UserClient } from "./userClient.js";

interface Generator {
  owner: number;
  created: number;
  arrivals: RandomStream;
  lifetimes: RandomStream;
  lifetime: Distribution;
  rate: RateCurve;
}

export class ArrivalGenerators {
  private readonly arriveId: number;
  private readonly generators: Generator[];

  constructor(
    private readonly sim: Simulation,
    cluster: ClusterState,
    private readonly specs: readonly ArrivalSpec[],
    private readonly user: UserClient,
  ) {
    this.arriveId = sim.on("arrivals.arrive", (g) => this.arrive(g));
    this.generators = specs.map((a) => ({
      owner: cluster.addOwner(`PoissonArrivals/${a.namespace}/${a.name}`),
      created: 0,
      arrivals: sim.rng.stream(`arrivals.${a.name}`),
      lifetimes: sim.rng.stream(`lifetime.${a.name}`),
      lifetime: distribution(a.lifetime),
      rate: a.rate ?? { type: "constant", meanIntervalUs: a.meanInterarrivalUs },
    }));
  }

  start(): void {
    this.specs.forEach((a, g) => this.scheduleNext(g, a.startUs));
  }

  private scheduleNext(g: number, fromUs: number): void {
    const a = this.specs[g];
    const t = nextEventUs(this.generators[g].rate, this.generators[g].arrivals, fromUs, a.stopUs);
    if (t >= 0) this.sim.scheduleAt(t, this.arriveId, g);
  }

  private arrive(g: number): void {
    const a = this.specs[g];
    const gen = this.generators[g];
    const lifetimeUs = Math.max(0, Math.round(gen.lifetime.sample(gen.lifetimes) * US_PER_S));
    this.user.createPod(`${a.name}-${podNameSuffix(gen.created++)}`, a.namespace, a.template, gen.owner, lifetimeUs);
    this.scheduleNext(g, this.sim.now);
  }
}
