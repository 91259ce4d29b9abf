// Golden test of the Keynesian cross (scenarios/textbook/keynesian-cross.yaml): the closed
// form Y = (c0 - c1 T + I + G) / (1 - c1) period by period, i.e. the spending multiplier 5.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { describe, expect, it } from "vitest"
import { compile, simulateOne } from "../../../engine/compile/index.ts"
import { Model } from "../../../engine/schema/model.ts"

const model = Model.parse(parse(readFileSync(fileURLToPath(new URL("../../../scenarios/textbook/keynesian-cross.yaml", import.meta.url)), "utf8")))

describe("Keynesian cross", () => {
  it("is one linear simultaneous block", () => {
    expect(compile(model).blocks).toEqual([{ variables: ["Y", "C"], simultaneous: true, linear: true }])
  })
  it("gives Y = 220, C = 170, and G + 10 raises Y by 50", () => {
    const r = simulateOne(compile(model))
    expect(r.Y[0]).toBeCloseTo(220, 10)
    expect(r.C[0]).toBeCloseTo(170, 10)
    expect(r.Y[1]).toBeCloseTo(270, 10)
    expect(r.Y[2]).toBeCloseTo(270, 10)
  })
  it("matches the closed form for other parameters and taxes", () => {
    for (const [c0, c1, T] of [[0, 0.5, 0], [25, 0.9, 40], [5, 0.2, 10]] as const) {
      const r = simulateOne(compile(model), { params: { c0, c1 }, exogenous: { T } })
      expect(r.Y[0]).toBeCloseTo((c0 - c1 * T + 30 + 20) / (1 - c1), 9)
    }
  })
})
