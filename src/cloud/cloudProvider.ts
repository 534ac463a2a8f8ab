/**
 * The cloud's machines (issue 12): each node pool is an instance group whose node rows
 * are its possible machines. A create request boots a machine after the group's
 * provisioning delay (its kubelet then starts and registers the Node); with the group's
 * launchFailureProbability it never boots (the instance stays in creating, as a VM stuck
 * on a zone out of capacity: the Cluster Autoscaler gives up on it after
 * max-node-provision-time). A delete stops the machine at once.
 *
 * Billing [kubesim choice]: a machine is billed from its create request until it is
 * deleted (clouds bill from boot start; the few seconds between are not modelled); a
 * launch that never booted is not billed.
 */
import { US_PER_S, type Simulation } from "../engine/simulation.js";
import { distribution, type Distribution } from "../engine/distribution.js";
import type { RandomStream } from "../engine/random.js";
import type { InstanceGroupSpec } from "./spec.js";

/** What a machine's life does to the node: its kubelet starts, or the VM is gone. */
export interface MachineHooks {
  booted(node: number): void;
  deleted(node: number): void;
}

export const enum MachineState {
  /** No instance (never created, or deleted). */
  None = 0,
  /** Create requested, not booted yet (or never will: a launch failure). */
  Creating = 1,
  Running = 2,
}

const US_PER_HOUR = 3600 * US_PER_S;

export class CloudProvider {
  /** Per node row: MachineState. */
  readonly state: Uint8Array;
  /** Per node row: its group, -1 for none. */
  readonly groupOf: Int32Array;
  /** Per node row: when the create was requested (us), -1 when none. */
  readonly createdUs: Float64Array;
  /** Per node row: 1 when this create will never boot. */
  private readonly failing: Uint8Array;
  /** Per node row: generation of its machine, so a boot of a deleted machine does nothing. */
  private readonly generation: Int32Array;
  /** Per group: machine-microseconds billed so far by deleted machines. */
  private readonly billedUs: number[];
  private readonly delay: Distribution[];
  private readonly delayStream: RandomStream;
  private readonly failStream: RandomStream;
  private readonly hBooted: number;
  /** Machine creates that never booted. */
  launchFailures = 0;

  constructor(
    private readonly sim: Simulation,
    readonly groups: readonly InstanceGroupSpec[],
    nodeCount: number,
    private readonly hooks: MachineHooks,
  ) {
    this.state = new Uint8Array(nodeCount);
    this.groupOf = new Int32Array(nodeCount).fill(-1);
    this.createdUs = new Float64Array(nodeCount).fill(-1);
    this.failing = new Uint8Array(nodeCount);
    this.generation = new Int32Array(nodeCount);
    this.billedUs = groups.map(() => 0);
    groups.forEach((g, gi) =>
      g.nodes.forEach((n, k) => {
        this.groupOf[n] = gi;
        if (k < g.initialSize) {
          this.state[n] = MachineState.Running;
          this.createdUs[n] = 0;
        }
      }),
    );
    this.delay = groups.map((g) => distribution(g.provisioningDelay));
    this.delayStream = sim.rng.stream("cloud.provisioningDelay");
    this.failStream = sim.rng.stream("cloud.launchFailure");
    this.hBooted = sim.on("cloud.instanceBooted", (node, gen) => this.booted(node, gen));
  }

  /** Machines of group g that exist or are being created (the group's target size). */
  targetSize(g: number): number {
    let n = 0;
    for (const row of this.groups[g].nodes) if (this.state[row] !== MachineState.None) n++;
    return n;
  }

  /** Create up to `delta` machines in group g (the lowest free rows); returns the rows. */
  increaseSize(g: number, delta: number): number[] {
    const out: number[] = [];
    for (const row of this.groups[g].nodes) {
      if (out.length === delta) break;
      if (this.state[row] !== MachineState.None) continue;
      this.state[row] = MachineState.Creating;
      this.createdUs[row] = this.sim.now;
      const gen = ++this.generation[row];
      const fails = this.failStream.next() < this.groups[g].launchFailureProbability;
      this.failing[row] = fails ? 1 : 0;
      const delayS = Math.max(0, this.delay[g].sample(this.delayStream));
      if (fails) this.launchFailures++;
      else this.sim.schedule(Math.round(delayS * US_PER_S), this.hBooted, row, gen);
      out.push(row);
    }
    return out;
  }

  /** Delete the machine of `node` (running or still creating). */
  deleteMachine(node: number): void {
    const st = this.state[node];
    if (st === MachineState.None) return;
    const g = this.groupOf[node];
    if (this.failing[node] === 0) this.billedUs[g] += this.sim.now - this.createdUs[node];
    this.state[node] = MachineState.None;
    this.generation[node]++;
    this.createdUs[node] = -1;
    if (st === MachineState.Running) this.hooks.deleted(node);
  }

  /** InstanceExists (cloudprovider.InstancesV2): the VM exists, running or being created. */
  instanceExists(node: number): boolean {
    return this.state[node] !== MachineState.None;
  }

  /** Machine-hours of group g up to now (deleted machines and those still billed). */
  machineHours(g: number): number {
    let us = this.billedUs[g];
    for (const row of this.groups[g].nodes) if (this.state[row] !== MachineState.None && this.failing[row] === 0) us += this.sim.now - this.createdUs[row];
    return us / US_PER_HOUR;
  }

  /** Machines of group g being billed now. */
  billedMachines(g: number): number {
    let n = 0;
    for (const row of this.groups[g].nodes) if (this.state[row] !== MachineState.None && this.failing[row] === 0) n++;
    return n;
  }

  private booted(node: number, gen: number): void {
    if (gen !== this.generation[node] || this.state[node] !== MachineState.Creating) return;
    this.state[node] = MachineState.Running;
    this.hooks.booted(node);
  }
}
