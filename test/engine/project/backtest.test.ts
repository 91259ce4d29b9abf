// Unit tests of the backtest (engine/project/backtest.ts) on the tiny quarterly model: the
// log cut into release batches (other events ride along, revisions are batches too); every
// step is `project` of its prefix with the same seed; a model without uncertainty scores its
// absolute error as CRPS; the naive benchmarks are centred on the target and the base year's
// growth; a synthetic world drawn from the model itself is covered near the nominal rates;
// bad outcomes, draws and a log without releases are refused.
import { describe, expect, it } from "vitest"
import { backtest, releaseBatches } from "../../../engine/project/backtest.ts"
import { project } from "../../../engine/project/project.ts"
import { RandomStream, streamKey } from "../../../engine/project/rng.ts"
import { asOf, emptyState, fold } from "../../../engine/scenario/index.ts"
import { OptionError } from "../../../engine/errors.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { compiled, linearModel } from "./fixtures.ts"

// every error a centred normal: releases condition in closed form (kalman)
const normal = linearModel()
const model = compiled({ ...normal, indicators: normal.indicators!.map((i) => (i.id === "r" ? { ...i, error: { dist: "normal" as const, sd: 0.5 } } : i)) })
// r's triangular error: releases condition the draws by resample-move
const resampleMove = compiled(linearModel())
const certain = compiled(linearModel(false))
const obs = (id: string, indicator: string, through: string, ytd: number, sd?: number): ScenarioEvent => ({ id, type: "observe", indicator, through, ytd, ...(sd !== undefined ? { sd } : {}) })
const foldOk = (m: typeof model, events: unknown[]) => {
  const r = fold(m, events)
  expect(r.rejected).toEqual([])
  return r.state
}
const LOG = [
  { id: "k", type: "shock", indicator: "y", value: 0.5 },
  obs("y1", "y", "2024-Q1", 6.3, 1),
  obs("c1", "c", "2024-Q1", 5.5, 1),
  { id: "k2", type: "shock", indicator: "c", value: 0.2 },
  obs("y2", "y", "2024-Q2", 7.4, 1),
  obs("y2r", "y", "2024-Q2", 7.6, 1),
  obs("r3", "r", "2024-Q3", 2.8, 1),
]
// (releases with a noise of 1 pp, so that the draws' weights spread over many draws)
const OUTCOMES = { y: { value: 9.2 }, c: { value: 7.8, source: "synthetic" }, r: { value: 2.9 } }

describe("release batches", () => {
  it("are the log's consecutive observe events through one period, releases and revisions, in log order", () => {
    const s = foldOk(model, LOG)
    expect(releaseBatches(model, s).map((b) => [b.kind, b.end, b.events.map((e) => e.id)])).toEqual([
      ["release", 3, ["y1", "c1"]],
      ["release", 5, ["y2"]],
      ["revision", 6, ["y2r"]],
      ["release", 7, ["r3"]],
    ])
  })
})

describe("backtest", () => {
  it.each([["kalman", model], ["resample-move", resampleMove]] as const)("each step is `project` of its prefix with the same seed, scored against the outcomes (%s)", (_, model) => {
    const s = foldOk(model, LOG)
    const b = backtest(model, s, OUTCOMES, { draws: 300, seed: 4, scenario: "log" })
    expect(b.steps.map((x) => x.asOf)).toEqual([
      { events: ["y1", "c1"], count: 3, through: "2024-Q1", kind: "release" },
      { events: ["y2"], count: 5, through: "2024-Q2", kind: "release" },
      { events: ["y2r"], count: 6, through: "2024-Q2", kind: "revision" },
      { events: ["r3"], count: 7, through: "2024-Q3", kind: "release" },
    ])
    for (const step of b.steps) {
      const p = project(model, asOf(s, step.asOf.count), { draws: 300, seed: 4, scenario: "log" })
      expect(step.indicators.map((i) => i.id)).toEqual(["y", "c", "r"])
      for (const i of step.indicators) {
        const q = p.indicators.find((x) => x.id === i.id)!
        expect([i.p05, i.p25, i.p50, i.p75, i.p95, i.probability]).toEqual([q.annual.p05, q.annual.p25, q.annual.p50, q.annual.p75, q.annual.p95, q.probability])
        expect(i.width90).toBe(q.annual.p95 - q.annual.p05)
        expect(i.error).toBe(q.annual.p50 - i.outcome)
        expect(i.inside90).toBe(i.outcome >= i.p05 && i.outcome <= i.p95)
        expect(i.inside50).toBe(i.outcome >= i.p25 && i.outcome <= i.p75)
        expect(i.pit).toBeGreaterThanOrEqual(0)
        expect(i.pit).toBeLessThanOrEqual(1)
        expect(i.crps).toBeGreaterThan(0)
        expect(i.brier).toBeGreaterThanOrEqual(0)
        expect(i.brier).toBeLessThanOrEqual(1)
      }
    }
    // y's target is at least 9: met by 9.2; c's is around 5 ± 0.5: met at 4.5 or more (above the band too); r's at most 3
    expect(b.outcomes).toEqual({ y: { value: 9.2, met: true }, c: { value: 7.8, source: "synthetic", met: true }, r: { value: 2.9, met: true } })
    const y = b.steps.map((x) => x.indicators[0])
    expect(b.summary.y.crps).toBeCloseTo(y.reduce((a, i) => a + i.crps, 0) / y.length, 12)
    expect(b.summary.y.coverage90).toBe(y.filter((i) => i.inside90).length / y.length)
    expect(b.summary.y.brier).toBeCloseTo(y.reduce((a, i) => a + (i.probability! - 1) ** 2, 0) / y.length, 12)
  })

  it("scores only the indicators with an outcome, and the same seed gives the same bits", () => {
    const s = foldOk(model, LOG)
    const a = backtest(model, s, { c: { value: 4 } }, { draws: 100, seed: 9, scenario: "log" })
    expect(a.steps.every((x) => x.indicators.map((i) => i.id).join() === "c")).toBe(true)
    expect(Object.keys(a.summary)).toEqual(["c"])
    expect(a.outcomes.c.met).toBe(false)
    expect(backtest(model, s, { c: { value: 4 } }, { draws: 100, seed: 9, scenario: "log", chunk: 7 })).toEqual(a)
  })

  it("without uncertainty every draw is the central run: CRPS is the absolute error, the band a point", () => {
    const s = foldOk(certain, [obs("y1", "y", "2024-Q1", 6.3), obs("y2", "y", "2024-Q2", 7.4)])
    const b = backtest(certain, s, { y: { value: 9.5 }, c: { value: 4.4 } }, { draws: 50, seed: 1, scenario: "certain" })
    for (const step of b.steps)
      for (const i of step.indicators) {
        expect(i.width90).toBe(0)
        expect(i.crps).toBeCloseTo(Math.abs(i.error), 12)
        expect(i.pit).toBe(i.error > 0 ? 0 : i.error < 0 ? 1 : 0.5)
        // P(target) is 0 or 1: the log score of a miss is clipped at 1/(N+1)
        expect([0, 1]).toContain(i.probability)
        const met = i.id === "y" ? true : false
        expect(i.logScore).toBeCloseTo(i.probability === (met ? 1 : 0) ? -Math.log(50 / 51) : Math.log(51), 12)
      }
  })

  it("naive benchmarks: the target's value and the base year's growth as the median, the model's spread", () => {
    const s = foldOk(model, LOG)
    const b = backtest(model, s, OUTCOMES, { draws: 200, seed: 2, scenario: "log" })
    // y: base growth 5, target at least 9, outcome 9.2
    expect(b.summary.y.naive.lastYear.error).toBeCloseTo(Math.abs(5 - 9.2), 12)
    expect(b.summary.y.naive.target!.error).toBeCloseTo(Math.abs(9 - 9.2), 12)
    // centred on the boundary of an atLeast target: P(target) about one half
    expect(b.summary.y.naive.target!.brier).toBeGreaterThan(0.15)
    expect(b.summary.y.naive.target!.brier).toBeLessThan(0.35)
    // the last year's growth sits far below the outcome: its bands miss it, its CRPS is worse
    expect(b.summary.y.naive.lastYear.coverage90).toBe(0)
    expect(b.summary.y.naive.lastYear.crps).toBeGreaterThan(b.summary.y.crps)
  })

  it("on worlds drawn from the model itself, the 90% band covers near its rate", () => {
    // each world is one draw of the model's prior (project with 1 draw under its own seed); its
    // releases are its year-to-date growth plus noise of the sd the releases declare
    const W = 60
    const stream = new RandomStream()
    const key = streamKey(77, "backtest-test-noise")
    const inside: boolean[] = []
    const pits: number[] = []
    for (let w = 0; w < W; w++) {
      const world = project(model, emptyState, { draws: 1, seed: 10_000 + w, scenario: "world" })
      const truth = (id: string, t: number) => world.indicators.find((i) => i.id === id)!.path[t].ytd.p50
      stream.reset(key, w)
      const events = [0, 1].flatMap((t) => ["y", "c"].map((id) => obs(`${id}${t}`, id, model.periods[t], truth(id, t) + 0.5 * stream.normal(), 0.5)))
      const outcomes = Object.fromEntries(world.indicators.map((i) => [i.id, { value: i.annual.p50 }]))
      const b = backtest(model, foldOk(model, events), outcomes, { draws: 400, seed: 5, scenario: "world" })
      for (const step of b.steps) for (const i of step.indicators) inside.push(i.inside90), pits.push(i.pit)
    }
    const coverage = inside.filter(Boolean).length / inside.length
    expect(coverage).toBeGreaterThan(0.82)
    expect(coverage).toBeLessThan(0.97)
    const mean = pits.reduce((a, b) => a + b, 0) / pits.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.08)
  }, 60_000)

  it("refuses unknown indicators, non-numbers, no outcomes, no draws and a log without releases", () => {
    const s = foldOk(model, LOG)
    const opts = { draws: 50, seed: 1, scenario: "log" }
    const refusal = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(OptionError)
        return (e as OptionError).message
      }
      throw new Error("not refused")
    }
    expect(refusal(() => backtest(model, s, { gdp: { value: 1 } }, opts))).toMatch(/outcome: unknown indicator "gdp" \(the model's indicators: y, c, r\)/)
    expect(refusal(() => backtest(model, s, { y: { value: Number.NaN } }, opts))).toMatch(/y: the outcome must be a finite number, not NaN/)
    expect(refusal(() => backtest(model, s, {}, opts))).toMatch(/no outcomes/)
    expect(refusal(() => backtest(model, s, OUTCOMES, { ...opts, draws: 0 }))).toMatch(/^draws: /)
    expect(refusal(() => backtest(model, foldOk(model, [LOG[0]]), OUTCOMES, opts))).toMatch(/^scenario: has no observe events/)
  })
})
