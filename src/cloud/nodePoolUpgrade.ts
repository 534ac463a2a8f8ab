/**
 * A managed node-pool upgrade, the way GKE's surge upgrade runs one (NodePool
 * UpgradeSettings): the pool's old nodes are replaced by new ones in a rolling window.
 *
 * - New machines: at most maxSurge beyond the pool's size at any time (old nodes left +
 *   new nodes created <= size + maxSurge), one new node per old node in all. A machine
 *   boots for `provisionTime`, then its kubelet registers the Node.
 * - Old nodes: at most maxSurge + maxUnavailable drained at once, and only while the
 *   schedulable Ready nodes of the pool stay at or above size - maxUnavailable (the new
 *   Ready ones plus the old not being drained). GKE's example: 5 nodes, maxSurge 2,
 *   maxUnavailable 1: two new nodes, then three old ones drained at once, never fewer
 *   than four available.
 * - A drain is kubectl's (client/drain.ts): cordon, evictions through the eviction API
 *   retried every 5 s while a PodDisruptionBudget refuses, DaemonSet pods stay; after
 *   `drainTimeout` (GKE: PDBs respected for up to an hour) the pods left are deleted.
 *   Once every evicted pod is gone the machine is deleted with its Node object; its
 *   DaemonSet pods go with PodGC.
 * - The upgrade is complete when no old node is left and every new node has been Ready
 *   (events.csv NodePoolUpgradeCompleted, with its duration).
 *
 * Simplifications (README "Model fidelity"): old nodes go in node order (GKE's order is
 * unspecified); a new node counts once it has been Ready (a later failure does not stop the
 * upgrade); the machines never fail to provision; no blue-green strategy.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { Drainer } from "../client/drain.js";

/** What the cloud does with machines: boot one (its kubelet starts), delete one. */
export interface Machines {
  provision(node: number): void;
  deprovision(node: number): void;
}

/** One upgrade: the pool's old nodes and their new ones, and its settings. */
export interface NodePoolUpgradeSettings {
  pool: string;
  oldNodes: number[];
  newNodes: number[];
  maxSurge: number;
  maxUnavailable: number;
  drainTimeoutUs: number;
  provisionUs: number;
  /** For events.csv ("actions[3]: pool general"). */
  description: string;
}

interface Upgrade {
  s: NodePoolUpgradeSettings;
  startUs: number;
  /** Old nodes not yet drained, in order; new nodes not yet created, in order. */
  nextOld: number;
  nextNew: number;
  oldLeft: number;
  draining: number;
  readyNew: Set<number>;
  refused: number;
  done: boolean;
}

export class NodePoolUpgrades {
  private readonly provisionedId: number;
  private readonly upgrades: Upgrade[] = [];
  /** Per node row: the upgrade whose new node it is, or -1. */
  private readonly upgradeOfNew: Int32Array;
  /** How long each completed upgrade took (s). */
  readonly completedSeconds: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly drainer: Drainer,
    private readonly machines: Machines,
    /** Outcome of the pods a drain evicts (pods.csv). */
    private readonly outcome: number,
  ) {
    this.provisionedId = sim.on("cloud.machineBooted", (node) => machines.provision(node));
    this.upgradeOfNew = new Int32Array(cluster.nodes.count).fill(-1);
    cluster.onNodeReady.push((node) => this.nodeReady(node));
  }

  start(s: NodePoolUpgradeSettings): void {
    const u = this.upgrades.length;
    for (const n of s.newNodes) this.upgradeOfNew[n] = u;
    const up: Upgrade = { s, startUs: this.sim.now, nextOld: 0, nextNew: 0, oldLeft: s.oldNodes.length, draining: 0, readyNew: new Set(), refused: 0, done: false };
    this.upgrades.push(up);
    this.cluster.events.add(this.sim.now, "NodePoolUpgradeStarted", `nodepool/${s.pool}`, `${s.description}: ${s.oldNodes.length} nodes, maxSurge ${s.maxSurge}, maxUnavailable ${s.maxUnavailable}`);
    this.step(u);
  }

  /** Upgrades still running at the end. */
  get inProgress(): number {
    return this.upgrades.filter((u) => !u.done).length;
  }

  private step(u: number): void {
    const up = this.upgrades[u];
    const s = up.s;
    const size = s.oldNodes.length;
    while (up.nextNew < size && up.oldLeft + up.nextNew < size + s.maxSurge) {
      const node = s.newNodes[up.nextNew++];
      this.cluster.events.add(this.sim.now, "NodeProvisioning", `node/${this.cluster.nodes.names[node]}`, `${s.description}: new machine created (kubelet starts in ${(s.provisionUs / US_PER_S).toFixed(3)} s)`);
      this.sim.schedule(s.provisionUs, this.provisionedId, node);
    }
    while (up.nextOld < size && up.draining < s.maxSurge + s.maxUnavailable && up.readyNew.size + up.oldLeft - up.draining - 1 >= size - s.maxUnavailable) {
      const node = s.oldNodes[up.nextOld++];
      up.draining++;
      this.cluster.events.add(this.sim.now, "Drain", `node/${this.cluster.nodes.names[node]}`, `${s.description}: upgrade drains the node`);
      this.drainer.drain(node, {
        description: s.description,
        outcome: this.outcome,
        timeoutUs: s.drainTimeoutUs,
        atTimeout: "delete",
        done: (r) => this.drained(u, node, r.refused),
      });
    }
    if (!up.done && up.oldLeft === 0 && up.readyNew.size === size) {
      up.done = true;
      const seconds = (this.sim.now - up.startUs) / US_PER_S;
      this.completedSeconds.push(seconds);
      this.cluster.events.add(this.sim.now, "NodePoolUpgradeCompleted", `nodepool/${s.pool}`, `${s.description}: ${size} nodes replaced after ${seconds.toFixed(3)} s, ${up.refused} evictions refused by a PodDisruptionBudget`);
    }
  }

  /** Every evicted pod of the old node is gone: the machine and its Node are deleted. */
  private drained(u: number, node: number, refused: number): void {
    const up = this.upgrades[u];
    up.refused += refused;
    up.draining--;
    up.oldLeft--;
    this.machines.deprovision(node);
    this.step(u);
  }

  private nodeReady(node: number): void {
    const u = node < this.upgradeOfNew.length ? this.upgradeOfNew[node] : -1;
    if (u < 0 || this.upgrades[u].readyNew.has(node)) return;
    this.upgrades[u].readyNew.add(node);
    this.step(u);
  }
}
