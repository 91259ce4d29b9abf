// Properties of the backtest (engine/project/backtest.ts) over generated logs of the tiny
// quarterly model (releases, revisions and shocks in any order the fold accepts): every step is
// `project` of its log prefix with the same draws and seed, its batch is the log's observe
// events just before that prefix's end, and every score lies in its range.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { backtest } from "../../../engine/project/backtest.ts"
import { project } from "../../../engine/project/project.ts"
import { asOf, fold } from "../../../engine/scenario/index.ts"
import { compiled, linearModel } from "./fixtures.ts"

const model = compiled(linearModel())
const CENTRAL = { y: [5.9, 7.1, 8.3], c: [5.7, 6.5, 7.3], r: [2.5, 2.7, 2.8] } as const

/** A log: per quarter a release of some indicators (near the model's path), maybe a revision, maybe a shock. */
const log = fc
  .array(
    fc.record({
      released: fc.subarray(["y", "c", "r"] as const, { minLength: 1 }),
      noise: fc.double({ min: -1, max: 1, noNaN: true }),
      revise: fc.boolean(),
      shock: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((quarters) =>
    quarters.flatMap((q, t) => [
      ...(q.shock !== undefined ? [{ id: `k${t}`, type: "shock", indicator: "y", value: q.shock }] : []),
      ...q.released.map((id) => ({ id: `${id}${t}`, type: "observe", indicator: id, through: model.periods[t], ytd: CENTRAL[id][t] + q.noise, sd: 1 })),
      ...(q.revise ? [{ id: `${q.released[0]}${t}r`, type: "observe", indicator: q.released[0], through: model.periods[t], ytd: CENTRAL[q.released[0]][t] + q.noise / 2, sd: 1 }] : []),
    ]),
  )

describe("backtest properties", () => {
  test.prop([log, fc.constantFrom(1, 40, 150), fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 12, noNaN: true })], { numRuns: 25 })(
    "each step equals `project` of its prefix; scores in range",
    (events, draws, seed, y) => {
      const r = fold(model, events)
      expect(r.rejected).toEqual([])
      const b = backtest(model, r.state, { y: { value: y }, r: { value: y / 4 } }, { draws, seed, scenario: "p" })
      let previous = 0
      for (const step of b.steps) {
        const prefix = asOf(r.state, step.asOf.count)
        expect(prefix.events.slice(-step.asOf.events.length).map((e) => e.id)).toEqual(step.asOf.events)
        expect(prefix.events.slice(previous, -step.asOf.events.length).every((e) => e.type !== "observe")).toBe(true)
        previous = step.asOf.count
        const p = project(model, prefix, { draws, seed, scenario: "p" })
        for (const i of step.indicators) {
          const q = p.indicators.find((x) => x.id === i.id)!
          const { p05, p25, p50, p75, p95 } = q.annual
          expect({ p05: i.p05, p25: i.p25, p50: i.p50, p75: i.p75, p95: i.p95, probability: i.probability }).toEqual({ p05, p25, p50, p75, p95, probability: q.probability })
          expect(i.crps).toBeGreaterThanOrEqual(0)
          expect(i.pit).toBeGreaterThanOrEqual(0)
          expect(i.pit).toBeLessThanOrEqual(1)
          expect(i.brier).toBeGreaterThanOrEqual(0)
          expect(i.brier).toBeLessThanOrEqual(1)
          expect(i.logScore).toBeGreaterThanOrEqual(0)
          expect(i.logScore).toBeLessThanOrEqual(Math.log(draws + 1) * (1 + 1e-9))
        }
      }
      // the last batch ends where the log's last observe event is
      expect(previous).toBe(r.state.events.findLastIndex((e) => e.type === "observe") + 1)
    },
  )
})
