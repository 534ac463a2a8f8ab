/**
 * The scheduling cycle: numFeasibleNodesToFind (upstream table), the rotating
 * nextStartNodeIndex, selectHost tie-breaking, record mode, the one-feasible-node
 * shortcut, PreScore Skip, weights, PostFilter diagnosis and the nominated-node path.
 */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { RandomStreams } from "../../src/engine/random.js";
import { SchedulingCycle, Profile, numFeasibleNodesToFind } from "../../src/scheduler/cycle.js";
import { Code, type CycleState, type FilterDiagnosis, type FilterPlugin, type PostFilterPlugin, type PreScorePlugin, type ScorePlugin, type StatusCode } from "../../src/scheduler/framework.js";
import { buildProfile, defaultProfileSpec } from "../../src/scheduler/registry.js";
import type { CompiledPod } from "../../src/scheduler/compiled.js";
import type { Snapshot } from "../../src/scheduler/snapshot.js";
import { cluster, pod, type NodeFixture } from "./helpers.js";

const uniformNodes = (n: number, extra: (i: number) => Partial<NodeFixture> = () => ({})): NodeFixture[] =>
  Array.from({ length: n }, (_, i) => ({ name: `n${String(i).padStart(4, "0")}`, cpu: "4", memory: "8Gi", ...extra(i) }));

const smallPod = () => pod({ containers: [{ cpu: "100m", memory: "100Mi" }] });

function cycleFor(snap: Snapshot, opts: { percentage?: number; tieBreak?: "first" | "reservoir"; seed?: number; profilePercentage?: number } = {}) {
  const spec = { ...defaultProfileSpec(), percentageOfNodesToScore: opts.profilePercentage };
  return new SchedulingCycle(buildProfile(spec, snap), snap, {
    percentageOfNodesToScore: opts.percentage,
    tieBreak: opts.tieBreak ?? "first",
    random: new RandomStreams(opts.seed ?? 1).stream("scheduler.selectHost"),
  });
}

describe("numFeasibleNodesToFind (upstream schedule_one_test.go table)", () => {
  test.each([
    [10, 0, 10],
    [10, 40, 10],
    [1000, 0, 420],
    [1000, 40, 400],
    [6000, 0, 300],
    [6000, 40, 2400],
  ])("%i nodes, percentageOfNodesToScore %i -> %i", (nodes, pct, want) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });

  test("adaptive percentage floors at 5% and the result at 100 nodes", () => {
    expect(numFeasibleNodesToFind(50_000, 0)).toBe(2500); // 50 - 400 -> 5%
    expect(numFeasibleNodesToFind(150, 0)).toBe(100); // 49% of 150 = 73 -> 100
    expect(numFeasibleNodesToFind(99, 0)).toBe(99);
  });

  test("the profile percentageOfNodesToScore overrides the global one", () => {
    const snap = cluster(uniformNodes(1000));
    expect(cycleFor(snap, { percentage: 40 }).scheduleOne(snap.compile(smallPod())).numNodesToFind).toBe(400);
    expect(cycleFor(snap, { percentage: 40, profilePercentage: 10 }).scheduleOne(snap.compile(smallPod())).numNodesToFind).toBe(100);
    expect(cycleFor(snap).scheduleOne(snap.compile(smallPod())).numNodesToFind).toBe(420);
  });
});

describe("the rotating start index", () => {
  test("advances by the nodes processed, modulo all nodes", () => {
    // 1000 nodes, 40% -> 400 feasible needed per cycle; nothing rejects.
    const snap = cluster(uniformNodes(1000));
    const c = cycleFor(snap, { percentage: 40 });
    const p = snap.compile(smallPod());
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      starts.push(c.nextStartNodeIndex);
      const r = c.scheduleOne(p);
      expect(r.evaluatedNodes).toBe(400);
    }
    expect(starts).toEqual([0, 400, 800, 200]);
    expect(c.nextStartNodeIndex).toBe(600);
  });

  test("rejected nodes count as processed; the search stops at the numNodesToFind-th feasible node", () => {
    // Nodes 0..9 and 500..509 are cordoned (rejected); 1000 nodes, 40% -> 400 to find.
    const snap = cluster(uniformNodes(1000, (i) => ({ unschedulable: i < 10 || (i >= 500 && i < 510) })));
    const c = cycleFor(snap, { percentage: 40 });
    const p = snap.compile(smallPod());
    let r = c.scheduleOne(p);
    // Positions 0..409: 10 rejected + 400 feasible.
    expect([r.feasibleNodes, r.evaluatedNodes, c.nextStartNodeIndex]).toEqual([400, 410, 410]);
    r = c.scheduleOne(p);
    // From 410: 90 feasible (410..499), 10 rejected (500..509), 310 feasible (510..819).
    expect([r.feasibleNodes, r.evaluatedNodes, c.nextStartNodeIndex]).toEqual([400, 410, 820]);
    r = c.scheduleOne(p);
    // From 820: 180 feasible to 999, wrap, 10 rejected (0..9), 220 feasible (10..229).
    expect([r.feasibleNodes, r.evaluatedNodes, c.nextStartNodeIndex]).toEqual([400, 410, 230]);
  });

  test("the chosen node is always one of the nodes searched this cycle", () => {
    const snap = cluster(uniformNodes(1000));
    const c = cycleFor(snap, { percentage: 10, tieBreak: "reservoir", seed: 7 });
    const p = snap.compile(smallPod());
    for (let i = 0; i < 20; i++) {
      const start = c.nextStartNodeIndex;
      const r = c.scheduleOne(p);
      const offset = (r.node - start + 1000) % 1000;
      expect(offset).toBeLessThan(100);
    }
  });
});

describe("selectHost", () => {
  test("ties are broken uniformly (seeded stream, chi-square test)", () => {
    const snap = cluster(uniformNodes(8));
    const c = cycleFor(snap, { tieBreak: "reservoir", seed: 12345 });
    const p = snap.compile(smallPod());
    const counts = new Array(8).fill(0);
    const trials = 16_000;
    for (let i = 0; i < trials; i++) counts[c.scheduleOne(p).node]++; // not assumed: the nodes stay tied
    const expected = trials / 8;
    const chi2 = counts.reduce((s, k) => s + (k - expected) ** 2 / expected, 0);
    // 7 degrees of freedom: P(chi2 > 24.32) = 0.001.
    expect(chi2).toBeLessThan(24.32);
    for (const k of counts) expect(Math.abs(k - expected) / expected).toBeLessThan(0.08);
  });

  test("the same seed gives the same choices", () => {
    const run = () => {
      const snap = cluster(uniformNodes(50));
      const c = cycleFor(snap, { tieBreak: "reservoir", seed: 99 });
      const p = snap.compile(smallPod());
      return Array.from({ length: 30 }, (_, i) => {
        const r = c.scheduleOne(p);
        c.assume(p, `p${i}`, r.node);
        return r.node;
      });
    };
    expect(run()).toEqual(run());
  });

  test("the highest total wins regardless of tie-break; 'first' picks the first tied node in search order", () => {
    // n0001 is bigger, so LeastAllocated and BalancedAllocation prefer it.
    const snap = cluster(uniformNodes(4, (i) => (i === 1 ? { cpu: "64", memory: "128Gi" } : {})));
    const p = snap.compile(smallPod());
    expect(cycleFor(snap, { tieBreak: "reservoir", seed: 3 }).scheduleOne(p).node).toBe(1);
    const snap2 = cluster(uniformNodes(4));
    const c2 = cycleFor(snap2, { tieBreak: "first" });
    c2.nextStartNodeIndex = 2;
    expect(c2.scheduleOne(snap2.compile(smallPod())).node).toBe(2);
  });
});

describe("record mode (kubesim explain)", () => {
  const nodeArb = fc.record({
    cpu: fc.integer({ min: 1, max: 16 }),
    memGi: fc.integer({ min: 1, max: 64 }),
    tainted: fc.boolean(),
    preferTaint: fc.boolean(),
    zone: fc.constantFrom("a", "b", "c"),
    load: fc.integer({ min: 0, max: 8 }),
  });
  test("chooses the same node as a normal cycle that scores every node with tie-break 'first'", () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 50, max: 3000 }), fc.boolean(), (nodes, cpuMilli, tolerates) => {
        const fixtures: NodeFixture[] = nodes.map((n, i) => ({
          name: `n${i}`,
          cpu: String(n.cpu),
          memory: `${n.memGi}Gi`,
          labels: { "topology.kubernetes.io/zone": n.zone },
          taints: [...(n.tainted ? [{ key: "dedicated", value: "x", effect: "NoSchedule" }] : []), ...(n.preferTaint ? [{ key: "soft", value: "y", effect: "PreferNoSchedule" }] : [])],
        }));
        const bound = nodes.flatMap((n, i) => Array.from({ length: n.load }, () => ({ nodeName: `n${i}`, containers: [{ cpu: "250m", memory: "512Mi" }] })));
        const snap = cluster(fixtures, bound);
        const incoming = snap.compile(
          pod({ containers: [{ cpu: `${cpuMilli}m`, memory: "1Gi" }], spec: tolerates ? { tolerations: [{ key: "dedicated", operator: "Exists" }] } : {} }),
        );
        const normal = cycleFor(snap, { percentage: 100, tieBreak: "first" }).scheduleOne(incoming);
        const normalNode = normal.node;
        const recorder = cycleFor(snap, { percentage: 100, tieBreak: "reservoir", seed: 5 });
        const rec = recorder.scheduleOne(incoming, -1, -1, true);
        expect(rec.node).toBe(normalNode);
        // Every node is explained; feasible ones carry scores and a total equal to the weighted sum.
        const explained = recorder.explainNodes();
        expect(explained.length).toBe(nodes.length);
        const weights: Record<string, number> = { TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 };
        for (const e of explained) {
          if (!e.feasible) {
            expect(e.reasons.length).toBeGreaterThan(0);
            continue;
          }
          const sum = Object.entries(e.scores).reduce((s, [name, v]) => s + weights[name] * v, 0);
          expect(e.total).toBe(sum);
        }
        if (normalNode >= 0) expect(explained[normalNode].total).toBe(Math.max(...explained.filter((e) => e.feasible).map((e) => e.total)));
      }),
      { numRuns: 60, seed: 2024 },
    );
  });

  test("records each rejected node's reasons with upstream strings", () => {
    const snap = cluster([
      { name: "small", cpu: "1", memory: "1Gi" },
      { name: "tainted", cpu: "8", memory: "8Gi", taints: [{ key: "k", value: "v", effect: "NoSchedule" }] },
      { name: "cordoned", cpu: "8", memory: "8Gi", unschedulable: true },
      { name: "ok", cpu: "8", memory: "8Gi" },
    ]);
    const c = cycleFor(snap);
    const r = c.scheduleOne(snap.compile(pod({ containers: [{ cpu: "2", memory: "2Gi" }] })), -1, -1, true);
    expect(snap.nodes.names[r.node]).toBe("ok");
    expect(c.explainNodes().map((e) => [e.name, e.feasible, e.reasons])).toEqual([
      ["small", false, ["Insufficient cpu", "Insufficient memory"]],
      ["tainted", false, ["node(s) had untolerated taint(s)"]],
      ["cordoned", false, ["node(s) were unschedulable"]],
      ["ok", true, []],
    ]);
  });
});

/** A spy score plugin (and filter) for testing the cycle's contract. */
class Spy implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly reasons = ["spy says no"];
  scoreCalls = 0;
  constructor(
    readonly name: string,
    private readonly rejects: Set<number> = new Set(),
    private readonly skip = false,
    private readonly scoreOf: (node: number) => number = () => 50,
  ) {}
  filter(_s: CycleState, _p: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void {
    for (let i = 0; i < count; i++) out[i] = this.rejects.has(nodes[i]) ? Code.Unschedulable : 0;
  }
  preScore(): StatusCode {
    return this.skip ? Code.Skip : Code.Success;
  }
  score(_s: CycleState, _p: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    this.scoreCalls++;
    for (let i = 0; i < count; i++) out[i] = this.scoreOf(nodes[i]);
    return Code.Success;
  }
}

const snapOf = (n: number) => cluster(uniformNodes(n));

describe("cycle contract", () => {
  test("exactly one feasible node is chosen without scoring", () => {
    const snap = snapOf(5);
    const spy = new Spy("Spy", new Set([0, 1, 3, 4]));
    const c = new SchedulingCycle(new Profile("t", [{ plugin: spy, weight: 1 }]), snap, { tieBreak: "first" });
    const r = c.scheduleOne(snap.compile(smallPod()));
    expect(r.node).toBe(2);
    expect(spy.scoreCalls).toBe(0);
  });

  test("PreScore Skip: the plugin's Score is not run and contributes 0", () => {
    const snap = snapOf(3);
    const skipped = new Spy("Skipped", new Set(), true, (n) => (n === 0 ? 100 : 0));
    const active = new Spy("Active", new Set(), false, (n) => (n === 2 ? 10 : 0));
    const c = new SchedulingCycle(new Profile("t", [{ plugin: skipped, weight: 5 }, { plugin: active, weight: 1 }]), snap, { tieBreak: "first" });
    const r = c.scheduleOne(snap.compile(smallPod()), -1, -1, true);
    expect(r.node).toBe(2);
    expect(skipped.scoreCalls).toBe(0);
    expect(c.explainNodes().map((e) => e.total)).toEqual([0, 0, 10]);
  });

  test("TotalScore is the weighted sum of normalized scores", () => {
    const snap = snapOf(3);
    const a = new Spy("A", new Set(), false, (n) => [10, 20, 30][n]);
    const b = new Spy("B", new Set(), false, (n) => [90, 40, 0][n]);
    const c = new SchedulingCycle(new Profile("t", [{ plugin: a, weight: 3 }, { plugin: b, weight: 2 }]), snap, { tieBreak: "first" });
    c.scheduleOne(snap.compile(smallPod()), -1, -1, true);
    expect(c.explainNodes().map((e) => e.total)).toEqual([3 * 10 + 2 * 90, 3 * 20 + 2 * 40, 3 * 30]);
  });

  test("an unwrapped (in-tree) plugin's score outside [0, 100] after normalization is an internal error with upstream's message", () => {
    // Custom plugins are checked by their wrapper (customPluginFailures.test.ts); an
    // in-tree plugin out of range is a kubesim bug: it stops the run, never a quiet Pending pod.
    const snap = snapOf(2);
    const bad = new Spy("Bad", new Set(), false, () => 101);
    const c = new SchedulingCycle(new Profile("t", [{ plugin: bad, weight: 1 }]), snap, { tieBreak: "first" });
    expect(() => c.scheduleOne(snap.compile(smallPod()))).toThrow('plugin "Bad" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
  });

  test("without Score plugins the search stops at the first feasible node", () => {
    const snap = snapOf(300);
    const f = new Spy("OnlyFilter", new Set([0, 1]));
    const prof = new Profile("t", [{ plugin: f, weight: 1 }], undefined, { score: [], preScore: [] });
    const c = new SchedulingCycle(prof, snap, { tieBreak: "first" });
    const r = c.scheduleOne(snap.compile(smallPod()));
    expect([r.numNodesToFind, r.node, r.evaluatedNodes, c.nextStartNodeIndex]).toEqual([1, 2, 3, 3]);
  });

  test("PostFilter gets per-node statuses when no node fits, and the failure message counts reasons", () => {
    const snap = cluster([
      { name: "a", cpu: "1", memory: "1Gi" },
      { name: "b", cpu: "1", memory: "1Gi" },
      { name: "c", cpu: "8", memory: "8Gi", taints: [{ key: "k", effect: "NoSchedule" }] },
    ]);
    const seen: [number, string, string[]][] = [];
    const pf: PostFilterPlugin = {
      name: "Recorder",
      postFilter(_s, _p, d: FilterDiagnosis) {
        const failed = new Int32Array(prof.plugins.length);
        for (let n = 0; n < d.nodeCount; n++) {
          const names = Array.from(failed.subarray(0, d.failedPlugins(n, failed)), (i) => prof.pluginName(i));
          seen.push([d.code(n), names.join(","), d.reasons(n)]);
        }
        return { code: Code.Success, nominatedNode: 1 };
      },
    };
    const base = buildProfile(defaultProfileSpec(), snap);
    const prof = new Profile("t", [...base.plugins.filter((e) => e.plugin.name !== "DefaultPreemption"), { plugin: pf, weight: 1 }]);
    const c = new SchedulingCycle(prof, snap, { tieBreak: "first" });
    const r = c.scheduleOne(snap.compile(pod({ containers: [{ cpu: "2", memory: "100Mi" }] })));
    // Every node is UnschedulableAndUnresolvable (2 cpu > 1 cpu allocatable; untolerated taint).
    expect(r.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(r.nominatedNode).toBe(1);
    expect(seen).toEqual([
      [Code.UnschedulableAndUnresolvable, "NodeResourcesFit", ["Insufficient cpu"]],
      [Code.UnschedulableAndUnresolvable, "NodeResourcesFit", ["Insufficient cpu"]],
      [Code.UnschedulableAndUnresolvable, "TaintToleration", ["node(s) had untolerated taint(s)"]],
    ]);
    expect(c.failureMessage()).toBe("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.");
    // Again: now every verdict comes from the memo, and the diagnosis must be the same.
    seen.length = 0;
    c.scheduleOne(snap.compile(pod({ containers: [{ cpu: "2", memory: "100Mi" }] })));
    expect(seen.map((x) => x[1])).toEqual(["NodeResourcesFit", "NodeResourcesFit", "TaintToleration"]);
    expect(c.failureMessage()).toBe("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.");
  });

  test("a nominated node that passes the filters is used without searching", () => {
    const snap = snapOf(500);
    const c = cycleFor(snap);
    const r = c.scheduleOne(snap.compile(smallPod()), -1, 321);
    expect([r.node, r.evaluatedNodes, c.nextStartNodeIndex]).toEqual([321, 1, 0]);
  });

  test("a PreFilterResult limits the search; excluded nodes are UnschedulableAndUnresolvable", () => {
    const snap = snapOf(10);
    const c = cycleFor(snap);
    const p = snap.compile(
      pod({ containers: [{ cpu: "100m" }], spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n0007"] }] }] } } } } }),
    );
    const r = c.scheduleOne(p, -1, -1, true);
    expect(snap.nodes.names[r.node]).toBe("n0007");
    expect(c.code(3)).toBe(Code.UnschedulableAndUnresolvable);
    expect(c.reasons(3)).toEqual(["node(s) didn't satisfy plugin(s) [NodeAffinity]"]);
  });
});

describe("Reserve (assume) and forget", () => {
  test("assume adds the pod's requests to the node; forget removes them", () => {
    const snap = snapOf(2);
    const c = cycleFor(snap);
    const p = snap.compile(pod({ containers: [{ cpu: "1500m", memory: "1Gi" }] }));
    const id = c.assume(p, "default/p", 1);
    expect([snap.nodes.cpuReq[1], snap.nodes.memReq[1], snap.nodes.podCount[1], snap.podAssumed[id]]).toEqual([1500, 1024 ** 3, 1, 1]);
    expect(c.bind(id)).toBe(Code.Success);
    expect(snap.podAssumed[id]).toBe(0);
    c.forget(id);
    expect([snap.nodes.cpuReq[1], snap.nodes.memReq[1], snap.nodes.podCount[1]]).toEqual([0, 0, 0]);
  });

  test("assumed pods are seen by the next cycle (a 4-cpu node takes two 1.5-cpu pods, not three)", () => {
    const snap = snapOf(1);
    const c = cycleFor(snap);
    const p = snap.compile(pod({ containers: [{ cpu: "1500m", memory: "1Gi" }] }));
    const placed = [0, 1, 2].map((i) => {
      const r = c.scheduleOne(p);
      if (r.code === Code.Success) c.assume(p, `p${i}`, r.node);
      return r.code;
    });
    expect(placed).toEqual([Code.Success, Code.Success, Code.Unschedulable]);
  });
});

describe("memoized node-local results", () => {
  test("give exactly the choices of unmemoized cycles through placements and removals (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), taint: fc.boolean(), cordon: fc.boolean() }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.record({ tpl: fc.integer({ min: 0, max: 3 }), remove: fc.boolean(), pick: fc.nat() }), { minLength: 1, maxLength: 80 }),
        (nodes, steps) => {
          const fixtures: NodeFixture[] = nodes.map((n, i) => ({
            name: `n${i}`,
            cpu: String(n.cpu),
            memory: "16Gi",
            unschedulable: n.cordon,
            taints: n.taint ? [{ key: "t", value: "v", effect: "NoSchedule" }] : [],
          }));
          const run = (memoize: boolean) => {
            const snap = cluster(fixtures);
            const cyc = new SchedulingCycle(buildProfile(defaultProfileSpec(), snap), snap, { tieBreak: "reservoir", random: new RandomStreams(11).stream("s"), memoize });
            const templates = [
              snap.compile(pod({ containers: [{ cpu: "500m", memory: "1Gi" }] })),
              snap.compile(pod({ containers: [{ cpu: "1500m" }], spec: { tolerations: [{ key: "t", operator: "Exists" }] } })),
              snap.compile(pod({ containers: [{}] })),
              snap.compile(pod({ containers: [{ cpu: "100m", memory: "6Gi" }], spec: { nodeSelector: { "kubernetes.io/os": "linux" } } })),
            ];
            const live: number[] = [];
            const out: number[] = [];
            for (const st of steps) {
              if (st.remove && live.length > 0) {
                snap.removePod(live.splice(st.pick % live.length, 1)[0]);
                out.push(-2);
                continue;
              }
              const p = templates[st.tpl];
              const r = cyc.scheduleOne(p);
              out.push(r.code === Code.Success ? r.node : -1);
              if (r.code === Code.Success) live.push(cyc.assume(p, "p", r.node));
            }
            return out;
          };
          expect(run(true)).toEqual(run(false));
        },
      ),
      { numRuns: 80, seed: 99 },
    );
  });
});
