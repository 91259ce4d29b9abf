// The studio's draft: the events an economist adds on top of the scenario picked, one per
// change made on the page (a slider, a field, a form, a switch), and the controls the page
// offers for a model. A change becomes an ordinary scenario event (set-parameter, shock,
// measure, retract, observe), so the draft saves as a scenario file whose `base` is the
// scenario picked and replays, compares and explains like any other.
// Invariants: a control (a parameter's slider, a series' slider, a measure's switch) owns
// at most one event of the draft: a new value replaces its event (appended at the end, as the
// latest change), a value back at the scenario's own removes it; draft ids never repeat an
// id of the scenario's log or of an earlier draft event. Pure: no I/O.
import { effective, type CompiledModel, type Distribution, type MeasureEvent, type ScenarioEvent, type ScenarioState } from "../../engine/index.ts"

/** One change made on the page. */
export type Change =
  | { readonly kind: "parameter"; readonly parameter: string; readonly value: number }
  | { readonly kind: "exogenous"; readonly series: string; readonly shift: number }
  | { readonly kind: "shock"; readonly indicator: string; readonly value: number; readonly from?: string; readonly to?: string; readonly sd?: number }
  | { readonly kind: "measure"; readonly event: string; readonly on: boolean }
  | { readonly kind: "release"; readonly indicator: string; readonly through: string; readonly ytd: number }
  | { readonly kind: "remove"; readonly event: string }

/** An event of the draft, with the control that owns it (none for shocks and releases from the forms). */
export interface DraftEntry {
  readonly event: ScenarioEvent
  readonly control?: string
}

/** The draft: its entries in order and the counter of the next id. */
export interface Draft {
  readonly entries: readonly DraftEntry[]
  readonly next: number
}

export const emptyDraft: Draft = { entries: [], next: 1 }

/** A slider of a parameter or an exogenous series. */
export interface Slider {
  readonly id: string
  readonly name: string
  /** The scenario's own value (parameter) or 0 (a series' shift, pp). */
  readonly base: number
  /** The value now, with the draft. */
  readonly value: number
  readonly min: number
  readonly max: number
  readonly step: number
  /** The distribution drawn per Monte Carlo draw, in words. */
  readonly uncertainty?: string
  readonly note?: string
}

/** A measure the page can switch: one of the scenario's (on unless the draft retracts it) or one found in another scenario file of the model. */
export interface MeasureSwitch {
  readonly event: MeasureEvent
  /** Where it comes from: "scenario" (its log) or the file that holds it. */
  readonly from: string
  readonly on: boolean
}

/** Everything the page offers for a model and a picked scenario. */
export interface Controls {
  readonly parameters: readonly Slider[]
  readonly exogenous: readonly Slider[]
  readonly measures: readonly MeasureSwitch[]
  /** Variables a shock may hit: indicators first, then other endogenous variables, then exogenous series. */
  readonly shockTargets: readonly { readonly id: string; readonly name: string }[]
  readonly indicators: readonly { readonly id: string; readonly name: string }[]
  /** Plan-year periods (from, to, through). */
  readonly periods: readonly string[]
}

/** A distribution in a few words: "normal sd 0.05", "uniform 0 to 1". */
export function describeDistribution(d: Distribution | undefined): string | undefined {
  if (!d) return undefined
  switch (d.dist) {
    case "normal":
      return `normal, sd ${round(d.sd)}${d.mean !== undefined ? `, mean ${round(d.mean)}` : ""}`
    case "uniform":
      return `uniform ${round(d.min)} to ${round(d.max)}`
    case "triangular":
      return `triangular ${round(d.min)} to ${round(d.max)}${d.mode !== undefined ? `, mode ${round(d.mode)}` : ""}`
    case "lognormal":
      return `lognormal, sigma ${round(d.sigma)}${d.median !== undefined ? `, median ${round(d.median)}` : ""}`
  }
}

const round = (x: number): string => String(Number(x.toPrecision(6)))

/** A slider step: about 1/200 of the span, at 1, 2 or 5 times a power of ten. */
export function sliderStep(span: number): number {
  const raw = Math.abs(span) / 200 || 0.01
  const p = 10 ** Math.floor(Math.log10(raw))
  const m = raw / p
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * p
}

const snap = (x: number, step: number): number => Number((Math.round(x / step) * step).toPrecision(12))

/** The range of a parameter's slider: its declared `range`, else three sd (or the distribution's bounds) around it, else half its size. */
function parameterRange(value: number, range: readonly [number, number] | undefined, d: Distribution | undefined): [number, number] {
  if (range && range[1] > range[0]) return [Math.min(range[0], value), Math.max(range[1], value)]
  if (d?.dist === "normal" && d.sd > 0) return [value - 3 * d.sd, value + 3 * d.sd]
  if ((d?.dist === "uniform" || d?.dist === "triangular") && d.max > d.min) return [Math.min(d.min, value), Math.max(d.max, value)]
  if (d?.dist === "lognormal" && d.sigma > 0) return [value * Math.exp(-3 * d.sigma), value * Math.exp(3 * d.sigma)]
  const half = Math.max(Math.abs(value) * 0.5, 1)
  return [value - half, value + half]
}

/** The central value of each parameter in a state (the model's, then the set-parameter events in order). */
export function parameterValues(compiled: CompiledModel, state: ScenarioState): Map<string, number> {
  const values = new Map(Object.entries(compiled.model.parameters).map(([id, p]) => [id, p.value]))
  for (const e of effective(state)) if (e.type === "set-parameter" && e.value !== undefined) values.set(e.parameter, e.value)
  return values
}

/** The studio's controls for a picked scenario (its state) and the draft on top of it. */
export function controlsOf(compiled: CompiledModel, picked: ScenarioState, draft: Draft, library: readonly MeasureSwitch[] = []): Controls {
  const model = compiled.model
  const base = parameterValues(compiled, picked)
  const own = (control: string) => draft.entries.find((d) => d.control === control)?.event
  const parameters: Slider[] = Object.entries(model.parameters)
    .filter(([, p]) => p.uncertainty !== undefined && !(p.uncertainty.dist === "normal" && p.uncertainty.sd === 0))
    .map(([id, p]) => {
      const central = base.get(id) ?? p.value
      const [min, max] = parameterRange(central, p.range, p.uncertainty)
      const step = sliderStep(max - min)
      const set = own(`parameter:${id}`)
      const value = set?.type === "set-parameter" && set.value !== undefined ? set.value : central
      return { id, name: id, base: central, value, min: snap(Math.min(min, value), step), max: snap(Math.max(max, value), step), step, uncertainty: describeDistribution(p.uncertainty), note: p.assumption ?? p.source }
    })
  const exogenous: Slider[] = Object.entries(model.exogenous).map(([id, x]) => {
    const d = x.uncertainty
    const sd = d?.dist === "normal" ? d.sd : d?.dist === "uniform" || d?.dist === "triangular" ? (d.max - d.min) / 4 : 1
    const half = Math.max(5, Math.ceil(3 * sd))
    const shock = own(`exogenous:${id}`)
    const value = shock?.type === "shock" ? shock.value : 0
    const first = Array.isArray(x.values) ? x.values[0] : x.values
    return {
      id,
      name: x.name ?? id,
      base: 0,
      value,
      min: Math.min(-half, value),
      max: Math.max(half, value),
      step: 0.1,
      uncertainty: describeDistribution(d),
      note: `assumed ${first === undefined ? "from the data" : round(first)}${Array.isArray(x.values) ? " (first period)" : ""}; the slider adds pp to every period${x.assumption ? `. ${x.assumption}` : ""}`,
    }
  })
  const retracted = new Set(draft.entries.flatMap((d) => (d.event.type === "retract" ? [d.event.event] : [])))
  const inDraft = new Set(draft.entries.map((d) => d.event.id))
  const scenarioMeasures: MeasureSwitch[] = effective(picked)
    .filter((e): e is MeasureEvent => e.type === "measure")
    .map((event) => ({ event, from: "scenario", on: !retracted.has(event.id) }))
  const known = new Set(scenarioMeasures.map((m) => m.event.id))
  const others = library.filter((m) => !known.has(m.event.id)).map((m) => ({ ...m, on: inDraft.has(m.event.id) }))
  const indicators = model.indicators.map((i) => ({ id: i.id, name: i.name }))
  const endo = compiled.endogenous.filter((v) => !indicators.some((i) => i.id === v)).map((v) => ({ id: v, name: model.variables?.[v]?.name ?? v }))
  const exo = compiled.exogenous.map((v) => ({ id: v, name: model.exogenous[v]?.name ?? v }))
  return {
    parameters,
    exogenous,
    measures: [...scenarioMeasures, ...others],
    shockTargets: [...indicators, ...endo, ...exo],
    indicators,
    periods: compiled.periods.slice(0, Math.min(compiled.periodsPerYear, compiled.periods.length)),
  }
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "x"

/** A fresh draft id: studio-<n>-<what>, skipping any id the log or the draft already holds. */
function freshId(draft: Draft, taken: (id: string) => boolean, what: string): { id: string; next: number } {
  let n = draft.next
  for (;;) {
    const id = `studio-${n}-${slug(what)}`
    n++
    if (!taken(id) && !draft.entries.some((d) => d.event.id === id)) return { id, next: n }
  }
}

/**
 * The draft after a change: the entries (with a new event, or without one) and the event it
 * added, if any. `picked` is the scenario's state (for its own values and ids), `library` the
 * measures found in other files. Throws Error with a reason when the change names nothing known.
 */
export function applyChange(compiled: CompiledModel, picked: ScenarioState, draft: Draft, change: Change, library: readonly MeasureSwitch[] = []): { draft: Draft; added?: ScenarioEvent } {
  const taken = (id: string) => picked.events.some((e) => e.id === id)
  const without = (control: string) => draft.entries.filter((d) => d.control !== control)
  type Unnamed = ScenarioEvent extends infer E ? (E extends ScenarioEvent ? Omit<E, "id"> : never) : never
  const add = (entries: readonly DraftEntry[], event: Unnamed, what: string, control?: string) => {
    const { id, next } = freshId(draft, taken, what)
    const full = { ...event, id } as ScenarioEvent
    return { draft: { entries: [...entries, { event: full, ...(control ? { control } : {}) }], next }, added: full }
  }
  switch (change.kind) {
    case "parameter": {
      if (!(change.parameter in compiled.model.parameters)) throw new Error(`unknown parameter "${change.parameter}"`)
      const control = `parameter:${change.parameter}`
      const base = parameterValues(compiled, picked).get(change.parameter)
      if (base !== undefined && Math.abs(change.value - base) <= 1e-12 * Math.max(1, Math.abs(base))) return { draft: { ...draft, entries: without(control) } }
      return add(without(control), { type: "set-parameter", parameter: change.parameter, value: change.value, note: "set in plancast studio" }, change.parameter, control)
    }
    case "exogenous": {
      if (!(change.series in compiled.model.exogenous)) throw new Error(`unknown exogenous series "${change.series}"`)
      const control = `exogenous:${change.series}`
      if (change.shift === 0) return { draft: { ...draft, entries: without(control) } }
      return add(without(control), { type: "shock", indicator: change.series, value: change.shift, note: "pp added to every period of the series, set in plancast studio" }, change.series, control)
    }
    case "shock":
      return add(
        draft.entries,
        {
          type: "shock",
          indicator: change.indicator,
          value: change.value,
          ...(change.from ? { from: change.from } : {}),
          ...(change.to ? { to: change.to } : {}),
          ...(change.sd ? { sd: change.sd } : {}),
        },
        `shock-${change.indicator}`,
      )
    case "release":
      return add(draft.entries, { type: "observe", indicator: change.indicator, through: change.through, ytd: change.ytd }, `release-${change.indicator}-${change.through}`)
    case "measure": {
      const control = `measure:${change.event}`
      const own = effective(picked).find((e) => e.id === change.event && e.type === "measure")
      if (own) {
        if (change.on) return { draft: { ...draft, entries: without(control) } }
        return add(without(control), { type: "retract", event: change.event, note: "measure switched off in plancast studio" }, `off-${change.event}`, control)
      }
      const found = library.find((m) => m.event.id === change.event)
      if (!found) throw new Error(`unknown measure "${change.event}"`)
      if (!change.on) return { draft: { ...draft, entries: without(control) } }
      const event = { ...found.event }
      return { draft: { ...draft, entries: [...without(control), { event, control }] }, added: event }
    }
    case "remove": {
      if (!draft.entries.some((d) => d.event.id === change.event)) throw new Error(`no event "${change.event}" in the studio's changes`)
      return { draft: { ...draft, entries: draft.entries.filter((d) => d.event.id !== change.event) } }
    }
  }
}
