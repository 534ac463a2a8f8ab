/**
 * Properties of PodTopologySpread over sequences of placements (fast-check):
 *  - DoNotSchedule: placing each pod on any node the filter accepts never makes the
 *    skew (max - min matching pods over the domains) exceed maxSkew, and some node is
 *    always feasible (the least loaded domain always passes);
 *  - the incremental counters agree with a snapshot rebuilt from scratch after random
 *    adds, removals and pods turning terminating;
 *  - addPod followed by removePod (PreFilterExtensions) restores every verdict, and
 *    addPod gives the verdicts of a snapshot that really holds the pod.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Code, verdictCode } from "../../src/scheduler/framework.js";
import { Snapshot, snapshotFromObjects } from "../../src/scheduler/snapshot.js";
import { PodTopologySpread } from "../../src/scheduler/plugins/PodTopologySpread.js";
import type { Node, Pod } from "../../src/model/types.js";
import { newState } from "./interPodAffinity.harness.js";
import { denseAfter } from "../../src/scheduler/plugins/interpodaffinity/podGroups.js";
import { node, pod, sel, spread } from "./interPodAffinity.builders.js";

function zonedNodes(nodeCount: number, zoneCount: number): Node[] {
  return Array.from({ length: nodeCount }, (_, i) => node(`n${i}`, { zone: `z${i % zoneCount}`, "kubernetes.io/hostname": `n${i}` }));
}

function verdicts(plugin: PodTopologySpread, snapshot: Snapshot, incoming: Pod): number[] {
  const state = newState(snapshot);
  const p = snapshot.compile(incoming);
  const n = snapshot.nodeCount;
  const out = new Int32Array(n);
  if (plugin.preFilter(state, p) !== Code.Skip) plugin.filter(state, p, Int32Array.from({ length: n }, (_, i) => i), n, out);
  return Array.from(out, (v) => verdictCode(v));
}

// Counters start sparse and turn dense past denseAfter.domains: run every property with
// always-dense, converting-early and never-dense counters.
for (const domains of [0, 2, 1e9]) describe(`PodTopologySpread properties (counters dense after ${domains} domains)`, () => {
  const saved = denseAfter.domains;
  beforeAll(() => {
    denseAfter.domains = domains;
  });
  afterAll(() => {
    denseAfter.domains = saved;
  });

  it("DoNotSchedule placements never exceed maxSkew and always find a node", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }), // zones
        fc.integer({ min: 1, max: 4 }), // nodes per zone
        fc.integer({ min: 1, max: 3 }), // maxSkew
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), // which feasible node to take
        (zones, perZone, maxSkew, picks) => {
          const snapshot = snapshotFromObjects({ nodes: zonedNodes(zones * perZone, zones) });
          const plugin = new PodTopologySpread();
          const incoming = pod({ labels: { app: "web" }, spread: [spread(maxSkew, "zone", "DoNotSchedule", sel.labels({ app: "web" }))] });
          const template = snapshot.compile(incoming);
          const perZoneCount = new Array(zones).fill(0);
          for (const pick of picks) {
            const v = verdicts(plugin, snapshot, incoming);
            const feasible = v.flatMap((c, i) => (c === Code.Success ? [i] : []));
            expect(feasible.length).toBeGreaterThan(0);
            const chosen = feasible[pick % feasible.length];
            snapshot.addPod(template, `p${chosen}-${pick}`, chosen);
            perZoneCount[chosen % zones]++;
            expect(Math.max(...perZoneCount) - Math.min(...perZoneCount)).toBeLessThanOrEqual(maxSkew);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("incremental counts equal a snapshot rebuilt from the same objects", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), node: fc.nat(), app: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant("remove" as const), which: fc.nat() }),
      fc.record({ kind: fc.constant("terminate" as const), which: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 2 }), (ops, maxSkew) => {
        const nodes = zonedNodes(6, 3);
        const live = snapshotFromObjects({ nodes });
        const plugin = new PodTopologySpread();
        const incoming = pod({ labels: { app: "a0" }, spread: [spread(maxSkew, "zone", "DoNotSchedule", sel.in("app", "a0", "a1")), spread(maxSkew + 1, "kubernetes.io/hostname", "DoNotSchedule", sel.all(sel.exists("app"), sel.notIn("app", "a2")))] });
        const objects: { pod: Pod; row: number }[] = [];
        for (const o of ops) {
          if (o.kind === "add") {
            const n = o.node % nodes.length;
            const p = pod({ node: `n${n}`, labels: { app: `a${o.app}` } });
            objects.push({ pod: p, row: live.addPod(live.compile(p, { ignoreNodeName: true }), p.metadata!.name!, n) });
          } else if (objects.length > 0) {
            const i = o.which % objects.length;
            if (o.kind === "remove") {
              live.removePod(objects[i].row);
              objects.splice(i, 1);
            } else {
              (objects[i].pod.metadata as { deletionTimestamp?: string }).deletionTimestamp = "2026-01-01T00:00:00Z";
              live.markTerminating(objects[i].row);
              live.generation++; // a status change the scheduler cache sees as an update
            }
          }
          verdicts(plugin, live, incoming); // run cycles in between so counters are incremental
        }
        const fresh = snapshotFromObjects({ nodes, pods: objects.map((o) => o.pod) });
        expect(verdicts(plugin, live, incoming)).toEqual(verdicts(new PodTopologySpread(), fresh, incoming));
      }),
      { numRuns: 150 },
    );
  });

  it("ScheduleAnyway scores from incremental counters equal a rebuilt snapshot's", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), node: fc.nat(), app: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant("remove" as const), which: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (ops, feasibleMask) => {
        const nodes = zonedNodes(6, 3);
        const live = snapshotFromObjects({ nodes });
        const plugin = new PodTopologySpread();
        const incoming = pod({ labels: { app: "a0" }, spread: [spread(1, "zone", "ScheduleAnyway", sel.in("app", "a0", "a1")), spread(2, "kubernetes.io/hostname", "ScheduleAnyway", sel.all(sel.exists("app"), sel.notIn("app", "a1")))] });
        const feasible = Int32Array.from(feasibleMask.flatMap((f, i) => (f ? [i] : [])));
        const score = (pl: PodTopologySpread, snap: Snapshot) => {
          const state = newState(snap);
          const p = snap.compile(incoming);
          if (pl.preScore(state, p, feasible, feasible.length) === Code.Skip) return "Skip";
          const out = new Int32Array(feasible.length);
          pl.score(state, p, feasible, feasible.length, out);
          pl.normalizeScore(state, p, feasible, feasible.length, out);
          return Array.from(out);
        };
        const objects: { pod: Pod; row: number }[] = [];
        for (const o of ops) {
          if (o.kind === "add") {
            const n = o.node % nodes.length;
            const p = pod({ node: `n${n}`, labels: { app: `a${o.app}` } });
            objects.push({ pod: p, row: live.addPod(live.compile(p, { ignoreNodeName: true }), p.metadata!.name!, n) });
          } else if (objects.length > 0) {
            const i = o.which % objects.length;
            live.removePod(objects[i].row);
            objects.splice(i, 1);
          }
          score(plugin, live);
        }
        const fresh = snapshotFromObjects({ nodes, pods: objects.map((o) => o.pod) });
        expect(score(plugin, live)).toEqual(score(new PodTopologySpread(), fresh));
      }),
      { numRuns: 150 },
    );
  });

  it("addPod/removePod hooks match a snapshot that holds the pod and undo exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 }), { maxLength: 12 }), fc.nat({ max: 5 }), (placed, extra) => {
        const nodes = zonedNodes(6, 3);
        const existing = placed.map((n) => pod({ node: `n${n}`, labels: { app: "web" } }));
        const incoming = pod({ labels: { app: "web" }, spread: [spread(1, "zone", "DoNotSchedule", sel.labels({ app: "web" }))] });
        const snapshot = snapshotFromObjects({ nodes, pods: existing });
        const plugin = new PodTopologySpread();
        const state = newState(snapshot);
        const p = snapshot.compile(incoming);
        plugin.preFilter(state, p);
        const all = Int32Array.from({ length: 6 }, (_, i) => i);
        const run = () => {
          const out = new Int32Array(6);
          plugin.filter(state, p, all, 6, out);
          return Array.from(out);
        };
        const before = run();
        // A victim/nominated pod row that is not (yet) on the node in the snapshot.
        const extraPod = pod({ labels: { app: "web" } });
        const row = snapshot.addPod(snapshot.compile(extraPod), "extra", extra);
        snapshot.removePod(row);
        plugin.addPod(state, p, row, extra);
        const withPod = run();
        plugin.removePod(state, p, row, extra);
        expect(run()).toEqual(before);
        const truth = snapshotFromObjects({ nodes, pods: [...existing, pod({ node: `n${extra}`, labels: { app: "web" } })] });
        expect(withPod).toEqual(verdictsRaw(new PodTopologySpread(), truth, incoming));
      }),
      { numRuns: 150 },
    );
  });

  it("a preemption dry run (remove victims from the snapshot + removePod) sees exactly the cluster without the victims", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (placed, picks) => {
        const nodes = zonedNodes(6, 3);
        const existing = placed.map((n) => pod({ node: `n${n}`, labels: { app: "web" } }));
        const incoming = pod({ labels: { app: "web" }, spread: [spread(1, "zone", "DoNotSchedule", sel.labels({ app: "web" }))] });
        const snapshot = snapshotFromObjects({ nodes, pods: existing });
        const plugin = new PodTopologySpread();
        const state = newState(snapshot);
        const p = snapshot.compile(incoming);
        plugin.preFilter(state, p);
        const all = Int32Array.from({ length: 6 }, (_, i) => i);
        const run = () => {
          const out = new Int32Array(6);
          plugin.filter(state, p, all, 6, out);
          return Array.from(out);
        };
        const before = run();
        const victims = [...new Set(picks.map((v) => v % existing.length))];
        for (const v of victims) {
          const n = snapshot.podNode[v];
          snapshot.removePod(v);
          plugin.removePod(state, p, v, n);
        }
        const truth = snapshotFromObjects({ nodes, pods: existing.filter((_, i) => !victims.includes(i)) });
        expect(run()).toEqual(verdictsRaw(new PodTopologySpread(), truth, incoming));
        for (const v of [...victims].reverse()) {
          const n = snapshot.nodeIndex(existing[v].spec!.nodeName!);
          snapshot.restorePod(v, n);
          plugin.addPod(state, p, v, n);
        }
        expect(run()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });
});

function verdictsRaw(plugin: PodTopologySpread, snapshot: Snapshot, incoming: Pod): number[] {
  const state = newState(snapshot);
  const p = snapshot.compile(incoming);
  const n = snapshot.nodeCount;
  const out = new Int32Array(n);
  plugin.preFilter(state, p);
  plugin.filter(state, p, Int32Array.from({ length: n }, (_, i) => i), n, out);
  return Array.from(out);
}
