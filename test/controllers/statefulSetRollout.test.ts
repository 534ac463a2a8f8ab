/**
 * StatefulSet rollouts (stateful_set_control.go updateStatefulSet): RollingUpdate from the
 * highest ordinal down to the partition, one pod at a time (delete, wait until it is
 * gone, create it again on the update revision, wait until it is Running and Ready),
 * OnDelete, a pod created again below the partition on the current revision, and the
 * scenario errors. Timelines by hand: the pods' grace period is the default 30 s
 * (terminationGracePeriodSeconds) and take it whole; S is a pod's time from created to
 * Running and Ready, measured on db-0's first start (1 s start-up plus the
 * kube-scheduler's bind). A pod the controller decides to create at t exists at t + C
 * (C = 5 ms: its create through the fixed-latency API, a sync's first batch of one), so
 * one ordinal's turn is GRACE_S + C + S.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { ScenarioError } from "../../src/scenario/errors.js";

const GRACE_S = 30;
const AT_S = 60;
/** scheduler.apiWriteLatencyUs default: a create is answered (the pod exists) 5 ms after it is sent. */
const C = 0.005;

function scenario(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    name: "sts-rollout",
    duration: "5m",
    sampleInterval: "1s",
    nodePools: [{ name: "w", count: 3, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db" },
        spec: {
          replicas: 3,
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "pg", image: "postgres:16", resources: { requests: { cpu: "1" } } }] } },
          ...spec,
        },
      },
    ],
    actions: [{ at: `${AT_S}s`, type: "set-image", statefulSet: "db", container: "pg", image: "postgres:17" }],
    ...extra,
  };
}

type Result = ReturnType<typeof simulate>;
const db = (r: Result) => r.pods.filter((p) => p.owner === "StatefulSet/default/db");
/** The first and (if any) second pod of that name. */
const generations = (r: Result, name: string) => db(r).filter((p) => p.pod === name);
const startup = (r: Result) => generations(r, "db-0")[0].running_s! - generations(r, "db-0")[0].created_s;
const sample = (r: Result, t: number) => r.workloads.find((w) => w.workload === "StatefulSet/default/db" && w.sim_time_s === t)!;

describe("StatefulSet RollingUpdate", () => {
  it("3 replicas, partition 0: db-2, then db-1, then db-0, each deleted once the one above runs updated and Ready", () => {
    const r = simulate(scenario());
    const S = startup(r);
    expect(S).toBeGreaterThanOrEqual(1);
    expect(S).toBeLessThan(1.1);
    // ordinal 2 deleted at 60, gone at 90 (30 s grace), decided again at 90, exists at 90 + C,
    // Running+Ready at 90 + C + S; ordinal 1 deleted then: gone at 120 + C + S, Ready at
    // 120 + 2(C + S); ordinal 0: gone 150 + 2(C + S), Ready 150 + 3(C + S).
    const turn = GRACE_S + C + S;
    const expected = [
      ["db-2", AT_S],
      ["db-1", AT_S + turn],
      ["db-0", AT_S + 2 * turn],
    ] as const;
    for (const [name, deletedAt] of expected) {
      const [old, next] = generations(r, name);
      expect(old.deletion_requested_s).toBeCloseTo(deletedAt, 6);
      expect(old.deleted_s).toBeCloseTo(deletedAt + GRACE_S, 6);
      expect(old.outcome).toBe("deleted");
      expect(next.created_s).toBeCloseTo(deletedAt + GRACE_S + C, 6);
      expect(next.running_s).toBeCloseTo(deletedAt + turn, 6);
      expect(next.deletion_requested_s).toBeNull();
    }
    const started = r.events.find((e) => e.kind === "RolloutStarted")!;
    expect(started).toMatchObject({ sim_time_s: AT_S, object: "statefulset/default/db", message: "update revision 2 (RollingUpdate, partition 0)" });
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    const doneAt = AT_S + 3 * turn;
    expect(done.sim_time_s).toBeCloseTo(doneAt, 6);
    expect(done.message).toBe(`update revision 2: all 3 pods Ready, 3 updated, after ${(3 * turn).toFixed(3)} s`);
    // workloads.csv updated = pods on the new revision, not Terminating:
    // at 95 s db-2 new (1); at 130 s db-2, db-1 new, db-0 Terminating (2 updated, 2 current); at the end 3.
    expect(sample(r, 59)).toMatchObject({ current: 3, updated: 3, ready: 3 });
    expect(sample(r, 95)).toMatchObject({ current: 2, updated: 1, ready: 2, terminating: 1 });
    expect(sample(r, 130)).toMatchObject({ current: 2, updated: 2, ready: 2, terminating: 1 });
    expect(r.workloads.at(-1)).toMatchObject({ workload: "StatefulSet/default/db", desired: 3, current: 3, updated: 3, ready: 3 });
  });

  it("partition 1: ordinals 2 and 1 are updated, ordinal 0 keeps the old revision; complete once db-1 is Ready", () => {
    const r = simulate(scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }));
    const S = startup(r);
    expect(generations(r, "db-0")).toHaveLength(1);
    expect(generations(r, "db-0")[0].deletion_requested_s).toBeNull();
    // two turns of GRACE_S + C + S (db-2, then db-1)
    expect(generations(r, "db-1")[1].running_s).toBeCloseTo(AT_S + 2 * (GRACE_S + C + S), 6);
    const done = r.events.find((e) => e.kind === "RolloutComplete")!;
    expect(done.sim_time_s).toBeCloseTo(AT_S + 2 * (GRACE_S + C + S), 6);
    expect(done.message).toContain("2 updated, ordinals 1.. updated (partition 1), 1 left on earlier revisions");
    expect(r.workloads.at(-1)).toMatchObject({ desired: 3, current: 3, updated: 2, ready: 3 });
  });

  it("partition 1: a pod below the partition deleted later comes back on the old (current) revision", () => {
    // db-0 runs on some node; draining it at 200 s evicts db-0 (gone at 230 s), created again below the partition.
    const probe = simulate(scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }, { duration: "10s", actions: [] }));
    const node = generations(probe, "db-0")[0].node!;
    const r = simulate(
      scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }, { actions: [...scenario().actions, { at: "200s", type: "drain", node }] }),
    );
    const [old, next] = generations(r, "db-0");
    expect(old).toMatchObject({ deletion_requested_s: 200, deleted_s: 200 + GRACE_S, outcome: "drained" });
    // decided when the old one is gone, exists C later
    expect(next.created_s).toBeCloseTo(200 + GRACE_S + C, 6);
    // still 2 updated (db-1, db-2): the new db-0 is on revision 1
    expect(sample(r, 240)).toMatchObject({ current: 3, updated: 2, ready: 3 });
  });

  it("Parallel: still one pod at a time (upstream without the MaxUnavailableStatefulSet gate), the same timeline", () => {
    const r = simulate(scenario({ podManagementPolicy: "Parallel" }));
    const S = generations(r, "db-0")[0].running_s! - generations(r, "db-0")[0].created_s;
    const fresh = (name: string) => generations(r, name)[1];
    // Parallel's first start is one sync for all three (db-0 in a first batch of one at C,
    // db-1 and db-2 at 2C; startups differ by the scheduler's cycles); a single pod's create to
    // Ready is S1 = the new db-2's, and a turn is GRACE_S + C + S1.
    const S1 = fresh("db-2").running_s! - fresh("db-2").created_s;
    expect(S1).toBeGreaterThanOrEqual(1);
    // db-0's first start is a single pod's too now: alone in the first batch, it is in the
    // scheduler's queue before db-1 and db-2 exist, so S1 = S (up to the seconds' rounding).
    expect(S1).toBeCloseTo(S, 6);
    expect(generations(r, "db-2")[0].deletion_requested_s).toBe(AT_S);
    expect(generations(r, "db-1")[0].deletion_requested_s).toBeCloseTo(AT_S + GRACE_S + C + S1, 6);
    expect(generations(r, "db-0")[0].deletion_requested_s).toBeCloseTo(AT_S + 2 * (GRACE_S + C + S1), 6);
    expect(r.events.find((e) => e.kind === "RolloutComplete")!.sim_time_s).toBeCloseTo(AT_S + 3 * (GRACE_S + C + S1), 6);
    for (const w of r.workloads.filter((x) => x.workload === "StatefulSet/default/db" && x.sim_time_s >= AT_S)) expect(w.ready).toBeGreaterThanOrEqual(2);
  });

  it("OnDelete: the rollout deletes nothing; a pod deleted otherwise (a drain) comes back on the new revision", () => {
    const probe = simulate(scenario({}, { duration: "10s", actions: [] }));
    const node = generations(probe, "db-1")[0].node!;
    const r = simulate(scenario({ updateStrategy: { type: "OnDelete" } }, { actions: [...scenario().actions, { at: "120s", type: "drain", node }] }));
    expect(r.events.find((e) => e.kind === "RolloutStarted")!.message).toBe("update revision 2 (OnDelete)");
    expect(generations(r, "db-0")).toHaveLength(1);
    expect(generations(r, "db-2")).toHaveLength(1);
    const [old, next] = generations(r, "db-1");
    expect(old).toMatchObject({ deletion_requested_s: 120, deleted_s: 150, outcome: "drained" });
    // gone at 150, decided then, exists C later
    expect(next.created_s).toBeCloseTo(150 + C, 6);
    expect(sample(r, 100)).toMatchObject({ current: 3, updated: 0 });
    expect(r.workloads.at(-1)).toMatchObject({ current: 3, updated: 1, ready: 3 });
    expect(r.events.some((e) => e.kind === "RolloutComplete")).toBe(false);
  });

  it("rollout-restart names the StatefulSet too", () => {
    const r = simulate(scenario({}, { actions: [{ at: "60s", type: "rollout-restart", statefulSet: "db" }] }));
    expect(generations(r, "db-2")[0].deletion_requested_s).toBe(AT_S);
    expect(r.workloads.at(-1)).toMatchObject({ updated: 3 });
  });
});

describe("scenario errors", () => {
  const run = (s: unknown) => () => simulate(s, { file: "s.yaml" });
  it("a set-image naming an unknown StatefulSet, or two workloads", () => {
    expect(run(scenario({}, { actions: [{ at: "60s", type: "set-image", statefulSet: "nope", container: "pg", image: "x" }] }))).toThrow(ScenarioError);
    expect(run(scenario({}, { actions: [{ at: "60s", type: "set-image", statefulSet: "nope", container: "pg", image: "x" }] }))).toThrow(
      's.yaml: actions[0].statefulSet: expected the name of a StatefulSet of the scenario in namespace default (default/db), got "nope"',
    );
    expect(run(scenario({}, { actions: [{ at: "60s", type: "set-image", deployment: "web", statefulSet: "db", container: "pg", image: "x" }] }))).toThrow(
      "s.yaml: actions[0]: expected exactly one of deployment, statefulSet or daemonSet, got deployment and statefulSet",
    );
    expect(run(scenario({}, { actions: [{ at: "60s", type: "rollout-restart" }] }))).toThrow("s.yaml: actions[0]: expected exactly one of deployment, statefulSet or daemonSet, got none");
    expect(run(scenario({}, { actions: [{ at: "60s", type: "set-image", statefulSet: "db", container: "mysql", image: "x" }] }))).toThrow(
      's.yaml: actions[0].container: expected a container of statefulset default/db (pg), got "mysql"',
    );
  });

  it("updateStrategy: maxUnavailable other than 1 is refused (MaxUnavailableStatefulSet); upstream's validation", () => {
    expect(run(scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } } }))).toThrow(
      "s.yaml: workloads[0].spec.updateStrategy.rollingUpdate.maxUnavailable: expected 1 or nothing (kubesim updates a StatefulSet one pod at a time",
    );
    expect(run(scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } }))).not.toThrow();
    expect(run(scenario({ updateStrategy: { type: "OnDelete", rollingUpdate: { partition: 1 } } }))).toThrow(
      "s.yaml: workloads[0].spec.updateStrategy.rollingUpdate: Invalid value: ",
    );
    expect(run(scenario({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: -1 } } }))).toThrow(
      "s.yaml: workloads[0].spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
    );
  });
});
