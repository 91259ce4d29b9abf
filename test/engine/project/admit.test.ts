// Admission (engine/project/admit.ts): an event whose scenario would no longer project is
// refused with its id and the reason (a value that is not finite named at its equation and
// period, a parameter outside its plausible range, an indicator outside its range), the log
// unchanged; the same event is refused by admitEvent and by admitEvents; a later valid event
// still applies. Non-finite values in a Monte Carlo draw name the draw.
import { describe, expect, it } from "vitest"
import { admitEvent, admitEvents, compile, decodeEvent, emptyState, EventError, Model, project } from "../../../engine/index.ts"
import { parse } from "yaml"
import { TINY_MODEL_YAML } from "../../support/models.ts"

const tiny = (edit: (m: string) => string = (m) => m) => compile(Model.parse(parse(edit(TINY_MODEL_YAML))))
// c divides by beta: beta 0 gives Infinity in c, then in y
const dividing = tiny((m) => m.replace('c: "0.8 * y(-1)"', 'c: "0.8 * y(-1) / beta"').replace("beta: { value: 0.5 }", "beta: { value: 0.5, range: [-5, 5], uncertainty: { dist: normal, sd: 0.3 } }"))

const refusal = (f: () => unknown): EventError => {
  try {
    f()
  } catch (e) {
    if (e instanceof EventError) return e
    throw e
  }
  throw new Error("not refused")
}

describe("admission", () => {
  it("refuses an event whose projection is not finite, naming the equation and the period", () => {
    const e = refusal(() => admitEvent(dividing, emptyState, decodeEvent({ id: "zero", type: "set-parameter", parameter: "beta", value: 0 })))
    expect(e.id).toBe("zero")
    expect(e.problem).toMatch(/would no longer project: the equation of c gives Infinity in period 2024-Q1/)
  })

  it("refuses a finite but absurd shock that overflows the solution", () => {
    const e = refusal(() => admitEvent(dividing, emptyState, decodeEvent({ id: "huge", type: "shock", indicator: "g", value: 1e308 })))
    expect(e.problem).toMatch(/Infinity/)
  })

  it("refuses a parameter outside its plausible range, and an indicator leaving its range", () => {
    const e = refusal(() => admitEvent(dividing, emptyState, decodeEvent({ id: "far", type: "set-parameter", parameter: "beta", value: 9 })))
    expect(e.path).toEqual(["value"])
    expect(e.problem).toMatch(/outside the model's plausible range \[-5, 5\] for beta/)
    const ranged = tiny((m) => m.replace("target: { kind: atLeast, value: 5 }", "target: { kind: atLeast, value: 5 }\n    range: [-50, 50]"))
    const r = refusal(() => admitEvent(ranged, emptyState, decodeEvent({ id: "big", type: "shock", indicator: "g", value: 500 })))
    expect(r.problem).toMatch(/^y's annual figure would be [\d.]+, outside the model's plausible range \[-50, 50\] \(indicators\.y\.range\)/)
  })

  it("folds the same way event by event and at once: the refused event leaves no trace, the later ones apply", () => {
    const events = [
      { id: "a", type: "shock", indicator: "g", value: 1 },
      { id: "zero", type: "set-parameter", parameter: "beta", value: 0 },
      { id: "b", type: "set-parameter", parameter: "beta", value: 0.6 },
      { id: "r", type: "retract", event: "zero" },
    ]
    const { state, rejected } = admitEvents(dividing, events)
    expect(state.events.map((e) => e.id)).toEqual(["a", "b"])
    expect(rejected.map((e) => [e.id, e.index])).toEqual([["zero", 1], ["r", 3]])
    expect(rejected[1]!.problem).toMatch(/unknown event "zero"/)
    let one = emptyState
    for (const raw of events) {
      try {
        one = admitEvent(dividing, one, decodeEvent(raw))
      } catch (e) {
        if (!(e instanceof EventError)) throw e
      }
    }
    expect(one.events.map((e) => e.id)).toEqual(["a", "b"])
    expect(project(dividing, one, { draws: 0, seed: 1, scenario: "s" })).toEqual(project(dividing, state, { draws: 0, seed: 1, scenario: "s" }))
  })

  it("counts and names the draws when only some Monte Carlo draws are not finite", () => {
    // beta near zero in a few draws (normal around 0.05, sd 0.3): the deterministic run is finite
    const { state } = admitEvents(dividing, [{ id: "small", type: "set-parameter", parameter: "beta", value: 0.05 }])
    expect(state.events).toHaveLength(1)
    const logged = tiny((m) => m.replace('c: "0.8 * y(-1)"', 'c: "log(beta) + 0.8 * y(-1)"').replace("beta: { value: 0.5 }", "beta: { value: 0.5, uncertainty: { dist: normal, sd: 0.5 } }"))
    // those draws are counted and left out, the first named with its equation, period and number
    const p = project(logged, emptyState, { draws: 200, seed: 1, scenario: "s" })
    expect(p.failedDraws!.count).toBeGreaterThan(0)
    expect(p.failedDraws!.reason).toMatch(/^the equation of c gives NaN in period 2024-Q1 \(draw \d+\)/)
    expect(p.failedDraws!.reason).toContain(`(draw ${p.failedDraws!.draws[0]})`)
  })
})
