// Dynamic multipliers (as bimets' MULTMATRIX): how every endogenous variable responds, period
// by period, to a unit add-factor (pp) on a variable in one period, at the scenario's
// deterministic solution. Beside project.ts; uses the same deterministic runs (draw-runner.ts),
// batched: each (shocked variable, shocked period) pair is one "draw" of a single simulate
// call. Derivatives are central finite differences with step h = MULTIPLIER_STEP pp:
// (x(af + h) - x(af - h)) / 2h, exact for linear models up to rounding (about 1e-12 for values
// of order 10) and O(h^2) otherwise. Observed periods keep the values the scenario's releases
// resolve to (observe.ts, at the unperturbed scenario): data are held, as bimets holds an
// exogenized variable, so an observed variable's multipliers are 0 in its observed periods. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { toInputs, type ScenarioState } from "../scenario/index.ts"
import { OptionError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import { drawPlan, type DrawPlan } from "./draws.ts"
import { indicatorFrames, planPeriods } from "./project.ts"
import { ytdWeights } from "../ytd.ts"

/** The finite-difference step (pp of add-factor). */
export const MULTIPLIER_STEP = 1e-3

/** Options of a multiplier computation. */
export interface MultiplierOptions {
  /** The variables to shock: endogenous (add-factor) or exogenous (added to its values); default every endogenous variable. */
  readonly shocks?: readonly string[]
  /** The responding variables; default every endogenous variable. */
  readonly responses?: readonly string[]
  /** Finite-difference step in pp (default 1e-3). */
  readonly step?: number
}

/** The response of one variable to unit add-factors on one shocked variable. */
export interface MultiplierResponse {
  readonly variable: string
  /** impact[t] = d x[t] / d af[t]: the same-period effect of a unit add-factor in period t. */
  readonly impact: number[]
  /** interim[t] = sum over s <= t of d x[t] / d af[s]: the effect in t of a unit add-factor sustained from the first period (cumulative multiplier). */
  readonly interim: number[]
  /** matrix[t][s] = d x[t] / d af[s] (zero for s > t in a model without leads). */
  readonly matrix: number[][]
  /** For an indicator: d annual growth / d (unit add-factor sustained over the plan year); null otherwise. */
  readonly annual: number | null
}

/** Multipliers of the responding variables with respect to each shocked variable. */
export interface Multipliers {
  readonly model: string
  readonly step: number
  /** The horizon's periods (rows and columns of each matrix). */
  readonly periods: readonly string[]
  readonly shocks: readonly { readonly variable: string; readonly responses: readonly MultiplierResponse[] }[]
}

/**
 * Impact, interim and full multiplier matrices at a scenario's deterministic solution.
 * Throws OptionError for unknown variables or a step that is not a positive finite number;
 * ConvergenceError when a shocked run does not converge.
 */
export const multipliers = (compiled: CompiledModel, state: ScenarioState, opts: MultiplierOptions = {}): Multipliers => {
  const h = opts.step ?? MULTIPLIER_STEP
  if (!(Number.isFinite(h) && h > 0)) throw new OptionError({ option: "step", problem: `must be a positive finite number, not ${String(h)}` })
  const endo = compiled.endogenous
  const exo = compiled.exogenous
  const shocks = opts.shocks ?? endo
  for (const v of shocks)
    if (!endo.includes(v) && !exo.includes(v)) throw new OptionError({ option: "shock", problem: `unknown variable "${v}"${didYouMean(v, [...endo, ...exo])}; a multiplier can shock ${[...endo, ...exo].join(", ")}` })
  const responses = opts.responses ?? endo
  for (const v of responses)
    if (!endo.includes(v)) throw new OptionError({ option: "response", problem: `unknown endogenous variable "${v}"${didYouMean(v, endo)}; the model's are ${endo.join(", ")}` })

  const T = compiled.periods.length
  const nEndo = endo.length
  const nExo = exo.length
  const base = drawPlan(compiled, toInputs(compiled, state), 0)
  const frames = new Map(indicatorFrames(compiled).map((f) => [endo[f.j], f]))
  const P = planPeriods(compiled)

  return {
    model: compiled.model.name,
    step: h,
    periods: compiled.periods.slice(),
    shocks: shocks.map((variable) => {
      // draws 2s and 2s+1: add-factor +h and -h in period s only
      const isEndo = endo.includes(variable)
      const k = isEndo ? endo.indexOf(variable) : exo.indexOf(variable)
      const runs = 2 * T
      const out = runShocked(compiled, base, runs, (af, ex, d) => {
        const s = d >> 1
        const sign = d & 1 ? -1 : 1
        if (isEndo) af[d * T * nEndo + s * nEndo + k] += sign * h
        else ex[d * T * nExo + s * nExo + k] += sign * h
      })
      return {
        variable,
        responses: responses.map((name): MultiplierResponse => {
          const j = endo.indexOf(name)
          const matrix = Array.from({ length: T }, (_, t) =>
            Array.from({ length: T }, (_, s) => (out[2 * s * T * nEndo + t * nEndo + j] - out[(2 * s + 1) * T * nEndo + t * nEndo + j]) / (2 * h)),
          )
          const impact = matrix.map((row, t) => row[t])
          const interim = matrix.map((row, t) => row.slice(0, t + 1).reduce((a, b) => a + b, 0))
          const f = frames.get(name)
          let annual: number | null = null
          if (f !== undefined) {
            // annual growth is affine in the period growths: weights w[t]/sum(b) (flows; w = b without day weights) or 1/P (rates)
            const w = new Float64Array(P)
            ytdWeights(f.kind, f.b, P - 1, w)
            annual = 0
            for (let t = 0; t < P; t++) annual += w[t] * interim[t]
          }
          return { variable: name, impact, interim, matrix, annual }
        }),
      }
    }),
  }
}

/** Runs `runs` central draws after `perturb` edits each draw's add-factors / exogenous values (also renorm.ts). */
export const runShocked = (
  compiled: CompiledModel,
  plan: DrawPlan,
  runs: number,
  perturb: (addFactors: Float64Array, exo: Float64Array, d: number, params?: Float64Array) => void,
): Float64Array => {
  const params = new Float64Array(runs * plan.nParam)
  const addFactors = new Float64Array(runs * plan.addFactors.length)
  const exo = new Float64Array(runs * plan.exo.length)
  for (let d = 0; d < runs; d++) {
    params.set(plan.params, d * plan.nParam)
    addFactors.set(plan.addFactors, d * plan.addFactors.length)
    exo.set(plan.exo, d * plan.exo.length)
    perturb(addFactors, exo, d, params)
  }
  const out = new Float64Array(runs * plan.T * plan.nEndo)
  compiled.simulate({ draws: runs, params, exo, addFactors, fixed: plan.fixed, fixedValues: plan.fixedValues }, out)
  return out
}
