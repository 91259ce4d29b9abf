// The Monte Carlo plan: what a compiled model and a scenario's inputs fix for every draw of a
// run (central inputs, resolved releases, the uncertain terms and their streams). draw-runner.ts
// turns a plan into the compiled model's SimulationInput chunk by chunk, each uncertain term
// sampled from its own counter-based stream (rng.ts), and runs the simulation.
//
// Uncertain terms and their source keys (common random numbers, see rng.ts):
//   parameter uncertainty (the model's, or a set-parameter override's)  "parameter:<name>"
//     replaces the parameter's value in that draw, centred on its central value;
//   exogenous uncertainty                                               "exogenous:<name>"
//   equation error of an indicator or variable (an observable's noise)  "error:<name>"
//     one draw per Monte Carlo draw, added to every period of the horizon;
//   an uncertain shock (event sd/uncertainty)                           "shock:<event>#<effect>"
//     one draw per Monte Carlo draw, added in the shock's periods first..last.
// Every term is sampled for the whole chunk at once by distributions.ts's `sampleDraws`: draw d
// of a term is variate d mod DRAW_BLOCK of the term's stream of block floor(d / DRAW_BLOCK)
// (rng.ts), so it depends only on (seed, key, d): chunking and the set of other terms never
// change it; a runner keeps each stream's position between chunks, so chunks smaller than a
// block (a large model's) cost no discarded variates. An AR(1) error samples each period's innovations for the chunk into a buffer,
// then runs its recursion over the draws. The deterministic (central) run uses no term at
// all: a plan checks every uncertain shock (once per shock) but gathers the shocks' terms only
// when a run reads them, so a deterministic projection's plan costs the same however many
// uncertain shocks the log holds. Buffers are allocated once per runner and reused for every chunk. Data releases are resolved into fixed
// values here, once per plan from its central inputs (observe.ts), and shared by every draw; a
// runner with a deterministic shift (goal-seek's trial shock) re-resolves them at each new
// shift, as the same shock given as an event would. Pure (no I/O, clock or Math.random).
import { centralInputs, type CompiledModel } from "../compile/index.ts"
import type { ParameterOverride, ScenarioInputs, UncertainShock } from "../scenario/index.ts"
import { EventError, SpecError, type FieldPath } from "../errors.ts"
import type { Distribution } from "../schema/model.ts"
import { prepareDistribution, type DistributionRole, type PreparedDistribution } from "./distributions.ts"
import { fixedSegments, resolveFixings, type FixedSegment } from "./observe.ts"
import { errorSource, exogenousSource, parameterSource, shockSource, streamKey, type StreamKey } from "./rng.ts"

/** Draws simulated together by default: about 4 MB of buffers for a 12-period, 20-variable model. */
export const DEFAULT_CHUNK = 2048

/** One uncertain term of a run: where its draw goes and how it is drawn. */
export interface UncertainTerm {
  /** Source key string (see the file header). */
  readonly source: string
  readonly key: StreamKey
  readonly distribution: PreparedDistribution
  /** `param`: replaces parameter `index`; `endo`/`exo`: added to that variable's periods first..last. */
  readonly target: "param" | "endo" | "exo"
  readonly index: number
  readonly first: number
  readonly last: number
  /** For an equation error: its AR(1) persistence (a constant, or parameter `parameter` per draw) and the keys of its period-t innovations. */
  readonly error?: ErrorProcess
}

/**
 * An equation error as an AR(1) process over the horizon: u[0] is the draw of the error's
 * distribution under its source key (the one-draw-per-run error when the persistence is 1),
 * u[t] = rho u[t-1] + sqrt(1 - rho^2) x[t] with x[t] a draw of the same distribution under
 * `keys[t]` ("error:<name>@t"); rho is `persistence`, or parameter `parameter` of the draw
 * clamped to [0, 1] when `parameter` >= 0.
 */
export interface ErrorProcess {
  readonly persistence: number
  readonly parameter: number
  readonly keys: readonly StreamKey[]
}

/** The source key of an error's period-t innovation (t >= 1). */
export const innovationSource = (variable: string, t: number): string => `${errorSource(variable)}@${t}`

/** A persistence parameter's draw, clamped to [0, 1]. */
export const clampPersistence = (rho: number): number => (rho > 1 ? 1 : rho > 0 ? rho : 0)

/** Everything fixed for all draws of one run: central inputs, observations and uncertain terms. */
export interface DrawPlan {
  readonly T: number
  readonly nEndo: number
  readonly nExo: number
  readonly nParam: number
  /** nParam: central parameter values (overrides applied). */
  readonly params: Float64Array
  /** T * nExo: central exogenous values plus the events' shifts. */
  readonly exo: Float64Array
  /** T * nEndo: central add-factors of the events. */
  readonly addFactors: Float64Array
  /** T * nEndo: 1 where a data release fixes the value. */
  readonly fixed: Uint8Array
  /** T * nEndo: the fixed values resolved from the central inputs (observe.ts). */
  readonly fixedValues: Float64Array
  /** The releases' segments in resolution order (empty without releases). */
  readonly segments: readonly FixedSegment[]
  /** Each segment's shift (pp) over the model's projected growth, as resolved for `fixedValues`. */
  readonly shifts: Float64Array
  readonly terms: readonly UncertainTerm[]
}

/** An event to name for an invalid distribution: at `path` plus the distribution's field, or at `path` alone when `whole`. */
interface Blame {
  readonly id: string
  readonly path: FieldPath
  readonly whole?: boolean
}

const prepared = (dist: Distribution, centre: number, role: DistributionRole, path: FieldPath, event?: Blame): PreparedDistribution => {
  try {
    return prepareDistribution(dist, centre, role, event ? event.path : path)
  } catch (e) {
    if (event && e instanceof SpecError) throw new EventError({ id: event.id, path: event.whole ? event.path : e.issues[0].path, problem: e.issues[0].message })
    throw e
  }
}

/**
 * The event to name when a parameter's distribution is invalid around its central value:
 * none (the model's) when the events changed neither the distribution as written nor the
 * value; else the parameter's last event, at `uncertainty` when it set the distribution,
 * at `value` when its value moved the one in effect (shifted or centred on it).
 */
const overrideBlame = (o: ParameterOverride | undefined, declared: number | undefined): Blame | undefined => {
  if (o === undefined || (o.uncertaintyEvent === undefined && (o.value === undefined || o.value === declared))) return undefined
  const id = o.events[o.events.length - 1]
  return id === o.uncertaintyEvent ? { id, path: ["uncertainty"] } : { id, path: ["value"], whole: true }
}

/**
 * Each uncertain shock's term, with the seed its streams were keyed with. The inputs of a state
 * built from its parent carry the parent's shocks (engine/scenario/inputs.ts), so a shock is
 * checked, prepared and keyed once, not by every projection of every later state.
 */
const shockTerms = new WeakMap<UncertainShock, { readonly seed: number; readonly term: UncertainTerm }>()

/** An uncertain shock's term for a seed (kept with the shock); throws EventError for an invalid distribution. */
const shockTerm = (u: UncertainShock, seed: number): UncertainTerm => {
  const kept = shockTerms.get(u)
  if (kept?.seed === seed) return kept.term
  const source = shockSource(u.event, u.effect ?? 0)
  const path = u.effect === undefined ? ["uncertainty"] : ["effects", u.effect, "uncertainty"]
  const distribution = prepared(u.distribution, 0, "add", path, { id: u.event, path })
  const term: UncertainTerm = {
    source,
    key: streamKey(seed, source),
    distribution,
    target: u.target.kind === "endogenous" ? "endo" : "exo",
    index: u.target.index,
    first: u.first,
    last: u.last,
  }
  shockTerms.set(u, { seed, term })
  return term
}

/**
 * The terms of a full chunk of the inputs' persistent list of uncertain shocks (a frozen array
 * every later state shares), per seed: a chunk in here has been checked.
 */
const chunkTerms = new WeakMap<readonly UncertainShock[], { readonly seed: number; readonly terms: readonly UncertainTerm[] }>()
const termsOfChunk = (chunk: readonly UncertainShock[], seed: number): readonly UncertainTerm[] => {
  const kept = chunkTerms.get(chunk)
  if (kept?.seed === seed) return kept.terms
  const terms = chunk.map((u) => shockTerm(u, seed))
  chunkTerms.set(chunk, { seed, terms })
  return terms
}
/** Shocks whose distribution has been checked, whatever the seed. */
const checkedShocks = new WeakSet<UncertainShock>()
const checkShock = (u: UncertainShock): void => {
  if (checkedShocks.has(u)) return
  if (shockTerms.get(u) === undefined) {
    const path = u.effect === undefined ? ["uncertainty"] : ["effects", u.effect, "uncertainty"]
    prepared(u.distribution, 0, "add", path, { id: u.event, path })
  }
  checkedShocks.add(u)
}
/** Lists of full chunks whose every shock has been checked (a new list appears once every CHUNK shocks). */
const checkedChunks = new WeakSet<readonly (readonly UncertainShock[])[]>()

/**
 * The plan of a run: central inputs of the scenario and its uncertain terms, validated.
 * Throws SpecError (a model's distribution) or EventError (an event's) for invalid parameters.
 */
export const drawPlan = (compiled: CompiledModel, inputs: ScenarioInputs, seed: number): DrawPlan => {
  const T = compiled.periods.length
  const nEndo = compiled.endogenous.length
  const nExo = compiled.exogenous.length
  const nParam = compiled.parameters.length
  const exo = centralInputs(compiled, 1).exo
  for (let i = 0; i < exo.length; i++) exo[i] += inputs.exoShift[i]
  const terms: UncertainTerm[] = []
  const model = compiled.model

  compiled.parameters.forEach((name, i) => {
    const dist = inputs.paramUncertainty[i]
    if (dist === undefined) return
    const event = overrideBlame(inputs.overrides.find((o) => o.index === i), model.parameters[name]?.value)
    const source = parameterSource(name)
    const distribution = prepared(dist, inputs.params[i], "replace", ["parameters", name, "uncertainty"], event)
    terms.push({ source, key: streamKey(seed, source), distribution, target: "param", index: i, first: 0, last: T - 1 })
  })
  compiled.exogenous.forEach((name, k) => {
    const dist = model.exogenous[name]?.uncertainty
    if (dist === undefined) return
    const source = exogenousSource(name)
    const distribution = prepared(dist, 0, "add", ["exogenous", name, "uncertainty"])
    terms.push({ source, key: streamKey(seed, source), distribution, target: "exo", index: k, first: 0, last: T - 1 })
  })
  const indicatorAt = new Map(model.indicators.map((ind, i) => [ind.id, i]))
  compiled.endogenous.forEach((name, j) => {
    const i = indicatorAt.get(name)
    // an observable's noise is its variable's error (schema/series.ts)
    const o = Object.hasOwn(model.observables ?? {}, name) ? model.observables[name] : undefined
    const dist = i !== undefined ? model.indicators[i].error : o !== undefined ? o.noise : model.variables[name]?.error
    if (dist === undefined) return
    const path = i !== undefined ? ["indicators", i, "error"] : o !== undefined ? ["observables", name, "noise"] : ["variables", name, "error"]
    const source = errorSource(name)
    const persistence = (i !== undefined ? model.indicators[i].persistence : o !== undefined ? o.persistence : model.variables[name]?.persistence) ?? model.observation.persistence
    const parameter = typeof persistence === "string" ? compiled.parameters.indexOf(persistence) : -1
    const keys = Array.from({ length: T }, (_, t) => streamKey(seed, t === 0 ? source : innovationSource(name, t)))
    const error: ErrorProcess = { persistence: typeof persistence === "number" ? persistence : Number.NaN, parameter, keys }
    terms.push({ source, key: streamKey(seed, source), distribution: prepared(dist, 0, "add", path), target: "endo", index: j, first: 0, last: T - 1, error })
  })
  // every shock is checked now, so an invalid one refuses even a deterministic projection;
  // the shocks' terms are gathered only when a run reads them (Monte Carlo), so a deterministic
  // projection's plan costs the same however many uncertain shocks the log holds
  const shocks = inputs.uncertainLog
  if (!checkedChunks.has(shocks.chunks)) {
    for (const chunk of shocks.chunks) for (const u of chunk) checkShock(u)
    checkedChunks.add(shocks.chunks)
  }
  for (const u of shocks.tail) checkShock(u)
  let all: readonly UncertainTerm[] | undefined
  const gathered = (): readonly UncertainTerm[] => {
    if (all !== undefined) return all
    const out = terms.slice()
    for (const chunk of shocks.chunks) for (const t of termsOfChunk(chunk, seed)) out.push(t)
    for (const u of shocks.tail) out.push(shockTerm(u, seed))
    return (all = out)
  }
  const params = Float64Array.from(inputs.params)
  const addFactors = Float64Array.from(inputs.addFactors)
  const segments = fixedSegments(compiled, inputs)
  const fixed = new Uint8Array(T * nEndo)
  const fixedValues = new Float64Array(T * nEndo)
  const shifts = resolveFixings(compiled, segments, { params, exo, addFactors }, fixed, fixedValues)
  return {
    T,
    nEndo,
    nExo,
    nParam,
    params,
    exo,
    addFactors,
    fixed,
    fixedValues,
    segments,
    shifts,
    get terms(): readonly UncertainTerm[] {
      return gathered()
    },
  }
}
