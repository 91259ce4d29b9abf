// The benchmark's shared work: one set of pre-sampled simulation inputs for a compiled model
// (parameters, exogenous series, add-factors per draw), drawn once from the engine's seeded
// generator so every implementation solves exactly the same numbers, and the reduction every
// implementation must match (annual growth of every indicator per draw). Also writes the
// inputs as raw little-endian float64 files plus a JSON description for the numpy peer.
// Shell-side helper of bench/run.ts (writes files in `writeInputs` only).
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CompiledModel, SimulationInput, Distribution } from "../engine/index.ts"
import { RandomStream, streamKey } from "../engine/project/rng.ts"
import { annualOfBatch, indicatorProfile, ytdBatch, type Profile, type YtdBatch } from "../engine/ytd.ts"

/** Pre-sampled inputs for `draws` runs of a model, with the names that index them. */
export interface BenchInputs extends SimulationInput {
  readonly T: number
  readonly endogenous: readonly string[]
  readonly exogenous: readonly string[]
  readonly parameters: readonly string[]
}

/** A spread for a distribution: its standard deviation where it has one that is easy to state, else `fallback`. */
const spread = (d: Distribution | undefined, fallback: number): number => {
  if (!d) return fallback
  switch (d.dist) {
    case "normal":
      return d.sd
    case "uniform":
    case "triangular":
      return (d.max - d.min) / Math.sqrt(12)
    case "lognormal":
      return fallback
  }
}

/**
 * Samples inputs like a Monte Carlo projection of the model's own uncertainty: each parameter
 * its value plus a normal of its stated spread (clamped into its `range` when it has one),
 * each exogenous series its values plus one normal per draw, each endogenous variable its
 * equation error (one normal per draw, the same in every period). No observed periods.
 */
export const sampleInputs = (compiled: CompiledModel, draws: number, seed: number): BenchInputs => {
  const m = compiled.model
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  const nx = compiled.exogenous.length
  const np = compiled.parameters.length
  const stream = new RandomStream()
  const params = new Float64Array(draws * np)
  compiled.parameters.forEach((name, i) => {
    const p = m.parameters[name]!
    const sd = spread(p.uncertainty, 0)
    const key = streamKey(seed, `parameter:${name}`)
    for (let d = 0; d < draws; d++) {
      stream.reset(key, d)
      let x = p.value + sd * stream.normal()
      if (p.range) x = Math.min(Math.max(x, p.range[0]), p.range[1])
      params[d * np + i] = x
    }
  })
  const exo = new Float64Array(draws * T * nx)
  compiled.exogenous.forEach((name, i) => {
    const e = m.exogenous[name]!
    const values = e.values!
    const sd = spread(e.uncertainty, 0)
    const key = streamKey(seed, `exogenous:${name}`)
    for (let d = 0; d < draws; d++) {
      stream.reset(key, d)
      const z = sd * stream.normal()
      for (let t = 0; t < T; t++) {
        const v = typeof values === "number" ? values : values[Math.min(t, values.length - 1)]!
        exo[(d * T + t) * nx + i] = v + z
      }
    }
  })
  const addFactors = new Float64Array(draws * T * n)
  compiled.endogenous.forEach((name, j) => {
    const error = m.indicators.find((x) => x.id === name)?.error ?? m.variables[name]?.error
    const sd = spread(error, 0)
    if (sd === 0) return
    const key = streamKey(seed, `error:${name}`)
    for (let d = 0; d < draws; d++) {
      stream.reset(key, d)
      const z = sd * stream.normal()
      for (let t = 0; t < T; t++) addFactors[(d * T + t) * n + j] = z
    }
  })
  return {
    draws,
    params,
    exo,
    addFactors,
    fixed: new Uint8Array(T * n),
    fixedValues: new Float64Array(T * n),
    T,
    endogenous: compiled.endogenous,
    exogenous: compiled.exogenous,
    parameters: compiled.parameters,
  }
}

/**
 * Views of `inputs` in consecutive chunks of at most `size` draws (subarrays, no copies): the
 * engine's projection works chunk by chunk too, so each chunk's solution is reduced while it
 * is still in cache and no draws x periods x variables array is ever needed.
 */
export const chunksOf = (inputs: BenchInputs, size: number): { start: number; input: BenchInputs }[] => {
  const n = inputs.endogenous.length
  const nx = inputs.exogenous.length
  const np = inputs.parameters.length
  const T = inputs.T
  const out: { start: number; input: BenchInputs }[] = []
  for (let start = 0; start < inputs.draws; start += size) {
    const end = Math.min(inputs.draws, start + size)
    out.push({
      start,
      input: {
        ...inputs,
        draws: end - start,
        params: inputs.params.subarray(start * np, end * np),
        exo: inputs.exo.subarray(start * T * nx, end * T * nx),
        addFactors: inputs.addFactors.subarray(start * T * n, end * T * n),
      },
    })
  }
  return out
}

/** The model's indicators as the reduction needs them: position in `endogenous`, kind, normalised base profile (with its calendar-day weights, if any). */
export interface IndicatorLayout {
  readonly id: string
  readonly index: number
  readonly kind: "flow" | "income" | "rate"
  readonly profile: Profile
}

/** The indicators of a compiled model, in model order. */
export const indicatorLayout = (compiled: CompiledModel): IndicatorLayout[] =>
  compiled.model.indicators.map((i) => ({
    id: i.id,
    index: compiled.endogenous.indexOf(i.id),
    kind: i.kind,
    profile: indicatorProfile(i, compiled.model.calendar, compiled.periodsPerYear),
  }))

/** The engine's flat year-to-date layout of a model's indicators (engine/ytd.ts), built once. */
export const annualLayout = (compiled: CompiledModel): YtdBatch =>
  ytdBatch(indicatorLayout(compiled).map((i) => ({ kind: i.kind, b: i.profile, j: i.index })), compiled.periodsPerYear)

/**
 * The engine's reduction of a solved batch: annual growth of every indicator per draw, into
 * annual[d * nInd + k], with the engine's own year-to-date function (the one project() uses).
 */
export const reduceAnnual = (layout: YtdBatch, out: Float64Array, draws: number, T: number, n: number, annual: Float64Array): void =>
  annualOfBatch(layout, out, draws, T, n, annual)

/** The lag history (one year, most recent last) of every endogenous variable that has one: `history`, else an indicator's base growth. */
export const histories = (compiled: CompiledModel): Record<string, number[]> => {
  const m = compiled.model
  const P = compiled.periodsPerYear
  const year = (h: number | readonly number[]): number[] => (typeof h === "number" ? Array.from({ length: P }, () => h) : [...h])
  const out: Record<string, number[]> = {}
  for (const i of m.indicators) out[i.id] = year(i.history ?? i.base.growth)
  for (const [name, v] of Object.entries(m.variables)) if (v.history !== undefined) out[name] = year(v.history)
  return out
}

/** Writes the inputs for the numpy peer: params.f64, exo.f64, af.f64 (little-endian float64) and inputs.json. */
export const writeInputs = (dir: string, compiled: CompiledModel, inputs: BenchInputs): void => {
  const raw = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  writeFileSync(join(dir, "params.f64"), raw(inputs.params))
  writeFileSync(join(dir, "exo.f64"), raw(inputs.exo))
  writeFileSync(join(dir, "af.f64"), raw(inputs.addFactors))
  const layout = indicatorLayout(compiled)
  writeFileSync(
    join(dir, "inputs.json"),
    JSON.stringify({
      draws: inputs.draws,
      T: inputs.T,
      periodsPerYear: compiled.periodsPerYear,
      endogenous: inputs.endogenous,
      exogenous: inputs.exogenous,
      parameters: inputs.parameters,
      indicators: layout.map((i) => ({ id: i.id, kind: i.kind, profile: [...i.profile], plan: i.profile.plan === undefined ? null : [...i.profile.plan] })),
      history: histories(compiled),
    }),
  )
}
