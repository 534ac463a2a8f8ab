/**
 * Properties of the cluster loop over random small clusters, workloads and fault
 * timelines (fast-check): nodes are never over-committed, pods are conserved, every
 * Deployment holds its replica count, and nothing is bound to a NotReady node.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ClusterRun } from "../../src/run/run.js";
import type { FaultSpec } from "../../src/run/spec.js";
import { placeholderScheduler } from "../fakes/placeholderScheduler.js";
import { GI, node, spec, template } from "./helpers.js";

const arbitraryRun = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  nodes: fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 1, max: 16 }), pods: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 6 }),
  templates: fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 4000 }), mem: fc.integer({ min: 0, max: 8 }) }), { minLength: 1, maxLength: 3 }),
  replicas: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
  rate: fc.double({ min: 0.01, max: 2, noNaN: true }),
  faults: fc.array(fc.record({ at: fc.integer({ min: 0, max: 120 }), fail: fc.boolean(), node: fc.nat(), recoverAfter: fc.integer({ min: -1, max: 60 }) }), { maxLength: 6 }),
});

describe.each([
  ["a stand-in scheduler that binds at once", { components: [placeholderScheduler] }],
  ["the components kubesim run uses (kube-scheduler model)", {}],
])("cluster loop properties with %s", (_name, options) => {
  it("no over-commitment, conservation, replicas held, nothing bound to a NotReady node", () => {
    fc.assert(
      fc.property(arbitraryRun, (a) => {
        const nodes = a.nodes.map((n, i) => node(`n${i}`, n.cpu * 1000, n.mem * GI, { pods: n.pods }));
        const templates = a.templates.map((t) => template(t.cpu, t.mem * GI / 4));
        const faults: FaultSpec[] = a.faults
          .map((f) => ({
            atUs: f.at * 1e6,
            type: f.fail ? ("node-failure" as const) : ("node-recovery" as const),
            candidates: [f.node % nodes.length],
            count: Infinity,
            recoverAfterUs: f.fail && f.recoverAfter >= 0 ? f.recoverAfter * 1e6 : -1,
            description: "f",
            notReadyForUs: 0,
            controlPlaneToo: false,
            zone: "",
          }))
          .sort((x, y) => x.atUs - y.atUs);
        const s = spec({
          seed: a.seed,
          durationUs: 180e6,
          sampleIntervalUs: 5e6,
          nodes,
          templates,
          deployments: a.replicas.map((r, i) => ({ name: `d${i}`, namespace: "default", replicas: r, template: i % templates.length, templateHash: "h" })),
          arrivals: [{ name: "b", namespace: "default", meanInterarrivalUs: 1e6 / a.rate, startUs: 0, stopUs: 180e6, lifetime: { type: "exponential", mean: 20 }, template: 0 }],
          faults,
        });
        const run = new ClusterRun(s, options);
        const { nodes: table } = run.cluster;
        // Check the tables directly after every second of virtual time.
        for (let t = 1e6; t <= 180e6; t += 1e6) {
          run.advance(t);
          for (let i = 0; i < table.count; i++) {
            expect(table.cpuReq[i]).toBeLessThanOrEqual(table.cpuAlloc[i]);
            expect(table.memReq[i]).toBeLessThanOrEqual(table.memAlloc[i]);
            expect(table.podCount[i]).toBeLessThanOrEqual(table.podsAlloc[i]);
            if (table.ready[i] === 0) expect(table.podCount[i]).toBe(0);
          }
        }
        const r = run.finish();
        for (const row of r.timeseries) {
          expect(row.nodes_overcommitted).toBe(0);
          expect(row.pods_pending + row.pods_starting + row.pods_running + row.pods_succeeded_total + row.pods_lost_total + row.pods_failed_total).toBe(row.pods_created_total);
        }
        for (const [i, replicas] of a.replicas.entries()) {
          const alive = r.pods.filter((p) => p.owner === `Deployment/default/d${i}` && p.deleted_s === null);
          expect(alive).toHaveLength(replicas);
        }
      }),
      { numRuns: 40 },
    );
  });
});
