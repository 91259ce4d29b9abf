// Property tests of the observation rule (engine/project/observe.ts) on random linear models
// with own lags, lagged and simultaneous feedback between indicators, a seasonal profile, a
// rate indicator and a random surprise decay: every release is reproduced exactly, whatever
// the other releases and shocks; releases of exactly the projected ytd (one period or
// multi-period segments, after the indicator's last release) change no value of any variable;
// the order of the releases does not matter. Deterministic runs (0 draws).
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { compile, type CompiledModel } from "../../../engine/compile/index.ts"
import { project } from "../../../engine/project/project.ts"
import type { Projection } from "../../../engine/schema/projection.ts"
import { stateOfLog } from "../../../engine/scenario/state.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { EventError } from "../../../engine/errors.ts"
import { Model } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"

const TOL = 1e-9
const coef = (max: number) => fc.integer({ min: -Math.round(max * 20), max: Math.round(max * 20) }).map((x) => x / 20)

const modelArb = fc.record({
  c1: coef(0.6),
  c2: coef(0.5),
  c3: coef(0.6),
  c4: coef(0.5),
  c5: coef(0.5),
  c6: coef(0.6),
  k1: coef(6),
  k2: coef(6),
  decay: fc.constantFrom(0, 0.3, 0.5, 1),
  profile: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }),
})

const cache = new Map<string, CompiledModel>()
type Spec = { c1: number; c2: number; c3: number; c4: number; c5: number; c6: number; k1: number; k2: number; decay: number; profile: number[] }
type ShockSpec = { indicator: string; value: number; from: number; to: number }
type ReleaseSpec = { indicator: string; through: number; ytd: number }

const modelOf = (p: Spec): CompiledModel => {
  const key = JSON.stringify(p)
  let c = cache.get(key)
  if (!c) {
    c = compile(
      Model.parse({
        name: "random-linear",
        calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024, horizon: 15 },
        indicators: [
          { id: "a", name: "A", kind: "flow", base: { growth: 4 }, profile: p.profile },
          { id: "b", name: "B", kind: "income", base: { growth: 3 } },
          { id: "r", name: "R", kind: "rate", base: { growth: 1 } },
        ],
        parameters: Object.fromEntries(["c1", "c2", "c3", "c4", "c5", "c6", "k1", "k2"].map((k) => [k, { value: p[k as "c1"] }])),
        equations: { a: "c1 * a(-1) + c2 * b + k1", b: "c3 * b(-1) + c4 * a + k2", r: "c5 * a + c6 * r(-1) + 1" },
        observation: { decay: p.decay },
      }),
    )
    cache.set(key, c)
  }
  return c
}

const indicatorArb = fc.constantFrom("a", "b", "r")
const shocksArb = fc.array(fc.record({ indicator: indicatorArb, value: coef(5), from: fc.nat(14), to: fc.nat(14) }), { maxLength: 3 })
const noiseArb = fc.array(fc.record({ indicator: indicatorArb, through: fc.nat(11), ytd: coef(15) }), { maxLength: 3 })

const run = (m: CompiledModel, events: ScenarioEvent[]): Projection => project(m, stateOfLog(events), { draws: 0, seed: 1, scenario: "p" })

/** Shocks and arbitrary (not projected) releases, one per indicator and period. */
const baseEvents = (m: CompiledModel, shocks: readonly ShockSpec[], noise: readonly ReleaseSpec[]): ScenarioEvent[] => {
  const out: ScenarioEvent[] = []
  shocks.forEach((s, i) => {
    const [a, b] = [s.from, s.to].sort((p, q) => p - q)
    out.push(decodeEvent({ id: `s${i}`, type: "shock", indicator: s.indicator, value: s.value, from: m.periods[a], to: m.periods[b] }))
  })
  const seen = new Set<string>()
  noise.forEach((r, i) => {
    const key = `${r.indicator} ${r.through}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(decodeEvent({ id: `n${i}`, type: "observe", indicator: r.indicator, through: m.periods[r.through], ytd: r.ytd }))
  })
  return out
}

/** Runs, or skips the case when the releases imply a negative level (refused, as they should be). */
const runOrSkip = (m: CompiledModel, events: ScenarioEvent[]): Projection => {
  try {
    return run(m, events)
  } catch (e) {
    if (e instanceof EventError) fc.pre(false)
    throw e
  }
}

const runs = { numRuns: 60 }

test.prop([modelArb, shocksArb, noiseArb], runs)("every release is reproduced exactly by the projection's ytd", (spec, shocks, noise) => {
  const m = modelOf(spec)
  const events = baseEvents(m, shocks, noise)
  const p = runOrSkip(m, events)
  for (const e of events) {
    if (e.type !== "observe") continue
    const point = p.indicators.find((i) => i.id === e.indicator)!.path[m.periods.indexOf(e.through)]
    expect(point.observed).toBe(true)
    expect(Math.abs(point.ytd.p50 - e.ytd)).toBeLessThanOrEqual(TOL)
  }
})

test.prop([modelArb, shocksArb, noiseArb, indicatorArb, fc.uniqueArray(fc.nat(11), { minLength: 1, maxLength: 2 })], runs)(
  "releases of the projected ytd (single periods and multi-period segments) change nothing",
  (spec, shocks, noise, indicator, picks) => {
    const m = modelOf(spec)
    const events = baseEvents(m, shocks, noise)
    const before = runOrSkip(m, events)
    let last = -1
    for (const e of events) if (e.type === "observe" && e.indicator === indicator) last = Math.max(last, m.periods.indexOf(e.through))
    const throughs = [...new Set(picks.filter((t) => t > last))].sort((x, y) => x - y)
    fc.pre(throughs.length > 0)
    const ind = before.indicators.find((i) => i.id === indicator)!
    const seen = throughs.map((t) => decodeEvent({ id: `seen${t}`, type: "observe", indicator, through: m.periods[t], ytd: ind.path[t].ytd.p50 }))
    const after = run(m, [...events, ...seen])
    for (const [v, path] of Object.entries(before.solution.variables))
      path.forEach((x, t) => expect(Math.abs(after.solution.variables[v][t] - x)).toBeLessThanOrEqual(TOL * (1 + Math.abs(x))))
    before.indicators.forEach((i, k) => expect(Math.abs(after.indicators[k].annual.mean - i.annual.mean)).toBeLessThanOrEqual(TOL * (1 + Math.abs(i.annual.mean))))
    for (const t of throughs) expect(after.indicators.find((i) => i.id === indicator)!.path[t].observed).toBe(true)
  },
)

test.prop([modelArb, shocksArb, noiseArb, fc.infiniteStream(fc.nat())], runs)("the order of the events does not change the fixed values", (spec, shocks, noise, random) => {
  const m = modelOf(spec)
  const events = baseEvents(m, shocks, noise)
  const a = runOrSkip(m, events)
  const shuffled = events
    .map((e) => ({ e, key: random.next().value as number }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.e)
  const b = run(m, shuffled)
  for (const [v, path] of Object.entries(a.solution.variables)) path.forEach((x, t) => expect(Math.abs(b.solution.variables[v][t] - x)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(x))))
})
