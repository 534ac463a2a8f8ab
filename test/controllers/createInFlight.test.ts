/**
 * A scale down while a create is in flight (the create answered 5 ms later by the
 * fixed-latency API): the pod's add event syncs the ReplicaSet, which deletes the pod it
 * no longer wants (manageReplicas on the next sync). Found by the properties test.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

describe("a create in flight when the Deployment is scaled to 0", () => {
  it("the pod created at 5 ms (not bound yet) is deleted at once; none is left", () => {
    const r = simulate({
      name: "inflight",
      duration: "2m",
      sampleInterval: "10s",
      nodePools: [{ name: "p", count: 1, allocatable: { cpu: "1", memory: "1Gi" } }],
      workloads: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 1, selector: { matchLabels: { app: "d" } }, template: { metadata: { labels: { app: "d" } }, spec: { containers: [{ name: "c", image: "c" }] } } } }],
      actions: [{ at: "0s", type: "scale", deployment: "d", replicas: 0 }],
    });
    const pods = r.pods.filter((p) => p.owner === "Deployment/default/d");
    expect(pods).toHaveLength(1);
    expect(pods[0].created_s).toBe(0.005);
    // not bound yet: the delete removes it at once
    expect(pods[0].deleted_s).toBe(0.005);
    expect(r.workloads.at(-1)).toMatchObject({ desired: 0, current: 0 });
  });
});
