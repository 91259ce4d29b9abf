// Benchmark peer (b): the Duji model (scenarios/duji-2024/model.yaml) written by hand as a
// plain TypeScript loop over draws and periods: what a careful programmer would write for
// this one model, the practical speed limit of this machine. It reads the same pre-sampled
// inputs as the engine (bench/inputs.ts layout) and writes the same solution layout
// out[d*T*n + t*n + j] plus the annual growth of every indicator per draw.
// Invariant: it mirrors the model's equations exactly; test/bench/handwritten.test.ts checks
// it against the engine on random inputs, so an edit of model.yaml that it does not follow
// fails a test instead of drifting silently. The simultaneous block {services, gdp,
// retail_sales, urban_income, rural_income} is linear: solved here by closed-form
// substitution (gdp first, then the rest), as a person would. Pure.
import type { CompiledModel } from "../../engine/index.ts"
import type { BenchInputs } from "../inputs.ts"
import { indicatorProfile, planWeights } from "../../engine/ytd.ts"

/** The equations this peer implements, as they stand in model.yaml (the test compares them with the file). */
export const HANDWRITTEN_EQUATIONS: Readonly<Record<string, string>> = {
  key_firms: "0",
  fai: "s_re * re_inv + s_mfg * (mfg_inv + mfg_gap) + (1 - s_re - s_mfg) * infra_inv + persist_fai * k_fai + l_fai * key_firms",
  construction: "b_con * (fai(-1) + fai(-2) + fai(-3)) / 3",
  industry_va: "ind_nat + newfirm_pp * new_firms + b_cap * fai + persist_ind * k_ind + key_firms - base_fx * bx_ind",
  industry_total: "ind_nat + pt_ind * (industry_va - ind_nat)",
  secondary: "w_ind * industry_total + (1 - w_ind) * construction",
  services: "c_ret * (retail_sales - cpi) + c_hh * (urban_income - cpi) + (1 - c_ret - c_hh) * sv_nat + carry_sv * k_sv",
  gdp: "sh1 * agri + sh2 * secondary + (1 - sh1 - sh2) * services",
  retail_sales: "(mpc_u / apc_u) * wu * urban_income + (mpc_r / apc_r) * (1 - wu) * rural_income + promo + persist * k_rt - base_fx * bx_rt",
  urban_income: "e_ui * gdp + (1 - e_ui) * inc_nat + e_job * (jobs_new - jobs_ref) + cpi + persist * k_ui",
  rural_income: "sw * (e_mig * gdp + (1 - e_mig) * inc_nat + cpi) + sb * (agri + cpi) + st * transfers + persist * k_ri",
  nominal_gdp: "gdp + deflator",
  fiscal_revenue: "buoy * nominal_gdp + persist * k_fr + l_fr * key_firms",
  trade: "e_ext * ext_demand + persist * k_tr",
}

/** The observables this peer implements (their expressions), as they stand in model.yaml. */
export const HANDWRITTEN_OBSERVABLES: Readonly<Record<string, string>> = {
  retail_above_quota: "retail_sales",
}

/** A hand-written solver of the Duji model: fills `out` (solution) and `annual` (d * nInd + k, indicators in model order). */
export type HandwrittenSolver = (input: BenchInputs, out: Float64Array, annual: Float64Array) => void

/** One year of history from a model `history`/`base.growth` value: a number repeats, an array is taken as is (most recent last). */
const historyOf = (h: number | readonly number[], periodsPerYear: number): number[] =>
  typeof h === "number" ? Array.from({ length: periodsPerYear }, () => h) : [...h]

/**
 * Builds the solver for a compiled Duji model: names are resolved to array positions once,
 * here; the loop itself is the equations by hand.
 */
export const handwrittenDuji = (compiled: CompiledModel): HandwrittenSolver => {
  const m = compiled.model
  const at = (list: readonly string[], name: string): number => {
    const i = list.indexOf(name)
    if (i < 0) throw new Error(`the hand-written Duji peer needs "${name}", which the model does not have`)
    return i
  }
  const par = (name: string): number => at(compiled.parameters, name)
  const exo = (name: string): number => at(compiled.exogenous, name)
  const endo = (name: string): number => at(compiled.endogenous, name)
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  const nx = compiled.exogenous.length
  const np = compiled.parameters.length
  const P = compiled.periodsPerYear
  const faiInd = m.indicators.find((i) => i.id === "fai")!
  const faiHist = historyOf(faiInd.history ?? faiInd.base.growth, P)
  const H = faiHist.length
  const h1 = faiHist[H - 1]!, h2 = faiHist[H - 2]!, h3 = faiHist[H - 3]!
  // indicators in model order, with their normalised base-year profiles and plan-year level
  // weights (the base profile, or times the days ratio where calendar.days applies: engine/ytd.ts)
  const indicators = m.indicators.map((i) => {
    const b = indicatorProfile(i, m.calendar, P)
    return { j: endo(i.id), rate: i.kind === "rate", b, w: planWeights(b) }
  })
  const nInd = indicators.length
  const [iSh1, iSh2, iWind, iBcon, iIndNat, iNewfirmPp, iNewFirms, iBcap, iSre, iSmfg, iCret, iChh] = [
    "sh1", "sh2", "w_ind", "b_con", "ind_nat", "newfirm_pp", "new_firms", "b_cap", "s_re", "s_mfg", "c_ret", "c_hh",
  ].map(par) as [number, number, number, number, number, number, number, number, number, number, number, number]
  const [iMpcU, iMpcR, iApcU, iApcR, iWu, iPromo, iEui, iEjob, iJobsNew, iJobsRef, iSw, iSb, iSt, iEmig] = [
    "mpc_u", "mpc_r", "apc_u", "apc_r", "wu", "promo", "e_ui", "e_job", "jobs_new", "jobs_ref", "sw", "sb", "st", "e_mig",
  ].map(par) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number]
  const iPtInd = par("pt_ind"), iMfgGap = par("mfg_gap"), iCarrySv = par("carry_sv"), iLfai = par("l_fai"), iLfr = par("l_fr"), iBaseFx = par("base_fx")
  const [iAgri, iTransfers, iBuoy, iEext, iExtDemand, iPersistFai, iPersistInd, iPersist, iKfai, iKind, iKsv, iKrt, iKui, iKri, iKfr, iKtr] = [
    "agri", "transfers", "buoy", "e_ext", "ext_demand", "persist_fai", "persist_ind", "persist", "k_fai", "k_ind", "k_sv", "k_rt", "k_ui", "k_ri", "k_fr", "k_tr",
  ].map(par) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number]
  const xRe = exo("re_inv"), xMfg = exo("mfg_inv"), xInfra = exo("infra_inv"), xSvNat = exo("sv_nat"), xCpi = exo("cpi"), xDefl = exo("deflator"), xIncNat = exo("inc_nat")
  const xBxInd = exo("bx_ind"), xBxRt = exo("bx_rt")
  const jKey = endo("key_firms"), jFai = endo("fai"), jCon = endo("construction"), jInd = endo("industry_va"), jItot = endo("industry_total"), jSec = endo("secondary"), jSv = endo("services")
  const jGdp = endo("gdp"), jRt = endo("retail_sales"), jUi = endo("urban_income"), jRi = endo("rural_income"), jNom = endo("nominal_gdp")
  const jFr = endo("fiscal_revenue"), jTr = endo("trade"), jRaq = endo("retail_above_quota")

  return (input, out, annual) => {
    const { draws, params: p, exo: X, addFactors: AF } = input
    for (let d = 0; d < draws; d++) {
      const pb = d * np
      const sh1 = p[pb + iSh1]!, sh2 = p[pb + iSh2]!, wInd = p[pb + iWind]!, bCon = p[pb + iBcon]!
      const indNat = p[pb + iIndNat]!, newfirmPp = p[pb + iNewfirmPp]!, newFirms = p[pb + iNewFirms]!, bCap = p[pb + iBcap]!
      const sRe = p[pb + iSre]!, sMfg = p[pb + iSmfg]!, cRet = p[pb + iCret]!, cHh = p[pb + iChh]!
      const mpcU = p[pb + iMpcU]!, mpcR = p[pb + iMpcR]!, apcU = p[pb + iApcU]!, apcR = p[pb + iApcR]!, wu = p[pb + iWu]!
      const promo = p[pb + iPromo]!, eUi = p[pb + iEui]!, eJob = p[pb + iEjob]!, jobsNew = p[pb + iJobsNew]!, jobsRef = p[pb + iJobsRef]!
      const sw = p[pb + iSw]!, sb = p[pb + iSb]!, st = p[pb + iSt]!, eMig = p[pb + iEmig]!, agri = p[pb + iAgri]!
      const transfers = p[pb + iTransfers]!, buoy = p[pb + iBuoy]!, eExt = p[pb + iEext]!, extDemand = p[pb + iExtDemand]!
      const persistFai = p[pb + iPersistFai]!, persistInd = p[pb + iPersistInd]!, persist = p[pb + iPersist]!
      const kFai = p[pb + iKfai]!, kInd = p[pb + iKind]!, kSv = p[pb + iKsv]!, kRt = p[pb + iKrt]!
      const kUi = p[pb + iKui]!, kRi = p[pb + iKri]!, kFr = p[pb + iKfr]!, kTr = p[pb + iKtr]!
      const ptInd = p[pb + iPtInd]!, mfgGap = p[pb + iMfgGap]!, carrySv = p[pb + iCarrySv]!, lFai = p[pb + iLfai]!, lFr = p[pb + iLfr]!
      const baseFx = p[pb + iBaseFx]!
      // per-draw constants of the block's closed form
      const mu = (mpcU / apcU) * wu // retail per pp of urban income
      const mr = (mpcR / apcR) * (1 - wu) // retail per pp of rural income
      const c3 = 1 - sh1 - sh2
      const gRt = mu * eUi + mr * sw * eMig // retail per pp of gdp
      const gSv = cRet * gRt + cHh * eUi // services per pp of gdp
      const denom = 1 - c3 * gSv
      const o = d * T * n
      let f1 = h1, f2 = h2, f3 = h3 // fai(-1), fai(-2), fai(-3)
      for (let t = 0; t < T; t++) {
        const r = o + t * n
        const xr = (d * T + t) * nx
        const cpi = X[xr + xCpi]!
        const keyFirms = AF[r + jKey]!
        const fai = sRe * X[xr + xRe]! + sMfg * (X[xr + xMfg]! + mfgGap) + (1 - sRe - sMfg) * X[xr + xInfra]! + persistFai * kFai + lFai * keyFirms + AF[r + jFai]!
        const construction = (bCon * (f1 + f2 + f3)) / 3 + AF[r + jCon]!
        const industry = indNat + newfirmPp * newFirms + bCap * fai + persistInd * kInd + keyFirms - baseFx * X[xr + xBxInd]! + AF[r + jInd]!
        const industryTotal = indNat + ptInd * (industry - indNat) + AF[r + jItot]!
        const secondary = wInd * industryTotal + (1 - wInd) * construction + AF[r + jSec]!
        // the simultaneous block by substitution: each equation as intercept + slope * gdp
        const incNat = X[xr + xIncNat]!
        const u0 = (1 - eUi) * incNat + eJob * (jobsNew - jobsRef) + cpi + persist * kUi + AF[r + jUi]!
        const r0 = sw * ((1 - eMig) * incNat + cpi) + sb * (agri + cpi) + st * transfers + persist * kRi + AF[r + jRi]!
        const tc = promo + persist * kRt - baseFx * X[xr + xBxRt]! + AF[r + jRt]!
        const t0 = mu * u0 + mr * r0 + tc
        const s0 = cRet * (t0 - cpi) + cHh * (u0 - cpi) + (1 - cRet - cHh) * X[xr + xSvNat]! + carrySv * kSv + AF[r + jSv]!
        const gdp = (sh1 * agri + sh2 * secondary + c3 * s0 + AF[r + jGdp]!) / denom
        const urban = eUi * gdp + u0
        const rural = sw * eMig * gdp + r0
        const retail = mu * urban + mr * rural + tc
        const services = s0 + gSv * gdp
        const nominal = gdp + X[xr + xDefl]! + AF[r + jNom]!
        out[r + jKey] = keyFirms
        out[r + jFai] = fai
        out[r + jCon] = construction
        out[r + jInd] = industry
        out[r + jItot] = industryTotal
        out[r + jSec] = secondary
        out[r + jSv] = services
        out[r + jGdp] = gdp
        out[r + jRt] = retail
        out[r + jRaq] = retail + AF[r + jRaq]!
        out[r + jUi] = urban
        out[r + jRi] = rural
        out[r + jNom] = nominal
        out[r + jFr] = buoy * nominal + persist * kFr + lFr * keyFirms + AF[r + jFr]!
        out[r + jTr] = eExt * extDemand + persist * kTr + AF[r + jTr]!
        f3 = f2
        f2 = f1
        f1 = fai
      }
      // annual growth: year-to-date through the last period of the plan year
      for (let k = 0; k < nInd; k++) {
        const ind = indicators[k]!
        const b = ind.b, w = ind.w
        let level = 0, base = 0, sum = 0
        for (let t = 0; t < P; t++) {
          const g = out[o + t * n + ind.j]!
          level += w[t]! * (1 + g / 100)
          base += b[t]!
          sum += g
        }
        annual[d * nInd + k] = ind.rate ? sum / P : 100 * (level / base - 1)
      }
    }
  }
}
