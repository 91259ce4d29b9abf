// The report adapter's public surface: HTML reports of projections and explanations, and
// the live page served over HTTP. The render functions are pure (strings in, strings out);
// only live.ts touches the world (a node:http server).
export { renderComparison, renderProjectionReport, renderScenarioSection, renderSummaryTable } from "./projection-report.ts"
export type { ProjectionReportOptions, ScenarioSectionOptions } from "./projection-report.ts"
export { renderExplainReport } from "./explain-report.ts"
export type { ExplainReportOptions } from "./explain-report.ts"
export { renderFanChart } from "./fan-chart.ts"
export type { FanChartInput, FanSeries } from "./fan-chart.ts"
export { renderWaterfall } from "./waterfall.ts"
export { EXPORT_SCRIPT, chartFigure, csv } from "./export.ts"
export { pageShell } from "./page.ts"
export { esc } from "./escape.ts"
export { fmt, fmtProbability, fmtSigned, fmtUnit } from "./format.ts"
export type { WaterfallInput } from "./waterfall.ts"
export { startLivePage } from "./live.ts"
export type { LivePage, LivePageOptions, LastEvent } from "./live.ts"
export type { ReportExplain, ReportIndicator, ReportPathPoint, ReportProjection, ReportQuantiles, ReportTarget } from "./types.ts"
