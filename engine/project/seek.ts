// Goal-seek: the shock (pp added to one variable's growth) at which an indicator's target is
// just met, deterministically or with a given probability over seeded draws. Sits beside
// project.ts and reuses its runs (draw-runner.ts): a trial shock is exactly what a `shock` event of
// that value over the whole horizon does (its add-factors come from the scenario's own
// toInputs, and the data releases are re-resolved at every trial shock as they are for the
// event (observe.ts), so feeding the answer back as an event reproduces it). Invariants: the
// same (model, state, options) gives the same answer; probability searches use common random
// numbers (every trial shock sees the same draws), so the share of draws meeting the target
// moves only with the shock. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { hasEvent, stateOfLog, toInputs, type ScenarioState } from "../scenario/index.ts"
import { OptionError, SeekError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"
import type { ShockEvent } from "../schema/scenario.ts"
import type { Target } from "../schema/model.ts"
import { drawPlan, type DrawPlan } from "./draws.ts"
import { DrawRunner, type Shift } from "./draw-runner.ts"
import { annualOf, checkRunOptions, chunkFor, indicatorFrames, type IndicatorFrame } from "./project.ts"
import { meetsTarget, targetBoundary } from "../target.ts"
import { numberText } from "../precision.ts"

/** The default search range of the shock, in percentage points. */
export const SEEK_RANGE: readonly [number, number] = [-100, 100]
/** Width of the final bracket of a deterministic search (pp of shock). */
export const SEEK_TOLERANCE = 1e-10
/** Width of the final bracket of a probability search (pp of shock). */
export const SEEK_PROBABILITY_TOLERANCE = 1e-7

/** What to seek. */
export interface SeekOptions {
  /** The indicator whose target must be met. */
  readonly target: string
  /** The variable (endogenous or exogenous) whose growth is shocked over the whole horizon. */
  readonly shock: string
  /** With a probability P in (0, 1): the boundary shock at which the share of draws meeting the target reaches P. */
  readonly probability?: number
  /** Monte Carlo draws (needed with `probability`; otherwise, when > 0, reports the share reached at the answer). */
  readonly draws: number
  readonly seed: number
  /** Search range of the shock in pp (default -100..100). */
  readonly range?: readonly [number, number]
  /** Draws simulated together (results do not depend on it). */
  readonly chunk?: number
}

/** The seek JSON contract (README), with the annual growth reached, the range, draws and seed added. */
export interface SeekResult {
  readonly target: string
  readonly shock: string
  /** The boundary shock (pp): the target is just met at it (negative where the scenario meets it with room to spare). */
  readonly value: number
  /** The share of draws meeting the target at `value` (0 or 1 from the deterministic projection with 0 draws). */
  readonly probability: number
  /** Whether the deterministic projection meets the target at `value`. */
  readonly met: boolean
  /** The deterministic annual growth of the target indicator at `value`. */
  readonly annual: number
  readonly range: readonly [number, number]
  readonly draws: number
  readonly seed: number
}

const describeTarget = (t: Target): string =>
  t.kind === "atLeast" ? `at least ${t.value}` : t.kind === "atMost" ? `at most ${t.value}` : `around ${t.value} ± ${t.band}, met from ${numberText(targetBoundary(t))}`

/** The add-factor and exogenous deltas of a 1 pp `shock` event on `variable` over the whole horizon. */
const unitShock = (compiled: CompiledModel, state: ScenarioState, variable: string): Shift => {
  let id = `seek:${variable}`
  while (hasEvent(state, id)) id += "'"
  const event: ShockEvent = { id, type: "shock", indicator: variable, value: 1 }
  const without = toInputs(compiled, state)
  const withShock = toInputs(compiled, stateOfLog([...state.events, event]))
  return {
    addFactors: withShock.addFactors.map((x, i) => x - without.addFactors[i]),
    exo: withShock.exoShift.map((x, i) => x - without.exoShift[i]),
    scale: 0,
  }
}

/**
 * Finds the shock to `opts.shock` at which the target of indicator `opts.target` is just met.
 *
 * Deterministic (no probability): the root of annual(v) = the target's boundary (its value;
 * for `around`, the band's lower edge, where it is met: targets.ts), bracketed in the range and
 * narrowed to 1e-10 pp by Illinois regula falsi with bisection safeguards; of the final
 * bracket's ends, the one that meets the target is returned.
 *
 * With probability P: the share s(v) of draws meeting the target, with common random numbers.
 * For `atLeast` and `around` (`atMost`) targets s is monotone in v, rising (falling) with the
 * shock when the shock raises the indicator; the answer is the edge v where s first reaches P,
 * approached by bisection to 1e-7 pp from the side where s >= P.
 *
 * Throws OptionError for unknown ids, an indicator without a target, a probability outside
 * (0, 1), a probability with 0 draws, a bad range; SeekError when no shock in the range can
 * meet the target (naming the range and the best reached) or when the whole range meets it.
 */
export const seek = (compiled: CompiledModel, state: ScenarioState, opts: SeekOptions): SeekResult => {
  checkRunOptions(opts.draws, opts.seed)
  const frames = indicatorFrames(compiled)
  const at = compiled.model.indicators.findIndex((i) => i.id === opts.target)
  if (at < 0)
    throw new OptionError({ option: "target", problem: `unknown indicator "${opts.target}"${didYouMean(opts.target, compiled.model.indicators.map((i) => i.id))}; the model's indicators are ${compiled.model.indicators.map((i) => i.id).join(", ")}` })
  const frame = frames[at]
  const target = frame.target
  if (target === undefined) throw new OptionError({ option: "target", problem: `indicator "${opts.target}" has no target to meet` })
  if (!compiled.endogenous.includes(opts.shock) && !compiled.exogenous.includes(opts.shock))
    throw new OptionError({ option: "shock", problem: `unknown variable "${opts.shock}"${didYouMean(opts.shock, [...compiled.endogenous, ...compiled.exogenous])}; a shock can move ${[...compiled.endogenous, ...compiled.exogenous].join(", ")}` })
  const P = opts.probability
  if (P !== undefined && !(typeof P === "number" && P > 0 && P < 1))
    throw new OptionError({ option: "probability", problem: `must be a number strictly between 0 and 1, not ${String(P)}` })
  if (P !== undefined && opts.draws === 0) throw new OptionError({ option: "draws", problem: "a probability needs Monte Carlo draws: give --draws N with N > 0" })
  const range = opts.range ?? SEEK_RANGE
  const [lo, hi] = range
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new OptionError({ option: "range", problem: `must be two finite numbers, the first below the second, not ${String(range)}` })
  const chunk = opts.chunk ?? chunkFor(compiled)
  if (!(Number.isInteger(chunk) && chunk > 0)) throw new OptionError({ option: "chunk", problem: "must be a positive integer" })

  const plan = drawPlan(compiled, toInputs(compiled, state), opts.seed)
  const shift = unitShock(compiled, state, opts.shock)
  const central = new DrawRunner(compiled, plan, 1, shift)
  const nEndo = compiled.endogenous.length
  const annualAt = (v: number): number => {
    shift.scale = v
    const a = annualOf(frame, central.run(0, 1, false), 0, nEndo)
    if (!Number.isFinite(a)) throw new SeekError({ problem: `the model gives ${opts.target} a non-finite annual growth at a shock of ${numberText(v)} pp to ${opts.shock}` })
    return a
  }
  const share = opts.draws > 0 ? shareOf(compiled, plan, shift, frame, opts.draws, chunk) : undefined
  const aLo = annualAt(lo)
  const aHi = annualAt(hi)
  const rising = aHi >= aLo
  const where = `shock to ${opts.shock} in [${lo}, ${hi}] pp`
  const goal = `${opts.target}'s target (${describeTarget(target)})`

  const finish = (value: number): SeekResult => {
    const annual = annualAt(value)
    const met = meetsTarget(target, annual)
    return {
      target: opts.target,
      shock: opts.shock,
      value,
      probability: share ? share(value) : met ? 1 : 0,
      met,
      annual,
      range: [lo, hi],
      draws: opts.draws,
      seed: opts.seed,
    }
  }

  const deterministicRoot = (): number => {
    const B = targetBoundary(target)
    const gLo = aLo - B
    const gHi = aHi - B
    if (gLo === 0) return lo
    if (gHi === 0) return hi
    if (gLo * gHi > 0) {
      const [best, vBest] = target.kind === "atMost" ? (aLo <= aHi ? [aLo, lo] : [aHi, hi]) : aLo >= aHi ? [aLo, lo] : [aHi, hi]
      const everywhere = meetsTarget(target, aLo) && meetsTarget(target, aHi)
      throw new SeekError({
        problem: everywhere
          ? `every ${where} meets ${goal}: the boundary lies outside the range (annual growth ${numberText(aLo)} to ${numberText(aHi)})`
          : `no ${where} meets ${goal}: the best reached is ${numberText(best)} at ${numberText(vBest)} pp`,
      })
    }
    const [a, b] = bracketRoot((v) => annualAt(v) - B, lo, gLo, hi, gHi, SEEK_TOLERANCE)
    return meetsTarget(target, annualAt(a)) ? a : b
  }

  if (P === undefined || share === undefined) return finish(deterministicRoot())

  // Probability search: bisection between a shock where s < P and one where s >= P.
  const edge = (bad: number, good: number): number => {
    while (Math.abs(good - bad) > SEEK_PROBABILITY_TOLERANCE) {
      const mid = bad + (good - bad) / 2
      if (mid === bad || mid === good) break
      if (share(mid) >= P) good = mid
      else bad = mid
    }
    return good
  }
  // the share rises with v when the shock raises the indicator and the target is met from below (atLeast, around)
  const up = rising === (target.kind !== "atMost")
  const [bad, good] = up ? [lo, hi] : [hi, lo]
  const sBad = share(bad)
  const sGood = share(good)
  if (sGood < P) throw new SeekError({ problem: `no ${where} meets ${goal} with probability ${P}: the best reached is ${numberText(sGood)} at ${numberText(good)} pp` })
  if (sBad >= P) throw new SeekError({ problem: `every ${where} meets ${goal} with probability ${P} or more (${numberText(sBad)} at ${numberText(bad)} pp): the boundary lies outside the range` })
  return finish(edge(bad, good))
}

/** The share of draws meeting the target as a function of the shock (common random numbers: the same draws every time). */
const shareOf = (compiled: CompiledModel, plan: DrawPlan, shift: Shift, frame: IndicatorFrame, draws: number, chunk: number): ((v: number) => number) => {
  const runner = new DrawRunner(compiled, plan, Math.min(chunk, draws), shift)
  const T = compiled.periods.length
  const nEndo = compiled.endogenous.length
  const target = frame.target!
  const cache = new Map<number, number>()
  return (v) => {
    const known = cache.get(v)
    if (known !== undefined) return known
    shift.scale = v
    let meets = 0
    for (let first = 0; first < draws; first += runner.chunk) {
      const n = Math.min(runner.chunk, draws - first)
      const out = runner.run(first, n, true)
      for (let d = 0; d < n; d++) if (meetsTarget(target, annualOf(frame, out, d * T * nEndo, nEndo))) meets++
    }
    const s = meets / draws
    cache.set(v, s)
    return s
  }
}

/**
 * Narrows a sign-changing bracket [a, b] of g to width `tol` (or to an exact zero):
 * Illinois regula falsi, with a bisection (every other step) when a step fails to halve the bracket, and a
 * probe tol/2 beyond a near-root iterate to close the bracket in one step on smooth g.
 * Returns the final bracket's ends.
 */
export const bracketRoot = (g: (x: number) => number, a: number, ga: number, b: number, gb: number, tol: number): [number, number] => {
  let fa = ga, fb = gb // interpolation weights (Illinois halves the stale end's)
  let side = 0
  for (let iter = 0; iter < 400 && b - a > tol; iter++) {
    const width = b - a
    let x = (a * fb - b * fa) / (fb - fa)
    if (!(x > a && x < b)) x = a + width / 2
    const gx = g(x)
    if (gx === 0) return [x, x]
    if (Math.sign(gx) === Math.sign(ga)) {
      a = x
      ga = fa = gx
      if (side === -1) fb /= 2
      side = -1
      // a near-root iterate: probe just beyond it toward b
      const p = Math.min(x + tol / 2, b)
      if (p < b) {
        const gp = g(p)
        if (gp === 0) return [p, p]
        if (Math.sign(gp) !== Math.sign(ga)) return [a, p]
        a = p
        ga = fa = gp
      }
    } else {
      b = x
      gb = fb = gx
      if (side === 1) fa /= 2
      side = 1
      const p = Math.max(x - tol / 2, a)
      if (p > a) {
        const gp = g(p)
        if (gp === 0) return [p, p]
        if (Math.sign(gp) !== Math.sign(gb)) return [p, b]
        b = p
        gb = fb = gp
      }
    }
    if (b - a > width / 2 && iter % 2 === 1) {
      // safeguard, every other step: bisect when this step did not halve the bracket
      const m = a + (b - a) / 2
      const gm = g(m)
      if (gm === 0) return [m, m]
      if (Math.sign(gm) === Math.sign(ga)) {
        a = m
        ga = fa = gm
      } else {
        b = m
        gb = fb = gm
      }
      side = 0
    }
  }
  return [a, b]
}
