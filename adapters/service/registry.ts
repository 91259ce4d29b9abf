// The scenario registry of the event-driven service: every scenario named by incoming messages,
// each starting as the base scenario's state and folding its own events through the engine's
// decoder and fold. Turns one raw message into an outcome (applied, duplicate, rejected with
// reasons) and a changed scenario into its forecast (the engine's projection plus `sequence`).
// Shell-side state, but no I/O: the serve loop (serve-loop.ts) does the publishing.
// Invariants: a scenario's state is always the fold of the base's events then its own accepted
// messages in arrival order; a message (by sequence) is processed at most once per run, an
// event (by id) applied at most once per scenario, and another payload under a seen id is
// refused (the fold's rule); `events.applied` counts distinct events in effect,
// `events.rejected` the base's refused events plus this scenario's refused messages. Every
// forecast carries its `news`: the steps since the scenario's previous forecast in this run
// (after a start, since the state before the log's last step), each release against the
// forecast just before it, with the same draws and seed (engine `news`).
import {
  admitEvent,
  asOf,
  decodeEvent,
  EventError,
  news,
  newsSteps,
  project,
  type CompiledModel,
  type Projection,
  type ScenarioEvent,
  type ScenarioState,
  stateOfLog,
} from "../../engine/index.ts"
import { MAX_EVENT_BYTES, MAX_REJECTED_RAW, SCENARIO_NAME, UNKNOWN_SCENARIO } from "../contract.ts"
import type { SourceMessage } from "./event-source.ts"
import type { Forecast, Rejection } from "./forecast-sink.ts"





/** The base every scenario starts from. */
export interface BaseScenario {
  readonly name: string
  readonly compiled: CompiledModel
  readonly state: ScenarioState
  /** Events of the base's files that its fold refused. */
  readonly rejected: number
}

/** A live scenario as a request reads it: its current state and its `events.rejected` count (the base's included). */
export interface LiveScenario {
  readonly state: ScenarioState
  readonly rejected: number
}

/**
 * Read access to the scenarios of a running service (what plancast.project's `live` reads):
 * `live(name)` is undefined for a scenario no message has named yet.
 */
export interface LiveScenarios {
  live(scenario: string): LiveScenario | undefined
  /** How many scenarios the service holds. */
  readonly size: number
}

/** A registry as data (see ScenarioRegistry.image); the snapshot (snapshot.ts) stores it. */
export interface RegistryImage {
  readonly floor: number
  readonly scenarios: readonly {
    readonly name: string
    /** The scenario's own events, after the base's, in log order. */
    readonly events: readonly ScenarioEvent[]
    readonly sequence: number
    readonly rejected: number
    /** Id of the last event applied to it. */
    readonly lastEvent?: string
  }[]
}

/** What became of one message. */
export type Outcome =
  | { readonly kind: "applied"; readonly scenario: string; readonly event: ScenarioEvent }
  | { readonly kind: "duplicate"; readonly scenario: string; readonly id: string }
  | { readonly kind: "seen" }
  | { readonly kind: "rejected"; readonly rejection: Rejection }

interface Entry {
  state: ScenarioState
  sequence: number
  rejected: number
  lastEvent: ScenarioEvent | undefined
  /** The state and projection of the scenario's last forecast in this run. */
  published?: { readonly state: ScenarioState; readonly projection: Projection }
}

const utf8 = new TextDecoder("utf-8", { fatal: true })
const encoder = new TextEncoder()

/** The scenarios of a running service and the sequences it has processed. */
export class ScenarioRegistry implements LiveScenarios {
  private readonly scenarios = new Map<string, Entry>()
  /** Every sequence <= floor is processed; `above` holds the processed ones past it. */
  private floor = 0
  private readonly above = new Set<number>()

  readonly base: BaseScenario
  readonly options: { readonly draws: number; readonly seed: number }

  constructor(base: BaseScenario, options: { readonly draws: number; readonly seed: number }) {
    this.base = base
    this.options = options
  }

  /** The names of the scenarios seen so far, in order of first appearance. */
  names(): string[] {
    return [...this.scenarios.keys()]
  }

  /** The current state of a scenario (the base's for one never seen). */
  stateOf(scenario: string): ScenarioState {
    return this.scenarios.get(scenario)?.state ?? this.base.state
  }

  /**
   * A scenario some message has named (applied, duplicate or refused), as its forecast sees it;
   * undefined for one never seen. The state is immutable: a later message replaces it, never changes it.
   */
  live(scenario: string): LiveScenario | undefined {
    const e = this.scenarios.get(scenario)
    return e && { state: e.state, rejected: this.base.rejected + e.rejected }
  }

  /** How many scenarios the service holds. */
  get size(): number {
    return this.scenarios.size
  }

  /** Whether the message at this sequence was already processed in this run. */
  processed(sequence: number): boolean {
    return sequence <= this.floor || this.above.has(sequence)
  }

  /** Marks every sequence up to `sequence` processed (after a replay that read them all). */
  processedThrough(sequence: number): void {
    if (sequence > this.floor) {
      this.floor = sequence
      for (const s of this.above) if (s <= sequence) this.above.delete(s)
      this.compact()
    }
  }

  private mark(sequence: number): void {
    if (sequence <= this.floor) return
    this.above.add(sequence)
    this.compact()
  }

  private compact(): void {
    while (this.above.has(this.floor + 1)) this.above.delete(++this.floor)
  }

  /**
   * The registry as data, for a snapshot: every sequence up to `floor` processed and none past it
   * (undefined while a later one is processed out of order), and per scenario its own events
   * after the base's, its last sequence and its rejected count.
   */
  image(): RegistryImage | undefined {
    if (this.above.size > 0) return undefined
    const baseLength = this.base.state.events.length
    return {
      floor: this.floor,
      scenarios: [...this.scenarios].map(([name, e]) => ({
        name,
        events: e.state.events.slice(baseLength),
        sequence: e.sequence,
        rejected: e.rejected,
        ...(e.lastEvent !== undefined ? { lastEvent: e.lastEvent.id } : {}),
      })),
    }
  }

  /** Takes up an image (of this base: the snapshot checks that): the registry as it was, before any message. */
  restore(image: RegistryImage): void {
    this.scenarios.clear()
    this.above.clear()
    this.floor = image.floor
    for (const s of image.scenarios) {
      const state = stateOfLog([...this.base.state.events, ...s.events])
      const lastEvent = s.lastEvent === undefined ? undefined : state.events.findLast((e) => e.id === s.lastEvent)
      this.scenarios.set(s.name, { state, sequence: s.sequence, rejected: s.rejected, lastEvent })
    }
  }

  /**
   * Decodes and applies one message. A sequence already processed in this run is `seen` (a
   * redelivery) and changes nothing; otherwise the message is applied, a duplicate, or rejected.
   */
  receive(message: SourceMessage): Outcome {
    if (message.sequence > 0 && this.processed(message.sequence)) return { kind: "seen" }
    if (message.sequence > 0) this.mark(message.sequence)
    const outcome = this.decide(message)
    if (outcome.kind === "rejected" && outcome.rejection.scenario !== UNKNOWN_SCENARIO) {
      this.entry(outcome.rejection.scenario).rejected++
    }
    return outcome
  }

  private entry(scenario: string): Entry {
    let e = this.scenarios.get(scenario)
    if (!e) {
      e = { state: this.base.state, sequence: 0, rejected: 0, lastEvent: undefined }
      this.scenarios.set(scenario, e)
    }
    return e
  }

  private decide(message: SourceMessage): Outcome {
    const reject = (scenario: string | undefined, reasons: string[], id?: string): Outcome => ({
      kind: "rejected",
      rejection: rejectionOf(message, scenario ?? UNKNOWN_SCENARIO, reasons, id ?? message.messageId),
    })
    const bytes = typeof message.data === "string" ? undefined : message.data
    const size = bytes ? bytes.byteLength : encoder.encode(message.data as string).byteLength
    const addressed = message.scenario
    const addressedOk = addressed !== undefined && SCENARIO_NAME.test(addressed) ? addressed : undefined
    if (addressed !== undefined && addressedOk === undefined) {
      return reject(undefined, [`the subject ${message.subject} does not name a scenario: a scenario name is one token of letters, digits, "-" and "_"`])
    }
    if (size > MAX_EVENT_BYTES) return reject(addressedOk, [`payload of ${size} bytes exceeds the limit of ${MAX_EVENT_BYTES} bytes for one event`])
    let text: string
    if (bytes) {
      try {
        text = utf8.decode(bytes)
      } catch {
        return reject(addressedOk, ["payload is not UTF-8 text"])
      }
    } else text = message.data as string
    if (text.trim() === "") return reject(addressedOk, ["empty payload: not an event"])
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (e) {
      const why = e instanceof RangeError ? "nested too deeply" : e instanceof Error ? e.message.split("\n")[0] : String(e)
      return reject(addressedOk, [`not JSON: ${why}`])
    }
    const isObject = raw !== null && typeof raw === "object" && !Array.isArray(raw)
    const field = isObject ? (raw as { scenario?: unknown }).scenario : undefined
    const rawId = isObject && typeof (raw as { id?: unknown }).id === "string" ? ((raw as { id: string }).id as string) : undefined
    let scenario = addressedOk
    if (typeof field === "string") {
      if (scenario !== undefined && field !== scenario) {
        return reject(scenario, [`scenario: "${clip(field)}" differs from the scenario of the subject, "${scenario}"`], rawId)
      }
      if (!SCENARIO_NAME.test(field)) {
        return reject(undefined, [`scenario: "${clip(field)}" is not a valid scenario name (one token of letters, digits, "-" and "_", at most 128 characters)`], rawId)
      }
      scenario = field
    } else if (field !== undefined && scenario === undefined) {
      return reject(undefined, ["scenario: must be a string"], rawId)
    }
    if (scenario === undefined) {
      return reject(undefined, ["scenario: is required: the scenario the event belongs to (field `scenario` or subject plancast.events.<scenario>)"], rawId)
    }
    const entry = this.entry(scenario)
    try {
      const event = decodeEvent(raw)
      // admission: the log's rules, then the projection of the state it leaves (engine admit.ts)
      const next = admitEvent(this.base.compiled, entry.state, event)
      if (next === entry.state) return { kind: "duplicate", scenario, id: event.id }
      entry.state = next
      entry.sequence = message.sequence
      entry.lastEvent = event
      return { kind: "applied", scenario, event }
    } catch (e) {
      if (e instanceof EventError) return reject(scenario, [reasonOf(e)], e.id ?? rawId)
      if (e instanceof RangeError) return reject(scenario, ["payload nested too deeply"], rawId)
      // a message must never stop the service: an unexpected failure refuses it, with the failure as reason
      return reject(scenario, [`internal error while applying the event: ${e instanceof Error ? e.message : String(e)}`], rawId)
    }
  }

  /**
   * The forecast of one scenario now: the engine's projection, `sequence`, the rejected count,
   * and `news` since the scenario's previous forecast (the first one of a run: since the state
   * before the last step of its log). Remembers this forecast as the next one's start. A
   * projection that fails is a `failure`, reported as the scenario's rejection, never thrown.
   */
  forecast(scenario: string): { forecast: Forecast; lastEvent: ScenarioEvent | undefined } | { failure: Rejection } {
    const e = this.scenarios.get(scenario)
    try {
      return this.forecastOf(scenario, e)
    } catch (x) {
      return { failure: forecastFailure(this, scenario, e?.lastEvent, e?.sequence ?? 0, x) }
    }
  }

  private forecastOf(scenario: string, e: Entry | undefined): { forecast: Forecast; lastEvent: ScenarioEvent | undefined } {
    const state = e?.state ?? this.base.state
    const rejected = this.base.rejected + (e?.rejected ?? 0)
    // a deterministic run needs no buffers for a chunk of draws
    const chunk = Math.max(1, Math.min(this.options.draws, 2048))
    const run = { draws: this.options.draws, seed: this.options.seed, scenario, chunk }
    const projection: Projection = project(this.base.compiled, state, { ...run, rejected })
    const from = e?.published?.state ?? asOf(state, newsSteps(this.base.compiled, this.base.state, state).at(-1)?.first ?? state.events.length)
    const newsNow = news(this.base.compiled, from, state, { ...run, start: e?.published?.projection, end: projection })
    if (e) e.published = { state, projection }
    return { forecast: { ...projection, sequence: e?.sequence ?? 0, news: newsNow }, lastEvent: e?.lastEvent }
  }
}

/**
 * The rejection that reports a forecast that failed (a Monte Carlo draw that does not converge,
 * say): the scenario keeps its events, the last one is named, and the service goes on.
 */
export const forecastFailure = (registry: ScenarioRegistry, scenario: string, lastEvent: ScenarioEvent | undefined, sequence: number, e: unknown): Rejection => ({
  scenario,
  raw: lastEvent === undefined ? "" : JSON.stringify(lastEvent),
  encoding: "utf-8",
  size: 0,
  reasons: [`the forecast of ${scenario} failed (${e instanceof Error ? e.message : String(e)}); its events are kept and the next one brings a new forecast (draws: ${registry.options.draws})`],
  ...(lastEvent !== undefined ? { id: lastEvent.id } : {}),
  sequence,
  subject: "forecast",
})

const clip = (s: string, n = 200): string => (s.length > n ? s.slice(0, n) + "…" : s)

const reasonOf = (e: EventError): string => (e.path.length ? `${e.path.join(".")}: ${e.problem}` : e.problem)

/** Builds a rejection: the payload as text (base64 when not UTF-8), cut to MAX_REJECTED_RAW. */
export const rejectionOf = (message: SourceMessage, scenario: string, reasons: string[], id?: string): Rejection => {
  const bytes = typeof message.data === "string" ? encoder.encode(message.data) : message.data
  let raw: string
  let encoding: "utf-8" | "base64" = "utf-8"
  const cut = bytes.byteLength > MAX_REJECTED_RAW
  const kept = cut ? bytes.subarray(0, MAX_REJECTED_RAW) : bytes
  try {
    raw = utf8.decode(kept)
  } catch {
    // a cut may split a character: decode leniently when the whole payload was text
    if (cut && isUtf8(bytes)) raw = new TextDecoder("utf-8").decode(kept)
    else {
      raw = Buffer.from(kept).toString("base64")
      encoding = "base64"
    }
  }
  return {
    scenario,
    raw,
    encoding,
    size: bytes.byteLength,
    ...(cut ? { truncated: true } : {}),
    reasons,
    ...(id !== undefined ? { id: clip(id) } : {}),
    sequence: message.sequence,
    subject: message.subject,
  }
}

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}
