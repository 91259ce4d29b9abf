// Unit tests of observables (series released but not plan indicators, engine/schema/series.ts):
// on a small linear-Gaussian model where y_obs = 2 y + noise is released, the conditioned mean
// and sd of y's annual growth equal the closed-form Gaussian posterior computed here by dense
// conditioning; the projection lists the observable apart from the indicators (no target, not
// in joint); an impossible release of it is refused, an unknown one gets "did you mean"; an
// observable whose id clashes, or whose expression names an unknown variable, is refused with
// its path; the compiled model keeps them apart from its variables and compiles again.
import { gaussianPosterior } from "./fixtures.ts"
import { describe, expect, it } from "vitest"
import { compile } from "../../../engine/compile/index.ts"
import { ModelError } from "../../../engine/errors.ts"
import { calibrate } from "../../../engine/project/calibrate.ts"
import { project } from "../../../engine/project/project.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { Model, type ModelInput } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"

const RHO = 0.7
const SD = 2
const RHO_OBS = 0.4
const SD_OBS = 1.5
const NOISE = 0.5
const input = (over: Partial<ModelInput> = {}): ModelInput => ({
  name: "obs",
  calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
  indicators: [{ id: "y", name: "y", kind: "flow", base: { growth: 5 }, error: { dist: "normal", sd: SD }, persistence: RHO, target: { kind: "atLeast", value: 5 } }],
  observables: {
    y_obs: { name: "y observed", kind: "flow", expression: "2 * y", base: { growth: 10 }, noise: { dist: "normal", sd: SD_OBS }, persistence: RHO_OBS, release: { sd: NOISE } },
  },
  parameters: { mu: { value: 5 } },
  equations: { y: "mu" },
  ...over,
})
const model = (over: Partial<ModelInput> = {}) => compile(Model.parse(input(over)))
const releases: ScenarioEvent[] = [
  { id: "r1", type: "observe", indicator: "y_obs", through: "2024-03", ytd: 6 },
  { id: "r2", type: "observe", indicator: "y_obs", through: "2024-06", ytd: 8 },
]

/**
 * Posterior mean and sd of y's annual growth by dense Gaussian conditioning. State x = (u_0..u_11,
 * v_0..v_11): y's error u and the observable's noise v, two AR(1) processes. Flat profiles: the
 * observable's ytd through T is the mean of 2 (mu + u_s) + v_s over s <= T; y's annual growth is
 * mu + mean(u).
 */
const closedForm = () => {
  const P = 12
  const n = 2 * P
  const cov = (a: number, b: number): number =>
    a < P && b < P ? SD * SD * RHO ** Math.abs(a - b) : a >= P && b >= P ? SD_OBS * SD_OBS * RHO_OBS ** Math.abs(a - b) : 0
  const obsFn = (T: number) => Array.from({ length: n }, (_, i) => (i < P ? (i <= T ? 2 / (T + 1) : 0) : i - P <= T ? 1 / (T + 1) : 0))
  const obs = [obsFn(2), obsFn(5)]
  const y = [6 - 10, 8 - 10] // minus the prior mean 2 * mu
  const annual = Array.from({ length: n }, (_, i) => (i < P ? 1 / P : 0))
  const { shift, sd } = gaussianPosterior(n, cov, [obs[0]!, obs[1]!], [y[0]!, y[1]!], NOISE, annual)
  return { mean: 5 + shift, sd }
}

const Z90 = 1.6448536269514722
const DRAWS = 40_000

const refusal = (f: () => unknown): ModelError => {
  try {
    f()
  } catch (e) {
    if (e instanceof ModelError) return e
    throw e
  }
  throw new Error("not refused")
}

describe("observables", () => {
  it("condition the indicators in closed form: y's posterior equals the dense Gaussian one", () => {
    const compiled = model()
    const { state, rejected } = fold(compiled, releases)
    expect(rejected).toEqual([])
    const p = project(compiled, state, { draws: DRAWS, seed: 5, scenario: "obs" })
    const exact = closedForm()
    const y = p.indicators[0]
    expect(p.evidence?.method).toBe("kalman")
    expect(p.evidence?.releases).toBe(2)
    expect(Math.abs(y.annual.mean - exact.mean)).toBeLessThan((4 * exact.sd) / Math.sqrt(DRAWS))
    const sd = (y.annual.p95 - y.annual.p05) / (2 * Z90)
    expect(sd / exact.sd).toBeGreaterThan(0.97)
    expect(sd / exact.sd).toBeLessThan(1.03)
    // the releases pull y below its prior mean of 5
    expect(exact.mean).toBeLessThan(4.7)
  })

  it("are listed apart from the indicators, with their released periods, and stay out of targets and joint", () => {
    const compiled = model()
    const p = project(compiled, fold(compiled, releases).state, { draws: 2000, seed: 1, scenario: "obs" })
    expect(p.indicators.map((i) => i.id)).toEqual(["y"])
    expect(p.joint.targets).toBe(1)
    expect(p.observables).toHaveLength(1)
    const o = p.observables![0]
    expect(o).toMatchObject({ id: "y_obs", name: "y observed", unit: "%", kind: "flow", observedThrough: "2024-06" })
    expect(o.path[2].ytd.p50).toBe(6)
    expect(o.path[5].ytd.mean).toBe(8)
    expect(o.path.map((q) => q.observed)).toEqual(Array.from({ length: 12 }, (_, t) => t <= 5))
    // after the releases the observable's band is its own draws around 2 y
    expect(o.annual.p05).toBeLessThan(o.annual.p95)
    // without releases or draws: the deterministic path, nothing observed
    const q = project(compiled, fold(compiled, []).state, { draws: 0, seed: 1, scenario: "obs" })
    expect(q.observables![0].observedThrough).toBeNull()
    expect(q.observables![0].annual.p50).toBeCloseTo(10, 10)
    // a model without observables has no such field
    const plain = compile(Model.parse({ ...input(), observables: {} }))
    expect(project(plain, fold(plain, []).state, { draws: 0, seed: 1, scenario: "obs" })).not.toHaveProperty("observables")
  })

  it("refuse a release that needs a negative level, and suggest the closest name for an unknown one", () => {
    const compiled = model()
    const bad = fold(compiled, [{ id: "n", type: "observe", indicator: "y_obs", through: "2024-02", ytd: -150 }])
    expect(bad.rejected).toHaveLength(1)
    expect(bad.rejected[0].path).toEqual(["ytd"])
    expect(bad.rejected[0].problem).toMatch(/negative level/)
    const typo = fold(compiled, [{ id: "t", type: "observe", indicator: "y_ob", through: "2024-02", ytd: 9 }])
    expect(typo.rejected[0].problem).toMatch(/unknown indicator or observable "y_ob" \(did you mean "y_obs"\?\)/)
  })

  it("replace a release of the same period with its revision", () => {
    const compiled = model()
    const revised = [...releases, { id: "r3", type: "observe", indicator: "y_obs", through: "2024-06", ytd: 9 } as const]
    const { state, rejected } = fold(compiled, revised)
    expect(rejected).toEqual([])
    const p = project(compiled, state, { draws: 500, seed: 1, scenario: "obs" })
    expect(p.observables![0].path[5].ytd.p50).toBe(9)
    expect(p.evidence?.releases).toBe(2)
  })

  it("give calibration a release calendar, scored on the indicators only", () => {
    const compiled = model()
    const report = calibrate(compiled, toInputs(compiled, fold(compiled, releases).state), { worlds: 40, draws: 400, seed: 2 })
    expect(report.releases).toBe(2)
    expect(report.indicators.map((i) => i.id)).toEqual(["y"])
    expect(report.indicators[0].coverage90).toBeGreaterThan(0.6)
  })

  it("stay apart in the compiled model, which compiles again to the same variables", () => {
    const compiled = model()
    expect(compiled.endogenous).toEqual(["y", "y_obs"])
    expect(Object.keys(compiled.model.variables)).toEqual([])
    expect(Object.keys(compiled.model.equations)).toEqual(["y"])
    expect(compile(compiled.model).endogenous).toEqual(["y", "y_obs"])
  })

  it("refuse an id already declared, and an expression naming an unknown variable, with the observable's path", () => {
    const obs = input().observables!.y_obs
    expect(refusal(() => model({ observables: { y: obs } })).path).toEqual(["observables", "y"])
    expect(refusal(() => model({ observables: { mu: obs } })).problem).toMatch(/already declared at parameters\.mu/)
    const unknown = refusal(() => model({ observables: { y_obs: { ...obs, expression: "2 * yy" } } }))
    expect(unknown.path).toEqual(["observables", "y_obs", "expression"])
    expect(unknown.problem).toMatch(/yy/)
  })
})
