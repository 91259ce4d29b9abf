// Targeting with several instruments (bimets' RENORM): the values of n instruments that put n
// target variables on given values in chosen periods, at a scenario's deterministic solution.
// An instrument is an exogenous series or an endogenous variable's add-factor (one unknown per
// target period: its value in that period) or a parameter (one unknown for the horizon). The
// unknowns are solved together by Newton's method on the whole system, with a Jacobian of
// central differences of whole-model runs (all columns in one batched simulate call; exact up to
// rounding for a linear model), until every target is met within the tolerance. Beside
// multipliers.ts, whose batched runs it shares. Pure; throws OptionError for a request that
// cannot be solved as asked (unknown names, counts that do not match, a singular instrument
// set) and SeekError when Newton does not converge.
import type { CompiledModel } from "../compile/index.ts"
import { toInputs, type ScenarioState } from "../scenario/index.ts"
import { OptionError, SeekError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import { drawPlan } from "./draws.ts"
import { runShocked } from "./multipliers.ts"

/** A target: the variable and its value in each target period (in the order of `periods`). */
export interface RenormTarget {
  readonly variable: string
  readonly values: readonly number[]
}

export interface RenormOptions {
  /** The periods in which the targets apply (labels of the horizon). */
  readonly periods: readonly string[]
  readonly targets: readonly RenormTarget[]
  /** Exogenous series, endogenous variables (their add-factors) or parameters. */
  readonly instruments: readonly string[]
  /** Convergence: every |target - value| <= tolerance * (1 + |target|); default 1e-10. */
  readonly tolerance?: number
  readonly maxIterations?: number
}

/** The instruments' values found, per period (a parameter has one value), and the targets reached. */
export interface RenormResult {
  readonly periods: readonly string[]
  readonly instruments: readonly { readonly name: string; readonly kind: "exogenous" | "add-factor" | "parameter"; readonly values: readonly number[]; readonly baseline: readonly number[] }[]
  readonly targets: readonly { readonly variable: string; readonly target: readonly number[]; readonly reached: readonly number[]; readonly baseline: readonly number[] }[]
  readonly iterations: number
  /** The largest |target - reached|. */
  readonly residual: number
}

const STEP = 1e-4

/** Solves for the instruments. @throws OptionError, SeekError */
export const renorm = (compiled: CompiledModel, state: ScenarioState, opts: RenormOptions): RenormResult => {
  const { endogenous: endo, exogenous: exo, parameters: par } = compiled
  const tol = opts.tolerance ?? 1e-10
  const maxIt = opts.maxIterations ?? 50
  const tIdx = opts.periods.map((p) => {
    const t = compiled.periods.indexOf(p)
    if (t < 0) throw new OptionError({ option: "periods", problem: `${p} is not a period of the horizon (${compiled.periods[0]}..${compiled.periods.at(-1)})` })
    return t
  })
  if (tIdx.length === 0) throw new OptionError({ option: "periods", problem: "no target period" })
  if (new Set(tIdx).size !== tIdx.length) throw new OptionError({ option: "periods", problem: "a period is named twice" })
  for (const tg of opts.targets) {
    if (!endo.includes(tg.variable)) throw new OptionError({ option: "target", problem: `"${tg.variable}" is not an endogenous variable of the model${didYouMean(tg.variable, endo)} (${endo.join(", ")})` })
    if (tg.values.length !== tIdx.length) throw new OptionError({ option: "target", problem: `"${tg.variable}" has ${tg.values.length} target values for ${tIdx.length} periods` })
  }
  const kinds = opts.instruments.map((name): "exogenous" | "add-factor" | "parameter" => {
    if (exo.includes(name)) return "exogenous"
    if (par.includes(name)) return "parameter"
    if (endo.includes(name)) return "add-factor"
    throw new OptionError({ option: "instrument", problem: `"${name}" is not an exogenous series, a parameter or an endogenous variable of the model${didYouMean(name, [...exo, ...par, ...endo])}` })
  })
  if (new Set(opts.instruments).size !== opts.instruments.length) throw new OptionError({ option: "instrument", problem: "an instrument is named twice" })
  // unknowns: (instrument, period) for series, (instrument) for a parameter
  const unknowns = opts.instruments.flatMap((name, i) => (kinds[i] === "parameter" ? [{ i, t: -1 }] : tIdx.map((t) => ({ i, t }))))
  const equations = opts.targets.flatMap((tg, k) => tIdx.map((t, s) => ({ j: endo.indexOf(tg.variable), t, value: tg.values[s]!, k })))
  if (unknowns.length !== equations.length)
    throw new OptionError({
      option: "instrument",
      problem: `${equations.length} target values (${opts.targets.length} targets x ${tIdx.length} periods) and ${unknowns.length} instrument values: give as many instruments as targets (a parameter counts once for all periods)`,
    })

  const plan = drawPlan(compiled, toInputs(compiled, state), 0)
  const T = plan.T
  const n = endo.length
  const nx = exo.length
  const np = par.length
  const m = unknowns.length
  const z = new Float64Array(m)
  const apply = (delta: ArrayLike<number>, af: Float64Array, ex: Float64Array, p: Float64Array, d: number): void => {
    unknowns.forEach((u, c) => {
      const name = opts.instruments[u.i]!
      const v = delta[c]!
      if (v === 0) return
      if (kinds[u.i] === "parameter") p[d * np + par.indexOf(name)] += v
      else if (kinds[u.i] === "exogenous") ex[d * T * nx + u.t * nx + exo.indexOf(name)] += v
      else af[d * T * n + u.t * n + endo.indexOf(name)] += v
    })
  }
  // runs: draw 0 at z, then 2 per unknown at z +- STEP
  const runAt = (withJacobian: boolean): { F: Float64Array; J?: Float64Array; out: Float64Array } => {
    const runs = withJacobian ? 1 + 2 * m : 1
    const out = runShocked(compiled, plan, runs, (af, ex, d, p) => {
      apply(z, af, ex, p!, d)
      if (d === 0) return
      const c = (d - 1) >> 1
      const unit = new Float64Array(m)
      unit[c] = (d - 1) & 1 ? -STEP : STEP
      apply(unit, af, ex, p!, d)
    })
    const F = Float64Array.from(equations, (e) => out[e.t * n + e.j]! - e.value)
    if (!withJacobian) return { F, out }
    const J = new Float64Array(m * m)
    equations.forEach((e, r) => {
      for (let c = 0; c < m; c++) J[r * m + c] = (out[(1 + 2 * c) * T * n + e.t * n + e.j]! - out[(2 + 2 * c) * T * n + e.t * n + e.j]!) / (2 * STEP)
    })
    return { F, J, out }
  }
  const baseline = runAt(false).out.slice(0, T * n)
  let iterations = 0
  let residual = Infinity
  let out: Float64Array = baseline
  for (;;) {
    const r = runAt(true)
    out = r.out
    residual = equations.reduce((mx, e, k) => Math.max(mx, Math.abs(r.F[k]!)), 0)
    const met = equations.every((e, k) => Math.abs(r.F[k]!) <= tol * (1 + Math.abs(e.value)))
    if (met) break
    if (iterations >= maxIt) throw new SeekError({ problem: `renorm did not converge in ${maxIt} Newton iterations (largest miss ${residual.toExponential(3)})` })
    const dz = solve(r.J!, r.F, m)
    if (dz === undefined)
      throw new OptionError({
        option: "instrument",
        problem: `the instruments (${opts.instruments.join(", ")}) cannot move the targets (${opts.targets.map((t) => t.variable).join(", ")}) independently in ${opts.periods.join(", ")}: the Jacobian of targets in instruments is singular`,
      })
    for (let c = 0; c < m; c++) z[c] = z[c]! - dz[c]!
    iterations++
  }
  const base = (name: string, kind: string, t: number): number =>
    kind === "parameter" ? plan.params[par.indexOf(name)]! : kind === "exogenous" ? plan.exo[t * nx + exo.indexOf(name)]! : plan.addFactors[t * n + endo.indexOf(name)]!
  return {
    periods: opts.periods.slice(),
    instruments: opts.instruments.map((name, i) => {
      const kind = kinds[i]!
      const ts = kind === "parameter" ? [tIdx[0]!] : tIdx
      const zs = unknowns.map((u, c) => ({ u, c })).filter(({ u }) => u.i === i)
      return { name, kind, values: ts.map((t, s) => base(name, kind, t) + z[zs[s]!.c]!), baseline: ts.map((t) => base(name, kind, t)) }
    }),
    targets: opts.targets.map((tg) => {
      const j = endo.indexOf(tg.variable)
      return { variable: tg.variable, target: tg.values.slice(), reached: tIdx.map((t) => out[t * n + j]!), baseline: tIdx.map((t) => baseline[t * n + j]!) }
    }),
    iterations,
    residual,
  }
}

// Gaussian elimination with partial pivoting, relative singularity test; undefined when singular.
const solve = (J: Float64Array, F: Float64Array, m: number): Float64Array | undefined => {
  const a = Float64Array.from(J)
  const b = Float64Array.from(F)
  let scale = 0
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(a[i]!))
  if (scale === 0) return undefined
  for (let c = 0; c < m; c++) {
    let p = c
    for (let i = c + 1; i < m; i++) if (Math.abs(a[i * m + c]!) > Math.abs(a[p * m + c]!)) p = i
    if (Math.abs(a[p * m + c]!) <= 1e-10 * scale) return undefined
    if (p !== c) {
      for (let k = 0; k < m; k++) [a[c * m + k], a[p * m + k]] = [a[p * m + k]!, a[c * m + k]!]
      ;[b[c], b[p]] = [b[p]!, b[c]!]
    }
    for (let i = c + 1; i < m; i++) {
      const f = a[i * m + c]! / a[c * m + c]!
      for (let k = c; k < m; k++) a[i * m + k] = a[i * m + k]! - f * a[c * m + k]!
      b[i] = b[i]! - f * b[c]!
    }
  }
  const x = new Float64Array(m)
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i]!
    for (let k = i + 1; k < m; k++) s -= a[i * m + k]! * x[k]!
    x[i] = s / a[i * m + i]!
  }
  return x
}
