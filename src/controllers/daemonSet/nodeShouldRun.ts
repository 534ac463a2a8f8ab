/**
 * Should a DaemonSet run a pod on this node (nodeShouldRunDaemonPod / predicates in
 * k/k pkg/controller/daemon/daemon_controller.go)? The pod's nodeName (if set) names the
 * node; its required node affinity and nodeSelector match the node (component-helpers
 * nodeaffinity: nodeSelector keys all equal, and any one of the required terms, each
 * term's expressions and fields all true); and every NoSchedule and NoExecute taint of
 * the node is tolerated. Read on v1 objects, once per DaemonSet and node when the run is
 * set up (node labels and taints do not change in a run).
 */
import type { NodeSelectorTerm, PodSpec } from "../../model/types.js";
import { toleratesTaint, type TaintLike } from "../../model/tolerations.js";

export interface NodeView {
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly TaintLike[];
}

export function nodeShouldRunDaemonPod(spec: PodSpec, node: NodeView): boolean {
  if (spec.nodeName && spec.nodeName !== node.name) return false;
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms.some((t) => termMatches(t, node))) return false;
  const tolerations = spec.tolerations ?? [];
  return node.taints.every((taint) => taint.effect === "PreferNoSchedule" || tolerations.some((t) => toleratesTaint(t, taint)));
}

/** A term matches when it has some requirement and all of them hold (an empty term matches nothing). */
function termMatches(term: NodeSelectorTerm, node: NodeView): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length + fields.length === 0) return false;
  for (const e of exprs) if (!requirementHolds(e.operator, node.labels[e.key], e.values ?? [])) return false;
  for (const f of fields) if (f.key !== "metadata.name" || !requirementHolds(f.operator, node.name, f.values ?? [])) return false;
  return true;
}

/** v1.NodeSelectorRequirement on one value (undefined: the label is absent). Gt/Lt compare integers (strconv.ParseInt). */
function requirementHolds(op: string, value: string | undefined, values: readonly string[]): boolean {
  switch (op) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1 || !/^[+-]?\d+$/.test(value) || !/^[+-]?\d+$/.test(values[0])) return false;
      const [a, b] = [BigInt(value), BigInt(values[0])];
      return op === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}
