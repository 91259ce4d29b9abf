// `plancast validate <file>`: checks a model, a scenario or an NDJSON events file, telling which
// it took it for. A model is parsed, checked against the schema, compiled and run once
// (deterministically, so a block that cannot converge shows); a scenario is loaded with its model
// and base chain and its events folded; an events file is checked line by line against the event
// schema (each line needs its `scenario`, a valid scenario name). Which kind: `.ndjson`/`.jsonl`
// files are events; other files by their fields (`equations`/`calendar`/`indicators`: model;
// `model`/`events`/`base`: scenario; `id` and `type`: one event).
// `--base <scenario>` checks an events file as the service would receive it: each line through
// the service's own registry (adapters/service/registry.ts: scenario names, the fold, admission
// by the deterministic projection), every scenario starting from the base; a refused line is
// `file:line: event "id" refused: reason`. `--blocks` prints the model's block structure
// (engine `blockStructure`). The service's registry is loaded only for `--base`. Shell.
import { extname, resolve } from "node:path"
import {
  blockStructure,
  decodeEvent,
  decodeNdjsonLine,
  documentKind,
  parseDocument,
  EventError,
  type BlockStructure,
  type SourceDocument,
  type SpecError,
} from "../../../engine/index.ts"
import { SCENARIO_NAME } from "../../contract.ts"
import { csvLine } from "../../csv.ts"
import type { ValidateInput } from "../configs/running.ts"
import { UsageError } from "../failure.ts"
import { renderTable } from "../format.ts"
import { InvalidInput, locateSpec, type LocatedIssue } from "../../files/located.ts"
import { displayName, loadScenario, loadScenarioStrict, readInputText } from "../../files/load.ts"
import { print, printJson, projectScenario } from "./command.ts"

/** "2 observables, " (observables compile into equations of their own); empty without any. */
const observablesText = (n: number): string => (n === 0 ? "" : `${n} observable${n === 1 ? "" : "s"}, `)

/** Runs `plancast validate` on its parsed options; resolves with the exit status. */
export const runValidate = async (args: ValidateInput): Promise<number> => {
  const file = args.file
  const base = args.base
  const format = args.format
  if (args.blocks) {
    if (base !== undefined) throw new UsageError({ command: "validate", problem: "--blocks reads a model: give it without --base" })
    const structure = blockStructure((await loadScenario(file)).compiled)
    if (format === "json") printJson(structure)
    else print(format === "csv" ? blocksCsv(structure) : blocksTable(structure))
    return 0
  }
  if (format !== undefined) throw new UsageError({ command: "validate", problem: "--format goes with --blocks" })
  const { file: shown, text } = await readInputText(file)
  const ext = extname(file).toLowerCase()
  if (base !== undefined) return validateAgainstBase(shown, text, base)
  if (ext === ".ndjson" || ext === ".jsonl") return validateStream(shown, text)
  let kind: ReturnType<typeof documentKind>
  let document: SourceDocument
  try {
    document = parseDocument(text)
    kind = documentKind(document.value)
  } catch (e) {
    // several JSON objects, one a line, read as YAML fail: they are an event stream
    if (looksNdjson(text)) return validateStream(shown, text)
    if ((e as { _tag?: string })._tag === "SpecError") throw locateSpec(shown, e as SpecError)
    throw e
  }
  switch (kind) {
    case "model": {
      // a model file loads as the scenario of its own assumptions; one deterministic run shows a block that cannot converge
      const own = await loadScenario(file, document)
      projectScenario(own, 0, 1)
      const { model, compiled: m } = own
      print(`${model.file}: ok: model ${m.model.name}: ${m.model.indicators.length} indicators, ${observablesText(Object.keys(m.model.observables).length)}${m.endogenous.length} equations, ${m.periods.length} periods (${m.periods[0]}..${m.periods.at(-1)})\n`)
      return 0
    }
    case "scenario": {
      const scenario = await loadScenarioStrict(file, document)
      const own = scenario.origins.filter((o) => o.file === scenario.file).length
      print(`${scenario.file}: ok: scenario ${scenario.name} on model ${scenario.model.file}: ${own} event${own === 1 ? "" : "s"}${scenario.base ? `, base ${scenario.base.file}` : ""}, all applied\n`)
      return 0
    }
    case "event": {
      const doc = document
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
      const { scenario, event } = decodeNdjsonLine(line, i)
      if (!SCENARIO_NAME.test(scenario))
        throw new EventError({ id: event.id, index: i, path: ["scenario"], problem: `"${scenario}" is not a valid scenario name (one token of letters, digits, "-" and "_", at most 128 characters)` })
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

/**
 * Checks an events file line by line as the service would take it from standard input: each
 * non-blank line is one message through the service's registry on the base scenario. Reports
 * every refused line at once; exit 2 when any is refused.
 */
const validateAgainstBase = async (file: string, text: string, baseFile: string): Promise<number> => {
  // the service's registry (and Effect with it) is loaded only for this check
  const [{ ScenarioRegistry }, Effect] = await Promise.all([import("../../service/registry.ts"), import("effect/Effect")])
  const base = await loadScenarioStrict(baseFile)
  const registry = new ScenarioRegistry({ name: base.name, compiled: base.compiled, state: base.state, rejected: base.rejected.length }, { draws: 0, seed: 1 })
  const issues: LocatedIssue[] = []
  let applied = 0
  let duplicates = 0
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return
    const outcome = registry.receive({ scenario: undefined, subject: file, data: line, sequence: i + 1, ack: Effect.void })
    if (outcome.kind === "applied") applied++
    else if (outcome.kind === "duplicate") duplicates++
    else if (outcome.kind === "rejected") {
      const { id, reasons } = outcome.rejection
      issues.push({ file, line: i + 1, path: [], problem: `event ${id !== undefined ? JSON.stringify(id) + " " : ""}refused: ${reasons.join("; ")}` })
    }
  })
  if (issues.length > 0) throw new InvalidInput({ issues })
  const names = registry.names()
  print(
    `${file}: ok: events file: ${applied} event${applied === 1 ? "" : "s"} admitted${duplicates > 0 ? `, ${duplicates} duplicate${duplicates === 1 ? "" : "s"}` : ""}, ` +
      `${names.length} scenario${names.length === 1 ? "" : "s"} (${names.join(", ")}) on base ${base.name} (${base.file}), checked as the service takes them\n`,
  )
  return 0
}

/** The block structure as a table, one row per block in solution order. */
const blocksTable = (s: BlockStructure): string => {
  const rows = s.blocks.map((b) => [String(b.block), b.simultaneous ? "simultaneous" : "recursive", b.linear ? "yes" : "no", String(b.size), b.method, b.variables.join(" ")])
  const simultaneous = s.blocks.filter((b) => b.simultaneous).length
  const title = `${s.model}: ${s.equations} equations in ${s.blocks.length} block${s.blocks.length === 1 ? "" : "s"} (${simultaneous} simultaneous), ${s.periods} periods${s.forwardLooking ? ", forward-looking (leads): solved stacked over the horizon" : ""}; tolerance ${s.tolerance}`
  return `${title}\n\n${renderTable(["block", "kind", "linear", "size", "solver", "variables"], rows, [1, 2, 4, 5])}`
}

/** The block structure as CSV: block,simultaneous,linear,solver,size,variables (space-separated). */
const blocksCsv = (s: BlockStructure): string =>
  ["block,simultaneous,linear,solver,size,variables", ...s.blocks.map((b) => csvLine([b.block, b.simultaneous, b.linear, b.solver, b.size, b.variables.join(" ")]))].join("\n") + "\n"
