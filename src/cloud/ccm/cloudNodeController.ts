/**
 * The cloud node controller (k8s.io/cloud-provider controllers/node/node_controller.go):
 * a Node registered by a kubelet with --cloud-provider=external carries
 * node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule; the controller
 * initializes it (providerID, addresses, instance-type and zone labels from the cloud)
 * and removes that taint in one Node update. Until then no pod without a toleration is
 * scheduled there.
 *
 * Simplifications: the labels are the pool's from the start (the instance-type label
 * is not added at initialization); the 5 m address refresh is not modelled.
 */
import type { Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../../apiserver/verbs.js";
import type { CloudClient } from "./client.js";
import { LifecycleTaint } from "../../model/nodeTable.js";

export class CloudNodeController {
  private readonly hDone: number;
  /** 1 while an initialization write of the node is in flight. */
  private readonly inFlight: Uint8Array;
  /** Nodes initialized. */
  initialized = 0;

  constructor(
    sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: CloudClient,
  ) {
    this.inFlight = new Uint8Array(cluster.nodes.count);
    this.hDone = sim.on("cloud-node-controller.updated", (node, status) => this.updated(node, status));
    cluster.onNodeChanged.push((node) => this.nodeChanged(node));
    client.onLeaderChange((leading) => {
      if (leading) for (let n = 0; n < cluster.nodes.count; n++) this.nodeChanged(n);
    });
  }

  private nodeChanged(node: number): void {
    const nodes = this.cluster.nodes;
    if (this.inFlight[node] === 1 || nodes.exists[node] === 0 || (nodes.lifecycleTaints[node] & LifecycleTaint.Uninitialized) === 0) return;
    if (!this.client.leading) return;
    this.inFlight[node] = 1;
    this.client.send(Verb.Update, Resource.Node, node, this.hDone);
  }

  private updated(node: number, status: number): void {
    this.inFlight[node] = 0;
    const nodes = this.cluster.nodes;
    if (!isSuccess(status)) {
      // The informer's next resync: [kubesim choice] retried at once through the rate limiter.
      this.nodeChanged(node);
      return;
    }
    if (nodes.exists[node] === 0) return;
    this.initialized++;
    this.cluster.setNodeTaints(node, nodes.lifecycleTaints[node] & ~LifecycleTaint.Uninitialized);
  }
}
