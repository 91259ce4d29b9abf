// Properties of states built event by event (state.ts `appended`, as applyEvent builds them):
// their projection inputs, extended from the parent's, equal the inputs accumulated from the
// whole log (stateOfLog, no lineage) bit for bit, and their id lookups equal a scan of the log,
// also when a state has two children (a branch: the second child cannot extend the first's
// index or accumulation in place).
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { applyEvent } from "../../../engine/scenario/fold.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { emptyState, eventById, stateOfLog, type ScenarioState } from "../../../engine/scenario/state.ts"
import { validStream } from "../../support/events.ts"
import { tiny } from "./fixtures.ts"

/** The states of a log applied one event at a time from `from`. */
const line = (from: ScenarioState, events: readonly unknown[]): ScenarioState[] => {
  const states = [from]
  for (const raw of events) states.push(applyEvent(tiny, states.at(-1)!, decodeEvent(raw)))
  return states
}

const sameInputs = (s: ScenarioState) => expect(toInputs(tiny, s)).toEqual(toInputs(tiny, stateOfLog(s.events)))

describe("states built event by event", () => {
  test.prop([validStream(tiny), fc.nat(), fc.nat()])("give the inputs and id lookups of their whole log, across a branch", (events, cut, ask) => {
    const states = line(emptyState, events)
    // inputs asked for in log order (each extends its parent's), then a branch from a middle state
    for (const s of states) sameInputs(s)
    const at = cut % states.length
    const branch = line(states[at]!, events
        .slice(at)
        .filter((e) => e.type !== "retract")
        .map((e) => ({ ...e, id: `b-${String(e.id)}` })))
    for (const s of branch) sameInputs(s)
    // the branch changed nothing of the line it left
    for (const s of states) sameInputs(s)
    for (const s of [...states, ...branch]) {
      const ids = [...s.events.map((e) => e.id), "never", `b-e${ask % 7}`, `e${ask % 7}`]
      for (const id of ids) expect(eventById(s, id)).toBe(s.events.find((e) => e.id === id))
    }
  })
})
