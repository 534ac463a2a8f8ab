/**
 * Control-plane faults on the scenario timeline: host loss and recovery, etcd member
 * loss, killing the current etcd leader, partitions (symmetric groups, one-way cuts,
 * isolating a host or a zone), slow disks, and loss of an API server process.
 *
 * A host is named by its topology name (control-plane-0, etcd-1, node-0) or by a role
 * resolved when the fault fires: `etcd-leader` (the host of the etcd leader),
 * `kube-scheduler-leader`, `kube-controller-manager-leader`, `cloud-controller-manager-leader`.
 */
import type { Simulation } from "../engine/simulation.js";
import type { Disks } from "../infra/disk.js";
import type { KubeApi } from "../apiserver/kubeApi.js";
import type { LeaderElection } from "../client/leaderElection.js";
import type { ControlPlaneMetrics } from "../apiserver/metrics.js";
import type { Network } from "../infra/network.js";
import type { HostStates, Topology } from "../infra/topology.js";

/** cloud-controller-manager-leader resolves to no host (nothing lost) in a run without a CCM. */
export const ROLE_TARGETS = ["etcd-leader", "kube-scheduler-leader", "kube-controller-manager-leader", "cloud-controller-manager-leader"] as const;

export type ControlPlaneFault =
  | { type: "host-loss"; atUs: number; host: string; recoverAfterUs: number }
  | { type: "host-recovery"; atUs: number; host: string }
  | { type: "etcd-member-loss"; atUs: number; member: string; recoverAfterUs: number }
  | { type: "etcd-leader-kill"; atUs: number; recoverAfterUs: number }
  | { type: "partition"; atUs: number; groups: string[][]; healAfterUs: number }
  | { type: "one-way-partition"; atUs: number; from: string[]; to: string[]; healAfterUs: number }
  | { type: "isolate-host"; atUs: number; host: string; healAfterUs: number }
  | { type: "isolate-zone"; atUs: number; zone: string; healAfterUs: number }
  | { type: "heal"; atUs: number }
  | { type: "slow-disk"; atUs: number; host: string; factor: number; durationUs: number }
  | { type: "apiserver-loss"; atUs: number; host: string; recoverAfterUs: number };

export const FAULT_TYPES = [
  "host-loss",
  "host-recovery",
  "etcd-member-loss",
  "etcd-leader-kill",
  "partition",
  "one-way-partition",
  "isolate-host",
  "isolate-zone",
  "heal",
  "slow-disk",
  "apiserver-loss",
] as const;

/** The etcd operations faults need (EtcdCluster has them). */
export interface EtcdFaultApi {
  readonly size: number;
  memberHost(member: number): number;
  memberIndex(name: string): number;
  memberName(member: number): string;
  isUp(member: number): boolean;
  leader(): number;
  crash(member: number): void;
  restart(member: number): void;
}

/** Everything a fault can touch. */
export interface ControlPlaneParts {
  sim: Simulation;
  topology: Topology;
  hosts: HostStates;
  network: Network;
  disks: Disks;
  etcd: EtcdFaultApi;
  api: KubeApi;
  elections: LeaderElection[];
  metrics: ControlPlaneMetrics;
}

const FIRE = 0;
const UNDO = 1;

export class ControlPlaneFaults {
  private readonly handler: number;
  /** Hosts/members a fault actually hit, resolved when it fired (for its undo). */
  private readonly hit = new Map<number, number[]>();

  constructor(
    private readonly p: ControlPlaneParts,
    readonly faults: readonly ControlPlaneFault[],
  ) {
    this.handler = p.sim.on("controlplane.fault", (i, phase) => (phase === FIRE ? this.fire(i) : this.undo(i)));
  }

  start(): void {
    this.faults.forEach((f, i) => this.p.sim.scheduleAt(f.atUs, this.handler, i, FIRE));
  }

  /** Host index of a name or role; -1 when the role has no holder now. */
  resolveHost(name: string): number {
    const p = this.p;
    if (name === "etcd-leader") {
      const l = p.etcd.leader();
      return l < 0 ? -1 : p.etcd.memberHost(l);
    }
    for (const le of p.elections) {
      if (name === `${le.component}-leader`) {
        const c = le.leader();
        return c < 0 ? -1 : p.topology.apiserverHosts[c];
      }
    }
    return p.hosts.hostIndex(name);
  }

  private fire(i: number): void {
    const f = this.faults[i];
    const p = this.p;
    const log = (msg: string) => p.metrics.event(p.sim.now, "ControlPlaneFault", `fault/${i}`, `${f.type}: ${msg}`);
    switch (f.type) {
      case "host-loss": {
        const h = this.resolveHost(f.host);
        if (h < 0) return log(`no host is ${f.host} now; nothing lost`);
        this.hit.set(i, [h]);
        this.hostDown(h);
        log(`host ${p.topology.hosts[h].name} lost`);
        if (f.recoverAfterUs >= 0) p.sim.schedule(f.recoverAfterUs, this.handler, i, UNDO);
        return;
      }
      case "host-recovery": {
        const h = this.resolveHost(f.host);
        if (h >= 0) this.hostUp(h);
        return log(`host ${f.host} recovered`);
      }
      case "etcd-member-loss": {
        const m = f.member === "leader" ? p.etcd.leader() : p.etcd.memberIndex(f.member);
        if (m < 0 || !p.etcd.isUp(m)) return log(`member ${f.member} not running; nothing lost`);
        this.hit.set(i, [m]);
        p.etcd.crash(m);
        log(`etcd member ${p.etcd.memberName(m)} lost`);
        if (f.recoverAfterUs >= 0) p.sim.schedule(f.recoverAfterUs, this.handler, i, UNDO);
        return;
      }
      case "etcd-leader-kill": {
        const m = p.etcd.leader();
        if (m < 0) return log("no etcd leader to kill");
        this.hit.set(i, [m]);
        p.etcd.crash(m);
        log(`etcd leader ${p.etcd.memberName(m)} killed`);
        if (f.recoverAfterUs >= 0) p.sim.schedule(f.recoverAfterUs, this.handler, i, UNDO);
        return;
      }
      case "partition": {
        const groups = f.groups.map((g) => g.map((n) => this.resolveHost(n)).filter((h) => h >= 0));
        p.network.partition(groups);
        log(groups.map((g) => `[${g.map((h) => p.topology.hosts[h].name).join(" ")}]`).join(" | "));
        if (f.healAfterUs >= 0) p.sim.schedule(f.healAfterUs, this.handler, i, UNDO);
        return;
      }
      case "one-way-partition": {
        const from = f.from.map((n) => this.resolveHost(n)).filter((h) => h >= 0);
        const to = f.to.map((n) => this.resolveHost(n)).filter((h) => h >= 0);
        for (const a of from) for (const b of to) p.network.cut(a, b);
        log(`${f.from.join(",")} -/-> ${f.to.join(",")}`);
        if (f.healAfterUs >= 0) p.sim.schedule(f.healAfterUs, this.handler, i, UNDO);
        return;
      }
      case "isolate-host": {
        const h = this.resolveHost(f.host);
        if (h < 0) return log(`no host is ${f.host} now`);
        this.hit.set(i, [h]);
        p.network.isolate(h);
        p.hosts.isolated[h] = 1;
        log(`host ${p.topology.hosts[h].name} isolated`);
        if (f.healAfterUs >= 0) p.sim.schedule(f.healAfterUs, this.handler, i, UNDO);
        return;
      }
      case "isolate-zone": {
        const hs = p.topology.hosts.flatMap((h, k) => (h.zone === f.zone ? [k] : []));
        this.hit.set(i, hs);
        p.network.isolateSet(hs);
        for (const h of hs) p.hosts.isolated[h] = 1;
        log(`zone ${f.zone} isolated (${hs.length} hosts)`);
        if (f.healAfterUs >= 0) p.sim.schedule(f.healAfterUs, this.handler, i, UNDO);
        return;
      }
      case "heal":
        this.healAll();
        return log("all partitions healed");
      case "slow-disk": {
        const h = this.resolveHost(f.host);
        if (h < 0) return log(`no host is ${f.host} now`);
        this.hit.set(i, [h]);
        p.disks.setSlow(h, f.factor);
        log(`disk of ${p.topology.hosts[h].name} ${f.factor}x slower`);
        p.sim.schedule(f.durationUs, this.handler, i, UNDO);
        return;
      }
      case "apiserver-loss": {
        const h = this.resolveHost(f.host);
        const s = p.topology.apiserverHosts.indexOf(h);
        if (s < 0) return log(`no API server on ${f.host}`);
        this.hit.set(i, [s]);
        p.hosts.apiserverUp[s] = 0;
        p.api.serverDied(s);
        log(`kube-apiserver on ${p.topology.hosts[h].name} lost`);
        if (f.recoverAfterUs >= 0) p.sim.schedule(f.recoverAfterUs, this.handler, i, UNDO);
        return;
      }
    }
  }

  private undo(i: number): void {
    const f = this.faults[i];
    const p = this.p;
    const hit = this.hit.get(i) ?? [];
    const log = (msg: string) => p.metrics.event(p.sim.now, "ControlPlaneRecovery", `fault/${i}`, `${f.type}: ${msg}`);
    switch (f.type) {
      case "host-loss":
        for (const h of hit) this.hostUp(h);
        return log(`host ${hit.map((h) => p.topology.hosts[h].name).join(",")} back`);
      case "etcd-member-loss":
      case "etcd-leader-kill":
        for (const m of hit) if (!p.etcd.isUp(m) && p.hosts.up[p.etcd.memberHost(m)]) p.etcd.restart(m);
        return log(`etcd member ${hit.map((m) => p.etcd.memberName(m)).join(",")} restarted`);
      case "partition":
      case "one-way-partition":
      case "isolate-host":
      case "isolate-zone":
        this.healAll();
        return log("healed");
      case "slow-disk":
        for (const h of hit) p.disks.clearSlow(h);
        return log("disk back to normal");
      case "apiserver-loss":
        for (const s of hit) p.hosts.apiserverUp[s] = 1;
        return log("kube-apiserver back");
      default:
        return;
    }
  }

  /**
   * A node fault's zone outage with `controlPlane: true`: the zone's control-plane hosts
   * are isolated (as `isolate-zone`), and healed with the outage's recovery (every
   * partition at once, as `heal`).
   */
  isolateZone(zone: string, isolated: boolean): void {
    const p = this.p;
    if (!isolated) {
      this.healAll();
      p.metrics.event(p.sim.now, "ControlPlaneRecovery", `zone/${zone}`, "zone-outage: healed");
      return;
    }
    const hs = p.topology.hosts.flatMap((h, k) => (h.zone === zone ? [k] : []));
    p.network.isolateSet(hs);
    for (const h of hs) p.hosts.isolated[h] = 1;
    p.metrics.event(p.sim.now, "ControlPlaneFault", `zone/${zone}`, `zone-outage: zone ${zone} isolated (${hs.length} control-plane hosts)`);
  }

  /** Simplification: healing removes every partition at once (as `heal` does). */
  private healAll(): void {
    this.p.network.heal();
    this.p.hosts.isolated.fill(0);
  }

  /** A host goes down: everything on it stops. */
  hostDown(h: number): void {
    const p = this.p;
    if (!p.hosts.up[h]) return;
    p.hosts.up[h] = 0;
    p.topology.apiserverHosts.forEach((host, s) => {
      if (host === h) p.api.serverDied(s);
    });
    for (let m = 0; m < p.etcd.size; m++) if (p.etcd.memberHost(m) === h && p.etcd.isUp(m)) p.etcd.crash(m);
    p.topology.apiserverHosts.forEach((host, c) => {
      if (host === h) for (const le of p.elections) le.stop(c);
    });
  }

  /** A host comes back: its etcd member restarts from disk, its components start. */
  hostUp(h: number): void {
    const p = this.p;
    if (p.hosts.up[h]) return;
    p.hosts.up[h] = 1;
    for (let m = 0; m < p.etcd.size; m++) if (p.etcd.memberHost(m) === h && !p.etcd.isUp(m)) p.etcd.restart(m);
    p.topology.apiserverHosts.forEach((host, c) => {
      if (host === h) for (const le of p.elections) le.start(c);
    });
  }
}
