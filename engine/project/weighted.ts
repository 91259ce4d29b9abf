// Bounded-memory summary of one statistic over importance-weighted Monte Carlo draws: the
// weighted mean and weighted quantiles of an indicator's annual or year-to-date growth after
// conditioning on releases (engine/project/condition.ts, via weighted-summary.ts, feeds it; project.ts reads it).
//
// The first `pilot` (value, weight) pairs are kept: quantiles are then exact for the weighted
// empirical distribution (values sorted, each at the midpoint of its cumulative weight,
// linear interpolation between them; the ends clamp to the minimum and maximum). Beyond the
// pilot, values go into a grid of `bins` equal bins spanning four times the pilot's range
// around it, which doubles its width (merging neighbours) to take a value outside it, as
// QuantileSketch does; a quantile is then read inside the bin that holds it, within one bin
// width of the exact weighted quantile (`errorBound()`). Weights are linear (>= 0) and may
// be rescaled all at once (`rescale`) when the caller's reference log-weight moves. Results
// depend only on the values and weights in the order fed. Pure.
import { BINS, PILOT } from "./quantiles.ts"

/** A streaming weighted summary of one statistic. */
export class WeightedSketch {
  private n = 0
  private wsum = 0
  private wxsum = 0
  private lo = Infinity
  private hi = -Infinity
  private values: Float64Array
  private weights: Float64Array
  private bins: Float64Array | null = null
  private anchor = 0
  private width = 0
  private first = 0
  private readonly pilot: number
  private readonly size: number

  constructor(pilot = PILOT, bins = BINS) {
    this.pilot = pilot
    this.size = bins
    this.values = new Float64Array(pilot)
    this.weights = new Float64Array(pilot)
  }

  /** Adds a value with weight w >= 0 (a non-finite value is a defect of the run and throws). */
  add(x: number, w: number): void {
    if (!(x - x === 0)) throw new RangeError(`a draw produced a non-finite value (${x})`)
    if (x < this.lo) this.lo = x
    if (x > this.hi) this.hi = x
    this.wsum += w
    this.wxsum += w * x
    const k = this.n++
    if (this.bins === null) {
      if (k < this.pilot) {
        this.values[k] = x
        this.weights[k] = w
        return
      }
      this.startGrid()
    }
    this.count(x, w)
  }

  /** Multiplies every weight so far by f (> 0). */
  rescale(f: number): void {
    this.wsum *= f
    this.wxsum *= f
    if (this.bins !== null) for (let i = 0; i < this.bins.length; i++) this.bins[i] *= f
    else for (let i = 0; i < Math.min(this.n, this.pilot); i++) this.weights[i] *= f
  }

  /** Weighted mean; NaN without weight. */
  mean(): number {
    return this.wsum > 0 ? this.wxsum / this.wsum : Number.NaN
  }

  /** Share of the weight below x (half of any weight at x); within a bin's weight of exact beyond the pilot. NaN without weight. */
  cdf(x: number): number {
    if (!(this.wsum > 0)) return Number.NaN
    let below = 0
    if (this.bins === null) {
      for (let i = 0; i < this.n; i++) {
        const v = this.values[i]
        if (v < x) below += this.weights[i]
        else if (v === x) below += this.weights[i] / 2
      }
    } else {
      const c = this.bins
      for (let i = 0; i < c.length; i++) {
        const left = this.anchor + (this.first + i) * this.width
        if (left + this.width <= x) below += c[i]
        else if (left < x) below += (c[i] * (x - left)) / this.width
      }
    }
    return below / this.wsum
  }

  /** 0 while exact, else the bin width. */
  errorBound(): number {
    return this.bins === null ? 0 : this.width
  }

  /** The weighted p-quantile (see the file header); NaN without weight. */
  quantile(p: number): number {
    if (!(this.wsum > 0)) return Number.NaN
    const target = Math.min(1, Math.max(0, p)) * this.wsum
    if (this.bins === null) {
      const n = this.n
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.values[a] - this.values[b] || a - b)
      let cum = 0
      let prevX = this.lo
      let prevC = 0
      for (const i of order) {
        const w = this.weights[i]
        if (w <= 0) continue
        const mid = cum + w / 2
        const x = this.values[i]
        if (target <= mid) return mid === prevC ? x : prevX + ((target - prevC) / (mid - prevC)) * (x - prevX)
        cum += w
        prevX = x
        prevC = mid
      }
      return this.hi
    }
    const c = this.bins
    let cum = 0
    for (let i = 0; i < c.length; i++) {
      const w = c[i]
      if (w <= 0) continue
      if (target <= cum + w) {
        const left = this.anchor + (this.first + i) * this.width
        const x = left + ((target - cum) / w) * this.width
        return Math.min(this.hi, Math.max(this.lo, x))
      }
      cum += w
    }
    return this.hi
  }

  private startGrid(): void {
    const lo = this.lo, hi = this.hi
    const span = hi - lo
    this.width = span > 0 ? (4 * span) / this.size : Math.max(Math.abs(lo), 1) * 1e-9
    this.anchor = lo - 1.5 * span
    this.first = 0
    this.bins = new Float64Array(this.size)
    for (let i = 0; i < this.pilot; i++) this.count(this.values[i], this.weights[i])
    this.values = new Float64Array(0)
    this.weights = new Float64Array(0)
  }

  private count(x: number, w: number): void {
    let k = Math.floor((x - this.anchor) / this.width)
    while (k < this.first || k >= this.first + this.size) {
      this.widen(k < this.first)
      k = Math.floor((x - this.anchor) / this.width)
    }
    this.bins![k - this.first] += w
  }

  private widen(downward: boolean): void {
    const c = this.bins!
    const n = this.size
    const mergedFirst = Math.floor(this.first / 2)
    const mergedLast = Math.floor((this.first + n - 1) / 2)
    const first = downward ? mergedLast - n + 1 : mergedFirst
    const next = new Float64Array(n)
    for (let i = 0; i < n; i++) if (c[i] !== 0) next[Math.floor((this.first + i) / 2) - first] += c[i]
    this.bins = next
    this.first = first
    this.width *= 2
  }
}
