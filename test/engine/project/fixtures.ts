// Tiny hand-written models for the projection tests: a quarterly linear model with a
// simultaneous block, lags, every distribution kind and every target kind, and a variant with
// no uncertainty at all; a model whose draws fail where a parameter is drawn below zero; and
// the dense Gaussian conditioning the conditioning tests compare with. Test support only. Pure.
import { compile, type CompiledModel } from "../../../engine/compile/index.ts"
import { emptyState, stateOfLog, toInputs, type ScenarioState } from "../../../engine/scenario/index.ts"
import { projectEnsemble } from "../../../engine/project/project.ts"
import { Model, type ModelInput } from "../../../engine/schema/model.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"

/** Parameters of the linear model: y = k + a*c + z + af_y; c = b*y + d*c(-1) + 1 + af_c; r = 0.2*y + 1. */
export const LINEAR = { a: 0.5, b: 0.6, d: 0.3, k: 2 }

export const linearModel = (uncertain = true, over: Partial<ModelInput> = {}): ModelInput => ({
  name: "tiny-linear",
  calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 },
  indicators: [
    {
      id: "y",
      name: "Output",
      name_zh: "产出",
      kind: "flow",
      base: { growth: 5 },
      profile: [1, 2, 3, 4],
      target: { kind: "atLeast", value: 9 },
      ...(uncertain ? { error: { dist: "normal", sd: 1 } } : {}),
    },
    { id: "c", name: "Consumption", kind: "income", base: { growth: 4 }, target: { kind: "around", value: 5, band: 0.5 } },
    {
      id: "r",
      name: "Rate",
      kind: "rate",
      base: { growth: 2 },
      target: { kind: "atMost", value: 3 },
      ...(uncertain ? { error: { dist: "triangular", min: -1, max: 2 } } : {}),
    },
  ],
  parameters: {
    a: { value: LINEAR.a, ...(uncertain ? { uncertainty: { dist: "normal", sd: 0.05 } } : {}) },
    b: { value: LINEAR.b, ...(uncertain ? { uncertainty: { dist: "lognormal", sigma: 0.05 } } : {}) },
    d: { value: LINEAR.d },
    k: { value: LINEAR.k },
  },
  exogenous: { z: { values: [1, 2, 3, 4], ...(uncertain ? { uncertainty: { dist: "uniform", min: -1, max: 1 } } : {}) } },
  equations: {
    y: "k + a * c + z",
    c: "b * y + d * c(-1) + 1",
    r: "0.2 * y + 1",
  },
  ...over,
})

const cache = new Map<string, CompiledModel>()
/** Compiles a model input once per test file. */
export const compiled = (input: ModelInput): CompiledModel => {
  const key = JSON.stringify(input)
  let c = cache.get(key)
  if (!c) {
    c = compile(Model.parse(input))
    cache.set(key, c)
  }
  return c
}

/** A state of the given events (assumed valid). */
export const stateOf = (...events: ScenarioEvent[]): ScenarioState => stateOfLog(events)

/**
 * Dense Gaussian conditioning of a linear functional on noisy linear observations, the closed
 * form the conditioning tests compare with: a zero-mean state x with covariance cov(a, b) over
 * n coordinates, observations y_k = obs[k] . x + e_k (e_k independent, sd `noise`) with y
 * given as deviations from their prior means; returns the posterior shift of target . x and its
 * posterior sd. Two observations (solved by the 2x2 inverse).
 */
export const gaussianPosterior = (
  n: number,
  cov: (a: number, b: number) => number,
  obs: readonly [number[], number[]],
  y: readonly [number, number],
  noise: number,
  target: readonly number[],
): { shift: number; sd: number } => {
  const cv = (f: readonly number[], g: readonly number[]) => f.reduce((s, fi, i) => s + g.reduce((t, gj, j) => t + fi * gj * cov(i, j), 0), 0)
  const S = obs.map((f, k) => obs.map((g, l) => cv(f, g) + (k === l ? noise * noise : 0)))
  const det = S[0]![0]! * S[1]![1]! - S[0]![1]! * S[1]![0]!
  const inv = [
    [S[1]![1]! / det, -S[0]![1]! / det],
    [-S[1]![0]! / det, S[0]![0]! / det],
  ]
  const c = obs.map((f) => cv(target, f))
  const gain = [c[0]! * inv[0]![0]! + c[1]! * inv[1]![0]!, c[0]! * inv[0]![1]! + c[1]! * inv[1]![1]!]
  return { shift: gain[0]! * y[0] + gain[1]! * y[1], sd: Math.sqrt(cv(target, target) - gain[0]! * c[0]! - gain[1]! * c[1]!) }
}

/**
 * A model whose draws fail where a parameter is drawn at or below zero: y = a, z = log(a)
 * (rates, monthly), a ~ `uncertainty` around 1. `nonlinear` adds an indicator w = y * y, so
 * the model is not affine in its errors and releases condition it by resample-move; y's
 * releases have noise sd `releaseSd`.
 */
export const failingModel = (uncertainty: NonNullable<ModelInput["parameters"]>[string]["uncertainty"], opts: { z?: string; nonlinear?: boolean; releaseSd?: number } = {}): CompiledModel =>
  compile(
    Model.parse({
      name: "fails",
      calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
      indicators: [
        { id: "y", name: "y", kind: "rate", base: { growth: 1 }, target: { kind: "atLeast", value: 1 }, release: { sd: opts.releaseSd ?? 0.5 } },
        { id: "z", name: "z", kind: "rate", base: { growth: 0 } },
        ...(opts.nonlinear ? [{ id: "w", name: "w", kind: "rate" as const, base: { growth: 1 } }] : []),
      ],
      parameters: { a: { value: 1, uncertainty } },
      equations: { y: "a", z: opts.z ?? "log(a)", ...(opts.nonlinear ? { w: "y * y" } : {}) },
    }),
  )

/**
 * The values of `a` failingModel draws, draw by draw: the same model without the logarithm
 * (same seed, same source), unconditioned; with `nonlinear`, as resample-move's particles draw
 * it at the start (conditioned on `events`, releases too weak to resample: the ensemble's draw
 * d is then particle d).
 */
export const drawnA = (seed: number, draws: number, nonlinear?: { readonly events: readonly ScenarioEvent[] }): number[] => {
  const c = failingModel({ dist: "normal", sd: 1 }, { z: "0", nonlinear: nonlinear !== undefined })
  const { ensemble } = projectEnsemble(c, toInputs(c, nonlinear ? stateOfLog(nonlinear.events) : emptyState), { draws, seed, scenario: "a" })
  return Array.from({ length: draws }, (_, d) => ensemble.annual[d * ensemble.indicators]!)
}
