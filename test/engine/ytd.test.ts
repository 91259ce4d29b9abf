// Unit tests of year-to-date, annual and required growth on small exact examples.
import { describe, expect, it } from "vitest"
import { annualGrowth, baseProfile, daysOf, indicatorProfile, requiredGrowth, segmentsOf, ytdAt, ytdConstant, ytdPath } from "../../engine/ytd.ts"

const ytdOf = (kind: "flow" | "income" | "rate", b: Float64Array, g: number[]) => {
  const out = new Float64Array(g.length)
  ytdPath(kind, b, g, 0, 1, g.length, out)
  return Array.from(out)
}

describe("baseProfile", () => {
  it("normalises weights and is flat by default", () => {
    expect(Array.from(baseProfile([1, 3], 2))).toEqual([0.25, 0.75])
    expect(Array.from(baseProfile(undefined, 4))).toEqual([0.25, 0.25, 0.25, 0.25])
    expect(() => baseProfile([1, 2, 3], 2)).toThrow(RangeError)
  })
})

describe("ytdPath", () => {
  it("flow: sums of levels over sums of base levels (quarterly example by hand)", () => {
    // base levels 10, 20, 30, 40 (profile 1:2:3:4); growth 10, 0, -10, 5
    // levels 11, 20, 27, 42 -> ytd 10, 31/30-1, 58/60-1, 100/100-1
    const b = baseProfile([1, 2, 3, 4], 4)
    const y = ytdOf("flow", b, [10, 0, -10, 5])
    expect(y[0]).toBeCloseTo(10, 12)
    expect(y[1]).toBeCloseTo(100 * (31 / 30 - 1), 12)
    expect(y[2]).toBeCloseTo(100 * (58 / 60 - 1), 12)
    expect(y[3]).toBeCloseTo(0, 12)
    expect(annualGrowth("flow", b, [10, 0, -10, 5])).toBeCloseTo(0, 12)
  })

  it("income cumulates like a flow", () => {
    const b = baseProfile([1, 2, 3, 4], 4)
    expect(ytdOf("income", b, [10, 0, -10, 5])).toEqual(ytdOf("flow", b, [10, 0, -10, 5]))
  })

  it("rate: the running average of growth", () => {
    const b = baseProfile(undefined, 4)
    expect(ytdOf("rate", b, [4, 2, 6, 0])).toEqual([4, 3, 4, 3])
  })

  it("reads a strided path and agrees with ytdAt", () => {
    const b = baseProfile([2, 1, 1], 3)
    const strided = [5, -1, 7, -1, 9, -1]
    const out = new Float64Array(3)
    ytdPath("flow", b, strided, 0, 2, 3, out)
    for (let t = 1; t <= 3; t++) expect(out[t - 1]).toBe(ytdAt("flow", b, strided, 0, 2, t))
    // (2*1.05 + 1.07 + 1.09)/4 - 1
    expect(out[2]).toBeCloseTo(100 * ((2 * 1.05 + 1.07 + 1.09) / 4 - 1), 12)
  })
})

describe("requiredGrowth", () => {
  it("flow: the common growth of the unobserved periods that meets the annual target exactly", () => {
    const b = baseProfile([1, 2, 3, 4], 4)
    const g = [10, 0, -10, 5]
    for (const observed of [0, 1, 2, 3]) {
      const req = requiredGrowth("flow", b, g, observed, 7)!
      const filled = g.map((x, t) => (t < observed ? x : req))
      expect(annualGrowth("flow", b, filled)).toBeCloseTo(7, 10)
    }
    // hand value with two months observed: (1.07*100 - 31) / 70 - 1
    expect(requiredGrowth("flow", b, g, 2, 7)).toBeCloseTo(100 * ((107 - 31) / 70 - 1), 10)
  })

  it("with nothing observed the required growth is the target itself", () => {
    expect(requiredGrowth("flow", baseProfile([3, 1, 1, 5], 4), [0, 0, 0, 0], 0, 6.5)).toBeCloseTo(6.5, 12)
    expect(requiredGrowth("rate", baseProfile(undefined, 4), [0, 0, 0, 0], 0, 6.5)).toBeCloseTo(6.5, 12)
  })

  it("rate: closed form on the average", () => {
    const b = baseProfile(undefined, 4)
    // (4 + 2 + 2g)/4 = 5 -> g = 7
    expect(requiredGrowth("rate", b, [4, 2, 0, 0], 2, 5)).toBe(7)
  })

  it("is null when everything is observed or the level would have to be negative", () => {
    const b = baseProfile(undefined, 4)
    expect(requiredGrowth("flow", b, [1, 2, 3, 4], 4, 5)).toBeNull()
    expect(requiredGrowth("flow", b, [300, 300, 300, 0], 3, 0)).toBeNull()
  })
})

describe("calendar-day weights", () => {
  it("counts the days of a period: February 2024 has 29, Q1 2024 91, 2024 366", () => {
    expect(daysOf(2024, 12, 1)).toBe(29)
    expect(daysOf(2023, 12, 1)).toBe(28)
    expect(daysOf(2024, 12, 0)).toBe(31)
    expect(daysOf(2024, 4, 0)).toBe(91)
    expect(daysOf(2023, 4, 0)).toBe(90)
    expect(daysOf(2024, 1, 0)).toBe(366)
    expect(daysOf(1900, 12, 1)).toBe(28)
    expect(daysOf(2000, 12, 1)).toBe(29)
  })

  it("shows the leap day in January-February flows: at zero growth per day, Jan-Feb ytd is 60/59 - 1 on a day-proportional profile", () => {
    const days2023 = Array.from({ length: 12 }, (_, k) => daysOf(2023, 12, k))
    const leap = { days: true, baseYear: 2023, planYear: 2024 }
    const b = indicatorProfile({ kind: "flow", profile: days2023 }, leap, 12)
    const out = new Float64Array(12)
    ytdPath("flow", b, new Array(12).fill(0), 0, 1, 12, out)
    expect(out[0]).toBe(0)
    expect(out[1]).toBeCloseTo(100 * (60 / 59 - 1), 12) // 1.695%
    expect(out[11]).toBeCloseTo(100 * (366 / 365 - 1), 12) // 0.274%
    // off, or for an income (by default), or an indicator that opts out: no day weights
    for (const [ind, cal] of [
      [{ kind: "flow" as const, profile: days2023 }, { baseYear: 2023, planYear: 2024 }],
      [{ kind: "income" as const, profile: days2023 }, leap],
      [{ kind: "flow" as const, days: false, profile: days2023 }, leap],
    ] as const) {
      const p = indicatorProfile(ind, cal, 12)
      expect(p.plan).toBeUndefined()
      ytdPath(ind.kind, p, new Array(12).fill(0), 0, 1, 12, out)
      expect(out[1]).toBe(0)
    }
    // an income can opt in
    expect(indicatorProfile({ kind: "income", days: true }, leap, 12).plan).toBeDefined()
  })

  it("a release of Jan-Feb fixes the per-day growth: 5.5% published on a flat profile is 3.69% per day", () => {
    const b = indicatorProfile({ kind: "flow" }, { days: true, baseYear: 2023, planYear: 2024 }, 12)
    const [s] = segmentsOf("flow", b, [{ through: 1, ytd: 5.5, event: "jan-feb" }])
    // (1 + g)(1 + 29/28) / 2 = 1.055
    expect(s!.growth).toBeCloseTo(100 * ((2 * 1.055) / (1 + 29 / 28) - 1), 12)
    expect(ytdConstant("flow", b, 1)).toBeCloseTo(100 * ((1 + 29 / 28) / 2 - 1), 12)
    expect(ytdConstant("flow", b, 0)).toBe(0)
  })
})
