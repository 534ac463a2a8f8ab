/**
 * kube-proxy's settings and the request load on Services (issue 11). Services themselves
 * are v1 Service objects in `workloads`.
 *
 *   kubeProxy: {mode: iptables, minSyncPeriod: 1s, syncPeriod: 30s}
 *   requestLoad:
 *     - service: web            # a Service of the scenario (namespace default "default")
 *       namespace: shop
 *       rate: 200               # requests per second (Poisson), or steps: [{at: 0s, rate: 100}, {at: 10m, rate: 300}],
 *                               # or daily: {min: 50, max: 400, peakAt: 14h}
 *       serviceTime: {type: lognormal, p50: 20ms, p99: 200ms}
 *       concurrencyPerPod: 64
 *       via: loadBalancer       # clients outside, through the Service's cloud load balancer (default clusterIP)
 */
import { z } from "zod";
import { checkDaily, dailyCurve } from "./arrivalRate.js";
import { dnsLabel, duration, durationDistribution, period, positiveInt } from "../fields.js";

const rate = z.number({ error: "expected a number of requests per second (0 or more)" }).nonnegative({ error: "expected a number of requests per second (0 or more)" }).finite({ error: "expected a number of requests per second (0 or more)" });

export const kubeProxySection = {
  kubeProxy: z
    .strictObject({
      mode: z.enum(["iptables", "nftables", "ipvs"], { error: 'expected "iptables", "nftables" or "ipvs"' }).default("iptables").describe("--proxy-mode (default iptables on Linux)"),
      ipvsScheduler: z.enum(["rr", "lc"], { error: 'expected "rr" (round robin) or "lc" (least connection)' }).default("rr").describe("--ipvs-scheduler (mode ipvs; default rr)"),
      minSyncPeriod: duration.default("1s").describe("--iptables-min-sync-period / --ipvs-min-sync-period: at most one rules sync per this period"),
      syncPeriod: period.default("30s").describe("--iptables-sync-period / --ipvs-sync-period: the retry interval of a failed sync (kubesim's syncs do not fail)"),
      watchDelay: duration.default("100ms").describe("kubesim's: from a stored EndpointSlice write to kube-proxy's informer seeing it"),
    })
    .optional()
    .describe("kube-proxy on every node (upstream defaults when left out)"),
};

const requestLoadEntry = z
  .strictObject({
    service: dnsLabel.describe("the name of a Service of the scenario"),
    namespace: dnsLabel.default("default"),
    rate: rate.optional().describe("requests per second (a Poisson process)"),
    steps: z
      .array(z.strictObject({ at: duration, rate }), { error: "expected a list of {at, rate}" })
      .min(1, { error: "expected at least one step" })
      .optional()
      .describe("the rate over time: from each step's `at` on, its rate (0 before the first)"),
    daily: dailyCurve("requests").optional(),
    serviceTime: durationDistribution.describe("how long a pod works on one request"),
    concurrencyPerPod: positiveInt("a positive number of requests one pod serves at a time").describe("requests one pod serves at a time; more are refused (overloaded)"),
    via: z
      .enum(["clusterIP", "loadBalancer"], { error: 'expected "clusterIP" (clients on the nodes) or "loadBalancer" (clients outside, through the Service\'s cloud load balancer)' })
      .default("clusterIP")
      .describe("clusterIP: clients on every node send to the cluster IP; loadBalancer: clients outside send to the Service's load balancer (type LoadBalancer)"),
  })
  .superRefine((l, ctx) => {
    const given = (["rate", "steps", "daily"] as const).filter((k) => l[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of rate, steps or daily, got ${given.length === 0 ? "none" : given.join(" and ")}` });
    }
    checkDaily(l.daily, ctx);
  });

export const requestLoadSection = {
  requestLoad: z.array(requestLoadEntry, { error: "expected a list of request loads" }).optional().describe("requests sent to Services from clients on every node"),
};
