/**
 * revisionHistoryLimit (cleanupDeployment): once a rollout is complete, the old
 * ReplicaSets beyond the limit are deleted, oldest first; a rollout back to a deleted
 * revision's template brings a ReplicaSet of that name back.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

function scenario(limit: number | undefined, images: string[]) {
  return {
    name: "history",
    duration: "10m",
    sampleInterval: "10s",
    nodePools: [{ name: "w", count: 2, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          replicas: 2,
          ...(limit === undefined ? {} : { revisionHistoryLimit: limit }),
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1", resources: { requests: { cpu: "100m" } } }] } },
        },
      },
    ],
    actions: images.map((image, k) => ({ at: `${60 * (k + 1)}s`, type: "set-image", deployment: "web", container: "web", image })),
  };
}

const hashOf = (message: string) => /replica set web-(\w+)/.exec(message)![1];
/** The first revision's first pod: decided at 0, its create (a first slow-start batch of one) answered 5 ms later. */
const FIRST_POD_S = 0.005;

describe("revisionHistoryLimit", () => {
  it("limit 1, three rollouts: after the second and the third, the oldest old ReplicaSet is deleted", () => {
    const r = simulate(scenario(1, ["nginx:2", "nginx:3", "nginx:4"]));
    const complete = r.events.filter((e) => e.kind === "RolloutComplete");
    expect(complete).toHaveLength(3);
    const deleted = r.events.filter((e) => e.kind === "OldReplicaSetDeleted");
    // revision 1 goes when revision 3 is complete, revision 2 when revision 4 is
    expect(deleted.map((e) => e.sim_time_s)).toEqual([complete[1].sim_time_s, complete[2].sim_time_s]);
    const firstHash = r.pods.find((p) => p.created_s === FIRST_POD_S)!.pod.split("-")[1];
    expect(hashOf(deleted[0].message)).toBe(firstHash);
    expect(hashOf(deleted[1].message)).toBe(hashOf(complete[0].message));
  });

  it("the default of 10 deletes nothing in three rollouts; a limit of 0 deletes every old one at each completion", () => {
    expect(simulate(scenario(undefined, ["nginx:2", "nginx:3", "nginx:4"])).events.some((e) => e.kind === "OldReplicaSetDeleted")).toBe(false);
    const r = simulate(scenario(0, ["nginx:2", "nginx:3"]));
    expect(r.events.filter((e) => e.kind === "OldReplicaSetDeleted")).toHaveLength(2);
  });

  it("a rollout back to a deleted revision's template: its pods are named after that revision's hash again", () => {
    const r = simulate(scenario(0, ["nginx:2", "nginx:1"]));
    const firstHash = r.pods.find((p) => p.created_s === FIRST_POD_S)!.pod.split("-")[1];
    const live = r.pods.filter((p) => p.deleted_s === null);
    expect(live).toHaveLength(2);
    expect(live.every((p) => p.pod.split("-")[1] === firstHash)).toBe(true);
  });
});
