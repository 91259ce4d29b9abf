// Request/reply projections of the service (endpoint plancast.project): a request is either a
// scenario file's text (YAML or JSON, `model` and `base` resolved relative to the base
// scenario's folder) or `{ scenario?, live?, events: [...], draws?, seed? }` applied on top of
// the base scenario, or with `live` on top of that live scenario's current state in the
// service's registry, each parsed with its schema (ProjectRequest, also the AsyncAPI
// document's); the reply is the projection. Shell (reads model/scenario files named by a
// request); the registry is only read, never changed.
// Invariants: files a request names must lie inside the base scenario's folder; every refused
// event, schema or model problem, and a `live` scenario the service has not seen, is a
// RequestError with code 400; anything else is code 500.
import { dirname, relative, resolve, isAbsolute } from "node:path"
import { Data } from "effect"
import { z } from "zod"
import { decodeWith, admitEvents, emptyState, parseDocument, project, ScenarioEvent, ScenarioFile, type Projection } from "../../engine/index.ts"
import { loadModelFile, loadScenarioStrict } from "../files/load.ts"
import type { BaseScenario, LiveScenarios } from "./registry.ts"
import { MAX_REQUEST_DRAWS } from "../contract.ts"

/** A request that cannot be answered with a projection: `code` 400 for bad input, 500 otherwise. */
export class RequestError extends Data.TaggedError("RequestError")<{
  readonly code: 400 | 500
  readonly problem: string
}> {
  override get message(): string {
    return this.problem
  }
}


const INPUT_TAGS = new Set(["SpecError", "ModelError", "EventError", "OptionError", "InvalidInput", "ConvergenceError", "NonFiniteError"])

const bad = (problem: string) => new RequestError({ code: 400, problem })

const runFields = {
  draws: z.number().int().min(0).max(MAX_REQUEST_DRAWS).optional(),
  seed: z.number().int().refine(Number.isSafeInteger, "must be a safe integer").optional(),
}

/**
 * The two shapes of a request, with events as `event` describes them: raw (the fold decodes
 * each and refuses it with its id) when parsing, typed for the AsyncAPI document.
 */
const requestShapes = <E extends z.ZodType>(event: E) => ({
  file: ScenarioFile.extend({ events: z.array(event).optional(), ...runFields }).describe("a scenario file (YAML or JSON text)"),
  onBase: z
    .strictObject({
      scenario: z.string().optional().describe("the name to give the projection (a label only; by default the live scenario's name, else the base's)"),
      name: z.string().optional().describe("the same as scenario"),
      live: z
        .string()
        .optional()
        .describe("a scenario of the running service: project its current state (the base plus every event it has applied) instead of the base; a scenario no event has named yet is refused (400)"),
      events: z.array(event).optional().describe("events applied on top (of the base, or of the live scenario)"),
      ...runFields,
    })
    .describe("events applied on top of the served base scenario, or of a live scenario of the service"),
})

const parsing = requestShapes(z.unknown())
const decodeFileRequest = decodeWith(parsing.file, "request")
const decodeBaseRequest = decodeWith(parsing.onBase, "request")

const unknownLive = (name: string, size: number): string =>
  `live: "${name.length > 200 ? name.slice(0, 200) + "…" : name}" is not a scenario of this service: no event has named it yet ` +
  `(it holds ${size} scenario${size === 1 ? "" : "s"}; publish an event to plancast.events.<scenario> first, or leave out live to start from the base)`

/** The request of plancast.project as documented (AsyncAPI): a scenario file's text, or events on top of the served base or of a live scenario. */
export const ProjectRequest = (() => {
  const typed = requestShapes(ScenarioEvent)
  return z.union([typed.file, typed.onBase])
})()

/**
 * Answers one request. `base` is the served base scenario, `baseFile` its file, `defaults` the
 * service's draws and seed, `scenarios` the service's scenarios as a `live` request reads them
 * (read once, when the request is answered). Throws RequestError.
 */
export const projectRequest = async (
  text: string,
  base: BaseScenario,
  baseFile: string,
  defaults: { readonly draws: number; readonly seed: number },
  scenarios: LiveScenarios,
): Promise<Projection> => {
  try {
    if (text.length > 4 * 1024 * 1024) throw bad("request larger than 4 MiB")
    const value = text.trim() === "" ? {} : parseDocument(text, "request").value
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw bad("a request is a scenario file (name, model, events) or { scenario?, live?, events: [...] }")
    }
    if (!("model" in value)) {
      const request = decodeBaseRequest(value)
      const from = request.live === undefined ? { state: base.state, rejected: base.rejected } : scenarios.live(request.live)
      if (from === undefined) throw bad(unknownLive(request.live!, scenarios.size))
      const { state, rejected } = admitEvents(base.compiled, request.events ?? [], from.state)
      if (rejected.length > 0) throw bad(rejected.map((e) => e.message).join("; "))
      const scenario = request.scenario ?? request.name ?? request.live ?? base.name
      return project(base.compiled, state, { draws: request.draws ?? defaults.draws, seed: request.seed ?? defaults.seed, scenario, rejected: from.rejected })
    }
    const { draws = defaults.draws, seed = defaults.seed, ...spec } = decodeFileRequest(value)
    const folder = dirname(resolve(baseFile))
    const inside = (path: string, field: string): string => {
      const absolute = resolve(folder, path)
      const rel = relative(folder, absolute)
      if (rel.startsWith("..") || isAbsolute(rel)) throw bad(`${field}: "${path}" lies outside the base scenario's folder`)
      return absolute
    }
    const model = await loadModelFile(inside(spec.model, "model"))
    const parent = spec.base !== undefined ? await loadScenarioStrict(inside(spec.base, "base")) : undefined
    if (parent && parent.model.path !== model.path) throw bad(`base: the base scenario uses the model ${parent.model.file}, this scenario ${model.file}`)
    const { state, rejected } = admitEvents(model.compiled, spec.events ?? [], parent?.state ?? emptyState)
    if (rejected.length > 0) throw bad(rejected.map((e) => e.message).join("; "))
    return project(model.compiled, state, { draws, seed, scenario: spec.name })
  } catch (e) {
    if (e instanceof RequestError) throw e
    const tag = (e as { _tag?: unknown } | null)?._tag
    if (typeof tag === "string" && INPUT_TAGS.has(tag)) throw bad((e as Error).message)
    throw new RequestError({ code: 500, problem: e instanceof Error ? e.message : String(e) })
  }
}
