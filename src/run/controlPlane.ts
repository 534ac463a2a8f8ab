/**
 * The control plane of one run, wired from a ControlPlaneSpec: hosts on the network,
 * disks, the etcd cluster (raft model), API servers behind a load balancer, Lease-based
 * leader election of kube-controller-manager and kube-scheduler (and of the
 * cloud-controller-manager when the run has one), the kubelets' node
 * Lease renewals and the synthetic API load, the control-plane fault timeline, and the
 * metrics sampler (controlplane.csv and its siblings, every sampleInterval). The run
 * (run.ts) builds it before any component, and hands it to them in the RunContext.
 */
import { US_PER_MS, US_PER_S, type Simulation } from "../engine/simulation.js";
import type { EventLog } from "../metrics/events.js";
import { BindingPauses } from "../apiserver/bindingPauses.js";
import { SyntheticLoad } from "../apiserver/syntheticLoad.js";
import { NodeLeases } from "../kubelet/nodeLease.js";
import { KubeletApi } from "../kubelet/kubeletApi.js";
import { EtcdClusterPort } from "../apiserver/etcdAdapter.js";
import { KubeApi } from "../apiserver/kubeApi.js";
import { Disks } from "../infra/disk.js";
import { ROLE_NAMES } from "../etcd/api.js";
import { EtcdCluster } from "../etcd/etcdCluster.js";
import { ControlPlaneFaults, type ControlPlaneParts } from "./controlPlaneFaults.js";
import { LeaderElection } from "../client/leaderElection.js";
import { ControlPlaneMetrics } from "../apiserver/metrics.js";
import { ControlPlaneSampler } from "./controlPlaneTables.js";
import { DEFAULT_NETWORK_CONFIG, Network } from "../infra/network.js";
import { HostStates, buildTopology, type Topology } from "../infra/topology.js";
import type { SummaryRow } from "../metrics/summary.js";
import type { Table } from "../metrics/tables.js";
import type { ControlPlaneSpec } from "./controlPlaneSpec.js";

/** Lease object keys (kube-system/kube-controller-manager, kube-system/kube-scheduler). */
export const KCM_LEASE_KEY = 1;
export const SCHEDULER_LEASE_KEY = 2;
/** kube-system/cloud-controller-manager (k8s.io/cloud-provider options: LeaderElection.ResourceName). */
export const CCM_LEASE_KEY = 3;

/** Delay between the component starts of successive control-plane hosts. [kubesim choice] */
export const COMPONENT_START_STAGGER_US = 1 * US_PER_S;

/** Window after the first fault for `api_availability_60s_after_fault`. */
export const AFTER_FAULT_WINDOW_US = 60 * US_PER_S;

export class ControlPlane implements ControlPlaneParts {
  readonly topology: Topology;
  readonly hosts: HostStates;
  readonly network: Network;
  readonly disks: Disks;
  readonly etcd: EtcdCluster;
  readonly api: KubeApi;
  readonly metrics = new ControlPlaneMetrics();
  readonly controllerManager: LeaderElection;
  readonly scheduler: LeaderElection;
  /** The cloud-controller-manager's own lease (issue 12); undefined when the run has no CCM. */
  readonly cloudControllerManager: LeaderElection | undefined;
  readonly elections: LeaderElection[];
  readonly nodeLeases: NodeLeases;
  /** The kubelets' connection to the API servers (cut off by node faults). */
  readonly kubeletApi: KubeletApi;
  readonly load: SyntheticLoad;
  readonly bindingPauses: BindingPauses;
  readonly faults: ControlPlaneFaults;
  readonly sampler: ControlPlaneSampler;
  /** Time without an etcd leader since the last leader loss began (-1: there is a leader). */
  private noLeaderSinceUs = -1;
  /** The leader loss not yet followed by an election: [old leader, term, cause]. */
  private pendingLoss: { oldLeader: number; term: number; cause: string } | null = null;

  constructor(
    readonly sim: Simulation,
    readonly spec: ControlPlaneSpec,
    /** Number of kubelets renewing node Leases when the spec says "per-node". */
    nodeCount: number,
    /** events.csv of the run: control-plane events go there too. */
    events: EventLog,
    private readonly sampleIntervalUs: number,
    private readonly durationUs: number,
    /** Whether the run has a cloud-controller-manager (a third leader election). */
    options: { cloudControllerManager?: boolean } = {},
  ) {
    this.metrics.eventSink = (t, kind, object, message) => events.add(t, kind, object, message);
    const topology = (this.topology = buildTopology(spec.topology));
    this.hosts = new HostStates(topology);
    this.network = new Network(sim, { latencyMs: { ...DEFAULT_NETWORK_CONFIG.latencyMs, ...spec.network.latencyMs }, lossProbability: spec.network.lossProbability });
    for (const h of topology.hosts) this.network.addHost(h.name, h.zone, h.region);
    this.disks = new Disks(sim, spec.fsyncMs);
    this.etcd = new EtcdCluster(sim, {
      network: this.network,
      disks: this.disks,
      raft: spec.raft,
      members: topology.etcdHosts.map((h) => ({ name: topology.hosts[h].name, host: h })),
      // A cluster that has been running: member 0 leads term 1 and every member holds its
      // committed entry of that term (so the leader serves ReadIndex at once; no bootstrap
      // election inside the measurements).
      initialState: { term: 1, logLengths: topology.etcdHosts.map(() => 1), leader: 0 },
    });
    this.api = new KubeApi(sim, topology, this.hosts, new EtcdClusterPort(this.etcd, this.network, (h) => this.hosts.up[h] === 1), this.metrics, spec.apiserver);
    const candidates = topology.apiserverHosts.length;
    this.controllerManager = new LeaderElection(sim, this.api, "kube-controller-manager", KCM_LEASE_KEY, candidates, spec.leaderElection);
    this.scheduler = new LeaderElection(sim, this.api, "kube-scheduler", SCHEDULER_LEASE_KEY, candidates, spec.leaderElection);
    this.elections = [this.controllerManager, this.scheduler];
    // The CCM: one candidate per control-plane host like kube-controller-manager, upstream's
    // same default timings (controller-manager RecommendedDefaultLeaderElectionConfiguration).
    if (options.cloudControllerManager) {
      this.cloudControllerManager = new LeaderElection(sim, this.api, "cloud-controller-manager", CCM_LEASE_KEY, candidates, spec.leaderElection);
      this.elections.push(this.cloudControllerManager);
    }
    for (const le of this.elections) {
      le.hostUp = (c) => this.hosts.up[topology.apiserverHosts[c]] === 1;
      le.listeners.push((c, leading, now) => {
        const holder = topology.hosts[topology.apiserverHosts[c]].name;
        this.metrics.leases.push({ sim_time_s: now / US_PER_S, lease: le.component, holder, event: leading ? "acquired" : "lost" });
        this.metrics.event(now, leading ? "LeaderElection" : "LeaderElectionLost", `lease/kube-system/${le.component}`, `${holder} ${leading ? "became leader" : "stopped leading"}`);
      });
    }
    this.etcd.observe({
      onLeaderLost: (t, oldLeader, term, cause) => {
        if (this.noLeaderSinceUs < 0) this.noLeaderSinceUs = t;
        this.pendingLoss ??= { oldLeader, term, cause };
        this.metrics.event(t, "EtcdLeaderLost", `etcd/${this.etcd.memberName(oldLeader)}`, `leader of term ${term} stopped leading (${cause})`);
      },
      onLeaderElected: (ch) => {
        this.noLeaderSinceUs = -1;
        this.pendingLoss = null;
        this.metrics.event(ch.timeUs, "EtcdLeaderElected", `etcd/${this.etcd.memberName(ch.newLeader)}`, `term ${ch.term} after ${(ch.noLeaderUs / US_PER_MS).toFixed(1)} ms without a leader (${ch.cause})`);
        this.metrics.elections.push({
          sim_time_s: ch.timeUs / US_PER_S,
          cause: ch.cause,
          old_leader: ch.oldLeader >= 0 ? this.etcd.memberName(ch.oldLeader) : "",
          new_leader: this.etcd.memberName(ch.newLeader),
          term: ch.term,
          no_leader_ms: ch.noLeaderUs / US_PER_MS,
        });
      },
    });
    // One stream for the node Leases' jitter and the synthetic load, drawn in this order.
    const loadRng = sim.rng.stream("apiserver.backgroundLoad");
    this.kubeletApi = new KubeletApi(sim, this.api, nodeCount);
    // Every node's kubelet renews; a larger load.nodeLeases adds synthetic kubelets.
    this.nodeLeases = new NodeLeases(sim, this.kubeletApi, loadRng, Math.max(nodeCount, spec.load.nodeLeases), spec.load.nodeLeaseRenewIntervalUs);
    this.bindingPauses = new BindingPauses(spec.load.bindingsPerSecond);
    this.load = new SyntheticLoad(sim, this.api, loadRng, spec.load, this.bindingPauses, () => this.schedulerApiServer());
    this.faults = new ControlPlaneFaults(this, spec.faults);
    this.api.loadBalancer.listeners.push((server, inPool) => {
      const host = topology.hosts[topology.apiserverHosts[server]].name;
      this.metrics.event(sim.now, inPool ? "ApiServerInPool" : "ApiServerOutOfPool", `apiserver/${host}`, inPool ? "health checks pass: back in the load balancer pool" : "health checks failed: removed from the load balancer pool");
    });
    const etcd = this.etcd;
    this.sampler = new ControlPlaneSampler(this.metrics, {
      etcdLeaderName: () => (etcd.leader() >= 0 ? etcd.memberName(etcd.leader()) : ""),
      etcdTerm: () => (etcd.leader() >= 0 ? etcd.term(etcd.leader()) : maxTerm(etcd)),
      etcdSize: () => etcd.size,
      etcdMemberName: (m) => etcd.memberName(m),
      etcdMemberHost: (m) => topology.hosts[etcd.memberHost(m)].name,
      etcdRole: (m) => ROLE_NAMES[etcd.role(m)],
      etcdMemberTerm: (m) => etcd.term(m),
      etcdCommitIndex: (m) => etcd.commitIndex(m),
      etcdMembersUp: () => {
        let k = 0;
        for (let m = 0; m < etcd.size; m++) if (etcd.isUp(m)) k++;
        return k;
      },
      etcdCommittedEntries: () => etcd.stats.committedEntries,
      apiserversInPool: () => this.api.loadBalancer.poolSize(),
      leaseHolders: () =>
        this.elections.map((le) => {
          const c = le.leader();
          return c < 0 ? "" : topology.hosts[topology.apiserverHosts[c]].name;
        }),
      leaseNames: () => this.elections.map((le) => le.component),
    });
  }

  /**
   * Start the components, the load and the fault timeline (call at time 0). Components
   * on control-plane host c start c x COMPONENT_START_STAGGER_US late, as hosts join one
   * after another (kubeadm init, then join): the first host holds both leases.
   */
  start(): void {
    const stagger = this.sim.on("controlplane.startComponents", (c) => {
      for (const le of this.elections) le.start(c);
    });
    for (let c = 0; c < this.topology.apiserverHosts.length; c++) this.sim.schedule(c * COMPONENT_START_STAGGER_US, stagger, c);
    this.nodeLeases.start();
    this.load.start();
    this.faults.start();
    const sampleId = this.sim.on("controlplane.sample", () => {
      this.sampler.sample(this.sim.now);
      if (this.sim.now + this.sampleIntervalUs <= this.durationUs) this.sim.schedule(this.sampleIntervalUs, sampleId);
    });
    this.sim.schedule(this.sampleIntervalUs, sampleId);
  }

  /** Whether the acting kube-scheduler may bind now (holds its lease, on a live host). */
  schedulingActive(): boolean {
    return this.scheduler.leader() >= 0;
  }

  /**
   * The API server the acting kube-scheduler sends its requests (bindings) to, or -1 when
   * no instance holds the lease: the one on its own host (kubeadm's LocalAPIEndpoint,
   * kubernetes PR #94398; candidate c runs on control-plane host c, whose API server is
   * server c). Used by the kube-scheduler component and the background load's bindings.
   */
  schedulerApiServer(): number {
    return this.scheduler.leader();
  }

  /** Whether some instance of the component holds its lease now (and so acts). */
  isLeader(component: "kube-scheduler" | "kube-controller-manager" | "cloud-controller-manager"): boolean {
    return this.election(component).leader() >= 0;
  }

  private election(component: string): LeaderElection {
    const le = this.elections.find((e) => e.component === component);
    if (!le) throw new Error(`no leader election for ${component}`);
    return le;
  }

  /** Close the run: tables and summary rows. */
  finish(endUs: number): { tables: Table[]; summary: SummaryRow[] } {
    this.bindingPauses.finish(endUs);
    const m = this.metrics;
    // Every leader loss is a row of elections.csv: one still without a successor at the
    // end of the run is written at the end time with an empty new_leader.
    if (this.pendingLoss && this.noLeaderSinceUs >= 0) {
      const p = this.pendingLoss;
      m.elections.push({ sim_time_s: endUs / US_PER_S, cause: p.cause, old_leader: this.etcd.memberName(p.oldLeader), new_leader: "", term: p.term, no_leader_ms: (endUs - this.noLeaderSinceUs) / US_PER_MS });
      this.pendingLoss = null;
      this.noLeaderSinceUs = -1;
    }
    let requests = 0;
    let ok = 0;
    for (const v of m.verbTotals) {
      requests += v.requests;
      ok += v.ok + v.conflict;
    }
    const noLeaderMs = m.elections.reduce((s, e) => s + (e.cause === "initial" ? 0 : e.no_leader_ms), 0);
    const longestPause = this.bindingPauses.gaps.reduce((mx, g) => Math.max(mx, g.toUs - g.fromUs), 0);
    // Faults after the end of the run were not reached (a warning when the scenario loaded).
    const reached = this.spec.faults.filter((f) => f.atUs <= endUs);
    const firstFaultUs = reached.length > 0 ? Math.min(...reached.map((f) => f.atUs)) : -1;
    const afterFault = firstFaultUs < 0 ? [] : this.afterFault(firstFaultUs, endUs);
    const summary: SummaryRow[] = [
      { metric: "etcd_write_p50_ms", value: m.etcdWriteTotal.quantileUs(0.5) / US_PER_MS },
      { metric: "etcd_write_p99_ms", value: m.etcdWriteTotal.quantileUs(0.99) / US_PER_MS },
      { metric: "etcd_read_p50_ms", value: m.etcdReadTotal.quantileUs(0.5) / US_PER_MS },
      { metric: "etcd_read_p99_ms", value: m.etcdReadTotal.quantileUs(0.99) / US_PER_MS },
      { metric: "etcd_leader_changes", value: m.elections.filter((e) => e.cause !== "initial").length },
      { metric: "etcd_no_leader_ms", value: noLeaderMs },
      { metric: "api_requests", value: requests },
      { metric: "api_availability", value: requests > 0 ? ok / requests : 1 },
      { metric: "scheduling_longest_pause_s", value: longestPause / US_PER_S },
      ...afterFault,
      { metric: "kube_scheduler_lease_transitions", value: this.scheduler.history.length },
      { metric: "kube_controller_manager_lease_transitions", value: this.controllerManager.history.length },
      ...(this.cloudControllerManager ? [{ metric: "cloud_controller_manager_lease_transitions", value: this.cloudControllerManager.history.length }] : []),
    ];
    return { tables: this.sampler.tables(), summary };
  }

  /**
   * After the first fault: API availability over the samples of the following minute;
   * when bindings resumed for good (the end of the last pause that began within that
   * minute); how long they were paused in all.
   */
  private afterFault(tUs: number, endUs: number): SummaryRow[] {
    const cols = this.sampler.controlplane.columns;
    const iT = cols.indexOf("sim_time_s");
    const iReq = cols.indexOf("api_requests");
    const iErr = cols.indexOf("api_errors");
    let req = 0;
    let err = 0;
    for (const r of this.sampler.controlplane.rows) {
      const timeUs = (r[iT] as number) * US_PER_S;
      if (timeUs > tUs && timeUs <= tUs + AFTER_FAULT_WINDOW_US) {
        req += r[iReq] as number;
        err += r[iErr] as number;
      }
    }
    // Pauses in successful bindings that overlap the minute after the fault: scheduling
    // has resumed for good when the last of them ends (a lease can be lost late, e.g.
    // when renewals hang on a silent etcd endpoint).
    const window_end = tUs + AFTER_FAULT_WINDOW_US;
    let resumed = 0;
    let pausedUs = 0;
    for (const g of this.bindingPauses.gaps) {
      if (g.toUs <= tUs || g.fromUs >= window_end) continue;
      resumed = g.toUs >= endUs ? Infinity : Math.max(resumed, (g.toUs - tUs) / US_PER_S);
      pausedUs += Math.min(g.toUs, endUs) - Math.max(g.fromUs, tUs);
      if (resumed === Infinity) break;
    }
    return [
      { metric: "api_availability_60s_after_fault", value: req > 0 ? (req - err) / req : 1 },
      { metric: "scheduling_resumed_after_fault_s", value: resumed },
      { metric: "scheduling_paused_after_fault_s", value: pausedUs / US_PER_S },
    ];
  }
}

function maxTerm(etcd: EtcdCluster): number {
  let t = 0;
  for (let m = 0; m < etcd.size; m++) t = Math.max(t, etcd.term(m));
  return t;
}
