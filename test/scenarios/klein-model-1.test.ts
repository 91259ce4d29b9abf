// Klein's Model I (scenarios/textbook/klein-model-1.yaml, Greene's Table F15.1 data): the OLS
// estimates of its three behavioural equations to the published digits (Greene, Econometric
// Analysis, 5th ed., Table 15.3, three decimals; the bimets vignette, four decimals, and its
// t statistics for the consumption function); the residual check (identities exact on the data,
// behavioural equations their OLS residuals); the dynamic forecast 1942-1944 and the impact and
// interim multipliers of G against the model solved by hand (the structural equations as one
// linear system per year, solved by elimination in this file); and a two-target two-instrument
// targeting run that meets its targets to the solver tolerance.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { describe, expect, it } from "vitest"
import { compile, decodeModel, emptyState, estimate, multipliers, parseSeriesCsv, renorm, residualCheck, simulateOne, staticSimulation, type Model } from "../../engine/index.ts"

const here = (f: string) => fileURLToPath(new URL(`../../scenarios/textbook/${f}`, import.meta.url))
const raw = parse(readFileSync(here("klein-model-1.yaml"), "utf8"))
const model: Model = decodeModel({ ...raw, data: { ...raw.data, ...parseSeriesCsv(readFileSync(here("klein-model-1.csv"), "utf8"), "annual") } })
const data = parseSeriesCsv(readFileSync(here("klein-model-1.csv"), "utf8"), "annual").series as Record<string, number[]>
const year = (y: number) => y - 1920

describe("Klein Model I: OLS", () => {
  const e = estimate(model)
  const coef = (v: string) => Object.fromEntries(e.equations.find((q) => q.variable === v)!.coefficients.map((c) => [c.name, c]))
  it("gives Greene's and bimets' coefficients to their published digits", () => {
    const published: Record<string, number> = { a1: 16.2366, a2: 0.1929, a3: 0.0899, a4: 0.7962, b1: 10.1258, b2: 0.4796, b3: 0.333, b4: -0.1118, c1: 1.497, c2: 0.4395, c3: 0.1461, c4: 0.1302 }
    const all = { ...coef("C"), ...coef("I"), ...coef("Wp") }
    for (const [name, value] of Object.entries(published)) expect(Math.abs(all[name]!.value - value), name).toBeLessThanOrEqual(0.00005 + 1e-12)
  })
  it("gives the consumption function's t statistics and fit (bimets vignette)", () => {
    const c = coef("C")
    expect([c.a1!.t, c.a2!.t, c.a3!.t, c.a4!.t].map((t) => t.toFixed(3))).toEqual(["12.464", "2.115", "0.992", "19.933"])
    const q = e.equations[0]!
    expect(q.rSquared.toFixed(3)).toBe("0.981")
    expect(q.ser.toFixed(4)).toBe("1.0255")
    expect(q.ssr.toFixed(4)).toBe("17.8794")
    expect(q.observations).toBe(21)
  })
  it("the model file carries the estimates (plancast estimate --write)", () => {
    for (const q of e.equations) for (const c of q.coefficients) expect(model.parameters[c.name]!.value).toBe(c.value)
  })
  it("residual check: identities exact on the data, behavioural equations their OLS residuals", () => {
    const r = residualCheck(e.estimated, "1921", "1941")
    for (const v of ["X", "P", "K1"]) for (const x of r.variables[v]!) expect(Math.abs(x!)).toBeLessThan(1e-12)
    for (const q of e.equations) q.residuals.forEach((res, s) => expect(r.variables[q.variable]![s]!).toBeCloseTo(res.value, 12))
  })
  it("static simulation: each year solves the equations with the lags from the data", () => {
    const s = staticSimulation(e.estimated, "1921", "1941")
    const p = e.estimated.parameters
    const v = (name: string) => p[name]!.value
    s.periods.forEach((label, k) => {
      const t = year(Number(label))
      const C = s.variables.C![k]!, I = s.variables.I![k]!, Wp = s.variables.Wp![k]!, X = s.variables.X![k]!, P = s.variables.P![k]!
      expect(C).toBeCloseTo(v("a1") + v("a2") * P + v("a3") * data.P![t - 1]! + v("a4") * (Wp + data.Wg![t]!), 9)
      expect(I).toBeCloseTo(v("b1") + v("b2") * P + v("b3") * data.P![t - 1]! + v("b4") * data.K1![t]!, 9)
      expect(Wp).toBeCloseTo(v("c1") + v("c2") * X + v("c3") * data.X![t - 1]! + v("c4") * (1920 + t - 1931), 9)
      expect(X).toBeCloseTo(C + I + data.G![t]!, 9)
      expect(P).toBeCloseTo(X - data.T![t]! - Wp, 9)
    })
  })
  it("estimating twice gives the same bits", () => {
    expect(estimate(model).equations.map((q) => q.coefficients.map((c) => c.value))).toEqual(e.equations.map((q) => q.coefficients.map((c) => c.value)))
  })
})

// The structural model for one year as a linear system in (C, I, Wp, X, P), solved by elimination.
const solveYear = (p: Record<string, number>, lag: { P: number; X: number; K1: number }, ex: { Wg: number; G: number; T: number; A: number }): number[] => {
  // rows: C - a2 P - a4 Wp = a1 + a3 P(-1) + a4 Wg; I - b2 P = b1 + b3 P(-1) + b4 K1; Wp - c2 X = c1 + c3 X(-1) + c4 A; X - C - I = G; P - X + Wp = -T
  const A = [
    [1, 0, -p.a4!, 0, -p.a2!],
    [0, 1, 0, 0, -p.b2!],
    [0, 0, 1, -p.c2!, 0],
    [-1, -1, 0, 1, 0],
    [0, 0, 1, -1, 1],
  ]
  const b = [p.a1! + p.a3! * lag.P + p.a4! * ex.Wg, p.b1! + p.b3! * lag.P + p.b4! * lag.K1, p.c1! + p.c3! * lag.X + p.c4! * ex.A, ex.G, -ex.T]
  const n = 5
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r
    ;[A[c], A[piv]] = [A[piv]!, A[c]!]
    ;[b[c], b[piv]] = [b[piv]!, b[c]!]
    for (let r = c + 1; r < n; r++) {
      const f = A[r]![c]! / A[c]![c]!
      for (let k = c; k < n; k++) A[r]![k]! -= f * A[c]![k]!
      b[r]! -= f * b[c]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) x[r] = (b[r]! - A[r]!.slice(r + 1).reduce((s, a, k) => s + a * x[r + 1 + k]!, 0)) / A[r]![r]!
  return x
}

describe("Klein Model I: forecast, multipliers, targeting", () => {
  const compiled = compile(model)
  const p = Object.fromEntries(Object.entries(model.parameters).map(([k, v]) => [k, v.value]))
  const last = year(1941)
  const ex = { Wg: data.Wg![last]!, G: data.G![last]!, T: data.T![last]!, A: 0 }
  const handForecast = (G: readonly number[]) => {
    let lag = { P: data.P![last]!, X: data.X![last]!, K1: data.K1![last]!, I: data.I![last]! }
    return G.map((g, t) => {
      const K1 = lag.K1 + lag.I
      const [C, I, Wp, X, P] = solveYear(p, { P: lag.P, X: lag.X, K1 }, { ...ex, G: g, A: 1942 + t - 1931 })
      lag = { P: P!, X: X!, K1, I: I! }
      return { C: C!, I: I!, Wp: Wp!, X: X!, P: P!, K1 }
    })
  }
  it("forecasts 1942-1944 (exogenous held at 1941) as the model solved by hand", () => {
    const s = simulateOne(compiled)
    handForecast([ex.G, ex.G, ex.G]).forEach((h, t) => {
      for (const [v, x] of Object.entries(h)) expect(Math.abs(s[v]![t]! - x), `${v} ${1942 + t}`).toBeLessThan(1e-9)
    })
  })
  it("impact and interim multipliers of G on X are the hand-solved model's", () => {
    const m = multipliers(compiled, emptyState, { shocks: ["G"], responses: ["X"] })
    const base = handForecast([ex.G, ex.G, ex.G])
    const impact = handForecast([ex.G + 1, ex.G, ex.G])[0]!.X - base[0]!.X
    const sustained = handForecast([ex.G + 1, ex.G + 1, ex.G + 1]).map((h, t) => h.X - base[t]!.X)
    const r = m.shocks[0]!.responses[0]!
    expect(r.impact[0]).toBeCloseTo(impact, 8)
    r.interim.forEach((x, t) => expect(x).toBeCloseTo(sustained[t]!, 8))
  })
  it("two targets, two instruments: C and X on their paths by G and T, to the solver tolerance", () => {
    const targets = [
      { variable: "C", values: [80, 84, 86] },
      { variable: "X", values: [105, 110, 112] },
    ]
    const r = renorm(compiled, emptyState, { periods: ["1942", "1943", "1944"], targets, instruments: ["G", "T"] })
    for (const t of r.targets) t.reached.forEach((x, s) => expect(Math.abs(x - t.target[s]!)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(t.target[s]!))))
    const s = simulateOne(compiled, { exogenous: { G: r.instruments[0]!.values, T: r.instruments[1]!.values } })
    targets.forEach((t) => t.values.forEach((v, k) => expect(Math.abs(s[t.variable]![k]! - v)).toBeLessThan(1e-8)))
  })
  it("refuses a singular instrument set (two instruments that move the targets the same way)", () => {
    // G and an add-factor on X enter X = C + I + G identically
    expect(() => renorm(compiled, emptyState, { periods: ["1942"], targets: [{ variable: "C", values: [80] }, { variable: "X", values: [105] }], instruments: ["G", "X"] })).toThrowError(
      expect.objectContaining({ _tag: "OptionError", problem: expect.stringMatching(/cannot move the targets .* independently/) }),
    )
  })
})
