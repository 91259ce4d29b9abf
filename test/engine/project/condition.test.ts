// Unit tests of releases as evidence (engine/project/condition.ts through project): on a small
// linear-Gaussian model the conditioned annual mean and sd equal the closed-form Gaussian
// (Kalman) posterior, computed here independently by dense conditioning; with an uncertain
// Gaussian intercept too; weights are uniform where nothing nonlinear is uncertain; the same
// seed gives the same bits and the arrival order of distinct releases does not matter; a
// model not affine in its errors falls back to resample-move and says why (resample-move.test.ts
// checks that fallback against an exact posterior).
import { gaussianPosterior } from "./fixtures.ts"
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { project } from "../../../engine/project/project.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { Model, type ModelInput } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"

const RHO = 0.7
const SD = 2
const NOISE = 0.5
const model = (over: Partial<ModelInput> = {}) =>
  compile(
    Model.parse({
      name: "lg",
      calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
      indicators: [{ id: "y", name: "y", kind: "flow", base: { growth: 5 }, error: { dist: "normal", sd: SD }, persistence: RHO, release: { sd: NOISE } }],
      parameters: { mu: { value: 5 } },
      equations: { y: "mu" },
      ...over,
    }),
  )
const releases: ScenarioEvent[] = [
  { id: "r1", type: "observe", indicator: "y", through: "2024-03", ytd: 2 },
  { id: "r2", type: "observe", indicator: "y", through: "2024-06", ytd: 3.5 },
]

/** Posterior mean and sd of the annual growth by dense Gaussian conditioning (flat profile: ytd through T is the mean of g[0..T]). */
const closedForm = (muSd: number) => {
  const P = 12
  // x = (u_0..u_11, mu): prior covariance
  const n = P + 1
  const cov = (a: number, b: number): number => (a < P && b < P ? SD * SD * RHO ** Math.abs(a - b) : a === P && b === P ? muSd * muSd : 0)
  // linear functionals of g = mu + u: ytd(T) = mu + mean(u_0..u_T)
  const fn = (T: number) => Array.from({ length: n }, (_, i) => (i === P ? 1 : i <= T ? 1 / (T + 1) : 0))
  const obs = [fn(2), fn(5)]
  const y = [2 - 5, 3.5 - 5] // minus the prior mean
  const annual = fn(11)
  const { shift, sd } = gaussianPosterior(n, cov, [obs[0]!, obs[1]!], [y[0]!, y[1]!], NOISE, annual)
  return { mean: 5 + shift, sd }
}

const Z90 = 1.6448536269514722
const DRAWS = 40_000

describe("conditioning on releases", () => {
  it.each([
    ["a certain intercept", 0],
    ["an uncertain Gaussian intercept", 1],
  ])("equals the closed-form posterior with %s", (_, muSd) => {
    const compiled = model(muSd > 0 ? { parameters: { mu: { value: 5, uncertainty: { dist: "normal", sd: muSd } } } } : {})
    const { state } = fold(compiled, releases)
    const p = project(compiled, state, { draws: DRAWS, seed: 3, scenario: "lg" })
    const exact = closedForm(muSd)
    const y = p.indicators[0]
    expect(p.evidence?.method).toBe("kalman")
    // nothing nonlinear is uncertain: every draw has the same weight
    expect(p.evidence!.ess).toBeCloseTo(DRAWS, 6)
    // Monte Carlo error of the mean: 4 standard errors
    expect(Math.abs(y.annual.mean - exact.mean)).toBeLessThan((4 * exact.sd) / Math.sqrt(DRAWS))
    // the 90% band's width gives the sd (normal posterior), within 3%
    expect((y.annual.p95 - y.annual.p05) / (2 * Z90) / exact.sd).toBeGreaterThan(0.97)
    expect((y.annual.p95 - y.annual.p05) / (2 * Z90) / exact.sd).toBeLessThan(1.03)
    // a Gaussian intercept conditioned in closed form reports its own prior, and a narrower posterior
    if (muSd > 0) {
      const mu = p.posterior!.find((q) => q.parameter === "mu")!
      expect(mu.prior).toEqual({ mean: 5, sd: muSd })
      expect(mu.posterior.sd).toBeLessThan(0.95 * muSd)
    }
    // the observed periods show the released values
    expect(y.path[2].ytd.p50).toBe(2)
    expect(y.path[5].ytd.mean).toBe(3.5)
  })

  it("posterior sd is below the prior's, and the prior is the unconditioned projection", () => {
    const compiled = model()
    const prior = project(compiled, fold(compiled, []).state, { draws: 20_000, seed: 3, scenario: "lg" })
    const post = project(compiled, fold(compiled, releases).state, { draws: 20_000, seed: 3, scenario: "lg" })
    expect(post.indicators[0].annual.p95 - post.indicators[0].annual.p05).toBeLessThan(0.8 * (prior.indicators[0].annual.p95 - prior.indicators[0].annual.p05))
    expect(prior.evidence).toBeUndefined()
  })

  it("gives the same bits for the same seed, whatever the order of distinct releases", () => {
    const compiled = model({ parameters: { mu: { value: 5, uncertainty: { dist: "uniform", min: 3, max: 7 } } } })
    const a = project(compiled, fold(compiled, releases).state, { draws: 3000, seed: 9, scenario: "lg" })
    const b = project(compiled, fold(compiled, [...releases].reverse()).state, { draws: 3000, seed: 9, scenario: "lg", chunk: 700 })
    expect(JSON.stringify(b.indicators)).toBe(JSON.stringify(a.indicators))
    expect(b.evidence).toEqual(a.evidence)
    expect(b.posterior).toEqual(a.posterior)
    expect(a.evidence!.ess).toBeLessThan(3000) // the uniform intercept is weighted
  })

  it("learns an uncertain intercept: its posterior moves towards the releases and narrows", () => {
    const compiled = model({ parameters: { mu: { value: 5, uncertainty: { dist: "uniform", min: 0, max: 10 } } } })
    const p = project(compiled, fold(compiled, releases).state, { draws: 20_000, seed: 1, scenario: "lg" })
    const mu = p.posterior!.find((q) => q.parameter === "mu")!
    expect(mu.posterior.mean).toBeLessThan(mu.prior.mean - 1)
    expect(mu.posterior.sd).toBeLessThan(0.6 * mu.prior.sd)
  })

  it("falls back to resample-move, and says why, for a model not affine in its errors or an error that is not a centred normal", () => {
    const compiled = model({ equations: { y: "mu + 0.01 * y(-1)^2" } })
    expect(compiled.affine).toBe(false)
    const p = project(compiled, fold(compiled, releases).state, { draws: 2000, seed: 1, scenario: "lg" })
    expect(p.evidence).toMatchObject({ method: "resample-move", reason: expect.stringMatching(/not affine/), resamplings: expect.any(Number) })
    const skewed = model({ indicators: [{ id: "y", name: "y", kind: "flow", base: { growth: 5 }, error: { dist: "triangular", min: -3, max: 5, mode: 0 }, persistence: RHO, release: { sd: NOISE } }] })
    const q = project(skewed, fold(skewed, releases).state, { draws: 2000, seed: 1, scenario: "lg" })
    expect(q.evidence).toMatchObject({ method: "resample-move", reason: "the error of y is not a centred normal" })
    expect(q.evidence!.resamplings).toBeGreaterThan(0)
    expect(q.evidence!.acceptance).toBeGreaterThan(0.05)
    // the closed form reports neither
    const k = project(model(), fold(model(), releases).state, { draws: 500, seed: 1, scenario: "lg" }).evidence!
    expect(k.method).toBe("kalman")
    expect([k.reason, k.resamplings, k.acceptance]).toEqual([undefined, undefined, undefined])
  })

  it("warns when the effective sample size is small; resample-move keeps it at half the draws or more", () => {
    const tight = [{ id: "y", name: "y", kind: "flow" as const, base: { growth: 5 }, error: { dist: "normal" as const, sd: SD }, persistence: RHO, release: { sd: 0.01 } }]
    // a wide uniform intercept is weighted by the releases' marginal likelihood
    const wide = model({ indicators: tight, parameters: { mu: { value: 0, uncertainty: { dist: "uniform", min: -50, max: 50 } } } })
    const p = project(wide, fold(wide, releases).state, { draws: 500, seed: 1, scenario: "lg" })
    expect(p.evidence!.method).toBe("kalman")
    expect(p.evidence!.warnings.join(" ")).toMatch(/effective sample size/)
    const curved = model({ indicators: tight, equations: { y: "mu + 0.01 * y(-1)^2" } })
    const q = project(curved, fold(curved, releases).state, { draws: 500, seed: 1, scenario: "lg" })
    expect(q.evidence!.method).toBe("resample-move")
    expect(q.evidence!.ess).toBeGreaterThanOrEqual(250)
    expect(q.evidence!.warnings).toEqual([])
  })
})
