// Request/reply projections of the service (endpoint plancast.project): a request is either a
// scenario file's text (YAML or JSON, `model` and `base` resolved relative to the base
// scenario's folder) or `{ scenario?, events: [...], draws?, seed? }` applied on top of the base
// scenario; the reply is the projection JSON. Shell (reads model/scenario files named by a request).
// Invariants: files a request names must lie inside the base scenario's folder; every refused
// event, schema or model problem is a RequestError with code 400; anything else is code 500.
import { dirname, relative, resolve, isAbsolute } from "node:path"
import { Data } from "effect"
import { decodeScenarioFile, emptyState, extend, parseDocument, project, type Projection } from "../../engine/index.ts"
import { loadModelFile, loadScenarioStrict } from "../files/load.ts"
import type { BaseScenario } from "./registry.ts"
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


const INPUT_TAGS = new Set(["SpecError", "ModelError", "EventError", "OptionError", "InvalidInput", "ConvergenceError"])

const bad = (problem: string) => new RequestError({ code: 400, problem })

/**
 * Answers one request. `base` is the served base scenario, `baseFile` its file, `defaults` the
 * service's draws and seed. Throws RequestError.
 */
export const projectRequest = async (
  text: string,
  base: BaseScenario,
  baseFile: string,
  defaults: { readonly draws: number; readonly seed: number },
): Promise<Projection> => {
  try {
    if (text.length > 4 * 1024 * 1024) throw bad("request larger than 4 MiB")
    const value = text.trim() === "" ? {} : parseDocument(text, "request").value
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw bad("a request is a scenario file (name, model, events) or { scenario?, events: [...] }")
    }
    const request = value as Record<string, unknown>
    const { draws, seed } = runOptions(request, defaults)
    if (request.model === undefined) {
      for (const k of Object.keys(request)) {
        if (!["scenario", "name", "events", "draws", "seed"].includes(k)) throw bad(`unknown field "${k}" (expected scenario, events, draws, seed)`)
      }
      const events = request.events ?? []
      if (!Array.isArray(events)) throw bad("events: must be a list of events")
      const name = typeof request.scenario === "string" ? request.scenario : typeof request.name === "string" ? request.name : base.name
      const { state, rejected } = extend(base.compiled, base.state, events)
      if (rejected.length > 0) throw bad(rejected.map((e) => e.message).join("; "))
      return project(base.compiled, state, { draws, seed, scenario: name, rejected: base.rejected })
    }
    const { draws: _d, seed: _s, ...fileFields } = request
    const spec = decodeScenarioFile(fileFields)
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
    const { state, rejected } = extend(model.compiled, parent?.state ?? emptyState, spec.events)
    if (rejected.length > 0) throw bad(rejected.map((e) => e.message).join("; "))
    return project(model.compiled, state, { draws, seed, scenario: spec.name })
  } catch (e) {
    if (e instanceof RequestError) throw e
    const tag = (e as { _tag?: unknown } | null)?._tag
    if (typeof tag === "string" && INPUT_TAGS.has(tag)) throw bad((e as Error).message)
    throw new RequestError({ code: 500, problem: e instanceof Error ? e.message : String(e) })
  }
}

const runOptions = (request: Record<string, unknown>, defaults: { draws: number; seed: number }) => {
  const draws = request.draws ?? defaults.draws
  const seed = request.seed ?? defaults.seed
  if (typeof draws !== "number" || !Number.isInteger(draws) || draws < 0 || draws > MAX_REQUEST_DRAWS) throw bad(`draws: must be an integer from 0 to ${MAX_REQUEST_DRAWS}`)
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw bad("seed: must be a safe integer")
  return { draws, seed }
}
