/**
 * workload_summary.csv: one row per Deployment, DaemonSet and StatefulSet (Jobs have
 * workloads.csv rows only), with what its whole run comes to:
 *
 *   rollouts_completed           rollouts that reached RolloutComplete
 *   rollout_duration_max_s       the longest of them (empty: none)
 *   below_desired_s              time with fewer available pods than desired, from the
 *                                first instant it had them all (the initial ramp-up does
 *                                not count; a scale-up does, until the new pods are available)
 *   available_min                the fewest available pods at any instant since then
 *                                (empty: never had them all)
 *   pdb                          namespace/name of the PodDisruptionBudget that guards its
 *                                pods (the first in scenario order when two do; empty: none)
 *   pdb_below_desired_healthy_s  time that PDB had currentHealthy < desiredHealthy, from the
 *                                first instant it had currentHealthy >= desiredHealthy
 *   pdb_evictions_refused        evictions that PDB refused (429, or 500 for a pod two PDBs guard)
 *
 * The times are integrated exactly, not from samples: each spell below target is measured
 * from the event that started it to the event that ended it. Whoever changes a count calls
 * `podChanged`, `workloadChanged` or `nodesChanged` right after (the counts are read, not
 * kept, here); a spell still open at the end of the run counts up to the end.
 *
 * Cost: a touch of a PDB reads its status (a pass over the pods it guards), once per change
 * of one of those pods: O(pods guarded) per pod event of a guarded workload.
 */
import { US_PER_S } from "../engine/simulation.js";

export interface WorkloadSummaryRow {
  workload: string;
  rollouts_completed: number;
  rollout_duration_max_s: number | null;
  below_desired_s: number;
  available_min: number | null;
  pdb: string;
  pdb_below_desired_healthy_s: number | null;
  pdb_evictions_refused: number | null;
}

export const WORKLOAD_SUMMARY_COLUMNS: (keyof WorkloadSummaryRow)[] = ["workload", "rollouts_completed", "rollout_duration_max_s", "below_desired_s", "available_min", "pdb", "pdb_below_desired_healthy_s", "pdb_evictions_refused"];

/**
 * How long a count spent below its target after first reaching it, from each change
 * (update must be called at every instant the count or the target changes).
 */
export class Shortfall {
  private reached = false;
  private belowSinceUs = -1;
  private totalUs = 0;
  /** The lowest count since first reaching the target (Infinity before). */
  min = Infinity;

  update(nowUs: number, count: number, target: number): void {
    if (!this.reached) {
      if (count < target) return;
      this.reached = true;
    }
    if (count < this.min) this.min = count;
    const below = count < target;
    if (below && this.belowSinceUs < 0) this.belowSinceUs = nowUs;
    else if (!below && this.belowSinceUs >= 0) {
      this.totalUs += nowUs - this.belowSinceUs;
      this.belowSinceUs = -1;
    }
  }

  get hasReached(): boolean {
    return this.reached;
  }

  /** Time below target up to `nowUs` (us), the open spell included. */
  belowUs(nowUs: number): number {
    return this.totalUs + (this.belowSinceUs >= 0 ? nowUs - this.belowSinceUs : 0);
  }
}

/** What the summary needs of a workload (workloads.csv's view, with its finished rollouts). */
export interface SummaryWorkload {
  owner: number;
  name: string;
  desired: () => number;
  rolloutSeconds?: readonly number[];
}

/** What the summary needs of the PodDisruptionBudgets. */
export interface PdbView {
  readonly pdbs: readonly { name: string; namespace: string }[];
  readonly refusedBy: readonly number[];
  guardsOf(template: number): readonly number[];
  status(i: number): { currentHealthy: number; desiredHealthy: number };
}

export class WorkloadSummary {
  private readonly below: Shortfall[];
  private readonly pdbBelow: Shortfall[];
  /** Per workload: the PDBs that guard pods it created (scenario order), from its pods' templates. */
  private readonly guards: number[][];
  /** Pod templates already looked at, per workload. */
  private readonly seenTemplates: Set<number>[];

  constructor(
    private readonly now: () => number,
    /** The workloads in row order; only those with `tracked` get a row. */
    private readonly workloads: readonly SummaryWorkload[],
    private readonly tracked: readonly boolean[],
    /** Workload k's available pods now. */
    private readonly available: (k: number) => number,
    private readonly budgets: PdbView,
  ) {
    this.below = workloads.map(() => new Shortfall());
    this.pdbBelow = budgets.pdbs.map(() => new Shortfall());
    this.guards = workloads.map(() => []);
    this.seenTemplates = workloads.map(() => new Set());
  }

  /** Workload k's available or desired count may have changed. */
  workloadChanged(k: number): void {
    if (k < 0 || !this.tracked[k]) return;
    this.below[k].update(this.now(), this.available(k), this.workloads[k].desired());
    for (const i of this.guards[k]) this.pdbChanged(i);
  }

  /** Pod `pod` (of workload k, -1 for none, and of template `template`) was created, changed availability or ended. */
  podChanged(k: number, template: number): void {
    if (k >= 0 && !this.seenTemplates[k].has(template)) {
      this.seenTemplates[k].add(template);
      for (const i of this.budgets.guardsOf(template)) if (!this.guards[k].includes(i)) this.guards[k].push(i);
      this.guards[k].sort((a, b) => a - b);
    }
    if (k >= 0 && this.tracked[k]) this.below[k].update(this.now(), this.available(k), this.workloads[k].desired());
    for (const i of this.budgets.guardsOf(template)) this.pdbChanged(i);
  }

  /** Nodes came or went (a DaemonSet's desired count): look at everything. */
  nodesChanged(): void {
    this.workloads.forEach((_, k) => this.tracked[k] && this.below[k].update(this.now(), this.available(k), this.workloads[k].desired()));
    this.pdbBelow.forEach((_, i) => this.pdbChanged(i));
  }

  private pdbChanged(i: number): void {
    const s = this.budgets.status(i);
    this.pdbBelow[i].update(this.now(), s.currentHealthy, s.desiredHealthy);
  }

  rows(): WorkloadSummaryRow[] {
    const now = this.now();
    const rows: WorkloadSummaryRow[] = [];
    this.workloads.forEach((w, k) => {
      if (!this.tracked[k]) return;
      const rollouts = w.rolloutSeconds ?? [];
      const pdb = this.guards[k].length > 0 ? this.guards[k][0] : -1;
      const p = pdb >= 0 ? this.budgets.pdbs[pdb] : undefined;
      rows.push({
        workload: w.name,
        rollouts_completed: rollouts.length,
        rollout_duration_max_s: rollouts.length > 0 ? Math.max(...rollouts) : null,
        below_desired_s: this.below[k].belowUs(now) / US_PER_S,
        available_min: this.below[k].hasReached ? this.below[k].min : null,
        pdb: p ? `${p.namespace}/${p.name}` : "",
        pdb_below_desired_healthy_s: p ? this.pdbBelow[pdb].belowUs(now) / US_PER_S : null,
        pdb_evictions_refused: p ? this.budgets.refusedBy[pdb] : null,
      });
    });
    return rows;
  }
}
