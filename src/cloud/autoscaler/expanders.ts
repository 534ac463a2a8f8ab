/**
 * Expanders (cluster-autoscaler/expander): which group to grow when several could
 * help. Each option is a group with its estimate. Ties go to the random expander, as
 * upstream chains every expander with a random fallback.
 *
 * - random: any option.
 * - most-pods (mostpods): the option that schedules the most pods.
 * - least-waste (waste): the least idle cpu share plus idle memory share of the new
 *   nodes after the pods are placed, (alloc - requested) / alloc for each; ties: most pods
 *   is not consulted, random is (upstream: BestOptions then fallback).
 * - price: [kubesim simplification of upstream's price expander, which weighs node price
 *   against the pods' "price" and a preferred node size]: the lowest price per pod scheduled
 *   (nodes x hourly price / pods).
 * - priority: the options of the highest-priority group (upstream: a ConfigMap of
 *   priority -> group name regexes; here pool name -> priority), then random.
 */
import type { RandomStream } from "../../engine/random.js";

export interface ExpansionOption {
  group: number;
  nodes: number;
  pods: number;
  /** Summed requests of the pods and the new nodes' allocatable. */
  cpuRequestedMilli: number;
  memRequestedBytes: number;
  cpuAllocMilli: number;
  memAllocBytes: number;
  pricePerHour: number;
  priority: number;
}

export type ExpanderName = "random" | "least-waste" | "most-pods" | "price" | "priority";

/** The options that score best (lower score better), in input order. */
function best(options: readonly ExpansionOption[], score: (o: ExpansionOption) => number): ExpansionOption[] {
  const EPS = 1e-12;
  let min = Infinity;
  for (const o of options) min = Math.min(min, score(o));
  return options.filter((o) => score(o) <= min + EPS);
}

export function wasteScore(o: ExpansionOption): number {
  const cpuAlloc = o.nodes * o.cpuAllocMilli;
  const memAlloc = o.nodes * o.memAllocBytes;
  const cpu = cpuAlloc > 0 ? (cpuAlloc - o.cpuRequestedMilli) / cpuAlloc : 0;
  const mem = memAlloc > 0 ? (memAlloc - o.memRequestedBytes) / memAlloc : 0;
  return cpu + mem;
}

/** The chosen option, or undefined when there is none. */
export function expand(name: ExpanderName, options: readonly ExpansionOption[], rng: RandomStream): ExpansionOption | undefined {
  if (options.length === 0) return undefined;
  let pool: ExpansionOption[];
  switch (name) {
    case "random":
      pool = [...options];
      break;
    case "most-pods":
      pool = best(options, (o) => -o.pods);
      break;
    case "least-waste":
      pool = best(options, wasteScore);
      break;
    case "price":
      pool = best(options, (o) => (o.nodes * o.pricePerHour) / Math.max(1, o.pods));
      break;
    case "priority":
      pool = best(options, (o) => -o.priority);
      break;
  }
  return pool.length === 1 ? pool[0] : pool[Math.floor(rng.next() * pool.length)];
}
