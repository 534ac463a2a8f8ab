/**
 * The cloud node lifecycle controller (k8s.io/cloud-provider controllers/nodelifecycle/
 * node_lifecycle_controller.go MonitorNodes): every --node-monitor-period (5 s), each Node
 * whose Ready condition is not True is checked against the cloud; if its instance no
 * longer exists the Node object is deleted (event DeletingNode), and PodGC then removes
 * its pods. kube-controller-manager's own node lifecycle controller never deletes Nodes.
 *
 * Simplification: the shutdown taint (an instance that exists but is stopped) is not
 * modelled: kubesim's machines are running, being created, or gone.
 */
import type { Simulation } from "../../engine/simulation.js";
import type { ClusterState } from "../../apiserver/clusterState.js";
import { Resource, Verb, isSuccess } from "../../apiserver/verbs.js";
import type { CloudClient } from "./client.js";
import { ConditionStatus } from "../../model/nodeTable.js";
import { DELETING_NODE_EVENT } from "./defaults.js";

export class CloudNodeLifecycleController {
  private readonly hPass: number;
  private readonly hDone: number;
  private readonly inFlight: Uint8Array;
  /** Node objects deleted. */
  deleted = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly client: CloudClient,
    private readonly instanceExists: (node: number) => boolean,
    private readonly periodUs: number,
  ) {
    this.inFlight = new Uint8Array(cluster.nodes.count);
    this.hPass = sim.on("cloud-node-lifecycle-controller.pass", () => this.pass());
    this.hDone = sim.on("cloud-node-lifecycle-controller.deleted", (node, status) => this.done(node, status));
  }

  start(): void {
    this.sim.schedule(this.periodUs, this.hPass);
  }

  private pass(): void {
    this.sim.schedule(this.periodUs, this.hPass);
    if (!this.client.leading) return;
    const nodes = this.cluster.nodes;
    for (let n = 0; n < nodes.count; n++) {
      if (nodes.exists[n] === 0 || this.inFlight[n] === 1 || nodes.readyCondition[n] === ConditionStatus.True) continue;
      if (this.instanceExists(n)) continue;
      this.cluster.events.add(this.sim.now, DELETING_NODE_EVENT, `node/${nodes.names[n]}`, `Deleting node ${nodes.names[n]} because it does not exist in the cloud provider`);
      this.inFlight[n] = 1;
      this.client.send(Verb.Delete, Resource.Node, n, this.hDone);
    }
  }

  private done(node: number, status: number): void {
    this.inFlight[node] = 0;
    if (!isSuccess(status)) return; // the next pass tries again
    if (this.cluster.nodes.exists[node] === 0) return;
    this.deleted++;
    this.cluster.deleteNode(node);
  }
}
