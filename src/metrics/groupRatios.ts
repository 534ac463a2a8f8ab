/**
 * Requested ratios per group of nodes, sampled with timeseries.csv (same instants):
 *
 *   pools.csv  one row per sample and node pool
 *   zones.csv  one row per sample and zone, across pools ("" = nodes without a
 *              topology.kubernetes.io/zone label)
 *
 * Each file partitions the nodes, so no row contains another and a reader can filter
 * or pivot without double counting [kubesim choice: two files rather than one with
 * pool totals mixed into pool x zone rows]. Groups appear in the order of their first
 * node in the scenario. Ratios are as in timeseries.csv: sum of requests / sum of
 * allocatable over the group's Ready nodes (0 when none is Ready), for cpu, memory and
 * pods (pods bound / allocatable pods). One pass over the node table per sample; one
 * row object per group per sample.
 */
import { US_PER_S } from "../engine/simulation.js";
import type { NodeTable } from "../model/nodeTable.js";

/** The ratios of one group at one sample (a row of pools.csv without its group column). */
interface GroupRatioFields {
  sim_time_s: number;
  nodes_ready: number;
  nodes_not_ready: number;
  cpu_requested_ratio: number;
  memory_requested_ratio: number;
  pods_requested_ratio: number;
}
/**
 * Runs with a cloud (issue 12) append two columns to pools.csv: the pool's machines
 * provisioned at the sample (created and not deleted, booting ones included, launch
 * failures not) and its cost so far (machine-hours x the instance type's hourly price).
 */
export interface PoolCloudFields {
  nodes_provisioned?: number;
  cost_total?: number;
}
export type PoolRatioRow = GroupRatioFields & { pool: string } & PoolCloudFields;
export type ZoneRatioRow = GroupRatioFields & { zone: string };

export const POOL_COLUMNS: (keyof PoolRatioRow)[] = ["sim_time_s", "pool", "nodes_ready", "nodes_not_ready", "cpu_requested_ratio", "memory_requested_ratio", "pods_requested_ratio"];
export const POOL_CLOUD_COLUMNS: (keyof PoolRatioRow)[] = ["nodes_provisioned", "cost_total"];
export const ZONE_COLUMNS: (keyof ZoneRatioRow)[] = ["sim_time_s", "zone", "nodes_ready", "nodes_not_ready", "cpu_requested_ratio", "memory_requested_ratio", "pods_requested_ratio"];

export class GroupRatios<K extends "pool" | "zone"> {
  readonly rows: (GroupRatioFields & Record<K, string>)[] = [];
  /** Per node row: its group. */
  private readonly groupOf: Int32Array;
  /** Group names, in order of first appearance. */
  private readonly names: string[] = [];
  private readonly ready: Int32Array;
  private readonly notReady: Int32Array;
  private readonly cpuReq: Float64Array;
  private readonly cpuAlloc: Float64Array;
  private readonly memReq: Float64Array;
  private readonly memAlloc: Float64Array;
  private readonly pods: Float64Array;
  private readonly podsAlloc: Float64Array;

  /** `valueOfNode[i]` is node row i's pool or zone; `key` names the group column. */
  constructor(
    private readonly key: K,
    valueOfNode: readonly string[],
  ) {
    const index = new Map<string, number>();
    this.groupOf = Int32Array.from(valueOfNode, (v) => {
      let g = index.get(v);
      if (g === undefined) {
        g = this.names.length;
        index.set(v, g);
        this.names.push(v);
      }
      return g;
    });
    const n = this.names.length;
    this.ready = new Int32Array(n);
    this.notReady = new Int32Array(n);
    this.cpuReq = new Float64Array(n);
    this.cpuAlloc = new Float64Array(n);
    this.memReq = new Float64Array(n);
    this.memAlloc = new Float64Array(n);
    this.pods = new Float64Array(n);
    this.podsAlloc = new Float64Array(n);
  }

  sample(timeUs: number, nodes: NodeTable): void {
    this.ready.fill(0);
    this.notReady.fill(0);
    this.cpuReq.fill(0);
    this.cpuAlloc.fill(0);
    this.memReq.fill(0);
    this.memAlloc.fill(0);
    this.pods.fill(0);
    this.podsAlloc.fill(0);
    const count = Math.min(nodes.count, this.groupOf.length);
    for (let i = 0; i < count; i++) {
      const g = this.groupOf[i];
      if (nodes.exists[i] === 0) continue; // no Node object (deleted, or not provisioned yet)
      if (nodes.ready[i] === 0) {
        this.notReady[g]++;
        continue;
      }
      this.ready[g]++;
      this.cpuReq[g] += nodes.cpuReq[i];
      this.cpuAlloc[g] += nodes.cpuAlloc[i];
      this.memReq[g] += nodes.memReq[i];
      this.memAlloc[g] += nodes.memAlloc[i];
      this.pods[g] += nodes.podCount[i];
      this.podsAlloc[g] += nodes.podsAlloc[i];
    }
    const t = timeUs / US_PER_S;
    for (let g = 0; g < this.names.length; g++) {
      const row = {
        sim_time_s: t,
        nodes_ready: this.ready[g],
        nodes_not_ready: this.notReady[g],
        cpu_requested_ratio: ratio(this.cpuReq[g], this.cpuAlloc[g]),
        memory_requested_ratio: ratio(this.memReq[g], this.memAlloc[g]),
        pods_requested_ratio: ratio(this.pods[g], this.podsAlloc[g]),
      } as GroupRatioFields & Record<K, string>;
      (row as Record<K, string>)[this.key] = this.names[g];
      this.rows.push(row);
    }
  }
}

const ratio = (requested: number, allocatable: number): number => (allocatable > 0 ? requested / allocatable : 0);
