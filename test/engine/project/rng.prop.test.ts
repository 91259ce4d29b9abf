// Property tests of the seeded streams and of sampleDraws's keying rule (draw d of a source is
// variate d mod DRAW_BLOCK of its block's stream): draw d depends only on (seed, source, d),
// whatever the chunks the draws are sampled in (block-aligned or not, from any first draw) and
// whatever other sources are sampled between them (common random numbers).
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { StreamPositions, prepareDistribution, sampleDraws } from "../../../engine/project/distributions.ts"
import { DRAW_BLOCK, RandomStream, streamKey } from "../../../engine/project/rng.ts"
import type { Distribution } from "../../../engine/schema/model.ts"

const kinds: Distribution[] = [
  { dist: "normal", sd: 2 },
  { dist: "lognormal", sigma: 0.3, median: 1 },
  { dist: "uniform", min: -1, max: 1 },
  { dist: "triangular", min: -1, max: 3, mode: 0 },
]
const distribution = fc.constantFrom(...kinds).map((d) => prepareDistribution(d, 0, "add", []))
const seed = fc.integer({ min: -(2 ** 50), max: 2 ** 50 })
const chunks = fc.array(fc.integer({ min: 1, max: 2 * DRAW_BLOCK + 37 }), { minLength: 1, maxLength: 6 })
const start = fc.integer({ min: 0, max: 3 * DRAW_BLOCK })

test.prop([seed, fc.string(), distribution, start, chunks])("chunking the draws does not change any draw", (s, source, p, first, sizes) => {
  const n = sizes.reduce((a, b) => a + b, 0)
  const key = streamKey(s, source)
  // every draw from 0, in one call: draws first..first+n-1 are its tail
  const whole = new Float64Array(first + n)
  sampleDraws(p, key, new RandomStream(), 0, first + n, whole, 0, 1, false)
  const parts = new Float64Array(n)
  const stream = new RandomStream()
  let at = 0
  for (const c of sizes) {
    sampleDraws(p, key, stream, first + at, c, parts, at, 1, false)
    at += c
  }
  expect(parts).toEqual(whole.subarray(first))
})

test.prop([seed, fc.string(), fc.string(), distribution, distribution, start, chunks])(
  "sampling another source between the chunks does not change a source's draws (common random numbers)",
  (s, a, b, p, q, first, sizes) => {
    fc.pre(a !== b)
    const n = sizes.reduce((x, y) => x + y, 0)
    const alone = new Float64Array(n)
    sampleDraws(p, streamKey(s, a), new RandomStream(), first, n, alone, 0, 1, false)
    // one stream shared by both sources, a's draws written strided beside b's
    const stream = new RandomStream()
    const both = new Float64Array(2 * n)
    let at = 0
    for (const c of sizes) {
      sampleDraws(q, streamKey(s, b), stream, first + at, c, both, 2 * at + 1, 2, false)
      sampleDraws(p, streamKey(s, a), stream, first + at, c, both, 2 * at, 2, false)
      at += c
    }
    expect(both.filter((_, i) => i % 2 === 0)).toEqual(alone)
  },
)

test.prop([fc.integer({ min: 0, max: 2 ** 52 }), fc.string(), fc.string()])("different sources give different streams", (d, a, b) => {
  fc.pre(a !== b)
  const s = new RandomStream()
  s.reset(streamKey(1, a), d)
  const x = [s.nextU32(), s.nextU32()]
  s.reset(streamKey(1, b), d)
  expect([s.nextU32(), s.nextU32()]).not.toEqual(x)
})

test.prop([seed, fc.array(fc.string(), { minLength: 1, maxLength: 4 }), distribution, start, chunks, fc.integer({ min: 0, max: 5 })])(
  "continuing streams from their saved positions gives the draws of one call, for any chunks, sources and a range taken again",
  (s, sources, p, first, sizes, again) => {
    const n = sizes.reduce((a, b) => a + b, 0)
    const keys = [...new Set(sources)].map((k) => streamKey(s, k))
    const whole = keys.map((key) => {
      const w = new Float64Array(first + n)
      sampleDraws(p, key, new RandomStream(), 0, first + n, w, 0, 1, false)
      return w.subarray(first)
    })
    // every source's chunks in turn through one stream and one set of positions
    const stream = new RandomStream()
    const positions = new StreamPositions()
    const parts = keys.map(() => new Float64Array(n))
    let at = 0
    sizes.forEach((c, i) => {
      keys.forEach((key, k) => sampleDraws(p, key, stream, first + at, c, parts[k]!, at, 1, false, positions))
      // an earlier range sampled again (a failed chunk's draws one by one) leaves the positions right
      if (i === again % sizes.length) keys.forEach((key) => sampleDraws(p, key, stream, first + at, c, new Float64Array(c), 0, 1, false, positions))
      at += c
    })
    parts.forEach((part, k) => expect(part).toEqual(whole[k]))
  },
)
