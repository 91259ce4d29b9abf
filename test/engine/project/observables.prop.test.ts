// Property of observables: an observable that is never released is an extra variable nobody
// depends on, drawing its noise from its own keyed stream, so adding one to a model leaves every
// indicator's projection (bands, probabilities, joint, evidence, posterior) and every other
// variable's solution bit for bit unchanged, over generated logs with and without releases,
// deterministic and Monte Carlo.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { project } from "../../../engine/project/project.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { Model, type ModelInput } from "../../../engine/schema/model.ts"
import { validStream } from "../../support/events.ts"
import { tinyInput } from "../scenario/fixtures.ts"

const withErrors: ModelInput = {
  ...tinyInput,
  indicators: tinyInput.indicators!.map((ind, i) => ({ ...ind, error: { dist: "normal", sd: 0.5 + i / 2 }, persistence: i % 2 === 0 ? 0.6 : 1 })),
}
const plain = compile(Model.parse(withErrors))
const observed = compile(
  Model.parse({
    ...withErrors,
    observables: { gdp_obs: { name: "GDP, a related series", kind: "flow", expression: "gdp + 0.5 * construction", base: { growth: 4 }, noise: { dist: "normal", sd: 1 }, persistence: 0.5 } },
  }),
)

test.prop([validStream(plain, { maxLength: 10 }), fc.constantFrom(0, 40, 300), fc.integer({ min: 1, max: 1000 })], { numRuns: 20 })(
  "adding an observable nobody releases changes no indicator's projection",
  (events, draws, seed) => {
    const a = fold(plain, events)
    const b = fold(observed, events)
    expect(b.rejected.map((e) => e.id)).toEqual(a.rejected.map((e) => e.id))
    const pa = project(plain, a.state, { draws, seed, scenario: "s" })
    const pb = project(observed, b.state, { draws, seed, scenario: "s" })
    expect(JSON.stringify(pb.indicators)).toBe(JSON.stringify(pa.indicators))
    expect(JSON.stringify([pb.joint, pb.evidence, pb.posterior, pb.events])).toBe(JSON.stringify([pa.joint, pa.evidence, pa.posterior, pa.events]))
    const { gdp_obs, ...others } = pb.solution.variables
    expect(gdp_obs).toHaveLength(plain.periods.length)
    expect(JSON.stringify(others)).toBe(JSON.stringify(pa.solution.variables))
    expect(pb.observables?.map((o) => o.id)).toEqual(["gdp_obs"])
  },
)
