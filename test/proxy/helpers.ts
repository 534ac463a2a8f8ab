/** Scenarios with Services for the proxy and EndpointSlice tests, written as a user would. */
import { prepareScenario } from "../../src/scenario/load.js";
import { ClusterRun } from "../../src/run/run.js";

export const S = 1e6;

export interface WebOptions {
  replicas?: number;
  nodes?: number;
  zones?: string[];
  service?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  workloads?: unknown[];
}

/** `nodes` nodes, a Deployment web of `replicas` spread one-per-node-first, and Service web selecting it. */
export function webScenario(o: WebOptions = {}): Record<string, unknown> {
  return {
    name: "svc",
    seed: 7,
    duration: "10m",
    sampleInterval: "5s",
    nodePools: [{ name: "n", count: o.nodes ?? 4, ...(o.zones ? { zones: o.zones } : {}), allocatable: { cpu: "64", memory: "256Gi", pods: 110 } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "shop" },
        spec: {
          replicas: o.replicas ?? 8,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }],
              containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "100m", memory: "128Mi" } } }],
            },
          },
        },
      },
      { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }], ...(o.service ?? {}) } },
      ...(o.workloads ?? []),
    ],
    ...(o.extra ?? {}),
  };
}

export function runOf(raw: Record<string, unknown>): ClusterRun {
  return new ClusterRun(prepareScenario(raw, "svc.yaml").spec);
}
