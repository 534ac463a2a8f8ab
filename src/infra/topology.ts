/**
 * Control-plane topologies, built from the scenario's `controlPlane` section: which
 * hosts exist, in which zone and region, what runs on each (kube-apiserver,
 * kube-scheduler, kube-controller-manager, an etcd member, worker kubelets), and which
 * etcd members each API server talks to.
 *
 * - single-node: one host runs everything, including the workloads;
 * - single-control-plane: one control-plane host (with its etcd member) + workers;
 * - stacked: n control-plane hosts, each with an etcd member; each kube-apiserver
 *   talks only to the member on its own host (kubeadm: --etcd-servers=https://127.0.0.1:2379);
 * - external-etcd: n control-plane hosts and m etcd hosts; each kube-apiserver lists
 *   every member (kubeadm: comma-joined endpoints) and fails over between them.
 * (kubernetes/website docs/setup/production-environment/tools/kubeadm/ha-topology.md)
 */

export type TopologyKind = "single-node" | "single-control-plane" | "stacked" | "external-etcd";
export const TOPOLOGY_KINDS: readonly TopologyKind[] = ["single-node", "single-control-plane", "stacked", "external-etcd"];

export interface HostSpec {
  name: string;
  zone: string;
  region: string;
  controlPlane: boolean;
  etcd: boolean;
  /** Runs kubelet + workloads (only the single-node topology's host, besides node pools). */
  worker: boolean;
}

export interface TopologyInput {
  kind: TopologyKind;
  /** Control-plane hosts (stacked, external-etcd). Ignored for the single topologies. */
  controlPlaneHosts: number;
  /** etcd hosts (external-etcd only). */
  etcdHosts: number;
  /** Zones to spread hosts over, round robin. */
  zones: string[];
  /** Region of each zone (same length as zones); defaults to one region. */
  regions: string[];
}

export interface Topology {
  kind: TopologyKind;
  hosts: HostSpec[];
  /** Host of each kube-apiserver (also of kube-scheduler and kube-controller-manager). */
  apiserverHosts: number[];
  /** Host of each etcd member. */
  etcdHosts: number[];
  /** For each API server, the etcd members it may use (--etcd-servers), in order. */
  etcdEndpoints: number[][];
}

export function buildTopology(t: TopologyInput): Topology {
  const zones = t.zones.length > 0 ? t.zones : ["zone-a"];
  const regionOf = (z: number) => t.regions[z] ?? t.regions[0] ?? "region-1";
  const hosts: HostSpec[] = [];
  const add = (name: string, i: number, controlPlane: boolean, etcd: boolean, worker: boolean) => {
    const z = i % zones.length;
    hosts.push({ name, zone: zones[z], region: regionOf(z), controlPlane, etcd, worker });
    return hosts.length - 1;
  };
  const apiserverHosts: number[] = [];
  const etcdHosts: number[] = [];
  const etcdEndpoints: number[][] = [];
  switch (t.kind) {
    case "single-node": {
      const h = add("node-0", 0, true, true, true);
      apiserverHosts.push(h);
      etcdHosts.push(h);
      etcdEndpoints.push([0]);
      break;
    }
    case "single-control-plane": {
      const h = add("control-plane-0", 0, true, true, false);
      apiserverHosts.push(h);
      etcdHosts.push(h);
      etcdEndpoints.push([0]);
      break;
    }
    case "stacked": {
      for (let i = 0; i < t.controlPlaneHosts; i++) {
        const h = add(`control-plane-${i}`, i, true, true, false);
        apiserverHosts.push(h);
        etcdHosts.push(h);
        etcdEndpoints.push([i]);
      }
      break;
    }
    case "external-etcd": {
      for (let i = 0; i < t.controlPlaneHosts; i++) apiserverHosts.push(add(`control-plane-${i}`, i, true, false, false));
      for (let i = 0; i < t.etcdHosts; i++) etcdHosts.push(add(`etcd-${i}`, i, false, true, false));
      const all = etcdHosts.map((_, m) => m);
      // Each API server starts from a different endpoint so load spreads (the etcd
      // client balances over its endpoint list).
      for (let i = 0; i < t.controlPlaneHosts; i++) etcdEndpoints.push(all.map((_, k) => (i + k) % all.length));
      break;
    }
  }
  return { kind: t.kind, hosts, apiserverHosts, etcdHosts, etcdEndpoints };
}

/** Runtime state of the hosts: up/down, isolated from everything, API server process up. */
export class HostStates {
  readonly up: Uint8Array;
  /** Isolated hosts reach nobody and nobody reaches them (fault "isolate-host/zone"). */
  readonly isolated: Uint8Array;
  /** kube-apiserver process up, per API server (an "apiserver-loss" kills only the process). */
  readonly apiserverUp: Uint8Array;

  constructor(readonly topology: Topology) {
    this.up = new Uint8Array(topology.hosts.length).fill(1);
    this.isolated = new Uint8Array(topology.hosts.length);
    this.apiserverUp = new Uint8Array(topology.apiserverHosts.length).fill(1);
  }

  hostIndex(name: string): number {
    return this.topology.hosts.findIndex((h) => h.name === name);
  }

  /** An API server answers connections: its host is up and not isolated, its process runs. */
  apiserverServing(server: number): boolean {
    const h = this.topology.apiserverHosts[server];
    return this.up[h] === 1 && this.isolated[h] === 0 && this.apiserverUp[server] === 1;
  }
}
