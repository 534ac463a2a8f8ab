/**
 * Nodes, as pkg/apis/core/validation ValidateNode checks them on create: metadata (a
 * cluster-scoped DNS-subdomain name), taints, and the capacity and allocatable quantities
 * (status is optional, but validated when given — the kubelet registers its node with it).
 * Upstream reports taint errors under "metadata.taints"; kubesim names the real field,
 * spec.taints.
 */
import type { Node } from "../../../model/types.js";
import type { FieldError } from "./fieldError.js";
import { dnsSubdomainName, validateObjectMeta } from "./objectMeta.js";
import { validateNodeResources } from "./resources.js";
import { validateTaints } from "./taints.js";

export function validateNode(node: Node, out: FieldError[]): void {
  validateObjectMeta(node.metadata, false, dnsSubdomainName, ["metadata"], out);
  validateTaints(node.spec?.taints, ["spec", "taints"], out);
  validateNodeResources(node.status as never, ["status"], out);
}
