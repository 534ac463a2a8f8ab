/**
 * What of a v1 Service kubesim does not model, refused at its field rather than run
 * differently from a real cluster (kubesim's rule: never a silently different number).
 * Modelled: type ClusterIP (the default), headless Services (clusterIP: None: they get
 * EndpointSlices, kube-proxy programs nothing for them) and type LoadBalancer (the cloud's
 * default load balancer, provisioned by the cloud-controller-manager's service controller,
 * externalTrafficPolicy Cluster), spec.selector, spec.publishNotReadyAddresses; ports are
 * validated and otherwise ignored.
 */
import type { FieldError } from "../apiserver/admission/validation/fieldError.js";
import { decodeError } from "../apiserver/admission/validation/fieldError.js";
import type { Service } from "../model/types.js";

/** The first field of `svc` kubesim does not model, or undefined. */
export function unmodelledServiceField(svc: Service): FieldError | undefined {
  const spec = svc.spec ?? {};
  const got = (v: unknown) => JSON.stringify(v);
  if (spec.type !== undefined && spec.type !== "ClusterIP" && spec.type !== "LoadBalancer") {
    return decodeError(["spec", "type"], `expected ClusterIP or LoadBalancer (kubesim does not model NodePort or ExternalName Services), got ${got(spec.type)}`);
  }
  if (spec.type === "LoadBalancer") {
    if (spec.loadBalancerClass !== undefined) {
      return decodeError(["spec", "loadBalancerClass"], `expected no loadBalancerClass (kubesim models the cloud provider's default load balancer; a class hands the Service to another controller), got ${got(spec.loadBalancerClass)}`);
    }
    if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== "Cluster") {
      return decodeError(["spec", "externalTrafficPolicy"], `expected Cluster (kubesim does not model node-local external traffic and its health check node port), got ${got(spec.externalTrafficPolicy)}`);
    }
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
