// `plancast validate <file>`: checks a model, a scenario or an NDJSON events file, telling which
// it took it for. A model is parsed, checked against the schema, compiled and run once
// (deterministically, so a block that cannot converge shows); a scenario is loaded with its model
// and base chain and its events folded; an events file is checked line by line against the event
// schema (each line needs its `scenario`). Which kind: `.ndjson`/`.jsonl` files are events; other
// files by their fields (`equations`/`calendar`/`indicators`: model; `model`/`events`/`base`:
// scenario; `id` and `type`: one event). Shell.
import { extname, resolve } from "node:path"
import { decodeEvent, decodeNdjsonLine, documentKind, parseDocument, type EventError, type SpecError } from "../../../engine/index.ts"
import { parseArgs } from "../args.ts"
import { InvalidInput, locateSpec, type LocatedIssue } from "../../files/located.ts"
import { displayName, loadScenario, loadScenarioStrict, readInputText } from "../../files/load.ts"
import { print, projectScenario, type Command } from "./command.ts"

const spec = {
  command: "validate",
  options: {},
  positionals: { min: 1, max: 1, name: "the file to check (plancast validate <file>)" },
} as const

export const validateCommand: Command = {
  name: "validate",
  help: `usage: plancast validate <file>

Checks a model file, a scenario file (with its model and base chain, every event applied) or an
NDJSON events file (one event per line, each with its "scenario"). Prints what the file is and
"ok", or every problem as file:line: field.path: problem.

Exit status: 0 valid; 2 invalid; 1 anything else.
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(validateCommand.help), 0
    const file = args.positionals[0]!
    const { file: shown, text } = await readInputText(file)
    const ext = extname(file).toLowerCase()
    if (ext === ".ndjson" || ext === ".jsonl") return validateStream(shown, text)
    let kind: ReturnType<typeof documentKind>
    try {
      kind = documentKind(parseDocument(text).value)
    } catch (e) {
      // several JSON objects, one a line, read as YAML fail: they are an event stream
      if (looksNdjson(text)) return validateStream(shown, text)
      if ((e as { _tag?: string })._tag === "SpecError") throw locateSpec(shown, e as SpecError)
      throw e
    }
    switch (kind) {
      case "model": {
        // a model file loads as the scenario of its own assumptions; one deterministic run shows a block that cannot converge
        const own = await loadScenario(file)
        projectScenario(own, 0, 1)
        const { model, compiled: m } = own
        print(`${model.file}: ok: model ${m.model.name}: ${m.model.indicators.length} indicators, ${m.endogenous.length} equations, ${m.periods.length} periods (${m.periods[0]}..${m.periods.at(-1)})\n`)
        return 0
      }
      case "scenario": {
        const scenario = await loadScenarioStrict(file)
        const own = scenario.origins.filter((o) => o.file === scenario.file).length
        print(`${scenario.file}: ok: scenario ${scenario.name} on model ${scenario.model.file}: ${own} event${own === 1 ? "" : "s"}${scenario.base ? `, base ${scenario.base.file}` : ""}, all applied\n`)
        return 0
      }
      case "event": {
        const doc = parseDocument(text)
        try {
          decodeEvent(doc.value)
        } catch (e) {
          if ((e as { _tag?: string })._tag !== "EventError") throw e
          const err = e as EventError
          throw new InvalidInput({ issues: [{ file: shown, line: doc.lineOf(err.path), path: err.path, problem: `event ${err.id !== undefined ? JSON.stringify(err.id) + " " : ""}refused: ${err.problem}` }] })
        }
        print(`${shown}: ok: one event (checked against the event schema only)\n`)
        return 0
      }
      default:
        throw new InvalidInput({
          issues: [{ file: displayName(resolve(file)), line: 1, path: [], problem: "not a plancast file: a model has equations, a scenario a model and events, an events file one JSON event a line (.ndjson)" }],
        })
    }
  },
}

const looksNdjson = (text: string): boolean => {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "")
  return lines.length > 1 && lines.every((l) => l.trim().startsWith("{"))
}

/** Checks every line of an NDJSON events file; reports all refused lines at once. */
const validateStream = (file: string, text: string): number => {
  const issues: LocatedIssue[] = []
  const ids = new Set<string>()
  let count = 0
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return
    try {
      const { event } = decodeNdjsonLine(line, i)
      count++
      ids.add(event.id)
    } catch (e) {
      if ((e as { _tag?: string })._tag !== "EventError") throw e
      const err = e as EventError
      issues.push({ file, line: i + 1, path: err.path, problem: `event ${err.id !== undefined ? JSON.stringify(err.id) + " " : ""}refused: ${err.problem}` })
    }
  })
  if (issues.length > 0) throw new InvalidInput({ issues })
  print(`${file}: ok: events file: ${count} event${count === 1 ? "" : "s"} (${ids.size} distinct id${ids.size === 1 ? "" : "s"}), checked against the event schema\n`)
  return 0
}
