// Property tests of the year-to-date identities for any generated path and profile.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { annualGrowth, baseProfile, requiredGrowth, ytdPath } from "../../engine/ytd.ts"

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
