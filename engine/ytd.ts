// Year-to-date arithmetic of China's statistical releases: the one place that knows how a plan
// indicator's per-period year-over-year growth cumulates over the year. The fold (is a release
// possible?), the projection inputs (which growths does a release fix?), the projection (ytd
// bands, annual growth, required growth) and seek all read it from here. Pure arithmetic over
// arrays; no allocation in the per-draw functions.
//
// With the base year's level profile b[1..P] (normalised weights summing to 1; the level scale
// cancels) and plan-year growth g[t] in percent:
//   flow, income: level[t] = b[t] * (1 + g[t]/100),
//                 ytd[t]   = 100 * (sum_{s<=t} level[s] / sum_{s<=t} b[s] - 1);
//   rate:         ytd[t]   = (g[1] + ... + g[t]) / t  (an average, in pp).
// annual = ytd[P]. Invariants: ytd[1] = g[1]; a constant path g has ytd = g everywhere; ytd[t]
// is a weighted mean of g[1..t] (weights b[s] for flows, equal for rates), so it lies between
// their minimum and maximum. Releases through T0 < T1 < ... cut the plan year into segments
// (T0, T1]; each segment's level sum (rate: growth sum) is the difference of the cumulative sums
// the two releases imply, which fixes the segment's mean growth (b-weighted for flows).
//
// Calendar-day weights (the model's `calendar.days`, for the indicators it applies to): the
// profile also carries plan-year level weights w[t] = b[t] * days_plan[t] / days_base[t], the
// variable g is growth per calendar day, and
//   level[t] = w[t] * (1 + g[t]/100),   ytd[t] = 100 * (sum_{s<=t} level[s] / sum_{s<=t} b[s] - 1),
// so a leap February shows 29/28 of its base level at zero growth, as published figures (not
// calendar-adjusted) do. ytd is then w-weighted, plus the constant 100 * (sum w / sum b - 1): affine
// in g, no longer a plain weighted mean. Without day weights w is b itself, and every function
// here gives exactly the bits it gave before the option existed (test/engine/ytd.prop.test.ts).
import type { Calendar, Indicator } from "./schema/model.ts"

/** How an indicator cumulates over the year (the model's `kind`). */
export type IndicatorKind = Indicator["kind"]

/**
 * The base year's seasonal level profile over `periodsPerYear` periods, normalised to sum 1:
 * the model's `profile` (any positive weights, one per period of the year) or flat. A profile
 * of another length is a model error the compiler refuses; here it must already fit.
 */
export const baseProfile = (profile: readonly number[] | undefined, periodsPerYear: number): Float64Array => {
  const b = new Float64Array(periodsPerYear)
  if (profile === undefined) {
    b.fill(1 / periodsPerYear)
    return b
  }
  if (profile.length !== periodsPerYear) throw new RangeError(`a profile needs ${periodsPerYear} weights, not ${profile.length}`)
  let sum = 0
  for (const w of profile) sum += w
  for (let t = 0; t < periodsPerYear; t++) b[t] = profile[t] / sum
  return b
}

/**
 * A base profile (normalised base-year weights b) and, when calendar-day weights apply, the
 * plan year's level weights `plan` (w[t] = b[t] * plan-year days / base-year days of period t).
 * A plain Float64Array is a profile without day weights.
 */
export type Profile = Float64Array & { readonly plan?: Float64Array }

/** The plan-year level weights of a profile: its day-weighted `plan`, else b itself. */
export const planWeights = (b: Profile): Float64Array => b.plan ?? b

/** Calendar days of period k (0-based) of a year at a frequency of 12, 4 or 1 periods per year. */
export const daysOf = (year: number, periodsPerYear: number, k: number): number => {
  const months = 12 / periodsPerYear
  let days = 0
  // Date.UTC(year, m, 0) is the last day of month m (1-based), so its date is that month's length
  for (let m = k * months + 1; m <= (k + 1) * months; m++) days += new Date(Date.UTC(year, m, 0)).getUTCDate()
  return days
}

/** Whether the calendar's day weights apply to an indicator: `calendar.days` on, and the indicator's `days`, by default its being a flow. */
export const hasDayWeights = (indicator: Pick<Indicator, "kind" | "days">, calendar: Pick<Calendar, "days">): boolean =>
  calendar.days === true && indicator.kind !== "rate" && (indicator.days ?? indicator.kind === "flow")

/**
 * An indicator's profile over `periodsPerYear` periods: baseProfile, plus the plan-year day
 * weights when the calendar's day weights apply to it (hasDayWeights). The one place that
 * decides an indicator's year-to-date weights; every caller that cumulates reads it.
 */
export const indicatorProfile = (
  indicator: Pick<Indicator, "kind" | "days" | "profile">,
  calendar: Pick<Calendar, "days" | "baseYear" | "planYear">,
  periodsPerYear: number,
): Profile => {
  const b = baseProfile(indicator.profile, periodsPerYear)
  if (!hasDayWeights(indicator, calendar)) return b
  const plan = new Float64Array(periodsPerYear)
  for (let t = 0; t < periodsPerYear; t++) {
    const planDays = daysOf(calendar.planYear, periodsPerYear, t)
    const baseDays = daysOf(calendar.baseYear, periodsPerYear, t)
    // a period with the same days in both years keeps its weight exactly
    plan[t] = planDays === baseDays ? b[t] : (b[t] * planDays) / baseDays
  }
  return Object.assign(b, { plan })
}

/** The first n periods of a profile (with its day weights, if any). */
export const profilePrefix = (b: Profile, n: number): Profile =>
  b.plan === undefined ? b.subarray(0, n) : Object.assign(b.subarray(0, n), { plan: b.plan.subarray(0, n) })

/**
 * The constant of a flow's year-to-date growth through period `through` (0-based) with day
 * weights: 100 * (sum w / sum b - 1) over periods 0..through; ytd = this + sum (w[s] / sum b) g[s].
 * Exactly 0 without day weights (and for a rate).
 */
export const ytdConstant = (kind: IndicatorKind, b: Profile, through: number): number => {
  if (kind === "rate" || b.plan === undefined) return 0
  let base = 0
  let plan = 0
  for (let s = 0; s <= through; s++) {
    base += b[s]
    plan += b.plan[s]
  }
  return 100 * (plan / base - 1)
}

/**
 * Year-to-date growth through period `through` (0-based) as an affine function of the period
 * growths: ytd = ytdConstant(kind, b, through) + sum_{s<=through} out[outOffset + s] * g[s], with
 * weights w[s] / sum_{s<=through} b[s] for a flow or income (w the plan-year level weights) and
 * 1 / (through + 1) for a rate. Writes the through + 1 weights.
 */
export const ytdWeights = (kind: IndicatorKind, b: Profile, through: number, out: Float64Array, outOffset = 0): void => {
  const w = planWeights(b)
  let sum = 0
  for (let s = 0; s <= through; s++) sum += kind === "rate" ? 1 : b[s]
  for (let s = 0; s <= through; s++) out[outOffset + s] = (kind === "rate" ? 1 : w[s]) / sum
}

/**
 * Year-to-date growth for periods 0..n-1 of a growth path read as `growth[offset + t*stride]`,
 * written to `out[outOffset + t]`. `n` is at most b.length (the plan year).
 */
export const ytdPath = (
  kind: IndicatorKind,
  b: Profile,
  growth: ArrayLike<number>,
  offset: number,
  stride: number,
  n: number,
  out: Float64Array,
  outOffset = 0,
): void => {
  if (kind === "rate") {
    let sum = 0
    for (let t = 0; t < n; t++) {
      sum += growth[offset + t * stride]
      out[outOffset + t] = sum / (t + 1)
    }
    return
  }
  const w = planWeights(b)
  let level = 0
  let base = 0
  for (let t = 0; t < n; t++) {
    level += w[t] * (1 + growth[offset + t * stride] / 100)
    base += b[t]
    out[outOffset + t] = 100 * (level / base - 1)
  }
}

/** Year-to-date growth through the first `n` periods of a growth path (n >= 1). */
export const ytdAt = (kind: IndicatorKind, b: Profile, growth: ArrayLike<number>, offset: number, stride: number, n: number): number => {
  if (kind === "rate") {
    let sum = 0
    for (let t = 0; t < n; t++) sum += growth[offset + t * stride]
    return sum / n
  }
  const w = planWeights(b)
  let level = 0
  let base = 0
  for (let t = 0; t < n; t++) {
    level += w[t] * (1 + growth[offset + t * stride] / 100)
    base += b[t]
  }
  return 100 * (level / base - 1)
}

/**
 * Several indicators' year-to-date arithmetic laid out flat for solved batches of draws: per
 * indicator k its solution column, whether it is a rate, its plan-year weights w[k*P + t] and its
 * base prefix sums cum[k*P + t] = b[0] + ... + b[t] (summed in that order, so every value below
 * has the bits ytdAt and ytdPath give for the same draw). Built once per projection.
 */
export interface YtdBatch {
  readonly P: number
  readonly column: Int32Array
  readonly rate: Uint8Array
  readonly w: Float64Array
  readonly cum: Float64Array
}

/** The flat layout of indicators given as (kind, profile over P periods, solution column). */
export const ytdBatch = (indicators: readonly { readonly kind: IndicatorKind; readonly b: Profile; readonly j: number }[], P: number): YtdBatch => {
  const K = indicators.length
  const layout = { P, column: new Int32Array(K), rate: new Uint8Array(K), w: new Float64Array(K * P), cum: new Float64Array(K * P) }
  indicators.forEach((ind, k) => {
    const w = planWeights(ind.b)
    layout.column[k] = ind.j
    layout.rate[k] = ind.kind === "rate" ? 1 : 0
    let base = 0
    for (let t = 0; t < P; t++) {
      base += ind.b[t]
      layout.w[k * P + t] = w[t]
      layout.cum[k * P + t] = base
    }
  })
  return layout
}

/**
 * Annual growth of every indicator of every draw of a solved batch laid out
 * out[d*T*n + t*n + j], into annual[d*K + k]: ytdAt through period P for each, draw by draw.
 */
export const annualOfBatch = (y: YtdBatch, out: Float64Array, draws: number, T: number, n: number, annual: Float64Array): void => {
  const { P, column, rate, w, cum } = y
  const K = column.length
  for (let d = 0; d < draws; d++) {
    const o = d * T * n
    for (let k = 0; k < K; k++) {
      const at = o + column[k]
      let sum = 0
      if (rate[k] === 1) {
        for (let t = 0; t < P; t++) sum += out[at + t * n]
        annual[d * K + k] = sum / P
      } else {
        const wk = k * P
        for (let t = 0; t < P; t++) sum += w[wk + t] * (1 + out[at + t * n] / 100)
        annual[d * K + k] = 100 * (sum / cum[wk + P - 1] - 1)
      }
    }
  }
}

/**
 * Year-to-date path of indicator k for each draw of a solved batch, written period-major:
 * ytd[row + t*stride + d] for d < draws (ytdPath's values for each draw).
 */
export const ytdOfBatch = (y: YtdBatch, k: number, out: Float64Array, draws: number, T: number, n: number, ytd: Float64Array, row: number, stride: number): void => {
  const { P, w, cum } = y
  const wk = k * P
  const isRate = y.rate[k] === 1
  for (let d = 0; d < draws; d++) {
    const at = d * T * n + y.column[k]
    let sum = 0
    for (let t = 0; t < P; t++) {
      const g = out[at + t * n]
      if (isRate) {
        sum += g
        ytd[row + t * stride + d] = sum / (t + 1)
      } else {
        sum += w[wk + t] * (1 + g / 100)
        ytd[row + t * stride + d] = 100 * (sum / cum[wk + t] - 1)
      }
    }
  }
}

/** Annual growth: year-to-date growth through the last period of the plan year. */
export const annualGrowth = (kind: IndicatorKind, b: Profile, growth: ArrayLike<number>): number =>
  ytdAt(kind, b, growth, 0, 1, b.length)

/**
 * The common growth g (in %) that the periods after the last observed one would need, given
 * the growth of periods 0..observed-1, for the annual growth to equal `annual`. Closed form:
 *   flow: sum_{s<obs} w[s](1+g[s]/100) + (1+g/100) sum_{s>=obs} w[s] = (1+annual/100) sum b
 *         (w = b without day weights)
 *   rate: (sum_{s<obs} g[s] + (P - obs) g) / P = annual.
 * null when every period of the plan year is observed (nothing left to require) or when no
 * growth can do it (a flow whose remaining level would have to be negative: g < -100).
 * `observed` is the number of leading observed periods (the last observed period's index + 1).
 */
export const requiredGrowth = (
  kind: IndicatorKind,
  b: Profile,
  growth: ArrayLike<number>,
  observed: number,
  annual: number,
): number | null => {
  const P = b.length
  if (observed >= P) return null
  if (kind === "rate") {
    let sum = 0
    for (let t = 0; t < observed; t++) sum += growth[t]
    return (P * annual - sum) / (P - observed)
  }
  const w = planWeights(b)
  let fixedLevel = 0
  let total = 0
  let rest = 0
  for (let t = 0; t < P; t++) {
    total += b[t]
    if (t < observed) fixedLevel += w[t] * (1 + growth[t] / 100)
    else rest += w[t]
  }
  const g = 100 * (((1 + annual / 100) * total - fixedLevel) / rest - 1)
  return g < -100 ? null : g
}

/** One published year-to-date growth: through horizon position `through` (0-based), by event `event`. */
export interface Release {
  readonly through: number
  readonly ytd: number
  readonly event: string
  /** The release's own noise sd (pp), when its event gives one. */
  readonly sd?: number
}

/** Periods first..last (inclusive, 0-based) whose year-to-date total a release fixes. */
export interface Segment {
  readonly first: number
  readonly last: number
  /**
   * The segment's mean growth (%) the releases imply: the one common growth that would give
   * the release exactly (b-weighted mean for flow and income, w-weighted with day weights, plain
   * mean for rate). Any path over the segment with this mean reproduces the release's ytd.
   */
  readonly growth: number
  /** The release that closes the segment. */
  readonly event: string
}

/**
 * The segments fixed by releases of one indicator, sorted by `through`. Releases for the same
 * position must agree; where they do not (only in states built outside the fold), the later one
 * in the given order wins. For flow and income indicators a segment's mean growth below -100
 * means the releases imply a negative level sum, whatever the pattern within the segment.
 */
export function segmentsOf(kind: IndicatorKind, b: ArrayLike<number> & { readonly plan?: ArrayLike<number> }, releases: readonly Release[]): Segment[] {
  const w = b.plan ?? b
  const at: Release[] = []
  for (const r of releases) at[r.through] = r
  const sorted: Release[] = []
  for (const r of at) if (r !== undefined) sorted.push(r)
  const segments: Segment[] = []
  let prevThrough = -1
  let prevCum = 0 // cumulative level (flow) or cumulative growth (rate) through prevThrough
  let prevPlan = 0
  let cumBase = 0
  let cumPlan = 0 // cumulative plan-year weights (the base ones without day weights)
  let t = 0
  for (const r of sorted) {
    for (; t <= r.through; t++) {
      cumBase += b[t]
      cumPlan += w[t]
    }
    const n = r.through - prevThrough
    let growth: number
    let cum: number
    if (kind === "rate") {
      cum = (r.through + 1) * r.ytd
      growth = (cum - prevCum) / n
    } else {
      cum = (1 + r.ytd / 100) * cumBase
      growth = 100 * ((cum - prevCum) / (cumPlan - prevPlan) - 1)
    }
    segments.push({ first: prevThrough + 1, last: r.through, growth, event: r.event })
    prevThrough = r.through
    prevCum = cum
    prevPlan = cumPlan
  }
  return segments
}
