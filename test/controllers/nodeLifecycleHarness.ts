/** A hand-built cluster for the node lifecycle controller tests: no pods unless asked, 1 ms API, kubelets as a test-side ticker. */
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { FixedLatencyApi, type ApiPort } from "../../src/apiserver/apiPort.js";
import type { Resource, Verb } from "../../src/apiserver/verbs.js";
import type { LeaderElection } from "../../src/client/leaderElection.js";
import { ControllerClient } from "../../src/controllers/controllerClient.js";
import type { NodeLifecycleConfig } from "../../src/controllers/nodeLifecycle/defaults.js";
import { NodeLifecycleController } from "../../src/controllers/nodeLifecycle/nodeLifecycleController.js";
import { Simulation, US_PER_S } from "../../src/engine/simulation.js";
import { ConditionStatus } from "../../src/model/nodeTable.js";
import { GI, node, template } from "../run/helpers.js";

export const S = US_PER_S;
export const MS = 1000;

/** Records every request (time, verb, resource) and answers after 1 ms. */
export class RecordingApi implements ApiPort {
  readonly log: { atUs: number; verb: Verb; resource: Resource }[] = [];
  private readonly inner: FixedLatencyApi;
  constructor(private readonly sim: Simulation) {
    this.inner = new FixedLatencyApi(sim, 1 * MS);
  }
  send(verb: Verb, resource: Resource, token: number, doneHandler: number): void {
    this.log.push({ atUs: this.sim.now, verb, resource });
    this.inner.send(verb, resource, token, doneHandler);
  }
}

/** A stand-in for kube-controller-manager's lease: who leads, and the change listeners. */
export class FakeLease {
  listeners: (() => void)[] = [];
  leaderId = 0;
  leader(): number {
    return this.leaderId;
  }
  set(leaderId: number): void {
    this.leaderId = leaderId;
    for (const l of this.listeners) l();
  }
}

export interface Harness {
  sim: Simulation;
  cluster: ClusterState;
  api: RecordingApi;
  nlc: NodeLifecycleController;
  /** Per node: renewing its Lease (every 10 s at 1 s + 10k s). */
  alive: boolean[];
  /** Every NoExecute/NoSchedule taint added: time and node and bit. */
  taintsAdded: { atUs: number; node: number; bit: number }[];
  /** Every Ready change: time, node, status. */
  readyChanges: { atUs: number; node: number; status: number }[];
}

export function harness(zones: string[], opts: { config?: Partial<NodeLifecycleConfig>; lease?: FakeLease; excluded?: boolean[]; pods?: boolean } = {}): Harness {
  const sim = new Simulation(1);
  const cluster = new ClusterState(
    sim,
    zones.map((z, i) => node(`n${i}`, 4000, 8 * GI, { zone: z })),
    [template(100, 0)],
  );
  const api = new RecordingApi(sim);
  const client = new ControllerClient(sim, api, opts.lease as unknown as LeaderElection | undefined, "kcm", { qps: 1e6, burst: 1e6 });
  const nlc = new NodeLifecycleController(sim, cluster, client, { config: opts.config, zoneOfNode: zones, excludedFromDisruption: opts.excluded });
  const alive = zones.map(() => true);
  const taintsAdded: Harness["taintsAdded"] = [];
  const readyChanges: Harness["readyChanges"] = [];
  const lastTaints = zones.map(() => 0);
  const lastReady = zones.map(() => ConditionStatus.True as number);
  cluster.onNodeChanged.push((n) => {
    const t = cluster.nodes.lifecycleTaints[n];
    for (const bit of [1, 2, 4, 8]) if (t & bit && !(lastTaints[n] & bit)) taintsAdded.push({ atUs: sim.now, node: n, bit });
    lastTaints[n] = t;
    const r = cluster.nodes.readyCondition[n];
    if (r !== lastReady[n]) readyChanges.push({ atUs: sim.now, node: n, status: r });
    lastReady[n] = r;
  });
  const renew = sim.on("test.renew", () => {
    for (let n = 0; n < zones.length; n++) if (alive[n]) cluster.renewLease(n);
    sim.schedule(10 * S, renew);
  });
  sim.scheduleAt(1 * S, renew);
  return { sim, cluster, api, nlc, alive, taintsAdded, readyChanges };
}

/** Run `fn` at `atUs` (a kubelet dying, coming back). */
let atCount = 0;
export function at(h: Harness, atUs: number, fn: () => void): void {
  const id = h.sim.on(`test.at.${atCount++}`, fn);
  h.sim.scheduleAt(atUs, id);
}
