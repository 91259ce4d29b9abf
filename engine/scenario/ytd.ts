// Year-to-date arithmetic of China's statistical releases, shared by the fold (is a release
// possible?) and the projection inputs (which growths does it fix?). With the base year's level
// profile b[1..P] and plan-year growth g[t] (%): level[t] = b[t]*(1+g[t]/100) and
// ytd[t] = 100*(sum_{s<=t} level[s] / sum_{s<=t} b[s] - 1) for `flow` and `income`
// indicators; for `rate` indicators ytd[t] is the average of g[1..t]. Releases through
// T0 < T1 < ... cut the plan year into segments (T0, T1]; each segment's level sum (rate: growth
// sum) is the difference of the cumulative sums the two releases imply, which fixes the
// segment's mean growth (b-weighted for flows). How that mean is spread over the segment's
// periods is the projection's (engine/project/observe.ts: the model's own pattern plus one
// common shift). Pure: no I/O.
import type { Indicator } from "../schema/model.ts"

/** One published year-to-date growth: through horizon position `through` (0-based), by event `event`. */
export interface Release {
  readonly through: number
  readonly ytd: number
  readonly event: string
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

/** The indicator's base-year level profile over the P periods of a year (flat when absent). */
export function baseProfile(indicator: Indicator, periodsPerYear: number): Float64Array {
  const b = new Float64Array(periodsPerYear).fill(1)
  const p = indicator.profile
  if (p !== undefined) {
    if (p.length !== periodsPerYear) {
      throw new Error(`indicator ${indicator.id}: profile has ${p.length} weights for ${periodsPerYear} periods a year`)
    }
    const total = p.reduce((s, x) => s + x, 0)
    for (let t = 0; t < periodsPerYear; t++) b[t] = (p[t] * periodsPerYear) / total
  }
  return b
}

/** Year-to-date growth through `through` (0-based) of a plan-year growth path. */
export function ytdOf(kind: Indicator["kind"], b: ArrayLike<number>, growth: ArrayLike<number>, through: number): number {
  let level = 0
  let base = 0
  let sum = 0
  for (let t = 0; t <= through; t++) {
    level += b[t] * (1 + growth[t] / 100)
    base += b[t]
    sum += growth[t]
  }
  return kind === "rate" ? sum / (through + 1) : 100 * (level / base - 1)
}

/**
 * The segments fixed by releases of one indicator, sorted by `through`. Releases for the same
 * position must agree; where they do not (only in states built outside the fold), the later one
 * in the given order wins. For flow and income indicators a segment's mean growth below -100
 * means the releases imply a negative level sum, whatever the pattern within the segment.
 */
export function segmentsOf(kind: Indicator["kind"], b: ArrayLike<number>, releases: readonly Release[]): Segment[] {
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
