/** Hand-written ClusterSpecs for cluster-loop tests; pod templates go through the API server's admission, as a scenario's do. */
import { Admission } from "../../src/apiserver/admission/admission.js";
import { podTemplate } from "../../src/model/podTemplate.js";
import type { Toleration } from "../../src/model/types.js";
import type { ClusterSpec, NodeSpec, PodTemplate, TaintSpec } from "../../src/run/spec.js";
import { DEFAULT_NODE_LIFECYCLE_CONFIG } from "../../src/controllers/nodeLifecycle/defaults.js";
import { defaultSchedulerSpec } from "../../src/scheduler/config/schedulerSpec.js";

export function node(name: string, cpuMilli: number, memoryBytes: number, extra: Partial<NodeSpec> = {}): NodeSpec {
  return { name, pool: "p", labels: { "kubernetes.io/hostname": name }, taints: [], cpuMilli, memoryBytes, ephemeralBytes: 0, pods: 110, extended: {}, ...extra };
}

export interface TemplateExtra {
  namespace?: string;
  labels?: Record<string, string>;
  /** Extended resources requested (name -> amount). */
  extended?: Record<string, number>;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
}

/** A pod template with one container requesting `cpuMilli` and `memoryBytes`, admitted. */
export function template(cpuMilli: number, memoryBytes: number, extra: TemplateExtra = {}): PodTemplate {
  const requests: Record<string, string> = { cpu: `${cpuMilli}m`, memory: String(memoryBytes) };
  // Extended resources cannot be overcommitted: the API server requires a limit equal to the request.
  const limits: Record<string, string> = {};
  for (const [r, v] of Object.entries(extra.extended ?? {})) requests[r] = limits[r] = String(v);
  return podTemplate(
    new Admission().admitPod({
      metadata: { namespace: extra.namespace ?? "default", labels: extra.labels ?? {} },
      spec: { containers: [{ name: "c", resources: Object.keys(limits).length > 0 ? { requests, limits } : { requests } }], ...(extra.tolerations ? { tolerations: extra.tolerations } : {}), ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}) },
    }),
  );
}

export function spec(over: Partial<ClusterSpec>): ClusterSpec {
  return {
    name: "t",
    seed: 1,
    durationUs: 3600e6,
    sampleIntervalUs: 10e6,
    podStartupDelay: { type: "constant", value: 1 },
    nodes: [],
    namespaces: new Admission().namespaceList(),
    templates: [],
    deployments: [],
    daemonSets: [],
    jobs: [],
    statefulSets: [],
    pdbs: [],
    pods: [],
    arrivals: [],
    faults: [],
    actions: [],
    scheduler: defaultSchedulerSpec(),
    controllerManager: { kubeApiQps: 20, kubeApiBurst: 30, terminatedPodGcThreshold: 12500, nodeLifecycle: { ...DEFAULT_NODE_LIFECYCLE_CONFIG } },
    ...over,
  };
}

export const GI = 2 ** 30;
export const taint = (key: string, effect: TaintSpec["effect"], value?: string): TaintSpec => ({ key, value, effect });
