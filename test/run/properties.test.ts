/**
 * Properties of the cluster loop over random small clusters, workloads and fault
 * timelines (fast-check): nodes are never over-committed, a pod is on at most one node,
 * pods are conserved, every pod ends in a known state, every Deployment holds its
 * replica count of pods that are not Terminating; a deleted Deployment keeps none; nothing is
 * created in a namespace once it is being deleted, and it is gone when its pods are.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ClusterRun, type RunOptions } from "../../src/run/run.js";
import type { ActionSpec, FaultSpec } from "../../src/run/spec.js";
import { placeholderScheduler } from "../fakes/placeholderScheduler.js";
import { PodPhase } from "../../src/model/podTable.js";
import { podTemplate } from "../../src/model/podTemplate.js";
import { GI, node, spec, template } from "./helpers.js";
import type { ContainerRuntimeSpec } from "../../src/kubelet/runtime/config.js";

const arbitraryRun = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  nodes: fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 1, max: 16 }), pods: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 6 }),
  templates: fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 4000 }), mem: fc.integer({ min: 0, max: 8 }) }), { minLength: 1, maxLength: 3 }),
  replicas: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
  rate: fc.double({ min: 0.01, max: 2, noNaN: true }),
  faults: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 300 }),
      kind: fc.constantFrom("node-failure" as const, "node-partition" as const, "kubelet-stop" as const, "node-deletion" as const, "node-recovery" as const),
      node: fc.nat(),
      recoverAfter: fc.integer({ min: -1, max: 400 }),
    }),
    { maxLength: 6 },
  ),
  jobs: fc.array(
    fc.record({
      completions: fc.integer({ min: 0, max: 8 }),
      parallelism: fc.integer({ min: 1, max: 4 }),
      failureProbability: fc.constantFrom(0, 0.3, 1),
      onFailure: fc.boolean(),
      runTimeS: fc.integer({ min: 5, max: 60 }),
      backoffLimit: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 2 },
  ),
  statefulSets: fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 4 }), parallel: fc.boolean() }), { maxLength: 2 }),
  actions: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 500 }),
      kind: fc.constantFrom("scale" as const, "rollout" as const, "cordon" as const, "uncordon" as const, "drain" as const, "delete" as const),
      target: fc.nat(),
      replicas: fc.integer({ min: 0, max: 12 }),
    }),
    { maxLength: 4 },
  ),
  /** kubectl delete namespace of the arrivals' namespace, at this second. */
  deleteNamespaceAt: fc.option(fc.integer({ min: 0, max: 500 })),
  upgrade: fc.option(fc.record({ at: fc.integer({ min: 0, max: 400 }), maxSurge: fc.integer({ min: 0, max: 2 }), maxUnavailable: fc.integer({ min: 0, max: 2 }), drainTimeoutS: fc.integer({ min: 1, max: 200 }) })),
});

/** The container runtime model with pulls that take seconds, fail, run out of tokens and fill a small image filesystem. */
const RUNTIME: ContainerRuntimeSpec = {
  sandboxCreate: { type: "constant", value: 0.5 },
  containerStart: { type: "exponential", mean: 0.2 },
  initContainerRun: { type: "constant", value: 1 },
  imageSizeBytes: new Map(),
  defaultImageSizeBytes: 300 * 2 ** 20,
  preloadedImages: [],
  pullBandwidthBytesPerS: 100 * 2 ** 20,
  serializeImagePulls: false,
  maxParallelImagePulls: 2,
  registryPullQps: 1,
  registryBurst: 2,
  pullFailureProbability: 0.2,
  imageFilesystemBytes: 2 ** 30,
  imageGcHighThresholdPercent: 85,
  imageGcLowThresholdPercent: 80,
  imageMinimumGcAgeUs: 120e6,
};

describe.each<[string, RunOptions, ContainerRuntimeSpec | undefined]>([
  ["a stand-in scheduler that binds at once", { components: [placeholderScheduler] }, undefined],
  ["the components kubesim run uses (kube-scheduler model)", {}, undefined],
  ["the kube-scheduler model and the container runtime", {}, RUNTIME],
])("cluster loop properties with %s", (_name, options, containerRuntime) => {
  it("no over-commitment, a pod on at most one node, conservation, known end states, replicas held", () => {
    fc.assert(
      fc.property(arbitraryRun, (a) => {
        const nodes = a.nodes.map((n, i) => node(`n${i}`, n.cpu * 1000, n.mem * GI, { pods: n.pods }));
        const templates = a.templates.map((t) => template(t.cpu, t.mem * GI / 4));
        const faults: FaultSpec[] = a.faults
          .map((f) => ({
            atUs: f.at * 1e6,
            type: f.kind,
            candidates: [f.node % nodes.length],
            count: Infinity,
            recoverAfterUs: f.kind !== "node-recovery" && f.kind !== "node-deletion" && f.recoverAfter >= 0 ? f.recoverAfter * 1e6 : -1,
            description: "f",
            notReadyForUs: 0,
            controlPlaneToo: false,
            zone: "",
          }))
          .sort((x, y) => x.atUs - y.atUs);
        const jobs = a.jobs.map((j, k) => {
          const admitted = template(100, 0).pod;
          templates.push(podTemplate({ ...admitted, spec: { ...admitted.spec!, restartPolicy: j.onFailure ? "OnFailure" : "Never" } }, { runTimeS: { type: "constant", value: j.runTimeS }, failureProbability: j.failureProbability }));
          return { name: `job${k}`, namespace: "default", template: templates.length - 1, parallelism: j.parallelism, completions: j.completions, indexed: false, backoffLimit: j.backoffLimit, activeDeadlineUs: -1, ttlAfterFinishedUs: -1, onFailure: j.onFailure };
        });
        const actions: ActionSpec[] = a.actions
          .map((x) => ({
            atUs: x.at * 1e6,
            type: x.kind,
            deployment: x.target % a.replicas.length,
            statefulSet: -1,
            revision: 0,
            replicas: x.replicas,
            candidates: [x.target % nodes.length],
            count: Infinity,
            description: "a",
            ...(x.kind === "delete" ? { kind: "Deployment" as const, name: `d${x.target % a.replicas.length}`, namespace: "default" } : {}),
          }))
          .sort((x, y) => x.atUs - y.atUs);
        // a node-pool upgrade: a new node for each node, provisioned during the run
        const oldCount = nodes.length;
        const up = a.upgrade;
        if (up !== null) {
          a.nodes.forEach((n, i) => nodes.push(node(`n${oldCount + i}`, n.cpu * 1000, n.mem * GI, { pods: n.pods, provisionLater: true })));
          const upgrade = { pool: "p", newNodes: a.nodes.map((_, i) => oldCount + i), maxSurge: up.maxSurge, maxUnavailable: Math.max(up.maxUnavailable, up.maxSurge === 0 ? 1 : 0), drainTimeoutUs: up.drainTimeoutS * 1e6, provisionUs: 30e6 };
          actions.push({ atUs: up.at * 1e6, type: "node-pool-upgrade", deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates: a.nodes.map((_, i) => i), count: oldCount, upgrade, description: "u" });
          actions.sort((x, y) => x.atUs - y.atUs);
        }
        if (a.deleteNamespaceAt !== null) {
          actions.push({ atUs: a.deleteNamespaceAt * 1e6, type: "delete-namespace", deployment: -1, statefulSet: -1, revision: -1, replicas: 0, candidates: [], count: 0, namespace: "batch", description: "n" });
          actions.sort((x, y) => x.atUs - y.atUs);
        }
        // a deleted Deployment wants none (and ignores a scale after its delete)
        const deletedAt = a.replicas.map((_, i) => actions.find((x) => x.type === "delete" && x.deployment === i)?.atUs ?? Infinity);
        const desired = a.replicas.map((r, i) => (deletedAt[i] < Infinity ? 0 : actions.filter((x) => x.type === "scale" && x.deployment === i).reduce((_, x) => x.replicas, r)));
        const statefulSets = a.statefulSets.map((x, k) => ({ name: `sts${k}`, namespace: "default", replicas: x.replicas, template: 0, parallel: x.parallel }));
        const s = spec({
          seed: a.seed,
          jobs,
          statefulSets,
          actions,
          durationUs: 600e6,
          sampleIntervalUs: 5e6,
          nodes,
          templates,
          // each Deployment can roll out to a copy of its template (another ReplicaSet)
          deployments: a.replicas.map((r, i) => {
            templates.push(templates[i % a.templates.length]);
            return { name: `d${i}`, namespace: "default", replicas: r, template: i % a.templates.length, templateHash: "h", revisions: [{ template: templates.length - 1, templateHash: "h2" }] };
          }),
          arrivals: [{ name: "b", namespace: "batch", meanInterarrivalUs: 1e6 / a.rate, startUs: 0, stopUs: 600e6, lifetime: { type: "exponential", mean: 20 }, template: 0 }],
          faults,
          containerRuntime,
        });
        const run = new ClusterRun(s, options);
        const { nodes: table, pods } = run.cluster;
        // Check the tables directly after every 2 s of virtual time.
        for (let t = 2e6; t <= 600e6; t += 2e6) {
          run.advance(t);
          let bound = 0;
          const seen = new Set<number>();
          for (let i = 0; i < table.count; i++) {
            expect(table.cpuReq[i]).toBeLessThanOrEqual(table.cpuAlloc[i]);
            expect(table.memReq[i]).toBeLessThanOrEqual(table.memAlloc[i]);
            expect(table.podCount[i]).toBeLessThanOrEqual(table.podsAlloc[i]);
            for (const p of run.cluster.podsOn(i)) {
              expect(seen.has(p)).toBe(false); // on one node only
              seen.add(p);
              expect(pods.node[p]).toBe(i);
            }
            bound += table.podCount[i];
          }
          let live = 0;
          const stsNames = new Set<string>();
          for (let p = 0; p < pods.count; p++) {
            const ended = pods.phase[p] === PodPhase.Succeeded || pods.phase[p] === PodPhase.Failed;
            if (pods.node[p] >= 0 && !ended) live++;
            // a StatefulSet pod's name is its identity: never two objects of one name at once
            if (!ended && run.cluster.owners[pods.owner[p]]?.startsWith("StatefulSet/")) {
              expect(stsNames.has(pods.names[p])).toBe(false);
              stsNames.add(pods.names[p]);
            }
          }
          expect(bound).toBe(live);
        }
        const r = run.finish();
        const known = new Set(["completed", "evicted", "pod-gc", "node-failure", "pending", "starting", "running", "terminating", "error", "deleted", "drained", "preempted"]);
        for (const p of r.pods) expect(known.has(p.outcome)).toBe(true);
        for (const row of r.timeseries) {
          expect(row.nodes_overcommitted).toBe(0);
          expect(row.pods_pending + row.pods_starting + row.pods_running + row.pods_succeeded_total + row.pods_lost_total + row.pods_failed_total).toBe(row.pods_created_total);
        }
        for (const [i, replicas] of desired.entries()) {
          const alive = r.pods.filter((p) => p.owner === `Deployment/default/d${i}` && p.deleted_s === null && p.deletion_requested_s === null);
          // a rollout may still be under way (new pods that cannot be scheduled): up to maxSurge
          // (25 %, rounded up) more, also after a scale during it (proportional scaling keeps
          // the ReplicaSets within replicas + maxSurge)
          const rolled = actions.some((x) => x.type === "rollout" && x.deployment === i && x.atUs < deletedAt[i]);
          if (deletedAt[i] < Infinity) {
            // its pods all got their deletion at the delete (the garbage collector); one whose create
            // was in flight then appears later and is deleted at that instant
            const pods = r.pods.filter((p) => p.owner === `Deployment/default/d${i}`);
            for (const p of pods) if (p.created_s * 1e6 > deletedAt[i]) expect(p.deletion_requested_s ?? p.deleted_s).toBe(p.created_s);
            expect(alive).toHaveLength(0);
          } else if (rolled) expect(alive.length).toBeLessThanOrEqual(replicas + Math.ceil(replicas / 4));
          else expect(alive).toHaveLength(replicas);
        }
        if (a.deleteNamespaceAt !== null) {
          const atS = a.deleteNamespaceAt;
          const arrivals = r.pods.filter((p) => p.owner === "PoissonArrivals/batch/b");
          expect(arrivals.every((p) => p.created_s <= atS)).toBe(true);
          // every pod of it had its deletion by the namespace controller's first sync (5 s) or ended before
          for (const p of arrivals) expect(p.deletion_requested_s === null ? p.deleted_s !== null && p.deleted_s <= atS + 5 : p.deletion_requested_s <= atS + 5).toBe(true);
          // gone once its pods are (30 s grace + the controller's requeues), unless a pod waits on a node that is down
          const gone = r.events.find((e) => e.kind === "NamespaceDeleted");
          if (gone) expect(arrivals.every((p) => p.deleted_s !== null && p.deleted_s <= gone.sim_time_s)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
