/**
 * Pod startup with the container runtime model, against hand computation.
 *
 * One node, bandwidth b = 100 MiB/s, sandbox 0.5 s, container start 0.2 s (constants).
 * Three bare Pods bound at s1 < s2 < s3 (a few ms apart): p1 and p3 use image A (1 GiB:
 * 10.24 s alone at b), p2 image B (512 MiB: 5.12 s alone). Each pod asks for its image
 * when its sandbox is up: r_i = s_i + 0.5.
 *
 * Serialized (default): FIFO A, B, A.
 *   A: [r1, r1 + 10.24]; B: [r1 + 10.24, r1 + 15.36]; p3's request then finds A present:
 *   a manifest check, no bytes, done at r1 + 15.36.
 *   running: p1 = r1 + 10.44, p2 = p3 = r1 + 15.56.
 *   SLI: each pod's pull session is [r_i, its pull's end], so
 *   startup_slo_s = (s_i - created_i) + 0.5 + 0.2 for every pod.
 * maxParallelImagePulls 3: A alone on [r1, r2] (d = r2 - r1), then A and B at b/2 each;
 *   p3's request joins A's transfer. B (512 MiB at b/2) ends at r2 + 10.24; A then has
 *   1 GiB - d·b - 512 MiB left, alone at b: 5.12 - d more, ending at r1 + 15.36.
 *   running: p2 = r2 + 10.44, p1 = p3 = r1 + 15.56.
 *
 * Init containers and sidecars (bound at s): sandbox [s, s+0.5]; init container's image
 * I (100 MiB: 1 s) pulled to s+1.5, started s+1.7, runs 3 s to s+4.7; sidecar image
 * preloaded (tag 1: IfNotPresent, no pull), started s+4.9; container image C (200 MiB:
 * 2 s) pulled to s+6.9, started s+7.1 = running. The SLI leaves out both pulls (3 s) and
 * the init container's run (3 s): startup_slo_s = (s - created) + 1.1 (sandbox and three
 * container starts).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";

const pod = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "c", image, resources: { requests: { cpu: "100m" } } }], ...extra },
});

function scenario(runtime: Record<string, unknown>, workloads: unknown[], duration = "2m") {
  return {
    name: "pulls",
    duration,
    nodePools: [{ name: "p", count: 1, allocatable: { cpu: "8", memory: "32Gi" } }],
    containerRuntime: { sandboxCreate: "500ms", containerStart: "200ms", pullBandwidth: "100Mi", images: { "reg/a:1": "1Gi", "reg/b:1": "512Mi" }, ...runtime },
    workloads,
  };
}

const near = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(2e-6);
};

describe("image pulls and pod startup latency", () => {
  const three = [pod("p1", "reg/a:1"), pod("p2", "reg/b:1"), pod("p3", "reg/a:1")];

  it("serialized pulls: FIFO per node, a second request for a pulled image moves no bytes", () => {
    const r = simulate(scenario({}, three));
    const [p1, p2, p3] = ["p1", "p2", "p3"].map((n) => r.pods.find((p) => p.pod === n)!);
    expect(p1.scheduled_s! < p2.scheduled_s! && p2.scheduled_s! < p3.scheduled_s!).toBe(true);
    const r1 = p1.scheduled_s! + 0.5;
    near(p1.running_s, r1 + 10.44);
    near(p2.running_s, r1 + 15.56);
    near(p3.running_s, r1 + 15.56);
    for (const p of [p1, p2, p3]) {
      near(p.startup_s, p.running_s! - p.created_s);
      near(p.startup_slo_s, p.scheduled_s! - p.created_s + 0.7);
    }
    const metric = (m: string) => r.summary.find((s) => s.metric === m)!.value;
    expect(metric("image_pulls")).toBe(3);
    expect(metric("image_pull_bytes")).toBe(1.5 * 2 ** 30);
    // nearest rank over three pods: p50 the second, p90 and p99 the third
    near(metric("pod_startup_p99_s"), Math.max(p2.startup_s!, p3.startup_s!));
  });

  it("parallel pulls share the node's bandwidth; a request for an image in transfer joins it", () => {
    const r = simulate(scenario({ maxParallelImagePulls: 3 }, three));
    const [p1, p2, p3] = ["p1", "p2", "p3"].map((n) => r.pods.find((p) => p.pod === n)!);
    const r1 = p1.scheduled_s! + 0.5;
    const r2 = p2.scheduled_s! + 0.5;
    near(p2.running_s, r2 + 10.44);
    near(p1.running_s, r1 + 15.56);
    near(p3.running_s, r1 + 15.56);
    expect(r.summary.find((s) => s.metric === "image_pull_bytes")!.value).toBe(1.5 * 2 ** 30);
  });

  it("init container, sidecar and container start one after the other; the SLI leaves out pulls and init runtime", () => {
    const spec = {
      initContainers: [
        { name: "init", image: "reg/init:1" },
        { name: "proxy", image: "reg/proxy:1", restartPolicy: "Always" },
      ],
      containers: [{ name: "app", image: "reg/app:1" }],
    };
    const r = simulate(
      scenario({ initContainerRun: "3s", images: { "reg/init:1": "100Mi", "reg/app:1": "200Mi", "reg/proxy:1": "50Mi" }, preloadedImages: ["reg/proxy:1"] }, [
        { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec },
      ]),
    );
    const web = r.pods.find((p) => p.pod === "web")!;
    near(web.running_s, web.scheduled_s! + 7.1);
    near(web.startup_slo_s, web.scheduled_s! - web.created_s + 1.1);
    expect(r.summary.find((s) => s.metric === "image_pulls")!.value).toBe(2);
  });

  it("a pod template's kubesim.io/init-run-time sets its init containers' run; a bad one is refused at its field", () => {
    const spec = { initContainers: [{ name: "init", image: "reg/init:1" }], containers: [{ name: "app", image: "reg/app:1" }] };
    const withRun = (run: string) => scenario({ initContainerRun: "3s", images: { "reg/init:1": "100Mi", "reg/app:1": "200Mi" } }, [
      { apiVersion: "v1", kind: "Pod", metadata: { name: "web", annotations: { "kubesim.io/init-run-time": run } }, spec },
    ]);
    // sandbox 0.5, pull 1, start 0.2, run 5, pull 2, start 0.2: 8.9 s; the SLI leaves out 3 s of pulls and the 5 s run
    const web = simulate(withRun("5s")).pods[0];
    near(web.running_s, web.scheduled_s! + 8.9);
    near(web.startup_slo_s, web.scheduled_s! - web.created_s + 0.9);
    expect(() => simulate(withRun("soon"))).toThrow('scenario: workloads[0].metadata.annotations["kubesim.io/init-run-time"]: expected a duration ("3s") or a distribution of durations');
  });

  it("a failing pull backs off 10, 20, 40, 80, 160 s, then 300 s: six tries in ten minutes, never started", () => {
    // tries at r, r+10, r+30, r+70, r+150, r+310; the next at r+610 is after the end (r ~ 0.5 s)
    const r = simulate(scenario({ pullFailureProbability: 1 }, [pod("p1", "reg/a:1")], "10m"));
    expect(r.summary.find((s) => s.metric === "image_pulls_failed")!.value).toBe(6);
    const p1 = r.pods.find((p) => p.pod === "p1")!;
    expect(p1).toMatchObject({ running_s: null, startup_s: null, startup_slo_s: null, outcome: "starting" });
  });

  it("imagePullPolicy Never without the image: the container waits (ErrImageNeverPull), nothing is pulled", () => {
    const never = { ...pod("p1", "reg/a:1"), spec: { containers: [{ name: "c", image: "reg/a:1", imagePullPolicy: "Never" }] } };
    const r = simulate(scenario({}, [never]));
    expect(r.pods[0].running_s).toBeNull();
    expect(r.summary.find((s) => s.metric === "containers_waiting_err_image_never_pull")!.value).toBe(1);
    expect(r.summary.find((s) => s.metric === "image_pulls")!.value).toBe(0);
  });

  it("a tag-less image defaults to Always: pulled again (a registry request, no bytes) though preloaded", () => {
    const r = simulate(scenario({ preloadedImages: ["reg/a"] , images: { "reg/a": "1Gi" } }, [pod("p1", "reg/a")]));
    const p1 = r.pods[0];
    near(p1.running_s, p1.scheduled_s! + 0.7);
    expect(r.summary.find((s) => s.metric === "image_pulls")!.value).toBe(1);
    expect(r.summary.find((s) => s.metric === "image_pull_bytes")!.value).toBe(0);
  });

  it("ImageLocality sees a pulled image once the node reports it: the next pod goes to that node", () => {
    const two = { name: "p", count: 2, allocatable: { cpu: "8", memory: "32Gi" } };
    const late = (at: string) => ({ at, type: "apply", workloads: [pod("second", "reg/a:1")] });
    const run = (at: string) => simulate({ ...scenario({}, [pod("first", "reg/a:1")]), nodePools: [two], actions: [late(at)] });
    // Before the pull is reported, the emptier node wins (NodeResourcesFit, BalancedAllocation).
    const early = run("1s");
    expect(early.pods.find((p) => p.pod === "second")!.node).not.toBe(early.pods.find((p) => p.pod === "first")!.node);
    // After it (pull done ~10.7 s, image list re-read within 30 s, posted at a 10 s sync): ImageLocality
    // adds int(100 x (512 MiB - 23 MB) / (1000 MiB - 23 MB)) ~ 52 for the node with the image.
    const after = run("90s");
    expect(after.pods.find((p) => p.pod === "second")!.node).toBe(after.pods.find((p) => p.pod === "first")!.node);
  });

  it("refuses podStartupDelay beside a containerRuntime section, naming the field", () => {
    expect(() => simulate({ ...scenario({}, [pod("p1", "reg/a:1")]), podStartupDelay: "2s" })).toThrow(
      "scenario: podStartupDelay: expected no podStartupDelay in a scenario with a containerRuntime section",
    );
  });
});

describe("image GC in a run", () => {
  it("frees the image filesystem at the 5-minute pass, oldest first, and the Node reports the list without it", async () => {
    // Node image filesystem 10 GiB; three bare Pods one after the other (activeDeadlineSeconds
    // 20 s, so none is in use at 5 min), each with its own 3 GiB image: 9 GiB used, 90 % >= 85 %:
    // free 10 x 20 % - 1 = 1 GiB: the image pulled first (lastUsed never set, oldest
    // firstDetected) goes. The next status sync after the 30 s list refresh posts 2 images.
    const { prepareScenario } = await import("../../src/scenario/load.js");
    const { ClusterRun } = await import("../../src/run/run.js");
    const bare = (name: string, image: string, at: string) => ({ at, type: "apply", workloads: [pod(name, image, { activeDeadlineSeconds: 20 })] });
    const s = scenario({ imageFilesystemSize: "10Gi", images: { "reg/x:1": "3Gi", "reg/y:1": "3Gi", "reg/z:1": "3Gi" } }, [], "7m");
    const { spec } = prepareScenario({ ...s, actions: [bare("x", "reg/x:1", "1s"), bare("y", "reg/y:1", "60s"), bare("z", "reg/z:1", "120s")] });
    const run = new ClusterRun(spec);
    run.advance(299e6);
    expect(run.cluster.nodeImages[0]!.map((i) => i.names[0])).toEqual(["reg/x:1", "reg/y:1", "reg/z:1"]);
    run.advance(301e6);
    expect([...run.kubelets.runtime!.cacheOf(0).records.keys()].map((id) => run.kubelets.runtime!.images.name(id))).toEqual(["reg/y:1", "reg/z:1"]);
    run.advance(345e6);
    expect(run.cluster.nodeImages[0]!.map((i) => i.names[0])).toEqual(["reg/y:1", "reg/z:1"]);
    const r = run.finish();
    expect(r.summary.find((m) => m.metric === "images_removed_by_gc")!.value).toBe(1);
  });
});
