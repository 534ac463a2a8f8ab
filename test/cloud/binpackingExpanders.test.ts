/**
 * The Cluster Autoscaler's first-fit-decreasing estimate and its expanders, against
 * hand computations. The estimate runs on a resource-only stand-in for the scheduling
 * simulation (the whole runs in autoscaler.test.ts use kube-scheduler's filters).
 */
import { describe, expect, it } from "vitest";
import { decreasing, estimate, type PendingPod } from "../../src/cloud/autoscaler/binpacking.js";
import { expand, wasteScore, type ExpansionOption } from "../../src/cloud/autoscaler/expanders.js";
import type { SchedulingSimulation } from "../../src/cloud/autoscaler/simulation.js";
import { RandomStreams } from "../../src/engine/random.js";
import { goDuration } from "../../src/cloud/autoscaler/clusterAutoscaler.js";

/** Nodes of `cpuMilli` cpu; a template's request is its cpu. */
class CpuOnly implements SchedulingSimulation {
  free: number[] = [];
  excluded = new Set<number>();
  constructor(private readonly cpuMilli: number, private readonly request: (template: number) => number) {}
  reset(): void {
    this.free = [];
  }
  addTemplateNode(): number {
    this.free.push(this.cpuMilli);
    return this.free.length - 1;
  }
  firstFit(template: number, candidates: readonly number[]): number {
    return candidates.find((n) => !this.excluded.has(n) && this.free[n] >= this.request(template)) ?? -1;
  }
  place(template: number, node: number): number {
    this.free[node] -= this.request(template);
    return 0;
  }
  reasons(): string[] {
    return ["Insufficient cpu"];
  }
  remove(): void {}
  simPodOf(): number {
    return -1;
  }
  exclude(node: number): void {
    this.excluded.add(node);
  }
}

const pods = (cpus: number[]): PendingPod[] => cpus.map((c, i) => ({ pod: i, template: c, cpuMilli: c, memoryBytes: 0 }));

describe("the binpacking estimate", () => {
  it("first-fit decreasing by hand: 1, 3, 2, 2, 1.5, 0.5 cpu on 4-cpu nodes need 3 nodes", () => {
    // Decreasing: 3, 2, 2, 1.5, 1, 0.5. n1: 3 (1 left); 2 -> n2 (2 left); 2 -> n2 (0); 1.5 -> n3 (2.5);
    // 1 -> n1 (0); 0.5 -> n3 (2).
    const sim = new CpuOnly(4000, (t) => t);
    const e = estimate(sim, pods([1000, 3000, 2000, 2000, 1500, 500]), 0, 4000, 0, 10);
    expect(e.nodes).toBe(3);
    expect(sim.free).toEqual([0, 0, 2000]);
    expect(e.pods.map((p) => p.cpuMilli)).toEqual([3000, 2000, 2000, 1500, 1000, 500]);
  });

  it("decreasing order where first-fit in arrival order needs more: 2, 2, 1, 1, 3, 3 cpu on 4-cpu nodes: FFD 3 nodes (first fit in this order 4)", () => {
    // FFD: 3 -> n1, 3 -> n2, 2 -> n3, 2 -> n3, 1 -> n1, 1 -> n2. In arrival order: 2,2 -> n1; 1,1 -> n2; 3 -> n3; 3 -> n4.
    const sim = new CpuOnly(4000, (t) => t);
    expect(estimate(sim, pods([2000, 2000, 1000, 1000, 3000, 3000]), 0, 4000, 0, 10).nodes).toBe(3);
    expect(sim.free).toEqual([0, 0, 0]);
  });

  it("stops at the group's room, and pods larger than a template node help nothing", () => {
    const sim = new CpuOnly(4000, (t) => t);
    const e = estimate(sim, pods([3000, 3000, 3000, 5000]), 0, 4000, 0, 2);
    expect(e.nodes).toBe(2);
    expect(e.pods.map((p) => p.cpuMilli)).toEqual([3000, 3000]);
    expect([...e.rejected]).toEqual([[3, ["Insufficient cpu"]]]);
  });

  it("DecreasingPodOrderer scores cpu share plus memory share of the template", () => {
    const order = decreasing([{ pod: 0, template: 0, cpuMilli: 1000, memoryBytes: 8 }, { pod: 1, template: 0, cpuMilli: 2000, memoryBytes: 1 }], 4000, 16);
    // pod 0: 0.25 + 0.5 = 0.75; pod 1: 0.5 + 0.0625 = 0.5625
    expect(order.map((p) => p.pod)).toEqual([0, 1]);
  });
});

describe("the expanders", () => {
  const GiB = 2 ** 30;
  // A: 2 nodes of 4 cpu / 16Gi for 4 pods (6 cpu, 8Gi): waste (8-6)/8 + (32-8)/32 = 0.25 + 0.75 = 1.0, $0.05 per pod-hour.
  const a: ExpansionOption = { group: 0, nodes: 2, pods: 4, cpuRequestedMilli: 6000, memRequestedBytes: 8 * GiB, cpuAllocMilli: 4000, memAllocBytes: 16 * GiB, pricePerHour: 0.1, priority: 0 };
  // B: 1 node of 8 cpu / 16Gi for 3 pods (6 cpu, 8Gi): waste 0.25 + 0.5 = 0.75, $0.10 per pod-hour.
  const b: ExpansionOption = { group: 1, nodes: 1, pods: 3, cpuRequestedMilli: 6000, memRequestedBytes: 8 * GiB, cpuAllocMilli: 8000, memAllocBytes: 16 * GiB, pricePerHour: 0.3, priority: 10 };
  const rng = () => new RandomStreams(1).stream("test");

  it("least-waste, most-pods, price and priority pick as computed by hand", () => {
    expect(wasteScore(a)).toBeCloseTo(1.0, 12);
    expect(wasteScore(b)).toBeCloseTo(0.75, 12);
    expect(expand("least-waste", [a, b], rng())!.group).toBe(1);
    expect(expand("most-pods", [a, b], rng())!.group).toBe(0);
    expect(expand("price", [a, b], rng())!.group).toBe(0);
    expect(expand("priority", [a, b], rng())!.group).toBe(1);
  });

  it("random picks each option, and breaks the others' ties", () => {
    const r = rng();
    const picks = new Set(Array.from({ length: 50 }, () => expand("random", [a, b], r)!.group));
    expect(picks).toEqual(new Set([0, 1]));
    const tie = { ...a, group: 2 };
    const tied = new Set(Array.from({ length: 50 }, () => expand("least-waste", [a, tie], r)!.group));
    expect(tied).toEqual(new Set([0, 2]));
    expect(expand("random", [], r)).toBeUndefined();
  });
});

describe("Go's duration text", () => {
  it("prints as time.Duration.String() does for whole and fractional seconds", () => {
    expect(goDuration(900e6)).toBe("15m0s");
    expect(goDuration(3610.5e6)).toBe("1h0m10.5s");
    expect(goDuration(42e6)).toBe("42s");
    expect(goDuration(0)).toBe("0s");
  });
});
