// Bands sized from past errors (compile/past-errors.ts): the RMS of known lists, the refusal of
// too few errors at its field path, `of: year` sized so that the annual growth's sd from the
// error equals the RMS (closed forms without feedback; the model's propagation with it), and a
// projection with `fromErrors` equal bit for bit to one with the equivalent explicit sd.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { compile, decodeModel, emptyState, loadModel, project, type Distribution, type Model, type ModelInput, ModelError, SpecError } from "../../../engine/index.ts"
import { ar1Variance, rmsOfErrors } from "../../../engine/compile/past-errors.ts"

const fixture = readFileSync(new URL("../../fixtures/past-errors.yaml", import.meta.url), "utf8")

const oneIndicator = (error: unknown, persistence: number, kind = "flow", profile?: number[]): ModelInput =>
  ({
    name: "one",
    calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
    indicators: [{ id: "g", name: "G", kind, base: { growth: 5 }, error, persistence, ...(profile ? { profile } : {}) }],
    equations: { g: "5" },
  }) as ModelInput

const sdOf = (m: Model, i = 0): number => {
  const e = compile(m).model.indicators[i]!.error as Extract<Distribution, { dist: "normal" }>
  expect(Object.keys(e).sort()).toEqual(["dist", "sd"])
  return e.sd
}

describe("rmsOfErrors", () => {
  it("is the root mean square of the list, no mean removed", () => {
    expect(rmsOfErrors([1, -7, 5, 5])).toBe(5)
    expect(rmsOfErrors([3, 4])).toBe(Math.sqrt(12.5))
    expect(rmsOfErrors([2, 2, 2])).toBe(2) // a pure bias is spread, not zero
    expect(rmsOfErrors([0, 0])).toBe(0)
  })
  it("refuses fewer than two errors", () => {
    expect(() => rmsOfErrors([1])).toThrow(RangeError)
    expect(() => rmsOfErrors([])).toThrow(RangeError)
  })
})

describe("fromErrors in a model", () => {
  it("is refused with fewer than two errors, at the field's path, with the reason", () => {
    for (const fromErrors of [[], [1.2]]) {
      const err = (() => {
        try {
          decodeModel(oneIndicator({ dist: "normal", fromErrors, of: "period", source: "s" }, 1))
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(SpecError)
      expect((err as SpecError).issues).toEqual([{ path: ["indicators", 0, "error", "fromErrors"], message: expect.stringContaining("at least 2 past errors") }])
    }
  })
  it("needs its source and says which figure the errors are of", () => {
    const issues = (error: unknown) => {
      try {
        decodeModel(oneIndicator(error, 1))
      } catch (e) {
        return (e as SpecError).issues.map((i) => i.path.join("."))
      }
    }
    expect(issues({ dist: "normal", fromErrors: [1, 2], of: "period" })).toEqual(["indicators.0.error.source"])
    expect(issues({ dist: "normal", fromErrors: [1, 2], source: "s" })).toEqual(["indicators.0.error.of"])
    // a plain normal still reports its own missing field
    expect(issues({ dist: "normal" })).toEqual(["indicators.0.error.sd"])
  })
  it("of: period resolves to a normal of sd RMS, its mean kept, on indicators and variables", () => {
    const m = decodeModel({
      ...oneIndicator({ dist: "normal", fromErrors: [1, -7, 5, 5], of: "period", source: "s", mean: 0.5 }, 0.3),
      variables: { v: { error: { dist: "normal", fromErrors: [3, 4], of: "period", source: "s" } } },
      equations: { g: "5", v: "g" },
    })
    const c = compile(m)
    expect(c.model.indicators[0]!.error).toEqual({ dist: "normal", sd: 5, mean: 0.5 })
    expect(c.model.variables.v!.error).toEqual({ dist: "normal", sd: Math.sqrt(12.5) })
    // resolved once: compiling the compiled model again changes nothing
    expect(compile(c.model as Model).model).toEqual(c.model)
  })
  it("of: year without feedback: sd = RMS with one draw per run, RMS * sqrt(12) with fresh monthly draws", () => {
    const rms = rmsOfErrors([0.8, -1.1, 0.4, -0.6, 1.3])
    const year = { dist: "normal", fromErrors: [0.8, -1.1, 0.4, -0.6, 1.3], of: "year", source: "s" }
    expect(sdOf(decodeModel(oneIndicator(year, 1)))).toBeCloseTo(rms, 12)
    expect(sdOf(decodeModel(oneIndicator(year, 0)))).toBeCloseTo(rms * Math.sqrt(12), 10)
    expect(sdOf(decodeModel(oneIndicator(year, 0, "rate")))).toBeCloseTo(rms * Math.sqrt(12), 10)
    // a seasonal profile weighs the months: q = sum b^2 with fresh draws
    const profile = [1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4]
    const b = profile.map((w) => w / 30)
    expect(sdOf(decodeModel(oneIndicator(year, 0, "flow", profile)))).toBeCloseTo(rms / Math.sqrt(b.reduce((s, x) => s + x * x, 0)), 10)
    // AR(1) in between
    const rho = 0.6
    expect(sdOf(decodeModel(oneIndicator(year, rho)))).toBeCloseTo(rms / Math.sqrt(ar1Variance(new Array(12).fill(1 / 12), rho)), 10)
  })
  it("of: year with feedback gives the model's own annual spread the RMS of the past errors", () => {
    const m = loadModel(fixture)
    // the industry error off, so gdp's annual spread comes from its own error only
    const only = { ...m, indicators: m.indicators.map((i) => (i.id === "industry" ? { ...i, error: undefined } : i)) }
    const p = project(compile(only), emptyState, { draws: 4000, seed: 11, scenario: "s" })
    const a = p.indicators.find((i) => i.id === "gdp")!.annual
    const sd = (a.p95 - a.p05) / (2 * 1.6448536269514722)
    const rms = rmsOfErrors([0.8, -1.1, 0.4, -0.6, 1.3])
    expect(Math.abs(sd / rms - 1)).toBeLessThan(0.06)
    // not the feedback-free size: the propagation matters here
    const direct = rms / Math.sqrt(ar1Variance(new Array(12).fill(1 / 12), 0.6))
    expect(Math.abs(sdOf(only) / direct - 1)).toBeGreaterThan(0.2)
  })
  it("of: year is refused on a variable, and in a model not affine in its errors, at the field's path", () => {
    const onVariable = decodeModel({
      ...oneIndicator(undefined, 1),
      variables: { v: { error: { dist: "normal", fromErrors: [1, 2], of: "year", source: "s" } } },
      equations: { g: "5", v: "g" },
    })
    expect(() => compile(onVariable)).toThrow(expect.objectContaining({ _tag: "ModelError", path: ["variables", "v", "error", "of"] }))
    const nonlinear = decodeModel({ ...oneIndicator({ dist: "normal", fromErrors: [1, 2], of: "year", source: "s" }, 1), equations: { g: "0.1 * g(-1)^2" } })
    const err = (() => {
      try {
        compile(nonlinear)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ModelError)
    expect((err as ModelError).path).toEqual(["indicators", 0, "error", "of"])
    expect((err as ModelError).problem).toContain("not affine")
  })
})

describe("a projection with fromErrors", () => {
  it("equals, bit for bit, the projection with the equivalent explicit sd", () => {
    const m = loadModel(fixture)
    const resolved = compile(m)
    const gdpSd = (resolved.model.indicators[0]!.error as { sd: number }).sd
    const explicit = {
      ...m,
      indicators: m.indicators.map((i) => ({ ...i, error: { dist: "normal" as const, sd: i.id === "gdp" ? gdpSd : 5 } })),
    }
    const opts = { draws: 500, seed: 3, scenario: "s" }
    expect(project(resolved, emptyState, opts)).toEqual(project(compile(explicit), emptyState, opts))
  })
})
