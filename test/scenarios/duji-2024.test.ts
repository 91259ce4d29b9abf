// The Duji 2024 model as data: driven by 2023's figures it reproduces the 2023 outcomes
// (scenarios/duji-2024/README.md §7), every scenario file of the folder loads without a
// refused event, and the baseline's targets are the document's. Structural checks a reviewer
// would run: an above-scale industry surprise reaches the secondary sector and GDP by the stated
// pass-through (pt_ind), and the 2023 services reconciliation term reaches 2024 only by its
// stated share (carry_sv), not by the persistence of the other residuals; the leap day of 2024
// shows in January-February flows that accrue by the day, and only in them; a key-firm surprise
// reaches industry, investment and fiscal revenue together by the stated loadings; the city's
// 2023 within-year path returns in 2024 as a base effect by the stated share (base_fx), with the
// sign of a base effect and without moving the year's pace; a plant that closes from a month on
// lowers industry's growth by the same amount in every later month of the horizon.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenarioStrict } from "../../adapters/files/load.ts"
import { annualGrowth, baseProfile, compile, decodeModel, emptyState, hasDayWeights, indicatorProfile, multipliers, parseDocument, project, type CompiledModel } from "../../engine/index.ts"

const DIR = "scenarios/duji-2024"
const outcomes2023: Record<string, number> = {
  gdp: 5, industry_va: 0, fai: -15, fiscal_revenue: 7, retail_sales: 7.1, trade: 10, urban_income: 5.5, rural_income: 8,
}

describe("the Duji 2024 model", () => {
  it("reproduces every 2023 outcome within 0.01 pp when driven by 2023's figures", async () => {
    const s = await loadScenarioStrict(join(DIR, "checks/calibration-2023.yaml"))
    const p = project(s.compiled, s.state, { draws: 0, seed: 1, scenario: s.name })
    const calendar = s.compiled.model.calendar
    for (const i of p.indicators) {
      const ind = s.compiled.model.indicators.find((x) => x.id === i.id)!
      // every month's growth (per day where the calendar's day weights apply) is 2023's: 2023 and 2022 had the same days
      for (const m of i.path) expect(Math.abs(m.growth - outcomes2023[i.id]), `${i.id} ${m.period}`).toBeLessThan(0.01)
      // the annual as published on the 2024 calendar: 2023's growth, plus the leap day where it counts
      const published = annualGrowth(ind.kind, indicatorProfile(ind, calendar, 12), new Array(12).fill(outcomes2023[i.id]))
      expect(Math.abs(i.annual.p50 - published), i.id).toBeLessThan(0.01)
      if (!hasDayWeights(ind, calendar)) expect(Math.abs(i.annual.p50 - outcomes2023[i.id]), i.id).toBeLessThan(0.01)
    }
    expect(p.indicators.map((i) => i.id).sort()).toEqual(Object.keys(outcomes2023).sort())
    expect(s.compiled.model.indicators.filter((i) => !hasDayWeights(i, calendar)).map((i) => i.id)).toEqual([
      "gdp", "fai", "fiscal_revenue", "urban_income", "rural_income",
    ])
  })

  it("loads every scenario of the folder with no refused event", async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "model.yaml")
    expect(files).toContain("baseline.yaml")
    for (const f of files) {
      const s = await loadScenarioStrict(join(DIR, f))
      expect(s.rejected, f).toHaveLength(0)
    }
  })

  it("moves the 2024 projection away from 2023 by the model's own assumptions (not a replay)", async () => {
    const s = await loadScenarioStrict(join(DIR, "baseline.yaml"))
    const p = project(s.compiled, s.state, { draws: 0, seed: 1, scenario: s.name })
    const moved = p.indicators.filter((i) => Math.abs(i.annual.p50 - outcomes2023[i.id]) > 0.1)
    expect(moved.length).toBeGreaterThan(4)
  })

  const compiledWith = (values: Record<string, number>): CompiledModel => {
    const model = decodeModel(parseDocument(readFileSync(join(DIR, "model.yaml"), "utf8")).value)
    for (const [k, v] of Object.entries(values)) model.parameters[k] = { ...model.parameters[k]!, value: v }
    return compile(model)
  }
  const value = (c: CompiledModel, name: string): number => c.model.parameters[name]!.value
  const annualOf = (c: CompiledModel, id: string): number =>
    project(c, emptyState, { draws: 0, seed: 1, scenario: "baseline" }).indicators.find((i) => i.id === id)!.annual.p50

  it("passes an above-scale industry surprise into total industry, the secondary sector and GDP by the stated pass-through", () => {
    const c = compiledWith({})
    const m = multipliers(c, emptyState, { shocks: ["industry_va"], responses: ["industry_total", "secondary", "gdp"] })
    const r = (v: string) => m.shocks[0]!.responses.find((x) => x.variable === v)!
    const [pt, wInd, sh1, sh2] = ["pt_ind", "w_ind", "sh1", "sh2"].map((k) => value(c, k)) as [number, number, number, number]
    // the block's loop gain: GDP -> incomes -> retail and household services -> services -> GDP
    const p = (k: string) => value(c, k)
    const retailPerGdp = (p("mpc_u") / p("apc_u")) * p("wu") * p("e_ui") + (p("mpc_r") / p("apc_r")) * (1 - p("wu")) * p("sw") * p("e_mig")
    const loop = (1 - sh1 - sh2) * (p("c_ret") * retailPerGdp + p("c_hh") * p("e_ui"))
    expect(pt).toBe(0.5)
    for (let t = 0; t < 12; t++) {
      expect(r("industry_total").impact[t]).toBeCloseTo(pt, 9)
      expect(r("secondary").impact[t]).toBeCloseTo(wInd * pt, 9)
      expect(r("gdp").impact[t]).toBeCloseTo((sh2 * wInd * pt) / (1 - loop), 9)
    }
    // and a looser link means a smaller GDP response: at pt_ind 0.8 (coverage alone) it is larger
    const tighter = multipliers(compiledWith({ pt_ind: 0.8 }), emptyState, { shocks: ["industry_va"], responses: ["gdp"] })
    expect(tighter.shocks[0]!.responses[0]!.impact[0]).toBeGreaterThan(r("gdp").impact[0]! * 1.5)
  })

  it("moves industry, investment and fiscal revenue together through the key firms' one error, by the stated loadings, leaving each total error where it was", () => {
    const c = compiledWith({})
    const p = (k: string) => value(c, k)
    const m = multipliers(c, emptyState, { shocks: ["key_firms"], responses: ["fai", "industry_va", "fiscal_revenue", "nominal_gdp"] })
    const r = (v: string) => m.shocks[0]!.responses.find((x) => x.variable === v)!
    for (let t = 0; t < 12; t++) {
      expect(r("fai").impact[t]).toBeCloseTo(p("l_fai"), 9)
      expect(r("industry_va").impact[t]).toBeCloseTo(1 + p("b_cap") * p("l_fai"), 9)
      expect(r("fiscal_revenue").impact[t]! - p("buoy") * r("nominal_gdp").impact[t]!).toBeCloseTo(p("l_fr"), 9)
    }
    // the common part is carved out of each equation's error: per-period variance own^2 + E[l^2] sd_key^2 stays 8^2, 12^2, 3^2
    const sdOf = (d: unknown): number => (d as { sd: number }).sd
    const secondMoment = (name: string): number => {
      const u = c.model.parameters[name]!.uncertainty as { dist: string; min: number; max: number }
      expect(u.dist).toBe("uniform")
      return (u.max ** 3 - u.min ** 3) / (3 * (u.max - u.min))
    }
    const key = sdOf(c.model.variables.key_firms!.error) ** 2
    const own = (id: string) => sdOf(c.model.indicators.find((i) => i.id === id)!.error) ** 2
    expect(Math.sqrt(own("industry_va") + key)).toBeCloseTo(8, 2)
    expect(Math.sqrt(own("fai") + secondMoment("l_fai") * key)).toBeCloseTo(12, 2)
    expect(Math.sqrt(own("fiscal_revenue") + secondMoment("l_fr") * key)).toBeCloseTo(3, 2)
    // and with the loadings at 0 investment and fiscal revenue no longer see the key firms
    const apart = multipliers(compiledWith({ l_fai: 0, l_fr: 0 }), emptyState, { shocks: ["key_firms"], responses: ["fai", "fiscal_revenue", "nominal_gdp"] }).shocks[0]!.responses
    expect(apart[0]!.impact.every((x) => x === 0)).toBe(true)
    apart[1]!.impact.forEach((x, t) => expect(x).toBeCloseTo(p("buoy") * apart[2]!.impact[t]!, 12))
  })

  it("carries only the stated share carry_sv of 2023's services reconciliation term into 2024", () => {
    const base = compiledWith({})
    const carry = value(base, "carry_sv"), kSv = value(base, "k_sv")
    expect(carry).toBeLessThanOrEqual(0.5)
    const gdpPerServicesPp = multipliers(base, emptyState, { shocks: ["services"], responses: ["gdp"] }).shocks[0]!.responses[0]!.annual!
    const moved = annualOf(base, "gdp") - annualOf(compiledWith({ k_sv: 0 }), "gdp")
    expect(moved).toBeCloseTo(carry * kSv * gdpPerServicesPp, 6)
    // the other residuals' persistence no longer moves services: persist at its bound leaves GDP where it was, bar retail and incomes
    const persistMoves = annualOf(compiledWith({ persist: 1, k_rt: 0, k_ui: 0, k_ri: 0 }), "gdp") - annualOf(compiledWith({ k_rt: 0, k_ui: 0, k_ri: 0 }), "gdp")
    expect(Math.abs(persistMoves)).toBeLessThan(1e-9)
  })

  it("gives every indicator its own release noise with a reason and an error persistence with a stated assumption", () => {
    const c = compiledWith({})
    for (const i of c.model.indicators) {
      expect(i.release?.source, i.id).toMatch(/assumption/)
      expect(typeof i.persistence, i.id).toBe("string")
      const rho = c.model.parameters[i.persistence as string]!
      expect(rho.assumption, i.id).toBeDefined()
      expect(rho.uncertainty?.dist, i.id).toBe("uniform")
    }
    // investment surprises persist longer than retail ones, retail longer than fiscal one-offs
    expect(value(c, "rho_fai")).toBeGreaterThan(value(c, "rho_rt"))
    expect(value(c, "rho_rt")).toBeGreaterThan(value(c, "rho_fr"))
  })

  it("shows the leap day in January-February flows that accrue by the day, and only in them", () => {
    const c = compiledWith({})
    const p = project(c, emptyState, { draws: 0, seed: 1, scenario: "baseline" })
    const off = compile({ ...c.model, calendar: { ...c.model.calendar, days: false } })
    const q = project(off, emptyState, { draws: 0, seed: 1, scenario: "baseline" })
    for (const ind of c.model.indicators) {
      const on = p.indicators.find((i) => i.id === ind.id)!, without = q.indicators.find((i) => i.id === ind.id)!
      // the model's per-day growth is the same with or without day weights
      on.path.forEach((m, t) => expect(m.growth).toBeCloseTo(without.path[t]!.growth, 12))
      const janFeb = on.path[1]!.ytd.p50 - without.path[1]!.ytd.p50
      if (!hasDayWeights(ind, c.model.calendar)) {
        expect(janFeb, ind.id).toBe(0)
        continue
      }
      // February's level carries 29/28 of its base: + b_Feb / 28 * (1 + g_Feb) over Jan-Feb's base
      const b = ind.profile!
      const want = (100 * (b[1]! / 28) * (1 + on.path[1]!.growth / 100)) / (b[0]! + b[1]!)
      expect(janFeb, ind.id).toBeCloseTo(want, 9)
      expect(janFeb, ind.id).toBeGreaterThan(1.5) // "flatters flow figures by about 1.7%"
      expect(on.path[0]!.ytd.p50).toBe(without.path[0]!.ytd.p50) // January is untouched
    }
  })

  it("returns the city's 2023 within-year path as a 2024 base effect by the stated share, without moving the year's pace", () => {
    const pathOf = (c: CompiledModel, id: string): number[] =>
      project(c, emptyState, { draws: 0, seed: 1, scenario: "baseline" }).indicators.find((i) => i.id === id)!.path.map((m) => m.growth)
    const none = compiledWith({ base_fx: 0 }), half = compiledWith({}), full = compiledWith({ base_fx: 1 })
    expect(value(half, "base_fx")).toBe(0.5)
    const bx = (name: string): number[] => half.model.exogenous[name]!.values as number[]
    for (const [id, series] of [["industry_va", "bx_ind"], ["retail_sales", "bx_rt"]] as const) {
      const ind = half.model.indicators.find((i) => i.id === id)!
      // a within-year pattern around the year's growth: zero on the indicator's own base profile
      const b = baseProfile(ind.profile, 12)
      expect(Math.abs(bx(series).reduce((acc, d, t) => acc + b[t]! * d, 0)), series).toBeLessThan(1e-3)
      // a low 2023 first quarter (the city's: industry -1.3, retail 3.2 against 6.6 and 6) flatters 2024's
      const [p0, p1] = [pathOf(none, id), pathOf(full, id)]
      expect(p1[0]! - p0[0]!, id).toBeGreaterThan(2)
      expect(p1[11]! - p0[11]!, id).toBeLessThan(0)
      // the year's pace barely moves (the leap day's weight on February and the block's links are all that remain)
      expect(Math.abs(annualOf(full, id) - annualOf(none, id)), id).toBeLessThan(0.05)
    }
    // industry is recursive: its monthly growth moves by exactly -base_fx times the city's deviation
    const [i0, iHalf] = [pathOf(none, "industry_va"), pathOf(half, "industry_va")]
    i0.forEach((g, t) => expect(iHalf[t]! - g).toBeCloseTo(-0.5 * bx("bx_ind")[t]!, 9))
    // investment has no base effect (no city record of its 2023 path was found)
    expect(pathOf(full, "fai")).toEqual(pathOf(none, "fai"))
  })

  it("expresses a plant closure as a level shift: the same growth loss in every month from the closure on", async () => {
    const base = project(compiledWith({}), emptyState, { draws: 0, seed: 1, scenario: "baseline" })
    const s = await loadScenarioStrict(join(DIR, "plant-closure.yaml"))
    const p = project(s.compiled, s.state, { draws: 0, seed: 1, scenario: s.name })
    const growth = (q: typeof p, id: string) => q.indicators.find((i) => i.id === id)!.path.map((m) => m.growth)
    const [before, after] = [growth(base, "industry_va"), growth(p, "industry_va")]
    const loss = after.map((g, t) => g - before[t]!)
    const from = 6 // July
    loss.slice(0, from).forEach((d) => expect(d).toBe(0))
    const c = s.compiled
    const perKeyPp = 1 + value(c, "b_cap") * value(c, "l_fai")
    for (const d of loss.slice(from)) expect(d).toBeCloseTo(-5 * perKeyPp, 9)
  })
})
