/**
 * The `controlPlane` section: topology (single-node, single-control-plane, stacked,
 * external-etcd), hosts in zones/regions, etcd/raft timing, network and disk latency,
 * API server and load balancer settings, component leader election, background API
 * load, control-plane faults, and the Raft-paper election experiment. Every field has
 * the upstream default; validation resolves it into a ControlPlaneSpec (times in us).
 */
import { z } from "zod";
import type { DistributionSpec } from "../../engine/distribution.js";
import { US_PER_MS } from "../../engine/simulation.js";
import { DEFAULT_KUBE_API } from "../../apiserver/kubeApi.js";
import { DEFAULT_LOAD_BALANCER } from "../../apiserver/loadBalancer.js";
import { MAX_MUTATING_REQUESTS_INFLIGHT, MAX_REQUESTS_INFLIGHT } from "../../apiserver/inflightLimiter.js";
import type { ControlPlaneFault } from "../../run/controlPlaneFaults.js";
import { DEFAULT_LEADER_ELECTION, JITTER_FACTOR, validateLeaderElection } from "../../client/leaderElection.js";
import { ROLE_TARGETS } from "../../run/controlPlaneFaults.js";
import { TOPOLOGY_KINDS, buildTopology, type TopologyKind } from "../../infra/topology.js";
import type { ControlPlaneSpec, RaftElectionExperimentSpec } from "../../run/controlPlaneSpec.js";
import { durationUs } from "../duration.js";
import { MAX_MEMBERS } from "../../etcd/members.js";
import { distributionSeconds, dnsSubdomain, duration, durationDistribution, MIN_PERIOD_US, nonNegativeInt, period, positiveInt, positiveNumber, type DurationDistributionInput } from "../fields.js";

/** kubelet: node Lease renewed every nodeLeaseDurationSeconds (40) x 0.25 = 10 s (pkg/kubelet). */
export const NODE_LEASE_RENEW_INTERVAL = "10s";
/** Default control-plane zones: one host per zone, as kubeadm HA guides recommend. */
export const DEFAULT_ZONES = ["zone-a", "zone-b", "zone-c"];

/**
 * etcd members (and members of the raft-election experiment): the raft model keeps
 * votes in 31-bit masks (etcd/members.ts). etcd's own advice is at most 7 (FAQ).
 */
export const MAX_ETCD_MEMBERS = MAX_MEMBERS;
/**
 * Control-plane hosts (API servers). [kubesim choice] HA clusters run 3 to 5; in the
 * stacked topology each is also an etcd member, so the etcd bound applies anyway.
 */
export const MAX_CONTROL_PLANE_HOSTS = MAX_MEMBERS;
/**
 * Synthetic API requests per second, per kind. [kubesim choice] Far above what the
 * default inflight limits (400 + 200 requests) serve; bounded so that the requests in
 * flight stay below the API server's request table (2^22) even when each waits out
 * etcd's 7 s request timeout.
 */
export const MAX_API_LOAD_PER_SECOND = 100_000;
/** etcd rejects --election-timeout above 50000 ms ("is too long", server/embed/config.go maxElectionMs). */
export const MAX_ELECTION_TIMEOUT = "50s";

/** A distribution of durations, in milliseconds (what the network, disk and API models take). */
function ms(d: DurationDistributionInput): DistributionSpec {
  const s = distributionSeconds(d);
  const k = 1000;
  switch (s.type) {
    case "constant":
      return { type: "constant", value: s.value * k };
    case "uniform":
      return { type: "uniform", min: s.min * k, max: s.max * k };
    case "exponential":
      return { type: "exponential", mean: s.mean * k };
    case "normal":
      return { type: "normal", mean: s.mean * k, stddev: s.stddev * k, min: (s.min ?? 0) * k };
    case "lognormal":
      return { type: "lognormal", p50: s.p50 * k, p99: s.p99 * k };
    case "weibull":
      return { type: "weibull", shape: s.shape, scale: s.scale * k };
    case "pareto":
      return { type: "pareto", shape: s.shape, scale: s.scale * k };
    case "empirical":
      return { type: "empirical", values: s.values.map((v) => v * k) };
  }
}

const us = (d: string | number) => durationUs(d);
const optUs = (d: string | number | undefined, dflt = -1) => (d === undefined ? dflt : durationUs(d));

const API_LOAD_EXPECTED = `expected a number of requests per second from 0 to ${MAX_API_LOAD_PER_SECOND.toLocaleString("en-US")}`;
const apiLoad = z.number({ error: API_LOAD_EXPECTED }).min(0, { error: API_LOAD_EXPECTED }).max(MAX_API_LOAD_PER_SECOND, { error: API_LOAD_EXPECTED });
const electionTimeoutDuration = duration.refine((v) => durationUs(v) <= durationUs(MAX_ELECTION_TIMEOUT), {
  error: `expected an election timeout of at most ${MAX_ELECTION_TIMEOUT} (etcd refuses longer ones)`,
});

const hostName = z.string({ error: "expected a host name (control-plane-0, etcd-1, node-0) or etcd-leader / kube-scheduler-leader / kube-controller-manager-leader / cloud-controller-manager-leader" }).min(1);
const at = duration.describe("when the fault happens (time since the start)");

const faultSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("host-loss"), at, host: hostName, recoverAfter: duration.optional() }),
    z.strictObject({ type: z.literal("host-recovery"), at, host: hostName }),
    z.strictObject({ type: z.literal("etcd-member-loss"), at, member: z.string().min(1).describe("member name (etcd-0...) or leader"), recoverAfter: duration.optional() }),
    z.strictObject({ type: z.literal("etcd-leader-kill"), at, recoverAfter: duration.optional() }),
    z.strictObject({ type: z.literal("partition"), at, groups: z.array(z.array(hostName).min(1)).min(2, { error: "expected at least two groups of hosts" }), healAfter: duration.optional() }),
    z.strictObject({ type: z.literal("one-way-partition"), at, from: z.array(hostName).min(1), to: z.array(hostName).min(1), healAfter: duration.optional() }),
    z.strictObject({ type: z.literal("isolate-host"), at, host: hostName, healAfter: duration.optional() }),
    z.strictObject({ type: z.literal("isolate-zone"), at, zone: dnsSubdomain, healAfter: duration.optional() }),
    z.strictObject({ type: z.literal("heal"), at }),
    z.strictObject({ type: z.literal("slow-disk"), at, host: hostName, factor: positiveNumber("a positive slow-down factor"), duration }),
    z.strictObject({ type: z.literal("apiserver-loss"), at, host: hostName, recoverAfter: duration.optional() }),
  ],
  {
    error:
      "expected a control-plane fault type: host-loss, host-recovery, etcd-member-loss, etcd-leader-kill, partition, one-way-partition, isolate-host, isolate-zone, heal, slow-disk, apiserver-loss",
  },
);
type FaultInput = z.output<typeof faultSchema>;

function resolveFault(f: FaultInput): ControlPlaneFault {
  const a = us(f.at);
  switch (f.type) {
    case "host-loss":
      return { type: f.type, atUs: a, host: f.host, recoverAfterUs: optUs(f.recoverAfter) };
    case "host-recovery":
      return { type: f.type, atUs: a, host: f.host };
    case "etcd-member-loss":
      return { type: f.type, atUs: a, member: f.member, recoverAfterUs: optUs(f.recoverAfter) };
    case "etcd-leader-kill":
      return { type: f.type, atUs: a, recoverAfterUs: optUs(f.recoverAfter) };
    case "partition":
      return { type: f.type, atUs: a, groups: f.groups, healAfterUs: optUs(f.healAfter) };
    case "one-way-partition":
      return { type: f.type, atUs: a, from: f.from, to: f.to, healAfterUs: optUs(f.healAfter) };
    case "isolate-host":
      return { type: f.type, atUs: a, host: f.host, healAfterUs: optUs(f.healAfter) };
    case "isolate-zone":
      return { type: f.type, atUs: a, zone: f.zone, healAfterUs: optUs(f.healAfter) };
    case "heal":
      return { type: f.type, atUs: a };
    case "slow-disk":
      return { type: f.type, atUs: a, host: f.host, factor: f.factor, durationUs: us(f.duration) };
    case "apiserver-loss":
      return { type: f.type, atUs: a, host: f.host, recoverAfterUs: optUs(f.recoverAfter) };
  }
}

const TIMEOUT_EXPECTED = 'expected an election timeout range in ms such as "150-300" or "150-300ms", or whole etcd ticks such as "10 ticks"';
const RANGE = /^\s*([0-9]+(?:\.[0-9]+)?)\s*-\s*([0-9]+(?:\.[0-9]+)?)\s*(?:ms)?\s*$/;
const TICKS = /^\s*([0-9]+)\s*ticks?\s*$/;
const electionTimeout = z
  .string({ error: TIMEOUT_EXPECTED })
  .superRefine((s, ctx) => {
    if (!RANGE.test(s) && !TICKS.test(s)) ctx.addIssue({ code: "custom", message: TIMEOUT_EXPECTED });
    else {
      const t = parseTimeout(s);
      const ok = "ticks" in t ? t.ticks >= 1 : t.minMs > 0 && t.maxMs >= t.minMs;
      if (!ok) ctx.addIssue({ code: "custom", message: "expected min > 0 and max >= min, or at least 1 tick" });
    }
  });

function parseTimeout(s: string): { minMs: number; maxMs: number } | { ticks: number } {
  const t = TICKS.exec(s);
  if (t) return { ticks: Number(t[1]) };
  const m = RANGE.exec(s)!;
  return { minMs: Number(m[1]), maxMs: Number(m[2]) };
}

/** The ranges of the Raft paper's Figure 16 (top and bottom graphs). */
export const RAFT_PAPER_RANGES = ["150-150", "150-151", "150-155", "150-175", "150-200", "150-300", "12-24", "25-50", "50-100", "100-200"];

const experimentFields = z.strictObject({
  type: z.literal("raft-election"),
  members: positiveInt().max(MAX_ETCD_MEMBERS, { error: `expected at most ${MAX_ETCD_MEMBERS} members (kubesim's raft model keeps votes in 31-bit masks; etcd advises at most 7)` }).default(5),
  electionTimeouts: z
    .array(electionTimeout)
    .min(1)
    .default(RAFT_PAPER_RANGES)
    .describe('ranges in ms as the paper uses, e.g. ["150-300", "12-24"], or etcd-style whole ticks drawn in [T, 2T-1], e.g. ["10 ticks"]'),
  heartbeatFraction: z.number().positive().max(1).default(0.5).describe("heartbeat interval / minimum election timeout, for ranges (paper: 0.5)"),
  heartbeatInterval: period.optional().describe("absolute heartbeat interval: overrides heartbeatFraction for ranges; the tick of tick series (default 100ms, etcd --heartbeat-interval)"),
  trials: positiveInt().default(1000),
  trialsWithoutRandomness: positiveInt().default(100).describe("trials of a range with min = max (paper: 100 for 150-150)"),
  linkLatency: durationDistribution.optional().describe("one-way latency between servers (default: 1 GbE LAN)"),
  fsync: durationDistribution.optional().describe("durable write latency of term, vote and entries (default: lognormal p50 2.5ms, p99 5ms, fitted to the paper's 287 ms median for 150-155; docs/etcd.md)"),
  crashTogether: positiveInt().default(1).describe("members crashed together: the leader and the next ones"),
  ineligible: nonNegativeInt().default(2).describe("survivors lacking the last log entry (paper: 2 of 4)"),
  preVote: z.boolean().default(false).describe("the paper's LogCabin had no pre-vote"),
  checkQuorum: z.boolean().default(false),
  resetTimerOnTermChange: z.boolean().default(false).describe("restart the election timer on a newer term (etcd-io/raft) instead of the paper's rule"),
  trialTimeout: duration.default("120s").describe("a trial without a new leader after this long is censored"),
});

/** What the runner needs to be meaningful, as validation errors rather than run-time failures. */
const experimentSchema = experimentFields.superRefine((e, ctx) => {
  if (e.members < 3) ctx.addIssue({ code: "custom", path: ["members"], message: `expected at least 3 members (a leader crash needs survivors that can elect), got ${e.members}` });
  else if (e.crashTogether >= e.members) ctx.addIssue({ code: "custom", path: ["crashTogether"], message: `expected fewer than members (${e.members}), got ${e.crashTogether}` });
  else if (e.ineligible >= e.members - e.crashTogether) {
    ctx.addIssue({ code: "custom", path: ["ineligible"], message: `expected fewer than the ${e.members - e.crashTogether} survivors, so one can win, got ${e.ineligible}` });
  }
  // Without heartbeatInterval a range's heartbeat is heartbeatFraction x its minimum: a period like any other.
  if (e.heartbeatInterval === undefined) {
    e.electionTimeouts.forEach((t, k) => {
      const r = RANGE.exec(t);
      if (r && Number(r[1]) * e.heartbeatFraction * US_PER_MS < MIN_PERIOD_US) {
        ctx.addIssue({ code: "custom", path: ["heartbeatFraction"], message: `expected a heartbeat of at least 1ms (heartbeatFraction x the minimum of electionTimeouts[${k}] ${t}), got ${e.heartbeatFraction}` });
      }
    });
  }
});

function resolveExperiment(e: z.output<typeof experimentFields>): RaftElectionExperimentSpec {
  return {
    members: e.members,
    timeouts: e.electionTimeouts.map(parseTimeout),
    heartbeatIntervalMs: e.heartbeatInterval === undefined ? undefined : us(e.heartbeatInterval) / US_PER_MS,
    heartbeatFraction: e.heartbeatFraction,
    trials: e.trials,
    trialsWithoutRandomness: e.trialsWithoutRandomness,
    linkLatencyMs: e.linkLatency === undefined ? undefined : ms(e.linkLatency),
    fsyncMs: e.fsync === undefined ? undefined : ms(e.fsync),
    crashTogether: e.crashTogether,
    ineligible: e.ineligible,
    preVote: e.preVote,
    checkQuorum: e.checkQuorum,
    resetTimerOnTermChange: e.resetTimerOnTermChange,
    trialTimeoutMs: us(e.trialTimeout) / US_PER_MS,
  };
}

const controlPlane = z
  .strictObject({
    topology: z.enum(TOPOLOGY_KINDS as unknown as [string, ...string[]], { error: `expected a topology: ${TOPOLOGY_KINDS.join(", ")}` }).default("stacked"),
    controlPlaneHosts: positiveInt()
      .max(MAX_CONTROL_PLANE_HOSTS, { error: `expected at most ${MAX_CONTROL_PLANE_HOSTS} control-plane hosts (HA clusters run 3 to 5; kubesim models up to ${MAX_CONTROL_PLANE_HOSTS})` })
      .default(3),
    etcdHosts: positiveInt()
      .max(MAX_ETCD_MEMBERS, { error: `expected at most ${MAX_ETCD_MEMBERS} etcd hosts (kubesim's raft model keeps votes in 31-bit masks; etcd advises at most 7)` })
      .default(3),
    zones: z.array(dnsSubdomain).min(1).default(DEFAULT_ZONES),
    regions: z.array(dnsSubdomain).optional().describe("region of each zone, in the order of zones"),
    etcd: z
      .strictObject({
        heartbeatInterval: period.default("100ms").describe("etcd --heartbeat-interval (default 100ms)"),
        electionTimeout: electionTimeoutDuration.default("1000ms").describe("etcd --election-timeout (default 1000ms, at most 50s); raft draws [T, 2T-1] ticks"),
        electionTimeoutRange: z.strictObject({ min: electionTimeoutDuration, max: electionTimeoutDuration }).optional().describe("continuous uniform range instead of ticks (Raft paper)"),
        preVote: z.boolean().default(true).describe("etcd --pre-vote (default true since v3.5)"),
        checkQuorum: z.boolean().default(true),
        requestTimeout: duration.optional().describe("default 5s + 2 x election timeout"),
        fsync: durationDistribution.optional().describe("WAL fsync latency (default lognormal p50 2ms p99 8ms)"),
      })
      .prefault({}),
    network: z
      .strictObject({
        sameHost: durationDistribution.optional(),
        sameZone: durationDistribution.optional(),
        crossZone: durationDistribution.optional(),
        crossRegion: durationDistribution.optional(),
        lossProbability: z.number().min(0).max(1).default(0),
      })
      .prefault({}),
    apiserver: z
      .strictObject({
        processing: durationDistribution.optional(),
        clientLatency: durationDistribution.optional(),
        watchDelivery: durationDistribution.optional(),
        inflightMode: z.enum(["apf", "max-in-flight"]).default("apf"),
        etcdClientKeepalive: duration.default("40s").describe("etcd client keepalive time + timeout (30s + 10s): how long a silent etcd endpoint is still used"),
        maxRequestsInflight: positiveInt().default(MAX_REQUESTS_INFLIGHT),
        maxMutatingRequestsInflight: positiveInt().default(MAX_MUTATING_REQUESTS_INFLIGHT),
        loadBalancer: z
          .strictObject({
            checkInterval: period.default("2s"),
            fall: positiveInt().default(DEFAULT_LOAD_BALANCER.fall),
            rise: positiveInt().default(DEFAULT_LOAD_BALANCER.rise),
            connectTimeout: duration.default("5s"),
            retries: nonNegativeInt().default(DEFAULT_LOAD_BALANCER.retries),
          })
          .prefault({}),
      })
      .prefault({}),
    leaderElection: z
      .strictObject({
        leaseDuration: duration.default("15s"),
        renewDeadline: duration.default("10s"),
        retryPeriod: period.default("2s"),
        restartDelay: duration.default("10s").describe("kubelet restart of a component that lost its lease and exited"),
      })
      .prefault({}),
    load: z
      .strictObject({
        nodeLeases: z
          .union([nonNegativeInt(), z.literal("per-node")], { error: 'expected a number of kubelets or "per-node"' })
          .default("per-node")
          .describe("kubelets renewing node Leases: per-node, or a number (kubelets beyond the run's nodes are synthetic load)"),
        nodeLeaseRenewInterval: period.default(NODE_LEASE_RENEW_INTERVAL),
        // Synthetic pod status writes stand in for kubelets when the scenario has no
        // workloads; the kubelets of its pods already send real status updates.
        podStatusUpdatesPerSecond: apiLoad.default(0),
        // Synthetic bindings stand in for a scheduler when the scenario has no workloads;
        // the real kube-scheduler's bindings already go through the API server.
        bindingsPerSecond: apiLoad.default(0),
        cachedReadsPerSecond: apiLoad.default(20),
        quorumReadsPerSecond: apiLoad.default(5),
      })
      .prefault({}),
    faults: z.array(faultSchema, { error: "expected a list of control-plane faults" }).default([]),
    experiment: experimentSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const le = c.leaderElection;
    const err = validateLeaderElection({
      leaseDurationUs: us(le.leaseDuration),
      renewDeadlineUs: us(le.renewDeadline),
      retryPeriodUs: us(le.retryPeriod),
      jitterFactor: JITTER_FACTOR,
      restartDelayUs: 0,
    });
    if (err) ctx.addIssue({ code: "custom", path: ["leaderElection"], message: `expected ${err} (client-go validation)` });
    if (c.regions && c.regions.length !== c.zones.length) ctx.addIssue({ code: "custom", path: ["regions"], message: "expected one region per zone" });
    if (us(c.etcd.electionTimeout) < us(c.etcd.heartbeatInterval)) ctx.addIssue({ code: "custom", path: ["etcd", "electionTimeout"], message: "expected an election timeout of at least one heartbeat interval" });
    const r = c.etcd.electionTimeoutRange;
    if (r && us(r.max) < us(r.min)) ctx.addIssue({ code: "custom", path: ["etcd", "electionTimeoutRange", "max"], message: "expected max >= min" });
    // The topology is built only within the bounds above (a million hosts would take the memory first).
    if (c.controlPlaneHosts <= MAX_CONTROL_PLANE_HOSTS && c.etcdHosts <= MAX_ETCD_MEMBERS) checkFaultTargets(c, ctx);
  })
  .transform((c): ControlPlaneSpec => {
    const hb = us(c.etcd.heartbeatInterval);
    const r = c.etcd.electionTimeoutRange;
    const api = c.apiserver;
    const lb = api.loadBalancer;
    const net = c.network;
    const latency: Record<string, DistributionSpec> = {};
    for (const k of ["sameHost", "sameZone", "crossZone", "crossRegion"] as const) if (net[k] !== undefined) latency[k] = ms(net[k]!);
    return {
      topology: {
        kind: c.topology as ControlPlaneSpec["topology"]["kind"],
        controlPlaneHosts: c.controlPlaneHosts,
        etcdHosts: c.etcdHosts,
        zones: c.zones,
        regions: c.regions ?? [],
      },
      raft: {
        heartbeatIntervalUs: hb,
        electionTicks: Math.max(1, Math.round(us(c.etcd.electionTimeout) / hb)),
        electionTimeoutRangeUs: r ? [us(r.min), us(r.max)] : null,
        preVote: c.etcd.preVote,
        checkQuorum: c.etcd.checkQuorum,
        ...(c.etcd.requestTimeout !== undefined ? { requestTimeoutUs: us(c.etcd.requestTimeout) } : {}),
      },
      fsyncMs: c.etcd.fsync === undefined ? { type: "lognormal", p50: 2, p99: 8 } : ms(c.etcd.fsync),
      network: { latencyMs: latency, lossProbability: net.lossProbability },
      apiserver: {
        clientLatencyMs: api.clientLatency === undefined ? DEFAULT_KUBE_API.clientLatencyMs : ms(api.clientLatency),
        processingMs: api.processing === undefined ? DEFAULT_KUBE_API.processingMs : ms(api.processing),
        watchDeliveryMs: api.watchDelivery === undefined ? DEFAULT_KUBE_API.watchDeliveryMs : ms(api.watchDelivery),
        inflight: { mode: api.inflightMode, maxRequestsInflight: api.maxRequestsInflight, maxMutatingRequestsInflight: api.maxMutatingRequestsInflight },
        loadBalancer: { checkIntervalUs: us(lb.checkInterval), fall: lb.fall, rise: lb.rise, connectTimeoutUs: us(lb.connectTimeout), retries: lb.retries },
        etcdKeepaliveUs: us(api.etcdClientKeepalive),
      },
      leaderElection: {
        ...DEFAULT_LEADER_ELECTION,
        leaseDurationUs: us(c.leaderElection.leaseDuration),
        renewDeadlineUs: us(c.leaderElection.renewDeadline),
        retryPeriodUs: us(c.leaderElection.retryPeriod),
        restartDelayUs: us(c.leaderElection.restartDelay),
      },
      load: {
        nodeLeases: c.load.nodeLeases === "per-node" ? -1 : c.load.nodeLeases,
        nodeLeaseRenewIntervalUs: us(c.load.nodeLeaseRenewInterval),
        podStatusUpdatesPerSecond: c.load.podStatusUpdatesPerSecond,
        bindingsPerSecond: c.load.bindingsPerSecond,
        cachedReadsPerSecond: c.load.cachedReadsPerSecond,
        quorumReadsPerSecond: c.load.quorumReadsPerSecond,
      },
      faults: c.faults.map(resolveFault),
      experiment: c.experiment ? resolveExperiment(c.experiment) : undefined,
    };
  });

/** Fault targets must name hosts, members and zones of the topology (or a role). */
function checkFaultTargets(
  c: { topology: string; controlPlaneHosts: number; etcdHosts: number; zones: string[]; faults: FaultInput[] },
  ctx: z.RefinementCtx,
): void {
  const t = buildTopology({ kind: c.topology as TopologyKind, controlPlaneHosts: c.controlPlaneHosts, etcdHosts: c.etcdHosts, zones: c.zones, regions: [] });
  const hosts = new Set<string>([...t.hosts.map((h) => h.name), ...ROLE_TARGETS]);
  const members = new Set<string>([...t.etcdHosts.map((h) => t.hosts[h].name), "leader"]);
  const expectHost = `expected a host of the ${c.topology} topology (${t.hosts.map((h) => h.name).join(", ")}) or ${ROLE_TARGETS.join(", ")}`;
  c.faults.forEach((f, i) => {
    const bad = (path: (string | number)[], message: string, got: string) =>
      ctx.addIssue({ code: "custom", path: ["faults", i, ...path], message: `${message}, got ${JSON.stringify(got)}` });
    if ("host" in f && !hosts.has(f.host)) bad(["host"], expectHost, f.host);
    if (f.type === "etcd-member-loss" && !members.has(f.member)) bad(["member"], `expected an etcd member (${[...members].join(", ")})`, f.member);
    if (f.type === "isolate-zone" && !c.zones.includes(f.zone)) bad(["zone"], `expected one of the control-plane zones (${c.zones.join(", ")})`, f.zone);
    if (f.type === "partition") f.groups.forEach((g, k) => g.forEach((h, j) => hosts.has(h) || bad(["groups", k, j], expectHost, h)));
    if (f.type === "one-way-partition") {
      f.from.forEach((h, j) => hosts.has(h) || bad(["from", j], expectHost, h));
      f.to.forEach((h, j) => hosts.has(h) || bad(["to", j], expectHost, h));
    }
  });
}

export const controlPlaneSection = {
  controlPlane: controlPlane.optional().describe("control-plane topology, etcd, API servers, leader election, faults (docs/controlplane.md)"),
};
