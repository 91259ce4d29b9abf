// Property tests of the quantile sketch: for any values, a small grid, and any p, the estimate
// lies within the stated bound of the exact type-7 quantile, and quantiles are monotone in p.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { QuantileSketch } from "../../../engine/project/quantiles.ts"

const exact = (xs: number[], p: number): number => {
  const s = Float64Array.from(xs).sort()
  const h = (s.length - 1) * p
  const k = Math.floor(h)
  return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k]
}

const values = fc.array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 600 })

test.prop([values, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 32 })])(
  "a quantile is within the error bound of exact sorting",
  (xs, p, pilot, halfBins) => {
    const q = new QuantileSketch(pilot, 2 * halfBins)
    for (const x of xs) q.add(x)
    const e = exact(xs, p)
    expect(Math.abs(q.quantile(p) - e)).toBeLessThanOrEqual(q.errorBound() + 1e-9 * Math.max(1, Math.abs(e)))
  },
)

test.prop([values, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })])("quantiles are monotone in p", (xs, p1, p2) => {
  const q = new QuantileSketch(16, 8)
  for (const x of xs) q.add(x)
  const [a, b] = p1 <= p2 ? [p1, p2] : [p2, p1]
  expect(q.quantile(a)).toBeLessThanOrEqual(q.quantile(b))
})
