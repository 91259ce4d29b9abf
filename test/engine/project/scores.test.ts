// Unit and property tests of the shared scoring rules (engine/project/scores.ts): CRPS against
// the closed form of a normal predictive, a point mass's CRPS is its absolute error, weights
// and shifts, Brier and log score on hand-worked cases, coverage edges and PIT bins.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { ascending, binOf, brierScore, coverage, crps, logScore } from "../../../engine/project/scores.ts"

// the standard normal's pdf and cdf (erf by Abramowitz-Stegun 7.1.26 is too coarse: integrate instead)
const phi = (z: number) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)
const Phi = (z: number) => {
  // Simpson on [0, |z|]
  const n = 2000
  const h = Math.abs(z) / n
  let s = phi(0) + phi(Math.abs(z))
  for (let k = 1; k < n; k++) s += (k % 2 ? 4 : 2) * phi(k * h)
  const half = (s * h) / 3
  return z >= 0 ? 0.5 + half : 0.5 - half
}

describe("crps", () => {
  it("of a normal predictive (a fine grid weighted by its density) matches the closed form to 1e-3", () => {
    const mu = 1.5, sd = 2, y = 3.1
    const N = 20_001
    const values = new Float64Array(N)
    const weights = new Float64Array(N)
    for (let i = 0; i < N; i++) {
      const z = -8 + (16 * i) / (N - 1)
      values[i] = mu + sd * z
      weights[i] = phi(z)
    }
    const z = (y - mu) / sd
    const closed = sd * (z * (2 * Phi(z) - 1) + 2 * phi(z) - 1 / Math.sqrt(Math.PI))
    expect(Math.abs(crps(values, weights, y) - closed)).toBeLessThan(1e-3)
  })

  it("hand-worked: {0, 1} equally weighted at 0 is 1/2 - 1/4", () => {
    expect(crps([0, 1], undefined, 0)).toBeCloseTo(0.25, 15)
    expect(crps([0, 1], [3, 1], 0)).toBeCloseTo(0.25 - 0.5 * 2 * 0.75 * 0.25, 15)
  })

  test.prop([fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 1, max: 20 })])(
    "a point mass (any number of equal draws) scores its absolute error",
    (x, y, n) => {
      expect(crps(new Float64Array(n).fill(x), undefined, y)).toBeCloseTo(Math.abs(x - y), 9)
    },
  )

  const ensemble = fc.array(fc.tuple(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true })), { minLength: 1, maxLength: 40 })
  test.prop([ensemble, fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })])(
    "is non-negative, equals the double-sum definition, and a shift of the ensemble is a shift of the outcome",
    (draws, y, s) => {
      const xs = draws.map((d) => d[0])
      const ws = draws.map((d) => d[1])
      const W = ws.reduce((a, b) => a + b, 0)
      let e1 = 0, e2 = 0
      xs.forEach((x, i) => {
        e1 += (ws[i] / W) * Math.abs(x - y)
        xs.forEach((x2, j) => (e2 += (ws[i] / W) * (ws[j] / W) * Math.abs(x - x2)))
      })
      const c = crps(xs, ws, y)
      expect(c).toBeGreaterThanOrEqual(-1e-9)
      expect(c).toBeCloseTo(e1 - e2 / 2, 8)
      expect(crps(xs, ws, y, ascending(xs), s)).toBeCloseTo(crps(xs.map((x) => x + s), ws, y), 8)
    },
  )
})

describe("Brier and log score", () => {
  it("hand-worked cases", () => {
    expect(brierScore(0.8, true)).toBeCloseTo(0.04, 15)
    expect(brierScore(0.8, false)).toBeCloseTo(0.64, 15)
    expect(brierScore(0, false)).toBe(0)
    expect(brierScore(1, false)).toBe(1)
    expect(logScore(0.5, true, 100)).toBeCloseTo(Math.log(2), 15)
    expect(logScore(0.8, false, 100)).toBeCloseTo(-Math.log(0.2), 15)
    // clipped to [1/(N+1), N/(N+1)]: a share of 0 out of 9 draws gives the outcome 1/10
    expect(logScore(0, true, 9)).toBeCloseTo(Math.log(10), 15)
    expect(logScore(1, true, 9)).toBeCloseTo(-Math.log(0.9), 15)
    expect(() => logScore(0.5, true, 0)).toThrow(RangeError)
  })
  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.integer({ min: 1, max: 1_000_000 })])(
    "Brier lies in [0, 1]; the log score is finite and non-negative",
    (p, met, n) => {
      const b = brierScore(p, met)
      expect(b).toBeGreaterThanOrEqual(0)
      expect(b).toBeLessThanOrEqual(1)
      const l = logScore(p, met, n)
      expect(Number.isFinite(l)).toBe(true)
      expect(l).toBeGreaterThanOrEqual(0)
      expect(l).toBeLessThanOrEqual(Math.log(n + 1) * (1 + 1e-9))
    },
  )
})

describe("coverage and bins", () => {
  it("band edges are inside; bins cut [0, 1] in tenths with 1 in the last", () => {
    const band = { p05: 1, p25: 2, p75: 3, p95: 4 }
    expect(coverage(band, 2)).toEqual({ inside50: true, inside90: true })
    expect(coverage(band, 4)).toEqual({ inside50: false, inside90: true })
    expect(coverage(band, 4.0001)).toEqual({ inside50: false, inside90: false })
    expect([0, 0.05, 0.1, 0.95, 1].map((u) => binOf(u))).toEqual([0, 0, 1, 9, 9])
  })
})
