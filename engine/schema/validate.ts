// The spec's two faces outside TypeScript: decoding plain values (parsed from files) against
// the zod schemas into typed documents with readable issues, and the JSON Schema of the model,
// scenario and event files that editors use (written to scenarios/schema/ by
// adapters/cli/export-schema.ts). Pure: values in, values out.
// Invariants: a decode either returns the typed document or throws one SpecError listing every
// issue with its full field path; an unknown field is one issue at the path of that field.
import { parseDocument } from "./document.ts"
import { z } from "zod"
import { SpecError, type FieldPath, type SpecIssue } from "../errors.ts"
import { Model } from "./model.ts"
import { ScenarioEvent, ScenarioFile } from "./scenario.ts"

/**
 * Turns zod issues into spec issues a reader can act on: one issue per unknown field, at that
 * field's path; the value a discriminator did not know, or of the wrong type, named in the
 * message; a value that fits no branch of a union, with what each branch wanted.
 */
export const specIssues = (error: z.ZodError, raw: unknown, prefix: FieldPath = []): SpecIssue[] =>
  error.issues.flatMap((issue): SpecIssue[] => {
    const path = [...prefix, ...(issue.path as (string | number)[])]
    const got = (): unknown => valueAt(raw, issue.path as (string | number)[])
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }))
      case "invalid_union": {
        const options = (issue as { options?: unknown[] }).options
        if (options) return [{ path, message: `${got() === undefined ? "missing" : `unknown value ${JSON.stringify(got())}`}: expected one of ${options.join(", ")}` }]
        const branches = issue.errors
        // the value has the type of one branch only: that branch's issues, inside the value
        const typed = branches.filter((b) => !(b.length === 1 && b[0]!.code === "invalid_type" && b[0]!.path.length === 0))
        if (typed.length === 1) return specIssues(new z.ZodError(typed[0]!), got(), path)
        // several branches take its type (two object forms): the one its fields fit, else the one it comes closest to
        const closest = closestBranch(typed)
        if (closest !== undefined) return specIssues(new z.ZodError(closest), got(), path)
        // every branch refused the value itself (not a field inside it): say what each wanted
        if (branches.length === 0 || !branches.every((b) => b.length === 1 && b[0]!.path.length === 0)) return [{ path, message: issue.message }]
        const wanted = branches.map((b) => b[0]!)
        if (wanted.every((w) => w.code === "invalid_type"))
          return [{ path, message: typeMessage(wanted.map((w) => typeName((w as { expected: string }).expected)).join(" or "), got()) }]
        const branchMessages = wanted.flatMap((w) => specIssues(new z.ZodError([w]), got()).map((i) => i.message))
        return [{ path, message: [...new Set(branchMessages)].join("; or ") }]
      }
      case "invalid_type":
        return [{ path, message: typeMessage(typeName(issue.expected), got()) }]
      default:
        return [{ path, message: issue.message }]
    }
  })

// Among union branches that each accept the value's type, the one it fits best: branches with no
// unknown field at the top first, then the fewest issues; undefined when that is a tie.
const closestBranch = (branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined => {
  const known = branches.filter((b) => !b.some((i) => i.code === "unrecognized_keys" && i.path.length === 0))
  const pool = known.length > 0 ? known : branches
  const fewest = Math.min(...pool.map((b) => b.length))
  const best = pool.filter((b) => b.length === fewest)
  return best.length === 1 ? best[0] : undefined
}

// A type as a reader of YAML or JSON knows it: maps are objects, sequences are lists.
const typeName = (expected: string): string =>
  expected === "object" || expected === "record"
    ? "an object"
    : expected === "array" || expected === "tuple"
      ? "a list"
      : expected === "int"
        ? "an integer"
        : `a ${expected}`

const typeMessage = (wanted: string, got: unknown): string => (got === undefined ? `is required (${wanted})` : `must be ${wanted}, not ${JSON.stringify(got)}`)

const valueAt = (raw: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), raw)

/** A decoder of documents of one schema: the typed value, or a SpecError with every issue at its field path. */
export const decodeWith =
  <S extends z.ZodType>(schema: S, what: string) =>
  (raw: unknown): z.output<S> => {
    const r = schema.safeParse(raw)
    if (!r.success) throw new SpecError({ what, issues: specIssues(r.error, raw) })
    return r.data
  }

/** Decodes a model document (defaults filled); throws SpecError. */
export const decodeModel: (raw: unknown) => Model = decodeWith(Model, "model")

/**
 * A model from the text of a model file (YAML or JSON): parsed and validated, defaults filled,
 * ready for `compile`. Throws SpecError (syntax with its line, or the schema's issues).
 * Reading the file is the caller's (adapters/files/load.ts adds lines to every message).
 */
export const loadModel = (text: string): Model => decodeModel(parseDocument(text, "model").value)

/** Decodes a scenario file's document (its events still raw: the scenario fold decodes them); throws SpecError. */
export const decodeScenarioFile: (raw: unknown) => ScenarioFile = decodeWith(ScenarioFile, "scenario")

/** What kind of plancast document a parsed value looks like, by its fields; undefined when it is none of them. */
export const documentKind = (raw: unknown): "model" | "scenario" | "event" | undefined => {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined
  const has = (k: string) => Object.hasOwn(raw, k)
  if (has("equations") || has("calendar") || has("indicators")) return "model"
  if (has("model") || has("events") || has("base")) return "scenario"
  if (has("type") && has("id")) return "event"
  return undefined
}

/** The scenario file as editors should check it: its events typed, not left open. */
const ScenarioFileForEditors = ScenarioFile.extend({ events: z.array(ScenarioEvent).optional().describe("the scenario's own events, in order") }).meta(
  ScenarioFile.meta() ?? {},
)

/** JSON Schemas (draft 2020-12) of the files people write, as plain objects; `io: input` so defaulted fields are optional. */
export const jsonSchemas = (): { model: object; scenario: object; event: object } => ({
  model: withTitle(z.toJSONSchema(Model, { io: "input" }), "plancast model"),
  scenario: withTitle(z.toJSONSchema(ScenarioFileForEditors, { io: "input" }), "plancast scenario"),
  event: withTitle(z.toJSONSchema(ScenarioEvent, { io: "input" }), "plancast scenario event"),
})

// the file's title first, in place of the root schema's own (Model, Scenario, Event: the reference's names)
const withTitle = (schema: object, title: string): object => {
  const { title: _own, ...rest } = schema as { title?: string }
  return { title, ...rest }
}

/** The exact text of each schema file under scenarios/schema/ (2-space JSON, final newline), by file name. */
export const jsonSchemaFiles = (): Record<"model.schema.json" | "scenario.schema.json" | "event.schema.json", string> => {
  const s = jsonSchemas()
  const text = (schema: object) => JSON.stringify(schema, null, 2) + "\n"
  return { "model.schema.json": text(s.model), "scenario.schema.json": text(s.scenario), "event.schema.json": text(s.event) }
}
