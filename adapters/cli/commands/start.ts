// `plancast start` (what `npm start` runs): projects the Duji 2024 baseline, then every other
// scenario file in scenarios/duji-2024/ beside it in one compact comparison table. No NATS, no
// arguments needed. A scenario that fails is reported on standard error and left out of the
// table; the exit status then says so (the worst failure's status). Shell.
import { readdir, readFile } from "node:fs/promises"
import { extname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { documentKind, OptionError, parseDocument } from "../../../engine/index.ts"
import type { StartInput } from "../configs/running.ts"
import { describeFailure } from "../failure.ts"
import { compareTable, projectionTable } from "../format.ts"
import { displayName, loadScenarioStrict } from "../../files/load.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, projectScenario } from "./command.ts"

/** The Duji 2024 scenarios, wherever plancast is run from. */
const DUJI = fileURLToPath(new URL("../../../scenarios/duji-2024/", import.meta.url))
const BASELINE = "baseline.yaml"

/** The scenario files of a folder, baseline first, then by file name. */
const scenarioFiles = async (dir: string): Promise<string[]> => {
  let entries: string[]
  try {
    entries = await readdir(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === undefined) throw e
    const problem = code === "ENOENT" ? "folder not found" : code === "ENOTDIR" ? "not a folder" : `cannot read (${code})`
    throw new OptionError({ option: "--dir", problem: `${problem}: ${displayName(resolve(dir))}` })
  }
  const names = entries.filter((n) => [".yaml", ".yml", ".json"].includes(extname(n).toLowerCase())).sort()
  const files: string[] = []
  for (const name of names) {
    try {
      if (documentKind(parseDocument(await readFile(join(dir, name), "utf8")).value) === "scenario") files.push(name)
    } catch {
      files.push(name) // unreadable or broken: let the load report it
    }
  }
  return [...files.filter((n) => n === BASELINE), ...files.filter((n) => n !== BASELINE)].map((n) => join(dir, n))
}

/** Runs `plancast start` on its parsed options; resolves with the exit status. */
export const runStart = async (args: StartInput): Promise<number> => {
  const draws = args.draws ?? DEFAULT_DRAWS
  const seed = args.seed ?? DEFAULT_SEED
  const dir = args.dir ?? DUJI
  const projections = []
  let status = 0
  for (const file of await scenarioFiles(dir)) {
    try {
      projections.push(projectScenario(await loadScenarioStrict(file), draws, seed))
    } catch (e) {
      const failure = describeFailure("start", e)
      process.stderr.write(`${displayName(file)}: left out:\n  ${failure.lines.join("\n  ")}\n`)
      status = Math.max(status, failure.status)
    }
  }
  if (projections.length === 0) {
    process.stderr.write(`plancast start: no scenario could be projected in ${displayName(dir)}\n`)
    return status || 1
  }
  print(projectionTable(projections[0]!))
  if (projections.length > 1) print("\n" + compareTable(projections))
  return status
}
