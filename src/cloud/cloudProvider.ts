/**
 * The cloud's machines (issue 12): each node pool is an instance group whose node rows
 * are its possible machines. A create request boots a machine after the group's
 * provisioning delay (its kubelet then starts and registers the Node). A create can fail:
 *
 * - at once, with a cloud error on the instance (cloudprovider.InstanceStatus with
 *   ErrorInfo, state still Creating): the machine's zone is out of capacity (fault
 *   zone-capacity-exhausted: OutOfResourcesErrorClass) or a draw of the group's
 *   launchFailureProbability (OtherErrorClass). The Cluster Autoscaler reads these at
 *   its next loop (createErrors) and deletes them;
 * - silently: with bootFailureProbability the machine never boots (a VM whose bootstrap
 *   fails): the autoscaler gives up on it after max-node-provision-time.
 * A delete stops the machine at once.
 *
 * Billing [kubesim choice]: a machine is billed from its create request until it is
 * deleted (clouds bill from boot start; the few seconds between are not modelled); a
 * create that failed or never booted is not billed.
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

/** cloudprovider.InstanceErrorClass: OutOfResourcesErrorClass = 1, OtherErrorClass = 99 (cloud_provider.go). */
export const enum InstanceErrorClass {
  None = 0,
  OutOfResources = 1,
  Other = 99,
}

/** A create error as a cloud provider reports it on the instance (cloudprovider.InstanceErrorInfo). */
export interface InstanceError {
  node: number;
  errorClass: InstanceErrorClass;
  /** Upstream's GCE provider codes (gce autoscaling_gce_client.go): ErrorCodeResourcePoolExhausted, ErrorCodeOther. */
  code: string;
  message: string;
}

/** GCE's codes as the autoscaler's GCE provider maps them (ZONE_RESOURCE_POOL_EXHAUSTED -> RESOURCE_POOL_EXHAUSTED). */
export const ERROR_CODE_RESOURCE_POOL_EXHAUSTED = "RESOURCE_POOL_EXHAUSTED";
export const ERROR_CODE_OTHER = "OTHER";

/** GCE's ZONE_RESOURCE_POOL_EXHAUSTED text (recalled), with the zone. */
export const zoneExhaustedMessage = (zone: string) => `The zone '${zone}' does not have enough resources available to fulfill the request. Try a different zone, or try again later.`;
/** [kubesim choice] The text of a launchFailureProbability draw. */
export const LAUNCH_FAILED_MESSAGE = "Instance creation failed";

const US_PER_HOUR = 3600 * US_PER_S;

export class CloudProvider {
  /** Per node row: MachineState. */
  readonly state: Uint8Array;
  /** Per node row: its group, -1 for none. */
  readonly groupOf: Int32Array;
  /** Per node row: when the create was requested (us), -1 when none. */
  readonly createdUs: Float64Array;
  /** Per node row: 1 when this create will never boot (a create error or a boot failure). */
  private readonly failing: Uint8Array;
  /** Per node row: the create's error class (InstanceErrorClass.None: none). */
  readonly createError: Uint8Array;
  /** Zones out of capacity: "zone" for every group, "zone/group" for one group -> how many faults hold it. */
  private readonly exhausted = new Map<string, number>();
  /** Per node row: generation of its machine, so a boot of a deleted machine does nothing. */
  private readonly generation: Int32Array;
  /** Per group: machine-microseconds billed so far by deleted machines. */
  private readonly billedUs: number[];
  private readonly delay: Distribution[];
  private readonly delayStream: RandomStream;
  private readonly failStream: RandomStream;
  private readonly bootFailStream: RandomStream;
  private readonly hBooted: number;
  /** Machine creates that never booted (create errors and boot failures). */
  launchFailures = 0;
  /** Of those, creates refused for a zone out of capacity. */
  capacityErrors = 0;

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
    this.createError = new Uint8Array(nodeCount);
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
    this.bootFailStream = sim.rng.stream("cloud.bootFailure");
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
      const delayS = Math.max(0, this.delay[g].sample(this.delayStream));
      const zone = this.groups[g].zones[this.groups[g].nodes.indexOf(row)];
      const noCapacity = zone !== "" && this.zoneExhausted(zone, g);
      const bootFails = this.groups[g].bootFailureProbability > 0 && this.bootFailStream.next() < this.groups[g].bootFailureProbability;
      this.createError[row] = noCapacity ? InstanceErrorClass.OutOfResources : fails ? InstanceErrorClass.Other : InstanceErrorClass.None;
      this.failing[row] = noCapacity || fails || bootFails ? 1 : 0;
      if (noCapacity) this.capacityErrors++;
      if (this.failing[row] === 1) this.launchFailures++;
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
    this.createError[node] = InstanceErrorClass.None;
    this.generation[node]++;
    this.createdUs[node] = -1;
    if (st === MachineState.Running) this.hooks.deleted(node);
  }

  /** Creates in `zone` (of group g only, or of every group when g < 0) fail from now until zoneRecovered. */
  exhaustZone(zone: string, g: number): void {
    const key = g < 0 ? zone : `${zone}/${g}`;
    this.exhausted.set(key, (this.exhausted.get(key) ?? 0) + 1);
  }

  zoneRecovered(zone: string, g: number): void {
    const key = g < 0 ? zone : `${zone}/${g}`;
    const k = (this.exhausted.get(key) ?? 0) - 1;
    if (k > 0) this.exhausted.set(key, k);
    else this.exhausted.delete(key);
  }

  /** Is `zone` out of capacity for group g's machines? */
  zoneExhausted(zone: string, g: number): boolean {
    return this.exhausted.size > 0 && (this.exhausted.has(zone) || this.exhausted.has(`${zone}/${g}`));
  }

  /**
   * Group g's instances in Creating with an error (NodeGroup.Nodes() with
   * InstanceStatus.ErrorInfo), in row order: what the autoscaler's clusterstate reads.
   */
  createErrors(g: number): InstanceError[] {
    const out: InstanceError[] = [];
    const group = this.groups[g];
    group.nodes.forEach((row, k) => {
      const c = this.createError[row];
      if (c === InstanceErrorClass.None || this.state[row] !== MachineState.Creating) return;
      if (c === InstanceErrorClass.OutOfResources) out.push({ node: row, errorClass: c, code: ERROR_CODE_RESOURCE_POOL_EXHAUSTED, message: zoneExhaustedMessage(group.zones[k]) });
      else out.push({ node: row, errorClass: c, code: ERROR_CODE_OTHER, message: LAUNCH_FAILED_MESSAGE });
    });
    return out;
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
