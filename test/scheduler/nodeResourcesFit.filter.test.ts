/**
 * NodeResourcesFit Filter: cases transcribed from upstream
 * pkg/scheduler/framework/plugins/noderesources/fit_test.go (TestEnoughRequests,
 * TestNotEnoughRequests, TestStorageRequests), current release. Each row states the
 * pod, what is already on the node, and upstream's expected status code and reasons.
 */
import { describe, expect, test } from "vitest";
import { Code } from "../../src/scheduler/framework.js";
import { NodeResourcesFit, type NodeResourcesFitArgs } from "../../src/scheduler/plugins/NodeResourcesFit.js";
import { CycleState } from "../../src/scheduler/framework.js";
import { cluster, pod, type NodeFixture, type Requests } from "./helpers.js";

const EXT_A = "example.com/aaa";
const EXT_B = "example.com/bbb";
const K8S_A = "kubernetes.io/something";
const K8S_B = "subdomain.kubernetes.io/something";
const HUGE_A = "hugepages-2Mi";

/** upstream framework.Resource{MilliCPU, Memory, ScalarResources} as a container request list. */
function r(milliCPU = 0, memory = 0, scalars: Record<string, number> = {}, ephemeral = 0): Requests {
  return { cpu: `${milliCPU}m`, memory: String(memory), "ephemeral-storage": String(ephemeral), ...Object.fromEntries(Object.entries(scalars).map(([k, v]) => [k, String(v)])) };
}

/** makeAllocatableResources(10, 20, 32, 5, 20, 5). */
const NODE: NodeFixture = { name: "node", cpu: "10m", memory: 20, pods: 32, ephemeral: 20, scalars: { [EXT_A]: 5, [HUGE_A]: 5 } };

interface FitCase {
  name: string;
  containers: Requests[];
  init?: Requests[];
  overhead?: Requests;
  podLevel?: Record<string, string>;
  /** The one pod already on the node (newResourcePod(usage)). */
  existing: Requests;
  args?: NodeResourcesFitArgs;
  node?: NodeFixture;
  code: number;
  reasons: string[];
}

const FITS = { code: Code.Success, reasons: [] as string[] };
const U = Code.Unschedulable;
const UU = Code.UnschedulableAndUnresolvable;

const cases: FitCase[] = [
  { name: "no resources requested always fits", containers: [], existing: r(10, 20), ...FITS },
  { name: "too many resources fails", containers: [r(1, 1)], existing: r(10, 20), code: U, reasons: ["Insufficient cpu", "Insufficient memory"] },
  { name: "too many resources fails due to init container cpu", containers: [r(1, 1)], init: [r(3, 1)], existing: r(8, 19), code: U, reasons: ["Insufficient cpu"] },
  { name: "too many resources fails due to highest init container cpu", containers: [r(1, 1)], init: [r(3, 1), r(2, 1)], existing: r(8, 19), code: U, reasons: ["Insufficient cpu"] },
  { name: "too many resources fails due to init container memory", containers: [r(1, 1)], init: [r(1, 3)], existing: r(9, 19), code: U, reasons: ["Insufficient memory"] },
  { name: "too many resources fails due to highest init container memory", containers: [r(1, 1)], init: [r(1, 3), r(1, 2)], existing: r(9, 19), code: U, reasons: ["Insufficient memory"] },
  { name: "init container fits because it's the max, not sum", containers: [r(1, 1)], init: [r(1, 1)], existing: r(9, 19), ...FITS },
  { name: "multiple init containers fit because it's the max, not sum", containers: [r(1, 1)], init: [r(1, 1), r(1, 1)], existing: r(9, 19), ...FITS },
  { name: "both resources fit", containers: [r(1, 1)], existing: r(5, 5), ...FITS },
  { name: "one resource memory fits", containers: [r(2, 1)], existing: r(9, 5), code: U, reasons: ["Insufficient cpu"] },
  { name: "one resource cpu fits", containers: [r(1, 2)], existing: r(5, 19), code: U, reasons: ["Insufficient memory"] },
  { name: "equal edge case", containers: [r(5, 1)], existing: r(5, 19), ...FITS },
  { name: "equal edge case for init container", containers: [r(4, 1)], init: [r(5, 1)], existing: r(5, 19), ...FITS },
  { name: "extended resource fits", containers: [r(0, 0, { [EXT_A]: 1 })], existing: r(), ...FITS },
  { name: "extended resource fits for init container", containers: [r()], init: [r(0, 0, { [EXT_A]: 1 })], existing: r(), ...FITS },
  { name: "extended resource capacity enforced", containers: [r(1, 1, { [EXT_A]: 10 })], existing: r(0, 0, { [EXT_A]: 0 }), code: UU, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource capacity enforced for init container", containers: [r()], init: [r(1, 1, { [EXT_A]: 10 })], existing: r(0, 0, { [EXT_A]: 0 }), code: UU, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource allocatable enforced", containers: [r(1, 1, { [EXT_A]: 1 })], existing: r(0, 0, { [EXT_A]: 5 }), code: U, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource allocatable enforced for init container", containers: [r()], init: [r(1, 1, { [EXT_A]: 1 })], existing: r(0, 0, { [EXT_A]: 5 }), code: U, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource allocatable enforced for multiple containers", containers: [r(1, 1, { [EXT_A]: 3 }), r(1, 1, { [EXT_A]: 3 })], existing: r(0, 0, { [EXT_A]: 2 }), code: UU, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource allocatable admits multiple init containers", containers: [r()], init: [r(1, 1, { [EXT_A]: 3 }), r(1, 1, { [EXT_A]: 3 })], existing: r(0, 0, { [EXT_A]: 2 }), ...FITS },
  { name: "extended resource allocatable enforced for multiple init containers", containers: [r()], init: [r(1, 1, { [EXT_A]: 6 }), r(1, 1, { [EXT_A]: 3 })], existing: r(0, 0, { [EXT_A]: 2 }), code: UU, reasons: [`Insufficient ${EXT_A}`] },
  { name: "extended resource allocatable enforced for unknown resource", containers: [r(1, 1, { [EXT_B]: 1 })], existing: r(), code: UU, reasons: [`Insufficient ${EXT_B}`] },
  { name: "extended resource allocatable enforced for unknown resource for init container", containers: [r()], init: [r(1, 1, { [EXT_B]: 1 })], existing: r(), code: UU, reasons: [`Insufficient ${EXT_B}`] },
  { name: "kubernetes.io resource capacity enforced", containers: [r(1, 1, { [K8S_A]: 10 })], existing: r(), code: UU, reasons: [`Insufficient ${K8S_A}`] },
  { name: "kubernetes.io resource capacity enforced for init container", containers: [r()], init: [r(1, 1, { [K8S_B]: 10 })], existing: r(), code: UU, reasons: [`Insufficient ${K8S_B}`] },
  { name: "hugepages resource capacity enforced", containers: [r(1, 1, { [HUGE_A]: 10 })], existing: r(0, 0, { [HUGE_A]: 0 }), code: UU, reasons: [`Insufficient ${HUGE_A}`] },
  { name: "hugepages resource capacity enforced for init container", containers: [r()], init: [r(1, 1, { [HUGE_A]: 10 })], existing: r(0, 0, { [HUGE_A]: 0 }), code: UU, reasons: [`Insufficient ${HUGE_A}`] },
  { name: "hugepages resource allocatable enforced for multiple containers", containers: [r(1, 1, { [HUGE_A]: 3 }), r(1, 1, { [HUGE_A]: 3 })], existing: r(0, 0, { [HUGE_A]: 2 }), code: UU, reasons: [`Insufficient ${HUGE_A}`] },
  { name: "skip checking ignored extended resource", containers: [r(1, 1, { [EXT_B]: 1 })], existing: r(), args: { ignoredResources: [EXT_B] }, ...FITS },
  { name: "resources + pod overhead fits", containers: [r(1, 1)], overhead: { cpu: "3m", memory: "13" }, existing: r(5, 5), ...FITS },
  { name: "requests + overhead does not fit for memory", containers: [r(1, 1)], overhead: { cpu: "1m", memory: "15" }, existing: r(5, 5), code: U, reasons: ["Insufficient memory"] },
  {
    name: "skip checking ignored extended resource via resource groups",
    containers: [r(1, 1, { [EXT_B]: 1, [K8S_A]: 1 })],
    existing: r(),
    args: { ignoredResourceGroups: ["example.com"] },
    code: UU,
    reasons: [`Insufficient ${K8S_A}`],
  },
  { name: "skip checking extended resource request with quantity zero", containers: [r(1, 1, { [EXT_A]: 0 })], existing: r(0, 0, { [EXT_A]: 6 }), ...FITS },
  { name: "both pod-level and container-level resources fit", containers: [r(1, 1)], podLevel: { cpu: "1m", memory: "2" }, existing: r(5, 5), ...FITS },
  { name: "pod-level cpu resource not fit", containers: [r(1, 1)], podLevel: { cpu: "7m", memory: "2" }, existing: r(5, 5), code: U, reasons: ["Insufficient cpu"] },
  { name: "pod-level memory resource not fit", containers: [r(1, 1)], podLevel: { cpu: "3m", memory: "2" }, existing: r(5, 19), code: U, reasons: ["Insufficient memory"] },
  { name: "pod-level hugepages resource fit", containers: [], podLevel: { cpu: "3m", memory: "2", [HUGE_A]: "5" }, existing: r(), ...FITS },
  { name: "pod-level hugepages resource not fit", containers: [], podLevel: { cpu: "3m", memory: "2", [HUGE_A]: "10" }, existing: r(), code: UU, reasons: [`Insufficient ${HUGE_A}`] },
  { name: "one pod-level cpu resource fits and all init and non-init containers resources fit", containers: [r(1, 1)], init: [r(1, 1)], podLevel: { cpu: "3m", memory: "2" }, existing: r(5, 19), code: U, reasons: ["Insufficient memory"] },
  // TestNotEnoughRequests: node allocatable (10m, 20, pods 1), one pod already there.
  { name: "even without specified resources predicate fails when there's no space for additional pod", containers: [], existing: r(10, 20), node: { name: "node", cpu: "10m", memory: 20, pods: 1 }, code: U, reasons: ["Too many pods"] },
  { name: "even if both resources fit predicate fails when there's no space for additional pod", containers: [r(1, 1)], existing: r(5, 5), node: { name: "node", cpu: "10m", memory: 20, pods: 1 }, code: U, reasons: ["Too many pods"] },
  { name: "even for equal edge case predicate fails when there's no space for additional pod", containers: [r(5, 1)], existing: r(5, 19), node: { name: "node", cpu: "10m", memory: 20, pods: 1 }, code: U, reasons: ["Too many pods"] },
  { name: "even for equal edge case predicate fails due to init container", containers: [r(5, 1)], init: [r(5, 1)], existing: r(5, 19), node: { name: "node", cpu: "10m", memory: 20, pods: 1 }, code: U, reasons: ["Too many pods"] },
  // TestStorageRequests.
  { name: "due to container scratch disk", containers: [r(1, 1)], existing: r(10, 10), code: U, reasons: ["Insufficient cpu"] },
  { name: "pod fit", containers: [r(1, 1)], existing: r(2, 10), ...FITS },
  { name: "storage ephemeral local storage request exceeds allocatable", containers: [r(0, 0, {}, 25)], existing: r(2, 2), code: UU, reasons: ["Insufficient ephemeral-storage"] },
  { name: "pod fits (ephemeral storage)", containers: [r(0, 0, {}, 10)], existing: r(2, 2), ...FITS },
];

describe("NodeResourcesFit Filter (upstream fit_test.go)", () => {
  test.each(cases)("$name", (c) => {
    const snap = cluster([c.node ?? NODE], [{ nodeName: "node", containers: [c.existing] }]);
    const spec = c.podLevel ? { resources: { requests: c.podLevel } } : {};
    const p = snap.compile(pod({ containers: c.containers, initContainers: c.init, overhead: c.overhead, spec: spec as never }));
    const plugin = new NodeResourcesFit(c.args, { snapshot: snap });
    const state = new CycleState();
    state.reset(snap, -1, false);
    expect(plugin.preFilter(state, p)).toBe(Code.Success);
    const out = new Int32Array(1);
    plugin.filter(state, p, Int32Array.of(0), 1, out);
    const code = out[0] & 0xf;
    expect(code).toBe(c.code);
    const reasons = out[0] === 0 ? [] : plugin.describe(state, p, 0, out[0] >>> 4);
    expect(reasons).toEqual(c.reasons);
  });
});
