/**
 * The StatefulSet controller: stable names, OrderedReady creation (each pod only once the
 * one before it runs and is Ready: 1 s start-up each here), Parallel, and a pod whose node
 * was lost, which keeps its name while Terminating and so is not replaced until its node
 * comes back.
 *
 * Creates go through the fixed-latency API (5 ms) in slow-start batches (1, 2, 4, ...: each
 * batch once the previous one is answered), so a pod decided at t exists at t + 5 ms; the
 * second and third pods of one sync at t + 10 ms.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

function scenario(policy: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    name: "sts",
    duration: "20m",
    nodePools: [{ name: "w", count: 3, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db" },
        spec: {
          replicas: 3,
          ...(policy ? { podManagementPolicy: policy } : {}),
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] } },
        },
      },
    ],
    ...extra,
  };
}
const SCHEDULING_S = 0.1;
/** scheduler.apiWriteLatencyUs default: a create is answered (the pod exists) 5 ms after it is sent. */
const CREATE_S = 0.005;

describe("the StatefulSet controller", () => {
  it("OrderedReady: db-0, db-1, db-2, each created once the one before is Running and Ready", () => {
    const r = simulate(scenario(undefined));
    const pods = r.pods.filter((p) => p.owner === "StatefulSet/default/db");
    expect(pods.map((p) => p.pod)).toEqual(["db-0", "db-1", "db-2"]);
    // decided at 0, a sync's first batch of one: exists at 0 + 5 ms
    expect(pods[0].created_s).toBe(CREATE_S);
    for (let i = 1; i < 3; i++) {
      // decided when the one before runs (Ready without probes), exists 5 ms later
      expect(pods[i].created_s).toBeCloseTo(pods[i - 1].running_s! + CREATE_S, 6);
      expect(pods[i].running_s! - pods[i].created_s).toBeGreaterThanOrEqual(1);
      expect(pods[i].running_s! - pods[i].created_s).toBeLessThan(1 + SCHEDULING_S);
    }
    expect(r.workloads.at(-1)).toMatchObject({ workload: "StatefulSet/default/db", desired: 3, current: 3, ready: 3 });
  });

  it("Parallel: all at once", () => {
    const r = simulate(scenario("Parallel"));
    // one sync at 0 with 3 creates: batch 1 (db-0) answered at 5 ms, then batch 2 (db-1, db-2) at 10 ms
    expect(r.pods.filter((p) => p.owner === "StatefulSet/default/db").map((p) => p.created_s)).toEqual([CREATE_S, 2 * CREATE_S, 2 * CREATE_S]);
  });

  it("scale: up creates the next ordinals in order; down deletes from the highest, one at a time (each waits for the one above to be gone: 30 s grace)", () => {
    const actions = [
      { at: "60s", type: "scale", statefulSet: "db", replicas: 5 },
      { at: "120s", type: "scale", statefulSet: "db", replicas: 1 },
    ];
    const r = simulate(scenario(undefined, { actions }));
    const pods = r.pods.filter((p) => p.owner === "StatefulSet/default/db");
    const byName = (n: string) => pods.find((p) => p.pod === n)!;
    // decided at the scale (60 s), exists 5 ms later; db-4 decided when db-3 runs, 5 ms later too
    expect(byName("db-3").created_s).toBe(60 + CREATE_S);
    expect(byName("db-4").created_s).toBeCloseTo(byName("db-3").running_s! + CREATE_S, 6);
    expect(["db-4", "db-3", "db-2", "db-1"].map((n) => byName(n).deletion_requested_s)).toEqual([120, 150, 180, 210]);
    expect(byName("db-0").deletion_requested_s).toBeNull();
    const parallel = simulate(scenario("Parallel", { actions }));
    expect(parallel.pods.filter((p) => p.deletion_requested_s === 120).map((p) => p.pod).sort()).toEqual(["db-1", "db-2", "db-3", "db-4"]);
    expect(r.events.filter((e) => e.kind === "ScalingStatefulSet").map((e) => e.message)).toEqual(["spec.replicas 3 -> 5", "spec.replicas 5 -> 1"]);
  });

  it("a pod evicted from a crashed node stays Terminating under its name: no db-i is created until the node's kubelet confirms", () => {
    const r0 = simulate(scenario(undefined, { duration: "1m" }));
    const node = r0.pods.find((p) => p.pod === "db-1")!.node;
    const r = simulate(scenario(undefined, { faults: [{ type: "node-failure", at: "60s", node, recoverAfter: "10m" }] }));
    const db1 = r.pods.filter((p) => p.pod === "db-1");
    expect(db1).toHaveLength(2);
    const [old, next] = db1;
    // evicted ~6 min after the crash, Terminating until the kubelet is back at 660 s
    expect(old.outcome).toBe("evicted");
    expect(old.deletion_requested_s!).toBeGreaterThan(60 + 300);
    expect(old.deleted_s).toBeCloseTo(660.005, 6);
    // the new db-1 decided only then, and exists after its create's 5 ms
    expect(next.created_s).toBeCloseTo(660.005 + CREATE_S, 6);
    expect(r.workloads.find((w) => w.sim_time_s === 600)).toMatchObject({ desired: 3, current: 2, terminating: 1 });
  });
});
