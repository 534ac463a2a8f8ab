/**
 * What the kube-scheduler of a run is given, resolved once by the scenario layer: its
 * KubeSchedulerConfiguration (custom plugins registered), the cost model of a cycle, the
 * latency of an API write when there is no control plane, and the queue's
 * SchedulerPopFromBackoffQ choice.
 */
import { DEFAULT_API_WRITE_LATENCY_US, DEFAULT_COST_MODEL, type SchedulerCostModel } from "../scheduler.js";
import { defaultSchedulerConfiguration, type SchedulerConfiguration } from "./schedulerConfig.js";

export interface SchedulerSpec {
  config: SchedulerConfiguration;
  cost: SchedulerCostModel;
  apiWriteLatencyUs: number;
  popFromBackoffQ: boolean;
}

/** A scenario without a `scheduler` section: upstream's default profile, kubesim's default costs. */
export function defaultSchedulerSpec(): SchedulerSpec {
  return { config: defaultSchedulerConfiguration(), cost: DEFAULT_COST_MODEL, apiWriteLatencyUs: DEFAULT_API_WRITE_LATENCY_US, popFromBackoffQ: false };
}
