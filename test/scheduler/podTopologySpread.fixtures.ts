/**
 * PodTopologySpread conformance cases, transcribed as facts from upstream's table tests
 * (kubernetes/kubernetes pkg/scheduler/framework/plugins/podtopologyspread:
 * filtering_test.go TestSingleConstraint / TestMultipleConstraints / TestPreFilterState,
 * scoring_test.go TestPodTopologySpreadScore).
 *
 * Filter cases assert the status code per node (upstream asserts codes only); the reason
 * strings are the current release's. Score cases list the feasible nodes (`nodes`) and
 * the nodes that failed filtering (`failedNodes`: their pods still count), and the
 * normalized score per feasible node.
 *
 * Upstream's unit tests run PodTopologySpread alone, so a node that NodeAffinity or
 * TaintToleration would reject can still pass here ("in real case, it's false").
 */
import type { Node, Pod, Service } from "../../src/model/types.js";
import type { ReplicaSet } from "../../src/model/types.js";
import { nodeAffinityIn, node, pod, replicaSet, sel, service, spread, unschedulableTaint } from "./interPodAffinity.builders.js";

export const R_SPREAD = "node(s) didn't match pod topology spread constraints";
export const R_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

export type SpreadCode = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable";

export interface SpreadFilterCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  pods: Pod[];
  want: Record<string, SpreadCode>;
}

export interface SpreadScoreCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  failedNodes?: Node[];
  pods: Pod[];
  services?: Service[];
  replicaSets?: ReplicaSet[];
  want: Record<string, number> | "Skip";
}

const foo = { foo: "" };
const fooSel = sel.exists("foo");
const barSel = sel.exists("bar");
const zn = (name: string, zone: string) => node(name, { zone, node: name });
const fourNodes = () => [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-x", "zone2"), zn("node-y", "zone2")];
const p = (n: string, labels: Record<string, string> = foo, extra: { namespace?: string; terminating?: boolean } = {}) => pod({ node: n, labels, ...extra });
/** `count` pods labelled foo on node n. */
const many = (n: string, count: number, labels: Record<string, string> = foo) => Array.from({ length: count }, () => p(n, labels));
const ok = "Success" as const;
const no = "Unschedulable" as const;
const never = "UnschedulableAndUnresolvable" as const;
const hard = (maxSkew: number, key: string, s = fooSel, o = {}) => spread(maxSkew, key, "DoNotSchedule", s, o);
const soft = (maxSkew: number, key: string, s: ReturnType<typeof sel.exists> | undefined = fooSel, o = {}) => spread(maxSkew, key, "ScheduleAnyway", s, o);

// --- filtering_test.go: TestSingleConstraint ------------------------------------------------
export const filterCases: SpreadFilterCase[] = [
  { name: "no existing pods", pod: pod({ labels: foo, spread: [hard(1, "zone")] }), nodes: fourNodes(), pods: [], want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok } },
  {
    name: "no existing pods, incoming pod doesn't match itself",
    pod: pod({ labels: foo, spread: [hard(1, "zone", barSel)] }),
    nodes: fourNodes(),
    pods: [],
    want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok },
  },
  {
    name: "existing pods in a different namespace do not count",
    pod: pod({ labels: foo, spread: [hard(1, "zone")] }),
    nodes: fourNodes(),
    pods: [p("node-a", foo, { namespace: "ns1" }), p("node-a", foo, { namespace: "ns2" }), p("node-x"), p("node-y")],
    want: { "node-a": ok, "node-b": ok, "node-x": no, "node-y": no },
  },
  {
    name: "existing pods do not match a null selector",
    pod: pod({ labels: foo, spread: [spread(1, "zone", "DoNotSchedule", undefined)] }),
    nodes: fourNodes(),
    pods: [p("node-x"), p("node-y")],
    want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok },
  },
  {
    name: "pods spread across zones as 3/3, all nodes fit",
    pod: pod({ labels: foo, spread: [hard(1, "zone")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok },
  },
  {
    name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
    pod: pod({ labels: foo, spread: [hard(1, "zone")] }),
    nodes: [zn("node-a", "zone1"), node("node-b", { zon: "zone1", node: "node-b" }), zn("node-x", "zone2"), zn("node-y", "zone2")],
    pods: [p("node-a"), p("node-b"), p("node-x"), p("node-y")],
    want: { "node-a": ok, "node-b": never, "node-x": no, "node-y": no },
  },
  {
    name: "pod cannot be scheduled as all nodes don't have label 'rack'",
    pod: pod({ labels: foo, spread: [hard(1, "rack")] }),
    nodes: [zn("node-a", "zone1"), zn("node-x", "zone2")],
    pods: [],
    want: { "node-a": never, "node-x": never },
  },
  {
    name: "pods spread across nodes as 2/1/0/3, only node-x fits",
    pod: pod({ labels: foo, spread: [hard(1, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": no },
  },
  {
    name: "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
    pod: pod({ labels: foo, spread: [hard(2, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": no, "node-b": ok, "node-x": ok, "node-y": no },
  },
  {
    name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
    pod: pod({ labels: { bar: "" }, spread: [hard(1, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": no, "node-b": ok, "node-x": ok, "node-y": no },
  },
  {
    name: "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
    pod: pod({ labels: foo, affinity: nodeAffinityIn("node", ["node-a", "node-y"]), spread: [hard(1, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": no },
  },
  {
    name: "terminating Pods should be excluded",
    pod: pod({ labels: foo, spread: [hard(1, "node")] }),
    nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" })],
    pods: [p("node-a", foo, { terminating: true }), p("node-b")],
    want: { "node-a": ok, "node-b": no },
  },
  {
    name: "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits",
    pod: pod({
      labels: foo,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node", operator: "NotIn", values: ["node-b"] }] }] } } },
      spread: [hard(1, "zone")],
    }),
    nodes: fourNodes(),
    pods: [...many("node-b", 2), p("node-y")],
    want: { "node-a": ok, "node-b": ok, "node-x": no, "node-y": no },
  },
  {
    name: "pods spread across nodes as 2/2/1, maxSkew 2, domains (3) < minDomains (4): only the third node fits",
    pod: pod({ labels: foo, spread: [hard(2, "node", fooSel, { minDomains: 4 })] }),
    nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-c", { node: "node-c" })],
    pods: [...many("node-a", 2), ...many("node-b", 2), p("node-c")],
    want: { "node-a": no, "node-b": no, "node-c": ok },
  },
  {
    name: "pods spread across nodes as 2/2/1, maxSkew 2, domains (3) > minDomains (2): all nodes fit",
    pod: pod({ labels: foo, spread: [hard(2, "node", fooSel, { minDomains: 2 })] }),
    nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-c", { node: "node-c" })],
    pods: [...many("node-a", 2), ...many("node-b", 2), p("node-c")],
    want: { "node-a": ok, "node-b": ok, "node-c": ok },
  },
  {
    name: "pods spread across zones as 2/1, maxSkew 2, domains (2) < minDomains (3): zone2 nodes fit",
    pod: pod({ labels: foo, spread: [hard(2, "zone", fooSel, { minDomains: 3 })] }),
    nodes: fourNodes(),
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": ok },
  },
  {
    name: "pods spread across zones as 2/1, maxSkew 2, domains (2) > minDomains (1): all nodes fit",
    pod: pod({ labels: foo, spread: [hard(2, "zone", fooSel, { minDomains: 1 })] }),
    nodes: fourNodes(),
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok },
  },
  {
    name: "NodeAffinityPolicy honored with nodeSelector: spread 1/1/0/~0~",
    pod: pod({ labels: foo, nodeSelector: foo, spread: [hard(1, "node")] }),
    nodes: [node("node-a", { node: "node-a", foo: "" }), node("node-b", { node: "node-b", foo: "" }), node("node-x", { node: "node-x", foo: "" }), node("node-y", { node: "node-y" })],
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": ok },
  },
  {
    name: "NodeAffinityPolicy ignored with nodeSelector: spread 1/1/0/1",
    pod: pod({ labels: foo, nodeSelector: foo, spread: [hard(1, "node", fooSel, { nodeAffinityPolicy: "Ignore" })] }),
    nodes: [node("node-a", { node: "node-a", foo: "" }), node("node-b", { node: "node-b", foo: "" }), node("node-x", { node: "node-x", foo: "" }), node("node-y", { node: "node-y" })],
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": no },
  },
  {
    name: "NodeAffinityPolicy honored with nodeAffinity: spread 1/1/0/~0~",
    pod: pod({ labels: foo, affinity: nodeAffinityIn("foo", [""]), spread: [hard(1, "node")] }),
    nodes: [node("node-a", { node: "node-a", foo: "" }), node("node-b", { node: "node-b", foo: "" }), node("node-x", { node: "node-x", foo: "" }), node("node-y", { node: "node-y" })],
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": ok },
  },
  {
    name: "NodeTaintsPolicy honored: spread 1/1/0/~0~",
    pod: pod({ labels: foo, spread: [hard(1, "node", fooSel, { nodeTaintsPolicy: "Honor" })] }),
    nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-x", { node: "node-x" }), node("node-y", { node: "node-y" }, [unschedulableTaint])],
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": ok },
  },
  {
    name: "NodeTaintsPolicy ignored (default): spread 1/1/0/1",
    pod: pod({ labels: foo, spread: [hard(1, "node")] }),
    nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" }), node("node-x", { node: "node-x" }), node("node-y", { node: "node-y" }, [unschedulableTaint])],
    pods: [p("node-a"), p("node-b"), p("node-y")],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": no },
  },
];

// --- filtering_test.go: TestMultipleConstraints -----------------------------------------------
filterCases.push(
  {
    name: "two constraints on zone and node, spreads = [3/3, 2/1/0/3]",
    pod: pod({ labels: foo, spread: [hard(1, "zone"), hard(1, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 3)],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": no },
  },
  {
    name: "two constraints on zone and node, spreads = [3/4, 2/1/0/4]",
    pod: pod({ labels: foo, spread: [hard(1, "zone"), hard(1, "node")] }),
    nodes: fourNodes(),
    pods: [...many("node-a", 2), p("node-b"), ...many("node-y", 4)],
    want: { "node-a": no, "node-b": no, "node-x": no, "node-y": no },
  },
  {
    name: "constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [hard(1, "zone", fooSel), hard(1, "node", barSel)] }),
    nodes: fourNodes(),
    pods: [p("node-a", foo), p("node-y", { bar: "" })],
    want: { "node-a": no, "node-b": no, "node-x": ok, "node-y": no },
  },
  {
    name: "constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [hard(1, "zone", fooSel), hard(1, "node", barSel)] }),
    nodes: fourNodes(),
    pods: [p("node-a", foo), p("node-x", { bar: "" }), p("node-y", { bar: "" })],
    want: { "node-a": no, "node-b": no, "node-x": no, "node-y": no },
  },
);

// --- scoring_test.go: TestPodTopologySpreadScore ----------------------------------------------
const host = (name: string, extra: Record<string, string> = {}) => node(name, { "kubernetes.io/hostname": name, ...extra });
const hostZ = (name: string, zone: string) => host(name, { zone });
const H = "kubernetes.io/hostname";
const nn = (name: string, extra: Record<string, string> = {}) => node(name, { node: name, ...extra });

export const scoreCases: SpreadScoreCase[] = [
  {
    name: "worked example: hostname, maxSkew 1, counts 2/1/0/3 -> 20/60/100/0",
    pod: pod({ labels: foo, spread: [soft(1, H)] }),
    nodes: [host("node-a"), host("node-b"), host("node-c"), host("node-d")],
    pods: [...many("node-a", 2), p("node-b"), ...many("node-d", 3)],
    want: { "node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0 },
  },
  {
    name: "one constraint on node, all 4 nodes are candidates, maxSkew=3",
    pod: pod({ labels: foo, spread: [soft(3, H)] }),
    nodes: [host("node-a"), host("node-b"), host("node-c"), host("node-d")],
    pods: [...many("node-a", 4), ...many("node-b", 3), ...many("node-c", 2), p("node-d")],
    want: { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
  },
  {
    name: "system defaulting, nodes don't have zone, pods match service",
    pod: pod({ labels: foo }),
    nodes: [host("node-a"), host("node-b"), host("node-c"), host("node-d")],
    pods: [...many("node-a", 4), ...many("node-b", 3), ...many("node-c", 2), p("node-d")],
    services: [service("svc", "default", foo)],
    want: { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
  },
  {
    name: "one constraint on node, 3 out of 4 nodes are candidates",
    pod: pod({ labels: foo, spread: [soft(1, H)] }),
    nodes: [host("node-a"), host("node-b"), host("node-x")],
    failedNodes: [host("node-y")],
    pods: [...many("node-a", 4), ...many("node-b", 2), p("node-x"), ...many("node-y", 3)],
    want: { "node-a": 33, "node-b": 83, "node-x": 100 },
  },
  {
    name: "one constraint on node, 3 of 4 candidates, one node doesn't match topology key",
    pod: pod({ labels: foo, spread: [soft(1, H)] }),
    nodes: [host("node-a"), node("node-b", { n: "node-b" }), host("node-x")],
    failedNodes: [host("node-y")],
    pods: [...many("node-a", 4), ...many("node-b", 2), p("node-x"), ...many("node-y", 3)],
    want: { "node-a": 16, "node-b": 0, "node-x": 100 },
  },
  {
    name: "one constraint on zone, 3 out of 4 nodes are candidates",
    pod: pod({ labels: foo, spread: [soft(1, "zone")] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-x", "zone2")],
    failedNodes: [hostZ("node-y", "zone2")],
    pods: [...many("node-a", 4), ...many("node-b", 2), p("node-x"), ...many("node-y", 3)],
    want: { "node-a": 75, "node-b": 75, "node-x": 100 },
  },
  {
    name: "two constraints on zone and node, 2 out of 4 nodes are candidates",
    pod: pod({ labels: foo, spread: [soft(1, "zone"), soft(1, H)] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-x", "zone2")],
    failedNodes: [hostZ("node-b", "zone1"), hostZ("node-y", "zone2")],
    pods: [...many("node-a", 2), p("node-b"), ...many("node-x", 2), ...many("node-y", 4)],
    want: { "node-a": 100, "node-x": 63 },
  },
  {
    name: "two constraints on zone and node, with different labelSelectors",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [soft(1, "zone", fooSel), soft(1, H, barSel)] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-x", "zone2"), hostZ("node-y", "zone2")],
    pods: [p("node-a", foo), p("node-b", { foo: "", bar: "" }), p("node-y", foo), p("node-y", { bar: "" })],
    want: { "node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60 },
  },
  {
    name: "two constraints with different labelSelectors, some nodes have 0 pods",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [soft(1, "zone", fooSel), soft(1, H, barSel)] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-x", "zone2"), hostZ("node-y", "zone2")],
    pods: [p("node-b", { bar: "" }), p("node-x", foo), p("node-y", { foo: "", bar: "" })],
    want: { "node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0 },
  },
  {
    name: "two constraints with different labelSelectors, 3 out of 4 nodes are candidates",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [soft(1, "zone", fooSel), soft(1, H, barSel)] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-x", "zone2")],
    failedNodes: [hostZ("node-y", "zone2")],
    pods: [p("node-a", foo), p("node-b", { foo: "", bar: "" }), p("node-y", foo), p("node-y", { bar: "" })],
    want: { "node-a": 50, "node-b": 25, "node-x": 100 },
  },
  {
    name: "existing pods in a different namespace do not count",
    pod: pod({ labels: foo, spread: [soft(1, H)] }),
    nodes: [host("node-a"), host("node-b")],
    pods: [p("node-a", foo, { namespace: "ns1" }), p("node-a"), ...many("node-b", 2)],
    want: { "node-a": 100, "node-b": 33 },
  },
  {
    name: "terminating Pods should be excluded",
    pod: pod({ labels: foo, spread: [soft(1, H)] }),
    nodes: [host("node-a"), host("node-b")],
    pods: [p("node-a", foo, { terminating: true }), p("node-b")],
    want: { "node-a": 100, "node-b": 0 },
  },
  {
    name: "minDomains has no effect when ScheduleAnyway",
    pod: pod({ labels: foo, spread: [soft(2, "node", fooSel, { minDomains: 10 })] }),
    nodes: [nn("node-a"), nn("node-b"), nn("node-c")],
    pods: [...many("node-a", 2), ...many("node-b", 2), p("node-c")],
    want: { "node-a": 75, "node-b": 75, "node-c": 100 },
  },
  {
    name: "NodeAffinityPolicy honored with nodeSelector",
    pod: pod({ labels: foo, nodeSelector: foo, spread: [soft(1, "node")] }),
    nodes: [nn("node-a", foo), nn("node-b", foo), nn("node-c")],
    pods: [...many("node-a", 2), p("node-b"), p("node-c")],
    want: { "node-a": 0, "node-b": 33, "node-c": 100 },
  },
  {
    name: "NodeAffinityPolicy ignored with nodeSelector",
    pod: pod({ labels: foo, nodeSelector: foo, spread: [soft(1, "node", fooSel, { nodeAffinityPolicy: "Ignore" })] }),
    nodes: [nn("node-a", foo), nn("node-b", foo), nn("node-c")],
    pods: [...many("node-a", 2), p("node-b"), p("node-c")],
    want: { "node-a": 66, "node-b": 100, "node-c": 100 },
  },
  {
    name: "NodeAffinityPolicy honored with nodeAffinity",
    pod: pod({ labels: foo, affinity: nodeAffinityIn("foo", [""]), spread: [soft(1, "node")] }),
    nodes: [nn("node-a", foo), nn("node-b", foo), nn("node-c")],
    pods: [...many("node-a", 2), p("node-b"), p("node-c")],
    want: { "node-a": 0, "node-b": 33, "node-c": 100 },
  },
  {
    name: "NodeTaintsPolicy honored",
    pod: pod({ labels: foo, spread: [soft(1, "node", fooSel, { nodeTaintsPolicy: "Honor" })] }),
    nodes: [nn("node-a"), nn("node-b"), node("node-c", { node: "node-c" }, [unschedulableTaint])],
    pods: [...many("node-a", 2), p("node-b"), p("node-c")],
    want: { "node-a": 0, "node-b": 33, "node-c": 100 },
  },
  {
    name: "NodeTaintsPolicy ignored",
    pod: pod({ labels: foo, spread: [soft(1, "node")] }),
    nodes: [nn("node-a"), nn("node-b"), node("node-c", { node: "node-c" }, [unschedulableTaint])],
    pods: [...many("node-a", 2), p("node-b"), p("node-c")],
    want: { "node-a": 66, "node-b": 100, "node-c": 100 },
  },
  {
    name: "matchLabelKeys ANDed with an empty labelSelector",
    pod: pod({ labels: { foo: "", bar: "" }, spread: [soft(1, "zone", sel.empty(), { matchLabelKeys: ["foo"] }), soft(1, H, sel.empty(), { matchLabelKeys: ["bar"] })] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-c", "zone2"), hostZ("node-d", "zone2")],
    pods: [p("node-a", foo), p("node-b", { foo: "", bar: "" }), p("node-c", foo), p("node-c", { bar: "" })],
    want: { "node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100 },
  },
  {
    name: "matchLabelKeys ANDed with a non-empty labelSelector",
    pod: pod({ labels: { foo: "", bar: "", baz: "" }, spread: [soft(1, "zone", fooSel), soft(1, H, barSel, { matchLabelKeys: ["baz"] })] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone1"), hostZ("node-c", "zone2"), hostZ("node-d", "zone2")],
    pods: [p("node-a", foo), p("node-b", { foo: "", bar: "", baz: "" }), p("node-c", foo), p("node-c", { bar: "" }), p("node-c", { bar: "", baz: "" })],
    want: { "node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100 },
  },
  // From TestPreScoreStateEmptyNodes "system default constraints and a replicaset": with
  // system defaults nodes without a zone are not ignored but form their own "" zone
  // (zone weight ln(2+2), hostname weight ln(4+2)). Scores hand-computed from that state:
  // raw a = round(2*ln6 + 2 + 2*ln4 + 4) = 12, b = round(2 + 2*ln4 + 4) = 9, c = round(ln6 + 2) = 4, d = 2.
  {
    name: "system defaults from a ReplicaSet: nodes without zone form one extra zone domain",
    pod: pod({ labels: { foo: "tar", baz: "sup" } }),
    nodes: [
      host("node-a", { "topology.kubernetes.io/zone": "mars" }),
      host("node-b", { "topology.kubernetes.io/zone": "mars" }),
      host("node-c"),
      host("node-d"),
    ],
    pods: [...many("node-a", 2, { foo: "x" }), p("node-c", { foo: "y" })],
    replicaSets: [replicaSet("rs1", "default", fooSel)],
    want: { "node-a": 16, "node-b": 41, "node-c": 83, "node-d": 100 },
  },
  {
    name: "default constraints and a ReplicaSet that doesn't select the pod: PreScore skips",
    pod: pod({ labels: { foo: "bar", baz: "sup" } }),
    nodes: [node("node-a", { planet: "mars" })],
    pods: [],
    replicaSets: [replicaSet("rs1", "default", sel.exists("tar"))],
    want: "Skip",
  },
  {
    name: "no ScheduleAnyway constraint and no default owners: PreScore skips",
    pod: pod({ labels: foo, spread: [hard(1, "zone")] }),
    nodes: [hostZ("node-a", "zone1"), hostZ("node-b", "zone2")],
    pods: [p("node-a")],
    want: "Skip",
  },
];
