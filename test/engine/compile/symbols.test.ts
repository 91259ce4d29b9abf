// Unit tests of the symbol table: index order, histories, and each declaration refusal with
// the field path a reader can look up.
import { describe, expect, it } from "vitest"
import { ModelError } from "../../../engine/errors.ts"
import { buildSymbols } from "../../../engine/compile/symbols.ts"
import { tinyModel } from "../../support/models.ts"

const refusal = (f: () => unknown): ModelError => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError)
    return e as ModelError
  }
  throw new Error("accepted")
}

const indicator = (id: string) => ({ id, name: id, kind: "flow" as const, base: { growth: 1 } })

describe("buildSymbols", () => {
  it("orders endogenous as indicators then variables, and expands histories", () => {
    const s = buildSymbols(tinyModel())
    expect(s.endogenous).toEqual(["gdp", "fai", "construction"])
    expect(s.parameters).toEqual(["beta"])
    expect(s.exogenous).toEqual(["ext"])
    expect(s.endoHistory[0]).toEqual(Array(12).fill(5))
    expect(s.endoHistory[2]).toEqual(Array(12).fill(2))
    expect(s.exoHistory[0]).toEqual([])
    expect(s.exoValues[0]).toEqual(Array(12).fill(3))
    expect(s.scope.get("gdp")).toEqual({ kind: "endogenous", index: 0, history: 12 })
  })
  it("uses an indicator's explicit history over its base growth", () => {
    const m = tinyModel({ indicators: [{ ...indicator("gdp"), history: [1, 2, 3] }, indicator("fai")] })
    expect(buildSymbols(m).endoHistory[0]).toEqual([1, 2, 3])
  })
  it("refuses a duplicate indicator id at its position", () => {
    const e = refusal(() => buildSymbols(tinyModel({ indicators: [indicator("gdp"), indicator("fai"), indicator("gdp")] })))
    expect(e.path).toEqual(["indicators", 2, "id"])
    expect(e.problem).toBe('"gdp" is already declared at indicators[0].id; every name has one meaning')
  })
  it("refuses a variable, parameter or exogenous series reusing a name", () => {
    expect(refusal(() => buildSymbols(tinyModel({ variables: { gdp: {}, construction: {} } }))).path).toEqual(["variables", "gdp"])
    expect(refusal(() => buildSymbols(tinyModel({ parameters: { fai: { value: 1 } } }))).path).toEqual(["parameters", "fai"])
    expect(refusal(() => buildSymbols(tinyModel({ exogenous: { beta: { values: 1 } } }))).path).toEqual(["exogenous", "beta"])
  })
  it("refuses an endogenous variable without an equation, at its declaration", () => {
    const e = refusal(() => buildSymbols(tinyModel({ equations: { gdp: "1", construction: "2" } })))
    expect(e.path).toEqual(["indicators", 1, "id"])
    expect(e.problem).toMatch(/"fai" has no equation/)
    const v = refusal(() => buildSymbols(tinyModel({ equations: { gdp: "1", fai: "2" } })))
    expect(v.path).toEqual(["variables", "construction"])
  })
  it("refuses an equation for a parameter, an exogenous series or an undeclared name", () => {
    const base = { gdp: "1", fai: "1", construction: "1" }
    expect(refusal(() => buildSymbols(tinyModel({ equations: { ...base, beta: "1" } }))).path).toEqual(["equations", "beta"])
    expect(refusal(() => buildSymbols(tinyModel({ equations: { ...base, beta: "1" } }))).problem).toMatch(/parameter, not an endogenous/)
    expect(refusal(() => buildSymbols(tinyModel({ equations: { ...base, ext: "1" } }))).problem).toMatch(/exogenous series, not an endogenous/)
    expect(refusal(() => buildSymbols(tinyModel({ equations: { ...base, ghost: "1" } }))).problem).toMatch(/"ghost" is not declared/)
  })
  it("refuses a profile whose length is not the periods per year", () => {
    const e = refusal(() => buildSymbols(tinyModel({ indicators: [{ ...indicator("gdp"), profile: [1, 2, 3] }, indicator("fai")] })))
    expect(e.path).toEqual(["indicators", 0, "profile"])
    expect(e.problem).toMatch(/3 weights; a monthly calendar needs 12/)
  })
  it("refuses exogenous values that are not one per horizon period", () => {
    const e = refusal(() => buildSymbols(tinyModel({ exogenous: { ext: { values: [1, 2, 3] } } })))
    expect(e.path).toEqual(["exogenous", "ext", "values"])
    expect(e.problem).toMatch(/3 values for a horizon of 12 periods/)
    expect(buildSymbols(tinyModel({ calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024, horizon: 3 }, exogenous: { ext: { values: [1, 2, 3] } } })).exoValues[0]).toEqual([1, 2, 3])
  })
  it("lets a model name hide a function of the same name", () => {
    const m = tinyModel({ indicators: [indicator("gdp"), indicator("exp")], equations: { gdp: "exp(-1)", exp: "1", construction: "2" } })
    expect(buildSymbols(m).scope.get("exp")?.kind).toBe("endogenous")
  })
})
