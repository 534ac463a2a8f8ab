/**
 * NodeResourcesFit scoring strategies and NodeResourcesBalancedAllocation: cases
 * transcribed from upstream least_allocated_test.go, most_allocated_test.go,
 * requested_to_capacity_ratio_test.go and balanced_allocation_test.go. Quantities are
 * written as upstream writes them ("cpu": "4000" is 4000 cores; makeNode(…, 4000, …)
 * is 4000 millicores).
 */
import { describe, expect, test } from "vitest";
import { Code, PluginArgsError } from "../../src/scheduler/framework.js";
import { NodeResourcesFit, brokenLinear, type NodeResourcesFitArgs, type ResourceSpec } from "../../src/scheduler/plugins/NodeResourcesFit.js";
import { NodeResourcesBalancedAllocation } from "../../src/scheduler/plugins/NodeResourcesBalancedAllocation.js";
import { allNodes, cluster, pod, runScore, stateFor, type NodeFixture, type Requests } from "./helpers.js";

/** st.MakeNode().Name(n).Capacity({cpu, memory, ...}). */
function capNode(name: string, cap: Record<string, string> = {}): NodeFixture {
  const { cpu, memory, ...scalars } = cap;
  return { name, cpu, memory, scalars };
}
/** upstream makeNode(name, milliCPU, memory, extended). */
function milliNode(name: string, milliCPU: number, memory: number, ext: Record<string, number> = {}): NodeFixture {
  return { name, cpu: `${milliCPU}m`, memory, scalars: ext };
}

interface ScoreCase {
  name: string;
  nodes: NodeFixture[];
  existing?: { node: string; containers: Requests[] }[];
  /** Container requests of the incoming pod ([] = st.MakePod().Obj(), no containers). */
  pod: (Requests | undefined)[];
  resources?: ResourceSpec[];
  expected: number[];
}

const DEFAULT: ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];
const EXT = "abc.com/xyz";
const EXT_SET: ResourceSpec[] = [...DEFAULT, { name: EXT, weight: 1 }];

function run(c: ScoreCase, args: (resources: ResourceSpec[]) => NodeResourcesFitArgs): number[] {
  const snap = cluster(
    c.nodes,
    (c.existing ?? []).map((e) => ({ nodeName: e.node, containers: e.containers })),
  );
  const plugin = new NodeResourcesFit(args(c.resources ?? DEFAULT), { snapshot: snap });
  return runScore(plugin, snap, snap.compile(pod({ containers: c.pod })));
}

const leastCases: ScoreCase[] = [
  { name: "nothing scheduled, nothing requested", nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "4000", memory: "10000" })], pod: [], expected: [100, 100] },
  {
    name: "nothing scheduled, resources requested, differently sized nodes",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    expected: [37, 50],
  },
  {
    name: "no resources requested, pods scheduled",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "4000", memory: "10000" })],
    existing: [{ node: "node1", containers: [] }, { node: "node1", containers: [] }, { node: "node2", containers: [] }, { node: "node2", containers: [] }],
    pod: [],
    expected: [100, 100],
  },
  {
    name: "no resources requested, pods scheduled with resources",
    nodes: [capNode("node1", { cpu: "10000", memory: "20000" }), capNode("node2", { cpu: "10000", memory: "20000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [],
    expected: [70, 57],
  },
  {
    name: "resources requested, pods scheduled with resources",
    nodes: [capNode("node1", { cpu: "10000", memory: "20000" }), capNode("node2", { cpu: "10000", memory: "20000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    expected: [57, 45],
  },
  {
    name: "resources requested, pods scheduled with resources, differently sized nodes",
    nodes: [capNode("node1", { cpu: "10000", memory: "20000" }), capNode("node2", { cpu: "10000", memory: "50000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    expected: [57, 60],
  },
  {
    name: "requested resources exceed node capacity",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "4000", memory: "10000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [{ cpu: "3000", memory: "0" }],
    expected: [50, 25],
  },
  {
    name: "zero node resources, pods scheduled with resources",
    nodes: [capNode("node1"), capNode("node2")],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [],
    expected: [0, 0],
  },
  {
    name: "nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    resources: [
      { name: "memory", weight: 2 },
      { name: "cpu", weight: 1 },
    ],
    expected: [41, 50],
  },
  {
    name: "bypass extended resource if the pod does not request",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "4" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    resources: EXT_SET,
    expected: [50, 50],
  },
  {
    name: "honor extended resource if the pod requests",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000", [EXT]: "4" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "10" })],
    pod: [{ cpu: "3000", memory: "5000", [EXT]: "2" }],
    resources: EXT_SET,
    expected: [50, 60],
  },
  {
    name: "if the node doesn't have a resource",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "4" })],
    pod: [{ cpu: "3000", memory: "4000" }],
    resources: [
      { name: EXT, weight: 2 },
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ],
    expected: [55, 55],
  },
];

const mostCases: ScoreCase[] = [
  { name: "nothing scheduled, nothing requested", nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "4000", memory: "10000" })], pod: [], expected: [0, 0] },
  {
    name: "nothing scheduled, resources requested, differently sized nodes",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    expected: [62, 50],
  },
  {
    name: "no resources requested, pods scheduled with resources",
    nodes: [capNode("node1", { cpu: "10000", memory: "20000" }), capNode("node2", { cpu: "10000", memory: "20000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [],
    expected: [30, 42],
  },
  {
    name: "resources requested, pods scheduled with resources",
    nodes: [capNode("node1", { cpu: "10000", memory: "20000" }), capNode("node2", { cpu: "10000", memory: "20000" })],
    existing: [
      { node: "node1", containers: [{ cpu: "3000", memory: "0" }] },
      { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
    ],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    expected: [42, 55],
  },
  {
    name: "resources requested equal node capacity",
    nodes: [capNode("node1", { cpu: "5000", memory: "10000" }), capNode("node2", { cpu: "10000", memory: "9000" })],
    pod: [{ cpu: "2000", memory: "4000" }, { cpu: "3000", memory: "5000" }],
    expected: [95, 75],
  },
  {
    name: "nothing scheduled, resources requested with weights, differently sized nodes",
    nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    resources: [
      { name: "memory", weight: 2 },
      { name: "cpu", weight: 1 },
    ],
    expected: [58, 50],
  },
  {
    // Non-zero defaults (100m, 200Mi) for containers without requests.
    name: "no resources requested, pods scheduled, nonzero request for resource",
    nodes: [capNode("node1", { cpu: "250m", memory: "1000Mi" }), capNode("node2", { cpu: "250m", memory: "1000Mi" })],
    existing: [{ node: "node1", containers: [{}] }, { node: "node1", containers: [{}] }],
    pod: [{}],
    expected: [80, 30],
  },
  {
    name: "bypass extended resource if the pod does not request",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "4" })],
    pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
    resources: EXT_SET,
    expected: [50, 50],
  },
  {
    name: "honor extended resource if the pod request",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000", [EXT]: "4" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "10" })],
    pod: [{ cpu: "3000", memory: "5000", [EXT]: "2" }],
    resources: EXT_SET,
    expected: [50, 40],
  },
  {
    name: "if the node doesn't have a resource",
    nodes: [capNode("node1", { cpu: "6000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000", [EXT]: "4" })],
    pod: [{ cpu: "3000", memory: "4000" }],
    resources: [
      { name: EXT, weight: 2 },
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ],
    expected: [45, 45],
  },
];

describe("LeastAllocated (upstream least_allocated_test.go)", () => {
  test.each(leastCases)("$name", (c) => {
    expect(run(c, (resources) => ({ scoringStrategy: { type: "LeastAllocated", resources } }))).toEqual(c.expected);
  });
});

describe("MostAllocated (upstream most_allocated_test.go)", () => {
  test.each(mostCases)("$name", (c) => {
    expect(run(c, (resources) => ({ scoringStrategy: { type: "MostAllocated", resources } }))).toEqual(c.expected);
  });
});

describe("scoring strategy arguments", () => {
  test.each([
    ["negative weight", [{ name: "memory", weight: -1 }, { name: "cpu", weight: 1 }]],
    ["zero weight", [{ name: "memory", weight: 1 }, { name: "cpu", weight: 0 }]],
    ["weight larger than MaxNodeScore", [{ name: "memory", weight: 1 }, { name: "cpu", weight: 101 }]],
  ])("resource with %s is rejected", (_n, resources) => {
    const snap = cluster([capNode("node1", { cpu: "4000", memory: "10000" })]);
    expect(() => new NodeResourcesFit({ scoringStrategy: { type: "LeastAllocated", resources } }, { snapshot: snap })).toThrow(PluginArgsError);
  });

  test("an empty resource list makes Score fail (Resources not set)", () => {
    const snap = cluster([capNode("node1", { cpu: "4000", memory: "10000" })]);
    const plugin = new NodeResourcesFit({ scoringStrategy: { type: "LeastAllocated", resources: [] } }, { snapshot: snap });
    const p = snap.compile(pod({ containers: [{ cpu: "1000", memory: "2000" }] }));
    expect(plugin.score(stateFor(snap), p, allNodes(snap), 1, new Int32Array(1))).toBe(Code.Error);
  });
});

const SHAPE_DOWN = [
  { utilization: 0, score: 10 },
  { utilization: 100, score: 0 },
];
const SHAPE_UP = [
  { utilization: 0, score: 0 },
  { utilization: 100, score: 1 },
];

describe("RequestedToCapacityRatio (upstream requested_to_capacity_ratio_test.go)", () => {
  const rtcr = (shape: typeof SHAPE_DOWN) => (resources: ResourceSpec[]): NodeResourcesFitArgs => ({
    scoringStrategy: { type: "RequestedToCapacityRatio", resources, requestedToCapacityRatio: { shape } },
  });
  const cases: (ScoreCase & { shape: typeof SHAPE_DOWN })[] = [
    {
      name: "nothing scheduled, nothing requested (default - least requested nodes have priority)",
      nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "4000", memory: "10000" })],
      existing: [{ node: "node1", containers: [] }, { node: "node1", containers: [] }],
      pod: [],
      shape: SHAPE_DOWN,
      expected: [100, 100],
    },
    {
      name: "nothing scheduled, resources requested, differently sized nodes",
      nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
      existing: [{ node: "node1", containers: [] }, { node: "node1", containers: [] }],
      pod: [{ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }],
      shape: SHAPE_DOWN,
      expected: [38, 50],
    },
    {
      name: "no resources requested, pods scheduled with resources",
      nodes: [capNode("node1", { cpu: "4000", memory: "10000" }), capNode("node2", { cpu: "6000", memory: "10000" })],
      existing: [
        { node: "node1", containers: [{ cpu: "3000", memory: "5000" }] },
        { node: "node2", containers: [{ cpu: "3000", memory: "5000" }] },
      ],
      pod: [],
      shape: SHAPE_DOWN,
      expected: [38, 50],
    },
    // TestResourceBinPackingSingleExtended: resources intel.com/foo weight 1, shape (0,0),(100,1).
    ...(
      [
        ["nothing scheduled, nothing requested (single extended)", [], [], [0, 0]],
        ["resources requested, pods scheduled with less resources", [{ "intel.com/foo": "2" }], [], [2, 5]],
        ["resources requested, pods scheduled with resources, on node with existing pod running", [{ "intel.com/foo": "2" }], [{ node: "node2", containers: [{ "intel.com/foo": "2" }] }], [2, 10]],
        ["resources requested, pods scheduled with more resources", [{ "intel.com/foo": "4" }], [], [5, 10]],
      ] as const
    ).map(([name, podReq, existing, expected]) => ({
      name,
      nodes: [milliNode("node1", 4000, 10000 * 1024 * 1024, { "intel.com/foo": 8 }), milliNode("node2", 4000, 10000 * 1024 * 1024, { "intel.com/foo": 4 })],
      existing: existing as unknown as { node: string; containers: Requests[] }[],
      pod: podReq as unknown as Requests[],
      resources: [{ name: "intel.com/foo", weight: 1 }],
      shape: SHAPE_UP,
      expected: expected as unknown as number[],
    })),
    // TestResourceBinPackingMultipleExtended: foo weight 3, bar weight 5.
    ...(
      [
        ["nothing scheduled, nothing requested (multiple extended)", [], [], [0, 0]],
        ["resources requested, pods scheduled with less resources (multiple extended)", [{ "intel.com/foo": "2", "intel.com/bar": "2" }], [], [4, 3]],
        [
          "resources requested, pods scheduled with resources, on node with existing pod running (multiple extended)",
          [{ "intel.com/foo": "2", "intel.com/bar": "2" }],
          [{ node: "node2", containers: [{ "intel.com/foo": "4", "intel.com/bar": "2" }] }],
          [4, 7],
        ],
        ["resources requested, pods scheduled with more resources (multiple extended)", [{ "intel.com/foo": "4", "intel.com/bar": "2" }], [], [5, 5]],
      ] as const
    ).map(([name, podReq, existing, expected]) => ({
      name,
      nodes: [
        milliNode("node1", 4000, 10000 * 1024 * 1024, { "intel.com/foo": 8, "intel.com/bar": 4 }),
        milliNode("node2", 4000, 10000 * 1024 * 1024, { "intel.com/foo": 4, "intel.com/bar": 8 }),
      ],
      existing: existing as unknown as { node: string; containers: Requests[] }[],
      pod: podReq as unknown as Requests[],
      resources: [
        { name: "intel.com/foo", weight: 3 },
        { name: "intel.com/bar", weight: 5 },
      ],
      shape: SHAPE_UP,
      expected: expected as unknown as number[],
    })),
  ];
  test.each(cases)("$name", (c) => {
    expect(run(c, rtcr(c.shape))).toEqual(c.expected);
  });

  // TestBrokenLinearFunction (shape scores as given, not scaled).
  test.each([
    [[[10, 1], [90, 9]], [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]]],
    [[[0, 2], [40, 10], [100, 0]], [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]]],
    [[[0, 2], [40, 2], [100, 2]], [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]]],
  ])("broken linear function %j", (points, assertions) => {
    const u = Int32Array.from(points.map((p) => p[0]));
    const s = Int32Array.from(points.map((p) => p[1]));
    for (const [p, want] of assertions) expect(brokenLinear(u, s, p)).toBe(want);
  });
});

describe("NodeResourcesBalancedAllocation (upstream balanced_allocation_test.go)", () => {
  const cpuAndMemory: Requests[] = [{ cpu: "1000m", memory: "2000" }, { cpu: "2000m", memory: "3000" }];
  const cpuOnly: Requests[] = [{ cpu: "1000m", memory: "0" }, { cpu: "2000m", memory: "0" }];
  const cpuMemGpu: Requests[] = [{ cpu: "1000m", memory: "2000" }, { cpu: "2000m", memory: "3000", "nvidia.com/gpu": "3" }];
  const GPU_SET: ResourceSpec[] = [...DEFAULT, { name: "nvidia.com/gpu", weight: 1 }];
  const cases: (ScoreCase & { skip?: boolean })[] = [
    { name: "nothing scheduled, nothing requested, skip in PreScore", nodes: [milliNode("node1", 4000, 10000), milliNode("node2", 4000, 10000)], pod: [], expected: [], skip: true },
    { name: "nothing scheduled, resources requested, differently sized nodes", nodes: [milliNode("node1", 4000, 10000), milliNode("node2", 6000, 10000)], pod: cpuAndMemory, expected: [87, 100] },
    {
      name: "resources requested, pods scheduled with resources",
      nodes: [milliNode("node1", 10000, 20000), milliNode("node2", 10000, 20000)],
      existing: [{ node: "node1", containers: cpuOnly }, { node: "node2", containers: cpuAndMemory }],
      pod: cpuAndMemory,
      expected: [82, 95],
    },
    {
      name: "resources requested, pods scheduled with resources, differently sized nodes",
      nodes: [milliNode("node1", 10000, 20000), milliNode("node2", 10000, 50000)],
      existing: [{ node: "node1", containers: cpuOnly }, { node: "node2", containers: cpuAndMemory }],
      pod: cpuAndMemory,
      expected: [82, 80],
    },
    {
      name: "requested resources at node capacity",
      nodes: [milliNode("node1", 6000, 10000), milliNode("node2", 6000, 10000)],
      existing: [{ node: "node1", containers: cpuOnly }, { node: "node2", containers: cpuAndMemory }],
      pod: cpuOnly,
      expected: [50, 75],
    },
    {
      name: "include scalar resource on a node for balanced resource allocation",
      nodes: [milliNode("node1", 3500, 40000, { "nvidia.com/gpu": 8 }), milliNode("node2", 3500, 40000, { "nvidia.com/gpu": 8 })],
      existing: [{ node: "node2", containers: cpuAndMemory }, { node: "node1", containers: cpuMemGpu }],
      pod: [{ memory: "0", "nvidia.com/gpu": "1" }],
      resources: GPU_SET,
      expected: [70, 65],
    },
    {
      name: "node without the scalar resource should skip the scalar resource",
      nodes: [milliNode("node1", 3500, 40000, { "nvidia.com/gpu": 8 }), milliNode("node2", 3500, 40000)],
      pod: cpuAndMemory,
      resources: GPU_SET,
      expected: [63, 63],
    },
  ];
  test.each(cases)("$name", (c) => {
    const snap = cluster(c.nodes, (c.existing ?? []).map((e) => ({ nodeName: e.node, containers: e.containers })));
    const plugin = new NodeResourcesBalancedAllocation({ resources: c.resources ?? DEFAULT }, { snapshot: snap });
    const p = snap.compile(pod({ containers: c.pod }));
    const nodes = allNodes(snap);
    const pre = plugin.preScore(stateFor(snap), p, nodes, nodes.length);
    if (c.skip) {
      expect(pre).toBe(Code.Skip);
      return;
    }
    expect(pre).toBe(Code.Success);
    expect(runScore(plugin, snap, p)).toEqual(c.expected);
  });
});
