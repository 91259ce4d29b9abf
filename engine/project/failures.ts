// Monte Carlo draws whose solution fails: the one rule every Monte Carlo path of a projection
// follows (unconditioned, kept draws, bands, each way of conditioning on releases). A draw
// fails when a block does not converge in it or a value of it is not finite; it is counted in
// the projection's `failedDraws` and left out of every band, probability and weight. A chunk
// is solved whole; when that throws, it is solved draw by draw, so which draws fail never
// depends on the chunking, and each draw that solved has the bits a whole-chunk solve gives.
// A run whose every draw fails still fails, with the first draw's reason. Pure.
import type { CompiledModel, SimulationInput } from "../compile/index.ts"
import { checkFinite } from "../compile/finite.ts"
import { ConvergenceError, NonFiniteError } from "../errors.ts"
import type { FailedDraws } from "../schema/projection.ts"

/** Why a draw's solution failed. */
export type DrawFailure = ConvergenceError | NonFiniteError

/** Whether `e` is a draw's failure (counted, not fatal) rather than a defect. */
export const isDrawFailure = (e: unknown): e is DrawFailure => e instanceof ConvergenceError || e instanceof NonFiniteError

/** The draws reported in `failedDraws.draws` at most. */
export const FAILED_DRAWS_LISTED = 10

/**
 * Solves the `input.draws` draws of a chunk into `out` and marks in `failed` (1) each draw that
 * did not converge or holds a value that is not finite, with its reason in `reasons`; a draw
 * already marked keeps its first reason (a draw solved several times, as the closed form's
 * responses are, fails at its first failing solve). `firstDraw` numbers the draws in the
 * reasons (undefined: the central run, no number).
 */
export const solveMarking = (
  compiled: CompiledModel,
  input: SimulationInput,
  out: Float64Array,
  failed: Uint8Array,
  reasons: (DrawFailure | undefined)[],
  firstDraw: number | undefined,
): void => {
  const n = input.draws
  const TE = compiled.periods.length * compiled.endogenous.length
  const mark = (d: number, e: DrawFailure): void => {
    if (failed[d] === 1) return
    failed[d] = 1
    reasons[d] = e
  }
  try {
    compiled.simulate(input, out.subarray(0, n * TE))
  } catch (e) {
    if (!(e instanceof ConvergenceError)) throw e
    const nParam = compiled.parameters.length
    const TX = compiled.periods.length * compiled.exogenous.length
    for (let d = 0; d < n; d++) {
      const one: SimulationInput = {
        draws: 1,
        params: input.params.subarray(d * nParam, (d + 1) * nParam),
        exo: input.exo.subarray(d * TX, (d + 1) * TX),
        addFactors: input.addFactors.subarray(d * TE, (d + 1) * TE),
        fixed: input.fixed,
        fixedValues: input.fixedValues,
      }
      try {
        compiled.simulate(one, out.subarray(d * TE, (d + 1) * TE))
      } catch (f) {
        if (!(f instanceof ConvergenceError)) throw f
        mark(d, f)
      }
    }
  }
  for (let d = 0; d < n; d++) {
    if (failed[d] === 1) continue
    const o = d * TE
    let finite = true
    for (let x = o; x < o + TE; x++) {
      const v = out[x]!
      if (v - v !== 0) {
        finite = false
        break
      }
    }
    if (finite) continue
    try {
      checkFinite(compiled, out.subarray(o, o + TE), 1)
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e
      mark(d, new NonFiniteError({ variables: e.variables, period: e.period, value: e.value, draw: firstDraw === undefined ? undefined : firstDraw + d }))
    }
  }
}

/** The failed draws of a run, counted in draw order: the count, the first FAILED_DRAWS_LISTED numbers, the first reason. */
export class DrawFailures {
  count = 0
  readonly draws: number[] = []
  first?: DrawFailure

  /** Counts draw `draw` (numbers added in increasing order) as failed for `reason`. */
  add(draw: number, reason: DrawFailure): void {
    this.count++
    if (this.draws.length < FAILED_DRAWS_LISTED) this.draws.push(draw)
    this.first ??= reason
  }

  /** Throws the first reason when all `total` draws failed (a run with nothing to summarise). */
  throwIfEvery(total: number): void {
    if (total > 0 && this.count === total) throw this.first!
  }

  /** The projection's `failedDraws`, or undefined when no draw failed. */
  report(): FailedDraws | undefined {
    return this.first === undefined ? undefined : { count: this.count, draws: this.draws.slice(), reason: this.first.message }
  }
}

/** A failed draw of a chunk of conditioned draws: its number and reason. */
export interface FailedDraw {
  readonly draw: number
  readonly reason: DrawFailure
}
