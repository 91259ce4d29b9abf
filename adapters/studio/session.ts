// A studio session: the scenario picked (loaded from its file with its base chain), the
// draft of changes on top of it, and the latest projection. Each change folds its event
// through the engine (the same fold as files and the service: a refused event changes
// nothing and says why), projects with the session's draws and seed (engine `project`, in
// process), and keeps what the change moved (the news: each indicator's annual median,
// P(target) and required growth before and after). Saving writes the draft as a scenario
// file whose base is the picked file; opening a file makes it the picked scenario.
// Shell: reads and writes scenario files; the engine does every computation.
import { readdir, writeFile } from "node:fs/promises"
import { basename, dirname, join, relative, resolve, sep } from "node:path"
import { stringify } from "yaml"
import { admitEvents, attribute, EventError, project, type Attribution, type MeasureEvent, type Projection, type ScenarioEvent, type ScenarioState } from "../../engine/index.ts"
import { loadScenario, withConvergenceLocated, type LoadedScenario } from "../files/load.ts"
import { applyChange, controlsOf, emptyDraft, type Change, type Controls, type Draft, type MeasureSwitch } from "./draft.ts"

/** What one change moved in one indicator. */
export interface IndicatorNews {
  readonly id: string
  readonly name: string
  readonly before: { readonly p50: number; readonly probability: number | null; readonly required: number | null }
  readonly after: { readonly p50: number; readonly probability: number | null; readonly required: number | null }
}

/** The news of the latest change: the event it added or removed and what it moved. */
export interface News {
  readonly change: string
  readonly indicators: readonly IndicatorNews[]
}

/** A scenario file of the session's model found in its folder. */
export interface ScenarioEntry {
  readonly file: string
  readonly name: string
}

/** Options of a session. */
export interface SessionOptions {
  readonly draws: number
  readonly seed: number
  /** The folder whose scenario files the session lists and saves into (default: the picked file's). */
  readonly dir?: string
}

/** A refused change: what and why (shown on the page; the session is unchanged). */
export class Refused extends Error {}

const SAVE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

export class StudioSession {
  picked: LoadedScenario
  draft: Draft = emptyDraft
  state: ScenarioState
  projection: Projection
  news: News | undefined
  /** Bumps with every applied change (the page drops answers older than what it shows). */
  version = 0
  scenarios: readonly ScenarioEntry[] = []
  library: readonly MeasureSwitch[] = []
  readonly dir: string
  readonly options: SessionOptions

  private constructor(picked: LoadedScenario, options: SessionOptions) {
    this.picked = picked
    this.options = options
    this.dir = resolve(options.dir ?? dirname(picked.path))
    this.state = picked.state
    this.projection = this.run(picked.state)
  }

  /** Opens a session on a scenario file (refused events in it are invalid input, as for `project`). */
  static async open(file: string, options: SessionOptions): Promise<StudioSession> {
    const { loadScenarioStrict } = await import("../files/load.ts")
    const session = new StudioSession(await loadScenarioStrict(file), options)
    await session.scan()
    return session
  }

  /** The session's scenario name: the picked one's, marked as edited when the draft holds changes. */
  get name(): string {
    return this.draft.entries.length ? `${this.picked.name} + studio` : this.picked.name
  }

  /** The picked scenario's file name in the session's folder ("" when it lies elsewhere). */
  get pickedFile(): string {
    return dirname(this.picked.path) === this.dir ? basename(this.picked.path) : ""
  }

  get controls(): Controls {
    return controlsOf(this.picked.compiled, this.picked.state, this.draft, this.library)
  }

  private run(state: ScenarioState, scenario = this.name): Projection {
    return withConvergenceLocated(this.picked.model, () => project(this.picked.compiled, state, { draws: this.options.draws, seed: this.options.seed, scenario }))
  }

  /** Folds the draft on top of the picked scenario; a refused event throws Refused naming it. */
  private fold(draft: Draft): ScenarioState {
    const { state, rejected } = admitEvents(this.picked.compiled, draft.entries.map((d) => d.event), this.picked.state)
    if (rejected.length) throw new Refused(rejected.map((e: EventError) => e.message).join("; "))
    return state
  }

  /** Applies a change: the draft, the state and the projection move together, or nothing does. */
  change(change: Change): News {
    let next: { draft: Draft; added?: ScenarioEvent }
    try {
      next = applyChange(this.picked.compiled, this.picked.state, this.draft, change, this.library)
    } catch (e) {
      throw new Refused((e as Error).message)
    }
    const state = this.fold(next.draft)
    const before = this.projection
    const saved = this.draft
    this.draft = next.draft
    try {
      this.projection = this.run(state)
    } catch (e) {
      this.draft = saved
      throw new Refused(`the projection failed: ${(e as Error).message}`)
    }
    this.state = state
    this.version++
    this.news = { change: describeChange(change, next.added), indicators: newsOf(before, this.projection) }
    return this.news
  }

  /** The exact attribution (Shapley, deterministic runs) of the difference between the session and the picked scenario. */
  explain(): Attribution {
    const run = (state: ScenarioState) => {
      const p = withConvergenceLocated(this.picked.model, () => project(this.picked.compiled, state, { draws: 0, seed: this.options.seed, scenario: this.name }))
      return Object.fromEntries(p.indicators.map((i) => [i.id, i.annual.p50]))
    }
    try {
      return attribute(this.picked.compiled, this.picked.state, this.state, run, { scenario: this.name, against: this.picked.name })
    } catch (e) {
      throw new Refused((e as Error).message)
    }
  }

  /** The session's projection beside those of the named scenario files (same draws and seed). */
  async compare(files: readonly string[]): Promise<Projection[]> {
    const out: Projection[] = [this.projection]
    for (const f of files) {
      const entry = this.scenarios.find((s) => s.file === f)
      if (!entry) throw new Refused(`not a scenario of this folder: ${f}`)
      const loaded = await loadScenario(join(this.dir, entry.file))
      if (loaded.rejected.length) throw new Refused(`${entry.file}: ${loaded.rejected.length} event(s) refused`)
      out.push(withConvergenceLocated(loaded.model, () => project(loaded.compiled, loaded.state, { draws: this.options.draws, seed: this.options.seed, scenario: loaded.name })))
    }
    return out
  }

  /** Writes the draft as `<name>.yaml` in the session's folder (base: the picked file) and opens it. */
  async save(name: string, title?: string): Promise<string> {
    if (!SAVE_NAME.test(name)) throw new Refused(`a scenario name is 1 to 64 letters, digits, "-" or "_", starting with a letter or digit: ${JSON.stringify(name)}`)
    if (!this.draft.entries.length) throw new Refused("there are no changes to save")
    const file = join(this.dir, `${name}.yaml`)
    if (this.scenarios.some((s) => s.file === `${name}.yaml`) || resolve(file) === this.picked.path) throw new Refused(`${name}.yaml exists already: choose another name`)
    const rel = (p: string) => {
      const r = relative(this.dir, p).split(sep).join("/")
      return r.startsWith(".") ? r : `./${r}`
    }
    const doc = {
      name,
      ...(title ? { title } : {}),
      description: `Saved from plancast studio: ${this.draft.entries.length} change(s) on ${this.picked.name}.`,
      model: rel(this.picked.model.path),
      base: rel(this.picked.path),
      events: this.draft.entries.map((d) => d.event),
    }
    const header = `# Saved from plancast studio on top of ${basename(this.picked.path)}; replay it with\n# plancast project ${name}.yaml, compare it with plancast compare.\n`
    try {
      await writeFile(file, header + stringify(doc, { lineWidth: 100 }), { flag: "wx" })
    } catch (e) {
      throw new Refused(`cannot write ${name}.yaml (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
    }
    await this.openFile(`${name}.yaml`)
    return `${name}.yaml`
  }

  /** Makes a scenario file of the folder the picked one, with an empty draft. */
  async openFile(file: string): Promise<void> {
    await this.scan()
    if (!this.scenarios.some((s) => s.file === file)) throw new Refused(`not a scenario of this folder: ${file}`)
    const loaded = await loadScenario(join(this.dir, file))
    if (loaded.rejected.length) throw new Refused(`${file}: ${loaded.rejected.map((r) => r.error.message).join("; ")}`)
    this.picked = loaded
    this.draft = emptyDraft
    this.state = loaded.state
    this.projection = this.run(loaded.state)
    this.news = undefined
    this.version++
    await this.scan()
  }

  /** Lists the folder's scenario files of the same model, and the measures they hold (for the measure switches). */
  async scan(): Promise<void> {
    const names = (await readdir(this.dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
    const found: ScenarioEntry[] = []
    const measures = new Map<string, MeasureSwitch>()
    for (const f of names) {
      let s: LoadedScenario
      try {
        s = await loadScenario(join(this.dir, f))
      } catch {
        continue // not a scenario file (a model, a check, a file of another kind)
      }
      // the model file itself stands for its own assumptions: not listed as a scenario
      if (s.model.path !== this.picked.model.path || s.rejected.length || s.path === s.model.path) continue
      found.push({ file: f, name: s.name })
      for (const e of s.state.events) if (e.type === "measure" && !measures.has(e.id)) measures.set(e.id, { event: e as MeasureEvent, from: f, on: false })
    }
    this.scenarios = found
    this.library = [...measures.values()]
  }
}

/** Each indicator's annual median, probability and required growth before and after a change. */
export function newsOf(before: Projection, after: Projection): IndicatorNews[] {
  return after.indicators.map((a) => {
    const b = before.indicators.find((i) => i.id === a.id) ?? a
    return {
      id: a.id,
      name: a.name,
      before: { p50: b.annual.p50, probability: b.probability, required: b.required },
      after: { p50: a.annual.p50, probability: a.probability, required: a.required },
    }
  })
}

/** A change in words, for the news line. */
function describeChange(change: Change, added: ScenarioEvent | undefined): string {
  const id = added ? ` (event ${added.id})` : ""
  switch (change.kind) {
    case "parameter":
      return `${change.parameter} set to ${change.value}${id}`
    case "exogenous":
      return `${change.series} shifted by ${change.shift} pp in every period${id}`
    case "shock":
      return `shock of ${change.value} pp to ${change.indicator}${change.from || change.to ? ` ${change.from ?? ""}–${change.to ?? ""}` : ""}${id}`
    case "measure":
      return `measure ${change.event} switched ${change.on ? "on" : "off"}${id}`
    case "release":
      return `release: ${change.indicator} year-to-date ${change.ytd}% through ${change.through}${id}`
    case "remove":
      return `change ${change.event} removed`
  }
}
