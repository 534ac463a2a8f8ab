/**
 * DaemonSet eligibility against upstream's own cases: kubernetes/kubernetes
 * pkg/controller/daemon/daemon_controller_test.go at commit
 * 003e86297d18a8538c9da3619871393f9703bf70 — the TestNodeShouldRunDaemonPod table, and the
 * launch tests that each are one row (TestTaintedNodeDaemonDoesNotLaunchIntolerantPod,
 * TestTaintedNodeDaemonLaunchesToleratePod, TestNotReadyNodeDaemonLaunchesPod,
 * TestUnreachableNodeDaemonLaunchesPod, TestNodeDaemonLaunchesToleratePod,
 * TestTaintPressureNodeDaemonLaunchesPod: "launches a pod" is shouldRun).
 *
 * Translation: upstream's NodeShouldRunDaemonPod builds the pod with NewPod, which adds the
 * daemon tolerations; kubesim's run setup does the same with withDaemonTolerations before
 * nodeShouldRunDaemonPod, so every row goes through it here. kubesim returns shouldRun only:
 * in the TestNodeShouldRunDaemonPod rows shouldContinueRunning equals shouldRun, and the two
 * tests where it differs (TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod,
 * TestNoExecuteTaintedDoesEvicitRunningIntolerantPod) need a pod already running on a node
 * whose taints change, which kubesim's set-up-time decision does not model; they are not
 * carried.
 */
import { describe, expect, it } from "vitest";
import { nodeShouldRunDaemonPod, type NodeView } from "../../src/controllers/daemonSet/nodeShouldRun.js";
import { withDaemonTolerations } from "../../src/controllers/daemonSet/daemonPodTemplate.js";
import type { PodSpec } from "../../src/model/types.js";
import type { Toleration } from "../../src/model/types.js";

// upstream's fixtures: the node "test-node" carries simpleDaemonSetLabel.
const simpleDaemonSetLabel = { name: "simple-daemon", type: "production" };
const simpleDaemonSetLabel2 = { name: "simple-daemon", type: "test" };
const noScheduleTolerations: Toleration[] = [{ key: "dedicated", value: "user1", effect: "NoSchedule" }];
const noScheduleTaints = [{ key: "dedicated", value: "user1", effect: "NoSchedule" }];

/** resourcePodSpec(nodeName, memory, cpu): one container with those requests. */
function resourcePodSpec(nodeName: string, memory: string, cpu: string): PodSpec {
  return { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", resources: { requests: { memory, cpu } } }] };
}

function requiredIn(key: string, values: string[]): PodSpec {
  return { containers: [{ name: "c" }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: "In", values }] }] } } } };
}

const testNode: NodeView = { name: "test-node", labels: simpleDaemonSetLabel, taints: [] };

describe("TestNodeShouldRunDaemonPod (node test-node labelled name=simple-daemon, type=production)", () => {
  // [predicateName, the DaemonSet's pod spec, shouldRun]. Pods already on the node (host
  // ports, requests) do not enter the decision upstream any more; kubesim never reads them.
  const rows: [string, PodSpec, boolean][] = [
    ["ShouldRunDaemonPod", resourcePodSpec("", "50M", "0.5"), true],
    ["InsufficientResourceError (200M on a 100M node)", resourcePodSpec("", "200M", "0.5"), true],
    ["ErrPodNotMatchHostName", resourcePodSpec("other-node", "50M", "0.5"), false],
    ["ErrPodNotFitsHostPorts (a pod on the node holds host port 666)", { containers: [{ name: "c", ports: [{ containerPort: 666, hostPort: 666 }] }] }, true],
    ["InsufficientResourceError (100M beside a 50M pod)", resourcePodSpec("", "100M", "0.5"), true],
    ["ShouldRunDaemonPod (50M beside a 50M pod)", resourcePodSpec("", "50M", "0.5"), true],
    ["ErrNodeSelectorNotMatch", { containers: [{ name: "c" }], nodeSelector: simpleDaemonSetLabel2 }, false],
    ["ShouldRunDaemonPod (nodeSelector matches)", { containers: [{ name: "c" }], nodeSelector: simpleDaemonSetLabel }, true],
    ["ErrPodAffinityNotMatch", requiredIn("type", ["test"]), false],
    ["ShouldRunDaemonPod (required node affinity matches)", requiredIn("type", ["production"]), true],
  ];
  for (const [name, spec, shouldRun] of rows) {
    it(`${name}: shouldRun ${shouldRun}`, () => {
      expect(nodeShouldRunDaemonPod(withDaemonTolerations(spec), testNode)).toBe(shouldRun);
    });
  }

  it("ShouldRunDaemonPodOnUnschedulableNode: shouldRun true", () => {
    // Upstream sets spec.unschedulable and no taint: the predicates read taints only. In a
    // cluster the flag comes with the node.kubernetes.io/unschedulable:NoSchedule taint,
    // which the daemon tolerations cover; both forms give true.
    const spec = withDaemonTolerations(resourcePodSpec("", "50M", "0.5"));
    expect(nodeShouldRunDaemonPod(spec, testNode)).toBe(true);
    expect(nodeShouldRunDaemonPod(spec, { ...testNode, taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] })).toBe(true);
  });
});

describe("upstream's one-case launch tests, as rows (the node has no labels)", () => {
  // [test function, tolerations of the DaemonSet's pod, node taints, launches a pod]
  const rows: [string, Toleration[], { key: string; value?: string; effect: string }[], boolean][] = [
    ["TestTaintedNodeDaemonDoesNotLaunchIntolerantPod", [], noScheduleTaints, false],
    ["TestTaintedNodeDaemonLaunchesToleratePod", noScheduleTolerations, noScheduleTaints, true],
    ["TestNotReadyNodeDaemonLaunchesPod", [], [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }], true],
    ["TestUnreachableNodeDaemonLaunchesPod", [], [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }], true],
    ["TestNodeDaemonLaunchesToleratePod", noScheduleTolerations, [], true],
    [
      "TestTaintPressureNodeDaemonLaunchesPod",
      [],
      [
        { key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" },
        { key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" },
        { key: "node.kubernetes.io/pid-pressure", effect: "NoSchedule" },
      ],
      true,
    ],
  ];
  for (const [name, tolerations, taints, launches] of rows) {
    it(`${name}: ${launches ? "launches" : "does not launch"}`, () => {
      const spec = withDaemonTolerations({ containers: [{ name: "c" }], tolerations });
      expect(nodeShouldRunDaemonPod(spec, { name: "tainted", labels: {}, taints })).toBe(launches);
    });
  }
});
