/**
 * `kubectl drain --ignore-daemonsets --force` (k8s.io/kubectl pkg/drain), as an operator
 * runs it from the scenario timeline and as a managed node-pool upgrade runs it on each
 * old node: cordon, then evict every pod of the node but its DaemonSet pods through the
 * eviction API. The PodDisruptionBudgets decide: an allowed eviction is a graceful delete,
 * a refused one is tried again 5 s later, as kubectl does. The drain is done when the
 * last evicted pod is gone (events.csv DrainCompleted, with how long it took and how many
 * evictions a PDB refused, by PDB).
 *
 * A timeout ends the waiting: kubectl's `--timeout` gives up (the node stays cordoned, the
 * rest of its pods stay: DrainTimedOut); a managed upgrade deletes the rest without the
 * eviction API (GKE respects PDBs for up to an hour of a node's drain).
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import { PodPhase } from "../model/podTable.js";

/** kubectl drain tries a refused eviction again after 5 s (k8s.io/kubectl pkg/drain: evictPods' retry sleep). */
export const DRAIN_EVICTION_RETRY_US = 5 * US_PER_S;

/** The eviction API: allowed, or refused by a PodDisruptionBudget (its namespace/name when one refused). */
export type Evict = (pod: number) => { allowed: boolean; pdb?: string };

export interface DrainOptions {
  /** What the drain is, for events.csv ("actions[2]: node general-3"). */
  description: string;
  /** Outcome of the evicted pods (pods.csv). */
  outcome: number;
  /** Give up or delete what is left this long after the start; -1: wait for ever (kubectl's --timeout 0). */
  timeoutUs: number;
  /** At the timeout: give up (kubectl drain) or delete the pods left without the eviction API (a managed upgrade). */
  atTimeout: "give-up" | "delete";
  /** Called once the drain is over: every evicted pod gone (completed), or given up. */
  done?: (result: DrainResult) => void;
  /** Cordon the node first (kubectl drain does; the Cluster Autoscaler taints instead). Default true. */
  cordon?: boolean;
}

export interface DrainResult {
  node: number;
  seconds: number;
  completed: boolean;
  /** Evictions a PodDisruptionBudget refused, in all and by PDB (namespace/name). */
  refused: number;
  refusedBy: Map<string, number>;
}

interface Drain {
  node: number;
  pods: Set<number>;
  startUs: number;
  options: DrainOptions;
  refused: number;
  refusedBy: Map<string, number>;
  over: boolean;
}

export class Drainer {
  private readonly evictId: number;
  private readonly timeoutId: number;
  private readonly drains: Drain[] = [];
  /** Drains in progress (their indices). */
  private readonly active = new Set<number>();
  /** How long each finished drain took (s), for the summary. */
  readonly completedSeconds: number[] = [];
  /** Drains given up or forced at their timeout. */
  timedOut = 0;
  /** Pods deleted without the eviction API at a drain's timeout. */
  forcedDeletions = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly evictPod: Evict,
  ) {
    this.evictId = sim.on("drain.evict", (pod, d) => this.evict(pod, d));
    this.timeoutId = sim.on("drain.timeout", (d) => this.timeout(d));
    cluster.onPodEnded.push((pod) => this.podGone(pod));
  }

  /** Cordon the node (unless told not to) and evict its pods (DaemonSet pods and pods already being deleted aside). */
  drain(node: number, options: DrainOptions): void {
    const c = this.cluster;
    if (options.cordon !== false) c.setUnschedulable(node, true);
    const evict = c.podsOn(node).filter((p) => c.pods.deletionUs[p] < 0 && !c.owners[c.pods.owner[p]]?.startsWith("DaemonSet/"));
    const d = this.drains.length;
    this.drains.push({ node, pods: new Set(evict), startUs: this.sim.now, options, refused: 0, refusedBy: new Map(), over: false });
    this.active.add(d);
    for (const p of evict) this.evict(p, d);
    if (options.timeoutUs >= 0) this.sim.schedule(options.timeoutUs, this.timeoutId, d);
    this.check(d);
  }

  /** POST pods/eviction for a pod of drain d; refused: again in 5 s. */
  private evict(pod: number, d: number): void {
    const drain = this.drains[d];
    const c = this.cluster;
    if (drain.over || c.pods.deletionUs[pod] >= 0 || c.pods.phase[pod] === PodPhase.Succeeded || c.pods.phase[pod] === PodPhase.Failed) return;
    const answer = this.evictPod(pod);
    if (answer.allowed) {
      c.deletePod(pod, drain.options.outcome);
      return;
    }
    drain.refused++;
    if (answer.pdb !== undefined) drain.refusedBy.set(answer.pdb, (drain.refusedBy.get(answer.pdb) ?? 0) + 1);
    this.sim.schedule(DRAIN_EVICTION_RETRY_US, this.evictId, pod, d);
  }

  private timeout(d: number): void {
    const drain = this.drains[d];
    if (drain.over) return;
    const c = this.cluster;
    if (drain.options.atTimeout === "give-up") {
      this.timedOut++;
      this.finish(d, false, "DrainTimedOut", `gave up after ${this.secondsOf(drain).toFixed(3)} s with ${drain.pods.size} pods left`);
      return;
    }
    this.timedOut++;
    for (const pod of drain.pods) {
      if (c.pods.deletionUs[pod] >= 0) continue;
      this.forcedDeletions++;
      c.deletePod(pod, drain.options.outcome);
    }
    this.cluster.events.add(this.sim.now, "DrainTimeout", `node/${c.nodes.names[drain.node]}`, `${drain.options.description}: PodDisruptionBudgets no longer respected after ${this.secondsOf(drain).toFixed(3)} s: the pods left are deleted`);
    this.check(d);
  }

  private podGone(pod: number): void {
    for (const d of this.active) if (this.drains[d].pods.delete(pod)) this.check(d);
  }

  private check(d: number): void {
    const drain = this.drains[d];
    if (drain.pods.size > 0 || drain.over) return;
    const refused = drain.refused === 0 ? "no eviction refused" : `${drain.refused} evictions refused (${[...drain.refusedBy].map(([pdb, n]) => `${pdb}: ${n}`).join(", ")})`;
    this.completedSeconds.push(this.secondsOf(drain));
    this.finish(d, true, "DrainCompleted", `every evicted pod gone after ${this.secondsOf(drain).toFixed(3)} s, ${refused}`);
  }

  private finish(d: number, completed: boolean, kind: string, message: string): void {
    const drain = this.drains[d];
    drain.over = true;
    this.active.delete(d);
    this.cluster.events.add(this.sim.now, kind, `node/${this.cluster.nodes.names[drain.node]}`, `${drain.options.description}: ${message}`);
    drain.options.done?.({ node: drain.node, seconds: this.secondsOf(drain), completed, refused: drain.refused, refusedBy: drain.refusedBy });
  }

  private secondsOf(drain: Drain): number {
    return (this.sim.now - drain.startUs) / US_PER_S;
  }
}
