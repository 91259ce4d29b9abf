// engine/schema/projection.ts is the projection contract: what project() returns fits it
// exactly (no field the schema does not declare, none it declares missing), with and without
// Monte Carlo draws, and it refuses what the engine never sends (a null where a number belongs).
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { compile, fold, loadModel, project, Projection } from "../../../engine/index.ts"

const compiled = compile(loadModel(readFileSync("scenarios/duji-2024/model.yaml", "utf8")))
const { state } = fold(compiled, [{ id: "s1", type: "shock", indicator: "fai", value: -10 }])

describe("the projection contract", () => {
  it.each([0, 200])("holds exactly what project() returns (%i draws)", (draws) => {
    const p = JSON.parse(JSON.stringify(project(compiled, state, { draws, seed: 1, scenario: "s" })))
    const parsed = Projection.safeParse(p)
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true)
    // zod objects drop undeclared keys: equal after parsing means the schema declares every field
    expect(parsed.data).toEqual(p)
  })

  it("refuses a null where a number belongs", () => {
    const p = JSON.parse(JSON.stringify(project(compiled, state, { draws: 0, seed: 1, scenario: "s" })))
    p.indicators[0].annual.p50 = null
    expect(Projection.safeParse(p).success).toBe(false)
  })
})
