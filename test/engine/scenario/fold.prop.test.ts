// Property tests of the fold (engine/scenario/fold.ts): determinism, idempotent duplicates,
// exact retract, asOf, noisy streams, order independence of commuting events, zero shocks.
// Generators in test/support/events.ts; fast-check's seed is fixed in test/support/setup.ts.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { applyEvent, fold } from "../../../engine/scenario/fold.ts"
import { toInputs, type ScenarioInputs } from "../../../engine/scenario/inputs.ts"
import { asOf, effective, type ScenarioState } from "../../../engine/scenario/state.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { noisyStream, validStream } from "../../support/events.ts"
import { quarterly, tiny } from "./fixtures.ts"

const foldOk = (events: unknown[], model = tiny): ScenarioState => {
  const r = fold(model, events)
  expect(r.rejected).toEqual([])
  return r.state
}

/** Inputs equal up to the rounding of sums taken in another order. */
const expectSameInputs = (a: ScenarioInputs, b: ScenarioInputs) => {
  const close = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    expect(x.length).toBe(y.length)
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(1e-9)
  }
  close(a.addFactors, b.addFactors)
  close(a.exoShift, b.exoShift)
  close(a.params, b.params)
  expect(a.fixed).toEqual(b.fixed)
  expect(a.observations.length).toBe(b.observations.length)
  a.observations.forEach((o, i) => {
    // releases for the same period agree (within RELEASE_TOLERANCE); which of two equal ones is kept may differ
    expect(o.releases.map((r) => r.through)).toEqual(b.observations[i].releases.map((r) => r.through))
    close(
      o.releases.map((r) => r.ytd),
      b.observations[i].releases.map((r) => r.ytd),
    )
    close(
      o.segments.map((x) => x.growth),
      b.observations[i].segments.map((x) => x.growth),
    )
  })
  expect(a.paramUncertainty).toEqual(b.paramUncertainty)
}

describe.each([
  ["monthly", tiny],
  ["quarterly", quarterly],
])("fold properties (%s model)", (_, model) => {
  test.prop([validStream(model)])("a generated valid log folds without refusals", (events) => {
    expect(fold(model, events).rejected).toEqual([])
  })

  test.prop([validStream(model)])("folding is deterministic", (events) => {
    const a = fold(model, events)
    const b = fold(model, structuredClone(events))
    expect(a).toEqual(b)
    expect(toInputs(model, a.state)).toEqual(toInputs(model, b.state))
  })

  test.prop([validStream(model)])("replaying the log equals applying it event by event", (events) => {
    let s = fold(model, []).state
    events.forEach((raw, i) => {
      s = applyEvent(model, s, decodeEvent(raw, { index: i }), { index: i })
    })
    expect(s).toEqual(foldOk(events, model))
  })

  test.prop([validStream(model)])("applying an event twice is applying it once", (events) => {
    const s = foldOk(events, model)
    for (const e of s.events) expect(applyEvent(model, s, e)).toBe(s)
    expect(fold(model, events.flatMap((e) => [e, e])).state).toEqual(s)
    expect(fold(model, [...events, ...events]).state).toEqual(s)
  })

  test.prop([validStream(model), fc.nat()])("retract undoes exactly", (events, pick) => {
    const s = foldOk(events, model)
    const live = effective(s)
    fc.pre(live.length > 0)
    const target = live[pick % live.length]
    const after = applyEvent(model, s, decodeEvent({ id: "undo", type: "retract", event: target.id }))
    const without = foldOk(
      events.filter((e) => e.id !== target.id),
      model,
    )
    expect(effective(after)).toEqual(effective(without))
    expect(toInputs(model, after)).toEqual(toInputs(model, without))
  })

  test.prop([validStream(model), fc.nat()])("asOf(n) equals folding the first n events of the log", (events, n) => {
    const s = foldOk(events, model)
    const k = n % (s.events.length + 1)
    expect(asOf(s, k)).toEqual(foldOk(s.events.slice(0, k) as unknown[], model))
    expect(asOf(s, k)).toEqual(foldOk(events.slice(0, k), model))
  })

  test.prop([noisyStream(model)])("duplicates and invalid events interleaved leave the fold of the valid log", ({ stream, valid, invalidAt }) => {
    const noisy = fold(model, stream)
    expect(noisy.state).toEqual(foldOk(valid, model))
    expect(noisy.rejected.map((e) => e.index)).toEqual(invalidAt)
  })

  test.prop([validStream(model, { kinds: ["shock", "zero", "measure", "observe"] }), fc.infiniteStream(fc.nat())])(
    "shocks, measures and releases commute: any order gives the same inputs",
    (events, random) => {
      const shuffled = events
        .map((e) => ({ e, key: random.next().value as number }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.e)
      expectSameInputs(toInputs(model, foldOk(shuffled, model)), toInputs(model, foldOk(events, model)))
    },
  )

  test.prop([validStream(model), fc.nat()])("a zero shock changes no input", (events, pick) => {
    const s = foldOk(events, model)
    const variables = [...model.endogenous, ...model.exogenous]
    const zero = { id: "zero", type: "shock", indicator: variables[pick % variables.length], value: 0 }
    const a = toInputs(model, foldOk([...events, zero], model))
    const b = toInputs(model, s)
    expect({ ...a, applied: 0 }).toEqual({ ...b, applied: 0 })
    expect(a.applied).toBe(b.applied + 1)
  })
})
