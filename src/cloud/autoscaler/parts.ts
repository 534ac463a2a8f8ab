/** What the Cluster Autoscaler is given of the rest of the run (seams: tests may fake any). */
import type { DrainOptions } from "../../client/drain.js";
import type { NodeSpec } from "../../model/nodeSpec.js";
import type { CloudProvider } from "../cloudProvider.js";
import type { SchedulingSimulation } from "./simulation.js";

export interface AutoscalerParts {
  cloud: CloudProvider;
  nodes: readonly NodeSpec[];
  simulation: SchedulingSimulation;
  /** kubectl-style drain through the eviction API (client/drain.ts). */
  drain(node: number, options: DrainOptions): void;
  /** Outcome of evicted pods (pods.csv). */
  drainOutcome: number;
  /** A DaemonSet's pod (does not block a scale-down). */
  isDaemonSetPod(pod: number): boolean;
  /** The PodDisruptionBudgets guarding pods of a template, and one's disruptionsAllowed now. */
  guardsOf(template: number): readonly number[];
  disruptionsAllowed(pdb: number): number;
}
