/**
 * Invariants of the request load over random small clusters, proxy modes, rates, service
 * times, concurrency limits and node faults (fast-check):
 * - every request is counted exactly once: sent = served + failed (by reason) + in flight,
 *   at every step of the run and per sample interval;
 * - failures only have the listed reasons (the counts per reason add up to the failures);
 * - no request is served by a pod that is not Running on a machine that runs, or from
 *   across a partition (served at its end: the pod's phase is Running, its node and the
 *   client's machine run, and they are the same node or neither is cut off);
 * - a pod never holds more requests than concurrencyPerPod;
 * - through a Service's load balancer (half the cases): the same, with the backend node as
 *   the client, and never served through a backend that is down or cut off.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PodPhase } from "../../src/model/podTable.js";
import { FAILURE_REASONS } from "../../src/proxy/requestLoad.js";
import { runOf, S, webScenario } from "./helpers.js";

const arbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  nodes: fc.integer({ min: 1, max: 5 }),
  replicas: fc.integer({ min: 0, max: 10 }),
  mode: fc.constantFrom("iptables", "nftables", "ipvs-rr", "ipvs-lc"),
  rate: fc.integer({ min: 1, max: 150 }),
  serviceTimeMs: fc.integer({ min: 1, max: 3000 }),
  concurrency: fc.integer({ min: 1, max: 6 }),
  publishNotReady: fc.boolean(),
  faults: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 200 }),
      type: fc.constantFrom("node-failure", "node-partition", "kubelet-stop"),
      node: fc.nat(),
      recoverAfter: fc.integer({ min: 1, max: 200 }),
    }),
    { maxLength: 4 },
  ),
  scaleAt: fc.integer({ min: 1, max: 250 }),
  scaleTo: fc.integer({ min: 0, max: 10 }),
  viaLoadBalancer: fc.boolean(),
});

describe("request load invariants", () => {
  it("every request counted once, served only by a running pod reachable from its client, within the concurrency limit", () => {
    fc.assert(
      fc.property(arbitrary, (a) => {
        const [mode, ipvsScheduler] = a.mode.startsWith("ipvs") ? ["ipvs", a.mode.slice(5)] : [a.mode, "rr"];
        const raw = webScenario({
          nodes: a.nodes,
          replicas: a.replicas,
          service: { publishNotReadyAddresses: a.publishNotReady, ...(a.viaLoadBalancer && { type: "LoadBalancer" }) },
          extra: {
            seed: a.seed,
            duration: "5m",
            kubeProxy: { mode, ipvsScheduler },
            ...(a.viaLoadBalancer && { cloudControllerManager: { loadBalancers: { provisioningDelay: "5s", healthCheckInterval: "5s", healthyThreshold: 2, unhealthyThreshold: 2 } } }),
            requestLoad: [{ service: "web", namespace: "shop", rate: a.rate, serviceTime: `${a.serviceTimeMs}ms`, concurrencyPerPod: a.concurrency, ...(a.viaLoadBalancer && { via: "loadBalancer" }) }],
            faults: a.faults.map((f) => ({ type: f.type, at: `${f.at}s`, node: `n-${f.node % a.nodes}`, recoverAfter: `${f.recoverAfter}s` })),
            actions: [{ at: `${a.scaleAt}s`, type: "scale", deployment: "web", namespace: "shop", replicas: a.scaleTo }],
          },
        });
        (raw.workloads as { spec?: { template?: { spec?: Record<string, unknown> } } }[])[0].spec!.template!.spec!.topologySpreadConstraints = undefined;
        const run = runOf(raw);
        const svc = run.services!;
        const k = run.kubelets;
        const pods = run.cluster.pods;
        const bad: string[] = [];
        svc.requests.onServed = (pod, client) => {
          const node = pods.node[pod];
          if (pods.phase[pod] !== PodPhase.Running) bad.push(`served by ${pods.names[pod]} in phase ${pods.phase[pod]}`);
          if (k.nodeCrashed(node) || k.nodeCrashed(client)) bad.push(`served across a crashed machine (${pods.names[pod]})`);
          if (node !== client && (k.nodeCutOff(node) || k.nodeCutOff(client))) bad.push(`served across a partition (${pods.names[pod]})`);
          if (a.viaLoadBalancer && k.nodeCutOff(client)) bad.push(`served through a backend cut off from the load balancer (${pods.names[pod]})`);
          if (svc.requests.inFlightOn(pod) + 1 > a.concurrency) bad.push(`over the concurrency limit on ${pods.names[pod]}`);
        };
        for (let t = 10; t <= 300; t += 10) {
          run.advance(t * S);
          const c = svc.requests.total[0];
          const failed = c.failed.reduce((x, y) => x + y, 0);
          if (c.sent !== c.served + failed + c.inFlight) bad.push(`t=${t}: sent ${c.sent} != ${c.served} + ${failed} + ${c.inFlight}`);
        }
        const r = run.finish();
        const table = r.tables.find((t) => t.file === "services.csv")!;
        const col = (n: string) => table.columns.indexOf(n);
        const sum = (n: string) => table.rows.reduce((x, row) => x + (row[col(n)] as number), 0);
        // Loads to the cluster IP: the load balancer's reasons have no column and never happen.
        const failedCols = FAILURE_REASONS.map((reason) => (col(`failed_${reason.replace(/-/g, "_")}`) < 0 ? 0 : sum(`failed_${reason.replace(/-/g, "_")}`)));
        const lbColumns = FAILURE_REASONS.every((reason) => col(`failed_${reason.replace(/-/g, "_")}`) >= 0);
        if (lbColumns !== a.viaLoadBalancer) bad.push(`services.csv has ${lbColumns ? "" : "no "}load balancer columns (via load balancer: ${a.viaLoadBalancer})`);
        const c = svc.requests.total[0];
        // The table's intervals add up to the totals (nothing counted twice or lost between samples).
        if (sum("requests_sent") !== c.sent || sum("requests_served") !== c.served) bad.push("services.csv intervals do not add up to the totals");
        failedCols.forEach((f, i) => f !== c.failed[i] && bad.push(`services.csv ${FAILURE_REASONS[i]} ${f} != ${c.failed[i]}`));
        expect(bad).toEqual([]);
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});
