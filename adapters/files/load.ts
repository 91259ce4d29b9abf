// Loading models and scenarios from disk: read the file, parse it (YAML or JSON) keeping line
// positions, decode it against the spec, compile the model, resolve a scenario's `model` and
// `base` relative to the scenario file (recursively), and fold the whole event log (base's
// events first) through the engine's fold. Shell: reads files; everything else is the engine's.
// Invariants: every failure about a file is an InvalidInput naming the file, the line and the
// field path; a base chain with a cycle, or a base on another model, is refused; a model file
// is read, parsed and compiled once per load, however many scenarios of the chain name it and
// also when it is given as the scenario (its own assumptions), and a document the caller has
// parsed already is not parsed again.
import { readFile, realpath } from "node:fs/promises"
import { basename, dirname, isAbsolute, relative, resolve } from "node:path"
import {
  compile,
  ConvergenceError,
  NonFiniteError,
  decodeModel,
  decodeScenarioFile,
  documentKind,
  emptyState,
  admitEvents,
  parseDocument,
  parseSeriesCsv,
  type CompiledModel,
  type EventError,
  type ScenarioState,
  type SourceDocument,
} from "../../engine/index.ts"
import { invalidAt, InvalidInput, locateSpec, type LocatedIssue } from "./located.ts"

/** A model file, parsed, validated and compiled. */
export interface LoadedModel {
  /** The file as shown to the user. */
  readonly file: string
  /** Its absolute, symlink-free path (the identity of the model). */
  readonly path: string
  readonly document: SourceDocument
  readonly compiled: CompiledModel
}

/** Where an event of a scenario's log was written. */
export interface EventOrigin {
  readonly file: string
  /** Position in that file's `events` list, 0-based. */
  readonly index: number
  readonly line?: number
}

/** An event the fold refused, with its place in the files. */
export interface RefusedEvent extends EventOrigin {
  readonly error: EventError
}

/** A scenario file with everything it stands on: model, base chain, folded state. */
export interface LoadedScenario {
  readonly name: string
  readonly file: string
  readonly path: string
  readonly document: SourceDocument
  readonly model: LoadedModel
  readonly compiled: CompiledModel
  readonly base?: LoadedScenario
  /** The whole event log as written: the base chain's events first, then this file's, raw. */
  readonly events: readonly unknown[]
  /** For each entry of `events`, where it was written. */
  readonly origins: readonly EventOrigin[]
  readonly state: ScenarioState
  readonly rejected: readonly RefusedEvent[]
}

/** The name of a file as the user should see it: relative to the working directory when it lies below it. */
export const displayName = (absolute: string): string => {
  const rel = relative(process.cwd(), absolute)
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute
}

const readText = async (file: string, shown: string, from?: { file: string; path: (string | number)[]; doc: SourceDocument }): Promise<string> => {
  try {
    return await readFile(file, "utf8")
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const problem = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "a directory, not a file" : `cannot read (${code ?? String(e)})`
    // a file named inside another is reported at the field that names it
    if (from) throw invalidAt(from.file, from.path, `${problem}: ${shown}`, from.doc)
    throw new InvalidInput({ issues: [{ file: shown, path: [], problem }] })
  }
}

const parseFile = (text: string, file: string, what: string): SourceDocument => {
  try {
    return parseDocument(text, what)
  } catch (e) {
    if (isTagged(e, "SpecError")) throw locateSpec(file, e)
    throw e
  }
}

const isTagged = <T extends string>(e: unknown, tag: T): e is Extract<import("../../engine/index.ts").PlancastError, { _tag: T }> =>
  typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === tag

/** Compiles a parsed model document, locating any failure in its file. */
const compileDocument = (file: string, doc: SourceDocument): CompiledModel => {
  try {
    return compile(decodeModel(doc.value))
  } catch (e) {
    if (isTagged(e, "SpecError")) throw locateSpec(file, e, doc)
    if (isTagged(e, "ModelError")) throw invalidAt(file, e.path, e.problem, doc)
    if (isTagged(e, "ConvergenceError") || isTagged(e, "NonFiniteError")) throw locateConvergence({ file, document: doc }, e)
    throw e
  }
}

/** A block that did not converge, or a value that is not finite, as an issue at the equation of its first variable. */
const locateConvergence = (model: { file: string; document: SourceDocument }, e: ConvergenceError | NonFiniteError): InvalidInput =>
  invalidAt(model.file, ["equations", e.variables[0] ?? ""], e.message, model.document)

/** Runs `run` (a projection of the model, say); a block that does not converge, or a value that is not finite, becomes invalid input located in the model file. */
export const withConvergenceLocated = <T>(model: { file: string; document: SourceDocument }, run: () => T): T => {
  try {
    return run()
  } catch (e) {
    if (isTagged(e, "ConvergenceError") || isTagged(e, "NonFiniteError")) throw locateConvergence(model, e)
    throw e
  }
}

type ModelCache = Map<string, LoadedModel>

/**
 * A model document whose `data.file` names a CSV of series (relative to the model file), with
 * the CSV read into `data.start` and `data.series`; other documents as they are. A CSV that
 * cannot be read is invalid input at its own line.
 */
const withDataFile = async (document: SourceDocument, absolute: string, shown: string): Promise<SourceDocument> => {
  const value = document.value as { data?: { file?: unknown; series?: unknown }; calendar?: { frequency?: unknown } } | null
  const file = value?.data?.file
  if (typeof file !== "string" || value?.data?.series !== undefined) return document
  const csvPath = resolve(dirname(absolute), file)
  const csvShown = displayName(csvPath)
  const text = await readText(csvPath, csvShown, { file: shown, path: ["data", "file"], doc: document })
  const frequency = value?.calendar?.frequency
  let parsed
  try {
    parsed = parseSeriesCsv(text, frequency === "quarterly" || frequency === "monthly" ? frequency : "annual")
  } catch (e) {
    if (isTagged(e, "SeriesCsvError")) throw new InvalidInput({ issues: [{ file: csvShown, line: e.line, path: [], problem: e.problem }] })
    throw e
  }
  return { ...document, value: { ...value, data: { ...value!.data, ...parsed } } }
}

/** `parsed`: the file's document when the caller has parsed it already (a model file given as a scenario). */
const loadModelAt = async (absolute: string, cache: ModelCache, from?: { file: string; path: (string | number)[]; doc: SourceDocument }, parsed?: SourceDocument): Promise<LoadedModel> => {
  const shown = displayName(absolute)
  const text = parsed ? undefined : await readText(absolute, shown, from)
  const path = await realpath(absolute)
  const cached = cache.get(path)
  if (cached) return cached
  const document = await withDataFile(parsed ?? parseFile(text!, shown, "model"), absolute, shown)
  const loaded: LoadedModel = { file: shown, path, document, compiled: compileDocument(shown, document) }
  cache.set(path, loaded)
  return loaded
}

/** Reads, validates and compiles a model file. Throws InvalidInput. */
export const loadModelFile = (file: string): Promise<LoadedModel> => loadModelAt(resolve(file), new Map())

/** Compiles a model from text already read (a model given on standard input or in a request). Throws InvalidInput. */
export const modelFromText = (text: string, file: string): LoadedModel => {
  const document = parseFile(text, file, "model")
  return { file, path: file, document, compiled: compileDocument(file, document) }
}

interface ChainEntry {
  readonly path: string
  readonly file: string
  readonly document: SourceDocument
  readonly name: string
  readonly model: LoadedModel
  readonly base?: ChainEntry
  readonly events: readonly unknown[]
  readonly origins: readonly EventOrigin[]
}

/** `parsed`: the file's document when the caller has parsed it already. */
const readScenario = async (absolute: string, cache: ModelCache, seen: readonly string[], from?: { file: string; path: (string | number)[]; doc: SourceDocument }, parsed?: SourceDocument): Promise<ChainEntry> => {
  const shown = displayName(absolute)
  const text = parsed ? undefined : await readText(absolute, shown, from)
  const path = await realpath(absolute)
  if (seen.includes(path) && from) {
    const cycle = [...seen.slice(seen.indexOf(path)), path].map(displayName).join(" -> ")
    throw invalidAt(from.file, from.path, `base scenarios form a cycle: ${cycle}`, from.doc)
  }
  const document = parsed ?? parseFile(text!, shown, "scenario")
  const ownModel = documentKind(document.value) === "model"
  let spec
  try {
    // a model file stands for the scenario of its own assumptions: no base, no events
    spec = ownModel
      ? { name: String((document.value as { name?: unknown }).name ?? basename(absolute)), model: basename(absolute), base: undefined, events: [] }
      : decodeScenarioFile(document.value)
  } catch (e) {
    if (isTagged(e, "SpecError")) throw locateSpec(shown, e, document)
    throw e
  }
  const here = dirname(absolute)
  // a model file is its own model: parsed once, whichever way it is read
  const model = await loadModelAt(resolve(here, spec.model), cache, { file: shown, path: ["model"], doc: document }, ownModel ? document : undefined)
  let base: ChainEntry | undefined
  if (spec.base !== undefined) {
    base = await readScenario(resolve(here, spec.base), cache, [...seen, path], { file: shown, path: ["base"], doc: document })
    if (base.model.path !== model.path) {
      throw invalidAt(shown, ["base"], `the base scenario ${base.file} uses the model ${base.model.file}, this scenario uses ${model.file}: they must be the same`, document)
    }
  }
  const own = spec.events.map((_, index): EventOrigin => ({ file: shown, index, line: document.lineOf(["events", index]) }))
  return {
    path,
    file: shown,
    document,
    name: spec.name,
    model,
    base,
    events: [...(base?.events ?? []), ...spec.events],
    origins: [...(base?.origins ?? []), ...own],
  }
}

const foldChain = (entry: ChainEntry): LoadedScenario => {
  const base = entry.base ? foldChain(entry.base) : undefined
  const { state, rejected } = admitEvents(entry.model.compiled, [...entry.events])
  return {
    name: entry.name,
    file: entry.file,
    path: entry.path,
    document: entry.document,
    model: entry.model,
    compiled: entry.model.compiled,
    base,
    events: entry.events,
    origins: entry.origins,
    state,
    rejected: rejected.map((error, k): RefusedEvent => {
      const origin = error.index !== undefined ? entry.origins[error.index] : undefined
      if (!origin) return { file: entry.file, index: error.index ?? k, error }
      const doc = documentOf(entry, origin.file)
      return { ...origin, line: doc?.lineOf(["events", origin.index, ...error.path]) ?? origin.line, error }
    }),
  }
}

const documentOf = (entry: ChainEntry | undefined, file: string): SourceDocument | undefined =>
  entry === undefined ? undefined : entry.file === file ? entry.document : documentOf(entry.base, file)

/**
 * Loads a scenario file: its model, its base chain (paths relative to each file), and the
 * fold of the whole log. Refused events are returned, not thrown (see `requireAllApplied`).
 * Throws InvalidInput for anything else wrong with the files. `parsed`: the file's document,
 * when the caller has read and parsed it already (it is then not read again).
 */
export const loadScenario = async (file: string, parsed?: SourceDocument): Promise<LoadedScenario> => foldChain(await readScenario(resolve(file), new Map(), [], undefined, parsed))

/** The refused events of a loaded scenario as located issues: `file:line: events[i].field: event "id" refused: reason`. */
export const refusedIssues = (scenario: LoadedScenario): LocatedIssue[] =>
  scenario.rejected.map((r) => ({
    file: r.file,
    line: r.line,
    path: ["events", r.index, ...r.error.path],
    problem: `event ${r.error.id !== undefined ? JSON.stringify(r.error.id) + " " : ""}refused: ${r.error.problem}`,
  }))

/** Loads a scenario and insists every event of its log applies: a file with a refused event is invalid input as a whole. */
export const loadScenarioStrict = async (file: string, parsed?: SourceDocument): Promise<LoadedScenario> => {
  const scenario = await loadScenario(file, parsed)
  if (scenario.rejected.length > 0) throw new InvalidInput({ issues: refusedIssues(scenario) })
  return scenario
}

/** A scenario of the same model with no events at all: what a scenario without a base is compared against. */
export const emptyScenarioOf = (scenario: LoadedScenario): LoadedScenario => ({
  ...scenario,
  name: `${scenario.model.compiled.model.name} (no events)`,
  base: undefined,
  events: [],
  origins: [],
  state: emptyState,
  rejected: [],
})

/** Reads a text file named by the user (an NDJSON events file, say). Throws InvalidInput when it cannot be read. */
export const readInputText = async (file: string): Promise<{ file: string; text: string }> => {
  const absolute = resolve(file)
  const shown = displayName(absolute)
  return { file: shown, text: await readText(absolute, shown) }
}
