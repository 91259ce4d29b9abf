// Property tests of the seeded streams: draw d of a source depends only on (seed, source, d),
// whatever the chunks the draws are sampled in.
import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { prepareDistribution, sampleDraws } from "../../../engine/project/distributions.ts"
import { RandomStream, streamKey } from "../../../engine/project/rng.ts"

test.prop([fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.string(), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 })])(
  "chunking the draws does not change any draw",
  (seed, source, chunks) => {
    const n = chunks.reduce((a, b) => a + b, 0)
    const p = prepareDistribution({ dist: "triangular", min: -1, max: 3, mode: 0 }, 0, "add", [])
    const key = streamKey(seed, source)
    const whole = new Float64Array(n)
    sampleDraws(p, key, new RandomStream(), 0, n, whole, 0, 1, false)
    const parts = new Float64Array(n)
    const s = new RandomStream()
    let first = 0
    for (const c of chunks) {
      sampleDraws(p, key, s, first, c, parts, first, 1, false)
      first += c
    }
    expect(parts).toEqual(whole)
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
