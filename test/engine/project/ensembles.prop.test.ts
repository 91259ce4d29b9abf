// Properties of projections made together (engine/project/ensembles.ts) over generated logs of
// the tiny quarterly model with every error a centred normal (conditioned in closed form):
// releases, revisions, late releases and shocks in any order the fold accepts; the prefixes of
// every release batch projected together are the same bits, draws included, as each alone.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { projectEnsembles } from "../../../engine/project/ensembles.ts"
import { projectEnsemble } from "../../../engine/project/project.ts"
import { releaseBatches } from "../../../engine/project/backtest.ts"
import { asOf, fold, toInputs } from "../../../engine/scenario/index.ts"
import { compiled, linearModel } from "./fixtures.ts"

const normal = linearModel()
const model = compiled({ ...normal, indicators: normal.indicators!.map((i) => (i.id === "r" ? { ...i, error: { dist: "normal" as const, sd: 0.5 } } : i)) })
const CENTRAL = { y: [5.9, 7.1, 8.3], c: [5.7, 6.5, 7.3], r: [2.5, 2.7, 2.8] } as const

/** A log: per quarter releases of some indicators (near the model's path), maybe one late (after the next quarter's), maybe a revision, maybe a shock. */
const log = fc
  .array(
    fc.record({
      released: fc.subarray(["y", "c", "r"] as const, { minLength: 1 }),
      late: fc.boolean(),
      noise: fc.double({ min: -1, max: 1, noNaN: true }),
      revise: fc.boolean(),
      shock: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((quarters) => {
    const events: { id: string; type: string; [k: string]: unknown }[] = []
    let held: (typeof events)[number] | undefined
    quarters.forEach((q, t) => {
      if (q.shock !== undefined) events.push({ id: `k${t}`, type: "shock", indicator: "y", value: q.shock })
      const releases = q.released.map((id) => ({ id: `${id}${t}`, type: "observe", indicator: id, through: model.periods[t], ytd: CENTRAL[id][t] + q.noise, sd: 1 }))
      // a late release: the first indicator's, after the next quarter's (when that does not release it again)
      const late = q.late && t + 1 < quarters.length && !quarters[t + 1].released.includes(q.released[0]) ? releases.shift() : undefined
      events.push(...releases)
      if (q.revise && releases.length > 0) events.push({ ...releases[0], id: `${releases[0].id}r`, ytd: (releases[0].ytd as number) + q.noise / 2 })
      if (held) events.push(held)
      held = late
    })
    if (held) events.push(held)
    return events
  })

describe("projections made together, properties", () => {
  test.prop([log, fc.constantFrom(1, 40, 150), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(16, 64, 2048)], { numRuns: 20 })(
    "every release batch's prefix projected together is the same bits as alone",
    (events, draws, seed, chunk) => {
      const r = fold(model, events)
      expect(r.rejected).toEqual([])
      const inputs = releaseBatches(model, r.state).map((b) => toInputs(model, asOf(r.state, b.end)))
      const opts = { draws, seed, scenario: "p", chunk }
      const together = projectEnsembles(model, inputs, opts)
      inputs.forEach((i, k) => {
        const alone = projectEnsemble(model, i, opts)
        expect(together[k].projection).toEqual(alone.projection)
        expect(together[k].ensemble.annual).toEqual(alone.ensemble.annual)
        expect(together[k].ensemble.logWeight).toEqual(alone.ensemble.logWeight)
      })
    },
  )
})
