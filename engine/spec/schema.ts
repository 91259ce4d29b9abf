// The spec's two faces outside TypeScript: decoding plain values (parsed from files) against
// the zod schemas into typed documents with readable issues, and the JSON Schema of the model,
// scenario and event files that editors use (written to scenarios/schema/ by
// adapters/cli/export-schema.ts). Pure: values in, values out.
// Invariants: a decode either returns the typed document or throws one SpecError listing every
// issue with its full field path; an unknown field is one issue at the path of that field.
import { parseDocument } from "./document.ts"
import { z } from "zod"
import { SpecError, type FieldPath, type SpecIssue } from "./errors.ts"
import { Model } from "./model.ts"
import { ScenarioEvent, ScenarioFile } from "./scenario.ts"

/**
 * Turns zod issues into spec issues a reader can act on: one issue per unknown field, at that
 * field's path; the value a discriminator did not know, or of the wrong type, named in the message.
 */
export const specIssues = (error: z.ZodError, raw: unknown, prefix: FieldPath = []): SpecIssue[] =>
  error.issues.flatMap((issue): SpecIssue[] => {
    const path = [...prefix, ...(issue.path as (string | number)[])]
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }))
      case "invalid_union": {
        const options = (issue as { options?: unknown[] }).options
        if (options) {
          const got = valueAt(raw, issue.path as (string | number)[])
          return [{ path, message: `${got === undefined ? "missing" : `unknown value ${JSON.stringify(got)}`}: expected one of ${options.join(", ")}` }]
        }
        return [{ path, message: issue.message }]
      }
      case "invalid_type": {
        const got = valueAt(raw, issue.path as (string | number)[])
        if (got === undefined) return [{ path, message: `is required (${issue.expected === "object" ? "an object" : `a ${issue.expected}`})` }]
        return [{ path, message: `must be ${issue.expected === "object" ? "an object" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}, not ${JSON.stringify(got)}` }]
      }
      default:
        return [{ path, message: issue.message }]
    }
  })

const valueAt = (raw: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), raw)

const decodeWith =
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
const ScenarioFileForEditors = ScenarioFile.extend({ events: z.array(ScenarioEvent).optional() })

/** JSON Schemas (draft 2020-12) of the files people write, as plain objects; `io: input` so defaulted fields are optional. */
export const jsonSchemas = (): { model: object; scenario: object; event: object } => ({
  model: withTitle(z.toJSONSchema(Model, { io: "input" }), "plancast model"),
  scenario: withTitle(z.toJSONSchema(ScenarioFileForEditors, { io: "input" }), "plancast scenario"),
  event: withTitle(z.toJSONSchema(ScenarioEvent, { io: "input" }), "plancast scenario event"),
})

const withTitle = (schema: object, title: string): object => ({ title, ...schema })

/** The exact text of each schema file under scenarios/schema/ (2-space JSON, final newline), by file name. */
export const jsonSchemaFiles = (): Record<"model.schema.json" | "scenario.schema.json" | "event.schema.json", string> => {
  const s = jsonSchemas()
  const text = (schema: object) => JSON.stringify(schema, null, 2) + "\n"
  return { "model.schema.json": text(s.model), "scenario.schema.json": text(s.scenario), "event.schema.json": text(s.event) }
}
