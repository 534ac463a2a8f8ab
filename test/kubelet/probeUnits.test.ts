/**
 * The prober's parts against upstream's rules: a worker's thresholds (worker.go doProbe),
 * CrashLoopBackOff (flowcontrol.Backoff as doBackOff uses it), probe defaults and
 * validation (SetDefaults_Probe, validateProbe), the app annotations' errors, and an
 * invariant: a Ready pod with a readiness probe runs an app that answers.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ProbeResult, ProbeWorkerState } from "../../src/kubelet/probes/probeWorker.js";
import { ProbeType, templateProbes } from "../../src/kubelet/probes/probeSpec.js";
import { CrashLoopBackOff } from "../../src/kubelet/probes/crashLoopBackOff.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { ClusterRun } from "../../src/run/run.js";
import { PodPhase } from "../../src/model/podTable.js";

const S = 1e6;
const F = ProbeResult.Failure;
const OK = ProbeResult.Success;

function worker(type: ProbeType, successThreshold = 1, failureThreshold = 3): ProbeWorkerState {
  const w = new ProbeWorkerState({ container: 0, type, periodUs: 10 * S, timeoutUs: S, initialDelayS: 0, successThreshold, failureThreshold, terminationGracePeriodS: -1 });
  w.seeContainer(1);
  return w;
}

/** The worker's result after each probe of the sequence. */
const results = (w: ProbeWorkerState, seq: ProbeResult[]) =>
  seq.map((r) => {
    w.record(r);
    return w.result;
  });

describe("a probe worker's results (worker.go)", () => {
  it("starts at readiness Failure, liveness Success, startup Unknown", () => {
    expect([worker(ProbeType.Readiness).result, worker(ProbeType.Liveness).result, worker(ProbeType.Startup).result]).toEqual([F, OK, ProbeResult.Unknown]);
  });

  it("readiness: Ready at the first success; not ready only at the 3rd failure in a row; a success between resets the run", () => {
    expect(results(worker(ProbeType.Readiness), [F, OK, F, F, OK, F, F, F])).toEqual([F, OK, OK, OK, OK, OK, OK, F]);
  });

  it("successThreshold 2: two successes in a row", () => {
    expect(results(worker(ProbeType.Readiness, 2), [OK, F, OK, OK])).toEqual([F, F, F, OK]);
  });

  it("liveness: the 3rd failure sets Failure and puts the worker on hold until a new container, which starts at Success", () => {
    const w = worker(ProbeType.Liveness);
    expect(results(w, [F, F, F])).toEqual([OK, OK, F]);
    expect([w.onHold, w.resultRun]).toEqual([true, 0]);
    w.seeContainer(1); // same container: still on hold
    expect(w.onHold).toBe(true);
    w.seeContainer(2);
    expect([w.onHold, w.result]).toEqual([false, OK]);
    // The run restarts from 0: three more failures to fail again.
    expect(results(w, [F, F, F])).toEqual([OK, OK, F]);
  });
});

describe("CrashLoopBackOff after probe kills (doBackOff reads the pod status from before the kill)", () => {
  it("restarts at once while each container outlives its back-off, waits once it does not", () => {
    const b = new CrashLoopBackOff();
    // Kills 30 s apart (a container that fails its liveness probe 30 s after it starts).
    expect([30, 60, 90, 120].map((t) => b.restartDelayUs(0, t * S) / S)).toEqual([0, 0, 0, 0]);
    expect(b.backoffOf(0) / S).toBe(40);
    expect(b.restartDelayUs(0, 150 * S) / S).toBe(40);
    expect(b.backoffOf(0) / S).toBe(80);
  });

  it("containers killed 30 s after each start: doubling to the 300 s cap (MaxContainerBackOff); at the cap every other restart is at once (the previous instance finished 330 s before)", () => {
    const b = new CrashLoopBackOff();
    let t = 0;
    const delays: number[] = [];
    for (let k = 0; k < 11; k++) {
      const d = b.restartDelayUs(0, t);
      delays.push(d / S);
      t += d + 30 * S;
    }
    // By hand (kill at t, previous finish p, entry b): 0: none; 30: no entry -> b 10; 60, 90: 30 s >= b -> 20, 40;
    // 120: 30 < 40 -> wait 40 (b 80); 190: 70 < 80 -> 80 (b 160); 300: 110 < 160 -> 160 (b 300);
    // 490: 190 < 300 -> 300; 820: 330 >= 300 -> at once; 850: 30 < 300 -> 300; 1180: 330 -> at once.
    expect(delays).toEqual([0, 0, 0, 0, 40, 80, 160, 300, 0, 300, 0]);
  });

  it("is not forgotten after a long healthy run: the check reads the finish of the instance before the killed one (kubernetes#22240)", () => {
    const b = new CrashLoopBackOff();
    expect([0, 1, 2].map((t) => b.restartDelayUs(0, t * S) / S)).toEqual([0, 0, 10]); // started again at 12 s, back-off 20
    // That container runs healthy until 1000 s: restarted at once, but the entry doubles (40 s)...
    expect(b.restartDelayUs(0, 1000 * S)).toBe(0);
    expect(b.backoffOf(0) / S).toBe(40);
    // ...so the next container, killed 1 s later, waits 40 s. (A container that exits on its own is
    // checked against its own finish; a run of more than 600 s after the last update resets it to 10 s.)
    expect(b.restartDelayUs(0, 1001 * S) / S).toBe(40);
  });
});

const base = (container: Record<string, unknown>, annotations?: Record<string, string>) => ({
  name: "p",
  duration: "10m",
  nodePools: [{ name: "a", count: 1, allocatable: { cpu: "8", memory: "32Gi" } }],
  workloads: [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", ...(annotations ? { annotations } : {}) },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x:1", ...container }] } } },
    },
  ],
});
const http = { httpGet: { path: "/", port: 80 } };
const at = "s.yaml: workloads[0].spec.template.spec.containers[0]";

describe("probe defaults and validation (SetDefaults_Probe, validateProbe)", () => {
  it("defaults the zero fields: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3", () => {
    const { spec } = prepareScenario(base({ readinessProbe: { ...http, periodSeconds: 0, initialDelaySeconds: 4 } }), "s.yaml");
    expect(spec.templates[0].pod.spec!.containers[0].readinessProbe).toEqual({ ...http, initialDelaySeconds: 4, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    const [p] = templateProbes(spec.templates[0].pod).probes;
    expect([p.type, p.periodUs, p.timeoutUs, p.initialDelayS, p.successThreshold, p.failureThreshold]).toEqual([ProbeType.Readiness, 10 * S, S, 4, 1, 3]);
  });

  it("refuses what the API server refuses, in its words", () => {
    expect(() => prepareScenario(base({ livenessProbe: { ...http, successThreshold: 2 } }), "s.yaml")).toThrow(`${at}.livenessProbe.successThreshold: Invalid value: 2: must be 1`);
    expect(() => prepareScenario(base({ startupProbe: { ...http, successThreshold: 3 } }), "s.yaml")).toThrow(`${at}.startupProbe.successThreshold: Invalid value: 3: must be 1`);
    expect(() => prepareScenario(base({ readinessProbe: { ...http, periodSeconds: -1 } }), "s.yaml")).toThrow(`${at}.readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`);
    expect(() => prepareScenario(base({ readinessProbe: { periodSeconds: 5 } }), "s.yaml")).toThrow(`${at}.readinessProbe: Required value: must specify a handler type`);
    expect(() => prepareScenario(base({ readinessProbe: { ...http, tcpSocket: { port: 80 } } }), "s.yaml")).toThrow(`${at}.readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`);
  });

  it("refuses bad app annotations naming the annotation", () => {
    expect(() => prepareScenario(base({}, { "kubesim.io/warm-up": "soon" }), "s.yaml")).toThrow('s.yaml: workloads[0].metadata.annotations["kubesim.io/warm-up"]: expected a duration ("20s") or a distribution of durations');
    expect(() => prepareScenario(base({}, { "kubesim.io/probe-failure-probability": "2" }), "s.yaml")).toThrow('expected a probability from 0 to 1, got "2"');
  });
});

describe("Ready and the app (property)", () => {
  it("a pod with a readiness probe is Ready only while Running with its app answering, and becomes Ready within one period + latency of the app answering past the initial delay", () => {
    fc.assert(
      fc.property(
        fc.record({ warmUpS: fc.integer({ min: 0, max: 60 }), initialDelayS: fc.integer({ min: 0, max: 30 }), periodS: fc.integer({ min: 1, max: 20 }), latencyMs: fc.integer({ min: 0, max: 1500 }), successThreshold: fc.integer({ min: 1, max: 3 }) }),
        (o) => {
          const probe = { ...http, initialDelaySeconds: o.initialDelayS, periodSeconds: o.periodS, successThreshold: o.successThreshold, timeoutSeconds: 2 };
          const r = new ClusterRun(prepareScenario(base({ readinessProbe: probe }, { "kubesim.io/warm-up": `${o.warmUpS}s`, "kubesim.io/probe-latency": `${o.latencyMs}ms` }), "s.yaml").spec, {});
          for (let t = 0; t <= 200 * S; t += 0.25 * S) {
            r.advance(t);
            if (r.cluster.pods.count === 0 || r.cluster.pods.ready[0] === 0) continue;
            expect(r.cluster.pods.phase[0]).toBe(PodPhase.Running);
            expect(r.kubelets.prober.appServing(0)).toBe(true);
          }
          const p = 0;
          const startUs = r.cluster.pods.runningUs[p];
          const answersFromUs = Math.max(startUs + o.warmUpS * S, startUs + o.initialDelayS * S);
          const readyUs = r.cluster.pods.readyUs[p];
          // The first probe at or after answersFromUs succeeds; successThreshold of them, one a period, then its latency.
          expect(readyUs).toBeGreaterThanOrEqual(answersFromUs + o.latencyMs * 1000);
          expect(readyUs).toBeLessThanOrEqual(answersFromUs + o.successThreshold * o.periodS * S + o.latencyMs * 1000);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe("the probes' share of the periodic work (limits.controlPlaneOperations)", () => {
  it("refuses a run whose probe ticks alone exceed the limit, naming the workload", () => {
    const s = { ...base({ readinessProbe: http, livenessProbe: http }), duration: "1h" };
    (s.workloads[0].spec as { replicas: number }).replicas = 50_000;
    // 50,000 pods x 2 probes / 10 s = 10,000 ticks/s: 36,000,000 in an hour, above 30,000,000.
    expect(() => prepareScenario(s, "s.yaml")).toThrow(/^s\.yaml: workloads\[0\]: expected at most 30,000,000 periodic operations .*10000\/s probes of web/);
    (s.workloads[0].spec as { replicas: number }).replicas = 40_000; // 28.8 M: accepted
    expect(() => prepareScenario(s, "s.yaml")).not.toThrow();
  });
});
