// Compiling a forward-looking model (one whose equations read leads x(+k)): the terminal
// conditions checked and written out, and a CompiledModel whose `simulate` solves each draw by
// the stacked-time Newton of solve/stacked.ts rather than period by period. Data releases fix
// values as in the backward kernel, without a decaying surprise carried forward. Called by
// compile (index.ts) when the parsed equations read a lead. Pure; throws ModelError.
import { ConvergenceError, ModelError } from "../errors.ts"
import { expandHistory, horizonOf, periodLabels, periodsPerYear } from "./calendar.ts"
import { maxLead, walk } from "./expr.ts"
import type { SimulationInput } from "./compiled.ts"
import type { UnresolvedCompiled } from "./past-errors.ts"
import type { ModelEquations } from "./equations.ts"
import { stackedSolver } from "./solve/stacked.ts"

/** The compiled model of a forward-looking model. @throws ModelError for a lead without terminal values or a lead of an exogenous series */
export const compileForward = (eqs: ModelEquations): UnresolvedCompiled => {
  const { model, symbols: sym } = eqs
  const T = horizonOf(model.calendar)
  const n = sym.endogenous.length
  const nx = sym.exogenous.length
  const np = sym.parameters.length
  // the farthest lead of each variable, and where it is read
  const need = new Array<number>(n).fill(0)
  const where = new Array<string>(n).fill("")
  eqs.equations.forEach((e, j) =>
    walk(e.solved, (x) => {
      if (x.kind === "exo" && x.lag < 0)
        throw new ModelError({ path: ["equations", sym.endogenous[j]!], problem: `${sym.exogenous[x.index]}(+${-x.lag}) leads an exogenous series: its values past the horizon are not given (lead an endogenous variable)` })
      if (x.kind === "endo" && -x.lag > need[x.index]!) {
        need[x.index] = -x.lag
        where[x.index] = sym.endogenous[j]!
      }
    }),
  )
  const terminal = sym.endogenous.map((name, k) => {
    const declared = model.variables[name]?.terminal
    const values = declared === undefined ? [] : typeof declared === "number" ? Array.from({ length: need[k]! }, () => declared) : [...expandHistory(declared, periodsPerYear(model.calendar.frequency))]
    if (values.length < need[k]!)
      throw new ModelError({
        path: ["equations", where[k]!],
        problem: `${name}(+${need[k]}) reads ${need[k]} period(s) past the horizon: give variables.${name}.terminal (a number, or at least ${need[k]} values, the first for the period after the horizon)${values.length > 0 ? `; it has ${values.length}` : ""}`,
      })
    return values
  })
  const periods = periodLabels(model.calendar)
  const rhs = eqs.equations.map((e) => e.solved)
  const solve = stackedSolver(
    { T, nEndo: n, nExo: nx, nParam: np, rhs, endoHistory: sym.endoHistory, exoHistory: sym.exoHistory, terminal, tolerance: model.solver.tolerance, maxIterations: model.solver.maxIterations },
    (t, iterations, residual) => {
      throw new ConvergenceError({ variables: sym.endogenous.slice(), period: `${periods[t]}..${periods[T - 1]} (stacked)`, iterations, residual })
    },
  )
  const guess = sym.endogenous.map((_, j) => {
    const h = sym.endoHistory[j]!
    return h.length > 0 ? h[h.length - 1]! : terminal[j]!.length > 0 ? terminal[j]![0]! : 1
  })
  const x = new Float64Array(T * n)
  const blocks = [{ variables: sym.endogenous.slice(), simultaneous: true, linear: false }]
  return {
    model,
    // releases condition a forward-looking model by weighting its draws, never in closed form
    affine: false,
    affineIn: () => false,
    periods,
    periodsPerYear: periodsPerYear(model.calendar.frequency),
    endogenous: sym.endogenous,
    exogenous: sym.exogenous,
    parameters: sym.parameters,
    blocks,
    simulate(input: SimulationInput, out: Float64Array): void {
      const D = input.draws
      if (out.length !== D * T * n || input.addFactors.length !== D * T * n || input.exo.length !== D * T * nx || input.params.length !== D * np)
        throw new RangeError("simulate: an array has the wrong length")
      for (let d = 0; d < D; d++) {
        for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) x[t * n + j] = guess[j]!
        solve(x, input.params, d * np, input.exo, d * T * nx, input.addFactors, d * T * n, input.fixed, input.fixedValues)
        out.set(x, d * T * n)
      }
    },
  }
}

/** True when some equation reads a lead. */
export const readsLeads = (eqs: ModelEquations): boolean => eqs.equations.some((e) => maxLead(e.solved) > 0)
