/**
 * Node rows without a Node object (machines not created yet: a node-pool upgrade's new
 * nodes, an autoscaled group's rows up to maxSize; deleted Nodes) are not nodes to the
 * kube-scheduler: upstream's FailedScheduling message counts the Nodes its cache holds
 * ("0/1 nodes are available: 1 Insufficient cpu."), not kubesim's rows. (A request above the
 * node's allocatable is unresolvable: preemption is not helpful, as upstream.) On main:
 * "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. ..."
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

const big = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "big" },
  spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "8" } } }] },
};

describe("the FailedScheduling message of a cluster with machines not created yet", () => {
  it("a node-pool upgrade's new rows are not counted before they register", () => {
    const r = simulate({
      name: "absent",
      duration: "30s",
      nodePools: [{ name: "p", count: 1, allocatable: { cpu: "4", memory: "16Gi" } }],
      workloads: [big],
      actions: [{ at: "20m", type: "node-pool-upgrade", pool: "p" }],
    });
    const pod = r.pods.find((p) => p.pod === "big")!;
    expect(pod.last_failed_scheduling_message).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  });

  it("an autoscaled group's rows up to maxSize are not counted", () => {
    const r = simulate({
      name: "absent",
      duration: "30s",
      nodePools: [{ name: "p", count: 1, allocatable: { cpu: "4", memory: "16Gi" }, autoscaling: { minSize: 1, maxSize: 10 } }],
      clusterAutoscaler: {},
      workloads: [big],
    });
    const pod = r.pods.find((p) => p.pod === "big")!;
    expect(pod.last_failed_scheduling_message).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  });
});
