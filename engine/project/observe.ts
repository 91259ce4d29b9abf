// The observation rule: data releases (year-to-date growth through a period) turned into the
// fixed (exogenized) values of the compiled model's simulate. Sits between the scenario's
// inputs (engine/scenario toInputs: which periods are observed, the segments (T0, T1] between
// consecutive releases of an indicator and the mean growth each implies) and every run of the
// projection: draws.ts resolves them once per plan, so the deterministic projection, Monte
// Carlo, goal-seek and multipliers all use the same fixed values.
//
// Rule (add-factor targeting, as EViews and bimets do when they exogenize a variable with an
// add-factor): each segment k of an indicator gets ONE common add-factor s_k on the indicator's
// equation over its periods; it goes on decaying after the segment as the model's stated
// surprise rule carries a surprise (s_k * decay^(t - T1)), so in a segment
//   g[t] = gProj[t] + s_k,
// where gProj[t] is the model's projected growth of period t given everything before it (the
// carried surprise of the indicator's earlier releases included, and the segment's own earlier
// periods at their fixed values, for an equation that reads its own lags). The s_k are chosen
// so that every segment's year-to-date growth equals its release exactly: from the levels,
// sum_{t in seg} b[t] (1 + g[t]/100) must equal (1 + ytd1/100) sum_{t<=T1} b[t] minus the
// level already fixed through T0, i.e. the segment's b-weighted mean growth must equal G_k
// (with calendar-day weights: the plan-year weights w[t] = b[t] * days ratio in place of b[t])
// (Segment.growth; plain mean for `rate`). When gProj does not depend on s_k (no feedback of
// the indicator on itself inside the segment) this is the closed form
//   s_k = G_k - sum_{t in seg} b[t] gProj[t] / sum_{t in seg} b[t].
// In general the s_k are solved jointly, across indicators, by Newton's method on the
// segments' mean growths (one simulation of nSeg + 1 runs per step, exact in one step for a
// linear model), so the result does not depend on the order of the releases. The fixed values
// are the resulting run's values in the segments; simulating with them fixed reproduces that
// run exactly (compile carries the surprise s_k + carried part with decay, as above). Hence a
// release equal to what the model projects (through a period after the indicator's last
// release) gets s = 0 and changes nothing, in any model. A release through a period inside an
// existing segment splits it, and the two parts get their own shifts: the pattern inside the
// old segment may then change, though both ytds hold. The fixed values are shared by every
// Monte Carlo draw (data are data). A resolved flow growth below -100 % (a negative level) is
// refused with an EventError naming the release. Pure: no I/O; allocates per resolution only.
import type { CompiledModel } from "../compile/index.ts"
import { seriesOf, type ScenarioInputs } from "../scenario/index.ts"
import { ConvergenceError, EventError } from "../errors.ts"
import type { IndicatorKind } from "../ytd.ts"
import { indicatorProfile, planWeights, type Profile } from "../ytd.ts"

/** Resolved growths below this (%) imply a negative level (the same tolerance as the fold's check of mean growths). */
const LOWEST_GROWTH = -100 - 1e-9

/** One segment to resolve: the indicator's solution index, its periods, and the mean growth the releases imply. */
export interface FixedSegment {
  readonly indicator: string
  /** Position of the indicator in `endogenous`. */
  readonly j: number
  readonly kind: IndicatorKind
  /** Base-year level weights over the plan year (any scale). */
  readonly b: Profile
  readonly first: number
  readonly last: number
  /** Mean growth (%) over the segment that reproduces the release (b-weighted for flows; plan-year weights with calendar days). */
  readonly growth: number
  /** The release closing the segment. */
  readonly event: string
}

/** The segments of a scenario's releases, by first period, then indicator order, then period (the order does not change the result). */
export const fixedSegments = (compiled: CompiledModel, inputs: ScenarioInputs): FixedSegment[] => {
  const out: FixedSegment[] = []
  for (const o of inputs.observations) {
    const ind = seriesOf(compiled.model, o.indicator)
    if (ind === undefined) throw new Error(`observation of "${o.indicator}", which is not an indicator or observable of the model`)
    const b = indicatorProfile(ind, compiled.model.calendar, compiled.periodsPerYear)
    for (const s of o.segments) out.push({ indicator: o.indicator, j: o.index, kind: ind.kind, b, first: s.first, last: s.last, growth: s.growth, event: s.event })
  }
  // Array.prototype.sort is stable: ties keep the model's indicator order (observations come in it) and period order
  return out.sort((x, y) => x.first - y.first)
}

/** Central (deterministic) inputs of one run: nParam, T * nExo and T * nEndo values. */
export interface CentralRun {
  readonly params: Float64Array
  readonly exo: Float64Array
  readonly addFactors: Float64Array
}

/** Newton stops when every segment's mean growth is within this of its target (pp). */
export const OBSERVATION_TOLERANCE = 1e-13
/** Most Newton steps of a resolution. */
const MAX_STEPS = 50
/** Finite-difference step of the Jacobian (pp of add-factor). */
const STEP = 0.1

/**
 * Resolves `segments` into `fixed` / `fixedValues` (T * nEndo, overwritten) from the central
 * inputs (see the file header). Returns each segment's add-factor s_k (pp). Throws EventError
 * (the release's id, path ["ytd"]) where a resolved flow growth implies a negative level,
 * ConvergenceError when the model does not converge or the shifts cannot be solved.
 */
export const resolveFixings = (
  compiled: CompiledModel,
  segments: readonly FixedSegment[],
  central: CentralRun,
  fixed: Uint8Array,
  fixedValues: Float64Array,
): Float64Array => {
  const T = compiled.periods.length
  const nEndo = compiled.endogenous.length
  const TE = T * nEndo
  const n = segments.length
  fixed.fill(0)
  fixedValues.fill(0)
  const shifts = new Float64Array(n)
  if (n === 0) return shifts
  const decay = compiled.model.observation.decay
  // the add-factor pattern of a unit s_k: 1 over the segment, decay^(t - last) after it
  const pattern = segments.map((seg) => {
    const at: number[] = []
    const coef: number[] = []
    let c = 1
    for (let t = seg.first; t < T; t++) {
      if (t > seg.last) c *= decay
      if (c === 0) break
      at.push(t * nEndo + seg.j)
      coef.push(c)
    }
    return { at, coef }
  })
  const weight = segments.map((seg) => {
    const w = new Float64Array(seg.last - seg.first + 1)
    let sum = 0
    const plan = planWeights(seg.b)
    for (let t = seg.first; t <= seg.last; t++) sum += w[t - seg.first] = seg.kind === "rate" ? 1 : plan[t]
    for (let i = 0; i < w.length; i++) w[i] /= sum
    return w
  })
  const draws = n + 1
  const nParam = central.params.length
  const TX = central.exo.length
  const params = new Float64Array(draws * nParam)
  const exo = new Float64Array(draws * TX)
  for (let d = 0; d < draws; d++) {
    params.set(central.params, d * nParam)
    exo.set(central.exo, d * TX)
  }
  const addFactors = new Float64Array(draws * TE)
  const out = new Float64Array(draws * TE)
  const free = new Uint8Array(TE)
  const none = new Float64Array(TE)
  const meanOf = (k: number, d: number): number => {
    const seg = segments[k]
    let m = 0
    for (let t = seg.first; t <= seg.last; t++) m += weight[k][t - seg.first] * out[d * TE + t * nEndo + seg.j]
    return m
  }
  const residual = new Float64Array(n)
  const jacobian = new Float64Array(n * n)
  let worst = Infinity
  for (let step = 0; ; step++) {
    // draw 0 at s, draw k + 1 at s + STEP e_k
    for (let d = 0; d < draws; d++) {
      addFactors.set(central.addFactors, d * TE)
      for (let k = 0; k < n; k++) {
        const sk = shifts[k] + (d === k + 1 ? STEP : 0)
        if (sk === 0) continue
        const { at, coef } = pattern[k]
        for (let i = 0; i < at.length; i++) addFactors[d * TE + at[i]] += sk * coef[i]
      }
    }
    compiled.simulate({ draws, params, exo, addFactors, fixed: free, fixedValues: none }, out)
    let next = 0
    for (let k = 0; k < n; k++) {
      residual[k] = meanOf(k, 0) - segments[k].growth
      next = Math.max(next, Math.abs(residual[k]))
    }
    if (!(next > OBSERVATION_TOLERANCE)) {
      if (Number.isNaN(next)) fail(compiled, segments, step, next)
      break
    }
    // stop on rounding: no progress and already tiny
    if (next >= worst && next < 1e-8) break
    if (step >= MAX_STEPS) fail(compiled, segments, step, next)
    worst = Math.min(worst, next)
    // column k: d mean_i / d s_k = (mean_i(s + h e_k) - mean_i(s)) / h
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) jacobian[i * n + k] = (meanOf(i, k + 1) - meanOf(i, 0)) / STEP
    const delta = solveDense(jacobian, residual, n)
    if (delta === undefined) fail(compiled, segments, step, next)
    for (let k = 0; k < n; k++) shifts[k] -= delta![k]
  }
  for (let k = 0; k < n; k++) {
    const seg = segments[k]
    for (let t = seg.first; t <= seg.last; t++) {
      const g = out[t * nEndo + seg.j]
      if (seg.kind !== "rate" && !(g >= LOWEST_GROWTH)) {
        throw new EventError({
          id: seg.event,
          path: ["ytd"],
          problem:
            `implies a negative level of ${seg.indicator} in ${compiled.periods[t]} (growth ${g.toFixed(2)}%): the model's projected pattern ` +
            `over ${compiled.periods[seg.first]}..${compiled.periods[seg.last]} shifted by ${shifts[k].toFixed(2)} pp to match the release`,
        })
      }
      fixed[t * nEndo + seg.j] = 1
      fixedValues[t * nEndo + seg.j] = g
    }
  }
  return shifts
}

const fail = (compiled: CompiledModel, segments: readonly FixedSegment[], iterations: number, residual: number): never => {
  const seg = segments[0]
  throw new ConvergenceError({
    variables: [...new Set(segments.map((s) => s.indicator))],
    period: compiled.periods[seg.first],
    iterations,
    residual,
  })
}

/** Solves A x = r (A n x n, row-major, overwritten) by Gaussian elimination with partial pivoting; undefined when singular. */
const solveDense = (A: Float64Array, r: Float64Array, n: number): Float64Array | undefined => {
  const x = Float64Array.from(r)
  let scale = 0
  for (let i = 0; i < A.length; i++) scale = Math.max(scale, Math.abs(A[i]))
  for (let c = 0; c < n; c++) {
    let p = c
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i * n + c]) > Math.abs(A[p * n + c])) p = i
    if (!(Math.abs(A[p * n + c]) > 1e-12 * scale)) return undefined
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const tmp = A[c * n + k]
        A[c * n + k] = A[p * n + k]
        A[p * n + k] = tmp
      }
      const tmp = x[c]
      x[c] = x[p]
      x[p] = tmp
    }
    for (let i = c + 1; i < n; i++) {
      const f = A[i * n + c] / A[c * n + c]
      if (f === 0) continue
      for (let k = c; k < n; k++) A[i * n + k] -= f * A[c * n + k]
      x[i] -= f * x[c]
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let v = x[c]
    for (let k = c + 1; k < n; k++) v -= A[c * n + k] * x[k]
    x[c] = v / A[c * n + c]
  }
  return x
}

/** The fixed values of a scenario's releases and each segment's shift, as every projection run uses them. */
export interface ResolvedObservations {
  /** T * nEndo: 1 where a release fixes the value (equals the inputs' `fixed`). */
  readonly fixed: Uint8Array
  /** T * nEndo: the resolved fixed growth (%) where `fixed` is 1, 0 elsewhere. */
  readonly fixedValues: Float64Array
  /** The segments in resolution order, each with its shift s (pp) over the model's projected growth. */
  readonly segments: readonly (FixedSegment & { readonly shift: number })[]
}

/**
 * Resolves a scenario's releases from central inputs (see the file header). With no releases,
 * nothing is fixed and nothing is simulated.
 */
export const resolveObservations = (compiled: CompiledModel, inputs: ScenarioInputs, central: CentralRun): ResolvedObservations => {
  const n = compiled.periods.length * compiled.endogenous.length
  const fixed = new Uint8Array(n)
  const fixedValues = new Float64Array(n)
  const segments = fixedSegments(compiled, inputs)
  const shifts = resolveFixings(compiled, segments, central, fixed, fixedValues)
  return { fixed, fixedValues, segments: segments.map((s, k) => ({ ...s, shift: shifts[k] })) }
}
