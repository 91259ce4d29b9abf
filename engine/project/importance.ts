// Importance weights, the fallback way of conditioning draws on releases (condition.ts chooses
// it when the model is not affine in its equation errors or an error is not a centred normal):
// each draw keeps its own sampled errors and is weighted by the likelihood of the releases
// given its own path, N(y; ytd(path), R) (evidence.ts). Consistent, but it degenerates with
// many releases (a small effective sample size, which weighted-summary.ts reports);
// resample-move is not implemented. Pure; reuses its buffers from chunk to chunk.
import type { CompiledModel } from "../compile/index.ts"
import { DrawRunner, type DrawPlan } from "./draws.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { HALF_LOG_2PI, releaseWeights, type ConditionedChunk, type Evidence, type ReleaseWeights } from "./evidence.ts"

/** Runs chunks of draws of a plan, each weighted by the releases' likelihood of its own path. */
export class ImportanceRunner {
  readonly chunk: number
  private readonly runner: DrawRunner
  private readonly weights: ReleaseWeights
  private readonly growth: Float64Array
  private readonly logWeight: Float64Array
  private readonly params: Float64Array
  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly evidence: readonly Evidence[]
  private readonly P: number

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], chunk: number) {
    this.plan = plan
    this.frames = frames
    this.evidence = evidence
    this.runner = new DrawRunner(compiled, plan, chunk)
    this.chunk = this.runner.chunk
    const P = (this.P = framePeriods(frames))
    this.weights = releaseWeights(frames, evidence, P)
    this.growth = new Float64Array(this.chunk * frames.length * P)
    this.logWeight = new Float64Array(this.chunk)
    this.params = new Float64Array(this.chunk * plan.nParam)
  }

  /** Draws first..first+n-1 (n <= chunk), weighted by the evidence. */
  run(first: number, n: number): ConditionedChunk {
    const { T, nEndo, nParam } = this.plan
    const out = this.runner.run(first, n, true, true, false)
    this.params.set(this.runner.last!.params.subarray(0, n * nParam))
    const P = this.P
    const nI = this.frames.length
    const { w, c0 } = this.weights
    for (let d = 0; d < n; d++) {
      for (let i = 0; i < nI; i++) for (let t = 0; t < P; t++) this.growth[(d * nI + i) * P + t] = out[d * T * nEndo + t * nEndo + this.frames[i].j]
      let lw = 0
      this.evidence.forEach((e, k) => {
        let m = c0[k]
        for (let s = 0; s <= e.through; s++) m += w[k * P + s] * this.growth[(d * nI + e.frame) * P + s]
        const z = (e.ytd - m) / e.sd
        lw += -0.5 * z * z - Math.log(e.sd) - HALF_LOG_2PI
      })
      this.logWeight[d] = lw
    }
    return { n, growth: this.growth, logWeight: this.logWeight, params: this.params }
  }
}
