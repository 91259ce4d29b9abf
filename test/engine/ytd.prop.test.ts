// Property tests of the year-to-date identities for any generated path and profile; with the
// calendar-day weights off (or no leap day between the years) every function gives the bits of
// the arithmetic before the option existed, and with a leap day the identities still hold.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { annualGrowth, annualOfBatch, baseProfile, indicatorProfile, requiredGrowth, segmentsOf, ytdAt, ytdBatch, ytdConstant, ytdOfBatch, ytdPath, ytdWeights } from "../../engine/ytd.ts"

const growth = fc.double({ min: -60, max: 80, noNaN: true })
const kind = fc.constantFrom("flow" as const, "income" as const, "rate" as const)
const caseArb = fc.integer({ min: 1, max: 12 }).chain((P) =>
  fc.record({
    kind,
    profile: fc.option(fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: P, maxLength: P }), { nil: undefined }),
    g: fc.array(growth, { minLength: P, maxLength: P }),
  }),
)

test.prop([caseArb])("annual = ytd at the last period of the year", ({ kind, profile, g }) => {
  const b = baseProfile(profile, g.length)
  const out = new Float64Array(g.length)
  ytdPath(kind, b, g, 0, 1, g.length, out)
  expect(annualGrowth(kind, b, g)).toBe(out[g.length - 1])
})

test.prop([caseArb, growth])("ytd of a constant growth path is that growth", ({ kind, profile, g }, c) => {
  const b = baseProfile(profile, g.length)
  const out = new Float64Array(g.length)
  ytdPath(kind, b, g.map(() => c), 0, 1, g.length, out)
  for (const y of out) expect(Math.abs(y - c)).toBeLessThan(1e-9 * (1 + Math.abs(c)))
})

test.prop([caseArb])("ytd is a weighted mean of the growths so far: between their min and max", ({ kind, profile, g }) => {
  const b = baseProfile(profile, g.length)
  const out = new Float64Array(g.length)
  ytdPath(kind, b, g, 0, 1, g.length, out)
  expect(out[0]).toBeCloseTo(g[0], 9)
  for (let t = 0; t < g.length; t++) {
    const seen = g.slice(0, t + 1)
    expect(out[t]).toBeGreaterThanOrEqual(Math.min(...seen) - 1e-9)
    expect(out[t]).toBeLessThanOrEqual(Math.max(...seen) + 1e-9)
  }
})

test.prop([caseArb, fc.nat(), growth])("required growth fed back meets the annual target", ({ kind, profile, g }, k, target) => {
  const b = baseProfile(profile, g.length)
  const observed = k % g.length
  const req = requiredGrowth(kind, b, g, observed, target)
  if (req === null) return
  const filled = g.map((x, t) => (t < observed ? x : req))
  expect(Math.abs(annualGrowth(kind, b, filled) - target)).toBeLessThan(1e-8 * (1 + Math.abs(target)))
})

// --- calendar-day weights (calendar.days) ---

/** The year-to-date arithmetic as it was before calendar-day weights existed, for bit-for-bit comparison. */
const reference = {
  ytdPath(kind: "flow" | "income" | "rate", b: Float64Array, g: readonly number[]): Float64Array {
    const out = new Float64Array(g.length)
    if (kind === "rate") {
      let sum = 0
      for (let t = 0; t < g.length; t++) out[t] = (sum += g[t]) / (t + 1)
      return out
    }
    let level = 0
    let base = 0
    for (let t = 0; t < g.length; t++) {
      const bt = b[t]
      level += bt * (1 + g[t] / 100)
      base += bt
      out[t] = 100 * (level / base - 1)
    }
    return out
  },
  required(kind: "flow" | "income" | "rate", b: Float64Array, g: readonly number[], observed: number, annual: number): number | null {
    const P = b.length
    if (observed >= P) return null
    if (kind === "rate") {
      let sum = 0
      for (let t = 0; t < observed; t++) sum += g[t]
      return (P * annual - sum) / (P - observed)
    }
    let fixedLevel = 0
    let total = 0
    let rest = 0
    for (let t = 0; t < P; t++) {
      total += b[t]
      if (t < observed) fixedLevel += b[t] * (1 + g[t] / 100)
      else rest += b[t]
    }
    const r = 100 * (((1 + annual / 100) * total - fixedLevel) / rest - 1)
    return r < -100 ? null : r
  },
  segmentGrowths(kind: "flow" | "income" | "rate", b: Float64Array, releases: readonly { through: number; ytd: number }[]): number[] {
    const out: number[] = []
    let prevThrough = -1, prevCum = 0, prevBase = 0, cumBase = 0, t = 0
    for (const r of releases) {
      for (; t <= r.through; t++) cumBase += b[t]
      const n = r.through - prevThrough
      let cum: number
      if (kind === "rate") {
        cum = (r.through + 1) * r.ytd
        out.push((cum - prevCum) / n)
      } else {
        cum = (1 + r.ytd / 100) * cumBase
        out.push(100 * ((cum - prevCum) / (cumBase - prevBase) - 1))
      }
      prevThrough = r.through
      prevCum = cum
      prevBase = cumBase
    }
    return out
  },
}

const monthly = fc.record({
  kind,
  profile: fc.option(fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
  g: fc.array(growth, { minLength: 12, maxLength: 12 }),
  // the calendar: days off (absent or false), or on for a pair of years with no leap day between them
  calendar: fc.constantFrom<{ days?: boolean; baseYear: number; planYear: number }>(
    { baseYear: 2023, planYear: 2024 },
    { days: false, baseYear: 2023, planYear: 2024 },
    { days: true, baseYear: 2022, planYear: 2023 },
    { days: true, baseYear: 2025, planYear: 2026 },
  ),
  days: fc.option(fc.boolean(), { nil: undefined }),
  observed: fc.integer({ min: 0, max: 12 }),
  target: growth,
  throughs: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 5 }),
})

test.prop([monthly])("without day weights (option off, or no leap day) every result is bit for bit the old arithmetic", (c) => {
  if (c.kind === "rate" && c.days === true) return // refused by the schema
  const p = indicatorProfile({ kind: c.kind, days: c.days, profile: c.profile }, c.calendar, 12)
  const b = baseProfile(c.profile, 12)
  if (c.calendar.days !== true) expect(p.plan).toBeUndefined()
  expect(Array.from(p)).toEqual(Array.from(b))
  const out = new Float64Array(12)
  ytdPath(c.kind, p, c.g, 0, 1, 12, out)
  const want = reference.ytdPath(c.kind, b, c.g)
  for (let t = 0; t < 12; t++) expect(Object.is(out[t], want[t])).toBe(true)
  for (let n = 1; n <= 12; n++) expect(Object.is(ytdAt(c.kind, p, c.g, 0, 1, n), want[n - 1])).toBe(true)
  expect(Object.is(annualGrowth(c.kind, p, c.g), want[11])).toBe(true)
  const req = requiredGrowth(c.kind, p, c.g, c.observed, c.target)
  const reqWant = reference.required(c.kind, b, c.g, c.observed, c.target)
  expect(req === null ? null : Object.is(req, reqWant)).toBe(reqWant === null ? null : true)
  const throughs = [...c.throughs].sort((x, y) => x - y)
  const releases = throughs.map((through) => ({ through, ytd: want[through], event: `r${through}` }))
  const got = segmentsOf(c.kind, p, releases).map((s) => s.growth)
  reference.segmentGrowths(c.kind, b, releases).forEach((x, i) => expect(Object.is(got[i], x)).toBe(true))
  expect(ytdConstant(c.kind, p, 11)).toBe(0)
})

const leap = fc.record({
  profile: fc.option(fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
  g: fc.array(growth, { minLength: 12, maxLength: 12 }),
  observed: fc.integer({ min: 0, max: 11 }),
  target: fc.double({ min: -20, max: 30, noNaN: true }),
  throughs: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 5 }),
})
const LEAP = { days: true, baseYear: 2023, planYear: 2024 }

test.prop([leap])("with a leap day, ytd is affine: its constant plus the day-weighted growths, and the identities still hold", (c) => {
  const p = indicatorProfile({ kind: "flow", profile: c.profile }, LEAP, 12)
  expect(p.plan).toBeDefined()
  const out = new Float64Array(12)
  ytdPath("flow", p, c.g, 0, 1, 12, out)
  for (let t = 0; t < 12; t++) {
    let base = 0
    for (let s = 0; s <= t; s++) base += p[s]
    let y = ytdConstant("flow", p, t)
    for (let s = 0; s <= t; s++) y += (p.plan![s] / base) * c.g[s]
    expect(Math.abs(out[t] - y)).toBeLessThan(1e-9 * (1 + Math.abs(y)))
  }
  // January is untouched, February on carries the day
  expect(Object.is(out[0], reference.ytdPath("flow", p, c.g)[0])).toBe(true)
  // the required growth fed back meets the target
  const req = requiredGrowth("flow", p, c.g, c.observed, c.target)
  if (req !== null) {
    const filled = c.g.map((x, t) => (t < c.observed ? x : req))
    expect(Math.abs(annualGrowth("flow", p, filled) - c.target)).toBeLessThan(1e-8 * (1 + Math.abs(c.target)))
  }
  // a path with each segment's mean growth reproduces the releases
  const throughs = [...c.throughs].sort((x, y) => x - y)
  const segments = segmentsOf("flow", p, throughs.map((through) => ({ through, ytd: out[through], event: `r${through}` })))
  const flat = new Array<number>(12).fill(0)
  for (const s of segments) for (let t = s.first; t <= s.last; t++) flat[t] = s.growth
  for (const t of throughs) expect(Math.abs(ytdAt("flow", p, flat, 0, 1, t + 1) - out[t])).toBeLessThan(1e-9 * (1 + Math.abs(out[t])))
})

// the flat batch layout (project()'s per-chunk pass) gives, draw by draw, the bits of ytdPath and ytdAt,
// with and without day weights, for solutions laid out out[d*T*n + t*n + j] with T >= P
const batchCase = fc.integer({ min: 1, max: 12 }).chain((P) =>
  fc.record({
    P: fc.constant(P),
    extra: fc.integer({ min: 0, max: 3 }), // horizon periods after the plan year
    n: fc.integer({ min: 1, max: 4 }), // solution width
    draws: fc.integer({ min: 1, max: 5 }),
    indicators: fc.array(
      fc.record({
        kind,
        profile: fc.option(fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: P, maxLength: P }), { nil: undefined }),
        days: fc.boolean(),
        column: fc.nat(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    values: fc.array(growth, { minLength: 5 * 15 * 4, maxLength: 5 * 15 * 4 }),
  }),
)

test.prop([batchCase])("the batch layout's annual and year-to-date values are ytdAt's and ytdPath's, bit for bit", (c) => {
  const T = c.P + c.extra
  const calendar = { days: c.P === 12, baseYear: 2023, planYear: 2024 } // a leap February when monthly
  const frames = c.indicators.map((ind) => ({
    kind: ind.kind,
    b: ind.kind !== "rate" && ind.days && c.P === 12 ? indicatorProfile({ kind: ind.kind, days: true, profile: ind.profile }, calendar, 12) : baseProfile(ind.profile, c.P),
    j: ind.column % c.n,
  }))
  const out = Float64Array.from(c.values.slice(0, c.draws * T * c.n))
  const layout = ytdBatch(frames, c.P)
  const K = frames.length
  const annual = new Float64Array(c.draws * K)
  annualOfBatch(layout, out, c.draws, T, c.n, annual)
  const ytd = new Float64Array(K * c.P * c.draws)
  frames.forEach((_, k) => ytdOfBatch(layout, k, out, c.draws, T, c.n, ytd, k * c.P * c.draws, c.draws))
  const path = new Float64Array(c.P)
  frames.forEach((f, k) => {
    for (let d = 0; d < c.draws; d++) {
      const at = d * T * c.n + f.j
      expect(Object.is(annual[d * K + k], ytdAt(f.kind, f.b, out, at, c.n, c.P))).toBe(true)
      ytdPath(f.kind, f.b, out, at, c.n, c.P, path)
      for (let t = 0; t < c.P; t++) expect(Object.is(ytd[k * c.P * c.draws + t * c.draws + d], path[t])).toBe(true)
    }
  })
})

test.prop([monthly, fc.boolean()])("ytd is its constant plus the ytdWeights-weighted growths so far, with and without a leap day", (c, leapDay) => {
  const days = leapDay && c.kind !== "rate"
  const p = indicatorProfile({ kind: c.kind, profile: c.profile }, days ? LEAP : c.calendar, 12)
  const out = new Float64Array(12)
  ytdPath(c.kind, p, c.g, 0, 1, 12, out)
  for (let t = 0; t < 12; t++) {
    const w = new Float64Array(13).fill(-1)
    ytdWeights(c.kind, p, t, w, 1)
    expect(w[0]).toBe(-1) // nothing before the offset
    for (let s = t + 2; s < 13; s++) expect(w[s]).toBe(-1) // nor after the period
    let y = ytdConstant(c.kind, p, t)
    for (let s = 0; s <= t; s++) y += w[1 + s] * c.g[s]
    expect(Math.abs(out[t] - y)).toBeLessThan(1e-9 * (1 + Math.abs(y)))
  }
})
