/**
 * NodeAffinity: cases transcribed from upstream
 * pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go (TestNodeAffinity,
 * TestNodeAffinityPriority). Each filter row is one pod against one node (name,
 * labels), with upstream's expected PreFilter status/result and Filter status.
 */
import { describe, expect, test } from "vitest";
import type { NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from "kubernetes-types/core/v1.d.ts";
import { Code } from "../../src/scheduler/framework.js";
import { NodeAffinity, ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, type NodeAffinityArgs } from "../../src/scheduler/plugins/NodeAffinity.js";
import { cluster, pod, runFilter, runScore } from "./helpers.js";

const req = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, values });
const nameIn = (...names: string[]): NodeSelectorRequirement => ({ key: "metadata.name", operator: "In", values: names });
const required = (...terms: NodeSelectorTerm[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

interface FilterCase {
  name: string;
  spec: Record<string, unknown>;
  labels?: Record<string, string>;
  nodeName?: string;
  args?: NodeAffinityArgs;
  runPreFilter?: boolean;
  wantPreFilter?: number;
  wantPreFilterNodes?: string[];
  want: { code: number; reason?: string };
}

const PASS = { code: Code.Success };
const REJECT = { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_POD };

const filterCases: FilterCase[] = [
  { name: "missing labels", spec: { nodeSelector: { foo: "bar" } }, want: REJECT },
  { name: "same labels", spec: { nodeSelector: { foo: "bar" } }, labels: { foo: "bar" }, want: PASS },
  { name: "node labels are superset", spec: { nodeSelector: { foo: "bar" } }, labels: { foo: "bar", baz: "blah" }, want: PASS },
  { name: "node labels are subset", spec: { nodeSelector: { foo: "bar", baz: "blah" } }, labels: { foo: "bar" }, want: REJECT },
  { name: "matchExpressions In operator matches the node", spec: required({ matchExpressions: [req("foo", "In", ["bar", "value2"])] }), labels: { foo: "bar" }, want: PASS },
  { name: "matchExpressions Gt operator matches the node", spec: required({ matchExpressions: [req("kernel-version", "Gt", ["0204"])] }), labels: { "kernel-version": "0206" }, want: PASS },
  { name: "matchExpressions NotIn operator matches the node", spec: required({ matchExpressions: [req("mem-type", "NotIn", ["DDR", "DDR2"])] }), labels: { "mem-type": "DDR3" }, want: PASS },
  { name: "matchExpressions Exists operator matches the node", spec: required({ matchExpressions: [req("GPU", "Exists")] }), labels: { GPU: "NVIDIA-GRID-K1" }, want: PASS },
  { name: "affinity that doesn't match node's labels won't schedule", spec: required({ matchExpressions: [req("foo", "In", ["value1", "value2"])] }), labels: { foo: "bar" }, want: REJECT },
  { name: "empty MatchExpressions matches no objects", spec: required({ matchExpressions: [] }), labels: { foo: "bar" }, want: REJECT },
  { name: "pod with no Affinity will schedule onto a node", spec: {}, labels: { foo: "bar" }, wantPreFilter: Code.Skip, want: PASS },
  { name: "pod with Affinity but nil NodeSelector will schedule onto a node", spec: { affinity: { nodeAffinity: {} } }, labels: { foo: "bar" }, wantPreFilter: Code.Skip, want: PASS },
  {
    name: "multiple matchExpressions ANDed that match the node",
    spec: required({ matchExpressions: [req("GPU", "Exists"), req("GPU", "NotIn", ["AMD", "INTER"])] }),
    labels: { GPU: "NVIDIA-GRID-K1" },
    want: PASS,
  },
  {
    name: "multiple matchExpressions ANDed that don't match the node",
    spec: required({ matchExpressions: [req("GPU", "Exists"), req("GPU", "In", ["AMD", "INTER"])] }),
    labels: { GPU: "NVIDIA-GRID-K1" },
    want: REJECT,
  },
  {
    name: "multiple NodeSelectorTerms ORed, one matches",
    spec: required({ matchExpressions: [req("foo", "In", ["bar", "value2"])] }, { matchExpressions: [req("diffkey", "In", ["wrong", "value2"])] }),
    labels: { foo: "bar" },
    want: PASS,
  },
  { name: "Affinity and nodeSelector both satisfied", spec: { nodeSelector: { foo: "bar" }, ...required({ matchExpressions: [req("foo", "Exists")] }) }, labels: { foo: "bar" }, want: PASS },
  { name: "Affinity matches but nodeSelector is not satisfied", spec: { nodeSelector: { foo: "bar" }, ...required({ matchExpressions: [req("foo", "Exists")] }) }, labels: { foo: "barrrrrr" }, want: REJECT },
  { name: "invalid value in Affinity term won't schedule", spec: required({ matchExpressions: [req("foo", "NotIn", ["invalid value: ___@#$%^"])] }), labels: { foo: "bar" }, want: REJECT },
  { name: "matchFields In matches the node", spec: required({ matchFields: [nameIn("node1")] }), nodeName: "node1", wantPreFilterNodes: ["node1"], want: PASS },
  { name: "matchFields In does not match the node", spec: required({ matchFields: [nameIn("node1")] }), nodeName: "node2", wantPreFilterNodes: ["node1"], want: REJECT },
  {
    name: "two terms: matchFields does not match, but matchExpressions matches",
    spec: required({ matchFields: [nameIn("node1"), nameIn("node2")] }, { matchExpressions: [req("foo", "In", ["bar"])] }),
    nodeName: "node2",
    labels: { foo: "bar" },
    want: PASS,
  },
  {
    name: "one term: matchFields does not match, but matchExpressions matches",
    spec: required({ matchFields: [nameIn("node1")], matchExpressions: [req("foo", "In", ["bar"])] }),
    nodeName: "node2",
    labels: { foo: "bar" },
    wantPreFilterNodes: ["node1"],
    want: REJECT,
  },
  {
    name: "one term: both matchFields and matchExpressions match",
    spec: required({ matchFields: [nameIn("node1")], matchExpressions: [req("foo", "In", ["bar"])] }),
    nodeName: "node1",
    labels: { foo: "bar" },
    wantPreFilterNodes: ["node1"],
    want: PASS,
  },
  {
    name: "two terms: both matchFields and matchExpressions do not match",
    spec: required({ matchFields: [nameIn("node1")] }, { matchExpressions: [req("foo", "In", ["not-match-to-bar"])] }),
    nodeName: "node2",
    labels: { foo: "bar" },
    want: REJECT,
  },
  { name: "two terms of node.Name affinity", spec: required({ matchFields: [nameIn("node1")] }, { matchFields: [nameIn("node2")] }), nodeName: "node2", wantPreFilterNodes: ["node1", "node2"], want: PASS },
  {
    name: "two conflicting match field requirements",
    spec: required({ matchFields: [nameIn("node1"), nameIn("node2")] }),
    nodeName: "node2",
    labels: { foo: "bar" },
    wantPreFilter: Code.UnschedulableAndUnresolvable,
    want: REJECT,
  },
  {
    name: "matches added affinity and Pod's node affinity",
    spec: required({ matchExpressions: [req("zone", "In", ["foo"])] }),
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn("node2")] }] } } },
    want: PASS,
  },
  {
    name: "matches added affinity but not Pod's node affinity",
    spec: required({ matchExpressions: [req("zone", "In", ["bar"])] }),
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn("node2")] }] } } },
    want: REJECT,
  },
  {
    name: "doesn't match added affinity",
    spec: {},
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [req("zone", "In", ["bar"])] }] } } },
    want: { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_ENFORCED },
  },
  { name: "matches node selector correctly even if PreFilter is not called", spec: { nodeSelector: { foo: "bar" } }, labels: { foo: "bar", baz: "blah" }, runPreFilter: false, want: PASS },
  {
    name: "matches node affinity correctly even if PreFilter is not called",
    spec: required({ matchExpressions: [req("GPU", "Exists"), req("GPU", "NotIn", ["AMD", "INTER"])] }),
    labels: { GPU: "NVIDIA-GRID-K1" },
    runPreFilter: false,
    want: PASS,
  },
];

describe("NodeAffinity Filter (upstream TestNodeAffinity)", () => {
  test.each(filterCases)("$name", (c) => {
    const nodeName = c.nodeName ?? "node";
    // The node under test plus the names PreFilterResult may mention, so they resolve to rows.
    const others = ["node1", "node2"].filter((n) => n !== nodeName).map((name) => ({ name }));
    const snap = cluster([{ name: nodeName, labels: c.labels }, ...others]);
    const plugin = new NodeAffinity(c.args, { snapshot: snap });
    const p = snap.compile(pod({ containers: [], spec: c.spec as never }));
    const { codes, reasons, preFilter, state } = runFilter(plugin, snap, p, { skipPreFilter: c.runPreFilter === false });
    if (c.runPreFilter !== false) {
      expect(preFilter).toBe(c.wantPreFilter ?? Code.Success);
      if (preFilter === Code.UnschedulableAndUnresolvable) expect(state.preFilterReason).toBe(ERR_REASON_CONFLICT);
      const restricted = state.preFilterNodes === null ? undefined : [...state.preFilterNodes].map((n) => snap.nodes.names[n]).sort();
      expect(restricted).toEqual(c.wantPreFilterNodes);
    }
    expect(codes[0]).toBe(c.want.code);
    expect(reasons[0]).toEqual(c.want.reason ? [c.want.reason] : []);
  });
});

describe("NodeAffinity Score (upstream TestNodeAffinityPriority)", () => {
  const label1 = { foo: "bar" };
  const label2 = { key: "value" };
  const label3 = { az: "az1" };
  const label4 = { abc: "az11", def: "az22" };
  const label5 = { foo: "bar", key: "value", az: "az1" };
  const pref = (weight: number, ...exprs: NodeSelectorRequirement[]): PreferredSchedulingTerm => ({ weight, preference: { matchExpressions: exprs } });
  const affinity1 = [pref(2, req("foo", "In", ["bar"]))];
  const affinity2 = [pref(2, req("foo", "In", ["bar"])), pref(4, req("key", "In", ["value"])), pref(5, req("foo", "In", ["bar"]), req("key", "In", ["value"]), req("az", "In", ["az1"]))];
  const withPreferred = (terms?: PreferredSchedulingTerm[]) => (terms ? { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } } : {});

  const cases: { name: string; preferred?: PreferredSchedulingTerm[]; nodes: [string, Record<string, string>][]; args?: NodeAffinityArgs; expected: number[] }[] = [
    { name: "all nodes are same priority as NodeAffinity is nil", nodes: [["node1", label1], ["node2", label2], ["node3", label3]], expected: [0, 0, 0] },
    { name: "no node matches preferred scheduling requirements so all priorities are zero", preferred: affinity1, nodes: [["node1", label4], ["node2", label2], ["node3", label3]], expected: [0, 0, 0] },
    { name: "only node1 matches the preferred scheduling requirements of pod", preferred: affinity1, nodes: [["node1", label1], ["node2", label2], ["node3", label3]], expected: [100, 0, 0] },
    { name: "all nodes match the preferred scheduling requirements with different priorities", preferred: affinity2, nodes: [["node1", label1], ["node5", label5], ["node2", label2]], expected: [18, 100, 36] },
    { name: "added affinity", nodes: [["node1", label1], ["node2", label2]], args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: affinity1 } }, expected: [100, 0] },
    {
      name: "added affinity and pod has default affinity",
      preferred: affinity1,
      nodes: [["node1", label1], ["node2", label2], ["node3", label5]],
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(3, req("key", "In", ["value"]))] } },
      expected: [40, 60, 100],
    },
  ];
  test.each(cases)("$name", (c) => {
    const snap = cluster(c.nodes.map(([name, labels]) => ({ name, labels })));
    const plugin = new NodeAffinity(c.args, { snapshot: snap });
    expect(runScore(plugin, snap, snap.compile(pod({ containers: [], spec: withPreferred(c.preferred) as never })))).toEqual(c.expected);
  });
});
