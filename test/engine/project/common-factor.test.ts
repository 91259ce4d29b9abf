// Correlated equation errors written as a common factor: a variable whose equation is 0 plus its
// own error, entering other equations through loadings (the Duji model's key_firms). Drawn from
// its own keyed stream, it gives two indicators the correlation the loadings imply; a loading of
// 0 gives the bits of a model without the link; and a release of one indicator moves the other
// by the Gaussian regression on the factor (conditioned in closed form like every error).
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { projectEnsemble, project } from "../../../engine/project/project.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { emptyState, toInputs } from "../../../engine/scenario/index.ts"
import { Model } from "../../../engine/schema/model.ts"

const RHO = 0.7
const [SF, SX, SY, NOISE] = [2, 1.5, 1, 0.3]
const model = (l: number, y = "l * f") =>
  compile(
    Model.parse({
      name: "factor",
      calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
      indicators: [
        { id: "x", name: "x", kind: "flow", base: { growth: 0 }, error: { dist: "normal", sd: SX }, persistence: RHO, release: { sd: NOISE } },
        { id: "y", name: "y", kind: "flow", base: { growth: 0 }, error: { dist: "normal", sd: SY }, persistence: RHO, release: { sd: NOISE } },
      ],
      variables: { f: { error: { dist: "normal", sd: SF }, persistence: RHO } },
      parameters: { l: { value: l } },
      equations: { f: "0", x: "f", y },
    }),
  )

/** Covariance of the means of an AR(1) process (unit variance) over periods 0..a and 0..b. */
const meanCov = (a: number, b: number): number => {
  let s = 0
  for (let i = 0; i <= a; i++) for (let j = 0; j <= b; j++) s += RHO ** Math.abs(i - j)
  return s / ((a + 1) * (b + 1))
}

describe("a common factor of equation errors", () => {
  it("gives the two indicators' annual growths the correlation the loading implies", () => {
    const l = 0.8
    const draws = 20_000
    const { ensemble } = projectEnsemble(model(l), toInputs(model(l), emptyState), { draws, seed: 7, scenario: "f" })
    const xs = Array.from({ length: draws }, (_, d) => ensemble.annual[d * 2]!)
    const ys = Array.from({ length: draws }, (_, d) => ensemble.annual[d * 2 + 1]!)
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length
    const [mx, my] = [mean(xs), mean(ys)]
    const cxy = mean(xs.map((x, i) => (x - mx) * (ys[i]! - my)))
    const r = cxy / Math.sqrt(mean(xs.map((x) => (x - mx) ** 2)) * mean(ys.map((y) => (y - my) ** 2)))
    // every error follows the same AR(1), so the annual means share one scale and the per-period correlation holds
    const implied = (l * SF * SF) / Math.sqrt((SF * SF + SX * SX) * (l * l * SF * SF + SY * SY))
    expect(Math.abs(r - implied)).toBeLessThan(0.02) // standard error about 0.005
  })

  it("with a loading of 0 gives the bits of a model without the link", () => {
    const a = project(model(0), emptyState, { draws: 2000, seed: 3, scenario: "f" })
    const b = project(model(0, "0"), emptyState, { draws: 2000, seed: 3, scenario: "f" })
    expect(a.indicators.map((i) => i.annual)).toEqual(b.indicators.map((i) => i.annual))
    expect(Object.is(a.indicators[1]!.annual.p50, b.indicators[1]!.annual.p50)).toBe(true)
  })

  it("moves the unobserved indicator by the Gaussian regression on the factor when the other is released", () => {
    const l = 0.8
    const c = model(l)
    const observed = -3
    const { state } = fold(c, [{ id: "rx", type: "observe", indicator: "x", through: "2024-03", ytd: observed }])
    const p = project(c, state, { draws: 40_000, seed: 11, scenario: "f" })
    const T = 2 // through March
    const gain = (l * SF * SF * meanCov(T, 11)) / ((SF * SF + SX * SX) * meanCov(T, T) + NOISE * NOISE)
    const sdY = Math.sqrt((l * l * SF * SF + SY * SY) * meanCov(11, 11))
    expect(p.indicators[1]!.annual.mean).toBeCloseTo(gain * observed, 1)
    expect(Math.abs(p.indicators[1]!.annual.mean - gain * observed)).toBeLessThan(0.03 * sdY + 0.02)
    // and without the loading the release of x teaches nothing about y
    const apart = project(model(0), fold(model(0), [{ id: "rx", type: "observe", indicator: "x", through: "2024-03", ytd: observed }]).state, { draws: 40_000, seed: 11, scenario: "f" })
    expect(Math.abs(apart.indicators[1]!.annual.mean)).toBeLessThan(0.03)
  })
})
