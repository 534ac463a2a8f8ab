/**
 * The scheduling seam of the cluster loop. The cluster tells a `PodScheduling`
 * when a pod needs a node and when capacity may have freed; the scheduling side
 * decides when and where, and calls `ClusterActions.bind`. The real kube-scheduler
 * component (queue, cycles taking virtual time, binding through the API server)
 * implements this interface; `PlaceholderScheduling` is the first, simple one.
 */
import type { Simulation } from "../engine/simulation.js";
import type { PodPlacer } from "./placement.js";

export interface ClusterActions {
  /** Bind pod to node now (updates the node's requested resources). */
  bind(pod: number, node: number): void;
}

export interface PodScheduling {
  /** A new pod (or a replacement) waits for a node. */
  podCreated(pod: number): void;
  /** A pending pod was deleted before it was bound: forget it. */
  podDeleted(pod: number): void;
  /** Capacity may have freed (a pod ended, a node became Ready): retry pending pods. */
  capacityChanged(): void;
}

/**
 * PLACEHOLDER scheduling: new pods are tried at once (in one pass per instant, in
 * creation order); pods that do not fit wait as unschedulable until capacity
 * changes, then all of them are retried in creation order. No backoff, no cycle
 * cost, no binding latency: placement takes zero virtual time.
 */
export class PlaceholderScheduling implements PodScheduling {
  private readonly active: number[] = [];
  private unschedulable: number[] = [];
  private readonly deleted = new Set<number>();
  private passPending = false;
  private readonly passId: number;
  /** Templates that failed in the current pass: their other pods would fail too. */
  private readonly failedTemplates = new Set<number>();

  constructor(
    private readonly sim: Simulation,
    private readonly placer: PodPlacer,
    private readonly cluster: ClusterActions,
    private readonly templateOf: (pod: number) => number,
  ) {
    this.passId = sim.on("scheduling.pass", () => this.pass());
  }

  podCreated(pod: number): void {
    this.active.push(pod);
    this.requestPass();
  }

  podDeleted(pod: number): void {
    this.deleted.add(pod);
  }

  capacityChanged(): void {
    if (this.unschedulable.length === 0) return;
    for (const p of this.unschedulable) this.active.push(p);
    this.unschedulable = [];
    this.requestPass();
  }

  /** Pods waiting for a node, in the order they will be tried. */
  get pendingCount(): number {
    return this.active.length + this.unschedulable.length;
  }

  private requestPass(): void {
    if (this.passPending) return;
    this.passPending = true;
    this.sim.schedule(0, this.passId);
  }

  private pass(): void {
    this.passPending = false;
    this.failedTemplates.clear();
    // Retried pods were created before new ones; keep creation order (pod ids grow).
    this.active.sort((a, b) => a - b);
    for (const pod of this.active) {
      if (this.deleted.delete(pod)) continue;
      const t = this.templateOf(pod);
      const node = this.failedTemplates.has(t) ? -1 : this.placer.place(pod);
      if (node < 0) {
        this.failedTemplates.add(t);
        this.unschedulable.push(pod);
      } else {
        this.cluster.bind(pod, node);
      }
    }
    this.active.length = 0;
  }
}
