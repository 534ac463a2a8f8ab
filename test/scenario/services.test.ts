/** Services, kubeProxy and requestLoad in a scenario: what kubesim does not model is one line naming the field. */
import { describe, expect, it } from "vitest";
import { prepareScenario } from "../../src/scenario/load.js";
import { webScenario } from "../proxy/helpers.js";

const err = (raw: unknown): string => {
  try {
    prepareScenario(raw, "s.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  return "accepted";
};
const withService = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => webScenario({ service: spec, extra });
const load = (over: Record<string, unknown>) => ({ requestLoad: [{ service: "web", namespace: "shop", rate: 10, serviceTime: "10ms", concurrencyPerPod: 4, ...over }] });

describe("Service objects", () => {
  it.each([
    [{ type: "NodePort" }, 's.yaml: workloads[1].spec.type: expected ClusterIP or LoadBalancer (kubesim does not model NodePort or ExternalName Services), got "NodePort"'],
    [{ type: "ExternalName" }, 's.yaml: workloads[1].spec.type: expected ClusterIP or LoadBalancer (kubesim does not model NodePort or ExternalName Services), got "ExternalName"'],
    [{ type: "LoadBalancer", externalTrafficPolicy: "Local" }, 's.yaml: workloads[1].spec.externalTrafficPolicy: expected Cluster (kubesim does not model node-local external traffic and its health check node port), got "Local"'],
    [{ sessionAffinity: "ClientIP" }, 's.yaml: workloads[1].spec.sessionAffinity: expected None (kubesim does not model ClientIP session affinity), got "ClientIP"'],
    [{ internalTrafficPolicy: "Local" }, 's.yaml: workloads[1].spec.internalTrafficPolicy: expected Cluster (kubesim does not model node-local traffic policy), got "Local"'],
    [{ trafficDistribution: "PreferClose" }, 's.yaml: workloads[1].spec.trafficDistribution: expected no trafficDistribution (kubesim does not model topology-aware routing), got "PreferClose"'],
  ])("refuses %j", (spec, message) => {
    expect(err(withService(spec))).toBe(message);
  });

  it("accepts ClusterIP written out, publishNotReadyAddresses, a headless Service", () => {
    expect(err(withService({ type: "ClusterIP", sessionAffinity: "None", internalTrafficPolicy: "Cluster", publishNotReadyAddresses: true }))).toBe("accepted");
    expect(err(withService({ clusterIP: "None" }))).toBe("accepted");
  });

  it("an unknown field is refused by strict decoding, as kubectl --validate=strict", () => {
    expect(err(withService({ selectr: { app: "web" } }))).toMatch(/^s\.yaml: workloads\[1\]\.spec\.selectr: /);
  });
});

describe("requestLoad", () => {
  it("names a Service of the scenario, not a headless one", () => {
    expect(err(withService({}, load({ service: "api" })))).toBe('s.yaml: requestLoad[0].service: expected the name of a Service of the scenario in namespace shop (web), got "api"');
    expect(err(withService({ clusterIP: "None" }, load({})))).toBe("s.yaml: requestLoad[0].service: expected a Service with a cluster IP, got headless Service shop/web (clusterIP: None: kube-proxy routes nothing for it)");
  });

  it("exactly one of rate or steps; steps in time order; a positive concurrency", () => {
    expect(err(withService({}, load({ steps: [{ at: "1m", rate: 5 }] })))).toBe("s.yaml: requestLoad[0]: expected exactly one of rate, steps or daily, got rate and steps");
    expect(err(withService({}, load({ rate: undefined, steps: [{ at: "1m", rate: 5 }, { at: "30s", rate: 1 }] })))).toBe('s.yaml: requestLoad[0].steps[1].at: expected a time after steps[0].at, got "30s"');
    expect(err(withService({}, load({ concurrencyPerPod: 0 })))).toMatch(/^s\.yaml: requestLoad\[0\]\.concurrencyPerPod: expected a positive number of requests one pod serves at a time/);
    expect(err(withService({}, load({ rate: -1 })))).toMatch(/^s\.yaml: requestLoad\[0\]\.rate: expected a number of requests per second \(0 or more\)/);
  });

  it("kubeProxy: an unknown mode or scheduler", () => {
    expect(err(withService({}, { kubeProxy: { mode: "userspace" } }))).toMatch(/^s\.yaml: kubeProxy\.mode: expected "iptables", "nftables" or "ipvs"/);
    expect(err(withService({}, { kubeProxy: { mode: "ipvs", ipvsScheduler: "sh" } }))).toMatch(/^s\.yaml: kubeProxy\.ipvsScheduler: expected "rr" \(round robin\) or "lc" \(least connection\)/);
  });
});
