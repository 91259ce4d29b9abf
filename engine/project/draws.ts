// The Monte Carlo input builder: turns a compiled model and a scenario's inputs into the
// compiled model's SimulationInput, chunk by chunk, with every uncertain term sampled from its
// own counter-based stream (rng.ts), and runs the simulation. Shared by project.ts (sketches),
// seek.ts (shares of draws meeting a target) and multipliers.ts (deterministic batches).
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
import { centralInputs, type CompiledModel, type SimulationInput } from "../compile/index.ts"
import { checkFinite } from "../compile/finite.ts"
import type { ParameterOverride, ScenarioInputs, UncertainShock } from "../scenario/index.ts"
import { EventError, NonFiniteError, SpecError, type FieldPath } from "../errors.ts"
import type { Distribution } from "../schema/model.ts"
import { StreamPositions, prepareDistribution, sampleDraws, type DistributionRole, type PreparedDistribution } from "./distributions.ts"
import { fixedSegments, resolveFixings, type FixedSegment } from "./observe.ts"
import { RandomStream, errorSource, exogenousSource, parameterSource, shockSource, streamKey, type StreamKey } from "./rng.ts"

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

/**
 * A deterministic shift added to every draw, e.g. a goal-seek's trial shock: `scale` times
 * the add-factor and exogenous deltas (T * nEndo and T * nExo).
 */
export interface Shift {
  readonly addFactors: Float64Array
  readonly exo: Float64Array
  scale: number
}

/** Simulates draws of a plan chunk by chunk into reused buffers. */
export class DrawRunner {
  readonly chunk: number
  /** The solution of the last `run`: out[d*T*nEndo + t*nEndo + j]. */
  readonly out: Float64Array
  private readonly params: Float64Array
  private readonly exo: Float64Array
  private readonly addFactors: Float64Array
  private readonly tmp: Float64Array
  /** Per draw of a chunk: an AR(1) error's innovations of one period, its persistence and sqrt(1 - rho^2). */
  private readonly innovations: Float64Array
  private readonly rho: Float64Array
  private readonly scale: Float64Array
  private readonly stream = new RandomStream()
  /** Where each term's stream stopped: chunks smaller than a block continue it rather than regenerate it. */
  private readonly positions = new StreamPositions()
  private readonly afShiftAt: Int32Array
  private readonly exoShiftAt: Int32Array
  /** The fixed values in use: the plan's, or re-resolved for the shift's scale `resolvedScale`. */
  private fixed: Uint8Array
  private fixedValues: Float64Array
  private resolvedScale = 0
  private readonly free: Uint8Array
  private readonly none: Float64Array
  /** The inputs of the last `run` (its buffers: valid until the next run). */
  last?: SimulationInput
  private resolving?: { fixed: Uint8Array; fixedValues: Float64Array; addFactors: Float64Array; exo: Float64Array }

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly shift?: Shift

  constructor(compiled: CompiledModel, plan: DrawPlan, chunk = DEFAULT_CHUNK, shift?: Shift) {
    this.compiled = compiled
    this.plan = plan
    this.shift = shift
    if (!(Number.isInteger(chunk) && chunk > 0)) throw new RangeError("chunk must be a positive integer")
    this.chunk = chunk
    const { T, nEndo, nExo, nParam } = plan
    this.params = new Float64Array(chunk * nParam)
    this.exo = new Float64Array(chunk * T * nExo)
    this.addFactors = new Float64Array(chunk * T * nEndo)
    this.out = new Float64Array(chunk * T * nEndo)
    this.tmp = new Float64Array(chunk)
    this.innovations = new Float64Array(chunk)
    this.rho = new Float64Array(chunk)
    this.scale = new Float64Array(chunk)
    const nonzero = (a: Float64Array | undefined) => Int32Array.from(a ? Array.from(a.keys()).filter((i) => a[i] !== 0) : [])
    this.afShiftAt = nonzero(shift?.addFactors)
    this.exoShiftAt = nonzero(shift?.exo)
    this.fixed = plan.fixed
    this.fixedValues = plan.fixedValues
    this.free = new Uint8Array(plan.fixed.length)
    this.none = new Float64Array(plan.fixed.length)
  }

  /** Re-resolves the releases for the central inputs plus `scale` times the shift (the plan's own at scale 0). */
  private resolveAt(scale: number): void {
    const plan = this.plan
    const shift = this.shift!
    this.resolvedScale = scale
    if (scale === 0) {
      this.fixed = plan.fixed
      this.fixedValues = plan.fixedValues
      return
    }
    const r = (this.resolving ??= {
      fixed: new Uint8Array(plan.fixed.length),
      fixedValues: new Float64Array(plan.fixedValues.length),
      addFactors: new Float64Array(plan.addFactors.length),
      exo: new Float64Array(plan.exo.length),
    })
    r.addFactors.set(plan.addFactors)
    r.exo.set(plan.exo)
    for (const k of this.afShiftAt) r.addFactors[k] += scale * shift.addFactors[k]
    for (const k of this.exoShiftAt) r.exo[k] += scale * shift.exo[k]
    resolveFixings(this.compiled, plan.segments, { params: plan.params, exo: r.exo, addFactors: r.addFactors }, r.fixed, r.fixedValues)
    this.fixed = r.fixed
    this.fixedValues = r.fixedValues
  }

  /**
   * Simulates draws firstDraw..firstDraw+n-1 (n <= chunk) into `out`. With `sample` false
   * every draw is the central (deterministic) run. With `errors` false the equation errors
   * are left out (engine/project/condition.ts conditions them in closed form); with `fixings` false the
   * releases' fixed values are not imposed (the draw's own path).
   */
  run(firstDraw: number, n: number, sample: boolean, errors = true, fixings = true, solve = true): Float64Array {
    const { T, nEndo, nExo, nParam } = this.plan
    const TE = T * nEndo
    const TX = T * nExo
    const plan = this.plan
    for (let d = 0; d < n; d++) {
      this.params.set(plan.params, d * nParam)
      this.exo.set(plan.exo, d * TX)
      this.addFactors.set(plan.addFactors, d * TE)
    }
    const shift = this.shift
    if (shift && plan.segments.length > 0 && shift.scale !== this.resolvedScale) this.resolveAt(shift.scale)
    if (shift && shift.scale !== 0) {
      const s = shift.scale
      for (let d = 0; d < n; d++) {
        for (const k of this.afShiftAt) this.addFactors[d * TE + k] += s * shift.addFactors[k]
        for (const k of this.exoShiftAt) this.exo[d * TX + k] += s * shift.exo[k]
      }
    }
    if (sample) {
      const tmp = this.tmp
      for (const term of plan.terms) {
        if (term.target === "param") {
          sampleDraws(term.distribution, term.key, this.stream, firstDraw, n, this.params, term.index, nParam, false, this.positions)
          continue
        }
        if (term.error !== undefined && !errors) continue
        sampleDraws(term.distribution, term.key, this.stream, firstDraw, n, tmp, 0, 1, false, this.positions)
        const [buf, width, stride] = term.target === "endo" ? [this.addFactors, nEndo, TE] : [this.exo, nExo, TX]
        const ar = term.error
        if (ar !== undefined && !(ar.parameter < 0 && ar.persistence === 1)) {
          const { innovations, rho, scale } = this
          for (let d = 0; d < n; d++) {
            const r = ar.parameter < 0 ? ar.persistence : clampPersistence(this.params[d * nParam + ar.parameter])
            rho[d] = r
            scale[d] = Math.sqrt(1 - r * r)
          }
          // tmp[d] carries u[t] of draw d from period to period
          for (let t = term.first; t <= term.last; t++) {
            if (t > term.first) {
              sampleDraws(term.distribution, ar.keys[t], this.stream, firstDraw, n, innovations, 0, 1, false, this.positions)
              for (let d = 0; d < n; d++) tmp[d] = rho[d] * tmp[d] + scale[d] * innovations[d]
            }
            const at = t * width + term.index
            for (let d = 0; d < n; d++) buf[d * stride + at] += tmp[d]
          }
          continue
        }
        for (let d = 0; d < n; d++) {
          const x = tmp[d]
          for (let t = term.first; t <= term.last; t++) buf[d * stride + t * width + term.index] += x
        }
      }
    }
    const input: SimulationInput = {
      draws: n,
      params: n === this.chunk ? this.params : this.params.subarray(0, n * nParam),
      exo: n === this.chunk ? this.exo : this.exo.subarray(0, n * TX),
      addFactors: n === this.chunk ? this.addFactors : this.addFactors.subarray(0, n * TE),
      fixed: fixings ? this.fixed : this.free,
      fixedValues: fixings ? this.fixedValues : this.none,
    }
    this.last = input
    const out = n === this.chunk ? this.out : this.out.subarray(0, n * TE)
    if (solve) {
      this.compiled.simulate(input, out)
      try {
        checkFinite(this.compiled, out, n)
      } catch (e) {
        // name the draw as the run numbers it, or none for the central run
        if (e instanceof NonFiniteError) throw new NonFiniteError({ variables: e.variables, period: e.period, value: e.value, draw: sample && e.draw !== undefined ? firstDraw + e.draw : undefined })
        throw e
      }
    }
    return out
  }
}
