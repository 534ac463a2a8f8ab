/**
 * The kubelet's prober on hand-computed timelines. No control plane: every API request
 * takes the fixed 5 ms; a pod's containers run 1 s after its binding (podStartupDelay).
 * Times are counted from the pod's binding tb: the kubelet's SyncPod makes the probe
 * workers then (prober_manager.AddPod before the runtime), so their ticks fall at
 * tb + k x periodSeconds, and the container starts at tb + 1 s.
 */
import { describe, expect, it } from "vitest";
import { ClusterRun } from "../../src/run/run.js";
import { prepareScenario } from "../../src/scenario/load.js";
import { PodPhase } from "../../src/model/podTable.js";

const S = 1e6;

interface Opts {
  replicas?: number;
  annotations?: Record<string, string>;
  container?: Record<string, unknown>;
  restartPolicy?: string;
  extra?: Record<string, unknown>;
  deployment?: Record<string, unknown>;
}

function run(o: Opts): ClusterRun {
  const scenario = {
    name: "probes",
    duration: "1h",
    kubelet: { containerStopTime: 0 },
    nodePools: [{ name: "a", count: 2, allocatable: { cpu: "8", memory: "32Gi" } }],
    workloads: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec: {
          replicas: o.replicas ?? 1,
          selector: { matchLabels: { app: "web" } },
          ...(o.deployment ?? {}),
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "web:1", resources: { requests: { cpu: "1", memory: "1Gi" } }, ...(o.container ?? {}) }] },
          },
        },
      },
    ],
    ...(o.extra ?? {}),
  };
  return new ClusterRun(prepareScenario(scenario, "probes.yaml").spec, {});
}

const http = { httpGet: { path: "/healthz", port: 8080 } };

describe("readiness probes", () => {
  it("period 10 s, initialDelay 5 s, warm-up 23 s: probes fail at tb+10 and tb+20, pass at tb+30: Ready at tb+30", () => {
    const r = run({ annotations: { "kubesim.io/warm-up": "23s" }, container: { readinessProbe: { ...http, initialDelaySeconds: 5, periodSeconds: 10 } } });
    r.advance(5 * S);
    const p = 0;
    const tb = r.cluster.pods.scheduledUs[p];
    expect(tb).toBeGreaterThan(0);
    // Running at tb + 1 s but not Ready: the readiness result starts as Failure.
    r.advance(tb + 1 * S);
    expect([r.cluster.pods.phase[p], r.cluster.pods.ready[p]]).toEqual([PodPhase.Running, 0]);
    // The trigger at the container's start is inside the initial delay: no probe.
    expect(r.kubelets.prober.counts.runs[1]).toBe(0);
    // The app answers from tb + 1 + 23 = tb + 24 s.
    r.advance(tb + 24 * S - 1);
    expect(r.kubelets.prober.appServing(p)).toBe(false);
    r.advance(tb + 24 * S);
    expect(r.kubelets.prober.appServing(p)).toBe(true);
    expect(r.kubelets.prober.servingSinceUs(p)).toBe(tb + 24 * S);
    r.advance(tb + 30 * S - 1);
    expect(r.cluster.pods.ready[p]).toBe(0);
    expect(r.kubelets.prober.counts.runs[1]).toBe(2); // tb+10, tb+20: both failed
    expect(r.kubelets.prober.counts.failures[1]).toBe(2);
    r.advance(tb + 30 * S);
    expect(r.cluster.pods.ready[p]).toBe(1);
    expect(r.cluster.pods.readyUs[p]).toBe(tb + 30 * S);
    expect(r.cluster.pods.runningUs[p]).toBe(tb + 1 * S);
  });

  it("without an initial delay the readiness probe runs as the container starts (the pod sync's trigger): warm-up 0 makes it Ready at tb+1", () => {
    const r = run({ container: { readinessProbe: { ...http } } });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    expect(r.cluster.pods.readyUs[0]).toBe(tb + 1 * S);
    expect(r.kubelets.prober.counts.runs[1]).toBe(1);
  });

  it("successThreshold 3: Ready at the third success in a row (tb+10, 20, 30 fail while warming up 35 s; 40, 50, 60 pass)", () => {
    const r = run({ annotations: { "kubesim.io/warm-up": "35s" }, container: { readinessProbe: { ...http, successThreshold: 3 } } });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    r.advance(tb + 60 * S - 1);
    expect(r.cluster.pods.ready[0]).toBe(0);
    r.advance(tb + 60 * S);
    expect(r.cluster.pods.readyUs[0]).toBe(tb + 60 * S);
  });

  it("a probe slower than timeoutSeconds fails at the timeout: latency 2 s with the default timeout 1 s never makes the pod Ready", () => {
    const r = run({ annotations: { "kubesim.io/probe-latency": "2s" }, container: { readinessProbe: { ...http } } });
    r.advance(100 * S);
    expect(r.cluster.pods.ready[0]).toBe(0);
    expect(r.kubelets.prober.counts.runs[1]).toBe(r.kubelets.prober.counts.failures[1]);
    // With timeoutSeconds 3 the 2 s answer counts: Ready 2 s after the container starts (probe at tb+1).
    const ok = run({ annotations: { "kubesim.io/probe-latency": "2s" }, container: { readinessProbe: { ...http, timeoutSeconds: 3 } } });
    ok.advance(10 * S);
    expect(ok.cluster.pods.readyUs[0]).toBe(ok.cluster.pods.scheduledUs[0] + 3 * S);
  });

  it("kubesim.io/probe-failure-probability 1: the app never answers, the pod is Running and never Ready; the Deployment is not available", () => {
    const r = run({ annotations: { "kubesim.io/probe-failure-probability": "1" }, container: { readinessProbe: { ...http } } });
    r.advance(600 * S);
    expect([r.cluster.pods.phase[0], r.cluster.pods.ready[0], r.cluster.pods.restarts[0]]).toEqual([PodPhase.Running, 0, 0]);
    expect(r.kubelets.prober.appServing(0)).toBe(false);
    expect(r.cluster.available(0)).toBe(false);
  });
});

describe("liveness probes and CrashLoopBackOff", () => {
  it("an app that never answers is killed after 3 failures (tb+10, 20, 30) and restarted: at once while each container outlives its back-off, then after it", () => {
    const r = run({ annotations: { "kubesim.io/probe-failure-probability": "1" }, container: { livenessProbe: { ...http } } });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    // No readiness probe: Ready when the container starts, whatever the app does.
    expect(r.cluster.pods.readyUs[0]).toBe(tb + 1 * S);
    const restartsAt: number[] = [];
    r.cluster.onPodRestarting.push(() => restartsAt.push((r.cluster.now - tb) / S));
    r.advance(tb + 900 * S);
    // Each container fails its liveness probe on the 3rd tick after its start; the kubelet's
    // back-off check reads the pod status from before the kill (previous instance's finishedAt):
    // kills at 30, 60, 90, 120 restart at once (back-off 0, 10, 20, 40 set); the kill at 150 finds
    // 150 - 120 < 40: the container starts at 190 (back-off 80); kill 220 (70 < 80): start 300
    // (160); kill 330 (110 < 160): start 490 (300); kill 520 (190 < 300): start 820 (300); kill 850
    // (330 >= 300): at once (300, the cap); kill 880 (30 < 300): start 1180.
    // restartCount grows when the killed container has exited (stop time 0 here: at the kill).
    expect(restartsAt).toEqual([30, 60, 90, 120, 150, 220, 330, 520, 850, 880]);
    expect(r.cluster.pods.restarts[0]).toBe(10);
    expect(r.kubelets.prober.counts.kills).toBe(10);
    // The container of the 8th restart started at 820: running at 821.
    r.advance(tb + 1180 * S);
    expect(r.cluster.pods.ready[0]).toBe(0);
    r.advance(tb + 1181 * S);
    expect(r.cluster.pods.ready[0]).toBe(1);
  });
});

describe("the kill's grace period", () => {
  it("an app that ignores SIGTERM holds the kill for the probe's terminationGracePeriodSeconds (5 s) instead of the pod's 30 s: restarted at tb+35", () => {
    const restartsAt = (probeGrace?: number) => {
      const r = run({ annotations: { "kubesim.io/probe-failure-probability": "1" }, container: { livenessProbe: { ...http, ...(probeGrace ? { terminationGracePeriodSeconds: probeGrace } : {}) } }, extra: { kubelet: {} } });
      r.advance(5 * S);
      const tb = r.cluster.pods.scheduledUs[0];
      const at: number[] = [];
      r.cluster.onPodRestarting.push(() => at.push((r.cluster.now - tb) / S));
      r.advance(tb + 100 * S);
      return at;
    };
    // Kill at tb+30; the container exits at the end of the grace period, then restarts at once.
    expect(restartsAt(5)[0]).toBe(35);
    expect(restartsAt()[0]).toBe(60);
  });
});

describe("startup probes", () => {
  it("hold back liveness and readiness until they pass: warm-up 95 s, startup period 10 s x 30 failures allowed: started (and Ready) at tb+100, never killed", () => {
    const container = { startupProbe: { ...http, periodSeconds: 10, failureThreshold: 30 }, livenessProbe: { ...http } };
    const r = run({ annotations: { "kubesim.io/warm-up": "95s" }, container });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    r.advance(tb + 100 * S - 1);
    expect([r.cluster.pods.phase[0], r.cluster.pods.ready[0]]).toEqual([PodPhase.Running, 0]);
    expect(r.kubelets.prober.counts.runs[0]).toBe(0); // no liveness probe before the startup probe passed
    r.advance(tb + 100 * S);
    expect(r.cluster.pods.readyUs[0]).toBe(tb + 100 * S); // no readiness probe: Ready once started
    expect(r.kubelets.prober.counts.runs[2]).toBe(10); // startup probes at tb+10 ... tb+100
    r.advance(tb + 600 * S);
    expect(r.cluster.pods.restarts[0]).toBe(0);
    expect(r.kubelets.prober.counts.runs[0]).toBe(50); // liveness at tb+110 ... tb+600
    // The same app with only the liveness probe is killed at tb+30 and never gets to answer.
    const bare = run({ annotations: { "kubesim.io/warm-up": "95s" }, container: { livenessProbe: { ...http } } });
    bare.advance(5 * S);
    const tb2 = bare.cluster.pods.scheduledUs[0];
    bare.advance(tb2 + 30 * S);
    expect(bare.cluster.pods.restarts[0]).toBe(1);
    expect(bare.cluster.events.rows.filter((e) => e.kind === "Killing").map((e) => e.message)).toEqual(["Container c failed liveness probe, will be restarted"]);
  });

  it("a startup probe that reaches failureThreshold kills the container (Killing: failed startup probe)", () => {
    const r = run({ annotations: { "kubesim.io/probe-failure-probability": "1" }, container: { startupProbe: { ...http, failureThreshold: 3 } } });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    r.advance(tb + 30 * S);
    expect(r.cluster.pods.restarts[0]).toBe(1);
    expect(r.cluster.pods.ready[0]).toBe(0);
    const kill = r.cluster.events.rows.find((e) => e.kind === "Killing")!;
    expect([kill.sim_time_s * S, kill.message]).toEqual([tb + 30 * S, "Container c failed startup probe, will be restarted"]);
  });

  it("restartPolicy Never: a liveness failure fails the pod (a bare Pod)", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "once", annotations: { "kubesim.io/probe-failure-probability": "1" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "x:1", livenessProbe: { ...http } }] } };
    const r = run({ replicas: 0, extra: { workloads: [pod] } });
    r.advance(5 * S);
    const tb = r.cluster.pods.scheduledUs[0];
    r.advance(tb + 30 * S);
    expect([r.cluster.pods.phase[0], r.cluster.pods.restarts[0], r.cluster.outcomes.name(r.cluster.pods.outcome[0])]).toEqual([PodPhase.Failed, 0, "error"]);
  });
});

describe("a Deployment rollout with a readiness probe", () => {
  it("waits for each new pod's Ready (maxSurge 1, maxUnavailable 0): each is Ready 30 s after its binding, the next one created only then", () => {
    const r = run({
      replicas: 2,
      annotations: { "kubesim.io/warm-up": "23s" },
      container: { readinessProbe: { ...http, initialDelaySeconds: 5 } },
      deployment: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
      extra: { actions: [{ at: "100s", type: "set-image", deployment: "web", container: "c", image: "web:2" }] },
    });
    r.advance(300 * S);
    const pods = r.cluster.pods;
    const all = Array.from({ length: pods.count }, (_, i) => i);
    const old = all.filter((p) => pods.createdUs[p] < 100 * S);
    const fresh = all.filter((p) => pods.createdUs[p] >= 100 * S);
    expect([old.length, fresh.length]).toEqual([2, 2]);
    // The initial pods too: Ready 30 s after binding (first probe past the initial delay with the app warm).
    for (const p of all) expect(pods.readyUs[p] - pods.scheduledUs[p]).toBe(30 * S);
    const [a, b] = fresh;
    // The first new pod is surged at 100 s; the second waits for it to be Ready (maxUnavailable 0).
    expect(pods.createdUs[a]).toBeLessThan(100.1 * S);
    expect(pods.createdUs[b]).toBeGreaterThanOrEqual(pods.readyUs[a]);
    expect(pods.createdUs[b]).toBeLessThan(pods.readyUs[a] + 0.1 * S);
    // Old pods are deleted only once a new one is Ready: one after a's Ready, the other after b's.
    const deletions = old.map((p) => pods.deletionUs[p]).sort((x, y) => x - y);
    expect(deletions[0]).toBeGreaterThanOrEqual(pods.readyUs[a]);
    expect(deletions[1]).toBeGreaterThanOrEqual(pods.readyUs[b]);
    // Available never dropped below 2 during the rollout.
    // (The initial ramp-up is not logged; a drop below 2 available afterwards would be.)
    expect(r.cluster.events.rows.filter((e) => e.kind === "ReplicasUnavailable")).toEqual([]);
    expect(fresh.map((p) => r.cluster.available(p))).toEqual([true, true]);
  });
});

describe("readiness thresholds in a run", () => {
  it("Ready flips exactly where successThreshold successes / failureThreshold failures in a row say (random probe latency around the timeout)", () => {
    const r = run({
      annotations: { "kubesim.io/probe-latency": "{type: uniform, min: 0s, max: 2s}" },
      container: { readinessProbe: { ...http, periodSeconds: 3, timeoutSeconds: 1, successThreshold: 2, failureThreshold: 2 } },
    });
    const log: { atUs: number; ok: boolean }[] = [];
    r.kubelets.prober.onProbeResult.push((pod, type, result) => {
      if (pod === 0 && type === 1) log.push({ atUs: r.cluster.now, ok: result === 1 });
    });
    const flips: { atUs: number; ready: boolean }[] = [];
    r.cluster.onPodAvailability.push((pod, available) => {
      if (pod === 0) flips.push({ atUs: r.cluster.now, ready: available });
    });
    r.advance(1800 * S);
    // Replayed by hand: starts not ready; a run of 2 identical results sets the state.
    const expected: { atUs: number; ready: boolean }[] = [];
    let ready = false;
    let last: boolean | undefined;
    let inARow = 0;
    for (const x of log) {
      inARow = x.ok === last ? inARow + 1 : 1;
      last = x.ok;
      if (inARow >= 2 && x.ok !== ready) {
        ready = x.ok;
        expected.push({ atUs: x.atUs, ready });
      }
    }
    expect(log.length).toBeGreaterThan(300);
    expect(expected.length).toBeGreaterThan(10); // the latency makes it flip both ways
    expect(flips).toEqual(expected);
  });
});

describe("a restarted container", () => {
  it("is probed afresh: after a node crash and recovery its readiness probe waits for its new startup probe to pass", () => {
    const r = run({
      annotations: { "kubesim.io/warm-up": "45s" },
      container: { startupProbe: { ...http, failureThreshold: 30 }, readinessProbe: { ...http } },
      extra: { nodePools: [{ name: "a", count: 1, allocatable: { cpu: "8", memory: "32Gi" } }], faults: [{ type: "node-failure", at: "200s", node: "a-0", recoverAfter: "60s" }] },
    });
    const log: { atUs: number; type: number; ok: boolean }[] = [];
    r.kubelets.prober.onProbeResult.push((pod, type, result) => log.push({ atUs: r.cluster.now, type, ok: result === 1 }));
    r.advance(600 * S);
    expect(r.cluster.pods.restarts[0]).toBe(1);
    const restartUs = r.cluster.pods.count === 1 ? log.find((x) => x.atUs > 200 * S)!.atUs : -1;
    expect(restartUs).toBeGreaterThan(260 * S);
    const startupOk = log.filter((x) => x.type === 2 && x.ok && x.atUs > 200 * S)[0].atUs;
    // Between the restart and the new startup success: startup probes only.
    expect(log.filter((x) => x.atUs > 200 * S && x.atUs < startupOk && x.type !== 2)).toEqual([]);
    // Ready again right at that success (the readiness probe triggered by the pod sync passes at once).
    expect(r.cluster.pods.ready[0]).toBe(1);
    expect(r.cluster.pods.readyUs[0]).toBe(startupOk);
  });
});
