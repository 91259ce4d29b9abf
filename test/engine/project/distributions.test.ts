// Unit tests of distribution sampling: validation per role, moments of each kind, and draws
// that depend only on (seed, source, draw), not on the chunk they are sampled in.
import { describe, expect, it } from "vitest"
import { STANDARD_NORMAL, prepareDistribution, sampleDraws } from "../../../engine/project/distributions.ts"
import { DRAW_BLOCK, RandomStream, streamKey } from "../../../engine/project/rng.ts"
import { SpecError } from "../../../engine/errors.ts"
import type { Distribution } from "../../../engine/schema/model.ts"

const moments = (xs: Float64Array) => {
  let s = 0, s2 = 0
  for (const x of xs) { s += x; s2 += x * x }
  const m = s / xs.length
  return { mean: m, sd: Math.sqrt(s2 / xs.length - m * m) }
}

const draw = (d: Distribution, centre: number, role: "replace" | "add", n = 100_000) => {
  const out = new Float64Array(n)
  sampleDraws(prepareDistribution(d, centre, role, ["x"]), streamKey(5, "k"), new RandomStream(), 0, n, out, 0, 1, false)
  return out
}

describe("prepareDistribution", () => {
  it("centres replace-distributions on the value and add-distributions on 0", () => {
    expect(prepareDistribution({ dist: "normal", sd: 1 }, 3, "replace", []).mean).toBe(3)
    expect(prepareDistribution({ dist: "normal", sd: 1 }, 3, "add", []).mean).toBe(0)
    expect(prepareDistribution({ dist: "normal", sd: 1, mean: 2 }, 3, "add", []).mean).toBe(2)
    expect(prepareDistribution({ dist: "triangular", min: 0, max: 6 }, 3, "replace", []).mean).toBe(3)
    expect(prepareDistribution({ dist: "lognormal", sigma: 0 }, 2, "replace", []).kind).toBe("constant")
  })

  it("refuses parameters that make no sense, naming the field", () => {
    const fails = (d: Distribution, centre: number, role: "replace" | "add", field: string) => {
      try {
        prepareDistribution(d, centre, role, ["parameters", "beta", "uncertainty"])
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(SpecError)
        expect((e as SpecError).issues[0].path).toEqual(["parameters", "beta", "uncertainty", field])
      }
    }
    fails({ dist: "normal", sd: -1 }, 0, "add", "sd")
    fails({ dist: "uniform", min: 2, max: 1 }, 0, "add", "max")
    fails({ dist: "triangular", min: 1, max: 2 }, 0, "add", "min") // mode 0 outside [1, 2]
    fails({ dist: "triangular", min: 1, max: 2, mode: 3 }, 0, "add", "mode")
    fails({ dist: "lognormal", sigma: 0.5 }, 0, "add", "median")
    fails({ dist: "lognormal", sigma: 0.5 }, -1, "replace", "median")
    fails({ dist: "lognormal", sigma: -0.5, median: 1 }, 0, "add", "sigma")
  })
})

describe("sampleDraws", () => {
  it("normal, uniform, triangular and lognormal have their theoretical mean and sd", () => {
    const n = moments(draw({ dist: "normal", sd: 2 }, 5, "replace"))
    expect(n.mean).toBeCloseTo(5, 1)
    expect(n.sd).toBeCloseTo(2, 1)
    const u = moments(draw({ dist: "uniform", min: -1, max: 3 }, 0, "add"))
    expect(u.mean).toBeCloseTo(1, 1)
    expect(u.sd).toBeCloseTo(4 / Math.sqrt(12), 2)
    const t = moments(draw({ dist: "triangular", min: 0, max: 3, mode: 2 }, 0, "add"))
    expect(t.mean).toBeCloseTo(5 / 3, 2)
    expect(t.sd).toBeCloseTo(Math.sqrt((0 + 9 + 4 - 0 - 0 - 6) / 18), 2)
    const l = moments(draw({ dist: "lognormal", sigma: 0.25 }, 2, "replace"))
    expect(l.mean).toBeCloseTo(2 * Math.exp(0.25 ** 2 / 2), 2)
    const lx = draw({ dist: "lognormal", sigma: 0.25 }, 2, "replace").sort()
    expect(lx[50_000]).toBeCloseTo(2, 1)
  })

  it("triangular draws stay within [min, max]", () => {
    const xs = draw({ dist: "triangular", min: -2, max: 1 }, 0, "add", 10_000)
    for (const x of xs) expect(x >= -2 && x <= 1).toBe(true)
  })

  it("draw d's value does not depend on the chunk it is sampled in", () => {
    const p = prepareDistribution({ dist: "normal", sd: 1 }, 0, "add", [])
    const key = streamKey(9, "shock:a#0")
    const whole = new Float64Array(100)
    sampleDraws(p, key, new RandomStream(), 0, 100, whole, 0, 1, false)
    const pieces = new Float64Array(100)
    const s = new RandomStream()
    for (const [a, b] of [[0, 7], [7, 64], [64, 100]]) sampleDraws(p, key, s, a, b - a, pieces, a, 1, false)
    expect(pieces).toEqual(whole)
  })

  it("200,000 standard normals have mean 0 and sd 1 within four standard errors, and consecutive blocks are uncorrelated", () => {
    const n = 200_000
    const z = new Float64Array(n)
    sampleDraws(STANDARD_NORMAL, streamKey(20240101, "error:gdp"), new RandomStream(), 0, n, z, 0, 1, false)
    const m = moments(z)
    expect(Math.abs(m.mean)).toBeLessThan(4 / Math.sqrt(n))
    expect(Math.abs(m.sd - 1)).toBeLessThan(4 / Math.sqrt(2 * n))
    // correlation of draw d with draw d + lag: the same position in the next block, and the next draw
    const correlation = (lag: number) => {
      let s = 0
      for (let d = 0; d + lag < n; d++) s += z[d] * z[d + lag]
      return s / (n - lag) / (m.sd * m.sd)
    }
    expect(Math.abs(correlation(DRAW_BLOCK))).toBeLessThan(4 / Math.sqrt(n))
    expect(Math.abs(correlation(1))).toBeLessThan(4 / Math.sqrt(n))
    // the means of consecutive blocks
    const B = n / DRAW_BLOCK
    const means = Float64Array.from({ length: Math.floor(B) }, (_, b) => z.subarray(b * DRAW_BLOCK, (b + 1) * DRAW_BLOCK).reduce((a, x) => a + x, 0) / DRAW_BLOCK)
    let c = 0, v = 0
    for (let b = 0; b + 1 < means.length; b++) (c += means[b] * means[b + 1]), (v += means[b] * means[b])
    expect(Math.abs(c / v)).toBeLessThan(4 / Math.sqrt(means.length))
  })

  it("adds into a strided buffer", () => {
    const out = new Float64Array(6).fill(1)
    sampleDraws(prepareDistribution({ dist: "uniform", min: 2, max: 2 }, 0, "add", []), streamKey(1, "c"), new RandomStream(), 0, 3, out, 1, 2, true)
    expect(Array.from(out)).toEqual([1, 3, 1, 3, 1, 3])
  })
})
