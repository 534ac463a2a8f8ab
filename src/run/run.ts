/**
 * One run of a cluster: wire the components from a ClusterSpec, play the timeline on the
 * virtual clock, and collect the metrics in memory. The run can be advanced in steps
 * (the CLI shows progress between them); the result does not depend on how it was
 * stepped.
 *
 * The wiring order is fixed, and it is the order in which the components hear of each
 * event: the ReplicaSet controller, then the kube-scheduler, then the kubelets.
 */
import { createAdoptedPods } from "./adoptedPods.js";
import { Simulation, US_PER_S } from "../engine/simulation.js";
import { podRows, type PodRow } from "../metrics/podRows.js";
import { sampleCluster, type TimeseriesRow } from "../metrics/sampler.js";
import { GroupRatios, type PoolRatioRow, type ZoneRatioRow } from "../metrics/groupRatios.js";
import { summarize, type SummaryRow } from "../metrics/summary.js";
import { startupSummary } from "../metrics/startupSummary.js";
import type { EventRow } from "../metrics/events.js";
import type { Table } from "../metrics/tables.js";
import type { NodeTransitionRow } from "../metrics/nodeTransitions.js";
import { WorkloadStatus, type WorkloadRow } from "../metrics/workloadStatus.js";
import { WorkloadSummary, type WorkloadSummaryRow } from "../metrics/workloadSummary.js";
import { ClusterState } from "../apiserver/clusterState.js";
import { ALWAYS_LEADING, ApiPodCreates, DAEMONSET_CREATES, JOB_CREATES, REPLICASET_CREATES, STATEFULSET_CREATES } from "../controllers/podCreates.js";
import { ReplicaSetController, replicaSetItems } from "../controllers/replicaSet.js";
import { ControllerClient } from "../controllers/controllerClient.js";
import { DaemonSetController } from "../controllers/daemonSet/daemonSetController.js";
import { JobController } from "../controllers/job/jobController.js";
import { StatefulSetController } from "../controllers/statefulSet.js";
import { NodeLifecycleController } from "../controllers/nodeLifecycle/nodeLifecycleController.js";
import { LABEL_EXCLUDE_DISRUPTION } from "../controllers/nodeLifecycle/defaults.js";
import { TaintEvictionController } from "../controllers/taintEviction.js";
import { PodGCController } from "../controllers/podGC.js";
import { Kubelets } from "../kubelet/kubelet.js";
import { KubeletAdmission } from "../kubelet/admission.js";
import { KubeletApi } from "../kubelet/kubeletApi.js";
import { NodeLeases } from "../kubelet/nodeLease.js";
import { NodeStatusLoops } from "../kubelet/nodeStatus.js";
import { PodStatusReporter } from "../kubelet/podStatus.js";
import { FixedLatencyApi, type ApiPort } from "../apiserver/apiPort.js";
import { NODE_LEASE_RENEW_INTERVAL_US } from "../kubelet/nodeLease.js";
import { ArrivalGenerators } from "./arrivals.js";
import { DEFAULT_COMPONENTS } from "./components.js";
import type { Component, ComponentFactory, RunContext } from "./context.js";
import { ControlPlane } from "./controlPlane.js";
import { NodeFaultTimeline } from "./nodeFaults.js";
import { ActionTimeline, OUTCOME_DRAINED } from "./actionTimeline.js";
import { Drainer } from "../client/drain.js";
import { NodePoolUpgrades } from "../cloud/nodePoolUpgrade.js";
import { DisruptionBudgets } from "../controllers/disruption/disruptionBudgets.js";
import { raftElectionExperiment } from "./raftElectionExperiment.js";
import type { ClusterSpec } from "./spec.js";
import { DEFAULT_SCHEDULER_NAME } from "../model/wellKnown.js";
import { UserClient } from "./userClient.js";
import { GarbageCollector } from "../controllers/garbageCollector.js";
import { NamespaceController } from "../controllers/namespace/namespaceController.js";
import { ServicesRun } from "./services.js";
import { CloudRun } from "./cloudRun.js";
import { LifecycleTaint } from "../model/nodeTable.js";
import { SchedulerSimulation } from "./autoscalerSimulation.js";

export interface RunResult {
  timeseries: TimeseriesRow[];
  pods: PodRow[];
  events: EventRow[];
  summary: SummaryRow[];
  /** Requested ratios per node pool and per zone at each sample (pools.csv, zones.csv). */
  pools: PoolRatioRow[];
  zones: ZoneRatioRow[];
  /** One row per node condition, taint or object transition (nodes.csv). */
  nodes: NodeTransitionRow[];
  /** Per sample and Deployment, DaemonSet, StatefulSet or Job: desired, current, ready, ... (workloads.csv). */
  workloads: WorkloadRow[];
  /** Per Deployment, DaemonSet and StatefulSet: rollouts, time below desired, its PDB's figures (workload_summary.csv). */
  workloadSummary: WorkloadSummaryRow[];
  /** Tables contributed by components (file name -> table). */
  tables: Table[];
  counts: { nodes: number; pods: number; events: number; simEvents: number };
}

export interface RunOptions {
  /** The pluggable components (default: DEFAULT_COMPONENTS, the kube-scheduler). */
  components?: readonly ComponentFactory[];
}

export class ClusterRun {
  readonly sim: Simulation;
  readonly cluster: ClusterState;
  /** The control plane, when the scenario has a `controlPlane` section (not an experiment). */
  readonly controlPlane: ControlPlane | undefined;
  private readonly experiment: Component | undefined;
  private readonly components: Component[] = [];
  private readonly timeseries: TimeseriesRow[] = [];
  /** pools.csv and zones.csv, sampled with timeseries.csv. */
  private readonly pools: GroupRatios<"pool">;
  private readonly zones: GroupRatios<"zone">;
  private readonly sampleId: number;
  private readonly replicaSets: ReplicaSetController;
  private readonly daemonSets: DaemonSetController;
  private readonly jobs: JobController;
  private readonly statefulSets: StatefulSetController;
  private readonly workloads: WorkloadStatus;
  private readonly workloadSummary: WorkloadSummary;
  private readonly creates: ApiPodCreates | undefined;
  private readonly user: UserClient;
  private readonly status: PodStatusReporter | undefined;
  /** The API as components without a control plane see it: a fixed latency. */
  readonly api: ApiPort;
  readonly kubelets: Kubelets;
  readonly nodeLifecycle: NodeLifecycleController;
  readonly taintEviction: TaintEvictionController;
  readonly podGC: PodGCController;
  readonly faults: NodeFaultTimeline;
  readonly actions: ActionTimeline;
  readonly drainer: Drainer;
  readonly upgrades: NodePoolUpgrades;
  readonly budgets: DisruptionBudgets;
  readonly garbageCollector: GarbageCollector;
  readonly namespaceController: NamespaceController;
  /** Services, EndpointSlices, kube-proxy and request load (issue 11); undefined without Services. */
  readonly services: ServicesRun | undefined;
  /** Instance groups, cloud-controller-manager, Cluster Autoscaler (issue 12); undefined without a cloud. */
  readonly cloud: CloudRun | undefined;
  private finished = false;

  constructor(
    readonly spec: ClusterSpec,
    options: RunOptions = {},
  ) {
    const sim = (this.sim = new Simulation(spec.seed));
    this.pools = new GroupRatios("pool", spec.nodes.map((n) => n.pool));
    this.zones = new GroupRatios("zone", spec.nodes.map((n) => n.zone ?? ""));
    const cluster = (this.cluster = new ClusterState(sim, spec.nodes, spec.templates));
    const cpSpec = spec.controlPlane;
    this.experiment = cpSpec?.experiment ? raftElectionExperiment(spec.seed, cpSpec.experiment) : undefined;
    // The cloud-controller-manager, when the scenario has one, leader-elects on its own lease (issue 12).
    const ccmElection = { cloudControllerManager: spec.cloud?.ccm !== undefined };
    const cp = (this.controlPlane = cpSpec && !cpSpec.experiment ? new ControlPlane(sim, cpSpec, spec.nodes.length, cluster.events, spec.sampleIntervalUs, spec.durationUs, ccmElection) : undefined);
    const kcm = spec.controllerManager;
    const kcmClient = { qps: kcm.kubeApiQps, burst: kcm.kubeApiBurst };
    // Without a control plane the controllers' creates go through the fixed-latency API and
    // kube-controller-manager's client rate limit, with a lease always held.
    const fixedApi = cp ? undefined : new FixedLatencyApi(sim, spec.scheduler.apiWriteLatencyUs);
    const kcmApi = cp ? cp.api : fixedApi!;
    const kcmLease = cp ? cp.controllerManager : ALWAYS_LEADING;
    this.creates = new ApiPodCreates(sim, cluster, kcmApi, kcmLease, replicaSetItems(spec.deployments).count, kcmClient, REPLICASET_CREATES);
    this.replicaSets = new ReplicaSetController(sim, cluster, spec.deployments, this.creates);
    // The DaemonSet controller creates through its own client (with a control plane).
    const daemonCreates = new ApiPodCreates(sim, cluster, kcmApi, kcmLease, spec.daemonSets.length, kcmClient, DAEMONSET_CREATES);
    this.daemonSets = new DaemonSetController(cluster, spec.daemonSets, daemonCreates);
    const stsCreates = new ApiPodCreates(sim, cluster, kcmApi, kcmLease, spec.statefulSets.length, kcmClient, STATEFULSET_CREATES);
    this.statefulSets = new StatefulSetController(cluster, spec.statefulSets, stsCreates);
    const jobCreates = new ApiPodCreates(sim, cluster, kcmApi, kcmLease, spec.jobs.length, kcmClient, JOB_CREATES);
    this.jobs = new JobController(sim, cluster, spec.jobs, jobCreates);
    const controlled = [...this.replicaSets.workloads(), ...this.daemonSets.workloads(), ...this.statefulSets.workloads()];
    const workloads = (this.workloads = new WorkloadStatus({ owner: (p) => cluster.pods.owner[p], terminating: (p) => cluster.pods.deletionUs[p] >= 0 }, [...controlled, ...this.jobs.workloads()]));
    cluster.onPodCreated.push((p) => workloads.created(p));
    cluster.onPodAvailability.push((p, available) => workloads.availability(p, available));
    cluster.onPodDeleting.push((p) => workloads.deleting(p));
    cluster.onPodEnded.push((p) => workloads.ended(p));
    this.user = new UserClient(sim, cluster, cp?.api);
    const arrivals = new ArrivalGenerators(sim, cluster, spec.arrivals, this.user);
    const api = (this.api = cp ? cp.api : fixedApi!);
    const kubeletApi = cp ? cp.kubeletApi : new KubeletApi(sim, api, spec.nodes.length);
    const leases = cp ? cp.nodeLeases : new NodeLeases(sim, kubeletApi, sim.rng.stream("kubelet.nodeLease"), spec.nodes.length, NODE_LEASE_RENEW_INTERVAL_US);
    leases.renewed = (i) => i < spec.nodes.length && cluster.renewLease(i);
    const nodeStatus = new NodeStatusLoops(sim, cluster, kubeletApi, sim.rng.stream("kubelet.nodeStatus"));
    // kube-controller-manager's node controllers, each with its own client.
    const client = (name: string) => new ControllerClient(sim, api, cp?.controllerManager, name, kcmClient);
    this.nodeLifecycle = new NodeLifecycleController(sim, cluster, client("node-lifecycle-controller"), {
      config: kcm.nodeLifecycle,
      zoneOfNode: spec.nodes.map((n) => n.zone ?? ""),
      excludedFromDisruption: spec.nodes.map((n) => LABEL_EXCLUDE_DISRUPTION in n.labels),
    });
    this.taintEviction = new TaintEvictionController(sim, cluster, client("taint-eviction-controller"), spec.nodes.map((n) => n.taints), spec.templates);
    this.podGC = new PodGCController(sim, cluster, client("pod-garbage-collector"), { terminatedPodThreshold: kcm.terminatedPodGcThreshold });
    // The disruption controller's view, for the eviction API and preemption: a pod's controller scale by owner.
    const scale = new Map([...this.replicaSets.workloads(), ...this.daemonSets.workloads(), ...this.statefulSets.workloads()].map((w) => [w.owner, w.desired]));
    const budgets = (this.budgets = new DisruptionBudgets(cluster, spec.pdbs, spec.templates, (owner) => scale.get(owner)?.()));
    // workload_summary.csv: told of every change after the counts it reads (workloads.csv's, the PDBs') are updated.
    const summary = (this.workloadSummary = new WorkloadSummary(() => sim.now, workloads.workloads, workloads.workloads.map((_, k) => k < controlled.length), (k) => workloads.available(k), budgets));
    const podChanged = (p: number) => summary.podChanged(workloads.slot(p), cluster.pods.template[p]);
    cluster.onPodCreated.push(podChanged);
    cluster.onPodAvailability.push(podChanged);
    cluster.onPodEnded.push(podChanged);
    cluster.onNodeChanged.push(() => summary.nodesChanged());
    cluster.onNodeDeleted.push(() => summary.nodesChanged());
    // Rows: Deployments, then DaemonSets, then StatefulSets (then Jobs).
    const statefulSetRow0 = spec.deployments.length + spec.daemonSets.length;
    this.replicaSets.workloadChanged = (d) => summary.workloadChanged(d);
    this.statefulSets.workloadChanged = (k) => summary.workloadChanged(statefulSetRow0 + k);
    const ctx: RunContext = { sim, spec, cluster, controlPlane: cp, disruptionsAllowed: (i) => budgets.status(i).disruptionsAllowed };
    for (const factory of options.components ?? DEFAULT_COMPONENTS) {
      const c = factory(ctx);
      if (c) this.components.push(c);
    }
    this.status = cp ? new PodStatusReporter(sim, cluster, kubeletApi) : undefined;
    this.kubelets = new Kubelets(sim, cluster, spec.templates, { podStartupDelay: spec.podStartupDelay, containerStopTime: spec.containerStopTime, containerRuntime: spec.containerRuntime }, {
      api: kubeletApi,
      admission: new KubeletAdmission(cluster, spec.templates, spec.nodes),
      leases,
      nodeStatus,
      status: this.status,
    });
    const faults = (this.faults = new NodeFaultTimeline(sim, cluster, this.kubelets, spec.faults, (zone, isolated) => cp?.faults.isolateZone(zone, isolated)));
    faults.onFirstFault.push(() => (this.replicaSets.followReplacementsFromUs = sim.now));
    // kubectl drain (operators' drains and the cloud's upgrades) through the eviction API.
    this.drainer = new Drainer(sim, cluster, (pod) => this.budgets.evict(pod));
    const kubelets = this.kubelets;
    this.upgrades = new NodePoolUpgrades(sim, cluster, this.drainer, {
      provision: (node) => kubelets.provision(node),
      deprovision: (node) => {
        kubelets.deprovision(node);
        cluster.deleteNode(node);
      },
    }, cluster.outcomes.id(OUTCOME_DRAINED));
    // kubectl delete of workloads and namespaces: the garbage collector and the namespace controller.
    if (cp) cp.api.namespaces = cluster.namespaces;
    else fixedApi!.admitCreate = (ns) => cluster.namespaces.admitCreate(ns);
    this.garbageCollector = new GarbageCollector(sim, cluster);
    const deletable = [...this.replicaSets.deletable(), ...this.statefulSets.deletable(), ...this.daemonSets.deletable(), ...this.jobs.deletable()];
    this.namespaceController = new NamespaceController(sim, cluster, this.garbageCollector, deletable, spec.templates);
    const actions = (this.actions = new ActionTimeline(sim, cluster, this.replicaSets, this.statefulSets, this.daemonSets, spec.actions, this.drainer, this.upgrades, this.namespaceController, (o) => {
      // NamespaceLifecycle: nothing is created in a namespace being deleted (or gone)
      const admitted = (namespace: string, what: string) => {
        const status = cluster.namespaces.admitCreate(cluster.namespaces.id(namespace));
        if (status !== 0) cluster.events.add(sim.now, "ApplyRefused", what, `unable to create new content in namespace ${namespace} because it is being terminated (${status})`);
        return status === 0;
      };
      for (const i of o.pdbs) if (admitted(spec.pdbs[i].namespace, `poddisruptionbudget/${spec.pdbs[i].name}`)) this.budgets.create(i);
      for (const i of o.deployments) if (admitted(spec.deployments[i].namespace, `deployment/${spec.deployments[i].name}`)) this.replicaSets.create(i);
      for (const i of o.statefulSets) if (admitted(spec.statefulSets[i].namespace, `statefulset/${spec.statefulSets[i].name}`)) this.statefulSets.create(i);
      for (const i of o.daemonSets) if (admitted(spec.daemonSets[i].namespace, `daemonset/${spec.daemonSets[i].name}`)) this.daemonSets.create(i);
      for (const i of o.jobs) if (admitted(spec.jobs[i].namespace, `job/${spec.jobs[i].name}`)) this.jobs.create(i);
      for (const i of o.pods) this.user.createPod(spec.pods[i].name, spec.pods[i].namespace, spec.pods[i].template, -1, spec.pods[i].activeDeadlineUs);
    }));
    this.sampleId = sim.on("metrics.sample", () => this.sample());
    // Start-up order: bare Pods, then Deployments' replicas, then the timelines.
    // The first sample runs after everything created at t=0 was scheduled.
    for (const p of spec.pods) if (p.startUs === undefined) this.user.createPod(p.name, p.namespace, p.template, -1, p.activeDeadlineUs);
    // A cluster export's controller-owned pods exist before their controllers start (issue 12).
    if (spec.adoptedPods) createAdoptedPods(cluster, spec, spec.adoptedPods);
    this.replicaSets.start();
    this.daemonSets.start();
    this.statefulSets.start();
    this.jobs.start();
    arrivals.start();
    faults.start();
    actions.start();
    nodeStatus.startRegistered();
    if (cp) cp.start();
    else leases.start();
    // Machines provisioned later have no kubelet yet.
    spec.nodes.forEach((n, i) => n.provisionLater && leases.stop(i));
    this.nodeLifecycle.start();
    this.taintEviction.start();
    this.podGC.start();
    // PoissonArrivals pods are deleted when they complete, and a deleted Job's pods go with
    // it: not terminated objects for PodGC (registered after PodGC's own listener).
    const arrivalOwners = new Set(cluster.owners.flatMap((name, owner) => (name.startsWith("PoissonArrivals/") ? [owner] : [])));
    cluster.onPodEnded.push((pod) => {
      if (arrivalOwners.has(cluster.pods.owner[pod])) this.podGC.forgetTerminated(pod);
    });
    this.jobs.podObjectRemoved = (pod) => this.podGC.forgetTerminated(pod);
    // --- Services (issue 11): the EndpointSlice controller, kube-proxy on every node, request load ---
    if ((spec.services ?? []).length > 0) {
      const k = this.kubelets;
      const services = (this.services = new ServicesRun({
        sim,
        cluster,
        templates: spec.templates,
        services: spec.services!,
        kubeProxy: spec.kubeProxy,
        loads: spec.requestLoads ?? [],
        client: client("endpointslice-controller"),
        machines: { count: spec.nodes.length, crashed: (n) => k.nodeCrashed(n), cutOff: (n) => k.nodeCutOff(n) },
        serving: (pod) => k.prober.appServing(pod),
        sampleIntervalUs: spec.sampleIntervalUs,
        durationUs: spec.durationUs,
      }));
      k.onNodeFaultChanged.push((n) => services.nodeChanged(n));
      services.start();
    }
    // --- the cloud (issue 12): machines, cloud-controller-manager, Cluster Autoscaler ---
    if (spec.cloud) {
      const k = this.kubelets;
      const b = this.budgets;
      const cloud = (this.cloud = new CloudRun({
        sim,
        cluster,
        spec: spec.cloud,
        provision: (node) => k.provision(node),
        deprovision: (node) => k.deprovision(node),
        api,
        ccmLease: cp?.cloudControllerManager,
        services: spec.services && { specs: spec.services, nodes: spec.nodes, machines: { crashed: (n) => k.nodeCrashed(n), cutOff: (n) => k.nodeCutOff(n), toBeDeleted: (n) => (cluster.nodes.lifecycleTaints[n] & LifecycleTaint.ToBeDeleted) !== 0 } },
        autoscaler: {
          nodes: spec.nodes,
          simulation: new SchedulerSimulation(cluster, spec.nodes, spec.templates, spec.namespaces, spec.scheduler.config, spec.daemonSets),
          drain: (node, o) => this.drainer.drain(node, o),
          drainOutcome: cluster.outcomes.id(OUTCOME_DRAINED),
          isDaemonSetPod: (pod) => cluster.owners[cluster.pods.owner[pod]]?.startsWith("DaemonSet/") === true,
          guardsOf: (t) => b.guardsOf(t),
          disruptionsAllowed: (i) => b.status(i).disruptionsAllowed,
        },
      }));
      if (this.services && cloud.loadBalancers) this.services.requests.ingress = cloud.loadBalancers;
      cloud.start();
    }
    for (const c of this.components) c.start?.();
    sim.scheduleAt(0, this.sampleId);
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
    const collect = (out: { tables?: Table[]; summary?: SummaryRow[] } | undefined) => {
      if (out?.tables) tables.push(...out.tables);
      if (out?.summary) extraSummary.push(...out.summary);
    };
    collect(this.experiment?.finish?.());
    collect(this.controlPlane?.finish(this.sim.now));
    for (const comp of this.components) collect(comp.finish?.());
    collect(this.services?.finish());
    collect({ summary: this.podApiSummary() });
    collect({ summary: this.kubelets.prober.summary() }); // probes (kubelet/probes): rows only for runs with a probe
    if (this.spec.actions.some((x) => x.type === "delete-namespace")) collect({ summary: [{ metric: "pod_creates_refused_namespace_lifecycle", value: c.namespaces.refusedTotal }] });
    collect({ summary: this.kubelets.runtime?.summary() });
    collect({ summary: this.cloud?.summary() }); // the cloud (issue 12): rows only for runs with one
    const nodeFailures = c.events.rows.filter((e) => e.kind === "NodeFailure").length;
    const pods = podRows(c.pods, c.nodes, c.owners, c.outcomes, {
      schedulerNames: this.spec.templates.map((t) => t.pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME),
      lastSchedulingFailure: c.lastSchedulingFailure,
      startupExcludedUs: this.kubelets.runtime?.sloExcludedUs,
      runningAtStart: c.runningAtStart, // a cluster export's adopted pods (issue 12)
    });
    const summary = summarize({
      nodes: c.nodes.count,
      simDurationUs: this.spec.durationUs,
      counters: c.counters,
      latency: c.schedulingLatency,
      timeseries: this.timeseries,
      nodeFailures,
      eventsProcessed: this.sim.eventsRun,
      startup: startupSummary(pods),
    });
    const workloadSummary = this.workloadSummary.rows();
    summary.push({ metric: "deployment_unavailable_max_s", value: this.replicaSets.maxUnavailableUs / US_PER_S }, ...this.workloadFigures(workloadSummary), ...this.faultSummary(), ...this.nodeControllerSummary(), ...this.jobSummary(), ...this.drainSummary(), ...extraSummary);
    return {
      timeseries: this.timeseries,
      pools: this.pools.rows,
      zones: this.zones.rows,
      nodes: c.nodeTransitions.rows,
      workloads: this.workloads.rows,
      workloadSummary,
      pods,
      events: c.events.rows,
      summary,
      tables,
      counts: { nodes: c.nodes.count, pods: c.pods.count, events: c.events.rows.length, simEvents: this.sim.eventsRun },
    };
  }

  /**
   * Over all Deployments, DaemonSets and StatefulSets (rows only in runs with one): the
   * longest completed rollout (only in runs with a rollout action; -1 when none completed)
   * and the most time one spent below its desired available count.
   */
  private workloadFigures(rows: readonly WorkloadSummaryRow[]): SummaryRow[] {
    if (rows.length === 0) return [];
    const out: SummaryRow[] = [];
    if (this.spec.actions.some((a) => a.type === "rollout")) {
      const longest = rows.map((r) => r.rollout_duration_max_s ?? -1);
      out.push({ metric: "rollout_duration_max_s", value: Math.max(-1, ...longest) });
    }
    out.push({ metric: "workload_below_desired_max_s", value: Math.max(...rows.map((r) => r.below_desired_s)) });
    return out;
  }

  /**
   * The first node fault's timeline (rows only for runs with a node fault): from the
   * fault to the first node leaving Ready, to the first and the last eviction, and to
   * the last replacement pod Running (when every replacement created since runs).
   */
  private faultSummary(): SummaryRow[] {
    const t0 = this.faults.firstFaultUs;
    if (t0 < 0) return [];
    const c = this.cluster;
    const since = (us: number) => (us < 0 ? -1 : (us - t0) / US_PER_S);
    const notReady = c.nodeTransitions.rows.find((r) => r.kind === "condition" && r.from === "True" && r.sim_time_s * US_PER_S >= t0);
    const rs = this.replicaSets;
    return [
      { metric: "fault_to_node_not_ready_s", value: notReady ? since(notReady.sim_time_s * US_PER_S) : -1 },
      { metric: "fault_to_first_eviction_s", value: since(c.firstEvictionUs) },
      { metric: "fault_to_last_eviction_s", value: since(c.lastEvictionUs) },
      { metric: "fault_replacement_pods", value: rs.replacementsCreated },
      { metric: "fault_replacement_pods_not_running_at_end", value: rs.replacementsNotRunning },
      { metric: "fault_to_replacements_running_s", value: rs.replacementsCreated > 0 && rs.replacementsNotRunning === 0 ? since(rs.lastReplacementRunningUs) : -1 },
    ];
  }

  /** Drains and node-pool upgrades (rows only for runs with such actions): how many finished and the longest. */
  private drainSummary(): SummaryRow[] {
    const drains = this.spec.actions.filter((a) => a.type === "drain").length;
    const upgrades = this.spec.actions.filter((a) => a.type === "node-pool-upgrade").length;
    if (drains + upgrades === 0) return [];
    const s = this.drainer.completedSeconds;
    const rows: SummaryRow[] = [
      { metric: "drains_completed", value: s.length },
      { metric: "drain_duration_max_s", value: s.length > 0 ? Math.max(...s) : -1 },
      { metric: "evictions_refused_by_pdb", value: this.budgets.refused },
    ];
    if (this.spec.actions.some((a) => a.type === "drain" && (a.timeoutUs ?? -1) >= 0) || upgrades > 0) {
      rows.push({ metric: "drains_timed_out", value: this.drainer.timedOut }, { metric: "pods_deleted_at_drain_timeout", value: this.drainer.forcedDeletions });
    }
    if (upgrades > 0) {
      const u = this.upgrades.completedSeconds;
      rows.push(
        { metric: "node_pool_upgrades_completed", value: u.length },
        { metric: "node_pool_upgrade_duration_max_s", value: u.length === upgrades ? Math.max(...u) : -1 },
      );
    }
    return rows;
  }

  /** The Jobs' outcome (rows only for runs with Jobs): how many finished, and when the last one did. */
  private jobSummary(): SummaryRow[] {
    if (this.spec.jobs.length === 0) return [];
    const c = this.jobs.counts();
    const done = this.jobs.durations.filter((d) => d.status === "Complete").map((d) => d.finishedS);
    return [
      { metric: "jobs", value: this.spec.jobs.length },
      { metric: "jobs_complete", value: c.complete },
      { metric: "jobs_failed", value: c.failed },
      { metric: "jobs_running_at_end", value: c.running },
      { metric: "jobs_all_complete_s", value: c.complete === this.spec.jobs.length ? Math.max(...done) : -1 },
    ];
  }

  /** What the kubelets and kube-controller-manager's node controllers did. */
  private nodeControllerSummary(): SummaryRow[] {
    const nlc = this.nodeLifecycle;
    return [
      { metric: "nodes_marked_unknown", value: nlc.nodesMarkedUnknown },
      { metric: "pods_marked_not_ready", value: nlc.podsMarkedNotReady },
      { metric: "noexecute_taints_added", value: nlc.evictions },
      { metric: "pods_evicted", value: this.cluster.counters.evicted },
      { metric: "pods_terminating_at_end", value: this.cluster.counters.terminating },
      { metric: "podgc_deleted_orphaned", value: this.podGC.orphanedDeleted },
      { metric: "podgc_deleted_terminated", value: this.podGC.terminatedDeleted },
      { metric: "container_restarts", value: this.kubelets.restarts },
      { metric: "pods_rejected_by_kubelet", value: this.kubelets.rejected },
    ];
  }

  /** Pod writes as API requests: only where there are some (scenarios without workloads keep their summary). */
  private podApiSummary(): SummaryRow[] {
    const s = this.spec;
    if (!this.controlPlane || s.deployments.length + s.daemonSets.length + s.statefulSets.length + s.jobs.length + s.arrivals.length + s.pods.length === 0) return [];
    return [
      { metric: "pod_create_failures", value: (this.creates?.failures ?? 0) + this.user.failures },
      { metric: "pod_creates_pending_at_end", value: (this.creates?.pending ?? 0) + this.user.pending },
      { metric: "pod_status_updates", value: this.status?.updates ?? 0 },
      { metric: "pod_status_update_failures", value: this.status?.failures ?? 0 },
    ];
  }

  private sample(): void {
    this.timeseries.push(sampleCluster(this.sim.now, this.cluster.nodes, this.cluster.counters));
    this.pools.sample(this.sim.now, this.cluster.nodes);
    this.cloud?.annotatePools(this.pools.rows); // the cloud (issue 12): machines and cost per pool
    this.zones.sample(this.sim.now, this.cluster.nodes);
    this.workloads.sample(this.sim.now);
    // Chained, so the calendar holds one sample event however long the run.
    const next = this.sim.now + this.spec.sampleIntervalUs;
    if (next <= this.spec.durationUs) this.sim.scheduleAt(next, this.sampleId);
  }
}

/** Run a cluster spec to the end. */
export function runCluster(spec: ClusterSpec, options: RunOptions = {}): RunResult {
  return new ClusterRun(spec, options).finish();
}
