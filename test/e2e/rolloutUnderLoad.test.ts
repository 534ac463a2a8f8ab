/**
 * A rollout under request load, with and without a readiness probe, against a hand
 * computation. 10 replicas, maxSurge 1 / maxUnavailable 0, rolled out at 60 s; a Service
 * takes 100 requests/s (Poisson) from 40 s on (every pod Ready by then), 20 ms each; the app answers 23 s after its
 * container starts (kubesim.io/warm-up) and stops answering at SIGTERM. No control plane:
 * every API write takes 5 ms; kube-proxy sees a slice 100 ms after it is stored.
 *
 * Without a readiness probe a new pod is Ready when its container starts (r_i), so the
 * Deployment deletes an old pod at once and starts the next new one: a wave a little over
 * 1 s (create, binding, the 1 s start-up). At r_i the EndpointSlice controller writes the
 * slice (5 ms: the new endpoint ready, the old one terminating); every kube-proxy sees it
 * at r_i + 105 ms and syncs at once (its last sync was a wave, over 1 s, earlier:
 * minSyncPeriod is no wait). So the rules always hold 10 endpoints, and
 *   - each new pod is in the rules, warming, from r_i + 0.105 to r_i + 23: 22.895 s at a
 *     1/10 share of 100/s: 10 pods x 22.895 s x 10/s = 2,289.5 failed requests;
 *   - each old pod is in the rules after its SIGTERM for 0.105 s: 10 x 0.105 x 10/s = 10.5.
 * Expected not-serving failures: 2,300 (Poisson: 4 standard deviations are 192).
 *
 * With a readiness probe (initialDelaySeconds 5, periodSeconds 10 by default) the prober's
 * ticks fall at binding + 10 k; the app answers from binding + 24 s, so the pod is Ready
 * at binding + 30 s and gets traffic only then, warmed up. Each old pod is deleted when the
 * new one is Ready and stays in the rules 0.105 s after its SIGTERM: 10.5 expected
 * failures, all at terminating pods, and none at a warming one.
 *
 * terminationGracePeriodSeconds is 45 s so that an old pod's exit (its containers take the
 * whole grace period) falls between waves: with the default 30 s it falls 11 ms before
 * the next wave's Ready, its slice change makes every kube-proxy sync at R + 99 ms, and
 * minSyncPeriod (1 s) then holds the next removal until R + 1.099 s: ~11 failures a wave
 * instead of ~1 (scenarios/rolling-update.yaml shows that effect at scale).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

function scenario(readinessProbe: boolean) {
  return {
    name: "rollout-under-load",
    duration: "8m",
    sampleInterval: "1s",
    nodePools: [{ name: "general", count: 4, allocatable: { cpu: "8", memory: "32Gi", pods: 110 } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "shop", annotations: { "kubesim.io/warm-up": "23s" } },
        spec: {
          replicas: 10,
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              terminationGracePeriodSeconds: 45,
              containers: [
                {
                  name: "web",
                  image: "nginx:1.27",
                  resources: { requests: { cpu: "500m", memory: "1Gi" } },
                  ...(readinessProbe ? { readinessProbe: { httpGet: { path: "/", port: 80 }, initialDelaySeconds: 5 } } : {}),
                },
              ],
            },
          },
        },
      },
      { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } },
    ],
    requestLoad: [{ service: "web", namespace: "shop", steps: [{ at: "40s", rate: 100 }], serviceTime: "20ms", concurrencyPerPod: 16 }],
    actions: [{ at: "60s", type: "set-image", deployment: "web", namespace: "shop", container: "web", image: "nginx:1.28" }],
  };
}

function run(readinessProbe: boolean) {
  const r = simulate(scenario(readinessProbe));
  const get = (name: string) => Number(r.summary.find((row) => row.metric === `${name}{service=shop/web}`)!.value);
  const done = r.events.find((e) => e.kind === "RolloutComplete")!;
  return {
    rolloutS: done.sim_time_s - 60,
    sent: get("service_requests_sent"),
    served: get("service_requests_served"),
    notServing: get("service_requests_failed_not_serving"),
    failed: get("service_requests_failed"),
    inFlight: get("service_requests_in_flight_at_end"),
  };
}

const within4Sigma = (x: number, mean: number) => Math.abs(x - mean) <= 4 * Math.sqrt(mean);

describe("a rollout under request load (maxSurge 1, maxUnavailable 0, 23 s warm-up)", () => {
  it("without a readiness probe: each new pod takes its share of traffic while it warms up (~2,300 failures by hand)", () => {
    const r = run(false);
    expect(r.rolloutS).toBeGreaterThan(10);
    expect(r.rolloutS).toBeLessThan(11);
    expect(r.failed).toBe(r.notServing);
    expect(within4Sigma(r.notServing, 10 * 22.895 * 10 + 10 * 0.105 * 10)).toBe(true);
    expect(r.sent).toBe(r.served + r.failed + r.inFlight);
  });

  it("with a readiness probe: pods get traffic only once warmed; only the requests to pods already sent SIGTERM fail (~10.5 by hand)", () => {
    const r = run(true);
    // 10 waves of binding + 30 s (the first readiness tick past the warm-up), plus creates and bindings
    expect(r.rolloutS).toBeGreaterThan(300);
    expect(r.rolloutS).toBeLessThan(301);
    expect(r.failed).toBe(r.notServing);
    expect(r.notServing).toBeLessThanOrEqual(10.5 + 4 * Math.sqrt(10.5));
    expect(r.sent).toBe(r.served + r.failed + r.inFlight);
  });
});
