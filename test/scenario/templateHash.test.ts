/**
 * A Deployment's pod-template-hash (and so its pods' names) does not depend on the order
 * in which the manifest lists the template's fields: upstream hashes the Go object
 * (controller.ComputeHash), whose field order is the type's, not the file's.
 * KUBESIM_LIB=<path to dist/src/index.js> runs it against another build.
 */
import { describe, expect, it } from "vitest";

const LIB = process.env.KUBESIM_LIB ?? "../../src/index.js";
const { prepareScenario } = (await import(LIB)) as typeof import("../../src/index.js");

function hashOf(podSpec: Record<string, unknown>, metadata: Record<string, unknown> = { labels: { app: "web", tier: "a" } }): string {
  const { spec } = prepareScenario({
    name: "h",
    duration: "1m",
    nodePools: [{ name: "p", count: 1, allocatable: { cpu: 4, memory: "8Gi" } }],
    workloads: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata, spec: podSpec } } }],
  });
  return spec.deployments[0].templateHash;
}

describe("pod-template-hash", () => {
  it("is the same whatever the order of the template's keys", () => {
    const containers = [{ name: "c", resources: { requests: { cpu: "1" }, limits: { cpu: "2" } } }];
    const reordered = [{ resources: { limits: { cpu: "2" }, requests: { cpu: "1" } }, name: "c" }];
    const a = hashOf({ terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst", containers });
    expect(hashOf({ dnsPolicy: "ClusterFirst", containers: reordered, terminationGracePeriodSeconds: 30 })).toBe(a);
    expect(hashOf({ containers, dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30 }, { labels: { tier: "a", app: "web" } })).toBe(a);
  });

  it("changes when the template does", () => {
    const containers = [{ name: "c", resources: { requests: { cpu: "1" } } }];
    expect(hashOf({ containers, terminationGracePeriodSeconds: 30 })).not.toBe(hashOf({ containers, terminationGracePeriodSeconds: 31 }));
  });
});
