// The verdict column never contradicts the figure it stands beside (adapters/cli/format.ts):
// generated projections with annual growths on and near their targets' boundaries and
// probabilities on and near the verdict thresholds, rendered as the project, compare and seek
// tables, read back cell by cell. With draws the verdict must be the engine's word for the
// percentage shown; without draws the mark must be the target's rule applied to the growth
// shown.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { compareTable, meets, projectionTable, seekTable } from "../../../adapters/cli/format.ts"
import { verdictOf, type Projection, type Target } from "../../../engine/index.ts"

const targetArb: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constant("atLeast" as const), value: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant("atMost" as const), value: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant("around" as const), value: fc.integer({ min: 0, max: 12 }), band: fc.constantFrom(0, 0.5, 1) }),
)
const boundaryOf = (t: Target) => (t.kind === "around" ? t.value - t.band : t.value)
// offsets from the boundary that round onto it, just off it, and far from it
const offset = fc.oneof(fc.constantFrom(0, 1e-9, -1e-9, 0.004, -0.004, 0.005, -0.005, 0.0049999, -0.0050001), fc.double({ min: -3, max: 3, noNaN: true }))
// probabilities around the thresholds (1/3, 2/3 and their rounded neighbours) and anywhere
const probability = fc.oneof(fc.constantFrom(0, 1, 1 / 3, 2 / 3, 0.333, 0.334, 0.335, 0.3349, 0.665, 0.6649, 0.666, 0.667, 0.6651, 0.5), fc.double({ min: 0, max: 1, noNaN: true }))

const indicatorArb = fc.record({ target: targetArb, offset, probability }).map(({ target, offset, probability }, ) => ({ target, annual: boundaryOf(target) + offset, probability }))
const viewArb = fc.record({ draws: fc.constantFrom(0, 1000), indicators: fc.array(indicatorArb, { minLength: 1, maxLength: 6 }) }).map(
  ({ draws, indicators }): Projection => ({
    model: "m",
    scenario: "s",
    seed: 1,
    draws,
    periods: ["2024"],
    indicators: indicators.map((x, k) => ({
      id: `i${k}`,
      name: `Indicator ${k}`,
      unit: "%",
      kind: "flow" as const,
      target: x.target,
      annual: { mean: x.annual, p05: x.annual - 1, p25: x.annual - 0.5, p50: x.annual, p75: x.annual + 0.5, p95: x.annual + 1 },
      probability: draws > 0 ? x.probability : meets(x.target, x.annual) ? 1 : 0,
      outcomes: null,
      required: null,
      met: meets(x.target, x.annual) ?? null,
      quantileError: 0,
      path: [],
    })),
    joint: { targets: indicators.length, all: 0, count: [] },
    events: { applied: 0, rejected: 0 },
    solution: { periods: ["2024"], variables: {} },
  }),
)

/** The body rows of a rendered table (after the rule line), split into cells. */
const rowsOf = (text: string): string[][] => {
  const lines = text.split("\n")
  const rule = lines.findIndex((l) => /^─/.test(l))
  const out: string[][] = []
  for (const l of lines.slice(rule + 1)) {
    if (l.trim() === "") break
    out.push(l.split(/\s{2,}/))
  }
  return out
}

describe("verdicts beside their figures", () => {
  test.prop([viewArb])("project: the verdict follows P(met) as shown; the met mark follows the annual growth as shown", (v) => {
    const rows = rowsOf(projectionTable(v))
    expect(rows).toHaveLength(v.indicators.length)
    rows.forEach((cells, k) => {
      const target = v.indicators[k].target!
      if (v.draws > 0) {
        const [, , , , shown, verdict] = cells
        expect(verdict).toBe(verdictOf(Number(shown.replace("%", "")) / 100))
      } else {
        const [, , annual, met] = cells
        expect(met).toBe(meets(target, Number(annual)) ? "yes" : "no")
        expect(met).toBe(v.indicators[k].met ? "yes" : "no")
      }
    })
  })

  test.prop([viewArb, viewArb])("compare: each scenario's cell agrees with itself", (a, b) => {
    const other = { ...b, draws: a.draws, scenario: "t", indicators: b.indicators.slice(0, a.indicators.length) }
    const rows = rowsOf(compareTable([a, other]))
    rows.forEach((cells, k) => {
      cells.slice(2).forEach((cell, s) => {
        const view = [a, other][s]
        const target = view.indicators.find((i) => i.id === `i${k}`)?.target
        if (!target) return expect(cell).toBe("—")
        const parts = cell.split(" ")
        if (a.draws > 0) expect(parts[2]).toBe(verdictOf(Number(parts[1].replace("%", "")) / 100))
        else expect(parts[1]).toBe(meets(target, Number(parts[0])) ? "✓" : "✗")
      })
    })
  })

  test.prop([probability, fc.boolean()])("seek: the verdict follows the probability shown", (p, met) => {
    const [cells] = rowsOf(seekTable({ target: "gdp", shock: "fai", value: 1, probability: p, met, annual: 7, draws: 1000 }))
    expect(cells[5]).toBe(verdictOf(Number(cells[4].replace("%", "")) / 100))
  })
})
