/**
 * Components that plug into a run (the kube-scheduler, the control plane, ...).
 * A component factory looks at the ClusterSpec (usually its own section in
 * `spec.sections`) and returns a component, or undefined when it has nothing to do.
 * A component may replace `cluster.scheduling` in its factory (the real scheduler
 * does), schedule its own events, and contribute extra output tables.
 *
 * To add one: write src/cluster/<name>.ts exporting a ComponentFactory and add it to
 * COMPONENTS below (one line).
 */
import type { Table } from "../metrics/tables.js";
import type { Cluster } from "../apiserver/clusterState.js";
import { controlPlaneComponent } from "./controlPlaneComponent.js";
import { kubeSchedulerComponent } from "./kubeSchedulerComponent.js";
import { podApiComponent } from "./podApiClients.js";

export interface Component {
  readonly name: string;
  /** Called once at time 0, after the cluster and the other components exist. */
  start?(): void;
  /** Called at the end of the run: extra CSV tables (e.g. elections.csv) and summary rows. */
  finish?(): { tables?: Table[]; summary?: { metric: string; value: number }[] };
}

export type ComponentFactory = (cluster: Cluster) => Component | undefined;

export const COMPONENTS: ComponentFactory[] = [
  controlPlaneComponent,
  kubeSchedulerComponent,
  podApiComponent,
  // e.g. schedulerComponent, controlPlaneComponent,
];
