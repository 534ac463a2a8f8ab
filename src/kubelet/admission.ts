/**
 * The kubelet's pod admission (pkg/kubelet/lifecycle/predicate.go, predicateAdmitHandler):
 * before it starts a pod bound to its node, the kubelet checks it again as
 * scheduler.AdmissionCheck does: the node's resources and pod count, and the node's
 * NoExecute taints ("Kubelet is only interested in the NoExecute taint"). A pod that
 * fails is rejected: phase Failed with the first reason (OutOfcpu, OutOfmemory,
 * OutOfephemeral-storage, OutOfpods, TaintToleration).
 *
 * Node affinity, nodeName and host ports are not checked again: a node's labels never
 * change in a run and only kube-scheduler binds pods (simplification, README "Model
 * fidelity"). The resources are those ClusterState accounts (this pod included), so a pod
 * the scheduler placed passes unless the node's view changed under it.
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import { LIFECYCLE_TAINTS } from "../model/nodeTable.js";
import type { NodeSpec, TaintSpec } from "../model/nodeSpec.js";
import type { PodTemplate } from "../model/podTemplate.js";
import { NOT_TOLERATED, noExecuteToleration } from "../model/tolerations.js";

export class KubeletAdmission {
  /** Per template: the lifecycle NoExecute bits it does not tolerate. */
  private readonly untoleratedBits: Uint8Array;
  /** Per node: its spec NoExecute taints (few nodes have any). */
  private readonly specNoExecute: TaintSpec[][];

  constructor(
    private readonly cluster: ClusterState,
    private readonly templates: readonly PodTemplate[],
    nodes: readonly NodeSpec[],
  ) {
    this.untoleratedBits = Uint8Array.from(templates, (t) => {
      let bits = 0;
      for (const taint of LIFECYCLE_TAINTS) {
        if (taint.effect === "NoExecute" && noExecuteToleration(t.pod.spec?.tolerations ?? [], [taint]) === NOT_TOLERATED) bits |= taint.bit;
      }
      return bits;
    });
    this.specNoExecute = nodes.map((n) => n.taints.filter((t) => t.effect === "NoExecute"));
  }

  /** "" when the pod may run on `node`, else the rejection reason. */
  admit(pod: number, node: number): string {
    const n = this.cluster.nodes;
    if (n.cpuReq[node] > n.cpuAlloc[node]) return "OutOfcpu";
    if (n.memReq[node] > n.memAlloc[node]) return "OutOfmemory";
    if (n.ephReq[node] > n.ephAlloc[node]) return "OutOfephemeral-storage";
    if (n.podCount[node] > n.podsAlloc[node]) return "OutOfpods";
    const template = this.cluster.pods.template[pod];
    if ((n.lifecycleTaints[node] & this.untoleratedBits[template]) !== 0) return "TaintToleration";
    const spec = this.specNoExecute[node];
    if (spec.length > 0 && noExecuteToleration(this.templates[template].pod.spec?.tolerations ?? [], spec) === NOT_TOLERATED) return "TaintToleration";
    return "";
  }
}
