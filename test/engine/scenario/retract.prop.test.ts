// Properties of retracts in long logs (engine/scenario/inputs.ts `withdraw`, columns.ts): a
// state built event by event from its parent, where a retract takes its target out of the
// parent's accumulation (its columns refolded from a checkpoint, its uncertain terms cut from
// the persistent list, its parameter's and indicator's entries rebuilt), has the projection
// inputs of its whole log accumulated afresh (stateOfLog), bit for bit: sums as the left fold
// in log order, whichever chunk of a column the target sits in, and retracts of shocks,
// measures, set-parameters and releases anywhere in logs past several chunks.
import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { applyEvent } from "../../../engine/scenario/fold.ts"
import { decodeEvent } from "../../../engine/scenario/decode.ts"
import { toInputs, type ScenarioInputs } from "../../../engine/scenario/inputs.ts"
import { CHUNK } from "../../../engine/scenario/log.ts"
import { emptyState, stateOfLog, type ScenarioState } from "../../../engine/scenario/state.ts"
import { tiny } from "./fixtures.ts"

const VARIABLES = ["fai", "ind", "gdp", "construction", "ext"]
const MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]

/** One event a generated log may hold at position k: mostly shocks with values whose sums round, some uncertain or spanning periods. */
const eventAt = fc
  .record({
    kind: fc.constantFrom("shock", "shock", "shock", "shock", "measure", "set-parameter", "observe"),
    variable: fc.constantFrom(...VARIABLES),
    other: fc.constantFrom(...VARIABLES),
    value: fc.oneof(fc.constantFrom(0, 0.1, -0.1, 1e-9, 3), fc.double({ min: -5, max: 5, noNaN: true })),
    sd: fc.option(fc.constantFrom(0, 0.5, 2), { nil: undefined }),
    from: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    month: fc.integer({ min: 0, max: 5 }),
  })
  .map((x) => (id: string): unknown => {
    const span = x.from === undefined ? {} : { from: MONTHS[x.from], to: MONTHS[Math.min(5, x.from + 2)] }
    switch (x.kind) {
      case "measure":
        return { id, type: "measure", effects: [{ indicator: x.variable, value: x.value, ...span }, { indicator: x.other, value: -x.value / 3, ...(x.sd ? { sd: x.sd } : {}) }] }
      case "set-parameter":
        return { id, type: "set-parameter", parameter: x.month % 2 ? "beta" : "gamma", value: 0.5 + x.value / 10, ...(x.sd ? { uncertainty: { dist: "normal", sd: x.sd } } : {}) }
      case "observe":
        return { id, type: "observe", indicator: x.month % 2 ? "ind" : "cpi", through: MONTHS[x.month], ytd: 2 + x.value / 10 }
      default:
        return { id, type: "shock", indicator: x.variable, value: x.value, ...span, ...(x.sd !== undefined ? { sd: x.sd } : {}) }
    }
  })

/** A log of n events with retracts at some positions, each naming an earlier event still in effect (picked by `pick`). */
const log = fc
  .record({
    n: fc.integer({ min: 3 * CHUNK, max: 4 * CHUNK }),
    events: fc.array(eventAt, { minLength: 8, maxLength: 8 }),
    values: fc.array(fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => v !== 0), { minLength: 1, maxLength: 7 }),
    retracts: fc.array(fc.record({ at: fc.nat(), pick: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }), { minLength: 2, maxLength: 24 }),
  })
  .map(({ n, events, values, retracts }) => ({
    n,
    // every other event a shock of fai, so that its column runs past a chunk of contributions
    make: (k: number) => (k % 2 === 0 ? { id: `e${k}`, type: "shock", indicator: "fai", value: values[(k / 2) % values.length]!, ...(k % 6 === 0 ? { sd: 1 } : {}) } : events[k % 8]!(`e${k}`)),
    // retracts in the log's second half, where the column of fai has a chunk after its first
    retracts: new Map(retracts.map((r) => [Math.floor(n / 2) + (r.at % Math.floor(n / 2)), r.pick])),
  }))

/**
 * The states of the log applied one event at a time, each state's inputs asked for as soon as
 * it is built (as admission asks), so that each extends its parent's (a state forgets its
 * parent once it has a child); a refused event (e.g. a release the model's path cannot take)
 * is left out.
 */
const line = ({ n, make, retracts }: { n: number; make: (k: number) => unknown; retracts: Map<number, number> }): { state: ScenarioState; inputs: ScenarioInputs }[] => {
  const states = [{ state: emptyState, inputs: toInputs(tiny, emptyState) }]
  const live: string[] = []
  for (let k = 0; k < n; k++) {
    const s = states.at(-1)!.state
    const pick = retracts.get(k)
    const raw = pick !== undefined && live.length > 0 ? { id: `r${k}`, type: "retract", event: live.splice(Math.floor(pick * live.length), 1)[0] } : make(k)
    let state: ScenarioState
    try {
      state = applyEvent(tiny, s, decodeEvent(raw))
    } catch {
      continue // refused by the fold's rules: the log goes on without it
    }
    states.push({ state, inputs: toInputs(tiny, state) })
    if ((raw as { type: string }).type !== "retract") live.push((raw as { id: string }).id)
  }
  return states
}

describe("retracts in long logs", () => {
  test.prop([log], { numRuns: 12 })("leave the inputs of the whole log accumulated afresh, bit for bit", (l) => {
    const states = line(l)
    expect(states.at(-1)!.state.retracted.size).toBeGreaterThan(0)
    // compared after each retract, and at the end
    states.forEach(({ state, inputs }, k) => {
      if (k === states.length - 1 || state.events.at(-1)?.type === "retract") expect(inputs).toEqual(toInputs(tiny, stateOfLog(state.events)))
    })
  })
})
