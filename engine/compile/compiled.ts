// The compiled model's interface: what `compile` returns (compile/index.ts for a backward
// model, forward.ts for one with leads) and the inputs of its batch simulator. Types only.
import type { ResolvedModel } from "../schema/model.ts"

/** Inputs of one batch of runs. All arrays are row-major as documented per field. */
export interface SimulationInput {
  draws: number
  /** draws * nParam: per draw the parameter vector. */
  params: Float64Array
  /** draws * T * nExo: per draw, per period the exogenous values. */
  exo: Float64Array
  /** draws * T * nEndo: add-factors (event shocks + equation errors, pp). */
  addFactors: Float64Array
  /** T * nEndo: 1 where the value is observed (exogenized), shared by all draws. */
  fixed: Uint8Array
  /** T * nEndo: the observed values where fixed is 1. */
  fixedValues: Float64Array
}

/** A compiled model: its index spaces, block structure and batch simulator. */
export interface CompiledModel {
  /** The validated model (defaults filled; data, trends and extensions written out as histories and values, data.ts; equation errors from past errors resolved into normals, past-errors.ts). */
  readonly model: ResolvedModel
  /** Horizon labels, e.g. "2024-01".."2024-12". */
  readonly periods: readonly string[]
  readonly periodsPerYear: number
  /** Endogenous variables (indicators, then `variables`); index = position in the solution vector. */
  readonly endogenous: readonly string[]
  readonly exogenous: readonly string[]
  readonly parameters: readonly string[]
  /**
   * Blocks in solution order; a simultaneous block lists its variables in Gauss-Seidel sweep
   * order. `simultaneous`: solved jointly (Newton or Gauss-Seidel); `linear`: the equations are
   * linear in the block's own variables (a simultaneous linear block takes exactly one Newton
   * step; a recursive block, one evaluation, is reported linear).
   */
  readonly blocks: readonly { variables: string[]; simultaneous: boolean; linear: boolean }[]
  /**
   * Whether every equation is affine in the endogenous values it reads, with coefficients of
   * parameters and numbers only (compile/affine.ts): then a draw's path is affine in its
   * additive errors, the same response in every period, and releases condition it in closed form.
   */
  readonly affine: boolean
  /** Whether the equations are affine jointly in the endogenous values and these parameters and exogenous series (compile/affine.ts). */
  affineIn(params: ReadonlySet<number>, exo: ReadonlySet<number>): boolean
  /**
   * Solve `draws` independent runs over the horizon into out[d*T*nEndo + t*nEndo + j].
   * Per draw and period: x = rhs + addFactor (+ the decaying surprise carried from the last
   * observed period of x); where fixed, x = fixedValue. Allocates nothing per draw.
   * @throws ConvergenceError when a simultaneous block does not converge
   * @throws RangeError when an array has the wrong length
   */
  simulate(input: SimulationInput, out: Float64Array): void
}

