// The committed model-language reference (scenarios/schema/model-language.md) is what
// engine/reference.ts generates now from the zod schemas and the equation whitelist, and it lists
// every field of the model, scenario and event files and every function an equation may call.
// Its examples are real: the model's compiles and solves, each event's decodes. On failure: `npm run docs`.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { modelLanguageReference } from "../../engine/reference.ts"
import { jsonSchemas } from "../../engine/schema/validate.ts"
import { FUNCTIONS, LEFT_HAND_SIDES } from "../../engine/compile/whitelist.ts"
import { parse } from "yaml"
import { compile, decodeEvent, decodeModel, decodeScenarioFile, simulateOne } from "../../engine/index.ts"

const committed = readFileSync(new URL("../../scenarios/schema/model-language.md", import.meta.url), "utf8")
const text = modelLanguageReference()

// Every property name anywhere in a JSON Schema, with the path where it is defined.
const fieldsOf = (node: unknown, path = "$", out: [string, string][] = []): [string, string][] => {
  if (Array.isArray(node)) node.forEach((n, i) => fieldsOf(n, `${path}[${i}]`, out))
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties") for (const [name, field] of Object.entries(value as object)) out.push([name, `${path}.${name}`]), fieldsOf(field, `${path}.${name}`, out)
      else fieldsOf(value, `${path}.${key}`, out)
    }
  }
  return out
}

describe("the model-language reference", () => {
  it("is what the schemas and the whitelist generate (regenerate: npm run docs)", () => {
    expect(committed).toBe(text)
  })

  it("lists every field of the model, scenario and event files as a table row", () => {
    const missing = Object.values(jsonSchemas())
      .flatMap((schema) => fieldsOf(schema))
      .filter(([name]) => !text.includes(`| \`${name}\` |`))
    expect(missing).toEqual([])
    expect(fieldsOf(jsonSchemas().model).length).toBeGreaterThan(60)
  })

  it("gives each field its type, its default and its description", () => {
    expect(text).toContain("| `decay` | number | `0.5` | how much of a release's surprise")
    expect(text).toContain("| `kind` | `\"flow\"` or `\"income\"` or `\"rate\"` | required |")
    expect(text).toContain("| `event` | string | required | the id of an earlier event of the scenario, not a retract |")
  })

  it("lists every event kind, every function with its signature and every left-hand side", () => {
    for (const kind of ["shock", "observe", "set-parameter", "measure", "retract"]) expect(text).toContain(`#### Event, \`type: ${kind}\``)
    for (const [name, rule] of Object.entries(FUNCTIONS)) expect(text).toMatch(new RegExp(`\\| \`${name}\\(x[^|]*\\)\` \\| (math|series) \\| ${rule.doc.replace(/[()*+.\\[\]]/g, "\\$&")} \\|`))
    expect(text).toContain("| `tsdelta(x, k = 1)` | series | tsdelta(x, k) = x - x(-k) |")
    for (const name of Object.keys(LEFT_HAND_SIDES)) expect(text).toContain(`| \`${name}\` | ${name}(x) = r: x = `)
  })

  it("links every shape it names to a section of its own", () => {
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!)
    const anchors = new Set([...text.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")))
    expect(links.length).toBeGreaterThan(20)
    expect(links.filter((l) => !anchors.has(l))).toEqual([])
  })

  it("gives examples the engine takes: the model compiles and solves, the scenario and every event decode", () => {
    const exampleUnder = (heading: string): unknown => {
      const at = text.indexOf(`${heading}\n`)
      const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(at))
      expect(at, heading).toBeGreaterThanOrEqual(0)
      return parse(block![1]!)
    }
    const compiled = compile(decodeModel(exampleUnder("### Model")))
    // the Keynesian cross: Y = (c0 - c1 T + I + G) / (1 - c1)
    const Y = simulateOne(compiled).Y!
    expect(Y.map((y) => Math.round(y * 1e9) / 1e9)).toEqual([220, 270, 270])
    expect(decodeScenarioFile(exampleUnder("### Scenario")).events).toHaveLength(1)
    for (const kind of ["shock", "observe", "set-parameter", "measure", "retract"]) expect(decodeEvent(exampleUnder(`#### Event, \`type: ${kind}\``)).type).toBe(kind)
  })
})
