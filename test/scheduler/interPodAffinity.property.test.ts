/**
 * Properties of InterPodAffinity (fast-check):
 *  - filter verdicts and normalized scores computed from the incremental per-group
 *    counters equal those of a snapshot rebuilt from the same objects, after random
 *    adds, removals and pods turning terminating (terminating pods still count for
 *    inter-pod affinity, unlike topology spread);
 *  - required anti-affinity on the hostname: placing pods only on nodes the filter
 *    accepts never puts two matching pods on one node;
 *  - addPod/removePod (PreFilterExtensions) give the verdicts of a snapshot that holds
 *    the pod, and undo exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Code } from "../../src/scheduler/framework.js";
import { Snapshot, snapshotFromObjects } from "../../src/scheduler/snapshot.js";
import { InterPodAffinity } from "../../src/scheduler/plugins/InterPodAffinity.js";
import type { Affinity, Node, Pod } from "../../src/model/types.js";
import { newState } from "./interPodAffinity.harness.js";
import { denseAfter, PodGroups } from "../../src/scheduler/plugins/interpodaffinity/podGroups.js";
import { affinity, node, pod, sel, term, weighted } from "./interPodAffinity.builders.js";

const nodes: Node[] = Array.from({ length: 6 }, (_, i) => node(`n${i}`, { zone: `z${i % 3}`, "kubernetes.io/hostname": `n${i}` }));
const H = "kubernetes.io/hostname";

/** Templates of existing pods: plain, with anti-affinity, with preferred affinity, with required affinity. */
const existingAffinity: (Affinity | undefined)[] = [
  undefined,
  affinity({ antiRequired: [term(sel.labels({ app: "a0" }), "zone")] }),
  affinity({ preferred: [weighted(7, term(sel.labels({ app: "a0" }), "zone"))], antiPreferred: [weighted(3, term(sel.exists("app"), H))] }),
  affinity({ required: [term(sel.labels({ app: "a0" }), "zone")] }),
];

const incoming = pod({
  labels: { app: "a0" },
  affinity: affinity({
    antiRequired: [term(sel.labels({ app: "a1" }), H)],
    preferred: [weighted(5, term(sel.labels({ app: "a2" }), "zone"))],
    antiPreferred: [weighted(2, term(sel.labels({ app: "a0" }), H))],
  }),
});

function evaluate(plugin: InterPodAffinity, snapshot: Snapshot, p: Pod): { verdicts: number[]; scores: number[] | "Skip" } {
  const state = newState(snapshot);
  const c = snapshot.compile(p);
  const n = snapshot.nodeCount;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(n);
  if (plugin.preFilter(state, c) !== Code.Skip) plugin.filter(state, c, all, n, out);
  if (plugin.preScore(state, c, all, n) === Code.Skip) return { verdicts: Array.from(out), scores: "Skip" };
  const scores = new Int32Array(n);
  plugin.score(state, c, all, n, scores);
  plugin.normalizeScore(state, c, all, n, scores);
  return { verdicts: Array.from(out), scores: Array.from(scores) };
}

// Counters start sparse and turn dense past denseAfter.domains: run every property with
// always-dense, converting-early and never-dense counters.
for (const domains of [0, 2, 1e9]) describe(`InterPodAffinity properties (counters dense after ${domains} domains)`, () => {
  const saved = denseAfter.domains;
  beforeAll(() => {
    denseAfter.domains = domains;
  });
  afterAll(() => {
    denseAfter.domains = saved;
  });

  it("incremental counters equal a snapshot rebuilt from the same objects", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), node: fc.nat({ max: 5 }), app: fc.integer({ min: 0, max: 2 }), aff: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("remove" as const), which: fc.nat() }),
      fc.record({ kind: fc.constant("terminate" as const), which: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const live = snapshotFromObjects({ nodes });
        const plugin = new InterPodAffinity();
        const objects: { pod: Pod; row: number }[] = [];
        for (const o of ops) {
          if (o.kind === "add") {
            const p = pod({ node: `n${o.node}`, labels: { app: `a${o.app}` }, affinity: existingAffinity[o.aff] });
            objects.push({ pod: p, row: live.addPod(live.compile(p, { ignoreNodeName: true }), p.metadata!.name!, o.node) });
          } else if (objects.length > 0) {
            const i = o.which % objects.length;
            if (o.kind === "remove") {
              live.removePod(objects[i].row);
              objects.splice(i, 1);
            } else {
              (objects[i].pod.metadata as { deletionTimestamp?: string }).deletionTimestamp = "2026-01-01T00:00:00Z";
              live.markTerminating(objects[i].row);
              live.generation++;
            }
          }
          evaluate(plugin, live, incoming);
        }
        const fresh = snapshotFromObjects({ nodes, pods: objects.map((o) => o.pod) });
        expect(evaluate(plugin, live, incoming)).toEqual(evaluate(new InterPodAffinity(), fresh, incoming));
        // A pod whose terms need counters created only now (after the removals).
        const late = pod({ labels: { app: "late" }, affinity: affinity({ antiRequired: [term(sel.exists("app"), "zone")], preferred: [weighted(4, term(sel.exists("app"), H))] }) });
        expect(evaluate(plugin, live, late)).toEqual(evaluate(new InterPodAffinity(), fresh, late));
      }),
      { numRuns: 150 },
    );
  });

  it("each pod group lists exactly the snapshot rows it counts", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), node: fc.nat({ max: 5 }), app: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ kind: fc.constant("remove" as const), which: fc.nat() }),
      fc.record({ kind: fc.constant("terminate" as const), which: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const live = snapshotFromObjects({ nodes });
        const groups = PodGroups.of(live);
        const placed: number[] = [];
        for (const o of ops) {
          if (o.kind === "add") placed.push(live.addPod(live.compile(pod({ labels: { app: `a${o.app}` } })), "p", o.node));
          else if (placed.length > 0) {
            const i = o.which % placed.length;
            if (o.kind === "remove") live.removePod(placed.splice(i, 1)[0]);
            else {
              live.markTerminating(placed[i]);
              live.generation++;
            }
          }
          groups.sync();
          for (const g of groups.groups) {
            const want = placed.filter((r) => live.podCompiled[r] === g.pod && (live.podTerminating[r] === 1) === g.terminating).sort((x, y) => x - y);
            expect([...g.rows].sort((x, y) => x - y)).toEqual(want);
            expect(g.total).toBe(want.length);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the pod journal: only changed rows are revisited, and a sync after more changes than the journal holds falls back to a full pass with the same counts", () => {
    const live = snapshotFromObjects({ nodes });
    const groups = PodGroups.of(live);
    const placed: number[] = [];
    for (let i = 0; i < 60; i++) placed.push(live.addPod(live.compile(pod({ labels: { app: `a${i % 3}` } })), `p${i}`, i % 6));
    groups.sync();
    const check = () => {
      for (const g of groups.groups) {
        const want = placed.filter((r) => live.podNode[r] >= 0 && live.podCompiled[r] === g.pod && (live.podTerminating[r] === 1) === g.terminating).sort((x, y) => x - y);
        expect([...g.rows].sort((x, y) => x - y)).toEqual(want);
      }
    };
    // A few changes: read from the journal.
    live.removePod(placed[7]);
    live.markTerminating(placed[8]);
    live.removePod(placed[9]);
    live.restorePod(placed[9], 2);
    groups.sync();
    check();
    // More entries than the journal's ring holds (2 per remove/restore), then a real change.
    for (let k = 0; k < 9000; k++) {
      live.removePod(placed[10]);
      live.restorePod(placed[10], k % 6);
    }
    live.removePod(placed[11]);
    live.markTerminating(placed[12]);
    const before = live.podJournalCount;
    groups.sync();
    check();
    expect(live.podChangesSince(before - 20000, () => {})).toBe(false);
  });

  it("hostname anti-affinity: filtered placements never co-locate two replicas", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), (picks) => {
        const snapshot = snapshotFromObjects({ nodes });
        const plugin = new InterPodAffinity();
        const replica = pod({ labels: { app: "db" }, affinity: affinity({ antiRequired: [term(sel.labels({ app: "db" }), H)] }) });
        const template = snapshot.compile(replica);
        const perNode = new Array(nodes.length).fill(0);
        for (const pick of picks) {
          const { verdicts } = evaluate(plugin, snapshot, replica);
          const feasible = verdicts.flatMap((v, i) => (v === 0 ? [i] : []));
          // Exactly the nodes without a replica are feasible.
          expect(feasible).toEqual(perNode.flatMap((c, i) => (c === 0 ? [i] : [])));
          if (feasible.length === 0) break;
          const chosen = feasible[pick % feasible.length];
          snapshot.addPod(template, `db-${pick}`, chosen);
          perNode[chosen]++;
        }
        expect(Math.max(...perNode)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });

  it("addPod/removePod hooks match a snapshot that holds the pod and undo exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.nat({ max: 5 }), app: fc.integer({ min: 0, max: 2 }), aff: fc.integer({ min: 0, max: 3 }) }), { maxLength: 10 }),
        fc.record({ node: fc.nat({ max: 5 }), app: fc.integer({ min: 0, max: 2 }), aff: fc.integer({ min: 0, max: 3 }) }),
        (placed, extra) => {
          const existing = placed.map((e) => pod({ node: `n${e.node}`, labels: { app: `a${e.app}` }, affinity: existingAffinity[e.aff] }));
          const snapshot = snapshotFromObjects({ nodes, pods: existing });
          const plugin = new InterPodAffinity();
          const state = newState(snapshot);
          const c = snapshot.compile(incoming);
          const all = Int32Array.from({ length: nodes.length }, (_, i) => i);
          const skipped = plugin.preFilter(state, c) === Code.Skip;
          const run = () => {
            const out = new Int32Array(nodes.length);
            if (!skipped) plugin.filter(state, c, all, nodes.length, out);
            return Array.from(out);
          };
          const before = run();
          const extraPod = pod({ labels: { app: `a${extra.app}` }, affinity: existingAffinity[extra.aff] });
          const row = snapshot.addPod(snapshot.compile(extraPod), "extra", extra.node);
          snapshot.removePod(row);
          plugin.addPod(state, c, row, extra.node);
          const withPod = run();
          plugin.removePod(state, c, row, extra.node);
          expect(run()).toEqual(before);
          if (!skipped) {
            const truth = snapshotFromObjects({ nodes, pods: [...existing, pod({ node: `n${extra.node}`, labels: { app: `a${extra.app}` }, affinity: existingAffinity[extra.aff] })] });
            expect(withPod).toEqual(evaluate(new InterPodAffinity(), truth, incoming).verdicts);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a preemption dry run (remove victims from the snapshot + removePod, then restore + addPod) sees exactly the cluster without the victims", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.nat({ max: 5 }), app: fc.integer({ min: 0, max: 2 }), aff: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        (placed, victimPicks) => {
          const existing = placed.map((e) => pod({ node: `n${e.node}`, labels: { app: `a${e.app}` }, affinity: existingAffinity[e.aff] }));
          const snapshot = snapshotFromObjects({ nodes, pods: existing });
          const plugin = new InterPodAffinity();
          const state = newState(snapshot);
          const c = snapshot.compile(incoming);
          const all = Int32Array.from({ length: nodes.length }, (_, i) => i);
          const skipped = plugin.preFilter(state, c) === Code.Skip;
          if (skipped) return;
          const run = () => {
            const out = new Int32Array(nodes.length);
            plugin.filter(state, c, all, nodes.length, out);
            return Array.from(out);
          };
          const before = run();
          const victims = [...new Set(victimPicks.map((v) => v % existing.length))];
          for (const v of victims) {
            const n = snapshot.podNode[v];
            snapshot.removePod(v);
            plugin.removePod(state, c, v, n);
          }
          const truth = snapshotFromObjects({ nodes, pods: existing.filter((_, i) => !victims.includes(i)) });
          const fresh = new InterPodAffinity();
          const freshState = newState(truth);
          const fc2 = truth.compile(incoming);
          const want = new Int32Array(nodes.length);
          if (fresh.preFilter(freshState, fc2) !== Code.Skip) fresh.filter(freshState, fc2, all, nodes.length, want);
          expect(run()).toEqual(Array.from(want));
          for (const v of [...victims].reverse()) {
            const n = snapshot.nodeIndex(existing[v].spec!.nodeName!);
            snapshot.restorePod(v, n);
            plugin.addPod(state, c, v, n);
          }
          expect(run()).toEqual(before);
        },
      ),
      { numRuns: 150 },
    );
  });
});
