/**
 * ImageLocality (cases transcribed from upstream image_locality_test.go), NodePorts,
 * NodeName, NodeUnschedulable and PrioritySort (hand-computed from the documented rules).
 */
import { describe, expect, test } from "vitest";
import { Code } from "../../src/scheduler/framework.js";
import { ImageLocality } from "../../src/scheduler/plugins/ImageLocality.js";
import { NodePorts, ERR_REASON_NODE_PORTS } from "../../src/scheduler/plugins/NodePorts.js";
import { NodeName, ERR_REASON_NODE_NAME } from "../../src/scheduler/plugins/NodeName.js";
import { NodeUnschedulable, ERR_REASON_UNSCHEDULABLE } from "../../src/scheduler/plugins/NodeUnschedulable.js";
import { PrioritySort } from "../../src/scheduler/plugins/PrioritySort.js";
import { normalizedImageName } from "../../src/scheduler/compiled.js";
import { cluster, pod, runFilter, runScore, type NodeFixture } from "./helpers.js";

const MB = 1024 * 1024;

describe("ImageLocality (upstream TestImageLocalityPriority)", () => {
  const images = (list: [string[], number][]) => list.map(([names, mb]) => ({ names, sizeBytes: mb * MB }));
  const node403002000 = images([
    [["gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"], 40],
    [["gcr.io/300:latest", "gcr.io/300:v1"], 300],
    [["gcr.io/2000:latest"], 2000],
  ]);
  const node25010 = images([
    [["gcr.io/250:latest"], 250],
    [["gcr.io/10:latest", "gcr.io/10:v1"], 10],
  ]);
  const node60040900 = images([
    [["gcr.io/600:latest"], 600],
    [["gcr.io/40:latest"], 40],
    [["gcr.io/900:latest"], 900],
  ]);
  const node300600900 = images([
    [["gcr.io/300:latest"], 300],
    [["gcr.io/600:latest"], 600],
    [["gcr.io/900:latest"], 900],
  ]);
  const node400030 = images([
    [["gcr.io/4000:latest"], 4000],
    [["gcr.io/30:latest"], 30],
  ]);
  const node203040 = images([
    [["gcr.io/20:latest"], 20],
    [["gcr.io/30:latest"], 30],
    [["gcr.io/40:latest"], 40],
  ]);
  const cases: { name: string; containers: string[]; init?: string[]; nodes: NodeFixture["images"][]; expected: number[] }[] = [
    { name: "two images spread on two nodes, prefer the larger image one", containers: ["gcr.io/40", "gcr.io/250"], nodes: [node403002000, node25010], expected: [0, 5] },
    { name: "two images on one node, prefer this node", containers: ["gcr.io/40", "gcr.io/300"], nodes: [node403002000, node25010], expected: [7, 0] },
    { name: "if exceed limit, use limit", containers: ["gcr.io/10", "gcr.io/4000"], nodes: [node400030, node25010], expected: [100, 0] },
    { name: "if exceed limit, use limit (with node which has no images present)", containers: ["gcr.io/10", "gcr.io/4000"], nodes: [node400030, node25010, []], expected: [66, 0, 0] },
    { name: "pod with multiple large images, node2 is preferred", containers: ["gcr.io/300", "gcr.io/600", "gcr.io/900"], nodes: [node60040900, node300600900, []], expected: [32, 36, 0] },
    { name: "pod with multiple small images", containers: ["gcr.io/30", "gcr.io/40"], nodes: [node203040, node400030], expected: [1, 0] },
    { name: "include InitContainers: two images spread on two nodes, prefer the larger image one", containers: ["gcr.io/30"], init: ["gcr.io/300"], nodes: [node403002000, node203040], expected: [6, 0] },
  ];
  test.each(cases)("$name", (c) => {
    const snap = cluster(c.nodes.map((images, i) => ({ name: `node${i + 1}`, images })));
    const spec = {
      containers: c.containers.map((image, i) => ({ name: `c${i}`, image })),
      initContainers: c.init?.map((image, i) => ({ name: `i${i}`, image })),
    };
    const p = snap.compile({ metadata: { name: "p", namespace: "default" }, spec });
    expect(runScore(new ImageLocality(), snap, p)).toEqual(c.expected);
  });

  test.each([
    ["root", "root:latest"],
    ["gcr.io:5000/root", "gcr.io:5000/root:latest"],
    ["root:tag", "root:tag"],
    ["root@sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2", "root@sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2"],
  ])("normalizedImageName(%s) = %s", (input, output) => {
    expect(normalizedImageName(input)).toBe(output);
  });
});

describe("NodePorts (hand-computed from HostPortInfo conflict rules)", () => {
  const withPorts = (ports: { port: number; protocol?: string; hostIP?: string }[]) => ({ containers: [{ cpu: "10m" }], hostPorts: ports });
  test.each([
    ["no host ports: PreFilter skips", [], [{ port: 80 }], Code.Success],
    ["same port and protocol, both 0.0.0.0", [{ port: 8080 }], [{ port: 8080 }], Code.Unschedulable],
    ["same port, different protocol", [{ port: 8080, protocol: "UDP" }], [{ port: 8080, protocol: "TCP" }], Code.Success],
    ["same port, different specific IPs", [{ port: 8080, hostIP: "127.0.0.1" }], [{ port: 8080, hostIP: "127.0.0.2" }], Code.Success],
    ["same port, equal specific IPs", [{ port: 8080, hostIP: "127.0.0.1" }], [{ port: 8080, hostIP: "127.0.0.1" }], Code.Unschedulable],
    ["wanted 0.0.0.0 conflicts with a used specific IP", [{ port: 8080 }], [{ port: 8080, hostIP: "10.0.0.1" }], Code.Unschedulable],
    ["wanted specific IP conflicts with used 0.0.0.0", [{ port: 8080, hostIP: "10.0.0.1" }], [{ port: 8080 }], Code.Unschedulable],
    ["different ports", [{ port: 8080 }], [{ port: 8081 }], Code.Success],
  ] as const)("%s", (_name, wanted, used, want) => {
    const snap = cluster([{ name: "n", cpu: "4", memory: "4Gi" }], [{ nodeName: "n", ...withPorts(used as never) }]);
    const p = snap.compile(pod(withPorts(wanted as never)));
    const r = runFilter(new NodePorts(), snap, p);
    expect(r.codes[0]).toBe(want);
    expect(r.reasons[0]).toEqual(want === Code.Success ? [] : [ERR_REASON_NODE_PORTS]);
  });

  test("ports are released when the pod leaves the node", () => {
    const snap = cluster([{ name: "n", cpu: "4", memory: "4Gi" }], [{ nodeName: "n", ...withPorts([{ port: 80 }]) }]);
    const p = snap.compile(pod(withPorts([{ port: 80 }])));
    expect(runFilter(new NodePorts(), snap, p).codes[0]).toBe(Code.Unschedulable);
    snap.removePod(0);
    expect(runFilter(new NodePorts(), snap, p).codes[0]).toBe(Code.Success);
  });
});

describe("NodeName and NodeUnschedulable", () => {
  test("spec.nodeName admits only that node", () => {
    const snap = cluster([{ name: "a" }, { name: "b" }]);
    const r = runFilter(new NodeName(), snap, snap.compile(pod({ nodeName: "b" })));
    expect(r.codes).toEqual([Code.UnschedulableAndUnresolvable, Code.Success]);
    expect(r.reasons[0]).toEqual([ERR_REASON_NODE_NAME]);
    expect(runFilter(new NodeName(), snap, snap.compile(pod({}))).codes).toEqual([Code.Success, Code.Success]);
  });

  test("a cordoned node admits only pods tolerating node.kubernetes.io/unschedulable:NoSchedule", () => {
    const snap = cluster([{ name: "a", unschedulable: true }, { name: "b" }]);
    const r = runFilter(new NodeUnschedulable(), snap, snap.compile(pod({})));
    expect(r.codes).toEqual([Code.UnschedulableAndUnresolvable, Code.Success]);
    expect(r.reasons[0]).toEqual([ERR_REASON_UNSCHEDULABLE]);
    const tolerant = pod({ spec: { tolerations: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] } });
    expect(runFilter(new NodeUnschedulable(), snap, snap.compile(tolerant)).codes).toEqual([Code.Success, Code.Success]);
    snap.setUnschedulable(0, false);
    expect(runFilter(new NodeUnschedulable(), snap, snap.compile(pod({}))).codes).toEqual([Code.Success, Code.Success]);
  });
});

describe("PrioritySort", () => {
  test("higher priority first, then the earlier queue timestamp", () => {
    const s = new PrioritySort();
    expect(s.less({ priority: 10, timestampUs: 5 }, { priority: 1, timestampUs: 1 })).toBe(true);
    expect(s.less({ priority: 1, timestampUs: 1 }, { priority: 10, timestampUs: 5 })).toBe(false);
    expect(s.less({ priority: 5, timestampUs: 1 }, { priority: 5, timestampUs: 2 })).toBe(true);
    expect(s.less({ priority: 5, timestampUs: 2 }, { priority: 5, timestampUs: 2 })).toBe(false);
  });
});
