/**
 * What the DaemonSet controller does to its template before creating a node's pod
 * (k/k pkg/controller/daemon/util/daemonset_util.go):
 * - AddOrUpdateDaemonPodTolerations: Exists tolerations of the not-ready and unreachable
 *   NoExecute taints without tolerationSeconds (daemon pods are never evicted for them),
 *   and of the disk-pressure, memory-pressure, pid-pressure and unschedulable NoSchedule
 *   taints; network-unavailable NoSchedule too for a hostNetwork pod.
 * - ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the one
 *   term `matchFields: metadata.name In [<node>]`; preferred terms stay. The default
 *   scheduler then binds the pod to that node.
 */
import type { PodSpec, Toleration } from "../../model/types.js";

const NO_EXECUTE_FOREVER = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];
const NO_SCHEDULE = ["node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"];
const HOST_NETWORK_NO_SCHEDULE = "node.kubernetes.io/network-unavailable";

/** The daemon tolerations added to a template's own (a toleration already there for the same key and effect is replaced). */
export function withDaemonTolerations(spec: PodSpec): PodSpec {
  const add: Toleration[] = [
    ...NO_EXECUTE_FOREVER.map((key) => ({ key, operator: "Exists", effect: "NoExecute" })),
    ...NO_SCHEDULE.map((key) => ({ key, operator: "Exists", effect: "NoSchedule" })),
    ...(spec.hostNetwork ? [{ key: HOST_NETWORK_NO_SCHEDULE, operator: "Exists", effect: "NoSchedule" }] : []),
  ];
  const own = (spec.tolerations ?? []).filter((t) => !add.some((a) => a.key === t.key && a.effect === t.effect));
  return { ...spec, tolerations: [...own, ...add] };
}

/** The node's daemon pod: required node affinity replaced by metadata.name In [node]. */
export function forNode(spec: PodSpec, node: string): PodSpec {
  const affinity = spec.affinity ?? {};
  return {
    ...spec,
    affinity: {
      ...affinity,
      nodeAffinity: {
        ...(affinity.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }] },
      },
    },
  };
}
