/**
 * The report's pure parts, without a browser: CSV reading, downsampling (keeps every
 * series' extremes), CDF and histogram, escaping, how a result CSV becomes charts, and the
 * sweep fixture's chart data (test/fixtures/sweep-2x3/README.md for its values).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChartIds } from "../../src/report/chartIds.js";
import { parseCsv } from "../../src/report/csvTable.js";
import { cdf, histogram } from "../../src/report/distribution.js";
import { downsampleIndices } from "../../src/report/downsample.js";
import { ReportInputError } from "../../src/report/errors.js";
import { escapeHtml, reportHtml, scriptJson } from "../../src/report/html.js";
import type { Chart } from "../../src/report/model.js";
import { buildReport } from "../../src/report/report.js";
import { sweepLayout } from "../../src/report/sweepReport.js";
import { timeSeriesSection } from "../../src/report/timeSeriesCharts.js";

const csv = (file: string, lines: string[]) => parseCsv(`${lines.join("\n")}\n`, file);
const byTitle = (charts: Chart[], title: string) => {
  const c = charts.find((c) => c.title === title);
  if (!c) throw new Error(`no chart ${JSON.stringify(title)} in ${charts.map((c) => c.title).join(" | ")}`);
  return c;
};

describe("CSV reading", () => {
  it("reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes", () => {
    const t = parseCsv('sim_time_s,kind,message\r\n1,A,"0/2 nodes are available: 2 Insufficient cpu, 1 taint."\n2,B,"say ""hi""\nthere"\n', "events.csv");
    expect(t.columns).toEqual(["sim_time_s", "kind", "message"]);
    expect(t.rows).toEqual([
      ["1", "A", "0/2 nodes are available: 2 Insufficient cpu, 1 taint."],
      ["2", "B", 'say "hi"\nthere'],
    ]);
  });

  it("a row with another field count than the header is an error naming the file and the line", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", "x.csv")).toThrow(new ReportInputError("x.csv:3: expected 2 fields as in the header, got 1"));
    expect(() => parseCsv('a,b\n1,"2\n', "x.csv")).toThrow("x.csv:2: expected a closing quote, got the end of the file");
    expect(() => parseCsv("", "x.csv")).toThrow("x.csv: expected a CSV header row, got an empty file");
  });
});

describe("downsampling", () => {
  it("keeps a one-sample spike and the global extremes of every series", () => {
    const n = 20_000;
    const flat = Array.from({ length: n }, () => 5);
    flat[7777] = 900; // a spike
    const dip = Array.from({ length: n }, (_, i) => i % 3);
    dip[12_345] = -40;
    const keep = downsampleIndices(n, [flat, dip], 1000);
    expect(keep.length).toBeLessThanOrEqual(1000);
    expect(keep).toContain(7777);
    expect(keep).toContain(12_345);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
  });

  it("property: indices ascending, unique, within the budget; every series' min and max survive", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((k) => fc.array(fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }), { minLength: 50, maxLength: 400 }), { minLength: k, maxLength: k })),
        fc.integer({ min: 10, max: 60 }),
        (raw, max) => {
          const n = Math.min(...raw.map((s) => s.length));
          const series = raw.map((s) => s.slice(0, n));
          const keep = downsampleIndices(n, series, max);
          if (n <= max) return keep.length === n;
          expect(keep.length).toBeLessThanOrEqual(max);
          for (let i = 1; i < keep.length; i++) expect(keep[i]).toBeGreaterThan(keep[i - 1]);
          for (const s of series) {
            const all = s.filter((v): v is number => v !== null);
            if (all.length === 0) continue;
            const kept = keep.map((i) => s[i]).filter((v): v is number => v !== null);
            expect(Math.max(...kept)).toBe(Math.max(...all));
            expect(Math.min(...kept)).toBe(Math.min(...all));
          }
          return true;
        },
      ),
    );
  });
});

describe("distributions", () => {
  it("CDF: fraction of values <= x, ties at their last rank", () => {
    expect(cdf([1, 2, 2, 3])).toEqual({ x: [1, 2, 3], y: [0.25, 0.75, 1] });
    // 10 values, 2 points: the 50% and 100% quantiles.
    expect(cdf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2)).toEqual({ x: [5, 10], y: [0.5, 1] });
    expect(cdf([])).toEqual({ x: [], y: [] });
  });

  it("histogram: equal bins from min to max, the max in the last bin", () => {
    expect(histogram([0, 1, 1, 2, 3, 4], 4)).toEqual({ lower: [0, 1, 2, 3], binWidth: 1, counts: [1, 2, 1, 2] });
    expect(histogram([7, 7, 7], 4)).toEqual({ lower: [7], binWidth: 0, counts: [3] });
  });
});

describe("escaping", () => {
  it("JSON in a script element: </script> and line separators cannot break out, and it parses back", () => {
    const value = { message: "</script><script>alert(1)</script> <!-- \u2028\u2029", n: 0.1 + 0.2 };
    const text = scriptJson(value);
    expect(text.toLowerCase()).not.toContain("</script");
    expect(text).not.toContain("<!--");
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ message: value.message, n: 0.3 });
  });

  it("HTML text", () => {
    expect(escapeHtml(`<b a="1">'&'</b>`)).toBe("&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
  });

  it("an event message with </script> appears in the page only escaped", () => {
    const html = reportHtml(
      { kind: "run", title: "t", facts: [], notes: [], sections: [{ title: "Events", charts: [], tables: [{ id: "x", title: "e", columns: ["message"], rows: [["</script><img src=x>"]] }] }] },
      { script: "/* uPlot */", css: "" },
    );
    expect(html).toContain("&lt;/script&gt;&lt;img src=x&gt;");
    expect(html.match(/<\/script>/g)?.length).toBe(3); // the JSON block, uPlot, the page script
  });
});

describe("a result CSV as charts", () => {
  it("timeseries.csv: known columns in their groups, a column kubesim does not know yet in a chart of its own", () => {
    const t = csv("timeseries.csv", ["sim_time_s,pods_pending,pods_running,nodes_ready,queue_depth_new", "0,3,0,2,7", "10,1,2,2,8", "20,0,3,1,"]);
    const s = timeSeriesSection(t, new ChartIds());
    const pods = byTitle(s.charts, "Pods by phase");
    expect(pods.x).toEqual([0, 10, 20]);
    expect(pods.series).toEqual([
      { label: "pods_pending", values: [3, 1, 0] },
      { label: "pods_running", values: [0, 2, 3] },
    ]);
    expect(byTitle(s.charts, "Nodes by condition").series).toEqual([{ label: "nodes_ready", values: [2, 2, 1] }]);
    expect(byTitle(s.charts, "queue_depth_new (other series)").series).toEqual([{ label: "queue_depth_new", values: [7, 8, null] }]);
  });

  it("a state column (the etcd leader) is charted as its cumulative number of changes", () => {
    const t = csv("controlplane.csv", ["sim_time_s,etcd_leader,etcd_term", "10,cp-0,1", "20,cp-0,1", "30,,2", "40,cp-1,2", "50,cp-1,2"]);
    const s = timeSeriesSection(t, new ChartIds());
    expect(byTitle(s.charts, "Changes of etcd_leader (cumulative)").series[0].values).toEqual([0, 0, 1, 2, 2]);
    expect(byTitle(s.charts, "etcd term and members up").series[0].values).toEqual([1, 1, 2, 2, 2]);
  });

  it("a file per instant and pool: one series per pool, also with one pool; gaps stay null", () => {
    const two = csv("pools.csv", ["sim_time_s,pool,nodes_ready,cost_total", "0,a,3,0", "0,b,1,0", "10,a,3,1.5", "20,a,2,3", "20,b,1,0.5"]);
    const c = byTitle(timeSeriesSection(two, new ChartIds()).charts, "cost_total by pool");
    expect(c.x).toEqual([0, 10, 20]);
    expect(c.series).toEqual([
      { label: "a", values: [0, 1.5, 3] },
      { label: "b", values: [0, null, 0.5] },
    ]);
    const one = csv("pools.csv", ["sim_time_s,pool,nodes_ready", "0,a,3", "10,a,2"]);
    expect(timeSeriesSection(one, new ChartIds()).charts.map((c) => c.title)).toEqual(["nodes_ready by pool"]);
  });

  it("events.csv: one lane per kind, a point at each instant an event of that kind happened; the rows as a table", () => {
    const t = csv("events.csv", ["sim_time_s,kind,object,message", "600,ZoneOutage,fault/0,cut", "645,NodeStatusUnknown,node/a,x", "645,NodeStatusUnknown,node/b,x", "700,NodeReady,node/a,y"]);
    const s = timeSeriesSection(t, new ChartIds());
    const [timeline] = s.charts;
    expect(timeline.kind).toBe("points");
    expect(timeline.yCategories).toEqual(["ZoneOutage", "NodeStatusUnknown", "NodeReady"]);
    expect(timeline.x).toEqual([600, 645, 700]);
    expect(timeline.series).toEqual([
      { label: "ZoneOutage (1)", values: [0, null, null] },
      { label: "NodeStatusUnknown (2)", values: [null, 1, null] },
      { label: "NodeReady (1)", values: [null, null, 2] },
    ]);
    expect(s.tables[0].rows.length).toBe(4);
  });

  it("a long series is cut to at most 5,000 instants, with the note saying so", () => {
    const lines = ["sim_time_s,pods_pending"];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${i === 4321 ? 999 : 1}`);
    const c = timeSeriesSection(csv("timeseries.csv", lines), new ChartIds()).charts[0];
    expect(c.x.length).toBeLessThanOrEqual(5000);
    expect(Math.max(...(c.series[0].values as number[]))).toBe(999);
    expect(c.note).toMatch(/^Downsampled from 20000 to \d+ instants/);
  });
});

describe("which folder", () => {
  it("a folder with manifest.json but no timeseries.csv: the error names what is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-run-"));
    writeFileSync(join(dir, "manifest.json"), "{}");
    expect(() => buildReport(dir)).toThrow(new ReportInputError(`${dir}: expected a kubesim run folder (manifest.json and timeseries.csv), got one without timeseries.csv`));
  });

  it("manifest.json that is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-run-"));
    writeFileSync(join(dir, "manifest.json"), "{");
    writeFileSync(join(dir, "timeseries.csv"), "sim_time_s,pods_pending\n0,1\n");
    expect(() => buildReport(dir)).toThrow(new RegExp(`^${join(dir, "manifest.json")}: expected the run's manifest as JSON, got invalid JSON \\(`));
  });
});

describe("title block", () => {
  const run = (manifest: object) => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-run-"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    writeFileSync(join(dir, "timeseries.csv"), "sim_time_s,pods_pending\n0,1\n600,0\n");
    return new Map(buildReport(dir).facts);
  };

  it("simulated seconds per wall-clock second from the manifest when it has them, else derived and marked", () => {
    expect(run({ scenario_name: "q", seed: 3, wall_clock_duration_s: 2, simulated_s_per_wall_s: 1234 }).get("Simulated s per wall-clock s")).toBe("1234");
    // 600 simulated s (the last sample) in 2 wall-clock s.
    const derived = run({ scenario_name: "q", seed: 3, wall_clock_duration_s: 2 });
    expect(derived.get("Simulated s per wall-clock s")).toBe("300 (simulated duration / wall-clock time)");
    expect(derived.get("Simulated duration")).toBe("600 s");
    expect(derived.get("Scenario")).toBe("q");
    // Nothing to derive from: no line rather than a made-up figure.
    expect(run({ scenario_name: "q" }).has("Simulated s per wall-clock s")).toBe(false);
  });
});

describe("sweep report", () => {
  const report = buildReport("test/fixtures/sweep-2x3");
  const charts = report.sections.flatMap((s) => s.charts);

  it("two parameters: the first on x, one line per value of the second, with the 95% CI as a band", () => {
    const c = byTitle(charts, "scheduling_latency_p99_ms: mean and 95% CI");
    expect(c.kind).toBe("band");
    expect(c.xLabel).toBe("nodePools[0].count");
    expect(c.x).toEqual([100, 200, 300]);
    expect(c.series.map((s) => s.label)).toEqual([
      "mean (workloads[2].rate=2)",
      "95% CI high (workloads[2].rate=2)",
      "95% CI low (workloads[2].rate=2)",
      "mean (workloads[2].rate=4)",
      "95% CI high (workloads[2].rate=4)",
      "95% CI low (workloads[2].rate=4)",
    ]);
    // Point 0 (100 nodes, rate 2): runs 80, 83, 78 -> mean 80.333, sd 2.517, +- 4.302653 * 2.517 / sqrt(3) = 6.252.
    expect(c.series[0].values).toEqual([80.333333, 40.333333, 27.000333]);
    expect(c.series[1].values[0]).toBe(86.584943);
    expect(c.series[2].values[0]).toBe(74.081723);
    expect(c.series[3].values).toEqual([160.666667, 80.666667, 53.999667]);
    expect(c.bands).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it("paired differences to the baseline point, the baseline itself at 0", () => {
    const c = byTitle(charts, "pods_pending_max: paired difference to baseline point 0, 95% CI");
    expect(c.series[0].values).toEqual([0, -30, -40]);
    expect(c.series[3].values).toEqual([60, 0, -20]);
  });

  it("one parameter with text values: the values in order of the grid on a category axis; extra columns tolerated", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-sweep-"));
    writeFileSync(
      join(dir, "sweep-summary.csv"),
      [
        "point,scheduler.profiles[0].schedulerName,metric,n,mean,sd,ci95_low,ci95_high,baseline_point,paired_n,paired_diff_mean,paired_diff_sd,paired_ci95_low,paired_ci95_high,extra_note",
        "0,default-scheduler,cpu_requested_ratio_peak,5,0.5,0.1,0.4,0.6,0,,,,,,x",
        "1,bin-packing,cpu_requested_ratio_peak,5,0.7,0.1,0.6,0.8,0,5,0.2,0.05,0.15,0.25,y",
        "",
      ].join("\n"),
    );
    const c = byTitle(buildReport(dir).sections.flatMap((s) => s.charts), "cpu_requested_ratio_peak: mean and 95% CI");
    expect(c.xAxis).toBe("category");
    expect(c.xCategories).toEqual(["default-scheduler", "bin-packing"]);
    expect(c.x).toEqual([0, 1]);
    expect(c.series.map((s) => s.values)).toEqual([
      [0.5, 0.7],
      [0.6, 0.8],
      [0.4, 0.6],
    ]);
  });

  it("three parameters (or none): the grid points in order, labelled with their values", () => {
    const points = [
      { id: "0", params: ["1", "a", "x"] },
      { id: "1", params: ["2", "b", "y"] },
    ];
    const l = sweepLayout(points, ["p", "q", "r"]);
    expect(l.xAxis).toBe("category");
    expect(l.xCategories).toEqual(["0: p=1, q=a, r=x", "1: p=2, q=b, r=y"]);
    expect([...l.place.entries()]).toEqual([
      ["0", { xIndex: 0, line: 0 }],
      ["1", { xIndex: 1, line: 0 }],
    ]);
    expect(sweepLayout([{ id: "7", params: [] }], []).xCategories).toEqual(["point 7"]);
  });

  it("a cell that is not a number is an error naming the file, the line and the column", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubesim-sweep-"));
    writeFileSync(join(dir, "sweep-summary.csv"), "point,p,metric,mean,ci95_low,ci95_high\n0,1,m,abc,1,2\n");
    expect(() => buildReport(dir)).toThrow(new ReportInputError(`${join(dir, "sweep-summary.csv")}:2: mean: expected a number or an empty cell, got "abc"`));
    writeFileSync(join(dir, "sweep-summary.csv"), "point,p,metric,mean\n0,1,m,1\n");
    expect(() => buildReport(dir)).toThrow(`${join(dir, "sweep-summary.csv")}: expected a column "ci95_low", got columns point, p, metric, mean`);
  });
});
