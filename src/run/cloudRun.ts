/**
 * The cloud of one run (issue 12), wired from the spec's `cloud`: the instance groups'
 * machines, the cloud-controller-manager's node controllers (each with its own client at
 * the CCM's rate limits, acting while some CCM instance holds the CCM's own lease,
 * kube-system/cloud-controller-manager), the Cluster Autoscaler, and the cost rows of
 * summary.csv.
 */
import type { Simulation } from "../engine/simulation.js";
import type { ClusterState } from "../apiserver/clusterState.js";
import type { SummaryRow } from "../metrics/summary.js";
import type { PoolRatioRow } from "../metrics/groupRatios.js";
import { LifecycleTaint } from "../model/nodeTable.js";
import { CloudProvider } from "../cloud/cloudProvider.js";
import { CloudNodeController } from "../cloud/ccm/cloudNodeController.js";
import { CloudNodeLifecycleController } from "../cloud/ccm/cloudNodeLifecycleController.js";
import { ClusterAutoscaler, type AutoscalerParts } from "../cloud/autoscaler/clusterAutoscaler.js";
import type { CloudSpec } from "../cloud/spec.js";
import { ControllerClient } from "../controllers/controllerClient.js";
import type { ApiPort } from "../apiserver/apiPort.js";
import type { LeaderElection } from "../client/leaderElection.js";
import { ZoneCapacityTimeline } from "./zoneCapacityTimeline.js";
import { CloudLoadBalancers, type BackendMachines } from "../cloud/loadBalancers.js";
import { ServiceController, excludedFromLoadBalancers } from "../cloud/ccm/serviceController.js";
import type { ServiceSpec } from "../apiserver/endpointSlices.js";
import type { NodeSpec } from "../model/nodeSpec.js";
import { EXCLUDE_FROM_LOAD_BALANCERS_LABEL } from "../cloud/ccm/defaults.js";

export interface CloudRunParts {
  sim: Simulation;
  cluster: ClusterState;
  spec: CloudSpec;
  /** The kubelet of a booted machine starts; a deleted machine stops for good. */
  provision(node: number): void;
  deprovision(node: number): void;
  /** The API the CCM's controllers talk to (the control plane's, or the fixed-latency one). */
  api: ApiPort;
  /** The CCM's leader election; undefined without a control plane (a lease always held). */
  ccmLease: LeaderElection | undefined;
  /** What the Cluster Autoscaler needs of the rest of the run (scheduler simulation, drain, PDBs). */
  autoscaler?: Omit<AutoscalerParts, "cloud">;
  /** The scenario's Services (a load balancer for each of type LoadBalancer) and the nodes' machines. */
  services?: { specs: readonly ServiceSpec[]; nodes: readonly NodeSpec[]; machines: BackendMachines };
}

export class CloudRun {
  readonly provider: CloudProvider;
  readonly nodeController: CloudNodeController | undefined;
  readonly lifecycle: CloudNodeLifecycleController | undefined;
  readonly autoscaler: ClusterAutoscaler | undefined;
  readonly zoneCapacity: ZoneCapacityTimeline | undefined;
  readonly loadBalancers: CloudLoadBalancers | undefined;
  readonly serviceController: ServiceController | undefined;

  constructor(private readonly p: CloudRunParts) {
    const { sim, cluster, spec } = p;
    const ccm = spec.ccm;
    this.provider = new CloudProvider(sim, spec.groups, cluster.nodes.count, {
      booted: (node) => {
        // A new machine in a row used before: its Node is a new object, not cordoned.
        cluster.setUnschedulable(node, false);
        p.provision(node);
      },
      deleted: (node) => {
        p.deprovision(node);
        // Without a cloud-controller-manager nobody else would delete the Node object.
        if (!ccm) cluster.deleteNode(node);
      },
    });
    if (ccm) {
      // kubelet --cloud-provider=external: Nodes register with the uninitialized taint.
      cluster.registrationTaints |= LifecycleTaint.Uninitialized;
      // Each CCM controller gets its own clientset (ClientBuilder.ClientOrDie), so its own token bucket.
      const client = (name: string) => new ControllerClient(sim, p.api, p.ccmLease, name, { qps: ccm.kubeApiQps, burst: ccm.kubeApiBurst });
      this.nodeController = new CloudNodeController(sim, cluster, client("cloud-node-controller"));
      this.lifecycle = new CloudNodeLifecycleController(sim, cluster, client("cloud-node-lifecycle-controller"), (n) => this.provider.instanceExists(n), ccm.nodeMonitorPeriodUs);
      const svc = p.services;
      if (svc && svc.specs.some((x) => x.loadBalancer)) {
        this.loadBalancers = new CloudLoadBalancers(sim, ccm.loadBalancers, svc.specs.length, cluster.nodes.count, svc.machines);
        const excluded = Uint8Array.from(svc.nodes, (n) => (excludedFromLoadBalancers(n.labels[EXCLUDE_FROM_LOAD_BALANCERS_LABEL]) ? 1 : 0));
        this.serviceController = new ServiceController(sim, cluster, client("service-controller"), svc.specs, this.loadBalancers, excluded);
      }
    }
    if (spec.zoneCapacityFaults) this.zoneCapacity = new ZoneCapacityTimeline(sim, cluster.events, this.provider, spec.zoneCapacityFaults);
    if (spec.autoscaler && p.autoscaler) this.autoscaler = new ClusterAutoscaler(sim, cluster, spec.autoscaler, { ...p.autoscaler, cloud: this.provider });
  }

  start(): void {
    this.zoneCapacity?.start();
    this.lifecycle?.start();
    this.serviceController?.start();
    this.autoscaler?.start();
  }

  /** pools.csv of a cloud run: the sample's rows (the last ones) get each pool's machines and cost so far. */
  annotatePools(rows: PoolRatioRow[]): void {
    const groups = this.p.spec.groups;
    for (let k = Math.max(0, rows.length - groups.length); k < rows.length; k++) {
      const g = groups.findIndex((x) => x.pool === rows[k].pool);
      if (g < 0) continue;
      rows[k].nodes_provisioned = this.provider.billedMachines(g);
      rows[k].cost_total = this.provider.machineHours(g) * groups[g].pricePerHour;
    }
  }

  /** summary.csv: node-hours and cost per pool (pools with an instance type), the autoscaler's counts. */
  summary(): SummaryRow[] {
    const rows: SummaryRow[] = [];
    let cost = 0;
    this.p.spec.groups.forEach((g, i) => {
      const hours = this.provider.machineHours(i);
      cost += hours * g.pricePerHour;
      rows.push({ metric: `node_hours{pool=${g.pool}}`, value: hours }, { metric: `cost{pool=${g.pool}}`, value: hours * g.pricePerHour });
    });
    rows.push({ metric: "cost_total", value: cost }, { metric: "machine_launch_failures", value: this.provider.launchFailures });
    if (this.nodeController) rows.push({ metric: "ccm_nodes_initialized", value: this.nodeController.initialized }, { metric: "ccm_nodes_deleted", value: this.lifecycle!.deleted });
    if (this.serviceController) {
      rows.push(
        { metric: "ccm_load_balancers_created", value: this.loadBalancers!.created },
        { metric: "ccm_load_balancer_status_writes", value: this.serviceController.statusWrites },
        { metric: "ccm_load_balancer_backend_updates", value: this.serviceController.backendUpdates },
      );
    }
    if (this.autoscaler) rows.push(...this.autoscaler.summary());
    return rows;
  }
}
