// Properties of states built event by event (state.ts `appended`, as applyEvent builds them):
// their projection inputs, extended from the parent's, equal the inputs accumulated from the
// whole log (stateOfLog, no lineage) bit for bit, and their id lookups equal a scan of the log,
// also when a state has two children (a branch: the second child cannot extend the first's
// index or accumulation in place); and, over logs longer than a chunk of the persistent log
// (log.ts), their log equals the log of their events built at once, their prefixes (asOf)
// equal the states of the prefixes, and a branch shares its parent's chunks and changes
// nothing of the line it left.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { applyEvent } from "../../../engine/scenario/fold.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { CHUNK, logOf } from "../../../engine/scenario/log.ts"
import { asOf, emptyState, eventById, stateOfLog, type ScenarioState } from "../../../engine/scenario/state.ts"
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

  /** Plain shocks of the tiny model, so that a line runs past a chunk of the log. */
  const shocks = (n: number) => Array.from({ length: n }, (_, k) => ({ id: `s${k}`, type: "shock", indicator: tiny.endogenous[k % tiny.endogenous.length], value: (k % 5) - 2 }))

  test.prop([fc.integer({ min: CHUNK - 10, max: 2 * CHUNK + 10 }), validStream(tiny), fc.nat(), fc.nat()], { numRuns: 15 })(
    "over logs past a chunk: the log of the events, the prefixes of the log, a branch sharing its parent's chunks",
    (n, events, cut, ask) => {
      const states = line(emptyState, [...shocks(n), ...events])
      const at = cut % states.length
      const branch = line(states[at]!, shocks(CHUNK + 3).map((e) => ({ ...e, id: `b-${e.id}` })))
      for (const s of [...states, ...branch]) expect(s.log).toEqual(logOf(s.events))
      for (const s of branch) expect(s.log.chunks.slice(0, states[at]!.log.chunks.length).every((c, k) => c === states[at]!.log.chunks[k])).toBe(true)
      const last = states.at(-1)!
      expect(last.events.map((e) => e.id)).toEqual([...shocks(n), ...events].map((e) => e.id))
      for (const k of [0, at, ask % states.length, states.length - 1]) {
        const p = asOf(last, k)
        expect(p.events).toEqual(states[k]!.events)
        expect(p.log).toEqual(states[k]!.log)
        expect([...p.retracted].sort()).toEqual([...states[k]!.retracted].sort())
        sameInputs(p)
      }
      for (const s of [states[at]!, last, branch.at(-1)!]) sameInputs(s)
      for (const s of [last, branch.at(-1)!]) for (const id of [`s${ask % n}`, `b-s${ask % n}`, "never"]) expect(eventById(s, id)).toBe(s.events.find((e) => e.id === id))
    },
  )
})
