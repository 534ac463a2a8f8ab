/** From a validated scenario to nodes, templates, workloads and faults. */
import { describe, expect, it } from "vitest";
import { validateScenario } from "../../src/scenario/load.js";
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

describe("workloads and faults", () => {
  const s = validateScenario({
    name: "w",
    duration: "1h",
    nodePools: [{ name: "a", count: 6, zones: ["z1", "z2", "z3"], allocatable: { cpu: 4, memory: "8Gi" } }],
    workloads: [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }] } } } },
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
    expect(spec.templates[spec.deployments[0].template].pod.metadata!.labels!["pod-template-hash"]).toBe(spec.deployments[0].templateHash);
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
