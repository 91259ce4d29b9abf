// Resample-move (Gilks and Berzuini 2001; Chopin 2002): how releases condition the draws when
// the closed form does not apply (condition.ts: a model not affine in its equation errors, or
// an error that is not a centred normal). The N draws are particles (particles.ts), each a
// point z of standard-normal coordinates with prior N(0, I), one per uncertain scalar of the
// draw plan, whose path is the compiled model's own simulation (no release fixed).
//
// The releases are assimilated in period order, one batch per `through` period, each batch's
// likelihood (evidence.ts) tempered in: the particles' log-weights gain the largest fraction
// of it that keeps the effective sample size at RESAMPLE_BELOW * N (bisection; all of it when
// the ESS stays above, and at most MAX_TEMPERING steps per batch). Whenever the ESS is at or
// below that threshold the particles are resampled (systematic resampling) and take MOVES
// Metropolis-Hastings sweeps that leave prior(z) x likelihood(releases so far, the current
// batch's tempered) invariant. The proposal is reversible for a Gaussian fitted to the
// resampled cloud (mean m, INFLATE times its covariance): z' = m + sqrt(1 - beta^2) (z - m) +
// beta L e, beta started at 2.38 / sqrt(D) and adapted after each sweep towards an acceptance
// of TARGET_ACCEPTANCE (beta = 1: independent draws from that Gaussian). Every proposal
// re-simulates the whole path; one that does not converge or is not finite is rejected. A prior
// draw whose solution fails (failures.ts) starts with weight 0 and is never resampled; it is
// listed as failed in the chunk of its draw number; every prior draw failing fails the run.
// Without any resampling this is importance weighting of the prior draws by their own paths.
//
// Streams (rng.ts): draw d starts from its terms' own streams (particles.ts); the resampling
// at tempering step s of the batch of period p draws from "resample:<p>" ("resample:<p>#<s>"
// for s > 0), sweep k after it from "move:<p>:<k>" ("move:<p>#<s>:<k>"), sub-stream: the
// particle's index. Same seed, same bits, whatever the chunk size; the arrival order of
// releases never enters (they come sorted by period, evidence.ts).
//
// Cost: at most N (1 + B * MAX_TEMPERING * MOVES) simulations of the horizon, B the release
// batches (N (1 + R * MOVES) for R resamplings, reported), plus O(N D^2) arithmetic per sweep
// (proposals) and per resampling (the cloud's covariance), D the coordinates; memory
// O(N (D + indicators * periods)). Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan } from "./draws.ts"
import { RandomStream, streamKey, type StreamKey } from "./rng.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { ParticleSimulator } from "./particles.ts"
import { HALF_LOG_2PI, releaseWeights, type ConditionedChunk, type Evidence, type ReleaseWeights } from "./evidence.ts"
import { DrawFailures, type FailedDraw } from "./failures.ts"

/** Metropolis-Hastings sweeps over every particle after each resampling. */
export const MOVES = 10
/** Tempering steps at most per release batch (the last takes the batch's whole likelihood). */
export const MAX_TEMPERING = 8
/** Resample when the effective sample size falls below this share of the draws. */
export const RESAMPLE_BELOW = 0.5
/** The acceptance rate the proposal scale is steered towards (Roberts, Gelman and Gilks 1997). */
const TARGET_ACCEPTANCE = 0.234
/** The proposal's Gaussian is the cloud's with its covariance times this, so that its tails cover the target's. */
const INFLATE = 2
/** A floor on the proposal's sd per coordinate (z units), so a collapsed cloud still moves. */
const FLOOR = 0.01

/** What resample-move did: resampling steps, and the share of proposed moves accepted (null without a move). */
export interface ResampleMoveStats {
  readonly resamplings: number
  readonly acceptance: number | null
}

/** The draws of a plan conditioned on the evidence by resample-move, computed once for all N draws and then read chunk by chunk. */
export class ResampleMoveRunner {
  readonly chunk: number
  readonly stats: ResampleMoveStats
  private z: Float64Array
  private growth: Float64Array
  private params: Float64Array
  /** The particles' parameters as first drawn (the prior draws, in draw order). */
  private readonly priorParams: Float64Array
  /** The prior draws whose solution failed, in draw order (failures.ts): weight 0 from the start. */
  private readonly priorFailed: FailedDraw[] = []
  /** Per particle: the log-likelihood of the batches already assimilated, and of the current one (-Infinity: failed at the start). */
  private logLik: Float64Array
  private batchLik: Float64Array
  private readonly logWeight: Float64Array
  private readonly particles: ParticleSimulator
  private readonly stream = new RandomStream()
  private readonly weights: ReleaseWeights
  private readonly G: number
  private readonly P: number
  private readonly D: number

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly evidence: readonly Evidence[]
  private readonly N: number
  private readonly below: number

  /** `below`: resample when the effective sample size falls below this share of the draws (0: never, plain importance weighting). */
  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], seed: number, chunk: number, draws: number, below = RESAMPLE_BELOW) {
    this.compiled = compiled
    this.plan = plan
    this.evidence = evidence
    if (!(Number.isInteger(draws) && draws > 0)) throw new RangeError("draws must be a positive integer")
    const N = (this.N = draws)
    this.below = below
    const P = (this.P = framePeriods(frames))
    this.particles = new ParticleSimulator(compiled, plan, frames, P, Math.min(chunk, N))
    this.chunk = this.particles.chunk
    this.G = this.particles.G
    const D = (this.D = this.particles.dimension)
    this.weights = releaseWeights(frames, evidence, P)
    this.z = new Float64Array(N * D)
    this.growth = new Float64Array(N * this.G)
    this.params = new Float64Array(N * plan.nParam)
    this.priorParams = new Float64Array(N * plan.nParam)
    this.logLik = new Float64Array(N)
    this.batchLik = new Float64Array(N)
    this.logWeight = new Float64Array(N)
    this.stats = this.assimilate(seed)
  }

  /** Draws first..first+n-1 (n <= chunk) of the conditioned ensemble. */
  run(first: number, n: number): ConditionedChunk {
    const G = this.G
    const nParam = this.plan.nParam
    return {
      n,
      failed: this.priorFailed.filter((f) => f.draw >= first && f.draw < first + n),
      growth: this.growth.subarray(first * G, (first + n) * G),
      logWeight: this.logWeight.subarray(first, first + n),
      params: this.params.subarray(first * nParam, (first + n) * nParam),
      priorParams: this.priorParams.subarray(first * nParam, (first + n) * nParam),
    }
  }

  private assimilate(seed: number): ResampleMoveStats {
    const { N, chunk: C, D, G } = this
    const nParam = this.plan.nParam
    const failures = new DrawFailures()
    for (let first = 0; first < N; first += C) {
      const n = Math.min(C, N - first)
      this.particles.prior(this.z, first, n)
      const input = this.particles.solve(this.z, first, n, first)
      for (let d = 0; d < n; d++) {
        this.particles.growth(d, this.growth, first + d)
        if (this.particles.failed[d] === 1) {
          failures.add(first + d, this.particles.reasons[d]!)
          this.priorFailed.push({ draw: first + d, reason: this.particles.reasons[d]! })
        }
      }
      this.params.set(input.params.subarray(0, n * nParam), first * nParam)
    }
    failures.throwIfEvery(N)
    this.priorParams.set(this.params)
    const batches: { through: number; end: number }[] = []
    this.evidence.forEach((e, k) => {
      const last = batches[batches.length - 1]
      if (last !== undefined && last.through === e.through) last.end = k + 1
      else batches.push({ through: e.through, end: k + 1 })
    })
    let beta = Math.min(1, 2.38 / Math.sqrt(Math.max(1, D)))
    let resamplings = 0
    let proposed = 0
    let accepted = 0
    let start = 0
    const threshold = this.below * N
    // a draw failed at the start has weight 0 (its likelihood -Infinity) until a resampling drops it
    for (const f of this.priorFailed) this.logWeight[f.draw] = this.logLik[f.draw] = -Infinity
    for (const b of batches) {
      for (let i = 0; i < N; i++) this.batchLik[i] = this.logLik[i] === -Infinity ? -Infinity : this.releaseLogLik(this.growth, i * G, start, b.end)
      const label = this.compiled.periods[b.through]
      // the batch's likelihood tempered in: each step as far as keeps the ESS at the threshold
      let phi = 0
      for (let step = 0; phi < 1; step++) {
        let next = 1
        if (step < MAX_TEMPERING - 1 && this.ess(1 - phi) < threshold) {
          let lo = 0
          let hi = 1 - phi
          for (let it = 0; it < 50; it++) {
            const mid = 0.5 * (lo + hi)
            if (this.ess(mid) >= threshold) lo = mid
            else hi = mid
          }
          next = phi + Math.max(lo, 1e-9)
        }
        for (let i = 0; i < N; i++) this.logWeight[i] += (next - phi) * this.batchLik[i]
        phi = next
        if (phi === 1 && this.ess(0) >= threshold) break
        const tag = `${label}${step > 0 ? `#${step}` : ""}`
        this.resample(streamKey(seed, `resample:${tag}`))
        resamplings++
        if (D === 0) continue
        const cloud = this.cloud()
        for (let k = 0; k < MOVES; k++) {
          const a = this.sweep(streamKey(seed, `move:${tag}:${k}`), cloud, beta, start, b.end, phi)
          proposed += N
          accepted += a
          beta = Math.min(1, beta * Math.exp(2 * (a / N - TARGET_ACCEPTANCE)))
        }
      }
      for (let i = 0; i < N; i++) this.logLik[i] += this.batchLik[i]
      start = b.end
    }
    return { resamplings, acceptance: proposed > 0 ? accepted / proposed : null }
  }

  /** The log-likelihood of releases k0..k1-1 given the growths at `g[at..]`. */
  private releaseLogLik(g: Float64Array, at: number, k0: number, k1: number): number {
    const { w, c0 } = this.weights
    const P = this.P
    let ll = 0
    for (let k = k0; k < k1; k++) {
      const e = this.evidence[k]
      let m = c0[k]
      const gi = at + e.frame * P
      for (let s = 0; s <= e.through; s++) m += w[k * P + s] * g[gi + s]
      const r = (e.ytd - m) / e.sd
      ll += -0.5 * r * r - Math.log(e.sd) - HALF_LOG_2PI
    }
    return ll
  }

  /** The effective sample size of the weights with `delta` times the current batch's log-likelihood added. */
  private ess(delta: number): number {
    // a particle failed at the start has weight 0 whatever delta (0 * -Infinity would be NaN)
    const lw = (i: number): number => (this.logWeight[i] === -Infinity ? -Infinity : this.logWeight[i] + delta * this.batchLik[i])
    let ref = -Infinity
    for (let i = 0; i < this.N; i++) ref = Math.max(ref, lw(i))
    let s = 0
    let s2 = 0
    for (let i = 0; i < this.N; i++) {
      const w = Math.exp(lw(i) - ref)
      s += w
      s2 += w * w
    }
    return (s * s) / s2
  }

  /** Systematic resampling by the weights; afterwards every weight is equal. */
  private resample(key: StreamKey): void {
    const { N, D, G } = this
    const nParam = this.plan.nParam
    let ref = -Infinity
    for (let i = 0; i < N; i++) ref = Math.max(ref, this.logWeight[i])
    let total = 0
    for (let i = 0; i < N; i++) total += Math.exp(this.logWeight[i] - ref)
    this.stream.reset(key, 0)
    const u0 = this.stream.uniform()
    const z = new Float64Array(this.z.length)
    const growth = new Float64Array(this.growth.length)
    const params = new Float64Array(this.params.length)
    const logLik = new Float64Array(N)
    const batchLik = new Float64Array(N)
    let i = 0
    let cum = Math.exp(this.logWeight[0] - ref) / total
    for (let j = 0; j < N; j++) {
      const u = (u0 + j) / N
      // a particle of weight 0 (failed at the start) is never taken
      while ((cum < u || this.logWeight[i] === -Infinity) && i < N - 1) cum += Math.exp(this.logWeight[++i] - ref) / total
      // the last particles failed and rounding left cum short of u: the last one of weight > 0
      let k = i
      while (this.logWeight[k] === -Infinity) k--
      z.set(this.z.subarray(k * D, (k + 1) * D), j * D)
      growth.set(this.growth.subarray(k * G, (k + 1) * G), j * G)
      params.set(this.params.subarray(k * nParam, (k + 1) * nParam), j * nParam)
      logLik[j] = this.logLik[k]
      batchLik[j] = this.batchLik[k]
    }
    this.z = z
    this.growth = growth
    this.params = params
    this.logLik = logLik
    this.batchLik = batchLik
    this.logWeight.fill(0)
  }

  /** The cloud's mean, and the lower Cholesky factor of INFLATE times its covariance plus FLOOR^2 I (D x D, row-major). */
  private cloud(): { mean: Float64Array; L: Float64Array } {
    const { N, D } = this
    const mean = new Float64Array(D)
    for (let i = 0; i < N; i++) for (let a = 0; a < D; a++) mean[a] += this.z[i * D + a]
    for (let a = 0; a < D; a++) mean[a] /= N
    const S = new Float64Array(D * D)
    const dz = new Float64Array(D)
    for (let i = 0; i < N; i++) {
      for (let a = 0; a < D; a++) dz[a] = this.z[i * D + a] - mean[a]
      for (let a = 0; a < D; a++) {
        const x = dz[a]
        for (let c = 0; c <= a; c++) S[a * D + c] += x * dz[c]
      }
    }
    const L = new Float64Array(D * D)
    for (let a = 0; a < D; a++)
      for (let c = 0; c <= a; c++) {
        let s = (INFLATE * S[a * D + c]) / N + (a === c ? FLOOR * FLOOR : 0)
        for (let k = 0; k < c; k++) s -= L[a * D + k] * L[c * D + k]
        L[a * D + c] = a === c ? Math.sqrt(Math.max(s, FLOOR * FLOOR)) : s / L[c * D + c]
      }
    return { mean, L }
  }

  /**
   * One Metropolis-Hastings sweep over every particle, targeting the likelihood of the releases
   * before `start` times that of the batch start..end-1 to the power `phi`; returns the moves
   * accepted. The proposal z' = m + sqrt(1 - beta^2) (z - m) + beta L e is
   * reversible for N(m, L L'), the cloud's Gaussian, so the acceptance ratio corrects for that
   * density as well as for the prior; beta = 1 is an independent draw from the cloud's Gaussian.
   */
  private sweep(key: StreamKey, { mean, L }: { mean: Float64Array; L: Float64Array }, beta: number, start: number, end: number, phi: number): number {
    const { N, chunk: C, D, G } = this
    const nParam = this.plan.nParam
    const keep = Math.sqrt(1 - beta * beta)
    const zp = new Float64Array(C * D)
    const y = new Float64Array(D)
    const logRatio = new Float64Array(C)
    const logU = new Float64Array(C)
    const row = new Float64Array(G)
    let accepted = 0
    for (let first = 0; first < N; first += C) {
      const n = Math.min(C, N - first)
      for (let d = 0; d < n; d++) {
        const zo = (first + d) * D
        // y = L^-1 (z - m); the proposal's y' = keep y + beta e
        for (let a = 0; a < D; a++) {
          let s = this.z[zo + a] - mean[a]
          for (let c = 0; c < a; c++) s -= L[a * D + c] * y[c]
          y[a] = s / L[a * D + a]
        }
        this.stream.reset(key, first + d)
        let lr = 0
        for (let a = 0; a < D; a++) {
          const e = this.stream.normal()
          const yp = keep * y[a] + beta * e
          lr += 0.5 * (yp * yp - y[a] * y[a])
          y[a] = yp
        }
        logU[d] = Math.log(this.stream.uniform())
        for (let a = 0; a < D; a++) {
          let x = mean[a]
          for (let c = 0; c <= a; c++) x += L[a * D + c] * y[c]
          const z = this.z[zo + a]
          zp[d * D + a] = x
          lr += 0.5 * (z * z - x * x)
        }
        logRatio[d] = lr
      }
      const input = this.particles.solve(zp, 0, n)
      for (let d = 0; d < n; d++) {
        if (this.particles.failed[d] === 1) continue
        const i = first + d
        this.particles.growth(d, row, 0)
        const before = this.releaseLogLik(row, 0, 0, start)
        const batch = this.releaseLogLik(row, 0, start, end)
        if (!(logU[d] < before - this.logLik[i] + phi * (batch - this.batchLik[i]) + logRatio[d])) continue
        accepted++
        this.z.set(zp.subarray(d * D, (d + 1) * D), i * D)
        this.growth.set(row, i * G)
        this.params.set(input.params.subarray(d * nParam, (d + 1) * nParam), i * nParam)
        this.logLik[i] = before
        this.batchLik[i] = batch
      }
    }
    return accepted
  }
}
