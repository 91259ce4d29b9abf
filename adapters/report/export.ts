// Per-chart export: every chart sits in a <figure class="chart"> with a small toolbar that
// saves the chart as SVG or PNG and downloads the numbers behind it as CSV. The CSV is a
// data: link written here (works without script); SVG and PNG come from the page's one
// export script (EXPORT_SCRIPT), which serialises the chart's <svg> as shown (fonts named
// explicitly so the file renders alike elsewhere) and, for PNG, draws it on a canvas at
// twice its size. Nothing is fetched: the image is built from a data: URL of the SVG.
// Invariants: file names are id tokens (letters, digits, - and _); CSV numbers carry at most
// 6 decimals; every string is escaped. Pure: strings in, strings out.
import { esc, idToken } from "./escape.ts"
import { arr, num, type ReportIndicator } from "./types.ts"

/** A CSV field: quoted when it holds a comma, quote or line break. */
const field = (v: unknown): string => {
  if (v === null || v === undefined) return ""
  if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toFixed(6))) : ""
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** CSV text from a header and rows. */
export const csv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string => [header, ...rows].map((r) => r.map(field).join(",")).join("\n") + "\n"

/** The numbers behind a fan chart: one row per scenario and period, then one "annual" row per scenario. */
export function fanCsv(indicator: string, series: readonly { scenario: string; ind: ReportIndicator }[]): string {
  const rows: unknown[][] = []
  for (const { scenario, ind } of series) {
    for (const p of arr(ind.path)) {
      const q = p?.ytd ?? {}
      rows.push([scenario, indicator, p?.period, p?.observed === true, num(q.p05), num(q.p25), num(q.p50), num(q.p75), num(q.p95)])
    }
    const a = ind.annual ?? {}
    rows.push([scenario, indicator, "annual", "", num(a.p05), num(a.p25), num(a.p50), num(a.p75), num(a.p95), num(ind.probability), num(ind.required)])
  }
  return csv(["scenario", "indicator", "period", "observed", "ytd_p05", "ytd_p25", "ytd_p50", "ytd_p75", "ytd_p95", "probability", "required"], rows)
}

/** A chart with its export toolbar. `name` becomes the downloaded files' base name. */
export function chartFigure(svg: string, name: string, csvText: string): string {
  const base = idToken(name)
  const href = `data:text/csv;charset=utf-8,${encodeURIComponent(csvText)}`
  return (
    `<figure class="chart" data-chart="${esc(base)}">` +
    `<div class="chart-tools" role="toolbar" aria-label="export this chart">` +
    `<button type="button" data-export="svg" title="save the chart as SVG">SVG</button>` +
    `<button type="button" data-export="png" title="save the chart as PNG">PNG</button>` +
    `<a class="csv" data-export="csv" download="${esc(base)}.csv" href="${esc(href)}" title="the numbers behind the chart">CSV</a>` +
    `</div>${svg}</figure>`
  )
}

/** The page script behind the SVG and PNG buttons (event delegation: charts swapped in later work too). */
export const EXPORT_SCRIPT = `
(function () {
  function fileOf(svg) {
    var clone = svg.cloneNode(true);
    var box = svg.viewBox.baseVal;
    clone.setAttribute("width", String(box.width));
    clone.setAttribute("height", String(box.height));
    clone.setAttribute("font-family", getComputedStyle(svg).fontFamily);
    return '<?xml version="1.0" encoding="UTF-8"?>\\n' + new XMLSerializer().serializeToString(clone);
  }
  function save(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target && ev.target.closest ? ev.target.closest("button[data-export]") : null;
    if (!button) return;
    var figure = button.closest("figure.chart");
    var svg = figure && figure.querySelector("svg");
    if (!svg) return;
    var name = figure.getAttribute("data-chart") || "chart";
    var text = fileOf(svg);
    var url = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    if (button.getAttribute("data-export") === "svg") return save(url, name + ".svg");
    var box = svg.viewBox.baseVal;
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(box.width * 2);
      canvas.height = Math.round(box.height * 2);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      save(canvas.toDataURL("image/png"), name + ".png");
    };
    img.src = url;
  });
})();
`
