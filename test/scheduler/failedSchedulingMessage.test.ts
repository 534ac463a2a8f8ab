/**
 * The FailedScheduling message the scheduler reports for a pod it could not place
 * (its SchedulerClient.failed hook; pods.csv's last_failed_scheduling_message), against
 * upstream's text: FitError.Error() in pkg/scheduler/framework/types.go,
 *
 *   "0/<nodes> nodes are available: <count> <reason>, ...." + " " + PostFilter message
 *
 * with the "<count> <reason>" strings sorted as strings, and DefaultPreemption's
 * PostFilter message "preemption: " + its own FitError over the dry run
 * (preemption.go Evaluator.Preempt): a node with no lower-priority pod is "No
 * preemption victims found for incoming pod", a node preemption cannot help
 * (UnschedulableAndUnresolvable) "Preemption is not helpful for scheduling", a node
 * where the pod does not fit even without its victims carries the rejecting filter's
 * reason. A successful preemption adds nothing. Messages as seen in real clusters, e.g.
 * "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available:
 * 3 No preemption victims found for incoming pod."
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RandomStreams } from "../../src/engine/random.js";
import { SchedulingCycle } from "../../src/scheduler/cycle.js";
import { Code } from "../../src/scheduler/framework.js";
import { buildProfile, defaultProfileSpec } from "../../src/scheduler/registry.js";
import type { Pod } from "../../src/model/types.js";
import { Simulation } from "../../src/engine/simulation.js";
import { buildRuntimes } from "../../src/scheduler/config/runtime.js";
import { defaultSchedulerConfiguration } from "../../src/scheduler/config/schedulerConfig.js";
import { fitErrorMessage } from "../../src/scheduler/fitError.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { snapshotFromObjects } from "../../src/scheduler/snapshot.js";
import { cluster, node, pod } from "./helpers.js";

/** Schedule `incoming` for 1 s of virtual time on `nodes` with `running` pods bound; the messages the scheduler reported, and where the pod went. */
function schedule(nodes: { name: string; cpu: string }[], running: { name: string; node: string; cpu: string; priority: number }[], incoming: Pod) {
  const snapshot = snapshotFromObjects({
    nodes: nodes.map((n) => node({ name: n.name, cpu: n.cpu, memory: "8Gi" })),
    pods: running.map((p) => pod({ name: p.name, nodeName: p.node, containers: [{ cpu: p.cpu, memory: "100Mi" }], spec: { priority: p.priority } })),
  });
  const sim = new Simulation(1);
  const runtimes = buildRuntimes(defaultSchedulerConfiguration(), snapshot, { random: sim.rng.stream("scheduler.selectHost") });
  const messages: string[] = [];
  let boundTo = "";
  const sched = new Scheduler(sim, snapshot, runtimes, {
    bound: (_p, n) => void (boundTo = snapshot.nodes.names[n]),
    failed: (_p, m) => void messages.push(m),
  });
  sched.addPod(0, snapshot.compile(incoming), "default/incoming");
  sim.run(1e6);
  return { messages, boundTo };
}

const incoming = (cpu: string, spec: Partial<NonNullable<Pod["spec"]>> = {}) => pod({ name: "incoming", containers: [{ cpu, memory: "100Mi" }], spec: { priority: 0, ...spec } });

describe("FitError text", () => {
  it("reason counts are sorted as strings, as upstream's sort.Strings does", () => {
    const reasons = new Map([
      ["Insufficient cpu", 2],
      ["node(s) had untolerated taint(s)", 10],
    ]);
    expect(fitErrorMessage(12, reasons)).toBe("0/12 nodes are available: 10 node(s) had untolerated taint(s), 2 Insufficient cpu.");
    expect(fitErrorMessage(12, reasons, "preemption: x.")).toBe("0/12 nodes are available: 10 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: x.");
  });
});

describe("the scheduler's FailedScheduling message", () => {
  it("no node fits and no pod has a lower priority: upstream's familiar text", () => {
    const r = schedule(
      [
        { name: "n1", cpu: "2" },
        { name: "n2", cpu: "2" },
      ],
      [
        { name: "a", node: "n1", cpu: "1500m", priority: 0 },
        { name: "b", node: "n2", cpu: "1500m", priority: 0 },
      ],
      incoming("1"),
    );
    expect(r.boundTo).toBe("");
    expect(r.messages[0]).toBe("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
  });

  it("more than a node's allocatable: preemption is not helpful on any node", () => {
    const r = schedule([{ name: "n1", cpu: "2" }], [], incoming("3"));
    expect(r.messages[0]).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  });

  it("mixed: nodes preemption cannot help and nodes without victims, counted per status", () => {
    // n0 has 500m allocatable (< 1 cpu: UnschedulableAndUnresolvable); n1, n2 are full of priority-0 pods.
    const r = schedule(
      [
        { name: "n0", cpu: "500m" },
        { name: "n1", cpu: "2" },
        { name: "n2", cpu: "2" },
      ],
      [
        { name: "a", node: "n1", cpu: "1500m", priority: 0 },
        { name: "b", node: "n2", cpu: "1500m", priority: 0 },
      ],
      incoming("1"),
    );
    expect(r.messages[0]).toBe(
      "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  it("a lower-priority pod whose eviction would not be enough: the filter's reason for that node", () => {
    // n1: 1500m of priority 10 stays, 100m of priority -5 could go; 1500 + 1000 > 2000 either way.
    const r = schedule(
      [{ name: "n1", cpu: "2" }],
      [
        { name: "keep", node: "n1", cpu: "1500m", priority: 10 },
        { name: "low", node: "n1", cpu: "100m", priority: -5 },
      ],
      incoming("1"),
    );
    expect(r.messages[0]).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.");
  });

  it("preemptionPolicy Never: the eligibility message", () => {
    const r = schedule([{ name: "n1", cpu: "2" }], [{ name: "low", node: "n1", cpu: "1500m", priority: -5 }], incoming("1", { preemptionPolicy: "Never" }));
    expect(r.messages[0]).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
  });

  it("a preemption under way: no preemption part (PostFilter succeeded)", () => {
    const r = schedule([{ name: "n1", cpu: "2" }], [{ name: "low", node: "n1", cpu: "1500m", priority: -5 }], incoming("1"));
    expect(r.messages[0]).toBe("0/1 nodes are available: 1 Insufficient cpu.");
  });
});

describe("the failure message counts every rejected node's own reasons", () => {
  it("equals the histogram of reasons(n) over the nodes not Success, cycle after cycle (property)", () => {
    // The message is built per (filter, verdict) group with a memo of the previous
    // failure; this recomputes it naively, node by node, from the per-node reasons.
    const nodeArb = fc.record({
      cpu: fc.constantFrom("500m", "1", "2"),
      memory: fc.constantFrom("512Mi", "1Gi", "2Gi"),
      gpu: fc.constantFrom(0, 1),
      tainted: fc.boolean(),
    });
    const podArb = fc.record({ cpu: fc.constantFrom("250m", "1", "3"), memory: fc.constantFrom("256Mi", "1Gi", "4Gi"), gpu: fc.constantFrom(0, 1, 2), pinTo: fc.option(fc.nat(7), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { minLength: 1, maxLength: 6 }), (nodes, pods) => {
        const snap = cluster(
          nodes.map((n, i) => ({ name: `n${i}`, cpu: n.cpu, memory: n.memory, scalars: (n.gpu ? { "example.com/gpu": n.gpu } : {}) as Record<string, number>, taints: n.tainted ? [{ key: "k", effect: "NoSchedule" }] : [] })),
        );
        const c = new SchedulingCycle(buildProfile(defaultProfileSpec(), snap), snap, { random: new RandomStreams(1).stream("t") });
        for (const p of pods) {
          const affinity =
            p.pinTo === undefined
              ? undefined
              : { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [`n${p.pinTo}`] }] }] } } };
          const requests: Record<string, string | number> = { cpu: p.cpu, memory: p.memory };
          if (p.gpu > 0) requests["example.com/gpu"] = p.gpu;
          const r = c.scheduleOne(snap.compile(pod({ containers: [requests], spec: affinity ? { affinity } : {} })));
          if (r.code === Code.Success) continue;
          const naive = new Map<string, number>();
          for (let n = 0; n < snap.nodes.count; n++) {
            if (c.code(n) === Code.Success) continue;
            for (const reason of c.reasons(n)) naive.set(reason, (naive.get(reason) ?? 0) + 1);
          }
          expect(c.failureMessage()).toBe(fitErrorMessage(snap.nodes.count, naive));
        }
      }),
      { numRuns: 150 },
    );
  });
});
