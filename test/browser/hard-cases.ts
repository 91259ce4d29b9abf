// Inputs that used to make chart labels collide: a flat line 0.02 pp above its target (the
// axis zoomed to a 0.03 pp span with ticks like "10.020" under a rotated title), a negative
// total whose value ran into the "total" label, long event ids and long scenario names.
import type { ReportExplain, ReportProjection } from "../../adapters/report/index.ts"

const periods = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, "0")}`)

/** A deterministic projection whose one indicator sits 0.02 pp above an atLeast 10 target, under a long scenario name. */
export function flatNearTarget(scenario = "pipeline-on-schedule-with-every-measure-of-the-plan"): ReportProjection {
  return {
    scenario,
    draws: 0,
    periods,
    indicators: [
      {
        id: "industry_va",
        name: "Value added of industrial enterprises above designated size",
        target: { kind: "atLeast", value: 10 },
        annual: { p05: 10.02, p50: 10.02, p95: 10.02 },
        probability: 1,
        required: 9.98,
        path: periods.map((period, i) => {
          const v = 10.005 + i * 0.0015
          return { period, ytd: { p05: v, p25: v, p50: v, p75: v, p95: v }, observed: i < 2 }
        }),
      },
    ],
  }
}

/** An explanation with a negative total filling the axis and event ids of every length. */
export const longNegative: ReportExplain = {
  scenario: "fai-slump",
  against: "baseline",
  indicators: [
    {
      id: "gdp",
      total: -0.89,
      contributions: [
        { event: "fai-slump-persist-the-whole-2023-local-shortfall-of-investment", value: -0.62 },
        { event: "x", value: -0.31 },
        { event: "releases through 2024-03", value: 0.04 },
      ],
    },
  ],
}
