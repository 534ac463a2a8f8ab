/**
 * One run of a cluster: build the tables and components from a ClusterSpec, play
 * the timeline on the virtual clock, and collect the metrics in memory. The run can
 * be advanced in steps (the CLI shows progress between them); the result does not
 * depend on how it was stepped.
 */
import { Simulation } from "../engine/simulation.js";
import { podRows, type PodRow } from "../metrics/podRows.js";
import { sampleCluster, type TimeseriesRow } from "../metrics/sampler.js";
import { summarize, type SummaryRow } from "../metrics/summary.js";
import type { EventRow } from "../metrics/events.js";
import type { Table } from "../metrics/tables.js";
import { ArrivalGenerators } from "./arrivals.js";
import { Cluster } from "../apiserver/clusterState.js";
import { COMPONENTS, type Component, type ComponentFactory } from "./components.js";
import { FaultTimeline } from "./nodeFaults.js";
import { LeastAllocatedPlacer } from "./placement.js";
import { ReplicaSetController } from "../controllers/replicaSet.js";
import { PlaceholderScheduling } from "./scheduling.js";
import type { ClusterSpec } from "./spec.js";

export interface RunResult {
  timeseries: TimeseriesRow[];
  pods: PodRow[];
  events: EventRow[];
  summary: SummaryRow[];
  /** Tables contributed by components (file name -> table). */
  tables: Table[];
  counts: { nodes: number; pods: number; events: number; simEvents: number };
}

export interface RunOptions {
  /** Components to plug in; default: COMPONENTS. */
  components?: ComponentFactory[];
}

export class ClusterRun {
  readonly sim: Simulation;
  readonly cluster: Cluster;
  private readonly components: Component[] = [];
  private readonly timeseries: TimeseriesRow[] = [];
  private readonly sampleId: number;
  private readonly replicaSets: ReplicaSetController;
  private finished = false;

  constructor(
    readonly spec: ClusterSpec,
    options: RunOptions = {},
  ) {
    this.sim = new Simulation(spec.seed);
    const cluster = (this.cluster = new Cluster(this.sim, spec));
    cluster.scheduling = new PlaceholderScheduling(this.sim, new LeastAllocatedPlacer(cluster), cluster, (p) => cluster.pods.template[p]);
    const replicaSets = (this.replicaSets = new ReplicaSetController(cluster));
    const arrivals = new ArrivalGenerators(cluster);
    const faults = new FaultTimeline(cluster);
    for (const factory of options.components ?? COMPONENTS) {
      const c = factory(cluster);
      if (c) this.components.push(c);
    }
    this.sampleId = this.sim.on("metrics.sample", () => this.sample());
    // Start-up order: bare Pods, then Deployments' replicas, then the timelines.
    // The first sample runs after everything created at t=0 was scheduled.
    createBarePods(cluster);
    replicaSets.start();
    arrivals.start();
    faults.start();
    for (const c of this.components) c.start?.();
    this.sim.scheduleAt(0, this.sampleId);
  }

  get nowUs(): number {
    return this.sim.now;
  }

  /** Run every event up to `untilUs` (capped at the scenario's duration). */
  advance(untilUs: number): void {
    this.sim.run(Math.min(untilUs, this.spec.durationUs));
  }

  /** Run to the end and collect the results. */
  finish(): RunResult {
    if (this.finished) throw new Error("run already finished");
    this.advance(this.spec.durationUs);
    this.finished = true;
    const c = this.cluster;
    const tables: Table[] = [];
    const extraSummary: SummaryRow[] = [];
    for (const comp of this.components) {
      const out = comp.finish?.();
      if (out?.tables) tables.push(...out.tables);
      if (out?.summary) extraSummary.push(...out.summary);
    }
    const nodeFailures = c.events.rows.filter((e) => e.kind === "NodeFailure").length;
    const summary = summarize({
      nodes: c.nodes.count,
      simDurationUs: this.spec.durationUs,
      counters: c.counters,
      latency: c.schedulingLatency,
      timeseries: this.timeseries,
      nodeFailures,
      eventsProcessed: this.sim.eventsRun,
    });
    summary.push({ metric: "deployment_unavailable_max_s", value: this.replicaSets.maxUnavailableUs / 1e6 }, ...extraSummary);
    return {
      timeseries: this.timeseries,
      pods: podRows(c.pods, c.nodes, c.owners, c.outcomes),
      events: c.events.rows,
      summary,
      tables,
      counts: { nodes: c.nodes.count, pods: c.pods.count, events: c.events.rows.length, simEvents: this.sim.eventsRun },
    };
  }

  private sample(): void {
    this.timeseries.push(sampleCluster(this.sim.now, this.cluster.nodes, this.cluster.counters));
    // Chained, so the calendar holds one sample event however long the run.
    const next = this.sim.now + this.spec.sampleIntervalUs;
    if (next <= this.spec.durationUs) this.sim.scheduleAt(next, this.sampleId);
  }
}

/**
 * Bare v1 Pods exist from the start. Their activeDeadlineSeconds ends them (Failed,
 * "deadline-exceeded"); simplification: counted from Running, not from the kubelet's
 * status.startTime, which comes slightly earlier.
 */
function createBarePods(cluster: Cluster): void {
  const api = cluster.podApi; // with a control plane: a user client's API request each
  for (const p of cluster.spec.pods) {
    if (api) api.createByUser(p.name, p.namespace, p.template, -1, p.activeDeadlineUs);
    else cluster.createPod(p.name, p.namespace, p.template, -1, p.activeDeadlineUs);
  }
}

/** Run a cluster spec to the end. */
export function runCluster(spec: ClusterSpec, options: RunOptions = {}): RunResult {
  return new ClusterRun(spec, options).finish();
}
