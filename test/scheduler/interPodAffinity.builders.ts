/**
 * Small builders for v1 objects used by the InterPodAffinity and PodTopologySpread
 * conformance fixtures. They only shorten the tables; every field they set is a plain
 * v1 field, so a fixture reads like the upstream table it was transcribed from.
 */
import type { Node, Pod, Namespace, Service, LabelSelector, Affinity, TopologySpreadConstraint, Taint, Toleration } from "../../src/model/types.js";
import type { PodAffinityTerm, WeightedPodAffinityTerm } from "kubernetes-types/core/v1.d.ts";
import type { ReplicaSet } from "../../src/model/types.js";

export type Labels = Record<string, string>;

export function node(name: string, labels: Labels, taints?: Taint[]): Node {
  return { metadata: { name, labels }, spec: taints ? { taints } : {} };
}

export interface PodOpts {
  name?: string;
  namespace?: string;
  node?: string;
  labels?: Labels;
  affinity?: Affinity;
  spread?: TopologySpreadConstraint[];
  nodeSelector?: Labels;
  tolerations?: Toleration[];
  terminating?: boolean;
}

let podSeq = 0;
export function pod(o: PodOpts): Pod {
  return {
    metadata: {
      name: o.name ?? `pod-${++podSeq}`,
      namespace: o.namespace ?? "default",
      labels: o.labels ?? {},
      ...(o.terminating ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: {
      containers: [{ name: "c", image: "pause" }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.spread ? { topologySpreadConstraints: o.spread } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
  };
}

export function namespace(name: string, labels: Labels): Namespace {
  return { metadata: { name, labels } };
}

export function service(name: string, ns: string, selector: Labels): Service {
  return { metadata: { name, namespace: ns }, spec: { selector } };
}

export function replicaSet(name: string, ns: string, selector: LabelSelector): ReplicaSet {
  return { metadata: { name, namespace: ns }, spec: { selector, template: {} } } as ReplicaSet;
}

// Label selectors.
export const sel = {
  exists: (key: string): LabelSelector => ({ matchExpressions: [{ key, operator: "Exists" }] }),
  in: (key: string, ...values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: "In", values }] }),
  notIn: (key: string, ...values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: "NotIn", values }] }),
  labels: (matchLabels: Labels): LabelSelector => ({ matchLabels }),
  all: (...parts: LabelSelector[]): LabelSelector => ({ matchExpressions: parts.flatMap((p) => p.matchExpressions ?? []) }),
  empty: (): LabelSelector => ({}),
};

export interface TermOpts {
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export function term(labelSelector: LabelSelector | undefined, topologyKey: string, o: TermOpts = {}): PodAffinityTerm {
  return { ...(labelSelector ? { labelSelector } : {}), topologyKey, ...o };
}

export function weighted(weight: number, t: PodAffinityTerm): WeightedPodAffinityTerm {
  return { weight, podAffinityTerm: t };
}

export interface AffinityOpts {
  required?: PodAffinityTerm[];
  preferred?: WeightedPodAffinityTerm[];
  antiRequired?: PodAffinityTerm[];
  antiPreferred?: WeightedPodAffinityTerm[];
}

export function affinity(o: AffinityOpts): Affinity {
  const a: Affinity = {};
  if (o.required || o.preferred) {
    a.podAffinity = {
      ...(o.required ? { requiredDuringSchedulingIgnoredDuringExecution: o.required } : {}),
      ...(o.preferred ? { preferredDuringSchedulingIgnoredDuringExecution: o.preferred } : {}),
    };
  }
  if (o.antiRequired || o.antiPreferred) {
    a.podAntiAffinity = {
      ...(o.antiRequired ? { requiredDuringSchedulingIgnoredDuringExecution: o.antiRequired } : {}),
      ...(o.antiPreferred ? { preferredDuringSchedulingIgnoredDuringExecution: o.antiPreferred } : {}),
    };
  }
  return a;
}

export interface SpreadOpts {
  minDomains?: number;
  nodeAffinityPolicy?: "Honor" | "Ignore";
  nodeTaintsPolicy?: "Honor" | "Ignore";
  matchLabelKeys?: string[];
}

export function spread(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway",
  labelSelector: LabelSelector | undefined,
  o: SpreadOpts = {},
): TopologySpreadConstraint {
  return { maxSkew, topologyKey, whenUnsatisfiable, ...(labelSelector ? { labelSelector } : {}), ...o };
}

export function nodeAffinityIn(key: string, values: string[]): Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key, operator: "In", values }] }],
      },
    },
  };
}

export const unschedulableTaint: Taint = { key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule" };
