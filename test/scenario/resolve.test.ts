/** From a validated scenario to nodes, templates, workloads and faults. */
import { describe, expect, it } from "vitest";
import { validateScenario } from "../../src/scenario/load.js";
import { podRequests, podTemplateHash } from "../../src/model/podRequests.js";
import { LABEL_TOPOLOGY_ZONE as LABEL_ZONE } from "../../src/model/wellKnown.js";
import { resolveScenario, spreadOverZones } from "../../src/scenario/resolve.js";

describe("zones", () => {
  it("equal zones are filled round-robin", () => {
    expect(spreadOverZones([{ name: "a", weight: 1 }, { name: "b", weight: 1 }, { name: "c", weight: 1 }], 7)).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
  });

  it("weights give each zone its share, interleaved", () => {
    const z = spreadOverZones([{ name: "a", weight: 2 }, { name: "b", weight: 1 }], 9);
    expect(z.filter((x) => x === "a")).toHaveLength(6);
    expect(z.filter((x) => x === "b")).toHaveLength(3);
    // Never three of the same zone in a row at weights 2:1.
    expect(z.join("")).not.toContain("aaa");
  });

  it("nodes carry hostname, zone and pool labels and allocatable in integer units", () => {
    const s = validateScenario({
      name: "r",
      duration: "1m",
      nodePools: [
        {
          name: "gpu",
          count: 4,
          zones: [{ name: "eu-1a", weight: 3 }, { name: "eu-1b", weight: 1 }],
          allocatable: { cpu: "7910m", memory: "30Gi", "nvidia.com/gpu": 8, "ephemeral-storage": "100G" },
          labels: { accelerator: "h100" },
          taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
        },
      ],
    });
    const spec = resolveScenario(s);
    expect(spec.nodes.map((n) => n.name)).toEqual(["gpu-0", "gpu-1", "gpu-2", "gpu-3"]);
    expect(spec.nodes.map((n) => n.zone)).toEqual(["eu-1a", "eu-1a", "eu-1b", "eu-1a"]);
    const n = spec.nodes[2];
    expect(n.labels).toEqual({ accelerator: "h100", "kubernetes.io/hostname": "gpu-2", "kubesim.io/node-pool": "gpu", [LABEL_ZONE]: "eu-1b" });
    expect([n.cpuMilli, n.memoryBytes, n.ephemeralBytes, n.pods]).toEqual([7910, 30 * 2 ** 30, 100e9, 110]);
    expect(n.extended).toEqual({ "nvidia.com/gpu": 8 });
  });
});

describe("pod requests (component-helpers PodRequests)", () => {
  const c = (cpu: string, memory: string, restartPolicy?: string) => ({ name: "c", resources: { requests: { cpu, memory } }, restartPolicy });

  it("sums containers and adds overhead", () => {
    const r = podRequests({ containers: [c("100m", "100Mi"), c("200m", "50Mi")], overhead: { cpu: "10m", memory: "1Mi" } });
    expect(r.get("cpu")).toBe(310);
    expect(r.get("memory")).toBe(151 * 2 ** 20);
  });

  it("an init container larger than the sum sets the request (max rule)", () => {
    const r = podRequests({ containers: [c("100m", "100Mi")], initContainers: [c("500m", "10Mi"), c("50m", "1Gi")] });
    expect(r.get("cpu")).toBe(500);
    expect(r.get("memory")).toBe(2 ** 30);
  });

  it("sidecars (restartable init containers) add to the containers and to later init containers", () => {
    // sidecar 200m runs alongside: containers 100m + 200m = 300m; the init container after it peaks at 250m + 200m = 450m.
    const r = podRequests({ containers: [c("100m", "0")], initContainers: [c("200m", "0", "Always"), c("250m", "0")] });
    expect(r.get("cpu")).toBe(450);
    const r2 = podRequests({ containers: [c("100m", "0")], initContainers: [c("250m", "0"), c("200m", "0", "Always")] });
    // The init container runs before the sidecar starts: max(250, 100 + 200) = 300.
    expect(r2.get("cpu")).toBe(300);
  });

  it("a limit without a request is the request (API server defaulting)", () => {
    const r = podRequests({ containers: [{ resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "500m" } } }] });
    expect(r.get("cpu")).toBe(500);
    expect(r.get("memory")).toBe(2 ** 30);
  });

  it("the pod-template-hash uses the safe alphabet and changes with the template", () => {
    const a = podTemplateHash({ spec: { containers: [{ name: "a" }] } });
    const b = podTemplateHash({ spec: { containers: [{ name: "b" }] } });
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(a).not.toBe(b);
  });
});

describe("workloads and faults", () => {
  const s = validateScenario({
    name: "w",
    duration: "1h",
    nodePools: [{ name: "a", count: 6, zones: ["z1", "z2", "z3"], allocatable: { cpu: 4, memory: "8Gi" } }],
    workloads: [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: { spec: { containers: [{ name: "c" }] } } } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "one" }, spec: { activeDeadlineSeconds: 60, containers: [{ name: "c" }] } },
      { kind: "PoissonArrivals", name: "b", meanInterarrival: "500ms", start: "1m", lifetime: { type: "exponential", mean: "10m" }, template: { spec: { containers: [{ name: "c" }] } } },
    ],
    faults: [
      { type: "node-failure", at: "10m", zone: "z2", recoverAfter: "5m" },
      { type: "node-recovery", at: "20m", pool: "a", count: 1 },
    ],
  });
  const spec = resolveScenario(s);

  it("a Deployment defaults to 1 replica and its pods carry pod-template-hash", () => {
    expect(spec.deployments[0]).toMatchObject({ name: "web", namespace: "shop", replicas: 1 });
    expect(spec.templates[spec.deployments[0].template].labels["pod-template-hash"]).toBe(spec.deployments[0].templateHash);
  });

  it("a bare Pod keeps its activeDeadlineSeconds; arrivals get their rate and window", () => {
    expect(spec.pods[0]).toMatchObject({ name: "one", namespace: "default", activeDeadlineUs: 60e6 });
    expect(spec.arrivals[0]).toMatchObject({ meanInterarrivalUs: 500e3, startUs: 60e6, stopUs: 3600e6, lifetime: { type: "exponential", mean: 600 } });
  });

  it("a zone fault covers every node of the zone; a pool fault with a count picks that many", () => {
    expect(spec.faults[0]).toMatchObject({ atUs: 600e6, type: "node-failure", candidates: [1, 4], count: Infinity, recoverAfterUs: 300e6 });
    expect(spec.faults[1]).toMatchObject({ type: "node-recovery", candidates: [0, 1, 2, 3, 4, 5], count: 1, recoverAfterUs: -1 });
  });
});
