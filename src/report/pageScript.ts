/**
 * The script of the report page (browser JavaScript, ES2017, no modules): reads the
 * charts' data from the page's JSON block and draws each with uPlot (inlined before it);
 * wires the tables' filter boxes. It exposes `window.__kubesimCharts`, one entry per
 * chart drawn ({id, series, points, width, height}, or {id, error}), which the report's
 * browser test reads. Kept as a string here because it runs in the page, not in Node;
 * it uses no template literals, so this file needs no escaping.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];
  var data = JSON.parse(document.getElementById("kubesim-data").textContent);
  var drawn = [];
  window.__kubesimCharts = drawn;

  function fmtTime(s) {
    if (s == null) return "";
    var neg = s < 0 ? "-" : "";
    s = Math.abs(s);
    if (s < 120) return neg + (Math.round(s * 1000) / 1000) + "s";
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
    if (sec === 60) { sec = 0; m++; }
    return neg + ((h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (sec > 0 ? sec + "s" : "") || "0s");
  }
  function fmtNum(v) {
    if (v == null) return "";
    if (Math.abs(v) >= 1e6 || (Math.abs(v) > 0 && Math.abs(v) < 1e-3)) return v.toExponential(3);
    return String(Math.round(v * 1e6) / 1e6);
  }
  function withAlpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function indexSplits(count) {
    return function () { var out = []; for (var i = 0; i < count; i++) out.push(i); return out; };
  }
  function categoryValues(names) {
    return function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) && names[v] !== undefined ? names[v] : ""; }); };
  }

  function options(chart, width) {
    var x = chart.xAxis;
    var xSeries = { label: chart.xLabel, value: function (u, v) { return x === "time" ? fmtTime(v) : x === "category" ? (chart.xCategories[v] || "") : fmtNum(v); } };
    var series = [xSeries];
    var bands = [];
    chart.series.forEach(function (s, i) {
      var line = chart.kind === "band" ? Math.floor(i / 3) : i;
      var role = chart.kind === "band" ? i % 3 : 0;
      var color = COLORS[line % COLORS.length];
      var o = { label: s.label, stroke: color, width: role === 0 ? 1.75 : 1, value: function (u, v) { return fmtNum(v); } };
      if (role > 0) o.dash = [4, 4];
      if (chart.kind === "points") {
        o.paths = function () { return null; };
        o.points = { show: true, size: 7, fill: color, stroke: color };
        o.value = function (u, v) { return v == null ? "" : "event"; };
      } else if (chart.kind === "bars") {
        o.paths = uPlot.paths.bars({ size: [0.9, 60] });
        o.fill = withAlpha(color, 0.5);
        o.points = { show: false };
      } else if (chart.kind === "band") {
        o.points = { show: role === 0, size: 6 };
      } else {
        o.points = { show: false };
      }
      series.push(o);
    });
    (chart.bands || []).forEach(function (b) {
      var color = COLORS[Math.floor(b[0] / 3) % COLORS.length];
      bands.push({ series: [b[0] + 1, b[1] + 1], fill: withAlpha(color, 0.15) });
    });
    var xAxis = { label: chart.xLabel };
    var scales = { x: { time: false } };
    if (x === "time") {
      // Round durations for ticks: 1 s ... 1 day.
      xAxis.incrs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
      xAxis.values = function (u, splits) { return splits.map(fmtTime); };
    }
    if (chart.xLog) scales.x.distr = 3;
    if (x === "category") {
      var n = chart.xCategories.length;
      scales.x.range = function () { return [-0.5, n - 0.5]; };
      xAxis.splits = indexSplits(n);
      xAxis.values = categoryValues(chart.xCategories);
    }
    var yAxis = { label: chart.yLabel, size: 60 };
    if (chart.yRange) scales.y = { range: function () { return chart.yRange; } };
    if (chart.yCategories) {
      var lanes = chart.yCategories.length;
      scales.y = { range: function () { return [-0.5, lanes - 0.5]; } };
      yAxis.splits = indexSplits(lanes);
      yAxis.values = categoryValues(chart.yCategories);
      yAxis.size = 170;
    }
    return { width: width, height: chart.yCategories ? Math.max(220, 26 * chart.yCategories.length + 80) : 280, series: series, bands: bands, scales: scales, axes: [xAxis, yAxis], cursor: { drag: { x: true, y: false } } };
  }

  var plots = [];
  data.charts.forEach(function (chart) {
    var box = document.querySelector("#" + chart.id + " .plot");
    try {
      var width = Math.max(320, (box.clientWidth || 900) - 4);
      var u = new uPlot(options(chart, width), [chart.x].concat(chart.series.map(function (s) { return s.values; })), box);
      var points = 0;
      chart.series.forEach(function (s) { s.values.forEach(function (v) { if (v != null) points++; }); });
      plots.push(u);
      drawn.push({ id: chart.id, title: chart.title, series: chart.series.length, points: points, width: u.width, height: u.height });
    } catch (e) {
      console.error("chart " + chart.id + ": " + e);
      drawn.push({ id: chart.id, title: chart.title, error: String(e) });
    }
  });

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (u) { var w = Math.max(320, u.root.parentNode.clientWidth - 4); u.setSize({ width: w, height: u.height }); });
    }, 150);
  });

  Array.prototype.forEach.call(document.querySelectorAll("input.filter"), function (input) {
    var rows = document.querySelectorAll("#" + input.getAttribute("data-table") + " tbody tr");
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(rows, function (tr) { tr.style.display = q === "" || tr.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none"; });
    });
  });
})();
`;
