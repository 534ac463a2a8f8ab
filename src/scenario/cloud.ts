/**
 * Resolves the cloud (issue 12): each node pool as an instance group, and the rows of
 * the machines an autoscaled pool may add. The extra rows (count .. maxSize-1) are
 * appended after every pool's nodes, so no other node's row moves; they have no Node
 * at the start (NodeSpec.provisionLater) and take the pool's allocatable, labels and
 * taints, named on from the pool's `count`, zones continuing the pool's spread.
 */
import type { DistributionSpec } from "../engine/distribution.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from "../model/wellKnown.js";
import type { AutoscalerSpec, CloudSpec, InstanceGroupSpec } from "../cloud/spec.js";
import { durationUs } from "./duration.js";
import { ScenarioError, formatPath } from "./errors.js";
import { distributionSeconds } from "./fields.js";
import type { Scenario } from "./schema.js";
import { resolveZoneCapacityFaults } from "./zoneCapacity.js";

/** [kubesim choice] Create request to a booted machine when a pool names none: typical cloud VM boot times are 30-90 s. */
export const DEFAULT_PROVISIONING_DELAY: DistributionSpec = { type: "constant", value: 60 };

export interface CloudNaming {
  nodeName(pool: string, index: number): string;
  /** The zones of a pool's first `count` nodes, in node order. */
  zonesOf(pool: Scenario["nodePools"][number], count: number): (string | undefined)[];
}

/** Does the scenario model the cloud at all? (Otherwise the run has none of it: outputs unchanged.) */
export function hasCloud(s: Scenario): boolean {
  return s.cloudControllerManager !== undefined || s.clusterAutoscaler !== undefined || s.nodePools.some((p) => p.autoscaling !== undefined || p.instanceType !== undefined);
}

export function resolveCloud(s: Scenario, nodes: NodeSpec[], poolNodes: Map<string, number[]>, naming: CloudNaming, file: string): CloudSpec | undefined {
  if (!hasCloud(s)) return undefined;
  const groups: InstanceGroupSpec[] = s.nodePools.map((pool, i) => {
    const a = pool.autoscaling;
    const at = (f: string) => formatPath(["nodePools", i, "autoscaling", f]);
    if (a) {
      if (a.maxSize < a.minSize) throw new ScenarioError(file, at("maxSize"), `expected at least minSize (${a.minSize}), got ${a.maxSize}`);
      if (pool.count > a.maxSize) throw new ScenarioError(file, formatPath(["nodePools", i, "count"]), `expected at most autoscaling.maxSize (${a.maxSize}), got ${pool.count}`);
      if (pool.count < a.minSize) throw new ScenarioError(file, formatPath(["nodePools", i, "count"]), `expected at least autoscaling.minSize (${a.minSize}), got ${pool.count}`);
      const upgrade = s.actions.findIndex((x) => x.type === "node-pool-upgrade" && x.pool === pool.name);
      if (upgrade >= 0) throw new ScenarioError(file, formatPath(["actions", upgrade, "pool"]), `expected a pool without autoscaling: kubesim does not model a surge upgrade of an autoscaled pool (${pool.name})`);
    }
    const extra = (a?.maxSize ?? pool.count) - pool.count;
    if (nodes.length + extra > s.limits.nodes) throw new ScenarioError(file, at("maxSize"), `expected at most ${s.limits.nodes} nodes in all pools up to their maxSize (limits.nodes), got ${nodes.length + extra}; raise limits.nodes to allow more`);
    const rows = [...poolNodes.get(pool.name)!];
    const maxSize = a?.maxSize ?? pool.count;
    const zones = naming.zonesOf(pool, maxSize);
    const first = nodes[rows[0]];
    for (let k = pool.count; k < maxSize; k++) {
      const name = naming.nodeName(pool.name, k);
      const labels: Record<string, string> = { ...first.labels, [LABEL_HOSTNAME]: name };
      const zone = zones[k];
      if (zone !== undefined) labels[LABEL_TOPOLOGY_ZONE] = zone;
      rows.push(nodes.length);
      nodes.push({ ...first, name, zone, labels, provisionLater: true });
    }
    return {
      pool: pool.name,
      nodes: rows,
      zones: rows.map((r) => nodes[r].zone ?? ""),
      initialSize: pool.count,
      minSize: a?.minSize ?? pool.count,
      maxSize,
      autoscaled: a !== undefined,
      instanceType: pool.instanceType?.name ?? "",
      pricePerHour: pool.instanceType?.pricePerHour ?? 0,
      provisioningDelay: pool.provisioningDelay === undefined ? DEFAULT_PROVISIONING_DELAY : distributionSeconds(pool.provisioningDelay),
      launchFailureProbability: pool.launchFailureProbability ?? 0,
      bootFailureProbability: pool.bootFailureProbability ?? 0,
    };
  });
  const cas = s.clusterAutoscaler;
  let autoscaler: AutoscalerSpec | undefined;
  if (cas) {
    const priorities = groups.map(() => 0);
    for (const [pool, p] of Object.entries(cas.priorities ?? {})) {
      const g = groups.findIndex((x) => x.pool === pool);
      if (g < 0) throw new ScenarioError(file, formatPath(["clusterAutoscaler", "priorities", pool]), `expected the name of a node pool (${groups.map((x) => x.pool).join(", ")})`);
      priorities[g] = p;
    }
    if (cas.expander === "priority" && cas.priorities === undefined) throw new ScenarioError(file, formatPath(["clusterAutoscaler", "priorities"]), "expected pool priorities for the priority expander (pool name -> integer)");
    autoscaler = {
      scanIntervalUs: durationUs(cas.scanInterval),
      expander: cas.expander,
      priorities,
      scaleDownEnabled: cas.scaleDownEnabled,
      scaleDownUtilizationThreshold: cas.scaleDownUtilizationThreshold,
      scaleDownUnneededTimeUs: durationUs(cas.scaleDownUnneededTime),
      scaleDownDelayAfterAddUs: durationUs(cas.scaleDownDelayAfterAdd),
      maxNodeProvisionTimeUs: durationUs(cas.maxNodeProvisionTime),
      newPodScaleUpDelayUs: durationUs(cas.newPodScaleUpDelay),
      maxGracefulTerminationUs: cas.maxGracefulTerminationSec * 1_000_000,
    };
  }
  const c = s.cloudControllerManager;
  const lb = c?.loadBalancers;
  const ccm = c && lb
    ? {
        nodeMonitorPeriodUs: durationUs(c.nodeMonitorPeriod),
        kubeApiQps: c.kubeApiQps,
        kubeApiBurst: c.kubeApiBurst,
        loadBalancers: {
          provisioningDelay: distributionSeconds(lb.provisioningDelay),
          updateDelayUs: durationUs(lb.updateDelay),
          healthCheckIntervalUs: durationUs(lb.healthCheckInterval),
          healthyThreshold: lb.healthyThreshold,
          unhealthyThreshold: lb.unhealthyThreshold,
        },
      }
    : undefined;
  const zoneCapacityFaults = resolveZoneCapacityFaults(s);
  return { groups, ccm, autoscaler, ...(zoneCapacityFaults.length > 0 ? { zoneCapacityFaults } : {}) };
}
