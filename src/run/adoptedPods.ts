/**
 * A cluster export's controller-owned pods at the start of a run (issue 12): each Pod of a
 * Deployment (through its ReplicaSet), StatefulSet or DaemonSet in the export is created
 * at t=0, before any controller starts, owned by its workload and pinned to its exported
 * (renamed) node, so the controllers count it as theirs (adoption) and create only what is
 * missing. It is Running at t=0, as it was when the export was taken: bound at once (the
 * kube-scheduler counts it on its node as a pod it did not place), its kubelet admits it
 * and reports it Running with no start-up delay (Ready unless readiness or startup
 * probes gate it; no image pull: with a container runtime model its image is not in the
 * node's image list until a pod pulls it). A pod whose workload's template no longer fits
 * on its node beside the pods placed before it (requests raised since) waits Pending,
 * pinned to that node by its spec.nodeName, with the scheduler's reason.
 *
 * Which template it runs: its workload's (requests, probes, image as the workload has them
 * now); a DaemonSet pod the template for its node. A pod whose workload would not run it
 * there (a DaemonSet pod on a node the DaemonSet no longer selects) or whose node is not
 * in the run is not created: an event PodNotAdopted (events.csv) names it. [kubesim choice]
 */
import type { ClusterState } from "../apiserver/clusterState.js";
import type { ClusterSpec } from "./spec.js";

/** A bound pod of a cluster export, adopted by its workload (scenario/manifests.ts). */
export interface AdoptedPodSpec {
  name: string;
  namespace: string;
  /** Its workload as the controllers name their owners: Deployment/<ns>/<name>, StatefulSet/..., DaemonSet/... */
  owner: string;
  /** spec.nodeName, the node's name in the run (<pool>-<index>). */
  nodeName: string;
}

/** The workload's template for a pod on `node`, or -1 when the workload would not run one there. */
function templateFor(spec: ClusterSpec, owner: string, node: number): number {
  const [kind, namespace, name] = owner.split("/");
  const same = (w: { namespace: string; name: string; startUs?: number }) => w.namespace === namespace && w.name === name && w.startUs === undefined;
  if (kind === "Deployment") return spec.deployments.find(same)?.template ?? -1;
  if (kind === "StatefulSet") return spec.statefulSets.find(same)?.template ?? -1;
  const ds = spec.daemonSets.find(same);
  const k = ds ? ds.nodes.indexOf(node) : -1;
  return k < 0 ? -1 : ds!.templates[k];
}

/** Create the adopted pods (after the controllers are constructed, before they start). */
export function createAdoptedPods(cluster: ClusterState, spec: ClusterSpec, pods: readonly AdoptedPodSpec[]): void {
  const nodeOf = new Map<string, number>();
  spec.nodes.forEach((n, i) => nodeOf.set(n.name, i));
  for (const p of pods) {
    const node = nodeOf.get(p.nodeName) ?? -1;
    const owner = cluster.owners.indexOf(p.owner);
    const template = node < 0 || owner < 0 ? -1 : templateFor(spec, p.owner, node);
    if (template < 0) {
      cluster.events.add(cluster.now, "PodNotAdopted", `pod/${p.namespace}/${p.name}`, `${p.owner} would not run it on ${p.nodeName}: not created, its controller creates what it needs`);
      continue;
    }
    // Running where it is, unless the workload's template no longer fits there beside the pods placed before it.
    const running = cluster.overAllocatable(template, node) === "";
    cluster.adoptingNode = node;
    cluster.adoptingRunning = running;
    const pod = cluster.createPod(p.name, p.namespace, template, owner, -1);
    if (running) cluster.bind(pod, node);
    cluster.adoptingNode = -1;
    cluster.adoptingRunning = false;
  }
}
