/**
 * The Cluster Autoscaler's scheduling simulation, as a seam (cluster-autoscaler/simulator:
 * a ClusterSnapshot and SchedulerPluginRunner.RunFiltersUntilPassingNode): kube-scheduler's
 * own PreFilter and Filter plugins on an in-memory copy of the cluster plus template nodes
 * of the instance groups; the first node in the given order that passes the filters
 * wins (no scoring). The run wires kube-scheduler's plugins behind it
 * (src/run/autoscalerSimulation.ts); tests may put a resource-only stand-in.
 */

/** What the autoscaler asks of a simulation (a seam: tests may put a resource-only fake behind it). */
export interface SchedulingSimulation {
  /** A new snapshot of the cluster as the API server holds it now. */
  reset(): void;
  /** Add an empty node shaped like node row `row` (its group's template); returns its simulation row. */
  addTemplateNode(row: number): number;
  /** The first of `candidates` (in order) on which a pod of `template` passes PreFilter and Filter, or -1. */
  firstFit(template: number, candidates: readonly number[]): number;
  /** Why the last firstFit rejected simulation node `node`: the filters' reason strings ("Insufficient cpu"). */
  reasons(node: number): string[];
  /** Put a pod of `template` on simulation node `node`; returns its simulation pod id. */
  place(template: number, node: number): number;
  /** Take a simulated pod off its node. */
  remove(simPod: number): void;
  /** The simulation pod id of cluster pod `pod` (bound at reset), or -1. */
  simPodOf(pod: number): number;
  /** Mark a simulation node unusable (a node being removed). */
  exclude(node: number): void;
}
