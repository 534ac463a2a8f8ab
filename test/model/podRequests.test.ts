/**
 * A pod's effective requests (k8s.io/component-helpers resource.PodRequests), on
 * hand-computed cases: the one function the scheduler, the kubelet and the cluster's
 * accounting read.
 */
import { describe, expect, test } from "vitest";
import { DEFAULT_MEMORY_REQUEST_BYTES, DEFAULT_MILLI_CPU_REQUEST, podRequests } from "../../src/model/podRequests.js";
import type { Container, PodSpec } from "../../src/model/types.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const c = (requests: Record<string, string> | undefined, restartPolicy?: string): Container => ({ name: "c", ...(requests ? { resources: { requests } } : {}), ...(restartPolicy ? { restartPolicy } : {}) });

describe("podRequests", () => {
  test("sums containers and adds overhead", () => {
    const r = podRequests({ containers: [c({ cpu: "100m", memory: "100Mi" }), c({ cpu: "200m", memory: "50Mi" })], overhead: { cpu: "10m", memory: "1Mi" } });
    expect([r.cpuMilli, r.memoryBytes]).toEqual([310, 151 * MiB]);
  });

  test("max(sum of containers, largest init container) + overhead", () => {
    const spec: PodSpec = {
      containers: [c({ cpu: "1", memory: "1Gi" }), c({ cpu: "2", memory: "1Gi" })],
      initContainers: [c({ cpu: "2", memory: "3Gi" }), c({ cpu: "2500m" })],
      overhead: { cpu: "250m", memory: "120Mi" },
    };
    const r = podRequests(spec);
    expect([r.cpuMilli, r.memoryBytes]).toEqual([3000 + 250, 3 * GiB + 120 * MiB]);
  });

  test("sidecars (restartPolicy Always) add to the total and stay running during later init containers", () => {
    // sidecar 200m, then init 250m: containers 100 + 200 = 300; the init peak 250 + 200 = 450.
    expect(podRequests({ containers: [c({ cpu: "100m" })], initContainers: [c({ cpu: "200m" }, "Always"), c({ cpu: "250m" })] }).cpuMilli).toBe(450);
    // init 250m before the sidecar starts: max(250, 100 + 200) = 300.
    expect(podRequests({ containers: [c({ cpu: "100m" })], initContainers: [c({ cpu: "250m" }), c({ cpu: "200m" }, "Always")] }).cpuMilli).toBe(300);
  });

  test("reads requests only: a limit is the request after the API server's defaulting, not here", () => {
    const r = podRequests({ containers: [{ name: "c", resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "500m" } } }] });
    expect([r.cpuMilli, r.memoryBytes]).toEqual([500, 0]);
  });

  test("pod-level requests replace cpu, memory and hugepages of the containers; overhead still adds", () => {
    const spec: PodSpec = {
      containers: [c({ cpu: "1", memory: "1Gi", "nvidia.com/gpu": "1", "hugepages-2Mi": "4Mi" })],
      resources: { requests: { cpu: "3", memory: "2Gi", "hugepages-2Mi": "8Mi" } },
      overhead: { cpu: "100m" },
    };
    const r = podRequests(spec);
    expect([r.cpuMilli, r.memoryBytes]).toEqual([3100, 2 * GiB]);
    expect(r.scalars.get("hugepages-2Mi")).toBe(8 * MiB);
    // extended resources are not pod-level resources: the containers' sum stays
    expect(r.scalars.get("nvidia.com/gpu")).toBe(1);
  });

  test("non-zero defaults (100m, 200Mi) apply per container only when the key is missing", () => {
    const spec: PodSpec = { containers: [c(undefined), c({ cpu: "0", memory: "0" }), c({ cpu: "300m" })] };
    const nz = podRequests(spec, true);
    expect([nz.cpuMilli, nz.memoryBytes]).toEqual([DEFAULT_MILLI_CPU_REQUEST + 0 + 300, DEFAULT_MEMORY_REQUEST_BYTES * 2]);
    expect(DEFAULT_MEMORY_REQUEST_BYTES).toBe(200 * MiB);
    const actual = podRequests(spec);
    expect([actual.cpuMilli, actual.memoryBytes]).toEqual([300, 0]);
    expect(podRequests({ containers: [] }, true).cpuMilli).toBe(0);
  });
});
