// The benchmark's peers must solve the model the engine solves: the hand-written Duji loop
// (bench/peers/handwritten.ts) and the mathjs-evaluate peer (bench/peers/mathjs.ts) against
// the compiled engine on random inputs (every add-factor of every period perturbed), to
// 1e-9; and the hand-written equations against the text of scenarios/duji-2024/model.yaml,
// so an edit of the model that the peer does not follow fails here instead of drifting.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { compile, decodeModel, parseDocument, type CompiledModel } from "../../engine/index.ts"
import { annualLayout, reduceAnnual, sampleInputs, type BenchInputs } from "../../bench/inputs.ts"
import { handwrittenDuji, HANDWRITTEN_EQUATIONS, HANDWRITTEN_OBSERVABLES } from "../../bench/peers/handwritten.ts"
import { mathjsPeer } from "../../bench/peers/mathjs.ts"

const compiled: CompiledModel = compile(decodeModel(parseDocument(readFileSync("scenarios/duji-2024/model.yaml", "utf8")).value))

/** Inputs drawn from the model's own uncertainty, then every add-factor shaken by a uniform in [-5, 5] pp. */
const randomInputs = (draws: number, seed: number): BenchInputs => {
  const inputs = sampleInputs(compiled, draws, seed)
  let s = seed >>> 0 || 1
  const next = (): number => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
  for (let i = 0; i < inputs.addFactors.length; i++) inputs.addFactors[i]! += 10 * next() - 5
  return inputs
}

const engineRun = (inputs: BenchInputs): { out: Float64Array; annual: Float64Array } => {
  const n = compiled.endogenous.length
  const out = new Float64Array(inputs.draws * inputs.T * n)
  compiled.simulate(inputs, out)
  const layout = annualLayout(compiled)
  const annual = new Float64Array(inputs.draws * layout.column.length)
  reduceAnnual(layout, out, inputs.draws, inputs.T, n, annual)
  return { out, annual }
}

const maxDiff = (a: Float64Array, b: Float64Array): number => {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

describe("hand-written Duji peer", () => {
  it("implements exactly the model's equations", () => {
    expect(HANDWRITTEN_EQUATIONS).toEqual(compiled.model.equations)
    expect(HANDWRITTEN_OBSERVABLES).toEqual(Object.fromEntries(Object.entries(compiled.model.observables).map(([id, o]) => [id, o.expression])))
  })
  it.each([1, 2, 3])("solves like the engine on random inputs (seed %i)", (seed) => {
    const inputs = randomInputs(200, seed)
    const engine = engineRun(inputs)
    const out = new Float64Array(engine.out.length)
    const annual = new Float64Array(engine.annual.length)
    handwrittenDuji(compiled)(inputs, out, annual)
    expect(maxDiff(out, engine.out)).toBeLessThan(1e-9)
    expect(maxDiff(annual, engine.annual)).toBeLessThan(1e-9)
    // and the comparison is not vacuous: the draws differ from each other
    expect(new Set(Array.from(annual.subarray(0, 50))).size).toBeGreaterThan(40)
  })
})

describe("mathjs-evaluate peer", () => {
  it("gives the engine's annual growths", () => {
    const inputs = randomInputs(20, 4)
    const engine = engineRun(inputs)
    const annual = new Float64Array(engine.annual.length)
    const stats = mathjsPeer(compiled)(inputs, inputs.draws, annual)
    expect(maxDiff(annual, engine.annual)).toBeLessThan(1e-9)
    expect(stats.evaluations).toBeGreaterThan(inputs.draws * inputs.T * compiled.endogenous.length)
  })
})
