/**
 * pods.csv's columns for capacity planning, with the real kube-scheduler component:
 * each pod's effective requests, priority, scheduler profile, and for a pod that
 * waited, the last FailedScheduling message (upstream's FitError text, with
 * DefaultPreemption's part); summary.csv says how many pods the scheduling-latency
 * percentiles leave out.
 *
 * Two nodes of 2 cpu / 4Gi. filler-cpu (1500m, 1Gi) is pinned to n-0 and ends by its
 * deadline 60 s after it runs (Running at 1 s, so at 61 s); filler-mem (500m, 3Gi) is
 * pinned to n-1. Then, all priority 0:
 *   big   1000m / 2Gi: n-0 has 500m cpu left -> "Insufficient cpu" (Unschedulable);
 *         n-1 has 1Gi memory left -> "Insufficient memory". Preemption: no pod of lower
 *         priority anywhere -> each node "No preemption victims found for incoming pod".
 *         Fits on n-0 once filler-cpu ends; the message stays.
 *   huge  3000m / 100Mi: more cpu than any node's allocatable -> UnschedulableAndUnresolvable on
 *         both, so preemption considers no node -> "Preemption is not helpful for
 *         scheduling". Never bound.
 *   other schedulerName batch-scheduler: no profile has it, kube-scheduler ignores it
 *         (no message). Never bound.
 *   vip   100m / 100Mi, PriorityClass "vip" (1000): fits at once.
 */
import { describe, expect, it } from "vitest";
import { Admission } from "../../src/apiserver/admission/admission.js";
import { tableCsv } from "../../src/metrics/csv.js";
import { standardTables } from "../../src/metrics/files.js";
import { podTemplate } from "../../src/model/podTemplate.js";
import type { Pod } from "../../src/model/types.js";
import { runCluster } from "../../src/run/run.js";
import { GI, node, spec, template } from "./helpers.js";

const MI = 2 ** 20;

function admitted(name: string, cpuMilli: number, memoryBytes: number, spec: Partial<NonNullable<Pod["spec"]>>) {
  const a = new Admission();
  a.createPriorityClass({ metadata: { name: "vip" }, value: 1000 });
  return podTemplate(
    a.admitPod({
      metadata: { name, namespace: "default" },
      spec: { containers: [{ name: "c", resources: { requests: { cpu: `${cpuMilli}m`, memory: String(memoryBytes) } } }], ...spec },
    }),
  );
}

function run() {
  const pinned = (host: string) => ({ nodeSelector: { "kubernetes.io/hostname": host } });
  return runCluster(
    spec({
      durationUs: 120e6,
      nodes: [node("n-0", 2000, 4 * GI), node("n-1", 2000, 4 * GI)],
      templates: [
        template(1500, GI, pinned("n-0")),
        template(500, 3 * GI, pinned("n-1")),
        template(1000, 2 * GI),
        template(3000, 100 * MI),
        admitted("other", 100, 100 * MI, { schedulerName: "batch-scheduler" }),
        admitted("vip", 100, 100 * MI, { priorityClassName: "vip" }),
      ],
      pods: [
        { name: "filler-cpu", namespace: "default", template: 0, activeDeadlineUs: 60e6 },
        { name: "filler-mem", namespace: "default", template: 1, activeDeadlineUs: -1 },
        { name: "big", namespace: "default", template: 2, activeDeadlineUs: -1 },
        { name: "huge", namespace: "default", template: 3, activeDeadlineUs: -1 },
        { name: "other", namespace: "default", template: 4, activeDeadlineUs: -1 },
        { name: "vip", namespace: "default", template: 5, activeDeadlineUs: -1 },
      ],
    }),
  );
}

const BIG_MESSAGE = "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.";
const HUGE_MESSAGE = "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

describe("pods.csv: requests, priority, profile, last FailedScheduling message", () => {
  const r = run();
  const byName = Object.fromEntries(r.pods.map((p) => [p.pod, p]));

  it("a pod that waited keeps its last FailedScheduling message after it is bound", () => {
    expect(byName.big).toMatchObject({ node: "n-0", outcome: "running", last_failed_scheduling_message: BIG_MESSAGE });
    expect(byName.big.scheduled_s).toBeGreaterThanOrEqual(61);
  });

  it("a pod that never fits: upstream's message for resources beyond allocatable", () => {
    expect(byName.huge).toMatchObject({ node: "", outcome: "pending", scheduled_s: null, last_failed_scheduling_message: HUGE_MESSAGE });
  });

  it("pods scheduled at once, and pods no profile schedules, have no message", () => {
    for (const p of ["filler-cpu", "filler-mem", "vip", "other"]) expect(byName[p].last_failed_scheduling_message).toBe("");
  });

  it("effective requests in milli-cpu and bytes, admitted priority, schedulerName", () => {
    expect(byName.big).toMatchObject({ cpu_request_milli: 1000, memory_request_bytes: 2 * GI, priority: 0, scheduler_name: "default-scheduler" });
    expect(byName.vip).toMatchObject({ cpu_request_milli: 100, memory_request_bytes: 100 * MI, priority: 1000, scheduler_name: "default-scheduler" });
    expect(byName.other).toMatchObject({ priority: 0, scheduler_name: "batch-scheduler", outcome: "pending" });
  });

  it("the CSV quotes a message that holds commas (RFC 4180) and appends the new columns after outcome", () => {
    const csv = tableCsv(standardTables(r).find((t) => t.file === "pods.csv")!);
    const [header, ...lines] = csv.trimEnd().split("\n");
    expect(header).toBe(
      "pod,namespace,owner,created_s,scheduled_s,running_s,deleted_s,node,outcome,cpu_request_milli,memory_request_bytes,priority,scheduler_name,last_failed_scheduling_message,deletion_requested_s,restarts,startup_slo_s,startup_s",
    );
    // The two startup columns (numbers or empty, no commas) come last: compare what precedes them.
    const cut = (l: string) => l.replace(/,[^,]*,[^,]*$/, "");
    const big = lines.find((l) => l.startsWith("big,"))!;
    expect(cut(big).endsWith(`,1000,2147483648,0,default-scheduler,"${BIG_MESSAGE}",,0`)).toBe(true);
    // No comma in this one: written as is.
    expect(cut(lines.find((l) => l.startsWith("huge,"))!).endsWith(`,3000,104857600,0,default-scheduler,${HUGE_MESSAGE},,0`)).toBe(true);
  });

  it("summary.csv: the latency percentiles leave out the two pods never bound", () => {
    const metric = (m: string) => r.summary.find((s) => s.metric === m)!.value;
    expect(metric("scheduling_latency_excluded_pods")).toBe(2);
    expect(metric("pods_created") - metric("pods_scheduled")).toBe(2);
    // Beside the percentiles it qualifies.
    const names = r.summary.map((s) => s.metric);
    expect(names.indexOf("scheduling_latency_excluded_pods")).toBe(names.indexOf("scheduling_latency_mean_ms") + 1);
  });
});
