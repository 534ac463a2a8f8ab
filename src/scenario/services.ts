/**
 * The Services of a scenario, its kubeProxy section and its request loads, resolved
 * once (issue 11). A request load names a Service of the scenario (not a headless one:
 * kube-proxy routes nothing for those); its steps come in time order.
 */
import type { ServiceSpec } from "../apiserver/endpointSlices.js";
import { DEFAULT_KUBE_PROXY, type KubeProxySpec } from "../proxy/kubeProxy.js";
import type { RateStep, RequestLoadSpec } from "../proxy/requestLoad.js";
import type { RateCurve } from "../engine/rateCurve.js";
import { durationUs } from "./duration.js";
import { ScenarioError } from "./errors.js";
import { distributionSeconds } from "./fields.js";
import type { Scenario } from "./schema.js";
import { workloadEntries } from "./workloadEntries.js";

export interface ResolvedServices {
  services: ServiceSpec[];
  kubeProxy: KubeProxySpec;
  requestLoads: RequestLoadSpec[];
}

export function resolveServices(s: Scenario, file: string): ResolvedServices {
  const hasCcm = s.cloudControllerManager !== undefined;
  const services: ServiceSpec[] = [];
  const headless: boolean[] = [];
  for (const { w, atUs } of workloadEntries(s)) {
    if (w.kind !== "Service") continue;
    const spec = w.spec ?? {};
    services.push({
      name: w.metadata.name,
      namespace: w.metadata.namespace ?? "default",
      selector: spec.selector ?? undefined,
      publishNotReadyAddresses: spec.publishNotReadyAddresses ?? false,
      startUs: atUs,
      ...(spec.type === "LoadBalancer" && { loadBalancer: true }),
    });
    headless.push(spec.clusterIP === "None");
  }
  const p = s.kubeProxy;
  const kubeProxy: KubeProxySpec = p
    ? { mode: p.mode, ipvsScheduler: p.ipvsScheduler, minSyncPeriodUs: durationUs(p.minSyncPeriod), syncPeriodUs: durationUs(p.syncPeriod), watchDelayUs: durationUs(p.watchDelay) }
    : DEFAULT_KUBE_PROXY;
  const requestLoads = (s.requestLoad ?? []).map((l, i): RequestLoadSpec => {
    const service = services.findIndex((x) => x.name === l.service && x.namespace === l.namespace);
    if (service < 0) {
      const names = services.filter((x) => x.namespace === l.namespace).map((x) => x.name);
      throw new ScenarioError(file, `requestLoad[${i}].service`, `expected the name of a Service of the scenario in namespace ${l.namespace} (${names.join(", ") || "none"}), got ${JSON.stringify(l.service)}`);
    }
    if (headless[service]) throw new ScenarioError(file, `requestLoad[${i}].service`, `expected a Service with a cluster IP, got headless Service ${l.namespace}/${l.service} (clusterIP: None: kube-proxy routes nothing for it)`);
    if (l.via === "loadBalancer") {
      if (!services[service].loadBalancer) throw new ScenarioError(file, `requestLoad[${i}].via`, `expected a Service of type LoadBalancer for via: loadBalancer, got ${l.namespace}/${l.service} of type ClusterIP`);
      if (!hasCcm) throw new ScenarioError(file, `requestLoad[${i}].via`, "expected a cloudControllerManager section for via: loadBalancer (without one nobody provisions the load balancer: its EXTERNAL-IP stays <pending>)");
    }
    let steps: RateStep[];
    if (l.steps) {
      steps = l.steps.map((x) => ({ atUs: durationUs(x.at), ratePerS: x.rate }));
      for (let k = 1; k < steps.length; k++) {
        if (steps[k].atUs <= steps[k - 1].atUs) throw new ScenarioError(file, `requestLoad[${i}].steps[${k}].at`, `expected a time after steps[${k - 1}].at, got ${JSON.stringify(l.steps[k].at)}`);
      }
      if (steps[0].atUs > 0) steps.unshift({ atUs: 0, ratePerS: 0 });
    } else steps = [{ atUs: 0, ratePerS: l.rate ?? 0 }];
    const daily: RateCurve | undefined = l.daily && { type: "daily", minPerS: l.daily.min, maxPerS: l.daily.max, peakAtUs: durationUs(l.daily.peakAt) };
    return { service, ...(l.via === "loadBalancer" && { viaLoadBalancer: true }), steps, ...(daily && { curve: daily }), serviceTime: distributionSeconds(l.serviceTime), concurrencyPerPod: l.concurrencyPerPod };
  });
  return { services, kubeProxy, requestLoads };
}
