/**
 * The size checks of a validated scenario against its `limits` (sections/limits.ts):
 * nodes, pods created, time-series rows, periodic control-plane work, raft trials. Each
 * is a cost that grows with the scenario; a run beyond a limit is refused before it
 * starts, with one line naming the field that drives the cost, the figure it comes to,
 * the limit and how to raise it. The hard bounds no option raises (the clock's range,
 * etcd members, API load per second, labels per pool) are in the schema itself.
 */
import { workloadEntries } from "./workloadEntries.js";
import type { ArrivalRates } from "./arrivalRate.js";
import { ARRIVAL_RATE_KINDS } from "./sections/arrivalRate.js";
import { expectedCount, type RateCurve } from "../engine/rateCurve.js";
import { probeTicksPerSecond } from "./probeBounds.js";
import { US_PER_S } from "../engine/simulation.js";
import type { ControlPlaneSpec } from "../run/controlPlaneSpec.js";
import { NODE_LEASE_RENEW_INTERVAL_US } from "../kubelet/nodeLease.js";
import { NODE_STATUS_UPDATE_FREQUENCY_US } from "../kubelet/nodeStatus.js";
import { durationUs, formatDurationUs } from "./duration.js";
import type { PathSegment } from "./errors.js";
import type { Scenario } from "./schema.js";
import type { Limits } from "./sections/limits.js";

/** Throws the error for a path of the scenario (relocated into a manifest file when it came from one). */
export type BoundError = (path: PathSegment[], expected: string) => Error;

/** 12,345,678 for messages; figures beyond 1e15 in exponent form. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "infinitely many";
  if (n >= 1e15) return n.toExponential(2);
  return Math.round(n).toLocaleString("en-US");
}

function raise(name: keyof Limits, got: number): string {
  // A round figure above what was asked, so the suggestion works as written.
  const suggestion = Number.isFinite(got) && got < Number.MAX_SAFE_INTEGER ? String(roundUp(got)) : "N";
  return `raise the limit with --set limits.${name}=${suggestion} or in the scenario's limits section`;
}

function roundUp(n: number): number {
  const p = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / p) * p;
}

export function checkBounds(s: Scenario, error: BoundError, arrivalRates: ArrivalRates): void {
  const limits = s.limits;
  const runUs = durationUs(s.duration);
  checkRows(s, limits, runUs, error);
  const nodes = checkNodes(s, limits, error);
  checkPods(s, limits, runUs, error, arrivalRates);
  checkRequests(s, limits, runUs, error);
  if (s.controlPlane?.experiment) checkRaftTrials(s.controlPlane, limits, error);
  else checkPeriodicWork(s, nodes, limits, runUs, error);
}

/** The requests of every requestLoad: the integral of its rate over the run. */
function checkRequests(s: Scenario, limits: Limits, runUs: number, error: BoundError): void {
  let total = 0;
  (s.requestLoad ?? []).forEach((l, i) => {
    let field: string;
    let curve: RateCurve;
    if (l.steps) {
      field = "steps";
      curve = { type: "steps", atUs: l.steps.map((x) => durationUs(x.at)), perS: l.steps.map((x) => x.rate) };
    } else if (l.daily) {
      field = "daily";
      curve = { type: "daily", minPerS: l.daily.min, maxPerS: l.daily.max, peakAtUs: durationUs(l.daily.peakAt) };
    } else {
      field = "rate";
      curve = { type: "steps", atUs: [0], perS: [l.rate ?? 0] };
    }
    const requests = expectedCount(curve, 0, runUs);
    total += requests;
    if (total > limits.requests) {
      throw error(
        ["requestLoad", i, field],
        `expected at most ${formatCount(limits.requests)} requests over the run (limits.requests), got ${formatCount(requests)} expected requests (${field === "rate" ? `${formatRate(l.rate ?? 0)} requests/s` : `the integral of the ${field} rate`} over ${s.duration})${total > requests ? ` more after ${formatCount(total - requests)}` : ""}; ${raise("requests", total)}`,
      );
    }
  });
}

/** timeseries.csv has a row at 0, every sampleInterval, and at the end. */
function checkRows(s: Scenario, limits: Limits, runUs: number, error: BoundError): void {
  const rows = Math.floor(runUs / durationUs(s.sampleInterval)) + 1;
  if (rows > limits.timeseriesRows) {
    throw error(
      ["sampleInterval"],
      `expected at most ${formatCount(limits.timeseriesRows)} rows of timeseries.csv (limits.timeseriesRows), got ${formatCount(rows)} (duration ${s.duration} / sampleInterval ${s.sampleInterval}); ` +
        `use a longer sampleInterval, or ${raise("timeseriesRows", rows)}`,
    );
  }
}

/** Nodes of all pools; returns the total. */
function checkNodes(s: Scenario, limits: Limits, error: BoundError): number {
  let total = 0;
  s.nodePools.forEach((p, i) => {
    total += p.count;
    if (total > limits.nodes) {
      const before = total - p.count;
      throw error(
        ["nodePools", i, "count"],
        `expected at most ${formatCount(limits.nodes)} nodes in all pools (limits.nodes), got ${formatCount(p.count)}${before > 0 ? ` more after ${formatCount(before)}` : ""}; ${raise("nodes", total)}`,
      );
    }
  });
  // A node-pool upgrade brings a new node for each of the pool's nodes.
  s.actions.forEach((a, i) => {
    if (a.type !== "node-pool-upgrade") return;
    const count = s.nodePools.find((p) => p.name === a.pool)?.count ?? 0;
    total += count;
    if (total > limits.nodes) {
      throw error(["actions", i, "pool"], `expected at most ${formatCount(limits.nodes)} nodes in all pools and upgrades (limits.nodes), got ${formatCount(count)} new nodes more after ${formatCount(total - count)}; ${raise("nodes", total)}`);
    }
  });
  const leases = s.controlPlane?.load.nodeLeases ?? -1;
  if (leases > limits.nodes) {
    throw error(["controlPlane", "load", "nodeLeases"], `expected at most ${formatCount(limits.nodes)} kubelets (limits.nodes), got ${formatCount(leases)}; ${raise("nodes", leases)}`);
  }
  return total;
}

/**
 * Pods created over the run: replicas and Pods at the start, and the expected number
 * of Poisson arrivals, rate x the time the generator is active. Recreations after
 * failures and preemptions come on top and are not counted (they depend on the run).
 */
function checkPods(s: Scenario, limits: Limits, runUs: number, error: BoundError, arrivalRates: ArrivalRates): void {
  let total = 0;
  for (const { w, path: at } of workloadEntries(s)) {
    let pods = 0;
    let path: PathSegment[] = at;
    let what = "";
    if (w.kind === "Deployment") {
      pods = w.spec.replicas ?? 1; // SetDefaults_Deployment
      path = [...at, "spec", "replicas"];
      what = `${formatCount(pods)} replicas`;
    } else if (w.kind === "Pod") {
      pods = 1;
    } else if (w.kind === "StatefulSet") {
      pods = w.spec.replicas ?? 1; // SetDefaults_StatefulSet
      path = [...at, "spec", "replicas"];
      what = `${formatCount(pods)} replicas`;
    } else if (w.kind === "Job") {
      // every completion, plus a pod per failure the backoff limit allows, plus the last wave in flight
      const parallelism = w.spec.parallelism ?? 1;
      pods = (w.spec.completions ?? parallelism) + (w.spec.backoffLimit ?? 6) + parallelism;
      path = [...at, "spec", "completions"];
      what = `up to ${formatCount(pods)} Job pods`;
    } else if (w.kind === "DaemonSet") {
      pods = s.nodePools.reduce((n, p) => n + p.count * (1 + s.actions.filter((a) => a.type === "node-pool-upgrade" && a.pool === p.name).length), 0); // at most one per node, new nodes of upgrades too
      what = `up to ${formatCount(pods)} daemon pods (one per node)`;
    } else if (w.kind === "PoissonArrivals") {
      const startUs = w.start === undefined ? 0 : durationUs(w.start);
      const stopUs = Math.min(runUs, w.stop === undefined ? runUs : durationUs(w.stop));
      const field = ARRIVAL_RATE_KINDS.find((k) => w[k] !== undefined)!;
      path = [...at, field];
      const over = formatDurationUs(Math.max(0, stopUs - startUs));
      if (w.rate !== undefined || w.meanInterarrival !== undefined) {
        const rate = w.rate !== undefined ? w.rate : US_PER_S / durationUs(w.meanInterarrival!);
        pods = rate * (Math.max(0, stopUs - startUs) / US_PER_S);
        what = `${formatCount(pods)} expected arrivals (${formatRate(rate)} pods/s over ${over})`;
      } else {
        // a rate over time: the integral of the rate over the active time
        pods = expectedCount(arrivalRates.get(w)!, startUs, stopUs);
        what = `${formatCount(pods)} expected arrivals (the integral of the ${field} rate over ${over})`;
      }
    } else {
      continue;
    }
    // A scale action above the workload's replicas adds the difference.
    if (w.kind === "Deployment" || w.kind === "StatefulSet") {
      for (const a of s.actions) {
        const target = w.kind === "Deployment" ? a.type === "scale" && a.deployment : a.type === "scale" && a.statefulSet;
        if (a.type === "scale" && target === w.metadata.name && a.namespace === (w.metadata.namespace ?? "default")) pods += Math.max(0, a.replicas - (w.spec.replicas ?? 1));
      }
    }
    total += pods;
    if (total > limits.pods) {
      const before = total - pods;
      throw error(
        path,
        `expected at most ${formatCount(limits.pods)} pods created over the run (limits.pods), got ${what || formatCount(pods)}${before > 0 ? ` after ${formatCount(before)} from the workloads before it` : ""}; ${raise("pods", total)}`,
      );
    }
  }
}

function formatRate(r: number): string {
  return r >= 1e6 || r < 1e-3 ? r.toExponential(2) : String(Number(r.toPrecision(4)));
}

/** API servers and etcd members of a topology (as infra/topology.ts builds it). */
function hostCounts(t: ControlPlaneSpec["topology"]): { apiservers: number; members: number } {
  switch (t.kind) {
    case "single-node":
    case "single-control-plane":
      return { apiservers: 1, members: 1 };
    case "stacked":
      return { apiservers: t.controlPlaneHosts, members: t.controlPlaneHosts };
    default:
      return { apiservers: t.controlPlaneHosts, members: t.etcdHosts };
  }
}

/** A periodic operation's rate: n every `us` microseconds. */
const perUs = (n: number, us: number) => (us > 0 ? (n * US_PER_S) / us : Infinity);

/**
 * What a run does on its own, per second of simulated time, whatever the workloads: every
 * node's kubelet renews its Lease and syncs its status every 10 s, and the node lifecycle
 * controller looks at every node each nodeMonitorPeriod; with a control plane, its own
 * periodic work too (controlPlaneOperationsPerSecond); the pods' probes (probeBounds.ts).
 */
export function periodicOperationsPerSecond(s: Scenario, nodes: number): { total: number; parts: { field: PathSegment[]; perSecond: number; what: string }[] } {
  const parts: { field: PathSegment[]; perSecond: number; what: string }[] = [
    { field: ["nodePools"], perSecond: perUs(nodes, NODE_STATUS_UPDATE_FREQUENCY_US), what: `node status syncs of ${formatCount(nodes)} kubelets` },
    { field: ["controllerManager", "nodeMonitorPeriod"], perSecond: perUs(nodes, durationUs(s.controllerManager.nodeMonitorPeriod)), what: "node health checks" },
  ];
  if (s.controlPlane) parts.push(...controlPlaneOperationsPerSecond(s.controlPlane, nodes).parts);
  else parts.push({ field: ["nodePools"], perSecond: perUs(nodes, NODE_LEASE_RENEW_INTERVAL_US), what: `lease renewals of ${formatCount(nodes)} kubelets` });
  parts.push(...probeTicksPerSecond(s));
  // The cloud's health checks of every node, while some Service has a load balancer.
  const lb = s.cloudControllerManager?.loadBalancers;
  if (lb && workloadEntries(s).some(({ w }) => w.kind === "Service" && w.spec?.type === "LoadBalancer")) {
    parts.push({ field: ["cloudControllerManager", "loadBalancers", "healthCheckInterval"], perSecond: perUs(nodes, durationUs(lb.healthCheckInterval)), what: "load balancer health checks" });
  }
  return { total: parts.reduce((sum, p) => sum + p.perSecond, 0), parts };
}

/**
 * What the control plane does on its own, per second of simulated time, whatever the
 * workloads: the synthetic API load, node lease renewals, leader-election renewals of
 * kube-scheduler and kube-controller-manager on every API server host, the etcd leader's
 * heartbeats to each follower, and the load balancer's health checks of every API server.
 */
export function controlPlaneOperationsPerSecond(cp: ControlPlaneSpec, nodes: number): { total: number; parts: { field: PathSegment[]; perSecond: number; what: string }[] } {
  const { apiservers, members } = hostCounts(cp.topology);
  // Every node's kubelet renews; a larger load.nodeLeases adds synthetic kubelets.
  const leases = Math.max(nodes, cp.load.nodeLeases);
  const l = cp.load;
  const parts = [
    { field: ["controlPlane", "load", "cachedReadsPerSecond"], perSecond: l.cachedReadsPerSecond, what: "cached reads" },
    { field: ["controlPlane", "load", "quorumReadsPerSecond"], perSecond: l.quorumReadsPerSecond, what: "quorum reads" },
    { field: ["controlPlane", "load", "podStatusUpdatesPerSecond"], perSecond: l.podStatusUpdatesPerSecond, what: "pod status updates" },
    { field: ["controlPlane", "load", "bindingsPerSecond"], perSecond: l.bindingsPerSecond, what: "bindings" },
    { field: ["controlPlane", "load", "nodeLeaseRenewInterval"], perSecond: perUs(leases, l.nodeLeaseRenewIntervalUs), what: `lease renewals of ${formatCount(leases)} kubelets` },
    { field: ["controlPlane", "leaderElection", "retryPeriod"], perSecond: perUs(2 * apiservers, cp.leaderElection.retryPeriodUs), what: "leader-election renewals" },
    { field: ["controlPlane", "etcd", "heartbeatInterval"], perSecond: perUs(members - 1, cp.raft.heartbeatIntervalUs ?? 0), what: "etcd heartbeats" },
    { field: ["controlPlane", "apiserver", "loadBalancer", "checkInterval"], perSecond: perUs(apiservers, cp.apiserver.loadBalancer.checkIntervalUs), what: "health checks" },
  ] satisfies { field: PathSegment[]; perSecond: number; what: string }[];
  return { total: parts.reduce((s, p) => s + p.perSecond, 0), parts };
}

function checkPeriodicWork(s: Scenario, nodes: number, limits: Limits, runUs: number, error: BoundError): void {
  const { total, parts } = periodicOperationsPerSecond(s, nodes);
  const ops = (total * runUs) / US_PER_S;
  if (ops <= limits.controlPlaneOperations) return;
  // Point at the largest contributor; the whole sum is in the message.
  const top = parts.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const shares = parts
    .filter((p) => p.perSecond > 0)
    .sort((a, b) => b.perSecond - a.perSecond)
    .slice(0, 3)
    .map((p) => `${formatRate(p.perSecond)}/s ${p.what}`)
    .join(", ");
  throw error(
    top.field,
    `expected at most ${formatCount(limits.controlPlaneOperations)} periodic operations of the control plane and kubelets over the run (limits.controlPlaneOperations), got ${formatCount(ops)} ` +
      `(${formatRate(total)}/s for ${formatDurationUs(runUs)}, mostly ${shares}); shorten duration, or ${raise("controlPlaneOperations", ops)}`,
  );
}

function checkRaftTrials(cp: ControlPlaneSpec, limits: Limits, error: BoundError): void {
  const e = cp.experiment!;
  const trials = e.timeouts.reduce((n, t) => n + ("minMs" in t && t.minMs === t.maxMs ? e.trialsWithoutRandomness : e.trials), 0);
  if (trials > limits.raftTrials) {
    throw error(
      ["controlPlane", "experiment", "trials"],
      `expected at most ${formatCount(limits.raftTrials)} trials in all (limits.raftTrials), got ${formatCount(trials)} (${e.timeouts.length} election-timeout range(s) x ${formatCount(e.trials)}); ${raise("raftTrials", trials)}`,
    );
  }
}
