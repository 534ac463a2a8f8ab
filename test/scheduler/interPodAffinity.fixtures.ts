/**
 * InterPodAffinity conformance cases, transcribed as facts from upstream's table tests
 * (kubernetes/kubernetes pkg/scheduler/framework/plugins/interpodaffinity:
 * filtering_test.go TestRequiredAffinitySingleNode / TestRequiredAffinityMultipleNodes,
 * scoring_test.go TestPreferredAffinity / TestPreferredAffinityWithHardPodAffinitySymmetricWeight).
 *
 * Our format: the incoming pod, the nodes, the bound pods (and Namespace objects), and the
 * expected result per node. Filter results carry the status code and the reason of the
 * current release (filter order affinity -> anti-affinity -> existing anti-affinity).
 * Upstream's "default" namespace "" is written "default" here; every pod of a case that
 * upstream left in "" is in "default", so namespace semantics are unchanged.
 */
import type { Namespace, Node, Pod } from "../../src/model/types.js";
import { affinity, namespace, node, pod, sel, term, weighted } from "./interPodAffinity.builders.js";

export const R_AFFINITY = "node(s) didn't match pod affinity rules";
export const R_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const R_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

export type Code = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable";
export type Want = Code | [Code, string];
const OK: Want = "Success";
const AFF: Want = ["UnschedulableAndUnresolvable", R_AFFINITY];
const ANTI: Want = ["Unschedulable", R_ANTI_AFFINITY];
const EXIST: Want = ["Unschedulable", R_EXISTING_ANTI_AFFINITY];

export interface FilterCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  pods: Pod[];
  namespaces?: Namespace[];
  want: Record<string, Want>;
}

export interface ScoreCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  pods: Pod[];
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
  /** Normalized score per node, or the PreScore status when it is Skip or Error. */
  want: Record<string, number> | "Skip" | "Error";
}

// --- filtering_test.go: TestRequiredAffinitySingleNode -------------------------------------
const svcScan = { service: "securityscan" };
const secS1 = { security: "S1" };
const machine1 = node("machine1", { region: "r1", zone: "z11" });
const on1 = (labels: Record<string, string>, aff?: ReturnType<typeof affinity>) => pod({ node: "machine1", labels, affinity: aff });
const scanIn = sel.in("service", "securityscan", "value2");
const antivirusIn = sel.in("service", "antivirusscan", "value2");

const single = (name: string, p: Pod, pods: Pod[], want: Want): FilterCase => ({ name, pod: p, nodes: [machine1], pods, want: { machine1: want } });

export const filterCases: FilterCase[] = [
  single("no required pod affinity, node without pods", pod({}), [], OK),
  single(
    "required affinity In matches the existing pod",
    pod({ labels: secS1, affinity: affinity({ required: [term(scanIn, "region")] }) }),
    [on1(svcScan)],
    OK,
  ),
  single(
    "required affinity NotIn matches the existing pod",
    pod({ labels: secS1, affinity: affinity({ required: [term(sel.notIn("service", "securityscan3", "value3"), "region")] }) }),
    [on1(svcScan)],
    OK,
  ),
  // Upstream leaves topologyKey empty here; "region" keeps the case valid and the result equal.
  single(
    "affinity does not match because the existing pod is in another namespace",
    pod({ labels: secS1, affinity: affinity({ required: [term(scanIn, "region", { namespaces: ["DiffNameSpace"] })] }) }),
    [pod({ node: "machine1", namespace: "ns", labels: svcScan })],
    AFF,
  ),
  single(
    "affinity does not match an existing pod with unmatching labels",
    pod({ labels: svcScan, affinity: affinity({ required: [term(antivirusIn, "region")] }) }),
    [on1(svcScan)],
    AFF,
  ),
  single(
    "several required terms with different operators all match",
    pod({
      labels: secS1,
      affinity: affinity({
        required: [
          term(sel.all(sel.exists("service"), { matchExpressions: [{ key: "wrongkey", operator: "DoesNotExist" }] }), "region"),
          term(sel.all(sel.in("service", "securityscan"), sel.notIn("service", "WrongValue")), "region"),
        ],
      }),
    }),
    [on1(svcScan)],
    OK,
  ),
  single(
    "match expressions are ANDed: one failing expression fails the term",
    pod({
      labels: secS1,
      affinity: affinity({
        required: [
          term(sel.all(sel.exists("service"), { matchExpressions: [{ key: "wrongkey", operator: "DoesNotExist" }] }), "region"),
          term(sel.all(sel.in("service", "securityscan2"), sel.notIn("service", "WrongValue")), "region"),
        ],
      }),
    }),
    [on1(svcScan)],
    AFF,
  ),
  single(
    "affinity and anti-affinity both satisfied",
    pod({ labels: secS1, affinity: affinity({ required: [term(scanIn, "region")], antiRequired: [term(antivirusIn, "node")] }) }),
    [on1(svcScan)],
    OK,
  ),
  single(
    "affinity, anti-affinity and anti-affinity symmetry all satisfied",
    pod({ labels: secS1, affinity: affinity({ required: [term(scanIn, "region")], antiRequired: [term(antivirusIn, "node")] }) }),
    [on1(svcScan, affinity({ antiRequired: [term(antivirusIn, "node")] }))],
    OK,
  ),
  single(
    "affinity satisfied but anti-affinity violated",
    pod({ labels: secS1, affinity: affinity({ required: [term(scanIn, "region")], antiRequired: [term(scanIn, "zone")] }) }),
    [on1(svcScan)],
    ANTI,
  ),
  single(
    "existing pod's anti-affinity (symmetry) violated",
    pod({ labels: svcScan, affinity: affinity({ required: [term(scanIn, "region")], antiRequired: [term(antivirusIn, "node")] }) }),
    [on1(svcScan, affinity({ antiRequired: [term(scanIn, "zone")] }))],
    EXIST,
  ),
  // Upstream binds the only existing pod to machine2, which is not in the snapshot: no pod counts.
  single(
    "first-pod rule does not apply when the pod does not match its own term",
    pod({ labels: svcScan, affinity: affinity({ required: [term(sel.notIn("service", "securityscan", "value2"), "region")] }) }),
    [],
    AFF,
  ),
  single(
    "existing pod's anti-affinity is respected for a pod without constraints",
    pod({ labels: svcScan }),
    [on1(svcScan, affinity({ antiRequired: [term(scanIn, "zone")] }))],
    EXIST,
  ),
  single(
    "existing pod's anti-affinity with NotIn does not match the pod",
    pod({ labels: svcScan }),
    [on1(svcScan, affinity({ antiRequired: [term(sel.notIn("service", "securityscan", "value2"), "zone")] }))],
    OK,
  ),
  single(
    "incoming anti-affinity matches the existing pod",
    pod({ labels: svcScan, affinity: affinity({ antiRequired: [term(sel.exists("service"), "region"), term(sel.exists("security"), "region")] }) }),
    [on1(secS1, affinity({ antiRequired: [term(sel.exists("security"), "zone")] }))],
    ANTI,
  ),
  single(
    "symmetry a1: incoming pod's second anti term matches the existing pod",
    pod({ labels: svcScan, affinity: affinity({ antiRequired: [term(sel.exists("service"), "zone"), term(sel.exists("security"), "zone")] }) }),
    [on1(secS1, affinity({ antiRequired: [term(sel.exists("security"), "zone")] }))],
    ANTI,
  ),
  single(
    "symmetry a2: existing pod's anti term matches the incoming pod",
    pod({ labels: secS1, affinity: affinity({ antiRequired: [term(sel.exists("security"), "zone")] }) }),
    [on1(svcScan, affinity({ antiRequired: [term(sel.exists("service"), "zone"), term(sel.exists("security"), "zone")] }))],
    EXIST,
  ),
  // b1/b2: both sides match; the v1.18 table reported the existing-pods reason because it
  // checked symmetry first; the current order reports the incoming anti-affinity.
  single(
    "symmetry b1: both pods' anti terms match each other (current filter order)",
    pod({ labels: { abc: "", xyz: "" }, affinity: affinity({ antiRequired: [term(sel.exists("abc"), "zone"), term(sel.exists("def"), "zone")] }) }),
    [on1({ def: "", xyz: "" }, affinity({ antiRequired: [term(sel.exists("abc"), "zone"), term(sel.exists("def"), "zone")] }))],
    ANTI,
  ),
  single(
    "symmetry b2: both pods' anti terms match each other (current filter order)",
    pod({ labels: { def: "", xyz: "" }, affinity: affinity({ antiRequired: [term(sel.exists("abc"), "zone"), term(sel.exists("def"), "zone")] }) }),
    [on1({ abc: "", xyz: "" }, affinity({ antiRequired: [term(sel.exists("abc"), "zone"), term(sel.exists("def"), "zone")] }))],
    ANTI,
  ),
];

// --- filtering_test.go: TestRequiredAffinityMultipleNodes ----------------------------------
const rgChina = { region: "China" };
const rgChinaAz1 = { region: "China", az: "az1" };
const rgIndia = { region: "India" };
const abc = sel.in("foo", "abc");

filterCases.push(
  {
    name: "all nodes in the domain of a matching pod pass; other domains fail",
    pod: pod({ affinity: affinity({ required: [term(sel.in("foo", "bar"), "region")] }) }),
    pods: [pod({ node: "machine1", labels: { foo: "bar" } })],
    nodes: [node("machine1", rgChina), node("machine2", rgChinaAz1), node("machine3", rgIndia)],
    want: { machine1: OK, machine2: OK, machine3: AFF },
  },
  {
    name: "first-pod rule: the first pod of a self-affine group may go anywhere",
    pod: pod({ labels: { foo: "bar", service: "securityscan" }, affinity: affinity({ required: [term(sel.in("foo", "bar"), "zone"), term(sel.in("service", "securityscan"), "zone")] }) }),
    pods: [pod({ node: "nodeA", labels: { foo: "bar" } })],
    nodes: [node("nodeA", { zone: "az1", hostname: "h1" }), node("nodeB", { zone: "az2", hostname: "h2" })],
    want: { nodeA: OK, nodeB: OK },
  },
  {
    name: "anti-affinity blocks every node sharing the topology value",
    pod: pod({ affinity: affinity({ antiRequired: [term(abc, "region")] }) }),
    pods: [pod({ node: "nodeA", labels: { foo: "abc" } })],
    nodes: [node("nodeA", { region: "r1", hostname: "nodeA" }), node("nodeB", { region: "r1", hostname: "nodeB" })],
    want: { nodeA: ANTI, nodeB: ANTI },
  },
  {
    name: "anti-affinity matches when any of its terms matches",
    pod: pod({ affinity: affinity({ antiRequired: [term(abc, "region"), term(sel.in("service", "securityscan"), "zone")] }) }),
    pods: [pod({ node: "nodeA", labels: { foo: "abc", service: "securityscan" } })],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" })],
    want: { nodeA: ANTI, nodeB: ANTI },
  },
  {
    name: "anti-affinity: a node in another region passes",
    pod: pod({ affinity: affinity({ antiRequired: [term(abc, "region")] }) }),
    pods: [pod({ node: "nodeA", labels: { foo: "abc" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgChinaAz1), node("nodeC", rgIndia)],
    want: { nodeA: ANTI, nodeB: ANTI, nodeC: OK },
  },
  {
    name: "existing anti-affinity in another namespace does not apply",
    pod: pod({ namespace: "NS1", labels: { foo: "123" }, affinity: affinity({ antiRequired: [term(sel.in("foo", "bar"), "region")] }) }),
    pods: [
      pod({ namespace: "NS1", node: "nodeA", labels: { foo: "bar" } }),
      pod({ namespace: "NS2", node: "nodeC", affinity: affinity({ antiRequired: [term(sel.in("foo", "123"), "region")] }) }),
    ],
    nodes: [node("nodeA", rgChina), node("nodeB", rgChinaAz1), node("nodeC", rgIndia)],
    want: { nodeA: ANTI, nodeB: ANTI, nodeC: OK },
  },
  {
    name: "existing pod's anti term with a topology key no node has never counts",
    pod: pod({ labels: { foo: "" } }),
    pods: [pod({ node: "nodeA", affinity: affinity({ antiRequired: [term(sel.exists("foo"), "invalid-node-label")] }) })],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z1", hostname: "nodeB" })],
    want: { nodeA: OK, nodeB: OK },
  },
  {
    name: "incoming anti term with a topology key no node has never counts",
    pod: pod({ affinity: affinity({ antiRequired: [term(sel.exists("foo"), "invalid-node-label")] }) }),
    pods: [pod({ node: "nodeA", labels: { foo: "" } })],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z1", hostname: "nodeB" })],
    want: { nodeA: OK, nodeB: OK },
  },
  {
    name: "incoming pod violates each existing pod's anti-affinity on all nodes",
    pod: pod({ labels: { foo: "", bar: "" } }),
    pods: [
      pod({ node: "nodeA", affinity: affinity({ antiRequired: [term(sel.exists("foo"), "zone")] }) }),
      pod({ node: "nodeA", affinity: affinity({ antiRequired: [term(sel.exists("bar"), "region")] }) }),
    ],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" })],
    want: { nodeA: EXIST, nodeB: EXIST },
  },
  {
    name: "existing anti-affinity counts only where selector and topology key both match",
    pod: pod({ labels: { foo: "", bar: "" } }),
    pods: [pod({ node: "nodeA", affinity: affinity({ antiRequired: [term(sel.exists("foo"), "invalid-node-label"), term(sel.exists("bar"), "zone")] }) })],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" })],
    want: { nodeA: EXIST, nodeB: OK },
  },
  {
    name: "existing pods on nodeA and nodeB each have one matching anti term: only nodeC fits",
    pod: pod({ labels: { foo: "", bar: "" } }),
    pods: [
      pod({ node: "nodeA", affinity: affinity({ antiRequired: [term(sel.exists("foo"), "zone"), term(sel.exists("labelA"), "zone")] }) }),
      pod({ node: "nodeB", affinity: affinity({ antiRequired: [term(sel.exists("bar"), "zone"), term(sel.exists("labelB"), "zone")] }) }),
    ],
    nodes: [
      node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }),
      node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" }),
      node("nodeC", { region: "r1", zone: "z3", hostname: "nodeC" }),
    ],
    want: { nodeA: EXIST, nodeB: EXIST, nodeC: OK },
  },
  {
    name: "incoming affinity: all terms must match one pod, then all topology keys are checked",
    pod: pod({ affinity: affinity({ required: [term(sel.exists("foo"), "region"), term(sel.exists("bar"), "zone")] }) }),
    pods: [pod({ name: "pod1", node: "nodeA", labels: { foo: "", bar: "" } })],
    nodes: [node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }), node("nodeB", { region: "r1", zone: "z1", hostname: "nodeB" })],
    want: { nodeA: OK, nodeB: OK },
  },
);

// namespaceSelector (1.21+): Namespace objects with labels select the namespaces of a term.
// Hand-derived from the semantics facts (§7.1), in the shape of upstream's namespace tables.
const teamNamespaces = [
  namespace("subteam1.team1", { team: "team1" }),
  namespace("subteam2.team1", { team: "team1" }),
  namespace("subteam1.team2", { team: "team2" }),
  namespace("subteam2.team2", { team: "team2" }),
];
filterCases.push(
  {
    name: "namespaceSelector: anti-affinity against pods of every team1 namespace",
    pod: pod({ namespace: "subteam1.team1", affinity: affinity({ antiRequired: [term(sel.exists("app"), "region", { namespaceSelector: sel.in("team", "team1") })] }) }),
    pods: [pod({ namespace: "subteam2.team1", node: "nodeA", labels: { app: "x" } }), pod({ namespace: "subteam1.team2", node: "nodeB", labels: { app: "x" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgIndia)],
    namespaces: teamNamespaces,
    want: { nodeA: ANTI, nodeB: OK },
  },
  {
    name: "namespaceSelector {} selects all namespaces",
    pod: pod({ namespace: "subteam1.team1", affinity: affinity({ antiRequired: [term(sel.exists("app"), "region", { namespaceSelector: sel.empty() })] }) }),
    pods: [pod({ namespace: "subteam2.team1", node: "nodeA", labels: { app: "x" } }), pod({ namespace: "subteam1.team2", node: "nodeB", labels: { app: "x" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgIndia)],
    namespaces: teamNamespaces,
    want: { nodeA: ANTI, nodeB: ANTI },
  },
  {
    name: "namespaces list and namespaceSelector are unioned",
    pod: pod({ namespace: "subteam1.team1", affinity: affinity({ required: [term(sel.exists("app"), "region", { namespaces: ["subteam2.team2"], namespaceSelector: sel.in("team", "nobody") })] }) }),
    pods: [pod({ namespace: "subteam2.team2", node: "nodeA", labels: { app: "x" } }), pod({ namespace: "subteam1.team2", node: "nodeB", labels: { app: "x" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgIndia)],
    namespaces: teamNamespaces,
    want: { nodeA: OK, nodeB: AFF },
  },
  {
    name: "matchLabelKeys: only pods with the incoming pod's value count",
    pod: pod({ labels: { app: "web", rev: "2" }, affinity: affinity({ antiRequired: [term(sel.in("app", "web"), "region", { matchLabelKeys: ["rev"] })] }) }),
    pods: [pod({ node: "nodeA", labels: { app: "web", rev: "1" } }), pod({ node: "nodeB", labels: { app: "web", rev: "2" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgIndia)],
    want: { nodeA: OK, nodeB: ANTI },
  },
  {
    name: "mismatchLabelKeys: only pods with another value count",
    pod: pod({ labels: { app: "web", tenant: "t1" }, affinity: affinity({ antiRequired: [term(sel.exists("app"), "region", { mismatchLabelKeys: ["tenant"] })] }) }),
    pods: [pod({ node: "nodeA", labels: { app: "web", tenant: "t1" } }), pod({ node: "nodeB", labels: { app: "web", tenant: "t2" } })],
    nodes: [node("nodeA", rgChina), node("nodeB", rgIndia)],
    want: { nodeA: OK, nodeB: ANTI },
  },
);

// --- scoring_test.go: TestPreferredAffinity ------------------------------------------------
const secS2 = { security: "S2" };
const stayWithS1InRegion = affinity({ preferred: [weighted(5, term(sel.in("security", "S1"), "region"))] });
const stayWithS2InRegion = affinity({ preferred: [weighted(6, term(sel.in("security", "S2"), "region"))] });
const affinity3 = affinity({
  preferred: [
    weighted(8, term(sel.all(sel.notIn("security", "S1"), sel.in("security", "S2")), "region")),
    weighted(2, term(sel.all(sel.exists("security"), { matchExpressions: [{ key: "wrongkey", operator: "DoesNotExist" }] }), "region")),
  ],
});
const hardAffinity = affinity({
  required: [
    term(sel.in("security", "S1", "value2"), "region"),
    term(sel.all(sel.exists("security"), { matchExpressions: [{ key: "wrongkey", operator: "DoesNotExist" }] }), "region"),
  ],
});
const awayFromS1InAz = affinity({ antiPreferred: [weighted(5, term(sel.in("security", "S1"), "az"))] });
const awayFromS2InAz = affinity({ antiPreferred: [weighted(5, term(sel.in("security", "S2"), "az"))] });
const stayS1AwayS2 = affinity({
  preferred: [weighted(8, term(sel.in("security", "S1"), "region"))],
  antiPreferred: [weighted(5, term(sel.in("security", "S2"), "az"))],
});
const nsSelTerm = () => term(sel.in("security", "S1"), "region", { namespaces: ["subteam2.team2"], namespaceSelector: sel.in("team", "team1") });
const affinityNamespaceSelector = affinity({ preferred: [weighted(5, nsSelTerm())] });
const antiAffinityNamespaceSelector = affinity({ antiPreferred: [weighted(5, nsSelTerm())] });
const az1 = { az: "az1" };
const az2 = { az: "az2" };
const on = (n: string, labels: Record<string, string> = {}, aff?: ReturnType<typeof affinity>, ns?: string) =>
  pod({ node: n, labels, affinity: aff, namespace: ns });
const n3 = () => [node("node1", rgChina), node("node2", rgIndia), node("node3", az1)];

export const scoreNamespaces = teamNamespaces;

export const scoreCases: ScoreCase[] = [
  { name: "all nodes are same priority as Affinity is nil", pod: pod({ labels: secS1 }), pods: [], nodes: n3(), want: "Skip" },
  {
    name: "affinity: matching topology key and pods gets the high score",
    pod: pod({ labels: secS1, affinity: stayWithS1InRegion }),
    pods: [on("node1", secS1), on("node2", secS2), on("node3", secS1)],
    nodes: n3(),
    want: { node1: 100, node2: 0, node3: 0 },
  },
  {
    name: "affinity: all nodes sharing the topology value of a matching pod score the same",
    pod: pod({ affinity: stayWithS1InRegion }),
    pods: [on("node1", secS1)],
    nodes: [node("node1", rgChina), node("node2", rgChinaAz1), node("node3", rgIndia)],
    want: { node1: 100, node2: 100, node3: 0 },
  },
  {
    name: "affinity: the region with more matching pods scores higher",
    pod: pod({ labels: secS1, affinity: stayWithS2InRegion }),
    pods: [on("node1", secS2), on("node1", secS2), on("node2", secS2), on("node3", secS2), on("node4", secS2), on("node5", secS2)],
    nodes: [node("node1", rgChina), node("node2", rgIndia), node("node3", rgChina), node("node4", rgChina), node("node5", rgIndia)],
    want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
  },
  {
    name: "affinity: different operators, some match failures",
    pod: pod({ labels: secS1, affinity: affinity3 }),
    pods: [on("node1", secS1), on("node2", secS2), on("node3", secS1)],
    nodes: n3(),
    want: { node1: 20, node2: 100, node3: 0 },
  },
  {
    name: "affinity symmetry: existing pods' preferred affinity",
    pod: pod({ labels: secS2 }),
    pods: [on("node1", secS1, stayWithS1InRegion), on("node2", secS2, stayWithS2InRegion)],
    nodes: n3(),
    want: { node1: 0, node2: 100, node3: 0 },
  },
  {
    name: "affinity symmetry with namespace selector",
    pod: pod({ namespace: "subteam1.team1", labels: secS1 }),
    pods: [on("node1", secS1, affinityNamespaceSelector), on("node2", secS2, stayWithS2InRegion)],
    nodes: n3(),
    want: { node1: 100, node2: 0, node3: 0 },
  },
  {
    name: "anti-affinity symmetry with namespace selector",
    pod: pod({ namespace: "subteam1.team1", labels: secS1 }),
    pods: [on("node1", secS1, antiAffinityNamespaceSelector), on("node2", secS2, stayWithS2InRegion)],
    nodes: n3(),
    want: { node1: 0, node2: 100, node3: 100 },
  },
  {
    name: "affinity symmetry: existing pods' required affinity with hardPodAffinityWeight",
    pod: pod({ labels: secS1 }),
    pods: [on("node1", secS1, hardAffinity), on("node2", secS2, hardAffinity)],
    nodes: n3(),
    want: { node1: 100, node2: 100, node3: 0 },
  },
  {
    name: "anti-affinity: pod that does not match existing pods in node gets the high score",
    pod: pod({ labels: secS1, affinity: awayFromS1InAz }),
    pods: [on("node1", secS1), on("node2", secS2)],
    nodes: [node("node1", az1), node("node2", rgChina)],
    want: { node1: 0, node2: 100 },
  },
  {
    name: "anti-affinity: node without the topology key scores higher",
    pod: pod({ labels: secS1, affinity: awayFromS1InAz }),
    pods: [on("node1", secS1), on("node2", secS1)],
    nodes: [node("node1", az1), node("node2", rgChina)],
    want: { node1: 0, node2: 100 },
  },
  {
    name: "anti-affinity: node with more matching pods scores lower",
    pod: pod({ labels: secS1, affinity: awayFromS1InAz }),
    pods: [on("node1", secS1), on("node1", secS1), on("node2", secS2)],
    nodes: [node("node1", az1), node("node2", rgIndia)],
    want: { node1: 0, node2: 100 },
  },
  {
    name: "anti-affinity symmetry: existing pods' preferred anti-affinity",
    pod: pod({ labels: secS2 }),
    pods: [on("node1", secS1, awayFromS2InAz), on("node2", secS2, awayFromS1InAz)],
    nodes: [node("node1", az1), node("node2", az2)],
    want: { node1: 0, node2: 100 },
  },
  {
    name: "affinity and anti-affinity, preferred terms only",
    pod: pod({ labels: secS1, affinity: stayS1AwayS2 }),
    pods: [on("node1", secS1), on("node2", secS1)],
    nodes: [node("node1", rgChina), node("node2", az1)],
    want: { node1: 100, node2: 0 },
  },
  {
    name: "affinity and anti-affinity with same-labelled existing pods",
    pod: pod({ labels: secS1, affinity: stayS1AwayS2 }),
    pods: [on("node1", secS1), on("node1", secS1), on("node2", secS1), on("node3", secS1), on("node3", secS1), on("node4", secS1), on("node5", secS1)],
    nodes: [node("node1", rgChinaAz1), node("node2", rgIndia), node("node3", rgChina), node("node4", rgChina), node("node5", rgIndia)],
    want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
  },
  {
    name: "affinity, anti-affinity and symmetry together",
    pod: pod({ labels: secS1, affinity: stayS1AwayS2 }),
    pods: [on("node1", secS1), on("node2", secS2), on("node3", {}, stayS1AwayS2), on("node4", {}, awayFromS1InAz)],
    nodes: [node("node1", rgChina), node("node2", az1), node("node3", rgIndia), node("node4", az2)],
    want: { node1: 100, node2: 0, node3: 100, node4: 0 },
  },
  {
    name: "no panic when only some nodes of a topology have pods with affinity (max == min gives 0)",
    pod: pod({ labels: secS1 }),
    pods: [on("node1", secS1), on("node2", {}, stayS1AwayS2)],
    nodes: [node("node1", rgChina), node("node2", rgChina)],
    want: { node1: 0, node2: 0 },
  },
  {
    name: "invalid Affinity fails PreScore",
    pod: pod({ affinity: affinity({ preferred: [weighted(8, term(sel.in("security", "{{.bad-value.}}"), "region"))] }) }),
    pods: [],
    nodes: [node("node1", rgChina), node("node2", rgChina)],
    want: "Error",
  },
  {
    name: "invalid AntiAffinity fails PreScore",
    pod: pod({ affinity: affinity({ antiPreferred: [weighted(5, term(sel.in("security", "{{.bad-value.}}"), "az"))] }) }),
    pods: [],
    nodes: [node("node1", rgChina), node("node2", rgChina)],
    want: "Error",
  },
  {
    name: "affinity with pods matching namespaceSelector",
    pod: pod({ namespace: "subteam1.team1", labels: secS1, affinity: affinityNamespaceSelector }),
    pods: [on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam1.team2"), on("node2", secS1, undefined, "subteam2.team1")],
    nodes: [node("node1", rgChina), node("node2", rgIndia)],
    want: { node1: 100, node2: 0 },
  },
  {
    name: "affinity with pods matching both namespaceSelector and namespaces",
    pod: pod({ namespace: "subteam1.team1", labels: secS1, affinity: affinityNamespaceSelector }),
    pods: [on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam2.team2"), on("node2", secS1, undefined, "subteam2.team1")],
    nodes: [node("node1", rgChina), node("node2", rgIndia)],
    want: { node1: 100, node2: 0 },
  },
  {
    name: "anti-affinity with pods matching namespaceSelector",
    pod: pod({ namespace: "subteam1.team1", labels: secS1, affinity: antiAffinityNamespaceSelector }),
    pods: [on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam1.team1"), on("node1", secS1, undefined, "subteam1.team2"), on("node2", secS1, undefined, "subteam2.team1")],
    nodes: [node("node1", rgChina), node("node2", rgIndia)],
    want: { node1: 0, node2: 100 },
  },
  {
    name: "ignorePreferredTermsOfExistingPods: pod without preferred terms skips",
    pod: pod({ labels: secS2 }),
    pods: [on("node1", secS1, stayS1AwayS2), on("node2", secS2, stayWithS2InRegion)],
    nodes: [node("node1", rgChina), node("node2", rgIndia)],
    ignorePreferredTermsOfExistingPods: true,
    want: "Skip",
  },
  {
    name: "existing pods' preferred terms count by default",
    pod: pod({ labels: secS2 }),
    pods: [on("node1", secS1, stayS1AwayS2), on("node2", secS2, stayWithS2InRegion)],
    nodes: [node("node1", rgChina), node("node2", rgIndia)],
    want: { node1: 0, node2: 100 },
  },
];

// --- scoring_test.go: TestPreferredAffinityWithHardPodAffinitySymmetricWeight --------------
const hardPodAffinity = affinity({
  required: [term(sel.in("service", "S1"), "region", { namespaces: ["default", "subteam2.team2"], namespaceSelector: sel.in("team", "team1") })],
});
const hardNodes = () => [node("node1", rgChina), node("node2", rgIndia), node("node3", az1)];
const hardPods = () => [on("node1", {}, hardPodAffinity), on("node2", {}, hardPodAffinity)];
scoreCases.push(
  { name: "hard pod affinity symmetry with default weight", pod: pod({ labels: { service: "S1" } }), pods: hardPods(), nodes: hardNodes(), want: { node1: 100, node2: 100, node3: 0 } },
  { name: "hard pod affinity symmetry with zero weight skips", pod: pod({ labels: { service: "S1" } }), pods: hardPods(), nodes: hardNodes(), hardPodAffinityWeight: 0, want: "Skip" },
  { name: "hard pod affinity symmetry with no matching namespace skips", pod: pod({ namespace: "subteam1.team2", labels: { service: "S1" } }), pods: hardPods(), nodes: hardNodes(), want: "Skip" },
  { name: "hard pod affinity symmetry with matching namespaceSelector", pod: pod({ namespace: "subteam1.team1", labels: { service: "S1" } }), pods: hardPods(), nodes: hardNodes(), want: { node1: 100, node2: 100, node3: 0 } },
  { name: "hard pod affinity symmetry with matching namespaces", pod: pod({ namespace: "subteam2.team2", labels: { service: "S1" } }), pods: hardPods(), nodes: hardNodes(), want: { node1: 100, node2: 100, node3: 0 } },
);
