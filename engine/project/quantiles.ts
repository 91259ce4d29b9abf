// Bounded-memory summary of one statistic over Monte Carlo draws (an indicator's annual or
// year-to-date growth): exact count, mean, minimum and maximum, and quantiles from a sketch.
// project.ts feeds one sketch per indicator and period, value by value in draw order.
//
// The sketch: the first PILOT values are kept; if the run ends there, quantiles are exact
// (sorting, linear interpolation between order statistics, "type 7"). Otherwise the pilot
// fixes a grid of BINS equal bins of width w spanning four times the pilot's range around it
// (edges anchor + k*w); every value is counted in its bin. A value outside the grid doubles w
// (merging neighbour bins, which keeps edges nested: bin k at 2w holds bins 2k and 2k+1 at w)
// and shifts the window toward it until it fits, so nothing falls outside and no count is
// lost. Error bound: each order statistic is estimated inside the bin that holds it, so the
// estimate is within one bin width w of it, and the interpolated quantile is within w of the
// exact type-7 sample quantile: |estimate - exact| <= w = `errorBound()` (0 while exact).
// With BINS = 8192 and a pilot of 4096 normal draws, w is about 0.003 standard deviations.
// Memory per sketch: the 32 KiB pilot, then 32 KiB of counts, whatever the number of draws.
// Results are a deterministic function of the values in the order fed: feeding draw by draw
// in draw order makes them independent of how draws are chunked. Pure.

/** Values kept before the grid is fixed (and up to which quantiles are exact). */
export const PILOT = 4096
/** Bins of the grid. */
export const BINS = 8192

/** A streaming summary of one statistic; see the file header for the error bound. */
export class QuantileSketch {
  private n = 0
  private sum = 0
  private comp = 0 // Neumaier compensation of `sum`
  private lo = Infinity
  private hi = -Infinity
  private pilot: Float64Array
  private counts: Uint32Array | null = null
  private anchor = 0
  private width = 0
  private first = 0 // global index of the window's first bin
  private sorted: Float64Array | null = null

  private readonly pilotSize: number
  private readonly bins: number

  constructor(pilotSize = PILOT, bins = BINS) {
    this.pilotSize = pilotSize
    this.bins = bins
    if (!(bins >= 4 && bins % 2 === 0)) throw new RangeError("bins must be an even number >= 4")
    this.pilot = new Float64Array(pilotSize)
  }

  /** Adds one value (finite; a non-finite value is a defect of the model run and throws). */
  add(x: number): void {
    this.addMany(this.one.fill(x), 0, 1)
  }
  private readonly one = new Float64Array(1)

  /** Adds values[offset .. offset + n - 1] in order (the same result as n calls of `add`). */
  addMany(values: Float64Array, offset: number, n: number): void {
    let sum = this.sum, comp = this.comp, lo = this.lo, hi = this.hi
    let i = 0
    try {
      for (; i < n; i++) {
        const x = values[offset + i]
        if (!(x - x === 0)) throw new RangeError(`a draw produced a non-finite value (${x})`)
        const s = sum + x
        comp += Math.abs(sum) >= Math.abs(x) ? sum - s + x : x - s + sum
        sum = s
        if (x < lo) lo = x
        if (x > hi) hi = x
        const count = this.n++
        if (this.counts === null) {
          if (count < this.pilotSize) {
            this.pilot[count] = x
            continue
          }
          this.lo = lo
          this.hi = hi
          this.startGrid()
        }
        const c = this.counts!
        const k = Math.floor((x - this.anchor) / this.width) - this.first
        if (k >= 0 && k < c.length) c[k]++
        else this.count(x)
      }
    } finally {
      this.sum = sum
      this.comp = comp
      this.lo = lo
      this.hi = hi
    }
  }

  /** Number of values added. */
  get size(): number {
    return this.n
  }

  /** Exact mean (compensated sum over the values in the order added); NaN when empty. */
  mean(): number {
    return this.n === 0 ? Number.NaN : (this.sum + this.comp) / this.n
  }

  /** Exact minimum and maximum. */
  min(): number {
    return this.lo
  }
  max(): number {
    return this.hi
  }

  /** The most a quantile may differ from the exact sample quantile: 0 while exact, else the bin width. */
  errorBound(): number {
    return this.counts === null ? 0 : this.width
  }

  /** The p-quantile (0 <= p <= 1), type 7: linear interpolation between order statistics. NaN when empty. */
  quantile(p: number): number {
    const n = this.n
    if (n === 0) return Number.NaN
    const h = (n - 1) * Math.min(1, Math.max(0, p))
    const k = Math.floor(h)
    const frac = h - k
    const xk = this.orderStatistic(k)
    if (frac === 0 || k + 1 >= n) return xk
    const x1 = this.orderStatistic(k + 1)
    return xk + frac * (x1 - xk)
  }

  /** The order statistic of 0-based rank r (exact while exact, else estimated within its bin). */
  private orderStatistic(r: number): number {
    if (r === 0) return this.lo
    if (r === this.n - 1) return this.hi
    if (this.counts === null) {
      if (this.sorted === null || this.sorted.length !== this.n) this.sorted = this.pilot.slice(0, this.n).sort()
      return this.sorted[r]
    }
    const c = this.counts
    let cum = 0
    for (let i = 0; i < c.length; i++) {
      const ci = c[i]
      if (ci === 0) continue
      if (r < cum + ci) {
        // spread the bin's ci values evenly over it: the j-th sits at (j + 0.5)/ci of the way
        const left = this.anchor + (this.first + i) * this.width
        const x = left + ((r - cum + 0.5) / ci) * this.width
        return Math.min(this.hi, Math.max(this.lo, x))
      }
      cum += ci
    }
    return this.hi
  }

  private startGrid(): void {
    const lo = this.lo, hi = this.hi
    const span = hi - lo
    // four times the pilot's range, or a unit-free small width when every pilot value is equal
    const width = span > 0 ? (4 * span) / this.bins : Math.max(Math.abs(lo), 1) * 1e-9
    this.width = width
    this.anchor = lo - 1.5 * span
    this.first = 0
    this.counts = new Uint32Array(this.bins)
    for (let i = 0; i < this.pilotSize; i++) this.count(this.pilot[i])
    this.pilot = new Float64Array(0) // no longer needed: the grid holds every value
  }

  private count(x: number): void {
    let k = Math.floor((x - this.anchor) / this.width)
    while (k < this.first || k >= this.first + this.bins) {
      this.widen(k < this.first)
      k = Math.floor((x - this.anchor) / this.width)
    }
    this.counts![k - this.first]++
  }

  /** Doubles the bin width, merging pairs, and moves the window toward lower (or higher) values. */
  private widen(downward: boolean): void {
    const c = this.counts!
    const n = this.bins
    const mergedFirst = Math.floor(this.first / 2)
    const mergedLast = Math.floor((this.first + n - 1) / 2)
    const first = downward ? mergedLast - n + 1 : mergedFirst
    const next = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      if (c[i] !== 0) next[Math.floor((this.first + i) / 2) - first] += c[i]
    }
    this.counts = next
    this.first = first
    this.width *= 2
  }
}
