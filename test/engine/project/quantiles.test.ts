// Unit tests of the quantile sketch: exact below the pilot size, within its stated error bound
// of exact sorting above it (including heavy tails that force the grid to widen).
import { describe, expect, it } from "vitest"
import { BINS, PILOT, QuantileSketch } from "../../../engine/project/quantiles.ts"
import { RandomStream, streamKey } from "../../../engine/project/rng.ts"

/** Type-7 sample quantile by sorting. */
const exact = (xs: Float64Array, p: number): number => {
  const s = xs.slice().sort()
  const h = (s.length - 1) * p
  const k = Math.floor(h)
  return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k]
}

const values = (n: number, f: (s: RandomStream) => number): Float64Array => {
  const s = new RandomStream()
  const key = streamKey(11, "q")
  const out = new Float64Array(n)
  for (let d = 0; d < n; d++) {
    s.reset(key, d)
    out[d] = f(s)
  }
  return out
}

const ps = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]

describe("QuantileSketch", () => {
  it("is exact up to the pilot size", () => {
    const xs = values(PILOT, (s) => s.normal() * 3 + 1)
    const q = new QuantileSketch()
    for (const x of xs) q.add(x)
    expect(q.errorBound()).toBe(0)
    for (const p of ps) expect(q.quantile(p)).toBe(exact(xs, p))
    expect(q.mean()).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 12)
  })

  it("stays within its error bound of exact sorting for 200,000 normal draws", () => {
    const xs = values(200_000, (s) => 6 + 8 * s.normal())
    const q = new QuantileSketch()
    for (const x of xs) q.add(x)
    const bound = q.errorBound()
    expect(bound).toBeGreaterThan(0)
    expect(bound).toBeLessThan(0.05) // about 0.003 sd of 8 unless the grid had to widen
    for (const p of ps) expect(Math.abs(q.quantile(p) - exact(xs, p))).toBeLessThanOrEqual(bound)
    expect(q.min()).toBe(xs.slice().sort()[0])
    expect(q.max()).toBe(xs.slice().sort()[xs.length - 1])
  })

  it("widens its grid for heavy tails and keeps the bound", () => {
    // lognormal with sigma 2, and a late far outlier on each side
    const xs = values(50_000, (s) => Math.exp(2 * s.normal()) - 3)
    xs[40_000] = 1e6
    xs[45_000] = -1e5
    const q = new QuantileSketch()
    for (const x of xs) q.add(x)
    const bound = q.errorBound()
    for (const p of ps) expect(Math.abs(q.quantile(p) - exact(xs, p))).toBeLessThanOrEqual(bound)
  })

  it("handles a constant statistic past the pilot", () => {
    const q = new QuantileSketch()
    for (let i = 0; i < PILOT + 10; i++) q.add(2.5)
    for (const p of ps) expect(q.quantile(p)).toBe(2.5)
    expect(q.mean()).toBe(2.5)
  })

  it("with a tiny grid, the bound still holds (bins merge often)", () => {
    const xs = values(20_000, (s) => s.uniform() * 100 - 50 + (s.uniform() < 0.01 ? 1e4 * s.normal() : 0))
    const q = new QuantileSketch(64, 16)
    for (const x of xs) q.add(x)
    for (const p of ps) expect(Math.abs(q.quantile(p) - exact(xs, p))).toBeLessThanOrEqual(q.errorBound())
  })

  it("refuses non-finite values and an odd bin count", () => {
    expect(() => new QuantileSketch().add(Number.NaN)).toThrow(RangeError)
    expect(() => new QuantileSketch(8, 7)).toThrow(RangeError)
    expect(BINS % 2).toBe(0)
  })

  it("is NaN when empty", () => {
    expect(new QuantileSketch().quantile(0.5)).toBeNaN()
  })
})
