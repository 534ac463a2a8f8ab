/**
 * The Deployment controller against hand-driven pods: the test binds pods and writes
 * their Ready condition itself (no scheduler, no kubelet), so each expectation is an
 * exact instant. Creates are immediate (no control plane).
 */
import { describe, expect, it } from "vitest";
import { ClusterState } from "../../src/apiserver/clusterState.js";
import { immediatePodCreates } from "../../src/controllers/podCreates.js";
import { ReplicaSetController, type DeploymentSpec } from "../../src/controllers/replicaSet.js";
import { Simulation } from "../../src/engine/simulation.js";
import { PodPhase } from "../../src/model/podTable.js";
import { GI, node, template } from "../run/helpers.js";

const S = 1_000_000;

function setup(spec: Partial<DeploymentSpec>) {
  const sim = new Simulation(1);
  const cluster = new ClusterState(sim, [node("n0", 64_000, 64 * GI)], [template(100, GI), template(100, GI)]);
  const d: DeploymentSpec = { name: "web", namespace: "default", replicas: 2, template: 0, templateHash: "aaaa", revisions: [{ template: 1, templateHash: "bbbb" }], ...spec };
  const rsc = new ReplicaSetController(sim, cluster, [d], immediatePodCreates(cluster));
  const status = rsc.workloads()[0];
  /** Live pods of template t, oldest first. */
  const podsOf = (t: number) => Array.from({ length: cluster.pods.count }, (_, p) => p).filter((p) => cluster.pods.template[p] === t && cluster.pods.phase[p] < PodPhase.Succeeded && cluster.pods.deletionUs[p] < 0);
  /** Bind and start every Pending pod of template t (Running and Ready now). */
  const startAll = (t: number) => {
    for (const p of podsOf(t)) {
      if (cluster.pods.phase[p] !== PodPhase.Pending) continue;
      cluster.bind(p, 0);
      cluster.podRunning(p);
    }
  };
  return { sim, cluster, rsc, status, podsOf, startAll };
}

describe("minReadySeconds", () => {
  it("a pod is available minReadySeconds + 1 s after it became Ready; one that loses Ready before never is", () => {
    const { sim, cluster, rsc, status, podsOf, startAll } = setup({ minReadySeconds: 5 });
    rsc.start();
    sim.run(2 * S);
    startAll(0); // Ready at 2 s: available at 2 + 5 + 1 = 8 s
    const [a, b] = podsOf(0);
    sim.run(4 * S);
    cluster.setPodReady(b, false); // b loses Ready at 4 s: its 8 s check finds it not Ready
    sim.run(6 * S);
    cluster.setPodReady(b, true); // Ready again at 6 s: available at 12 s
    sim.run(8 * S - 1);
    expect(status.available()).toBe(0);
    sim.run(8 * S);
    expect(status.available()).toBe(1);
    expect(cluster.available(a)).toBe(true);
    sim.run(12 * S - 1);
    expect(status.available()).toBe(1);
    sim.run(12 * S);
    expect(status.available()).toBe(2);
    // Losing Ready after being available: unavailable at once.
    sim.run(20 * S);
    cluster.setPodReady(a, false);
    expect(status.available()).toBe(1);
  });
});
