// Property tests of the Monte Carlo projection on the tiny linear model: reproducibility by
// seed, ordered quantiles and probabilities in [0, 1], independence from chunking (with and
// without AR(1) errors, chunks not multiples of the streams' blocks), equality
// with the deterministic run without uncertainty, and a probability that never falls when a
// shock raises the target indicator and an added uncertain shock leaves every other source's
// draws unchanged (common random numbers); the runner's inputs: independent of the runs
// before, a shift added where it is given, a shock's draw added on top of every other term.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { project } from "../../../engine/project/project.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { compiled, linearModel, stateOf } from "./fixtures.ts"
import { drawPlan } from "../../../engine/project/draws.ts"
import { DrawRunner } from "../../../engine/project/draw-runner.ts"
import { toInputs } from "../../../engine/scenario/index.ts"

const model = compiled(linearModel())
const certain = compiled(linearModel(false))
/** The same with AR(1) equation errors: each period's innovations sampled per chunk, then the recursion over the draws. */
const persistent = compiled(linearModel(true, { observation: { decay: 0.5, sd: 0.1, persistence: 0.6 } }))

const shock = fc.record({
  indicator: fc.constantFrom("y", "c", "r", "z"),
  value: fc.double({ min: -5, max: 5, noNaN: true }),
  sd: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: undefined }),
})
const events = fc.array(shock, { maxLength: 3 }).map((xs) =>
  xs.map((x, i): ScenarioEvent => ({ id: `e${i}`, type: "shock", indicator: x.indicator, value: x.value, ...(x.sd !== undefined ? { sd: x.sd } : {}) })),
)
const seed = fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
const draws = fc.integer({ min: 1, max: 400 })
const runs = { numRuns: 25 }

test.prop([events, seed, draws], runs)("the same seed gives the same output", (evs, s, n) => {
  const a = project(model, stateOf(...evs), { draws: n, seed: s, scenario: "p" })
  const b = project(model, stateOf(...evs), { draws: n, seed: s, scenario: "p" })
  expect(JSON.stringify(b)).toBe(JSON.stringify(a))
})

test.prop([events, seed, fc.integer({ min: 20, max: 400 })], runs)("a different seed gives a different sample", (evs, s, n) => {
  const a = project(model, stateOf(...evs), { draws: n, seed: s, scenario: "p" })
  const b = project(model, stateOf(...evs), { draws: n, seed: s + 1, scenario: "p" })
  expect(JSON.stringify(b.indicators)).not.toBe(JSON.stringify(a.indicators))
})

test.prop([events, seed, draws], runs)("quantiles are ordered p05 <= p25 <= p50 <= p75 <= p95 and probabilities lie in [0, 1]", (evs, s, n) => {
  const p = project(model, stateOf(...evs), { draws: n, seed: s, scenario: "p" })
  for (const ind of p.indicators) {
    const ordered = (b: { p05: number; p25: number; p50: number; p75: number; p95: number }) => {
      expect(b.p05).toBeLessThanOrEqual(b.p25)
      expect(b.p25).toBeLessThanOrEqual(b.p50)
      expect(b.p50).toBeLessThanOrEqual(b.p75)
      expect(b.p75).toBeLessThanOrEqual(b.p95)
    }
    ordered(ind.annual)
    expect(ind.probability).toBeGreaterThanOrEqual(0)
    expect(ind.probability).toBeLessThanOrEqual(1)
    for (const pt of ind.path) ordered(pt.ytd)
  }
})

test.prop([events, seed, fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 500 }), fc.constantFrom(model, persistent)], runs)("the chunk size (draws processed together) does not change results", (evs, s, n, chunk, m) => {
  const a = project(m, stateOf(...evs), { draws: n, seed: s, scenario: "p" })
  const b = project(m, stateOf(...evs), { draws: n, seed: s, scenario: "p", chunk })
  expect(JSON.stringify(b)).toBe(JSON.stringify(a))
})

test.prop([fc.array(fc.record({ indicator: fc.constantFrom("y", "c", "r", "z"), value: fc.double({ min: -5, max: 5, noNaN: true }) }), { maxLength: 3 }), seed, draws], runs)(
  "without uncertainty, Monte Carlo equals the deterministic projection",
  (xs, s, n) => {
    const st = stateOf(...xs.map((x, i): ScenarioEvent => ({ id: `c${i}`, type: "shock", ...x })))
    const det = project(certain, st, { draws: 0, seed: s, scenario: "p" })
    const mc = project(certain, st, { draws: n, seed: s, scenario: "p" })
    mc.indicators.forEach((ind, i) => {
      const d = det.indicators[i]
      expect([ind.annual.p05, ind.annual.p50, ind.annual.p95]).toEqual([d.annual.p05, d.annual.p50, d.annual.p95])
      expect(Math.abs(ind.annual.mean - d.annual.mean)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(d.annual.mean)))
      expect(ind.probability).toBe(d.probability)
    })
  },
)

test.prop([events, seed, fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })], runs)(
  "raising a shock on the target indicator itself never lowers the probability of its atLeast target",
  (evs, s, v, up) => {
    const at = (x: number) =>
      project(model, stateOf(...evs, { id: "probe", type: "shock", indicator: "y", value: x }), { draws: 300, seed: s, scenario: "p" }).indicators[0].probability!
    expect(at(v + up)).toBeGreaterThanOrEqual(at(v))
  },
)

test.prop([events, seed, fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 500 })], runs)(
  "an added uncertain shock leaves the draws of every other source unchanged (common random numbers)",
  (evs, s, n, chunk) => {
    const inputsOf = (extra: ScenarioEvent[]) => {
      const runner = new DrawRunner(persistent, drawPlan(persistent, toInputs(persistent, stateOf(...evs, ...extra)), s), chunk)
      const params: number[] = []
      const exo: number[] = []
      for (let first = 0; first < n; first += chunk) {
        runner.run(first, Math.min(chunk, n - first), true, true, true, false)
        params.push(...runner.last!.params)
        exo.push(...runner.last!.exo)
      }
      return { params, exo }
    }
    // the shock moves y's add-factors only: parameters and exogenous draws are the same numbers
    const a = inputsOf([])
    const b = inputsOf([{ id: "extra", type: "shock", indicator: "y", value: 0, sd: 1 }])
    expect(b).toEqual(a)
  },
)

test.prop(
  [
    events,
    seed,
    fc.array(fc.record({ sample: fc.boolean(), errors: fc.boolean(), scale: fc.constantFrom(0, 0.5, -2), n: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 6 }),
  ],
  runs,
)("a run's inputs do not depend on the runs before it, and a shift lands where it is given", (evs, s, steps) => {
  const plan = drawPlan(persistent, toInputs(persistent, stateOf(...evs)), s)
  const shiftOf = (scale: number) => {
    const addFactors = new Float64Array(plan.T * plan.nEndo)
    const exo = new Float64Array(plan.T * plan.nExo)
    addFactors[plan.nEndo] = 1.5 // period 1 of the first endogenous variable, which terms also write
    exo[0] = -0.25
    return { addFactors, exo, scale }
  }
  const shift = shiftOf(0)
  const runner = new DrawRunner(persistent, plan, 9, shift)
  for (const step of steps) {
    shift.scale = step.scale
    runner.run(0, step.n, step.sample, step.errors, true, false)
    const fresh = new DrawRunner(persistent, plan, 9, shiftOf(step.scale))
    fresh.run(0, step.n, step.sample, step.errors, true, false)
    for (const k of ["params", "exo", "addFactors"] as const) expect(Array.from(runner.last![k])).toEqual(Array.from(fresh.last![k]))
    // and the shift is added where it is given, whatever else writes there
    const unshifted = new DrawRunner(persistent, plan, 9, shiftOf(0))
    unshifted.run(0, step.n, step.sample, step.errors, true, false)
    const moved = shiftOf(step.scale)
    for (let d = 0; d < step.n; d++)
      for (let k = 0; k < plan.T * plan.nEndo; k++) {
        const at = d * plan.T * plan.nEndo + k
        expect(runner.last!.addFactors[at]! - unshifted.last!.addFactors[at]!).toBeCloseTo(step.scale * moved.addFactors[k]!, 9)
      }
  }
})

test.prop([events, seed, fc.integer({ min: 1, max: 40 })], runs)(
  "an added uncertain shock adds its own draw to its variable's periods, on top of every other term",
  (evs, s, n) => {
    const inputsOf = (extra: ScenarioEvent[]) => {
      const runner = new DrawRunner(persistent, drawPlan(persistent, toInputs(persistent, stateOf(...evs, ...extra)), s), n)
      runner.run(0, n, true, true, true, false)
      return runner.last!.addFactors
    }
    const a = inputsOf([])
    const b = inputsOf([{ id: "extra", type: "shock", indicator: "y", value: 0, sd: 1 }])
    const [T, nEndo] = [persistent.periods.length, persistent.endogenous.length]
    for (let d = 0; d < n; d++) {
      const x = b[d * T * nEndo]! - a[d * T * nEndo]!
      expect(x).not.toBe(0)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < nEndo; j++) {
          const at = d * T * nEndo + t * nEndo + j
          // y is variable 0: the shock's draw in every period; every other variable unchanged
          expect(b[at]! - a[at]!).toBeCloseTo(j === 0 ? x : 0, 9)
        }
    }
  },
)
