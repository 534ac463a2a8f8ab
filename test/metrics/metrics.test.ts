/** Metrics writers: deterministic number formatting, CSV quoting, the summary rows, atomic folders. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PodCounters } from "../../src/metrics/counters.js";
import { tableCsv } from "../../src/metrics/csv.js";
import { LatencyHistogram, SUB_BUCKET_BITS_3_DIGITS } from "../../src/metrics/latencyHistogram.js";
import { writeRunFolder } from "../../src/metrics/output.js";
import { summarize } from "../../src/metrics/summary.js";
import { formatCell } from "../../src/metrics/tables.js";

describe("formatCell", () => {
  it("writes integers as they are, other numbers with fixed decimals, null as empty", () => {
    expect(formatCell(3600)).toBe("3600");
    expect(formatCell(0.1 + 0.2)).toBe("0.300000");
    expect(formatCell(1 / 3, 3)).toBe("0.333");
    expect(formatCell(null)).toBe("");
    expect(formatCell(-1e-9)).toBe("0.000000");
    expect(formatCell(Infinity)).toBe("inf");
  });
});

describe("tableCsv", () => {
  it("quotes fields with commas and quotes (RFC 4180) and ends lines with \\n", () => {
    const csv = tableCsv({ file: "x.csv", columns: ["a", "b"], rows: [["x,y", 'say "hi"'], [1.5, null]] });
    expect(csv).toBe('a,b\n"x,y","say ""hi"""\n1.500000,\n');
  });
});

describe("summary", () => {
  it("reports counts from the counters and means over the samples", () => {
    const c = new PodCounters();
    Object.assign(c, { created: 10, scheduled: 9, succeeded: 4, lost: 2, pending: 1, running: 3 });
    const h = new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS);
    h.record(2000);
    const rows = summarize({
      nodes: 3,
      simDurationUs: 60e6,
      counters: c,
      latency: h,
      timeseries: [{ cpu_requested_ratio: 0.2, memory_requested_ratio: 0.1, pods_pending: 4 } as never, { cpu_requested_ratio: 0.4, memory_requested_ratio: 0.3, pods_pending: 1 } as never],
      nodeFailures: 1,
      eventsProcessed: 99,
    });
    const v = Object.fromEntries(rows.map((r) => [r.metric, r.value]));
    expect(v).toMatchObject({ nodes: 3, pods_created: 10, pods_scheduled: 9, pods_succeeded: 4, pods_lost: 2, pods_pending_at_end: 1, pods_pending_max: 4, node_failures: 1 });
    expect(v.cpu_requested_ratio_mean).toBeCloseTo(0.3, 12);
    expect(v.cpu_requested_ratio_peak).toBeCloseTo(0.4, 12);
    expect(v.scheduling_latency_p50_ms).toBe(2);
    expect(v.scheduling_latency_mean_ms).toBe(2);
  });

  it("writes 0 for the scheduling latencies when no pod was bound, and counts the pods they leave out", () => {
    const counters = new PodCounters();
    counters.created = 3;
    counters.pending = 3;
    const rows = summarize({
      nodes: 1,
      simDurationUs: 1e6,
      counters,
      latency: new LatencyHistogram(SUB_BUCKET_BITS_3_DIGITS),
      timeseries: [],
      nodeFailures: 0,
      eventsProcessed: 0,
    });
    const latencies = rows.filter((r) => r.metric.startsWith("scheduling_latency_") && r.metric.endsWith("_ms"));
    expect(latencies.map((r) => r.metric)).toEqual(["scheduling_latency_p50_ms", "scheduling_latency_p90_ms", "scheduling_latency_p99_ms", "scheduling_latency_max_ms", "scheduling_latency_mean_ms"]);
    expect(latencies.every((r) => r.value === 0)).toBe(true);
    // The three pods created and never bound are what the percentiles leave out.
    expect(rows.find((r) => r.metric === "scheduling_latency_excluded_pods")!.value).toBe(3);
  });
});

describe("writeRunFolder", () => {
  it("writes every file, leaves no temporary folder, and replaces an earlier run", () => {
    const parent = mkdtempSync(join(tmpdir(), "kubesim-out-"));
    const dir = join(parent, "run-1");
    writeRunFolder(dir, [{ name: "a.csv", content: "x\n" }, { name: "manifest.json", content: "{}" }]);
    writeFileSync(join(dir, "stale.csv"), "old");
    writeRunFolder(dir, [
      { name: "a.csv", content: "y\n" },
      { name: "b.csv", content: "z\n" },
    ]);
    expect(readdirSync(dir).sort()).toEqual(["a.csv", "b.csv"]);
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("y\n");
    expect(readdirSync(parent)).toEqual(["run-1"]);
  });

  it("never replaces a file or a folder that is not an earlier run's", () => {
    const parent = mkdtempSync(join(tmpdir(), "kubesim-out-"));
    writeFileSync(join(parent, "notes.txt"), "keep me");
    expect(() => writeRunFolder(parent, [{ name: "a.csv", content: "1" }])).toThrow(/got a folder with other files/);
    expect(() => writeRunFolder(join(parent, "notes.txt"), [{ name: "a.csv", content: "1" }])).toThrow(/got an existing file/);
    expect(readFileSync(join(parent, "notes.txt"), "utf8")).toBe("keep me");
    expect(readdirSync(parent)).toEqual(["notes.txt"]);
  });

  it("a failure while writing leaves neither the folder nor its temporary sibling", () => {
    const parent = mkdtempSync(join(tmpdir(), "kubesim-out-"));
    const dir = join(parent, "run-2");
    expect(() => writeRunFolder(dir, [{ name: "ok.csv", content: "1" }, { name: "ok.csv/sub.csv", content: "2" }])).toThrow();
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});
