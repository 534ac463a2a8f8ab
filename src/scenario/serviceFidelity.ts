/**
 * What of a v1 Service kubesim does not model, refused at its field rather than run
 * differently from a real cluster (kubesim's rule: never a silently different number).
 * Modelled: type ClusterIP (the default) and headless Services (clusterIP: None: they get
 * EndpointSlices, kube-proxy programs nothing for them), spec.selector,
 * spec.publishNotReadyAddresses; ports are validated and otherwise ignored.
 */
import type { FieldError } from "../apiserver/admission/validation/fieldError.js";
import { decodeError } from "../apiserver/admission/validation/fieldError.js";
import type { Service } from "../model/types.js";

/** The first field of `svc` kubesim does not model, or undefined. */
export function unmodelledServiceField(svc: Service): FieldError | undefined {
  const spec = svc.spec ?? {};
  const got = (v: unknown) => JSON.stringify(v);
  if (spec.type !== undefined && spec.type !== "ClusterIP") {
    return decodeError(["spec", "type"], `expected ClusterIP (kubesim does not model NodePort, LoadBalancer or ExternalName Services), got ${got(spec.type)}`);
  }
  if (spec.sessionAffinity !== undefined && spec.sessionAffinity !== "None") {
    return decodeError(["spec", "sessionAffinity"], `expected None (kubesim does not model ClientIP session affinity), got ${got(spec.sessionAffinity)}`);
  }
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== "Cluster") {
    return decodeError(["spec", "internalTrafficPolicy"], `expected Cluster (kubesim does not model node-local traffic policy), got ${got(spec.internalTrafficPolicy)}`);
  }
  const distribution = spec.trafficDistribution;
  if (distribution !== undefined) {
    return decodeError(["spec", "trafficDistribution"], `expected no trafficDistribution (kubesim does not model topology-aware routing), got ${got(distribution)}`);
  }
  if (spec.externalIPs !== undefined && spec.externalIPs.length > 0) {
    return decodeError(["spec", "externalIPs"], `expected no externalIPs (kubesim models traffic to the cluster IP only), got ${got(spec.externalIPs)}`);
  }
  return undefined;
}
