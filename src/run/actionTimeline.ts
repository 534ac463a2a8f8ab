/**
 * The operators' actions on the scenario timeline (scenario section actions): kubectl
 * scale, set image / rollout restart (of a Deployment, StatefulSet or DaemonSet), rollout pause / resume, cordon, uncordon and drain (client/drain.ts),
 * kubectl delete of a workload or a namespace (controllers/namespace/namespaceController.ts), and the
 * cloud's node-pool upgrades (cloud/nodePoolUpgrade.ts), and kubectl apply of new objects. Nodes of a pool or zone with a
 * count are chosen with the seeded stream "actions".
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { ReplicaSetController } from "../controllers/replicaSet.js";
import type { StatefulSetController } from "../controllers/statefulSet.js";
import type { DaemonSetController } from "../controllers/daemonSet/daemonSetController.js";
import type { ActionSpec, AppliedObjects } from "./spec.js";
import type { Drainer } from "../client/drain.js";
import type { NodePoolUpgrades } from "../cloud/nodePoolUpgrade.js";
import type { NamespaceController } from "../controllers/namespace/namespaceController.js";

/** Outcome of a pod evicted by a drain (pods.csv). */
export const OUTCOME_DRAINED = "drained";

export class ActionTimeline {
  private readonly actionId: number;
  private readonly drained: number;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly replicaSets: ReplicaSetController,
    private readonly statefulSets: StatefulSetController,
    private readonly daemonSets: DaemonSetController,
    private readonly actions: readonly ActionSpec[],
    private readonly drainer: Drainer,
    private readonly upgrades: NodePoolUpgrades,
    private readonly namespaces: NamespaceController,
    /** kubectl apply: create the objects (each controller takes its own). */
    private readonly applyObjects: (objects: AppliedObjects) => void = () => {},
  ) {
    this.actionId = sim.on("actions.action", (i) => this.act(i));
    this.drained = cluster.outcomes.id(OUTCOME_DRAINED);
  }

  start(): void {
    this.actions.forEach((a, i) => this.sim.scheduleAt(a.atUs, this.actionId, i));
  }

  private act(i: number): void {
    const a = this.actions[i];
    if (a.type === "rollout") {
      this.cluster.events.add(this.sim.now, "Rollout", `action/${i}`, `${a.description}: new pod template (revision ${a.revision + 2})`);
      if (a.statefulSet >= 0) this.statefulSets.rollout(a.statefulSet, a.revision);
      else if (a.daemonSet !== undefined && a.daemonSet >= 0) this.daemonSets.rollout(a.daemonSet, a.revision);
      else this.replicaSets.rollout(a.deployment, a.revision);
      return;
    }
    if (a.type === "pause" || a.type === "resume") {
      this.cluster.events.add(this.sim.now, a.type === "pause" ? "Pause" : "Resume", `action/${i}`, `${a.description}: kubectl rollout ${a.type}`);
      if (a.type === "pause") this.replicaSets.pause(a.deployment);
      else this.replicaSets.resume(a.deployment);
      return;
    }
    if (a.type === "scale") {
      this.cluster.events.add(this.sim.now, "Scale", `action/${i}`, `${a.description}: kubectl scale --replicas=${a.replicas}`);
      if (a.statefulSet >= 0) this.statefulSets.scale(a.statefulSet, a.replicas);
      else this.replicaSets.scale(a.deployment, a.replicas);
      return;
    }
    if (a.type === "delete") {
      const kind = a.kind!;
      if (!this.namespaces.deleteWorkload(kind, a.namespace!, a.name!, `${a.description}: kubectl delete ${kind.toLowerCase()}/${a.name} -n ${a.namespace}`)) {
        this.cluster.events.add(this.sim.now, "WorkloadNotFound", `action/${i}`, `${a.description}: kubectl delete ${kind.toLowerCase()}/${a.name}: Error from server (NotFound): already deleted`);
      }
      return;
    }
    if (a.type === "delete-namespace") {
      this.namespaces.deleteNamespace(a.namespace!, a.description);
      return;
    }
    if (a.type === "apply") {
      const names = a.applied!.names;
      this.cluster.events.add(this.sim.now, "Apply", `action/${i}`, `${a.description}: kubectl apply: ${names.length <= 4 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`} created`);
      this.applyObjects(a.applied!);
      return;
    }
    if (a.type === "node-pool-upgrade") {
      const u = a.upgrade!;
      this.upgrades.start({ ...u, oldNodes: a.candidates, description: a.description });
      return;
    }
    const nodes = this.pick(a.candidates, a.count);
    const names = nodes.map((n) => this.cluster.nodes.names[n]);
    this.cluster.events.add(this.sim.now, a.type === "cordon" ? "Cordon" : a.type === "uncordon" ? "Uncordon" : "Drain", `action/${i}`, `${a.description}: kubectl ${a.type} ${names.length <= 3 ? names.join(" ") : `(${names.length} nodes)`}`);
    for (const n of nodes) this.cluster.setUnschedulable(n, a.type !== "uncordon");
    if (a.type === "drain") for (const n of nodes) this.drainer.drain(n, { description: a.description, outcome: this.drained, timeoutUs: a.timeoutUs ?? -1, atTimeout: "give-up" });
  }

  /** `count` of the candidates (all when count is Infinity), chosen with stream "actions", in node order. */
  private pick(candidates: number[], count: number): number[] {
    if (count >= candidates.length) return [...candidates];
    const list = [...candidates];
    const rng = this.sim.rng.stream("actions");
    for (let k = 0; k < count; k++) {
      const j = k + rng.int(list.length - k);
      [list[k], list[j]] = [list[j], list[k]];
    }
    return list.slice(0, count).sort((x, y) => x - y);
  }
}
