// Properties of the news (engine/project/news.ts) over generated logs of the tiny monthly
// model: start + the sum of the impacts = end to 1e-9 for every indicator and figure, every
// event in exactly one step in log order; a release equal to its expected value has zero
// surprise and moves the annual mean by no more than Monte Carlo error.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { news } from "../../../engine/project/news.ts"
import { project } from "../../../engine/project/project.ts"
import { extend, fold } from "../../../engine/scenario/fold.ts"
import { validStream } from "../../support/events.ts"
import { tiny } from "../scenario/fixtures.ts"
import { compiled, linearModel } from "./fixtures.ts"

const split = validStream(tiny, { maxLength: 14 }).chain((events) => fc.record({ events: fc.constant(events), cut: fc.nat(events.length) }))

describe("news properties", () => {
  test.prop([split, fc.constantFrom(0, 64)], { numRuns: 40 })("start + the sum of the impacts = end, to 1e-9; every event in one step, in log order", ({ events, cut }, draws) => {
    const to = fold(tiny, events)
    expect(to.rejected).toEqual([])
    const from = fold(tiny, events.slice(0, cut))
    const n = news(tiny, from.state, to.state, { draws, seed: 11, scenario: "s" })
    expect(n.steps.flatMap((x) => x.events)).toEqual(to.state.events.slice(from.state.events.length).map((e) => e.id))
    for (const id of Object.keys(n.start)) {
      for (const f of ["mean", "p50", "probability"] as const) {
        const start = n.start[id][f]
        const end = n.end[id][f]
        if (start === null || end === null) continue
        const sum = n.steps.reduce((a, x) => a + (x.impact[id][f] as number), start)
        expect(Math.abs(sum - end)).toBeLessThanOrEqual(1e-9)
      }
    }
    const p = project(tiny, to.state, { draws, seed: 11, scenario: "s" })
    for (const i of p.indicators) expect(n.end[i.id]).toEqual({ mean: i.annual.mean, p50: i.annual.p50, probability: i.probability })
  })

  // every error a centred normal (r's triangular error made normal): the releases condition in
  // closed form, and a release at its expected value leaves a linear-Gaussian mean where it was.
  // With the skewed error it need not: r at its prior mean moves y's annual mean by about 0.2 pp
  // (100,000 draws, importance weights and resample-move alike)
  const linear = linearModel()
  const model = compiled({ ...linear, indicators: linear.indicators!.map((i) => (i.id === "r" ? { ...i, error: { dist: "normal" as const, sd: 0.5 } } : i)) })
  test.prop([fc.constantFrom("y", "c", "r"), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 1000 })], { numRuns: 12 })(
    "a release equal to its expected value has zero surprise and moves the annual mean by no more than Monte Carlo error",
    (indicator, t, seed) => {
      const draws = 2000
      const before = project(model, fold(model, []).state, { draws, seed, scenario: "s" })
      const expected = before.indicators.find((i) => i.id === indicator)!.path[t].ytd.mean
      const r = extend(model, fold(model, []).state, [{ id: "rel", type: "observe", indicator, through: model.periods[t], ytd: expected }])
      expect(r.rejected).toEqual([])
      const n = news(model, fold(model, []).state, r.state, { draws, seed, scenario: "s", start: before })
      const [release] = n.steps[0].releases
      expect(release.surprise).toBe(0)
      for (const i of before.indicators) {
        // Monte Carlo error of a difference of two means: 4 standard errors, the sd read from the
        // 90% band of the annual growth; the two runs share no noise once the release conditions
        // the draws, so the errors add (sqrt 2)
        const sd = (i.annual.p95 - i.annual.p05) / 3.29
        expect(Math.abs(n.steps[0].impact[i.id].mean)).toBeLessThanOrEqual((4 * Math.SQRT2 * sd) / Math.sqrt(draws) + 1e-9)
      }
    },
  )
})
