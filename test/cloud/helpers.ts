/**
 * What the cloud tests share: a Deployment `web` of 1.5-cpu pods (two fit on a 4-cpu
 * node) and an autoscaled m5.xlarge instance group of 1 to 5 machines booting in 45 s.
 */

/** apps/v1 Deployment web (namespace default), `replicas` pods of `cpu` and 1Gi. */
export const web = (replicas: number, cpu = "1500m") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx", resources: { requests: { cpu, memory: "1Gi" } } }] } },
  },
});

/** A node pool as an autoscaled instance group: 1 m5.xlarge (4 cpu, $0.192/h) at the start, 1 to 5, 45 s to boot. */
export const m5Group = (over: Record<string, unknown> = {}) => ({
  name: "general",
  count: 1,
  allocatable: { cpu: "4", memory: "16Gi", pods: 110 },
  instanceType: { name: "m5.xlarge", pricePerHour: 0.192 },
  autoscaling: { minSize: 1, maxSize: 5 },
  provisioningDelay: "45s",
  ...over,
});
