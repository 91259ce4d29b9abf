// Monte Carlo bands of any endogenous variable (opt-in, `bands` of ProjectOptions): per asked
// variable and horizon period, the mean, standard deviation and quantiles over the draws, in
// bounded memory (one quantile sketch per variable and period, exact up to its pilot size and
// histogram-based beyond, quantiles.ts; mean and variance by Welford's update, in draw order).
// An accumulator beside the draw loop of project.ts: it reads each chunk's solution and never
// changes how draws are made. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { OptionError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import { PILOT, QuantileSketch } from "./quantiles.ts"
import type { SolutionBands, VariableBand } from "../schema/projection.ts"

/** The variables `asked` names ("all": every endogenous variable). @throws OptionError for an unknown name */
export const bandVariables = (compiled: CompiledModel, asked: readonly string[] | "all"): number[] => {
  if (asked === "all") return compiled.endogenous.map((_, j) => j)
  return asked.map((name) => {
    const j = compiled.endogenous.indexOf(name)
    if (j < 0) throw new OptionError({ option: "bands", problem: `"${name}" is not an endogenous variable of the model${didYouMean(name, compiled.endogenous)} (${compiled.endogenous.join(", ")})` })
    return j
  })
}

/** Accumulates the bands of variables `js` over every period of the horizon. */
export class BandAccumulator {
  private readonly sketches: QuantileSketch[]
  private readonly mean: Float64Array
  private readonly m2: Float64Array
  private readonly count: Float64Array
  private readonly column: Float64Array
  private readonly js: readonly number[]
  private readonly T: number
  private readonly nEndo: number

  constructor(js: readonly number[], T: number, nEndo: number, draws: number, chunk: number) {
    this.js = js
    this.T = T
    this.nEndo = nEndo
    const k = js.length * T
    this.sketches = Array.from({ length: k }, () => new QuantileSketch(Math.min(PILOT, Math.max(1, draws))))
    this.mean = new Float64Array(k)
    this.m2 = new Float64Array(k)
    this.count = new Float64Array(k)
    this.column = new Float64Array(chunk)
  }

  /** Adds the first n draws of a chunk's solution out[d*T*nEndo + t*nEndo + j]. */
  add(out: Float64Array, n: number): void {
    const { T, nEndo, column } = this
    this.js.forEach((j, v) => {
      for (let t = 0; t < T; t++) {
        const k = v * T + t
        let mean = this.mean[k]!
        let m2 = this.m2[k]!
        let c = this.count[k]!
        for (let d = 0; d < n; d++) {
          const x = out[d * T * nEndo + t * nEndo + j]!
          column[d] = x
          c++
          const delta = x - mean
          mean += delta / c
          m2 += delta * (x - mean)
        }
        this.mean[k] = mean
        this.m2[k] = m2
        this.count[k] = c
        this.sketches[k]!.addMany(column, 0, n)
      }
    })
  }

  /** The bands by variable name. */
  result(endogenous: readonly string[]): SolutionBands {
    let quantileError = 0
    const variables: Record<string, VariableBand[]> = {}
    this.js.forEach((j, v) => {
      variables[endogenous[j]!] = Array.from({ length: this.T }, (_, t) => {
        const k = v * this.T + t
        const s = this.sketches[k]!
        quantileError = Math.max(quantileError, s.errorBound())
        const c = this.count[k]!
        return {
          mean: this.mean[k]!,
          sd: c > 1 ? Math.sqrt(this.m2[k]! / (c - 1)) : 0,
          p05: s.quantile(0.05),
          p25: s.quantile(0.25),
          p50: s.quantile(0.5),
          p75: s.quantile(0.75),
          p95: s.quantile(0.95),
        }
      })
    })
    return { variables, quantileError }
  }
}
