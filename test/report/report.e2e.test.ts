/**
 * `kubesim report` as a user runs it (the built CLI), and its pages as a browser shows
 * them: headless Chromium (playwright-core, Debian's /usr/bin/chromium; no browser
 * download) opens the report of a real run (quickstart, 5 simulated minutes, its node
 * failure at 1m and recovery at 4m so events.csv has rows) and of the
 * hand-made sweep (test/fixtures/sweep-2x3) from file:// and checks that every chart
 * drew a canvas with data, that nothing was logged as an error, and that the page asked
 * the network for nothing. Without Chromium the browser checks are skipped, except in CI
 * (CI set), where that is a failure saying what to install.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCli, kubesim } from "../cli/builtCli.js";
import { buildReport } from "../../src/report/report.js";
import { FILE_TITLES } from "../../src/report/seriesGroups.js";

const CHROMIUM = process.env.KUBESIM_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const SWEEP = "test/fixtures/sweep-2x3";

const tmp = mkdtempSync(join(tmpdir(), "kubesim-report-"));
const runDir = join(tmp, "quickstart");
const realSweep = join(tmp, "real-sweep");

beforeAll(() => {
  ensureBuiltCli();
  const r = kubesim(["run", "scenarios/quickstart.yaml", "--set", "duration=5m", "--set", "faults[0].at=1m", "--set", "faults[1].at=4m", "--out", runDir, "--quiet"]);
  if (r.code !== 0) throw new Error(`kubesim run failed: ${r.stderr}`);
  // A real sweep, as kubesim sweep writes it: 2 points x 3 seeds of a short quickstart.
  const s = kubesim(["sweep", "scenarios/quickstart.yaml", "--param", "nodePools[0].count=200,240", "--seeds", "3", "--set", "duration=2m", "--workers", "2", "--out", realSweep, "--quiet"]);
  if (s.code !== 0) throw new Error(`kubesim sweep failed: ${s.stderr}`);
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("kubesim report (CLI)", () => {
  it("writes <dir>/report.html by default and prints its path; --out writes elsewhere", () => {
    const r = kubesim(["report", runDir]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(`${join(runDir, "report.html")}\n`);
    const html = readFileSync(join(runDir, "report.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    // Self-contained: no reference to anything on a network.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);

    const out = join(tmp, "sweep.html");
    const s = kubesim(["report", SWEEP, "--out", out]);
    expect(s).toMatchObject({ code: 0, stdout: `${out}\n`, stderr: "" });
    expect(existsSync(join(SWEEP, "report.html"))).toBe(false);
  });

  it("bad input: one line naming the path and what was expected, exit 2, nothing written", () => {
    const missing = kubesim(["report", join(tmp, "nope")]);
    expect(missing).toMatchObject({ code: 2, stdout: "", stderr: `${join(tmp, "nope")}: expected a kubesim run or sweep folder, got a path that does not exist\n` });

    const empty = mkdtempSync(join(tmp, "empty-"));
    const notRun = kubesim(["report", empty]);
    expect(notRun).toMatchObject({ code: 2, stderr: `${empty}: expected a kubesim run folder (manifest.json and timeseries.csv) or a sweep folder (sweep-summary.csv), got a folder without them\n` });

    // A run folder whose timeseries.csv lost the end of a row.
    const broken = mkdtempSync(join(tmp, "broken-"));
    writeFileSync(join(broken, "manifest.json"), readFileSync(join(runDir, "manifest.json")));
    const lines = readFileSync(join(runDir, "timeseries.csv"), "utf8").split("\n");
    lines[3] = lines[3].split(",").slice(0, 5).join(",");
    writeFileSync(join(broken, "timeseries.csv"), lines.join("\n"));
    const bad = kubesim(["report", broken]);
    expect(bad).toMatchObject({ code: 2, stdout: "", stderr: `${join(broken, "timeseries.csv")}:4: expected 21 fields as in the header, got 5\n` });
    expect(existsSync(join(broken, "report.html"))).toBe(false);

    const outDir = kubesim(["report", runDir, "--out", join(tmp, "no-such-folder", "r.html")]);
    expect(outDir).toMatchObject({ code: 2, stderr: `--out: expected a file in an existing folder, got "${join(tmp, "no-such-folder", "r.html")}" (no folder "${join(tmp, "no-such-folder")}")\n` });
  });
});

describe("the run report covers the run folder", () => {
  it("every CSV of the folder is in a section (charted or as a table), and every chart has data", () => {
    const report = buildReport(runDir);
    const shown = new Set(report.sections.flatMap((s) => [...(s.source ?? "").split(", "), ...s.tables.map((t) => t.title.split(":")[0])]));
    const csvs = readdirSync(runDir).filter((f) => f.endsWith(".csv"));
    const titled = (f: string) => FILE_TITLES[f] ?? f;
    // Files without rows (no Services in quickstart: none; empty logs) still get their section.
    expect(csvs.filter((f) => !shown.has(f) && !shown.has(titled(f)))).toEqual([]);
    for (const c of report.sections.flatMap((s) => s.charts)) expect(c.series.some((s) => s.values.some((v) => v !== null)), c.title).toBe(true);
  });
});

interface DrawnChart {
  id: string;
  title: string;
  series?: number;
  points?: number;
  width?: number;
  height?: number;
  error?: string;
}

describe.skipIf(!haveChromium)("the report in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 60_000);
  afterAll(async () => browser?.close());

  async function open(file: string) {
    const page = await browser.newPage();
    const requests: string[] = [];
    const blocked: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (/^https?:/i.test(url)) {
        blocked.push(url);
        return route.abort();
      }
      return route.continue();
    });
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => (window as unknown as { __kubesimCharts?: unknown[] }).__kubesimCharts !== undefined);
    const charts = (await page.evaluate(() => (window as unknown as { __kubesimCharts: unknown[] }).__kubesimCharts)) as DrawnChart[];
    const canvases = await page.$$eval("figure.chart", (figs) =>
      figs.map((f) => {
        const c = f.querySelector("canvas");
        return { id: f.id, width: c?.width ?? 0, height: c?.height ?? 0 };
      }),
    );
    await page.close();
    return { url, requests, blocked, errors, charts, canvases };
  }

  function expectAllDrawn(p: Awaited<ReturnType<typeof open>>, minCharts: number) {
    expect(p.errors).toEqual([]);
    expect(p.blocked).toEqual([]);
    expect(p.requests).toEqual([p.url]);
    expect(p.canvases.length).toBeGreaterThanOrEqual(minCharts);
    expect(p.charts.map((c) => c.id)).toEqual(p.canvases.map((c) => c.id));
    for (const c of p.canvases) expect(c.width > 0 && c.height > 0, `${c.id} has a canvas with a size`).toBe(true);
    for (const c of p.charts) {
      expect(c.error, c.id).toBeUndefined();
      expect(c.points, `${c.id} (${c.title}) has data`).toBeGreaterThan(0);
    }
  }

  it("run report: every chart drawn with data, no console errors, no request but the file itself", async () => {
    expect(kubesim(["report", runDir]).code).toBe(0);
    const p = await open(join(runDir, "report.html"));
    expectAllDrawn(p, 10);
    const titles = p.charts.map((c) => c.title);
    for (const t of ["Pods by phase", "Nodes by condition", "Utilisation (requests / allocatable, Ready nodes)", "Pod scheduling latency (created to bound): CDF", "cpu_requested_ratio by pool"]) expect(titles).toContain(t);
    expect(titles.some((t) => t.startsWith("Events: "))).toBe(true);
  }, 60_000);

  it("sweep report: a mean and a paired-difference chart per metric, each with its 6 grid points' data", async () => {
    const out = join(tmp, "sweep-browser.html");
    expect(kubesim(["report", SWEEP, "--out", out]).code).toBe(0);
    const p = await open(out);
    expectAllDrawn(p, 4);
    // 2 metrics x (mean, paired); each chart: 2 lines x (mean, high, low) over 3 x values = 18 values.
    expect(p.charts.map((c) => [c.series, c.points])).toEqual([
      [6, 18],
      [6, 18],
      [6, 18],
      [6, 18],
    ]);
  }, 60_000);
});

describe.skipIf(!haveChromium)("the report of a real sweep in headless Chromium", () => {
  it("reads what kubesim sweep writes: a chart per metric with its 2 grid points, nothing fetched, no errors", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      expect(kubesim(["report", realSweep])).toMatchObject({ code: 0, stderr: "" });
      const page = await browser.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const url = pathToFileURL(join(realSweep, "report.html")).href;
      await page.goto(url, { waitUntil: "load" });
      await page.waitForFunction(() => (window as unknown as { __kubesimCharts?: unknown[] }).__kubesimCharts !== undefined);
      const charts = (await page.evaluate(() => (window as unknown as { __kubesimCharts: DrawnChart[] }).__kubesimCharts)) as DrawnChart[];
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      // One mean chart per metric of sweep-summary.csv (and a paired one for each that has a baseline difference).
      const metrics = new Set(readFileSync(join(realSweep, "sweep-summary.csv"), "utf8").trimEnd().split("\n").slice(1).map((l) => l.split(",")[2]));
      expect(charts.length).toBeGreaterThanOrEqual(metrics.size);
      for (const c of charts) {
        expect(c.error, c.id).toBeUndefined();
        expect(c.points, `${c.id} (${c.title}) has data`).toBeGreaterThan(0);
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe.runIf(!haveChromium)("without Chromium", () => {
  it(process.env.CI ? "CI has Chromium for the browser checks" : "browser checks skipped (no Chromium)", () => {
    const how = `install it (Debian: apt-get install -y chromium) or set KUBESIM_CHROMIUM to its path`;
    if (process.env.CI) throw new Error(`${CHROMIUM} not found: the report's browser checks cannot run; ${how}`);
    console.warn(`test/report: ${CHROMIUM} not found; the browser checks are skipped (${how})`);
  });
});
