/**
 * The snapshot and compiled pod requirements: request rules (init max, sidecars,
 * overhead, non-zero scoring defaults), building from kubectl-style objects,
 * add/remove/restore bookkeeping, label columns, node versions, template sharing.
 */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { snapshotFromObjects } from "../../src/scheduler/snapshot.js";
import { cluster, node, pod } from "./helpers.js";


describe("snapshotFromObjects", () => {
  test("bound pods count on their node; pending, terminal and unknown-node pods do not", () => {
    const snap = snapshotFromObjects({
      nodes: [node({ name: "a", cpu: "4", memory: "8Gi" }), node({ name: "b", cpu: "4", memory: "8Gi" })],
      pods: [
        pod({ name: "bound", nodeName: "a", containers: [{ cpu: "1", memory: "1Gi" }] }),
        pod({ name: "pending", containers: [{ cpu: "1" }] }),
        { ...pod({ name: "done", nodeName: "a", containers: [{ cpu: "1" }] }), status: { phase: "Succeeded" } },
        pod({ name: "ghost", nodeName: "zzz", containers: [{ cpu: "1" }] }),
        { ...pod({ name: "leaving", nodeName: "b", containers: [{ cpu: "500m" }] }), metadata: { name: "leaving", namespace: "default", deletionTimestamp: "2026-01-01T00:00:00Z" } },
      ],
    });
    expect([snap.nodes.cpuReq[0], snap.nodes.podCount[0], snap.nodes.cpuReq[1], snap.nodes.podCount[1]]).toEqual([1000, 1, 500, 1]);
    expect(snap.podNames).toEqual(["default/bound", "default/leaving"]);
    expect([snap.podTerminating[0], snap.podTerminating[1]]).toEqual([0, 1]);
  });

  test("replicas share one compiled template; a different label makes a different one", () => {
    const snap = cluster([{ name: "a" }]);
    const a = snap.compile(pod({ name: "x-1", labels: { app: "x" }, containers: [{ cpu: "1" }] }));
    const b = snap.compile(pod({ name: "x-2", labels: { app: "x" }, containers: [{ cpu: "1" }] }));
    const c = snap.compile(pod({ name: "y-1", labels: { app: "y" }, containers: [{ cpu: "1" }] }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test("label columns give each node's value id per key, -1 when absent, and follow new nodes", () => {
    const snap = cluster([{ name: "a", labels: { zone: "z1" } }, { name: "b" }]);
    const key = snap.strings.key("zone");
    const col = snap.labelColumn(key);
    expect([col[0], col[1]]).toEqual([snap.strings.value("z1"), -1]);
    snap.addNode(node({ name: "c", labels: { zone: "z2" } }));
    expect(snap.labelColumn(key)[2]).toBe(snap.strings.value("z2"));
    expect(snap.nodeLabel(0, "zone")).toBe(snap.strings.value("z1"));
  });
});

describe("add / remove / restore", () => {
  test("requested sums, pod lists and node versions stay exact under any sequence (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom("add", "remove"), node: fc.integer({ min: 0, max: 3 }), cpu: fc.integer({ min: 0, max: 2000 }), pick: fc.nat() }), { maxLength: 60 }), (ops) => {
        const snap = cluster([{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }]);
        const live: { id: number; node: number; cpu: number }[] = [];
        for (const o of ops) {
          const before = snap.nodeVersion[o.node];
          if (o.op === "add" || live.length === 0) {
            const t = snap.compile(pod({ containers: [{ cpu: `${o.cpu}m` }] }));
            live.push({ id: snap.addPod(t, `p${live.length}`, o.node), node: o.node, cpu: o.cpu });
            expect(snap.nodeVersion[o.node]).not.toBe(before);
          } else {
            const [victim] = live.splice(o.pick % live.length, 1);
            snap.removePod(victim.id);
            expect(snap.podNode[victim.id]).toBe(-1);
          }
        }
        for (let n = 0; n < 4; n++) {
          const here = live.filter((p) => p.node === n);
          expect(snap.nodes.cpuReq[n]).toBe(here.reduce((s, p) => s + p.cpu, 0));
          expect(snap.nodes.podCount[n]).toBe(here.length);
          expect([...snap.nodePods[n].subarray(0, snap.nodes.podCount[n])].sort()).toEqual(here.map((p) => p.id).sort());
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  test("restorePod undoes removePod (preemption dry runs)", () => {
    const snap = cluster([{ name: "a" }]);
    const t = snap.compile(pod({ containers: [{ cpu: "700m", memory: "1Gi" }] }));
    const id = snap.addPod(t, "p", 0);
    snap.removePod(id);
    expect(snap.nodes.cpuReq[0]).toBe(0);
    snap.restorePod(id, 0);
    expect([snap.nodes.cpuReq[0], snap.nodes.memReq[0], snap.podNode[id]]).toEqual([700, 1024 ** 3, 0]);
  });

  test("setTaints replaces a node's taints and keeps the tainted-node counters right", () => {
    const snap = cluster([{ name: "a" }, { name: "b", taints: [{ key: "x", effect: "NoSchedule" }] }]);
    expect([snap.nodesWithHardTaints, snap.nodesWithPreferTaints]).toEqual([1, 0]);
    snap.setTaints(0, [{ key: "y", effect: "PreferNoSchedule" }]);
    snap.setTaints(1, []);
    expect([snap.nodesWithHardTaints, snap.nodesWithPreferTaints]).toEqual([0, 1]);
  });
});
