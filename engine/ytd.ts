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
import type { Indicator } from "./schema/model.ts"

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
 * Year-to-date growth for periods 0..n-1 of a growth path read as `growth[offset + t*stride]`,
 * written to `out[outOffset + t]`. `n` is at most b.length (the plan year).
 */
export const ytdPath = (
  kind: IndicatorKind,
  b: Float64Array,
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
  let level = 0
  let base = 0
  for (let t = 0; t < n; t++) {
    const bt = b[t]
    level += bt * (1 + growth[offset + t * stride] / 100)
    base += bt
    out[outOffset + t] = 100 * (level / base - 1)
  }
}

/** Year-to-date growth through the first `n` periods of a growth path (n >= 1). */
export const ytdAt = (kind: IndicatorKind, b: Float64Array, growth: ArrayLike<number>, offset: number, stride: number, n: number): number => {
  if (kind === "rate") {
    let sum = 0
    for (let t = 0; t < n; t++) sum += growth[offset + t * stride]
    return sum / n
  }
  let level = 0
  let base = 0
  for (let t = 0; t < n; t++) {
    level += b[t] * (1 + growth[offset + t * stride] / 100)
    base += b[t]
  }
  return 100 * (level / base - 1)
}

/** Annual growth: year-to-date growth through the last period of the plan year. */
export const annualGrowth = (kind: IndicatorKind, b: Float64Array, growth: ArrayLike<number>): number =>
  ytdAt(kind, b, growth, 0, 1, b.length)

/**
 * The common growth g (in %) that the periods after the last observed one would need, given
 * the growth of periods 0..observed-1, for the annual growth to equal `annual`. Closed form:
 *   flow: sum_{s<obs} b[s](1+g[s]/100) + (1+g/100) sum_{s>=obs} b[s] = (1+annual/100) sum b
 *   rate: (sum_{s<obs} g[s] + (P - obs) g) / P = annual.
 * null when every period of the plan year is observed (nothing left to require) or when no
 * growth can do it (a flow whose remaining level would have to be negative: g < -100).
 * `observed` is the number of leading observed periods (the last observed period's index + 1).
 */
export const requiredGrowth = (
  kind: IndicatorKind,
  b: Float64Array,
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
  let fixedLevel = 0
  let total = 0
  let rest = 0
  for (let t = 0; t < P; t++) {
    total += b[t]
    if (t < observed) fixedLevel += b[t] * (1 + growth[t] / 100)
    else rest += b[t]
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
   * the release exactly (b-weighted mean for flow and income, plain mean for rate). Any path
   * over the segment with this mean reproduces the release's ytd.
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
export function segmentsOf(kind: IndicatorKind, b: ArrayLike<number>, releases: readonly Release[]): Segment[] {
  const at: Release[] = []
  for (const r of releases) at[r.through] = r
  const sorted: Release[] = []
  for (const r of at) if (r !== undefined) sorted.push(r)
  const segments: Segment[] = []
  let prevThrough = -1
  let prevCum = 0 // cumulative level (flow) or cumulative growth (rate) through prevThrough
  let prevBase = 0
  let cumBase = 0
  let t = 0
  for (const r of sorted) {
    for (; t <= r.through; t++) cumBase += b[t]
    const n = r.through - prevThrough
    let growth: number
    let cum: number
    if (kind === "rate") {
      cum = (r.through + 1) * r.ytd
      growth = (cum - prevCum) / n
    } else {
      cum = (1 + r.ytd / 100) * cumBase
      growth = 100 * ((cum - prevCum) / (cumBase - prevBase) - 1)
    }
    segments.push({ first: prevThrough + 1, last: r.through, growth, event: r.event })
    prevThrough = r.through
    prevCum = cum
    prevBase = cumBase
  }
  return segments
}
