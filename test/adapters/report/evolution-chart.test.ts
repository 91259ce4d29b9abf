// The evolution chart of a backtest (adapters/report/evolution-chart.ts): one svg per
// indicator with its median, bands, a marker per release (a diamond for a revision), the
// outcome line and, with a target, the P(target) strip; text escaped; no strip without a target.
import { describe, expect, it } from "vitest"
import { renderEvolutionChart, type EvolutionStep } from "../../../adapters/report/evolution-chart.ts"

const step = (through: string, p50: number, kind: EvolutionStep["kind"] = "release"): EvolutionStep => ({ through, kind, p05: p50 - 2, p25: p50 - 1, p50, p75: p50 + 1, p95: p50 + 2, probability: 0.4 })
const STEPS = [step("2024-02", 5), step("2024-03", 5.5), step("2024-03", 5.6, "revision"), step("2024-04", 6)]

describe("renderEvolutionChart", () => {
  it("draws the median, both bands, a marker per release, the outcome, the target and P(target)", () => {
    const svg = renderEvolutionChart({ id: "gdp", title: "GDP <real>", unit: "%", target: { kind: "around", value: 7, band: 0.5 }, outcome: 5.1, steps: STEPS, idPrefix: "ev-0" })
    expect(svg.match(/<svg[^>]*class="evolution-chart"/g)).toHaveLength(1)
    expect(svg).toContain('data-indicator="gdp"')
    expect(svg.match(/class="median"/g)).toHaveLength(1)
    expect(svg.match(/class="band band-90"/g)).toHaveLength(1)
    expect(svg.match(/class="band band-50"/g)).toHaveLength(1)
    expect(svg.match(/class="release"/g)).toHaveLength(4)
    expect(svg.match(/data-kind="revision"/g)).toHaveLength(1)
    expect(svg).toMatch(/class="outcome-line" data-value="5.1"/)
    expect(svg.match(/class="target-line"/g)).toHaveLength(1)
    expect(svg.match(/class="probability"/g)).toHaveLength(1)
    expect(svg).toContain("GDP &lt;real&gt;")
    expect(svg).not.toContain("<real>")
    expect(svg).not.toMatch(/NaN|undefined/)
  })

  it("has no target line or P(target) strip without a target, and no outcome line without an outcome", () => {
    const svg = renderEvolutionChart({ id: "x", title: "X", target: null, outcome: null, steps: STEPS.map((s) => ({ ...s, probability: null })), idPrefix: "ev-1" })
    expect(svg).not.toMatch(/class="target-line"|class="probability"|class="outcome-line"/)
    expect(svg.match(/class="release"/g)).toHaveLength(4)
  })
})
