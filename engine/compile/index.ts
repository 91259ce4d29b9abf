// The model compiler: a validated Model -> CompiledModel, whose `simulate` runs a generated
// kernel over draws and periods. Flow: symbols.ts (names, declarations) -> parse.ts (each
// equation to an expression tree) -> graph.ts (block order) -> jacobian.ts (Newton for
// simultaneous blocks) -> codegen.ts (the kernel). Also the deterministic helpers
// `centralInputs` and `simulateOne`. Pure: compile throws ModelError; simulate throws
// ConvergenceError (a NaN stays a NaN: engine/project checks finiteness, finite.ts); no I/O. A model with leads is compiled by forward.ts (stacked time).
import { ConvergenceError, ModelError, type FieldPath } from "../errors.ts"
import type { Model, Persistence } from "../schema/model.ts"
import { horizonOf, periodLabels, periodsPerYear } from "./calendar.ts"
import { buildKernel, type KernelPlan, type Kernel } from "./codegen.ts"
import { currentEndogenous } from "./expr.ts"
import { blockOrder, sweepOrder } from "./graph.ts"
import { blockJacobian, isLinear } from "./jacobian.ts"
import { affineIn, affineInErrors } from "./affine.ts"
import type { SymbolTable } from "./symbols.ts"
import type { CompiledModel, SimulationInput } from "./compiled.ts"
import { modelEquations, type ModelEquations } from "./equations.ts"
import { compileForward, readsLeads } from "./forward.ts"
import { resolveErrorBands, type UnresolvedCompiled } from "./past-errors.ts"

export type { CompiledModel, SimulationInput } from "./compiled.ts"
export { modelEquations, withEquationVariables, type ModelEquations } from "./equations.ts"
export { rmsOfErrors } from "./past-errors.ts"

const DRAW_SLICE = 512

// Central exogenous values as one draw's block: X[t*nx + i].
const centralExo = (values: readonly (readonly number[])[], T: number): Float64Array => {
  const nx = values.length
  const X = new Float64Array(T * nx)
  values.forEach((v, i) => v.forEach((x, t) => (X[t * nx + i] = x)))
  return X
}

// Warm-up calls of one draw each, fewer for long or large models (about 20,000 equation evaluations at most).
const warmUpCalls = (plan: KernelPlan): number => Math.max(1, Math.min(100, Math.floor(20_000 / Math.max(1, plan.T * plan.nEndo))))

/**
 * Runs a new kernel on a few central draws so that V8 collects type feedback and starts
 * optimising it before the first real (large) call, which would otherwise run unoptimised
 * for a long time. Results are discarded; a failure to converge at central values is left
 * for the real call to report.
 */
const warmUp = (kernel: Kernel, plan: KernelPlan, central: { params: Float64Array; exo: Float64Array }, observed: ReadonlySet<number>): void => {
  const size = plan.T * plan.nEndo
  const out = new Float64Array(size)
  const fixed = new Uint8Array(size)
  // observed variables take their fixed branch in the first period, so both branches get feedback
  for (const j of observed) fixed[j] = 1
  const addFactors = new Float64Array(size)
  try {
    for (let i = warmUpCalls(plan); i > 0; i--) kernel(0, 1, out, central.params, central.exo, addFactors, fixed, out)
  } catch {
    // reported by the real call
  }
}

/**
/** A persistence that names a parameter must name a declared one. @throws ModelError */
const checkPersistence = (model: Model, parameters: readonly string[]): void => {
  const at: [Persistence | undefined, FieldPath][] = [
    [model.observation.persistence, ["observation", "persistence"]],
    ...model.indicators.map((ind, i): [Persistence | undefined, FieldPath] => [ind.persistence, ["indicators", i, "persistence"]]),
    ...Object.entries(model.variables).map(([name, v]): [Persistence | undefined, FieldPath] => [v.persistence, ["variables", name, "persistence"]]),
    ...Object.entries(model.observables).map(([name, o]): [Persistence | undefined, FieldPath] => [o.persistence, ["observables", name, "persistence"]]),
  ]
  for (const [p, path] of at)
    if (typeof p === "string" && !parameters.includes(p)) throw new ModelError({ path, problem: `"${p}" is not a parameter of the model: a persistence is a number in [0, 1] or a parameter's name` })
}

/**
 * Compiles a model (already validated with `Model.parse`); an equation's left-hand side need
 * not be declared (see withEquationVariables). Equation errors sized from past errors come
 * out as ordinary normal distributions in `compiled.model` (past-errors.ts).
 * @throws ModelError with the field path of the problem (e.g. ["equations", "gdp"])
 */
export function compile(input: Model): CompiledModel {
  return resolveErrorBands(compileEquations(input))
}

// compile before the equation errors given by past errors are resolved (past-errors.ts).
const compileEquations = (input: Model): UnresolvedCompiled => {
  const eqs = modelEquations(input)
  if (readsLeads(eqs)) return compileForward(eqs)
  const model = eqs.model
  const { sym, plan } = analyse(eqs)
  checkPersistence(model, sym.parameters)
  const T = plan.T
  const n = plan.nEndo
  const { blocks, linear } = plan
  const periods = periodLabels(model.calendar)
  const blockInfo = blocks.map((b, i) => ({ variables: b.variables.map((j) => sym.endogenous[j]!), simultaneous: b.simultaneous, linear: linear[i]! }))
  const fail = (block: number, t: number, iterations: number, residual: number): never => {
    throw new ConvergenceError({ variables: blockInfo[block]!.variables, period: periods[t]!, iterations, residual })
  }
  const central = { params: Float64Array.from(sym.parameters, (name) => model.parameters[name]!.value), exo: centralExo(sym.exoValues, T) }
  // One kernel per set of observed variables (those fixed in some period): unobserved variables carry no surprise code.
  const kernels = new Map<string, Kernel>()
  const kernelFor = (fixed: Uint8Array): Kernel => {
    const observed = new Set<number>()
    for (let i = 0; i < fixed.length; i++) if (fixed[i] !== 0) observed.add(i % n)
    const key = [...observed].sort((a, b) => a - b).join(",")
    let k = kernels.get(key)
    if (k === undefined) {
      k = buildKernel(plan, observed, fail).kernel
      warmUp(k, plan, central, observed)
      kernels.set(key, k)
    }
    return k
  }
  kernelFor(new Uint8Array(0))
  const nx = sym.exogenous.length
  const np = sym.parameters.length
  const check = (what: string, actual: number, expected: number): void => {
    if (actual !== expected) throw new RangeError(`simulate: ${what} has length ${actual}, expected ${expected}`)
  }
  return {
    model,
    periods,
    periodsPerYear: periodsPerYear(model.calendar.frequency),
    endogenous: sym.endogenous,
    exogenous: sym.exogenous,
    parameters: sym.parameters,
    blocks: blockInfo,
    affine: affineInErrors(plan.rhs),
    affineIn: (params, exo) => affineIn(plan.rhs, params, exo),
    simulate(input: SimulationInput, out: Float64Array): void {
      const D = input.draws
      if (!Number.isInteger(D) || D < 0) throw new RangeError(`simulate: draws must be a non-negative integer, got ${D}`)
      check("params", input.params.length, D * np)
      check("exo", input.exo.length, D * T * nx)
      check("addFactors", input.addFactors.length, D * T * n)
      check("fixed", input.fixed.length, T * n)
      check("fixedValues", input.fixedValues.length, T * n)
      check("out", out.length, D * T * n)
      const kernel = kernelFor(input.fixed)
      // Draws in slices: a long first call would run unoptimised until on-stack replacement; slices pick up optimised code as soon as it is ready.
      for (let d = 0; d < D; d += DRAW_SLICE) kernel(d, Math.min(D, d + DRAW_SLICE), out, input.params, input.exo, input.addFactors, input.fixed, input.fixedValues)
    },
  }
}

// Symbols, equations, block order and Jacobians: everything about a model the kernel needs.
const analyse = (eqs: ModelEquations): { sym: SymbolTable; plan: KernelPlan } => {
  const { model, symbols: sym, equations } = eqs
  const rhs = equations.map((e) => e.solved)
  const reads = rhs.map(currentEndogenous)
  const blocks = blockOrder(reads).map((b) => (b.simultaneous ? { ...b, variables: sweepOrder(reads, b.variables) } : b))
  const jacobians = blocks.map((b) => (b.simultaneous ? blockJacobian(b.variables.map((j) => rhs[j]!), b.variables) : undefined))
  const linear = blocks.map((b, i) => !b.simultaneous || (jacobians[i] !== undefined && isLinear(jacobians[i]!, b.variables)))
  const plan: KernelPlan = {
    T: horizonOf(model.calendar),
    nEndo: sym.endogenous.length,
    nExo: sym.exogenous.length,
    nParam: sym.parameters.length,
    rhs,
    endoHistory: sym.endoHistory,
    exoHistory: sym.exoHistory,
    blocks,
    jacobians,
    linear,
    decay: model.observation.decay,
    method: model.solver.method,
    tolerance: model.solver.tolerance,
    maxIterations: model.solver.maxIterations,
  }
  return { sym, plan }
}

/** The generated source of a model's kernel (for inspection and tests); `observed` lists variables that may be fixed. */
export const kernelSource = (model: Model, observed: readonly string[] = []): string => {
  const eqs = modelEquations(model)
  if (readsLeads(eqs)) throw new ModelError({ path: ["equations"], problem: "a forward-looking model is solved by the stacked-time solver, which has no generated kernel" })
  const { sym, plan } = analyse(eqs)
  const obs = new Set(observed.map((name) => sym.endogenous.indexOf(name)).filter((j) => j >= 0))
  return buildKernel(plan, obs, () => {
    throw new Error("unreachable")
  }).source
}

/**
 * A SimulationInput for `draws` runs at the model's central values: parameters at their
 * `value`, exogenous series at their `values`, zero add-factors, nothing fixed. Projection
 * starts from it and adds events and draws.
 */
export function centralInputs(compiled: CompiledModel, draws: number): SimulationInput {
  const m = compiled.model
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  const np = compiled.parameters.length
  const nx = compiled.exogenous.length
  const params = new Float64Array(draws * np)
  compiled.parameters.forEach((name, i) => {
    const v = m.parameters[name]!.value
    for (let d = 0; d < draws; d++) params[d * np + i] = v
  })
  const exo = new Float64Array(draws * T * nx)
  compiled.exogenous.forEach((name, i) => {
    // compile wrote out every series' values (data.ts)
    const values = m.exogenous[name]!.values!
    for (let t = 0; t < T; t++) {
      const v = typeof values === "number" ? values : values[t]!
      for (let d = 0; d < draws; d++) exo[(d * T + t) * nx + i] = v
    }
  })
  return { draws, params, exo, addFactors: new Float64Array(draws * T * n), fixed: new Uint8Array(T * n), fixedValues: new Float64Array(T * n) }
}

/** Overrides for a deterministic run: a number stands for every period. */
export interface RunOverrides {
  readonly params?: Readonly<Record<string, number>>
  /** Per exogenous series, one value for every period or one per horizon period. */
  readonly exogenous?: Readonly<Record<string, number | readonly number[]>>
  /** Per endogenous variable, add-factors from the first period; periods past the end of a list get none. */
  readonly addFactors?: Readonly<Record<string, number | readonly number[]>>
  /** Observed values per variable and period; null (or a missing period) leaves the period free. */
  readonly fixed?: Readonly<Record<string, readonly (number | null)[]>>
}

/**
 * One deterministic run at central values (with optional overrides): per endogenous variable,
 * its value in each horizon period.
 * @throws ModelError when an override names something the model does not have, or gives an
 *   exogenous series a list of values that is not one per period
 * @throws ConvergenceError when a simultaneous block does not converge
 */
export function simulateOne(compiled: CompiledModel, overrides: RunOverrides = {}): Record<string, number[]> {
  const input = centralInputs(compiled, 1)
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  const nx = compiled.exogenous.length
  const indexIn = (list: readonly string[], name: string, what: string): number => {
    const i = list.indexOf(name)
    if (i < 0) throw new ModelError({ path: [what, name], problem: `"${name}" is not ${what === "parameters" ? "a parameter" : what === "exogenous" ? "an exogenous series" : "an endogenous variable"} of the model` })
    return i
  }
  const series = (v: number | readonly number[], t: number): number => (typeof v === "number" ? v : v[t]!)
  for (const [name, v] of Object.entries(overrides.params ?? {})) input.params[indexIn(compiled.parameters, name, "parameters")] = v
  for (const [name, v] of Object.entries(overrides.exogenous ?? {})) {
    const i = indexIn(compiled.exogenous, name, "exogenous")
    if (typeof v !== "number" && v.length !== T)
      throw new ModelError({ path: ["exogenous", name], problem: `${v.length} values for a horizon of ${T} periods: give one value per period, or a single number` })
    for (let t = 0; t < T; t++) input.exo[t * nx + i] = series(v, t)
  }
  for (const [name, v] of Object.entries(overrides.addFactors ?? {})) {
    const j = indexIn(compiled.endogenous, name, "endogenous")
    for (let t = 0; t < T; t++) input.addFactors[t * n + j] = series(v, t) ?? 0
  }
  for (const [name, v] of Object.entries(overrides.fixed ?? {})) {
    const j = indexIn(compiled.endogenous, name, "endogenous")
    v.forEach((x, t) => {
      if (x !== null && x !== undefined && t < T) {
        input.fixed[t * n + j] = 1
        input.fixedValues[t * n + j] = x
      }
    })
  }
  const out = new Float64Array(T * n)
  compiled.simulate(input, out)
  const result: Record<string, number[]> = {}
  compiled.endogenous.forEach((name, j) => {
    result[name] = Array.from({ length: T }, (_, t) => out[t * n + j]!)
  })
  return result
}
