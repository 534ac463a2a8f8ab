/**
 * The request load's failure reasons and counts on small hand cases:
 * - a Service that selects no pod: every request fails no-endpoints;
 * - one pod, concurrency 1, a constant 10 s service time: a request is served only when
 *   the pod holds none, every other one is overloaded; served requests take exactly 10 s;
 * - the only pod deleted: its containers get SIGTERM at once (the app stops answering,
 *   kubesim's assumption) while kube-proxy still sends to it: first while the slice
 *   change travels (5 ms write + 100 ms watch), then because a terminating endpoint that
 *   is still serving (pod Ready) is kube-proxy's fallback when no endpoint is ready:
 *   not-serving until the pod is gone (30 s grace), then no-endpoints;
 * - rate steps: no request before the first step, the rate of each step after it.
 */
import { describe, expect, it } from "vitest";
import { OUTCOME_DELETED } from "../../src/apiserver/clusterState.js";
import { ENDPOINT_GONE, NODE_UNREACHABLE, NOT_SERVING, NO_ENDPOINTS, OVERLOADED } from "../../src/proxy/requestLoad.js";
import { runOf, S, webScenario } from "./helpers.js";

const load = (over: Record<string, unknown>) => ({ requestLoad: [{ service: "web", namespace: "shop", rate: 10, serviceTime: "10ms", concurrencyPerPod: 4, ...over }] });

describe("request failures", () => {
  it("a Service without endpoints: every request fails no-endpoints", () => {
    const run = runOf(webScenario({ replicas: 0, extra: load({}) }));
    run.advance(60 * S);
    const c = run.services!.requests.total[0];
    expect(c.sent).toBeGreaterThan(400);
    expect(c.failed[NO_ENDPOINTS]).toBe(c.sent);
  });

  it("one pod, concurrency 1, 10 s per request: one served per busy period, the rest overloaded, latency exactly 10 s", () => {
    const run = runOf(webScenario({ replicas: 1, nodes: 1, extra: load({ serviceTime: "10s", concurrencyPerPod: 1 }) }));
    run.advance(300 * S);
    const c = run.services!.requests.total[0];
    // The pod runs from ~1 s: at most one request per 10 s after that, at least one per 10 s + the longest gap.
    expect(c.served + c.inFlight).toBeLessThanOrEqual(30);
    expect(c.served + c.inFlight).toBeGreaterThanOrEqual(25);
    expect(c.failed[OVERLOADED]).toBe(c.sent - c.served - c.inFlight - c.failed[NO_ENDPOINTS]);
    expect(run.services!.requests.latency[0].maxUs).toBe(10 * S);
    expect(run.services!.requests.latency[0].quantileUs(0.01)).toBeGreaterThanOrEqual(9.99 * S);
  });

  it("the only pod deleted: not-serving while kube-proxy still routes to it, then no-endpoints once it is gone", () => {
    const bare = { apiVersion: "v1", kind: "Pod", metadata: { name: "solo", namespace: "shop", labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } };
    const run = runOf(webScenario({ replicas: 0, nodes: 1, workloads: [bare], extra: load({ rate: 100 }) }));
    run.advance(60 * S);
    const rs = run.services!;
    const c = rs.requests.total[0];
    const pod = rs.store.version(0).pods[0];
    expect(c.failed[NOT_SERVING]).toBe(0);
    // At 100/s, 10 ms each, at most 4 at a time: an M/D/4 loss system, a few % overloaded (Erlang).
    expect(c.failed[OVERLOADED]).toBeLessThan(0.05 * c.sent);
    run.cluster.deletePod(pod, run.cluster.outcomes.id(OUTCOME_DELETED));
    const noEndpointsBefore = c.failed[NO_ENDPOINTS];
    const otherBefore = c.failed[ENDPOINT_GONE] + c.failed[NODE_UNREACHABLE];
    // Still the one usable endpoint for kube-proxy (serving, terminating) until its kubelet confirms after the 30 s grace.
    run.advance(89.9 * S);
    expect(Array.from(rs.proxies.rules(0, 0)!.usable)).toEqual([pod]);
    expect(Math.abs(c.failed[NOT_SERVING] - 100 * 29.9)).toBeLessThan(4 * Math.sqrt(100 * 29.9));
    expect(c.failed[NO_ENDPOINTS]).toBe(noEndpointsBefore);
    // Gone at 90 s; the slice write (5 ms) and the watch (100 ms) later kube-proxy has no endpoint.
    run.advance(90.105 * S);
    expect(rs.proxies.rules(0, 0)!.usable.length).toBe(0);
    const notServing = c.failed[NOT_SERVING];
    run.advance(100 * S);
    expect(c.failed[NOT_SERVING]).toBe(notServing);
    expect(c.failed[NO_ENDPOINTS] - noEndpointsBefore).toBeGreaterThan(800);
    // Between its end (90 s) and kube-proxy's sync (90.105 s) the rules still name it: endpoint-gone, about 100/s x 0.105 s.
    expect(c.failed[ENDPOINT_GONE] + c.failed[NODE_UNREACHABLE] - otherBefore).toBeLessThanOrEqual(25);
  });

  it("rate steps: nothing before the first step, then about each step's rate", () => {
    const run = runOf(webScenario({ replicas: 2, nodes: 2, extra: { requestLoad: [{ service: "web", namespace: "shop", steps: [{ at: "60s", rate: 50 }, { at: "120s", rate: 0 }, { at: "180s", rate: 200 }], serviceTime: "1ms", concurrencyPerPod: 10 }] } }));
    const sentAt = (t: number) => {
      run.advance(t * S);
      return run.services!.requests.total[0].sent;
    };
    expect(sentAt(60)).toBe(0);
    const a = sentAt(120);
    const b = sentAt(180);
    const c = sentAt(240);
    // Poisson counts: mean 3000 and 12000, 4 standard deviations
    expect(Math.abs(a - 3000)).toBeLessThan(4 * Math.sqrt(3000));
    expect(b).toBe(a);
    expect(Math.abs(c - b - 12000)).toBeLessThan(4 * Math.sqrt(12000));
  });
});
