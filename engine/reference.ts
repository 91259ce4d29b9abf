// The model-language reference: the Markdown text of scenarios/schema/model-language.md,
// generated from the JSON Schemas of the model, scenario and event files (schema/validate.ts,
// which carry the zod schemas' `.describe()` and `.meta({ title })` texts) and from the one table
// of what an equation may use (compile/whitelist.ts), so the reference says what the engine
// accepts and cannot drift from it. adapters/cli/export-reference.ts writes it (`npm run docs`);
// test/engine/reference.test.ts fails while the committed file differs.
// Invariants: every field of every file is listed once, in its shape's section, with its type,
// its default (or "required") and its own description; a shape with a title gets one section, with
// its examples (`.meta({ examples })`, each checked against the shape), and every use links to it. A field without a description of its own is a defect (thrown, naming it).
// Pure: values in, text out.
import { Document, isMap, isPair, isScalar, isSeq, parse, visit } from "yaml"
import { z } from "zod"
import {
  Behavioural,
  Calendar,
  Data,
  Distribution,
  EquationError,
  Exogenous,
  Extension,
  History,
  Identifier,
  Indicator,
  Model,
  Observable,
  Parameter,
  PastErrors,
  PeriodLabel,
  Persistence,
  ReleaseNoise,
  Target,
  Variable,
} from "./schema/model.ts"
import { ScenarioEvent, ScenarioFile, ShockEffect } from "./schema/scenario.ts"
import { jsonSchemas } from "./schema/validate.ts"
import { COMPARISONS, FUNCTIONS, LEFT_HAND_SIDES, LOGICAL, OPERATORS, signatureOf } from "./compile/whitelist.ts"

/** The slice of JSON Schema (draft 2020-12, as zod writes it) that the reference reads. */
interface Node {
  readonly title?: string
  readonly description?: string
  readonly type?: string | readonly string[]
  readonly properties?: Readonly<Record<string, Node>>
  readonly required?: readonly string[]
  readonly additionalProperties?: Node | boolean
  readonly propertyNames?: Node
  readonly items?: Node | false
  readonly prefixItems?: readonly Node[]
  readonly anyOf?: readonly Node[]
  readonly oneOf?: readonly Node[]
  readonly enum?: readonly unknown[]
  readonly const?: unknown
  readonly default?: unknown
  readonly minItems?: number
  readonly maxItems?: number
  readonly minimum?: number
  readonly maximum?: number
  readonly exclusiveMinimum?: number
  readonly examples?: readonly unknown[]
}

// The shapes with a title (`.meta({ title })` in engine/schema/): each gets its section, from its own schema.
const NAMED: Readonly<Record<string, z.ZodType>> = {
  Model,
  Calendar,
  Indicator,
  Target,
  EquationError,
  Distribution,
  PastErrors,
  Persistence,
  ReleaseNoise,
  History,
  Parameter,
  Exogenous,
  Extension,
  Variable,
  Observable,
  Data,
  Behavioural,
  PeriodLabel,
  Identifier,
  Scenario: ScenarioFile,
  Event: ScenarioEvent,
  ShockEffect,
}

const ownSchema = (title: string): Node => {
  const schema = NAMED[title]
  if (!schema) throw new Error(`the reference knows no shape titled "${title}": add it to NAMED in engine/reference.ts`)
  return z.toJSONSchema(schema, { io: "input" }) as Node
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-")

const code = (text: string): string => `\`${text}\``
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ")
const SAFE = 9007199254740991

/** Sections still to write, in the order they were first linked; each written once. */
class Sections {
  private readonly queued: { heading: string; node: Node }[] = []
  private readonly known = new Set<string>()
  link(heading: string, node: Node): string {
    if (!this.known.has(heading)) {
      this.known.add(heading)
      this.queued.push({ heading, node })
    }
    return `[${heading}](#${anchor(heading)})`
  }
  next(): { heading: string; node: Node } | undefined {
    return this.queued.shift()
  }
}

const namedDescription = (title: string): string | undefined => ownSchema(title).description

/** A field's or an item's type as the table writes it; shapes with a title, and objects, become links. */
const typeOf = (node: Node, path: string, sections: Sections): string => {
  if (node.title !== undefined) return sections.link(node.title, ownSchema(node.title))
  if (node.const !== undefined) return code(JSON.stringify(node.const))
  if (node.enum) return node.enum.map((v) => code(JSON.stringify(v))).join(" or ")
  const branches = node.oneOf ?? node.anyOf
  if (branches)
    return branches.map((b, i) => (b.title === undefined && b.type === "object" && b.properties ? inlineObject(b, `${path}[${i}]`, sections) : typeOf(b, path, sections))).join(" or ")
  if (Array.isArray(node.type)) return node.type.map((type: string) => typeOf({ type }, path, sections)).join(" or ")
  switch (node.type) {
    case "null":
      return "null"
    case "boolean":
      return "boolean"
    case "string":
      return "string"
    case "number":
      return "number"
    case "integer": {
      const bounds = [
        node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : node.minimum !== undefined && node.minimum > -SAFE ? `>= ${node.minimum}` : "",
        node.maximum !== undefined && node.maximum < SAFE ? `<= ${node.maximum}` : "",
      ].filter((b) => b !== "")
      return ["integer", ...bounds].join(", ")
    }
    case "array": {
      if (node.prefixItems) return `[${node.prefixItems.map((i) => typeOf(i, path, sections)).join(", ")}]`
      const least = node.minItems !== undefined && node.minItems > 0 ? ` (at least ${node.minItems})` : ""
      return `list of ${node.items ? typeOf(node.items, `${path}[]`, sections) : "any"}${least}`
    }
    case "object": {
      if (node.properties) return sections.link(path, node)
      const value = typeof node.additionalProperties === "object" ? typeOf(node.additionalProperties, `${path}.<name>`, sections) : "any"
      const key = node.propertyNames ? typeOf(node.propertyNames, path, sections) : "string"
      return `map of ${key} to ${value}`
    }
    default:
      return "any"
  }
}

// A small object inside a union (`{ mean: n }`), written in place.
const inlineObject = (node: Node, path: string, sections: Sections): string =>
  `{ ${Object.entries(node.properties ?? {})
    .map(([k, v]) => `${k}: ${typeOf(v, `${path}.${k}`, sections)}`)
    .join(", ")} }`

/** The table of an object's fields, in their schema's order (a union's discriminator first). */
const fieldTable = (heading: string, node: Node, sections: Sections, first?: string): string[] => {
  const required = new Set(node.required ?? [])
  const fields = Object.entries(node.properties ?? {}).sort(([a], [b]) => Number(b === first) - Number(a === first))
  const rows = fields.map(([name, field]) => {
    const description = field.description
    if (description === undefined || (field.title !== undefined && description === namedDescription(field.title)))
      throw new Error(`${heading}.${name} has no description of its own: add .describe() to its schema in engine/schema/`)
    const type = typeOf(field, `${heading}.${name}`, sections)
    const given = required.has(name) ? "required" : field.default !== undefined ? code(JSON.stringify(field.default)) : ""
    return `| ${code(name)} | ${cell(type)} | ${cell(given)} | ${cell(description)} |`
  })
  return ["| field | type | default | description |", "|---|---|---|---|", ...rows]
}

// The field every branch of a union of objects fixes to a constant (`dist`, `kind`, `type`).
const discriminator = (branches: readonly Node[]): string | undefined =>
  Object.keys(branches[0]?.properties ?? {}).find((k) => branches.every((b) => b.properties?.[k]?.const !== undefined))

/**
 * A shape's examples, each checked against the shape's zod schema (an example the engine would
 * refuse is a defect): objects as YAML blocks, scalars and lists of them in a line.
 */
const examples = (heading: string, node: Node, schema: z.ZodType | undefined): string[] => {
  const given = node.examples ?? []
  for (const example of given) {
    const r = schema?.safeParse(example)
    if (r && !r.success) throw new Error(`${heading}: its example ${JSON.stringify(example)} does not fit its schema: ${r.error.message}`)
  }
  const plain = (e: unknown): boolean => e === null || typeof e !== "object" || (Array.isArray(e) && e.every((x) => x === null || typeof x !== "object"))
  const blocks = given.filter((e) => !plain(e))
  const inline = given.filter(plain)
  return [
    ...(inline.length > 0 ? [`Example${inline.length > 1 ? "s" : ""}: ${inline.map((e) => code(asYaml(e))).join(", ")}.`, ""] : []),
    ...blocks.flatMap((e) => [`Example:`, "", "```yaml", asYaml(e), "```", ""]),
  ]
}

// YAML as people write these files: a map or list of plain values on one line (`{ dist: normal, sd: 0.05 }`),
// read back and compared (an example that would read otherwise is a defect).
const asYaml = (value: unknown): string => {
  const doc = new Document(value)
  const leaf = (node: unknown): boolean => isScalar(node) || (isSeq(node) && node.items.every(isScalar))
  visit(doc, {
    Map: (_, node) => void (node.flow = node.items.every((pair) => isPair(pair) && leaf(pair.value))),
    Seq: (_, node) => void (node.flow = node.items.every(isScalar) || node.items.every((i) => isMap(i) && i.flow)),
  })
  let text = doc.toString({ flowCollectionPadding: true }).trimEnd()
  // a one-line shape that does not fit one line is written as a block, its fields one a line
  if (text.includes("\n") && (isMap(doc.contents) || isSeq(doc.contents)) && doc.contents.flow) {
    doc.contents.flow = false
    text = doc.toString({ flowCollectionPadding: true }).trimEnd()
  }
  if (JSON.stringify(parse(text)) !== JSON.stringify(value)) throw new Error(`an example reads back otherwise than it was written: ${text}`)
  return text
}

/** One section: its heading, description, examples, and the table of its fields (one per form of a union of objects). */
const section = (heading: string, node: Node, sections: Sections): string[] => {
  const out = [`### ${heading}`, ""]
  if (node.description !== undefined) out.push(node.description, "")
  const schema = NAMED[heading]
  const branches = node.oneOf ?? node.anyOf
  const key = branches && discriminator(branches)
  if (node.type === "object" && node.properties) out.push(...examples(heading, node, schema), ...fieldTable(heading, node, sections), "")
  else if (branches && key !== undefined) {
    for (const b of branches) {
      const form = `${key}: ${String(b.properties![key]!.const)}`
      out.push(`#### ${heading}, ${code(form)}`, "")
      if (b.description !== undefined) out.push(b.description, "")
      out.push(...examples(`${heading} (${form})`, b, schema), ...fieldTable(`${heading} (${form})`, b, sections, key), "")
    }
  } else out.push(`Type: ${typeOf({ ...node, title: undefined }, heading, sections)}.`, "", ...examples(heading, node, schema))
  return out
}

const allSections = (sections: Sections): string[] => {
  const out: string[] = []
  for (let s = sections.next(); s; s = sections.next()) out.push(...section(s.heading, s.node, sections))
  return out
}

const equationTables = (): string[] => {
  const fns = Object.entries(FUNCTIONS).map(([name, rule]) => `| ${code(signatureOf(name, rule))} | ${rule.js === undefined ? "series" : "math"} | ${cell(rule.doc)} |`)
  const lhs = Object.entries(LEFT_HAND_SIDES).map(([name, rule]) => `| ${code(name)} | ${cell(rule.doc)} |`)
  const operators = [...new Set(Object.values(OPERATORS).map((o) => (o.arity === 1 ? `unary ${o.symbol}` : o.symbol)))]
  return [
    "## Equations",
    "",
    "An equation is a mathjs expression over numbers, the model's variables, parameters and exogenous series, with the operators, comparisons and functions below and nothing else (no strings, matrices, units, assignments or other functions: each is refused with the equation's field and line).",
    "",
    `- Operators: ${operators.map(code).join(" ")}, and parentheses. \`-x^2\` is \`-(x^2)\`; multiply explicitly (\`2 * x\`).`,
    `- Comparisons, only in the test of a conditional \`c ? a : b\`: ${Object.values(COMPARISONS).map(code).join(" ")}, chained (\`a < b <= c\`), joined by ${Object.values(LOGICAL).map(code).join(", ")}.`,
    "- Lags `x(-k)` and leads `x(+k)` (k a positive integer literal), of a variable or of any parenthesised expression or call: `(Y + T)(-1)` is `Y(-1) + T(-1)`. A lead makes the model forward-looking (stacked-time Newton; `terminal` conditions after the horizon).",
    "",
    "### Functions",
    "",
    "Series functions are rewritten into lags of their first argument (any expression); their second argument is a positive integer literal.",
    "",
    "| call | kind | meaning |",
    "|---|---|---|",
    ...fns,
    "",
    "### Left-hand sides",
    "",
    "An equation may be written `f(x) = r` with one of these functions of its variable `x`, and is solved for `x`. Add-factors, shocks and equation errors apply to `x`.",
    "",
    "| function | solved as |",
    "|---|---|",
    ...lhs,
    "",
  ]
}

/** The reference's full Markdown text, as committed at scenarios/schema/model-language.md. */
export const modelLanguageReference = (): string => {
  const schemas = jsonSchemas() as { model: Node; scenario: Node; event: Node }
  const sections = new Sections()
  const part = (heading: string, title: string, schema: Node): string[] => {
    sections.link(title, { ...schema, title, description: namedDescription(title) })
    return [`## ${heading}`, "", ...allSections(sections)]
  }
  const lines = [
    "# The plancast model language",
    "",
    "<!-- Generated by `npm run docs` (engine/reference.ts) from the zod schemas in engine/schema/ and the table engine/compile/whitelist.ts: edit those, not this file. -->",
    "",
    "Every field of the files an economist writes: models, scenarios and their events, each with its type, its default and what it means, then what an equation may call. The JSON Schemas beside this file (`model.schema.json`, `scenario.schema.json`, `event.schema.json`) are the same rules for editors; the README's model-language section explains the rules at length, and `scenarios/tutorial/` walks through a first model.",
    "",
    "A default of `required` means the field must be given; an empty default means it is optional. A field of a shape with a title links to that shape's section.",
    "",
    ...part("Model files", "Model", schemas.model),
    ...part("Scenario files and events", "Scenario", schemas.scenario),
    ...equationTables(),
  ]
  return lines.join("\n").replace(/\n+$/, "\n")
}
