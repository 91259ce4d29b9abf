// The closed form of conditioning draws on releases ("kalman", chosen in condition.ts when the
// model is affine in its errors with per-draw coefficients, CompiledModel.affine, and every
// equation error is a centred normal). For one draw, with its parameters, exogenous draws and
// shocks fixed, the path is g = g0 + sum_q sum_tau c_tau eps[q,tau] K_q[t - tau], where g0 is
// the path without errors, eps are the errors' standard-normal innovations (q an equation with
// an error, tau a period; c_0 = 1, c_tau = sqrt(1 - rho_q^2)) and K_q the response to
// u_q[t] = sd_q rho_q^t, simulated once per draw and error (responses.ts; the response to an
// innovation at tau is the same, shifted by tau). So y = m + H eps + v is linear-Gaussian
// (the observation model, evidence.ts): the draw's weight is its marginal likelihood
// N(y; m, S), S = H H' + R (errors integrated out), and the errors are drawn from their exact
// posterior by pathwise conditioning, eps* = eps + H' S^-1 (y - m - H eps - v), with eps and v
// the draw's own prior streams (so without releases eps* = eps). The linear sources (Gaussian
// parameters and exogenous series the model is affine in) join eps as further innovations.
// Only the rest (other parameters, exogenous draws, shocks) is weighted; within a draw the
// conditioning is exact. A draw's conditioned path is that linear combination of its
// simulations (no further solve), so a draw fails (failures.ts) when one of its simulations
// fails (responses.ts) or its weight or conditioned path is not finite: it gets weight 0
// (log-weight -Infinity) and is listed in the chunk's `failed`.
// Prefixes (runSteps): S's leading k x k block, its Cholesky factor's leading block, and the
// first k forward-substituted residuals depend only on the first k releases, so one draw's
// factorisation of K releases serves every prefix of them (a backtest's steps) with the same
// bits as a factorisation of the prefix alone; only the solves and posterior paths are per
// prefix. Pure; reuses its buffers from chunk to chunk.
import type { CompiledModel } from "../compile/index.ts"
import type { DrawPlan, UncertainTerm } from "./draws.ts"
import { RandomStream, type StreamKey } from "./rng.ts"
import { STANDARD_NORMAL, sampleDraws } from "./distributions.ts"
import { framePeriods, type IndicatorFrame } from "./frames.ts"
import { ytdConstant, ytdWeights } from "../ytd.ts"
import { HALF_LOG_2PI, noiseKeys, releaseWeights, type ConditionedChunk, type Evidence } from "./evidence.ts"
import { ChunkResponses } from "./responses.ts"
import { choleskyInPlace, releaseCovariance, substitute } from "./cholesky.ts"
import { NonFiniteError } from "../errors.ts"
import type { DrawFailure, FailedDraw } from "./failures.ts"

/** Runs chunks of draws of a plan conditioned on the evidence in closed form. */
export class KalmanRunner {
  readonly chunk: number
  /** Gaussian parameters and exogenous draws the path is affine in: conditioned in closed form with the errors. */
  readonly linear: readonly UncertainTerm[]
  private readonly responses: ChunkResponses
  private readonly errors: readonly UncertainTerm[]
  private readonly noiseKeys: StreamKey[]
  private readonly stream = new RandomStream()
  /** The chunk's prior innovations, z[d * Q * P + t * Q + q], and release noise, v[d * K + k]: standard normals. */
  private readonly z: Float64Array
  private readonly v: Float64Array
  private readonly growth: Float64Array
  private readonly logWeight: Float64Array
  private readonly params: Float64Array
  // per-draw linear algebra scratch
  private readonly w: Float64Array // release weights over periods: w[k * P + s]
  /** Per release: the constant of the affine ytd (calendar-day weights; 0 without). */
  private readonly c0: Float64Array
  private readonly H: Float64Array
  private readonly S: Float64Array
  private readonly eps: Float64Array
  private readonly eps0: Float64Array
  private readonly r1: Float64Array
  private readonly r2: Float64Array
  private readonly m0: Float64Array
  private readonly mh: Float64Array
  private readonly c: Float64Array
  private readonly tmax: number
  private readonly through: Int32Array
  private readonly sdOf: Float64Array
  private readonly frameOf: Int32Array
  private readonly ytdOf: Float64Array
  private readonly jOf: Int32Array
  private readonly keys: readonly (readonly StreamKey[])[]
  private readonly nE: number
  /** Per indicator's annual: its weights over the periods and its constant. */
  private readonly wA: Float64Array
  private readonly cA: Float64Array
  private readonly Arow: Float64Array
  private readonly B: Float64Array
  private readonly a0: Float64Array
  /** logDetAt[k]: the log determinant of the leading k x k block of S's factor; factored: the rows factored (K unless S is not positive definite). */
  private readonly logDetAt: Float64Array
  private factored = 0
  private steps: { growth: Float64Array; logWeight: Float64Array; params: Float64Array }[] = []

  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly evidence: readonly Evidence[]
  private readonly P: number
  private readonly endogenous: readonly string[]
  private readonly periods: readonly string[]

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], seed: number, chunk: number, linear: readonly UncertainTerm[]) {
    this.plan = plan
    this.endogenous = compiled.endogenous
    this.periods = compiled.periods
    this.frames = frames
    this.evidence = evidence
    this.linear = linear
    this.responses = new ChunkResponses(compiled, plan, frames, linear, chunk)
    this.chunk = this.responses.chunk
    this.errors = this.responses.errors
    const P = (this.P = framePeriods(frames))
    const C = this.chunk
    const nI = frames.length
    const L = linear.length
    this.noiseKeys = noiseKeys(compiled, evidence, seed)
    this.growth = new Float64Array(C * nI * P)
    this.logWeight = new Float64Array(C)
    this.params = new Float64Array(C * plan.nParam)
    const K = evidence.length
    ;({ w: this.w, c0: this.c0 } = releaseWeights(frames, evidence, P))
    this.tmax = evidence.reduce((m, e) => Math.max(m, e.through), -1)
    const nE = (this.nE = this.errors.length * (this.tmax + 1) + L)
    this.H = new Float64Array(K * nE)
    this.S = new Float64Array(K * K)
    this.eps = new Float64Array(this.errors.length * P + L)
    this.eps0 = new Float64Array(this.eps.length)
    this.z = new Float64Array(C * this.errors.length * P)
    this.v = new Float64Array(C * K)
    this.m0 = new Float64Array(K)
    this.mh = new Float64Array(K)
    this.c = new Float64Array(this.errors.length)
    this.through = Int32Array.from(evidence, (e) => e.through)
    this.sdOf = Float64Array.from(evidence, (e) => e.sd)
    this.frameOf = Int32Array.from(evidence, (e) => e.frame)
    this.ytdOf = Float64Array.from(evidence, (e) => e.ytd)
    this.jOf = Int32Array.from(frames, (f) => f.j)
    this.keys = this.errors.map((t) => t.error!.keys)
    // annual growth as weights over the periods
    this.wA = new Float64Array(nI * P)
    this.cA = new Float64Array(nI)
    frames.forEach((f, i) => {
      ytdWeights(f.kind, f.b, P - 1, this.wA, i * P)
      this.cA[i] = ytdConstant(f.kind, f.b, P - 1)
    })
    this.Arow = new Float64Array(nE)
    this.B = new Float64Array(nI * K)
    this.a0 = new Float64Array(nI)
    this.r1 = new Float64Array(K)
    this.r2 = new Float64Array(K)
    this.logDetAt = new Float64Array(K + 1)
  }

  /** Draws first..first+n-1 (n <= chunk), conditioned on the evidence. */
  run(first: number, n: number): ConditionedChunk {
    this.responses.run(first, n)
    this.sample(first, n)
    this.params.set(this.responses.params.subarray(0, n * this.plan.nParam))
    const failed: FailedDraw[] = []
    for (let d = 0; d < n; d++) {
      const reason = this.responses.failed[d] === 1 ? this.responses.reasons[d]! : this.conditioned(d, first)
      if (reason === undefined) continue
      this.logWeight[d] = -Infinity
      failed.push({ draw: first + d, reason })
    }
    return { n, growth: this.growth, logWeight: this.logWeight, params: this.params, failed }
  }

  /** Conditions draw d of the chunk (its responses solved): its log-weight and posterior paths; why it failed when they are not finite. */
  private conditioned(d: number, first: number): DrawFailure | undefined {
    this.factor(d)
    const lw = (this.logWeight[d] = this.solve(this.ytdOf))
    this.posteriorPath(d)
    return this.nonFinite(d, first, lw, this.growth)
  }

  /** Why draw d of the chunk failed when its log-weight `lw` or a conditioned path in `growth` is not finite. */
  private nonFinite(d: number, first: number, lw: number, growth: Float64Array): DrawFailure | undefined {
    const P = this.P
    const nI = this.frames.length
    for (let i = 0; i < nI; i++)
      for (let t = 0; t < P; t++) {
        const g = growth[(d * nI + i) * P + t]
        if (g - g !== 0 || lw - lw !== 0)
          return new NonFiniteError({ variables: [this.endogenous[this.jOf[i]]], period: this.periods[t], value: String(g - g !== 0 ? g : lw), draw: first + d })
      }
    return undefined
  }

  /**
   * Draws first..first+n-1 (n <= chunk) conditioned on prefixes of the evidence at once: step s
   * on its first releases[s] releases with values ytd[s] (the evidence's own sd, series and
   * periods), each the same bits as a runner of that prefix alone gives (see the file header).
   * The chunks returned are valid until the next call.
   */
  runSteps(first: number, n: number, steps: readonly { readonly releases: number; readonly ytd: ArrayLike<number> }[]): ConditionedChunk[] {
    const C = this.chunk
    const nP = this.plan.nParam
    const K = this.evidence.length
    while (this.steps.length < steps.length) this.steps.push({ growth: new Float64Array(this.growth.length), logWeight: new Float64Array(C), params: new Float64Array(C * nP) })
    for (const s of steps) if (!(Number.isInteger(s.releases) && s.releases >= 0 && s.releases <= K)) throw new RangeError(`a step conditions on 0..${K} releases, not ${s.releases}`)
    this.responses.run(first, n)
    this.sample(first, n)
    const G = this.frames.length * this.P
    steps.forEach((_, s) => this.steps[s].params.set(this.responses.params.subarray(0, n * nP)))
    const failed: FailedDraw[][] = steps.map(() => [])
    for (let d = 0; d < n; d++) {
      const reason = this.responses.failed[d] === 1 ? this.responses.reasons[d]! : undefined
      if (reason === undefined) this.factor(d, 0)
      steps.forEach((step, s) => {
        const out = this.steps[s]
        let why = reason
        if (why === undefined) {
          out.growth.set(this.growth.subarray(d * G, (d + 1) * G), d * G)
          this.eps.set(this.eps0)
          const lw = (out.logWeight[d] = this.solve(step.ytd, step.releases))
          this.posteriorPath(d, step.releases, out.growth, out.params)
          why = this.nonFinite(d, first, lw, out.growth)
        }
        if (why === undefined) return
        out.logWeight[d] = -Infinity
        failed[s]!.push({ draw: first + d, reason: why })
      })
    }
    return steps.map((_, s) => ({ n, growth: this.steps[s].growth, logWeight: this.steps[s].logWeight, params: this.steps[s].params, failed: failed[s]! }))
  }

  /**
   * Nowcasts of many worlds at once from the same draws (calibrate.ts): ys[w * K + k] is world
   * w's release k. For draws first..first+n-1 writes the log-weight to lw[w * stride + first + d]
   * and the annual growth of indicator i to annual[(w * stride + first + d) * nI + i]. The draws'
   * factorisations are shared by every world; only the solves are per world.
   */
  runWorlds(first: number, n: number, ys: Float64Array, worlds: number, stride: number, lw: Float64Array, annual: Float64Array): void {
    this.responses.run(first, n)
    this.sample(first, n)
    const K = this.evidence.length
    const nI = this.frames.length
    const P = this.P
    const { eps, r2, H, B, a0, wA } = this
    const { resp, respL } = this.responses
    const nE = this.nE
    const Q = this.errors.length
    const tm = this.tmax + 1
    const nQ = Q * tm
    const eL = Q * P
    const C = this.chunk
    for (let d = 0; d < n; d++) {
      // a calibration needs every draw: one that fails fails it
      if (this.responses.failed[d] === 1) throw this.responses.reasons[d]!
      this.factor(d)
      // annual_i = a0_i + A_i eps0 + (A_i H') alpha, A_i the annual's response to each innovation
      for (let i = 0; i < nI; i++) {
        let a = this.cA[i]
        const at = (d * nI + i) * P
        for (let t = 0; t < P; t++) a += wA[i * P + t] * this.growth[at + t] // the base path, set by factor
        const Arow = this.Arow
        Arow.fill(0)
        for (let q = 0; q < Q; q++) {
          const row = ((q * C + d) * nI + i) * P
          for (let tau = 0; tau < P; tau++) {
            let s = 0
            for (let t = tau; t < P; t++) s += wA[i * P + t] * resp[row + t - tau]
            const v = (tau === 0 ? 1 : this.c[q]) * s
            a += v * eps[tau * Q + q]
            if (tau < tm) Arow[tau * Q + q] = v
          }
        }
        for (let l = 0; l < this.linear.length; l++) {
          const row = ((l * C + d) * nI + i) * P
          let s = 0
          for (let t = 0; t < P; t++) s += wA[i * P + t] * respL[row + t]
          a += s * eps[eL + l]
          Arow[nQ + l] = s
        }
        a0[i] = a
        for (let k = 0; k < K; k++) {
          let s = 0
          for (let x = 0; x < nE; x++) s += Arow[x] * H[k * nE + x]
          B[i * K + k] = s
        }
      }
      for (let w = 0; w < worlds; w++) {
        const at = w * stride + first + d
        lw[at] = this.solve(ys.subarray(w * K, (w + 1) * K))
        for (let i = 0; i < nI; i++) {
          let a = a0[i]
          for (let k = 0; k < K; k++) a += B[i * K + k] * r2[k]
          annual[at * nI + i] = a
        }
      }
    }
  }

  /** The prior innovations (the same numbers the unconditioned runner turns into errors) and release noise of draws first..first+n-1. */
  private sample(first: number, n: number): void {
    const Q = this.errors.length
    const QP = Q * this.P
    const K = this.evidence.length
    for (let q = 0; q < Q; q++) for (let t = 0; t < this.P; t++) sampleDraws(STANDARD_NORMAL, this.keys[q][t], this.stream, first, n, this.z, t * Q + q, QP, false)
    for (let k = 0; k < K; k++) sampleDraws(STANDARD_NORMAL, this.noiseKeys[k], this.stream, first, n, this.v, k, K, false)
  }

  /**
   * Draw d of the chunk (its responses run and sampled): its prior innovations (eps0), release matrix H, the releases'
   * prior mean m and m + H eps0 + v (mh), the Cholesky factor of S = H H' + R in S and its log
   * determinant (of every leading block, logDetAt); the draw's base paths in growth. Throws when
   * S's leading `need` x `need` block is not positive definite.
   */
  private factor(d: number, need = this.evidence.length): void {
    const { T, nEndo } = this.plan
    const TE = T * nEndo
    const P = this.P
    const nI = this.frames.length
    const Q = this.errors.length
    const L = this.linear.length
    const C = this.chunk
    const ev = this.evidence
    const K = ev.length
    const tm = this.tmax + 1
    const nQ = Q * tm
    const nE = this.nE
    const eL = Q * P
    const { H, S, eps, eps0, w, c0, c, through, sdOf, frameOf, jOf, m0, mh, growth } = this
    const { resp, respL, base, rho, zl } = this.responses
    const o = d * TE
    for (let q = 0; q < Q; q++) {
      const r = rho[q * C + d]
      c[q] = Math.sqrt(Math.max(0, 1 - r * r))
    }
    for (let l = 0; l < L; l++) eps[eL + l] = zl[d * L + l]
    // prior innovations of the draw: eps[t * Q + q]
    eps.set(this.z.subarray(d * Q * P, (d + 1) * Q * P))
    eps0.set(eps)
    for (let i = 0; i < nI; i++) {
      const at = (d * nI + i) * P
      const j = jOf[i]
      for (let t = 0; t < P; t++) growth[at + t] = base[o + t * nEndo + j]
    }
    // H[k * nE + tau * Q + q] = c_tau sum_{s=tau}^{T_k} w_ks K_q[s - tau], zero for tau > T_k; then the linear sources
    for (let k = 0; k < K; k++) {
      const tk = through[k]
      const jk = jOf[frameOf[k]]
      const wk = k * P
      let m = c0[k]
      for (let s = 0; s <= tk; s++) m += w[wk + s] * base[o + s * nEndo + jk]
      const hk = k * nE
      let he = 0
      for (let q = 0; q < Q; q++) {
        const row = ((q * C + d) * nI + frameOf[k]) * P
        for (let tau = 0; tau < tm; tau++) {
          let h = 0
          if (tau <= tk) {
            for (let s = tau; s <= tk; s++) h += w[wk + s] * resp[row + s - tau]
            if (tau > 0) h *= c[q]
            he += h * eps[tau * Q + q]
          }
          H[hk + tau * Q + q] = h
        }
      }
      for (let l = 0; l < L; l++) {
        const row = ((l * C + d) * nI + frameOf[k]) * P
        let h = 0
        for (let s = 0; s <= tk; s++) h += w[wk + s] * respL[row + s]
        H[hk + nQ + l] = h
        he += h * eps[eL + l]
      }
      m0[k] = m
      mh[k] = m + he + sdOf[k] * this.v[d * K + k]
    }
    // S = H H' + R (lower triangle), then its Cholesky factor in place
    releaseCovariance(H, nE, nQ, Q, through, sdOf, K, S)
    this.factored = choleskyInPlace(S, K, this.logDetAt)
    if (this.factored < need) throw new Error("release covariance is not positive definite")
  }

  /**
   * For the first K releases y (K values) and the factored draw: returns the log marginal
   * likelihood log N(y; m, S) and leaves alpha = S^-1 (y - m - H eps0 - v) in r2.
   */
  private solve(y: ArrayLike<number>, K = this.evidence.length): number {
    const { S, r1, r2, m0, mh } = this
    if (this.factored < K) throw new Error("release covariance is not positive definite")
    const quad = substitute(S, this.evidence.length, K, y, m0, mh, r1, r2)
    return -0.5 * quad - this.logDetAt[K] - K * HALF_LOG_2PI
  }

  /** eps* = eps0 + H' alpha (alpha over the first K releases), and the draw's posterior paths g = g0 + sum c_tau eps*[q,tau] K_q[t - tau] + sum_l eps*[l] R_l in growth (holding g0). */
  private posteriorPath(d: number, K = this.evidence.length, growth = this.growth, params = this.params): void {
    const P = this.P
    const nI = this.frames.length
    const Q = this.errors.length
    const L = this.linear.length
    const C = this.chunk
    const nE = this.nE
    const nQ = Q * (this.tmax + 1)
    const eL = Q * P
    const { H, eps, r2, c, through } = this
    const { resp, respL } = this.responses
    for (let k = 0; k < K; k++) {
      const a = r2[k]
      const hk = k * nE
      const len = (through[k] + 1) * Q
      for (let x = 0; x < len; x++) eps[x] += H[hk + x] * a
      for (let l = 0; l < L; l++) eps[eL + l] += H[hk + nQ + l] * a
    }
    for (let i = 0; i < nI; i++) {
      const at = (d * nI + i) * P
      for (let q = 0; q < Q; q++) {
        const row = ((q * C + d) * nI + i) * P
        for (let tau = 0; tau < P; tau++) {
          const a = (tau === 0 ? 1 : c[q]) * eps[tau * Q + q]
          if (a === 0) continue
          for (let t = tau; t < P; t++) growth[at + t] += a * resp[row + t - tau]
        }
      }
      for (let l = 0; l < L; l++) {
        const a = eps[eL + l]
        const row = ((l * C + d) * nI + i) * P
        for (let t = 0; t < P; t++) growth[at + t] += a * respL[row + t]
      }
    }
    // a linear parameter's reported draw is its posterior draw
    const nParam = this.plan.nParam
    this.linear.forEach((term, l) => {
      if (term.target === "param") params[d * nParam + term.index] = term.distribution.a + term.distribution.b * eps[eL + l]
    })
  }}
