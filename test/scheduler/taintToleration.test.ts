/**
 * TaintToleration: cases transcribed from upstream
 * pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
 * (TestTaintTolerationScore, TestTaintTolerationFilter, ...WithFeatureGate).
 */
import { describe, expect, test } from "vitest";
import type { Toleration } from "../../src/model/types.js";
import { Code } from "../../src/scheduler/framework.js";
import { TaintToleration, ERR_REASON_UNTOLERATED } from "../../src/scheduler/plugins/TaintToleration.js";
import { cluster, pod, runFilter, runScore, type NodeFixture } from "./helpers.js";

type Taint = { key: string; value?: string; effect: string };
const taintNode = (name: string, taints: Taint[]): NodeFixture => ({ name, taints });
const tolPod = (tolerations: Toleration[]) => pod({ containers: [], spec: { tolerations } });

describe("TaintToleration Score (upstream TestTaintTolerationScore)", () => {
  const cases: { name: string; tolerations: Toleration[]; nodes: NodeFixture[]; expected: number[]; gate?: boolean }[] = [
    {
      name: "node with taints tolerated by the pod gets a higher score than nodes with intolerable taints",
      tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }],
      nodes: [taintNode("nodeA", [{ key: "foo", value: "bar", effect: "PreferNoSchedule" }]), taintNode("nodeB", [{ key: "foo", value: "blah", effect: "PreferNoSchedule" }])],
      expected: [100, 0],
    },
    {
      name: "nodes whose taints are all tolerated get the same score, however many there are",
      tolerations: [
        { key: "cpu-type", operator: "Equal", value: "arm64", effect: "PreferNoSchedule" },
        { key: "disk-type", operator: "Equal", value: "ssd", effect: "PreferNoSchedule" },
      ],
      nodes: [
        taintNode("nodeA", []),
        taintNode("nodeB", [{ key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" }]),
        taintNode("nodeC", [
          { key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" },
          { key: "disk-type", value: "ssd", effect: "PreferNoSchedule" },
        ]),
      ],
      expected: [100, 100, 100],
    },
    {
      name: "the more intolerable taints a node has, the lower score it gets",
      tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }],
      nodes: [
        taintNode("nodeA", []),
        taintNode("nodeB", [{ key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" }]),
        taintNode("nodeC", [
          { key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" },
          { key: "disk-type", value: "ssd", effect: "PreferNoSchedule" },
        ]),
      ],
      expected: [100, 50, 0],
    },
    {
      name: "only taints and tolerations with effect PreferNoSchedule are checked",
      tolerations: [
        { key: "cpu-type", operator: "Equal", value: "arm64", effect: "NoSchedule" },
        { key: "disk-type", operator: "Equal", value: "ssd", effect: "NoSchedule" },
      ],
      nodes: [
        taintNode("nodeA", []),
        taintNode("nodeB", [{ key: "cpu-type", value: "arm64", effect: "NoSchedule" }]),
        taintNode("nodeC", [
          { key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" },
          { key: "disk-type", value: "ssd", effect: "PreferNoSchedule" },
        ]),
      ],
      expected: [100, 100, 0],
    },
    {
      name: "default behaviour: no taints and tolerations, lands on node with no taints",
      tolerations: [],
      nodes: [taintNode("nodeA", []), taintNode("nodeB", [{ key: "cpu-type", value: "arm64", effect: "PreferNoSchedule" }])],
      expected: [100, 0],
    },
    {
      name: "numeric Gt operator prefers nodes with matching SLA taint",
      tolerations: [{ key: "node.kubernetes.io/sla", operator: "Gt", value: "950", effect: "PreferNoSchedule" }],
      nodes: [taintNode("nodeA", [{ key: "node.kubernetes.io/sla", value: "800", effect: "PreferNoSchedule" }]), taintNode("nodeB", [{ key: "node.kubernetes.io/sla", value: "999", effect: "PreferNoSchedule" }])],
      expected: [0, 100],
      gate: true,
    },
    {
      name: "numeric Lt operator prefers nodes with matching SLA taint",
      tolerations: [{ key: "node.kubernetes.io/sla", operator: "Lt", value: "800", effect: "PreferNoSchedule" }],
      nodes: [taintNode("nodeA", [{ key: "node.kubernetes.io/sla", value: "950", effect: "PreferNoSchedule" }]), taintNode("nodeB", [{ key: "node.kubernetes.io/sla", value: "700", effect: "PreferNoSchedule" }])],
      expected: [0, 100],
      gate: true,
    },
    {
      name: "score ignores parse errors from numeric PreferNoSchedule taint value",
      tolerations: [{ key: "node.kubernetes.io/sla", operator: "Gt", value: "950", effect: "PreferNoSchedule" }],
      nodes: [taintNode("nodeA", []), taintNode("nodeB", [{ key: "node.kubernetes.io/sla", value: "high", effect: "PreferNoSchedule" }])],
      expected: [100, 0],
      gate: true,
    },
  ];
  test.each(cases)("$name", (c) => {
    const snap = cluster(c.nodes);
    snap.features.taintTolerationComparisonOperators = c.gate ?? false;
    expect(runScore(new TaintToleration(), snap, snap.compile(tolPod(c.tolerations)))).toEqual(c.expected);
  });
});

describe("TaintToleration Filter (upstream TestTaintTolerationFilter, ...WithFeatureGate)", () => {
  const REJECT = { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_UNTOLERATED };
  const PASS = { code: Code.Success, reason: "" };
  const cases: { name: string; tolerations: Toleration[]; taints: Taint[]; want: { code: number; reason: string }; gate?: boolean }[] = [
    { name: "a pod having no tolerations can't be scheduled onto a node with nonempty taints", tolerations: [], taints: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], want: REJECT },
    { name: "a pod can be scheduled on a dedicated node assigned to user1 with effect NoSchedule", tolerations: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], taints: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], want: PASS },
    { name: "a pod can't be scheduled on a dedicated node assigned to user2", tolerations: [{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }], taints: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }], want: REJECT },
    { name: "operator Exists tolerates the taints on the node", tolerations: [{ key: "foo", operator: "Exists", effect: "NoSchedule" }], taints: [{ key: "foo", value: "bar", effect: "NoSchedule" }], want: PASS },
    {
      name: "multiple tolerations, multiple taints, all tolerated",
      tolerations: [
        { key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" },
        { key: "foo", operator: "Exists", effect: "NoSchedule" },
      ],
      taints: [
        { key: "dedicated", value: "user2", effect: "NoSchedule" },
        { key: "foo", value: "bar", effect: "NoSchedule" },
      ],
      want: PASS,
    },
    { name: "key and value match but (non-empty) effect doesn't", tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }], taints: [{ key: "foo", value: "bar", effect: "NoSchedule" }], want: REJECT },
    { name: "empty toleration effect matches NoSchedule taint", tolerations: [{ key: "foo", operator: "Equal", value: "bar" }], taints: [{ key: "foo", value: "bar", effect: "NoSchedule" }], want: PASS },
    { name: "untolerated PreferNoSchedule taint does not filter", tolerations: [{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }], taints: [{ key: "dedicated", value: "user1", effect: "PreferNoSchedule" }], want: PASS },
    { name: "no toleration, PreferNoSchedule taint does not filter", tolerations: [], taints: [{ key: "dedicated", value: "user1", effect: "PreferNoSchedule" }], want: PASS },
    { name: "Gt toleration rejects taint value lower than threshold", tolerations: [{ key: "node.example.com/priority-level", operator: "Gt", value: "950", effect: "NoSchedule" }], taints: [{ key: "node.example.com/priority-level", value: "800", effect: "NoSchedule" }], want: REJECT, gate: true },
    { name: "Gt toleration admits taint value higher than threshold", tolerations: [{ key: "node.kubernetes.io/sla", operator: "Gt", value: "750", effect: "NoSchedule" }], taints: [{ key: "node.kubernetes.io/sla", value: "950", effect: "NoSchedule" }], want: PASS, gate: true },
    { name: "Lt toleration rejects taint value higher than threshold", tolerations: [{ key: "node.example.com/priority-level", operator: "Lt", value: "800", effect: "NoSchedule" }], taints: [{ key: "node.example.com/priority-level", value: "950", effect: "NoSchedule" }], want: REJECT, gate: true },
    { name: "Lt toleration admits taint value lower than threshold", tolerations: [{ key: "node.kubernetes.io/sla", operator: "Lt", value: "950", effect: "NoSchedule" }], taints: [{ key: "node.kubernetes.io/sla", value: "800", effect: "NoSchedule" }], want: PASS, gate: true },
    { name: "Gt toleration rejects non-numeric taint value", tolerations: [{ key: "node.kubernetes.io/sla", operator: "Gt", value: "950", effect: "NoSchedule" }], taints: [{ key: "node.kubernetes.io/sla", value: "high", effect: "NoSchedule" }], want: REJECT, gate: true },
    { name: "Gt toleration does not match when the feature gate is disabled", tolerations: [{ key: "node.kubernetes.io/sla", operator: "Gt", value: "750", effect: "NoSchedule" }], taints: [{ key: "node.kubernetes.io/sla", value: "950", effect: "NoSchedule" }], want: REJECT, gate: false },
    { name: "Lt toleration does not match when the feature gate is disabled", tolerations: [{ key: "node.kubernetes.io/sla", operator: "Lt", value: "950", effect: "NoSchedule" }], taints: [{ key: "node.kubernetes.io/sla", value: "800", effect: "NoSchedule" }], want: REJECT, gate: false },
    {
      name: "mixed tolerations with the gate disabled: only Equal is honored",
      tolerations: [
        { key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" },
        { key: "node.kubernetes.io/sla", operator: "Gt", value: "750", effect: "NoSchedule" },
      ],
      taints: [{ key: "dedicated", value: "user1", effect: "NoSchedule" }],
      want: PASS,
    },
    {
      name: "mixed tolerations, Gt toleration needed but filtered out when the gate is disabled",
      tolerations: [
        { key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" },
        { key: "node.kubernetes.io/sla", operator: "Gt", value: "750", effect: "NoSchedule" },
      ],
      taints: [
        { key: "dedicated", value: "user1", effect: "NoSchedule" },
        { key: "node.kubernetes.io/sla", value: "950", effect: "NoSchedule" },
      ],
      want: REJECT,
    },
  ];
  test.each(cases)("$name", (c) => {
    const snap = cluster([taintNode("nodeA", c.taints)]);
    snap.features.taintTolerationComparisonOperators = c.gate ?? false;
    const { codes, reasons } = runFilter(new TaintToleration(), snap, snap.compile(tolPod(c.tolerations)));
    expect(codes[0]).toBe(c.want.code);
    expect(reasons[0]).toEqual(c.want.reason ? [c.want.reason] : []);
  });
});
