/**
 * A Report as one self-contained HTML page: uPlot and its stylesheet inline, the charts'
 * data in a <script type="application/json"> block, tables as HTML. Nothing is fetched:
 * no CDN, no fonts, no images. Text from the run (messages, names) is HTML-escaped; the
 * JSON block escapes `<` (so "</script>" in an event message cannot close it) and the
 * two line separators JavaScript once rejected. The same inputs give the same bytes.
 */
import type { Chart, Report, Section, TableBlock } from "./model.js";
import { PAGE_SCRIPT } from "./pageScript.js";
import type { UplotAssets } from "./uplotAssets.js";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Significant digits of computed values in the page [kubesim choice: beyond a chart's resolution, trims float noise such as 6.903000000000001]. */
const SIGNIFICANT_DIGITS = 10;

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(SIGNIFICANT_DIGITS)) : v))
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Inline code (uPlot) safe inside a <script> or <style> element. */
function inlineText(s: string, element: "script" | "style"): string {
  return s.replace(new RegExp(`</(${element})`, "gi"), "<\\/$1");
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; color: #222; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h2 small, figcaption small { color: #777; font-weight: normal; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; white-space: pre-wrap; }
th { background: #f4f4f4; position: sticky; top: 0; }
table.facts th { position: static; }
.scroll { max-height: 420px; overflow: auto; display: inline-block; max-width: 100%; }
figure.chart { margin: 16px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.plot { width: 100%; }
p.note, ul.notes { color: #555; font-size: 12px; margin: 4px 0; }
input.filter { margin: 4px 0; padding: 3px 6px; width: 320px; }
nav a { margin-right: 12px; }
`;

function tableHtml(t: TableBlock): string {
  const head = `<tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  const filter = t.filterable ? `<div><input class="filter" type="search" placeholder="filter rows" data-table="${t.id}"></div>` : "";
  const note = t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : "";
  return `<h3>${escapeHtml(t.title)}</h3>${filter}<div class="scroll"><table id="${t.id}"><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>${note}`;
}

function chartHtml(c: Chart): string {
  const note = c.note ? `<p class="note">${escapeHtml(c.note)}</p>` : "";
  return `<figure class="chart" id="${c.id}"><figcaption>${escapeHtml(c.title)}</figcaption><div class="plot"></div>${note}</figure>`;
}

function sectionHtml(s: Section, i: number): string {
  const source = s.source ? ` <small>${escapeHtml(s.source)}</small>` : "";
  return `<section id="s${i}"><h2>${escapeHtml(s.title)}${source}</h2>\n${s.charts.map(chartHtml).join("\n")}\n${s.tables.map(tableHtml).join("\n")}</section>`;
}

export function reportHtml(r: Report, assets: UplotAssets): string {
  const charts = r.sections.flatMap((s) => s.charts);
  const facts = r.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n");
  const nav = r.sections.map((s, i) => `<a href="#s${i}">${escapeHtml(s.title)}</a>`).join(" ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kubesim report">
<title>${escapeHtml(r.title)}</title>
<style>${inlineText(assets.css, "style")}</style>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
<table class="facts">${facts}</table>
<nav>${nav}</nav>
<ul class="notes">${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>
${r.sections.map(sectionHtml).join("\n")}
<script type="application/json" id="kubesim-data">${scriptJson({ charts })}</script>
<script>${inlineText(assets.script, "script")}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
