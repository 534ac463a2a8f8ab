/**
 * The operators' actions on the scenario timeline (scenario section actions): kubectl
 * scale, set image / rollout restart, rollout pause / resume, cordon, uncordon and drain. A drain is `kubectl drain --ignore-daemonsets
 * --force`: cordon, then evict every pod of the node but its DaemonSet pods through the
 * eviction API (the PodDisruptionBudgets decide; an allowed eviction is a graceful
 * delete, a refused one is tried again 5 s later, as kubectl does); it is done when the
 * last evicted pod is gone (events.csv DrainCompleted, with how long it took). Nodes of a
 * pool or zone with a count are chosen with the seeded stream "actions".
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { ReplicaSetController } from "../controllers/replicaSet.js";
import type { StatefulSetController } from "../controllers/statefulSet.js";
import type { ActionSpec } from "./spec.js";
import type { DisruptionBudgets } from "../controllers/disruption/disruptionBudgets.js";
import { PodPhase } from "../model/podTable.js";

/** Outcome of a pod evicted by a drain (pods.csv). */
export const OUTCOME_DRAINED = "drained";
/** kubectl drain tries a refused eviction again after 5 s (k8s.io/kubectl pkg/drain). */
export const DRAIN_EVICTION_RETRY_US = 5 * US_PER_S;

export class ActionTimeline {
  private readonly actionId: number;
  private readonly evictId: number;
  private readonly drained: number;
  /** Per drain in progress: the pods still to go, when it began, what it was. */
  private readonly drains: { pods: Set<number>; startUs: number; description: string; node: string }[] = [];
  /** How long each drain took (s), for the summary. */
  readonly drainSeconds: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly replicaSets: ReplicaSetController,
    private readonly statefulSets: StatefulSetController,
    private readonly actions: readonly ActionSpec[],
    private readonly budgets: DisruptionBudgets,
  ) {
    this.actionId = sim.on("actions.action", (i) => this.act(i));
    this.evictId = sim.on("actions.evict", (pod) => this.evict(pod));
    this.drained = cluster.outcomes.id(OUTCOME_DRAINED);
    cluster.onPodEnded.push((pod) => this.podGone(pod));
  }

  start(): void {
    this.actions.forEach((a, i) => this.sim.scheduleAt(a.atUs, this.actionId, i));
  }

  private act(i: number): void {
    const a = this.actions[i];
    if (a.type === "rollout") {
      this.cluster.events.add(this.sim.now, "Rollout", `action/${i}`, `${a.description}: new pod template (revision ${a.revision + 2})`);
      this.replicaSets.rollout(a.deployment, a.revision);
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
    const nodes = this.pick(a.candidates, a.count);
    const names = nodes.map((n) => this.cluster.nodes.names[n]);
    this.cluster.events.add(this.sim.now, a.type === "cordon" ? "Cordon" : a.type === "uncordon" ? "Uncordon" : "Drain", `action/${i}`, `${a.description}: kubectl ${a.type} ${names.length <= 3 ? names.join(" ") : `(${names.length} nodes)`}`);
    for (const n of nodes) {
      this.cluster.setUnschedulable(n, a.type !== "uncordon");
      if (a.type === "drain") this.drain(n, a.description);
    }
  }

  private drain(node: number, description: string): void {
    const c = this.cluster;
    const evict = c.podsOn(node).filter((p) => c.pods.deletionUs[p] < 0 && !c.owners[c.pods.owner[p]]?.startsWith("DaemonSet/"));
    const drain = { pods: new Set(evict), startUs: this.sim.now, description, node: c.nodes.names[node] };
    this.drains.push(drain);
    for (const p of evict) this.evict(p);
    this.check(drain);
  }

  /** POST pods/eviction for a pod of a drain; refused: again in 5 s. */
  private evict(pod: number): void {
    const c = this.cluster;
    if (c.pods.deletionUs[pod] >= 0 || c.pods.phase[pod] === PodPhase.Succeeded || c.pods.phase[pod] === PodPhase.Failed) return;
    const answer = this.budgets.evict(pod);
    if (answer.allowed) c.deletePod(pod, this.drained);
    else this.sim.schedule(DRAIN_EVICTION_RETRY_US, this.evictId, pod);
  }

  private podGone(pod: number): void {
    for (const d of this.drains) if (d.pods.delete(pod)) this.check(d);
  }

  private check(d: { pods: Set<number>; startUs: number; description: string; node: string }): void {
    if (d.pods.size > 0) return;
    this.drains.splice(this.drains.indexOf(d), 1);
    const seconds = (this.sim.now - d.startUs) / US_PER_S;
    this.drainSeconds.push(seconds);
    this.cluster.events.add(this.sim.now, "DrainCompleted", `node/${d.node}`, `${d.description}: every evicted pod gone after ${seconds.toFixed(3)} s`);
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
