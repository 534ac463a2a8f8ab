/**
 * A pod's scheduling requirements, compiled once per template: 10,000 replicas of a
 * Deployment share one CompiledPod. Everything the default plugins read in their hot
 * loops is here as numbers or interned ids; the raw v1 spec stays available for
 * plugins that compile their own forms (InterPodAffinity, PodTopologySpread, custom
 * plugins), which they may cache in `pluginData` under their name.
 */
import type { Pod, PodSpec, Toleration } from "../model/types.js";
import { grown, nextCapacity } from "../engine/columns.js";
import { podRequests } from "../model/podRequests.js";
import { compileNodeSelector, compileNodeSelectorMap, compileNodeSelectorTerm, type CompiledNodeSelectorTerm } from "./labels/nodeSelector.js";
import { TAINT_NODE_UNSCHEDULABLE } from "../model/wellKnown.js";
import { TaintEffect, taintEffectCode, parseGoInt, type ClusterStrings } from "./labels/strings.js";



export interface CompiledToleration {
  key: string;
  /** "Equal" or "Exists" ("" means Equal); Gt/Lt (alpha in 1.35) compare integers. */
  operator: string;
  value: string;
  /** TaintEffect code; Any (0) matches all effects. */
  effect: number;
}

/** A preferred node affinity term with its weight. */
export interface WeightedTerm {
  weight: number;
  term: CompiledNodeSelectorTerm;
}

export class CompiledPod {
  /** Template key: pods with equal keys share this object. */
  readonly key: string;
  readonly spec: PodSpec;
  readonly namespace: string;
  readonly namespaceId: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Flat sorted [key, value, ...] label ids. */
  readonly labelIds: Int32Array;
  readonly priority: number;
  /** spec.nodeName ("" when unset). */
  readonly nodeName: string;
  /** spec.preemptionPolicy ("PreemptLowerPriority" default). */
  readonly preemptionPolicy: string;

  // Requests as the Fit filter sees them (model/podRequests: the numbers the cluster accounts too).
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly ephemeralBytes: number;
  /** Scalar resource ids (ClusterStrings.resources) and amounts, parallel arrays. */
  readonly scalarIds: Int32Array;
  readonly scalarAmounts: Float64Array;
  /** cpu, memory, ephemeral-storage and every scalar are 0. */
  readonly requestsNothing: boolean;
  // Requests as Fit scoring sees them (100m / 200Mi for containers that list none).
  readonly nonzeroCpuMilli: number;
  readonly nonzeroMemoryBytes: number;

  // NodeAffinity.
  readonly nodeSelector: CompiledNodeSelectorTerm | null;
  /** Required node affinity terms (ORed); null when there is no required affinity. */
  readonly requiredTerms: CompiledNodeSelectorTerm[] | null;
  readonly preferredTerms: WeightedTerm[];

  // TaintToleration / NodeUnschedulable.
  readonly tolerations: CompiledToleration[];
  readonly toleratesUnschedulable: boolean;
  /** Per taint id: 0 = not computed, 1 = tolerated, 2 = not (all tolerations). */
  tolerated: Uint8Array = new Uint8Array(16);
  /** Same, only tolerations with effect "" or PreferNoSchedule (TaintToleration score). */
  toleratedPrefer: Uint8Array = new Uint8Array(16);

  // NodePorts: flat [protocolPort, hostIP id, ...] with protocolPort = protocol*65536 + port.
  readonly hostPorts: Int32Array;

  // ImageLocality: normalized image names of containers and init containers.
  readonly images: readonly string[];
  readonly containerCount: number;

  /** Plugin-owned compiled forms (e.g. InterPodAffinity terms), keyed by plugin name. */
  readonly pluginData = new Map<string, unknown>();

  constructor(key: string, pod: Pod, strings: ClusterStrings, priority: number) {
    const spec = pod.spec ?? { containers: [] };
    this.key = key;
    this.spec = spec;
    this.namespace = pod.metadata?.namespace ?? "default";
    this.namespaceId = strings.namespaces.id(this.namespace);
    this.labels = pod.metadata?.labels ?? {};
    this.labelIds = strings.labelList(pod.metadata?.labels);
    this.priority = priority;
    this.nodeName = spec.nodeName ?? "";
    this.preemptionPolicy = spec.preemptionPolicy ?? "PreemptLowerPriority";

    const req = podRequests(spec, false);
    const nz = podRequests(spec, true);
    this.cpuMilli = req.cpuMilli;
    this.memoryBytes = req.memoryBytes;
    this.ephemeralBytes = req.ephemeralBytes;
    const scalars = [...req.scalars].filter(([, v]) => v !== 0);
    this.scalarIds = Int32Array.from(scalars.map(([name]) => strings.resources.id(name)));
    this.scalarAmounts = Float64Array.from(scalars.map(([, v]) => v));
    this.requestsNothing = req.cpuMilli === 0 && req.memoryBytes === 0 && req.ephemeralBytes === 0 && scalars.length === 0;
    this.nonzeroCpuMilli = nz.cpuMilli;
    this.nonzeroMemoryBytes = nz.memoryBytes;

    this.nodeSelector = compileNodeSelectorMap(spec.nodeSelector, strings);
    const na = spec.affinity?.nodeAffinity;
    this.requiredTerms = compileNodeSelector(na?.requiredDuringSchedulingIgnoredDuringExecution, strings);
    this.preferredTerms = (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({
      weight: p.weight,
      term: compileNodeSelectorTerm(p.preference ?? {}, strings),
    }));

    this.tolerations = (spec.tolerations ?? []).map(compileToleration);
    this.toleratesUnschedulable = this.tolerations.some((t) => tolerationMatches(t, TAINT_NODE_UNSCHEDULABLE, "", TaintEffect.NoSchedule));

    const ports: number[] = [];
    for (const c of spec.containers ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        ports.push(protocolCode(p.protocol) * 65536 + p.hostPort, strings.hostIPs.id(p.hostIP || "0.0.0.0"));
      }
    }
    this.hostPorts = Int32Array.from(ports);

    const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
    this.images = all.map((c) => normalizedImageName(c.image ?? ""));
    this.containerCount = all.length;
  }

  /**
   * Is taint id `t` tolerated by any toleration (TaintToleration filter)? The answer is
   * cached per template; `comparisonOps` (feature gate TaintTolerationComparisonOperators)
   * must not change during a snapshot's life.
   */
  tolerates(t: number, strings: ClusterStrings, comparisonOps = false): boolean {
    if (t >= this.tolerated.length) this.tolerated = grown(this.tolerated, nextCapacity(this.tolerated.length, t + 1));
    let c = this.tolerated[t];
    if (c === 0) {
      c = this.tolerations.some((tol) => tolerationMatches(tol, strings.taintKey[t], strings.taintValue[t], strings.taintEffect[t], comparisonOps)) ? 1 : 2;
      this.tolerated[t] = c;
    }
    return c === 1;
  }

  /** Is taint id `t` tolerated by a toleration with effect "" or PreferNoSchedule (scoring)? */
  toleratesPrefer(t: number, strings: ClusterStrings, comparisonOps = false): boolean {
    if (t >= this.toleratedPrefer.length) this.toleratedPrefer = grown(this.toleratedPrefer, nextCapacity(this.toleratedPrefer.length, t + 1));
    let c = this.toleratedPrefer[t];
    if (c === 0) {
      c = this.tolerations.some(
        (tol) =>
          (tol.effect === TaintEffect.Any || tol.effect === TaintEffect.PreferNoSchedule) &&
          tolerationMatches(tol, strings.taintKey[t], strings.taintValue[t], strings.taintEffect[t], comparisonOps),
      )
        ? 1
        : 2;
      this.toleratedPrefer[t] = c;
    }
    return c === 1;
  }
}

function compileToleration(t: Toleration): CompiledToleration {
  return { key: t.key ?? "", operator: t.operator ?? "Equal", value: t.value ?? "", effect: taintEffectCode(t.effect) };
}

/**
 * v1 Toleration.ToleratesTaint. Gt/Lt match only with the TaintTolerationComparisonOperators
 * feature gate (alpha in 1.35, off by default); otherwise they never match.
 */
export function tolerationMatches(t: CompiledToleration, taintKey: string, taintValue: string, taintEffect: number, comparisonOps = false): boolean {
  if (t.effect !== TaintEffect.Any && t.effect !== taintEffect) return false;
  if (t.key !== "" && t.key !== taintKey) return false;
  switch (t.operator) {
    case "Exists":
      return true;
    case "":
    case "Equal":
      return t.value === taintValue;
    case "Gt":
    case "Lt": {
      if (!comparisonOps) return false;
      // TaintTolerationComparisonOperators (alpha, 1.35): integer comparison, parse errors never match.
      const tv = parseGoInt(taintValue);
      const v = parseGoInt(t.value);
      if (Number.isNaN(tv) || Number.isNaN(v)) return false;
      return t.operator === "Gt" ? tv > v : tv < v;
    }
    default:
      return false;
  }
}

function protocolCode(p: string | undefined): number {
  switch (p) {
    case "UDP":
      return 1;
    case "SCTP":
      return 2;
    default:
      return 0; // "" means TCP
  }
}

/** ImageLocality's normalization: append ":latest" when the name has no tag. */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(":") <= name.lastIndexOf("/")) return name + ":latest";
  return name;
}
