// News: what each data release did to the forecast, in the order the releases came. Takes a
// scenario's log from an earlier state of it (a prefix of the log: its base, or the state at
// the previous forecast) to the state now, cuts the events in between into steps, and projects
// the state before and after each step, so each step is judged against the forecast just
// before it. Steps, in log order:
//   - release: consecutive `observe` events of periods not yet released, sharing the period
//     they run through (one statistical release date);
//   - revision: consecutive `observe` events of (indicator, period) pairs already released,
//     sharing that period (a revised figure replaces the earlier one: engine/scenario/fold.ts);
//   - other: consecutive other events (shocks, measures, parameters, retracts).
// For each release (of an indicator or an observable): the expected value (the mean year-to-date growth the projection just
// before the step gives its period: for a revision, the value in effect), the actual value
// and the surprise (actual - expected). For each step: its impact on every indicator's annual
// mean, p50 and P(target), the difference of the projections after and before it. Impacts
// telescope: start + the sum of the impacts = end, to rounding. The contract is
// engine/schema/news.ts. This is the sequential view; the
// order-free one is the Shapley attribution (attribution.ts). It reads projections only
// (project() as a black box), so it holds however project() weighs its draws. Pure.
import type { CompiledModel } from "../compile/index.ts"
import { OptionError } from "../errors.ts"
import type { ObserveEvent, ScenarioEvent } from "../schema/scenario.ts"
import { asOf, eventAt, isPrefixState, periodRange, releasesInEffect, type ScenarioModel, type ScenarioState } from "../scenario/index.ts"
import type { Figures, News, NewsRelease, NewsStep, StepKind } from "../schema/news.ts"
import type { Projection } from "../schema/projection.ts"
import { project } from "./project.ts"

/** One step before projection: its kind, the log positions [first, last) of its events, and its events. */
export interface StepSpan {
  readonly kind: StepKind
  readonly first: number
  readonly end: number
  readonly events: readonly ScenarioEvent[]
}

/**
 * Cuts the events of `to` after the prefix `from` into steps (see the file header). Throws
 * OptionError when `from`'s log is not a prefix of `to`'s.
 */
export const newsSteps = (model: ScenarioModel, from: ScenarioState, to: ScenarioState): StepSpan[] => {
  if (!isPrefixState(from, to))
    throw new OptionError({ option: "against", problem: "news runs from an earlier state of the same scenario: its events must be the first events of the scenario's log" })
  const n = from.log.length
  // releases in effect per (indicator, period), to tell a revision from a release
  const inEffect = new Map<string, Set<string>>()
  const keyOf = new Map<string, string>()
  const lastOf = (e: ObserveEvent): number => {
    const r = periodRange(model, e.through)
    if (!r.ok) throw new Error(`event ${e.id}: ${r.problem}`)
    return r.last
  }
  const put = (indicator: string, through: number, id: string): boolean => {
    const key = `${indicator}\u0000${through}`
    const ids = inEffect.get(key) ?? new Set<string>()
    const revises = ids.size > 0
    ids.add(id)
    inEffect.set(key, ids)
    keyOf.set(id, key)
    return revises
  }
  const withdraw = (id: string) => {
    const key = keyOf.get(id)
    if (key !== undefined) inEffect.get(key)?.delete(id)
  }
  for (const [indicator, releases] of releasesInEffect(model, from)) for (const r of releases) put(indicator, r.through, r.event)
  const steps: { kind: StepKind; first: number; end: number; through?: number; events: ScenarioEvent[] }[] = []
  for (let i = n; i < to.log.length; i++) {
    const e = eventAt(to, i)!
    let kind: StepKind = "other"
    let through: number | undefined
    if (e.type === "observe") {
      through = lastOf(e)
      kind = put(e.indicator, through, e.id) ? "revision" : "release"
    } else if (e.type === "retract") withdraw(e.event)
    const last = steps.at(-1)
    if (last && last.kind === kind && last.through === through) {
      last.events.push(e)
      last.end = i + 1
    } else steps.push({ kind, first: i, end: i + 1, through, events: [e] })
  }
  return steps.map(({ kind, first, end, events }) => ({ kind, first, end, events }))
}

/** Options of `news`: the projection's draws and seed, the scenario's name, and projections already made. */
export interface NewsOptions {
  readonly draws: number
  readonly seed: number
  readonly scenario: string
  readonly chunk?: number
  /** The projection of `from` with these draws and seed, when the caller has it. */
  readonly start?: Projection
  /** The projection of `to` with these draws and seed, when the caller has it. */
  readonly end?: Projection
}

const figuresOf = (p: Projection): Record<string, Figures> =>
  Object.fromEntries(p.indicators.map((i) => [i.id, { mean: i.annual.mean, p50: i.annual.p50, probability: i.probability }]))

const difference = (after: Record<string, Figures>, before: Record<string, Figures>): Record<string, Figures> =>
  Object.fromEntries(
    Object.entries(after).map(([id, a]) => {
      const b = before[id]
      return [id, { mean: a.mean - b.mean, p50: a.p50 - b.p50, probability: a.probability === null || b.probability === null ? null : a.probability - b.probability }]
    }),
  )

/**
 * The news from `from` to `to` (a later state of the same scenario): one projection per step
 * boundary with the same draws and seed (common random numbers), `start` and `end` reused when
 * given. Throws OptionError when `from` is not a prefix of `to`, and what `project` throws.
 */
export const news = (compiled: CompiledModel, from: ScenarioState, to: ScenarioState, opts: NewsOptions): News => {
  const run = (state: ScenarioState): Projection => project(compiled, state, { draws: opts.draws, seed: opts.seed, scenario: opts.scenario, chunk: opts.chunk })
  const spans = newsSteps(compiled, from, to)
  // with no steps, the end projection is the start's too
  let before = opts.start ?? (spans.length === 0 && opts.end ? opts.end : run(from))
  const start = figuresOf(before)
  let previous = start
  const steps: NewsStep[] = spans.map((span, k) => {
    const after = k === spans.length - 1 && opts.end ? opts.end : run(asOf(to, span.end))
    const releases: NewsRelease[] = []
    if (span.kind !== "other")
      for (const e of span.events) {
        if (e.type !== "observe") continue
        const r = periodRange(compiled, e.through)
        const indicator = [...before.indicators, ...(before.observables ?? [])].find((i) => i.id === e.indicator)
        if (!r.ok || !indicator) throw new Error(`release ${e.id} of ${e.indicator} through ${e.through} is not in the projection`)
        const expected = indicator.path[r.last].ytd.mean
        releases.push({ id: e.id, series: e.indicator, through: e.through, expected, actual: e.ytd, surprise: e.ytd - expected })
      }
    const figures = figuresOf(after)
    const step: NewsStep = { events: span.events.map((e) => e.id), kind: span.kind, releases, impact: difference(figures, previous) }
    previous = figures
    before = after
    return step
  })
  const end = spans.length === 0 ? figuresOf(opts.end ?? before) : previous
  return { scenario: opts.scenario, method: "news", draws: opts.draws, seed: opts.seed, start, steps, end }
}
