/**
 * scheduling_resumed_after_fault_s with only the workloads' bindings (no synthetic
 * bindings): losing the host of both lease holders pauses binding until a survivor
 * acquires the kube-scheduler lease, so the metric must reflect the failover instead of
 * reading 0 (as it did while the pause threshold came only from the synthetic rate).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { PAUSE_THRESHOLD_REAL_BINDINGS_US } from "../../src/apiserver/bindingPauses.js";

// client-go leader election defaults: lease 15 s, retry 2 s with jitter 1.2 (<= 4.4 s);
// a binding refused meanwhile waits out its backoff, at most 10 s (podMaxBackoffSeconds).
const LEASE_S = 15;
const RETRY_MAX_S = 4.4;
const BACKOFF_MAX_S = 10;

describe("scheduling pause after a control-plane host loss, workload bindings only", () => {
  it("resumes after the lease failover, within client-go's bounds plus the binding backoff", () => {
    const template = { spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m", memory: "64Mi" } } }] } };
    const r = simulate({
      name: "pause",
      seed: 3,
      duration: "3m",
      sampleInterval: "5s",
      nodePools: [{ name: "w", count: 30, zones: ["a", "b", "c"], allocatable: { cpu: "16", memory: "64Gi" } }],
      // 4 pods/s: a gap of 5 s without a binding happens by chance with probability e^-20
      workloads: [{ kind: "PoissonArrivals", name: "batch", rate: 4, lifetime: "1m", template }],
      controlPlane: { topology: "stacked", controlPlaneHosts: 3, zones: ["a", "b", "c"], faults: [{ type: "host-loss", at: "60s", host: "kube-scheduler-leader" }] },
    });
    const summary = Object.fromEntries(r.summary.map((s) => [s.metric, Number(s.value)]));
    expect(PAUSE_THRESHOLD_REAL_BINDINGS_US).toBe(5e6);
    // The survivors wait for the lease to expire (measured from its last renewal, up
    // to one retry period before the crash) and retry on a jittered period.
    expect(summary.scheduling_resumed_after_fault_s).toBeGreaterThan(LEASE_S - RETRY_MAX_S);
    expect(summary.scheduling_resumed_after_fault_s).toBeLessThan(LEASE_S + RETRY_MAX_S + BACKOFF_MAX_S + 1);
  });
});
