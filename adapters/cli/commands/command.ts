// What the commands' implementations share: the defaults of --draws and --seed, writing to
// standard output, projecting a loaded scenario with a non-converging block located in its
// model file, the HTML reports. Shell.
import { writeFile } from "node:fs/promises"
import { project, type Attribution, type Backtest, type CompiledModel, type Projection } from "../../../engine/index.ts"
import { InvalidInput } from "../../files/located.ts"
import { withConvergenceLocated, type LoadedScenario } from "../../files/load.ts"
import { Unavailable } from "../failure.ts"

/** Defaults of --draws and --seed per the README. */
export const DEFAULT_DRAWS = 0
export const DEFAULT_SEED = 1

/** Writes text to standard output. */
export const print = (text: string): void => {
  process.stdout.write(text)
}

/** Writes a value as JSON, one document, pretty-printed. */
export const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2) + "\n")

/**
 * Projects a loaded scenario. A block that does not converge is invalid input of the model
 * (located at the block's first equation); `events.rejected` counts the refused events of the log.
 */
export const projectScenario = (s: LoadedScenario, draws: number, seed: number, bands?: readonly string[] | "all"): Projection =>
  withConvergenceLocated(s.model, () => project(s.compiled, s.state, { draws, seed, scenario: s.name, rejected: s.rejected.length, ...(bands !== undefined ? { bands } : {}) }))

/** The HTML report adapter, loaded only when a report is asked for. */
const reportModule = async (): Promise<typeof import("../../report/index.ts")> => {
  try {
    return await import("../../report/index.ts")
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND") throw new Unavailable({ what: "the HTML report (adapters/report)" })
    throw e
  }
}

const writeHtml = async (file: string, html: string): Promise<void> => {
  try {
    await writeFile(file, html)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code) throw new InvalidInput({ issues: [{ file, path: [], problem: `cannot write the report (${code})` }] })
    throw e
  }
}

/** Writes an HTML report (adapters/report) of projections, one section per scenario, to a file. */
export const writeProjectionReport = async (file: string, projections: readonly Projection[]): Promise<void> =>
  writeHtml(file, (await reportModule()).renderProjectionReport(projections))

/** Writes an HTML report of an attribution (a waterfall per indicator) to a file. */
export const writeExplainReport = async (file: string, explanation: Attribution, names: Readonly<Record<string, { name?: string; name_zh?: string }>>): Promise<void> =>
  writeHtml(file, (await reportModule()).renderExplainReport(explanation, { names }))

/** Writes an HTML report of a backtest (an evolution chart per indicator) to a file. */
export const writeBacktestReport = async (file: string, backtest: Backtest, compiled: CompiledModel): Promise<void> =>
  writeHtml(
    file,
    (await reportModule()).renderBacktestReport(backtest, {
      indicators: Object.fromEntries(compiled.model.indicators.map((i) => [i.id, { name: i.name, name_zh: i.name_zh, unit: i.unit, target: i.target ?? null }])),
    }),
  )
