/** Hand-written ClusterSpecs for cluster-loop tests. */
import type { ClusterSpec, NodeSpec, PodTemplate, TaintSpec } from "../../src/run/spec.js";

export function node(name: string, cpuMilli: number, memoryBytes: number, extra: Partial<NodeSpec> = {}): NodeSpec {
  return { name, pool: "p", labels: { "kubernetes.io/hostname": name }, taints: [], cpuMilli, memoryBytes, ephemeralBytes: 0, pods: 110, extended: {}, ...extra };
}

export function template(cpuMilli: number, memoryBytes: number, extra: Partial<PodTemplate> = {}): PodTemplate {
  return {
    namespace: "default",
    labels: {},
    cpuMilli,
    memoryBytes,
    ephemeralBytes: 0,
    extended: {},
    nodeSelector: {},
    tolerations: [],
    priority: 0,
    schedulerName: "default-scheduler",
    source: { spec: { containers: [{ name: "c" }] } },
    ...extra,
  };
}

export function spec(over: Partial<ClusterSpec>): ClusterSpec {
  return {
    name: "t",
    seed: 1,
    durationUs: 3600e6,
    sampleIntervalUs: 10e6,
    podStartupDelay: { type: "constant", value: 1 },
    nodes: [],
    templates: [],
    deployments: [],
    pods: [],
    arrivals: [],
    faults: [],
    sections: {},
    ...over,
  };
}

export const GI = 2 ** 30;
export const taint = (key: string, effect: TaintSpec["effect"], value?: string): TaintSpec => ({ key, value, effect });
