// Releases as evidence: Monte Carlo draws conditioned on a scenario's data releases. Sits
// between the draw plan (engine/project/draws.ts: parameters, exogenous draws, shocks and the
// AR(1) equation errors of every draw) and the projection's sketches (project.ts) or the
// calibration check (calibrate.ts).
//
// Observation model: a release k of series i through period T_k is y_k = ytd_i(T_k) + v_k,
// v_k ~ N(0, r_k^2) independent, and year-to-date growth is affine in the period growths:
// ytd(T) = c_T + sum_{s<=T} w_Ts g_s (w = b_s / sum_{s<=T} b for flows and incomes, 1/(T+1) for rates;
// with calendar-day weights w uses the plan-year weights and c_T = ytdConstant, else c_T = 0).
//
// Closed form ("kalman"), when the model is affine in its errors with per-draw coefficients
// (CompiledModel.affine) and every equation error is a centred normal: for one draw, with its
// parameters, exogenous draws and shocks fixed, the path is g = g0 + sum_q sum_tau c_tau
// eps[q,tau] K_q[t - tau], where g0 is the path without errors, eps are the errors'
// standard-normal innovations (q an equation with an error, tau a period; c_0 = 1, c_tau =
// sqrt(1 - rho_q^2)) and K_q the response to u_q[t] = sd_q rho_q^t, simulated once per draw
// and error (the response to an innovation at tau is the same, shifted by tau). So
// y = m + H eps + v is linear-Gaussian: the draw's weight is its marginal likelihood
// N(y; m, S), S = H H' + R (errors integrated out), and the errors are drawn from their exact
// posterior by pathwise conditioning, eps* = eps + H' S^-1 (y - m - H eps - v), with eps and v
// the draw's own prior streams (so without releases eps* = eps). Only parameters, exogenous
// draws and shocks are weighted; within a draw the conditioning is exact.
//
// Fallback ("importance"), when the model is not affine in its errors or an error is not a
// centred normal: each draw keeps its own sampled errors and is weighted by N(y; ytd(path), R).
// This is consistent but degenerates with many releases (a small effective sample size,
// reported); resample-move is not implemented.
//
// Noise streams: v_k from "release:<series>@<period label>", so two scenarios with the same
// releases and seed draw the same noise (common random numbers). Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { ScenarioInputs } from "../scenario/index.ts"
import { clampPersistence, DrawRunner, type DrawPlan, type UncertainTerm } from "./draws.ts"
import { RandomStream, streamKey, type StreamKey } from "./rng.ts"
import type { IndicatorFrame } from "./frames.ts"
import { planWeights, ytdConstant } from "../ytd.ts"

/** One release as evidence. */
export interface Evidence {
  /** The observed indicator's position in the frames (the model's indicators). */
  readonly frame: number
  readonly series: string
  /** 0-based plan-year period of `through`. */
  readonly through: number
  readonly ytd: number
  /** Release noise sd (pp). */
  readonly sd: number
  readonly event: string
}

/** The releases of a scenario's inputs as evidence, in period order then the model's indicator order. */
export const evidenceOf = (compiled: CompiledModel, inputs: ScenarioInputs): Evidence[] => {
  const model = compiled.model
  const out: Evidence[] = []
  for (const o of inputs.observations) {
    const frame = model.indicators.findIndex((i) => i.id === o.indicator)
    const ind = model.indicators[frame]
    for (const r of o.releases) out.push({ frame, series: o.indicator, through: r.through, ytd: r.ytd, sd: r.sd ?? ind.release?.sd ?? model.observation.sd, event: r.event })
  }
  return out.sort((a, b) => a.through - b.through || a.frame - b.frame)
}

/** How releases condition the draws. */
export type Method = "kalman" | "importance"

/** The method a plan allows, with the reason when it is the fallback. */
export const methodOf = (compiled: CompiledModel, plan: DrawPlan): { method: Method; reason?: string } => {
  if (!compiled.affine) return { method: "importance", reason: "the model is not affine in its equation errors (an equation multiplies, divides or transforms endogenous values)" }
  const bad = plan.terms.find((t) => t.error !== undefined && !(t.distribution.a === 0 && (t.distribution.kind === "normal" || t.distribution.kind === "constant")))
  if (bad) return { method: "importance", reason: `the error of ${bad.source.slice("error:".length)} is not a centred normal` }
  return { method: "kalman" }
}

/**
 * The Gaussian sources conditioned in closed form besides the errors: uncertain exogenous
 * series and parameters with a normal distribution (sd > 0) that the equations are affine in,
 * jointly with the endogenous values and with coefficients of other parameters only
 * (CompiledModel.affineIn). Chosen greedily: exogenous series first, then parameters by
 * decreasing sd relative to their value; a persistence parameter never.
 */
export const linearSources = (compiled: CompiledModel, plan: DrawPlan): UncertainTerm[] => {
  const persistence = new Set(plan.terms.flatMap((t) => (t.error !== undefined && t.error.parameter >= 0 ? [t.error.parameter] : [])))
  const normal = (t: UncertainTerm) => t.distribution.kind === "normal" && t.distribution.b > 0
  const exo = plan.terms.filter((t) => t.target === "exo" && t.error === undefined && t.source.startsWith("exogenous:") && normal(t))
  const rel = (t: UncertainTerm) => (t.distribution.a === 0 ? Infinity : t.distribution.b / Math.abs(t.distribution.a))
  const params = plan.terms.filter((t) => t.target === "param" && normal(t) && !persistence.has(t.index)).sort((x, y) => rel(y) - rel(x) || x.index - y.index)
  const ps = new Set<number>()
  const xs = new Set<number>()
  const chosen: UncertainTerm[] = []
  for (const t of [...exo, ...params]) {
    const [set] = t.target === "param" ? [ps] : [xs]
    set.add(t.index)
    if (compiled.affineIn(ps, xs)) chosen.push(t)
    else set.delete(t.index)
  }
  return chosen
}

/** The log normalising constant of a normal density, per dimension. */
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/** Draws of one chunk, conditioned: each draw's indicator growth paths and log-weight. */
export interface ConditionedChunk {
  readonly n: number
  /** growth[(d * nI + i) * P + t]: period growth of indicator i in draw d (plan year). */
  readonly growth: Float64Array
  /** Log marginal likelihood of the releases per draw (up to a constant common to all draws). */
  readonly logWeight: Float64Array
  /** params[d * nParam + p]: the draw's parameters. */
  readonly params: Float64Array
}

/** Runs chunks of conditioned draws of a plan. */
export class ConditionedRunner {
  readonly chunk: number
  readonly method: Method
  private readonly runner: DrawRunner
  private readonly errors: UncertainTerm[]
  private readonly noiseKeys: StreamKey[]
  private readonly stream = new RandomStream()
  private readonly base: Float64Array
  private readonly resp: Float64Array
  private readonly af: Float64Array
  private readonly out: Float64Array
  private readonly growth: Float64Array
  private readonly logWeight: Float64Array
  private readonly params: Float64Array
  private readonly free: Uint8Array
  private readonly none: Float64Array
  // per-draw linear algebra scratch
  private readonly w: Float64Array // release weights over periods: w[k * P + s]
  private readonly H: Float64Array
  private readonly S: Float64Array
  private readonly eps: Float64Array
  private readonly r1: Float64Array
  private readonly r2: Float64Array
  private readonly tmax: number
  /** Gaussian parameters and exogenous draws the path is affine in: conditioned in closed form with the errors. */
  readonly linear: readonly UncertainTerm[]
  private readonly respL: Float64Array
  private readonly zl: Float64Array
  private readonly exo: Float64Array
  private readonly p2: Float64Array
  private readonly x2: Float64Array
  private readonly rho: Float64Array
  private readonly eps0: Float64Array
  private readonly m0: Float64Array
  private readonly mh: Float64Array
  private readonly c: Float64Array
  private readonly through: Int32Array
  private readonly sdOf: Float64Array
  private readonly frameOf: Int32Array
  private readonly ytdOf: Float64Array
  private readonly jOf: Int32Array
  private readonly keys: readonly (readonly StreamKey[])[]
  private readonly nE: number
  private readonly wA: Float64Array
  /** Per release and per indicator's annual: the constant of the affine ytd (calendar-day weights; 0 without). */
  private readonly c0: Float64Array
  private readonly cA: Float64Array
  private readonly Arow: Float64Array
  private readonly B: Float64Array
  private readonly a0: Float64Array
  private logDet = 0

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly evidence: readonly Evidence[]
  private readonly P: number

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], evidence: readonly Evidence[], seed: number, chunk: number, method?: Method) {
    this.compiled = compiled
    this.plan = plan
    this.frames = frames
    this.evidence = evidence
    this.method = method ?? methodOf(compiled, plan).method
    this.runner = new DrawRunner(compiled, plan, chunk)
    this.chunk = this.runner.chunk
    const P = (this.P = frames.length > 0 ? frames[0].b.length : 0)
    const C = this.chunk
    const TE = plan.T * plan.nEndo
    const nI = frames.length
    this.errors = plan.terms.filter((t) => t.error !== undefined && t.distribution.kind === "normal")
    this.linear = this.method === "kalman" ? linearSources(compiled, plan) : []
    const L = this.linear.length
    const TX = plan.T * plan.nExo
    this.respL = new Float64Array(L * C * nI * P)
    this.zl = new Float64Array(C * L)
    this.exo = new Float64Array(C * TX)
    this.x2 = new Float64Array(C * TX)
    this.p2 = new Float64Array(C * plan.nParam)
    this.rho = new Float64Array(this.errors.length * C)
    this.noiseKeys = evidence.map((e) => streamKey(seed, `release:${e.series}@${compiled.periods[e.through]}`))
    this.base = new Float64Array(C * TE)
    this.out = new Float64Array(C * TE)
    this.af = new Float64Array(C * TE)
    this.resp = new Float64Array(this.errors.length * C * nI * P)
    this.growth = new Float64Array(C * nI * P)
    this.logWeight = new Float64Array(C)
    this.params = new Float64Array(C * plan.nParam)
    this.free = new Uint8Array(TE)
    this.none = new Float64Array(TE)
    const K = evidence.length
    this.w = new Float64Array(K * P)
    this.c0 = new Float64Array(K)
    evidence.forEach((e, k) => {
      const f = frames[e.frame]
      const fw = planWeights(f.b)
      let sum = 0
      for (let s = 0; s <= e.through; s++) sum += f.kind === "rate" ? 1 : f.b[s]
      for (let s = 0; s <= e.through; s++) this.w[k * P + s] = (f.kind === "rate" ? 1 : fw[s]) / sum
      this.c0[k] = ytdConstant(f.kind, f.b, e.through)
    })
    this.tmax = evidence.reduce((m, e) => Math.max(m, e.through), -1)
    const nE = (this.nE = this.errors.length * (this.tmax + 1) + L)
    this.H = new Float64Array(K * nE)
    this.S = new Float64Array(K * K)
    this.eps = new Float64Array(this.errors.length * P + L)
    this.eps0 = new Float64Array(this.eps.length)
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
      const fw = planWeights(f.b)
      let sum = 0
      for (let t = 0; t < P; t++) sum += f.kind === "rate" ? 1 : f.b[t]
      for (let t = 0; t < P; t++) this.wA[i * P + t] = (f.kind === "rate" ? 1 : fw[t]) / sum
      this.cA[i] = ytdConstant(f.kind, f.b, P - 1)
    })
    this.Arow = new Float64Array(nE)
    this.B = new Float64Array(nI * K)
    this.a0 = new Float64Array(nI)
    this.r1 = new Float64Array(K)
    this.r2 = new Float64Array(K)
  }

  /** Draws first..first+n-1 (n <= chunk), conditioned on the evidence. */
  run(first: number, n: number): ConditionedChunk {
    return this.method === "kalman" ? this.kalman(first, n) : this.importance(first, n)
  }

  private copyParams(n: number): void {
    const nParam = this.plan.nParam
    this.params.set(this.runner.last!.params.subarray(0, n * nParam))
  }

  private importance(first: number, n: number): ConditionedChunk {
    const { T, nEndo } = this.plan
    const out = this.runner.run(first, n, true, true, false)
    this.copyParams(n)
    const P = this.P
    const nI = this.frames.length
    for (let d = 0; d < n; d++) {
      for (let i = 0; i < nI; i++) for (let t = 0; t < P; t++) this.growth[(d * nI + i) * P + t] = out[d * T * nEndo + t * nEndo + this.frames[i].j]
      let lw = 0
      this.evidence.forEach((e, k) => {
        let m = this.c0[k]
        for (let s = 0; s <= e.through; s++) m += this.w[k * P + s] * this.growth[(d * nI + e.frame) * P + s]
        const z = (e.ytd - m) / e.sd
        lw += -0.5 * z * z - Math.log(e.sd) - HALF_LOG_2PI
      })
      this.logWeight[d] = lw
    }
    return { n, growth: this.growth, logWeight: this.logWeight, params: this.params }
  }

  private kalman(first: number, n: number): ConditionedChunk {
    this.prepare(first, n)
    for (let d = 0; d < n; d++) {
      this.factor(first, d)
      this.logWeight[d] = this.solve(this.ytdOf)
      this.posteriorPath(d)
    }
    return { n, growth: this.growth, logWeight: this.logWeight, params: this.params }
  }

  /**
   * Nowcasts of many worlds at once from the same draws (calibrate.ts): ys[w * K + k] is world
   * w's release k. For draws first..first+n-1 writes the log-weight to lw[w * stride + first + d]
   * and the annual growth of indicator i to annual[(w * stride + first + d) * nI + i]. The draws'
   * factorisations are shared by every world; only the solves are per world.
   */
  runWorlds(first: number, n: number, ys: Float64Array, worlds: number, stride: number, lw: Float64Array, annual: Float64Array): void {
    if (this.method !== "kalman") throw new Error("runWorlds needs the closed form")
    this.prepare(first, n)
    const K = this.evidence.length
    const nI = this.frames.length
    const P = this.P
    const { eps, r2, H, B, a0, wA } = this
    const nE = this.nE
    const Q = this.errors.length
    const tm = this.tmax + 1
    const nQ = Q * tm
    const eL = Q * P
    const C = this.chunk
    for (let d = 0; d < n; d++) {
      this.factor(first, d)
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
            for (let t = tau; t < P; t++) s += wA[i * P + t] * this.resp[row + t - tau]
            const v = (tau === 0 ? 1 : this.c[q]) * s
            a += v * eps[tau * Q + q]
            if (tau < tm) Arow[tau * Q + q] = v
          }
        }
        for (let l = 0; l < this.linear.length; l++) {
          const row = ((l * C + d) * nI + i) * P
          let s = 0
          for (let t = 0; t < P; t++) s += wA[i * P + t] * this.respL[row + t]
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

  /** The chunk's inputs, base paths and responses (one simulation per error and linear source). */
  private prepare(first: number, n: number): void {
    const { T, nEndo, nExo, nParam } = this.plan
    const TE = T * nEndo
    const TX = T * nExo
    const P = this.P
    const nI = this.frames.length
    const frames = this.frames
    const Q = this.errors.length
    const L = this.linear.length
    const C = this.chunk
    const base = this.base
    const stream = this.stream
    this.runner.run(first, n, true, false, false, false)
    const last = this.runner.last!
    // the linear sources at their means in the base run; zl[d * L + l] their own standard normals
    const params = this.params
    params.set(last.params.subarray(0, n * nParam))
    const exo = this.exo
    exo.set(last.exo.subarray(0, n * TX))
    const zl = this.zl
    this.linear.forEach((term, l) => {
      const { a, b } = term.distribution
      for (let d = 0; d < n; d++) {
        stream.reset(term.key, first + d)
        const z = stream.normal()
        zl[d * L + l] = z
        if (term.target === "param") params[d * nParam + term.index] = a
        else for (let t = term.first; t <= term.last; t++) exo[d * TX + t * nExo + term.index] -= b * z
      }
    })
    const sim = (p: Float64Array, x: Float64Array, af: Float64Array, out: Float64Array): void =>
      this.compiled.simulate({ draws: n, params: p.subarray(0, n * nParam), exo: x.subarray(0, n * TX), addFactors: af.subarray(0, n * TE), fixed: this.free, fixedValues: this.none }, out.subarray(0, n * TE))
    sim(params, exo, last.addFactors, base)
    const store = (resp: Float64Array, col: number, out: Float64Array): void => {
      for (let d = 0; d < n; d++)
        for (let i = 0; i < nI; i++) {
          const j = frames[i].j
          const row = ((col * C + d) * nI + i) * P
          for (let t = 0; t < P; t++) resp[row + t] = out[d * TE + t * nEndo + j] - base[d * TE + t * nEndo + j]
        }
    }
    // responses K_q: u_q[t] = sd_q rho^t on top of the draw's own inputs
    const rho = this.rho
    for (let q = 0; q < Q; q++) {
      const term = this.errors[q]
      const ar = term.error!
      const sd = term.distribution.b
      this.af.set(last.addFactors.subarray(0, n * TE))
      for (let d = 0; d < n; d++) {
        const r = ar.parameter < 0 ? ar.persistence : clampPersistence(params[d * nParam + ar.parameter])
        rho[q * C + d] = r
        let u = sd
        for (let t = 0; t < T; t++) {
          this.af[d * TE + t * nEndo + term.index] += u
          u *= r
          if (u === 0) break
        }
      }
      sim(params, exo, this.af, this.out)
      store(this.resp, q, this.out)
    }
    // responses of the linear sources: one sd up
    this.linear.forEach((term, l) => {
      const { b } = term.distribution
      if (term.target === "param") {
        this.p2.set(params.subarray(0, n * nParam))
        for (let d = 0; d < n; d++) this.p2[d * nParam + term.index] += b
        sim(this.p2, exo, last.addFactors, this.out)
      } else {
        this.x2.set(exo.subarray(0, n * TX))
        for (let d = 0; d < n; d++) for (let t = term.first; t <= term.last; t++) this.x2[d * TX + t * nExo + term.index] += b
        sim(params, this.x2, last.addFactors, this.out)
      }
      store(this.respL, l, this.out)
    })
  }

  /**
   * Draw d of the prepared chunk: its prior innovations (eps0), release matrix H, the releases'
   * prior mean m and m + H eps0 + v (mh), the Cholesky factor of S = H H' + R in S and its log
   * determinant; the draw's base paths in growth.
   */
  private factor(first: number, d: number): void {
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
    const { H, S, eps, eps0, w, resp, respL, noiseKeys, base, rho, zl, c, through, sdOf, frameOf, jOf, m0, mh, growth, stream } = this
    const o = d * TE
    for (let q = 0; q < Q; q++) {
      const r = rho[q * C + d]
      c[q] = Math.sqrt(Math.max(0, 1 - r * r))
    }
    for (let l = 0; l < L; l++) eps[eL + l] = zl[d * L + l]
    // prior innovations of the draw (the same numbers the unconditioned runner turns into errors): eps[t * Q + q]
    for (let q = 0; q < Q; q++) {
      const kq = this.keys[q]
      for (let t = 0; t < P; t++) {
        stream.reset(kq[t], first + d)
        eps[t * Q + q] = stream.normal()
      }
    }
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
      let m = this.c0[k]
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
      stream.reset(noiseKeys[k], first + d)
      mh[k] = m + he + sdOf[k] * stream.normal()
    }
    // S = H H' + R (lower triangle), then its Cholesky factor in place
    for (let k = 0; k < K; k++) {
      const hk = k * nE
      const tk = through[k]
      for (let l = 0; l <= k; l++) {
        const len = (Math.min(tk, through[l]) + 1) * Q
        const hl = l * nE
        let s = k === l ? sdOf[k] * sdOf[k] : 0
        for (let x = 0; x < len; x++) s += H[hk + x] * H[hl + x]
        for (let x = nQ; x < nE; x++) s += H[hk + x] * H[hl + x]
        S[k * K + l] = s
      }
    }
    let logDet = 0
    for (let k = 0; k < K; k++) {
      const sk = k * K
      for (let l = 0; l <= k; l++) {
        const sl = l * K
        let s = S[sk + l]
        for (let m = 0; m < l; m++) s -= S[sk + m] * S[sl + m]
        if (l === k) {
          if (!(s > 0)) throw new Error("release covariance is not positive definite")
          const root = Math.sqrt(s)
          S[sk + k] = root
          logDet += Math.log(root)
        } else S[sk + l] = s / S[sl + l]
      }
    }
    this.logDet = logDet
  }

  /**
   * For releases y (K values) and the factored draw: returns the log marginal likelihood
   * log N(y; m, S) and leaves alpha = S^-1 (y - m - H eps0 - v) in r2.
   */
  private solve(y: ArrayLike<number>): number {
    const { S, r1, r2, m0, mh } = this
    const K = this.evidence.length
    let quad = 0
    for (let k = 0; k < K; k++) {
      const sk = k * K
      let a = y[k] - m0[k], b = y[k] - mh[k]
      for (let m = 0; m < k; m++) {
        a -= S[sk + m] * r1[m]
        b -= S[sk + m] * r2[m]
      }
      a /= S[sk + k]
      r1[k] = a
      r2[k] = b / S[sk + k]
      quad += a * a
    }
    for (let k = K - 1; k >= 0; k--) {
      let b = r2[k]
      for (let m = k + 1; m < K; m++) b -= S[m * K + k] * r2[m]
      r2[k] = b / S[k * K + k]
    }
    return -0.5 * quad - this.logDet - K * HALF_LOG_2PI
  }

  /** eps* = eps0 + H' alpha, and the draw's posterior paths g = g0 + sum c_tau eps*[q,tau] K_q[t - tau] + sum_l eps*[l] R_l in growth. */
  private posteriorPath(d: number): void {
    const P = this.P
    const nI = this.frames.length
    const Q = this.errors.length
    const L = this.linear.length
    const C = this.chunk
    const K = this.evidence.length
    const nE = this.nE
    const nQ = Q * (this.tmax + 1)
    const eL = Q * P
    const { H, eps, r2, growth, resp, respL, c, through } = this
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
      if (term.target === "param") this.params[d * nParam + term.index] = term.distribution.a + term.distribution.b * eps[eL + l]
    })
  }
}
