// The outcomes file of `plancast backtest --outcomes FILE.yaml`: per indicator its actual
// annual growth, a number or { value, source }, read and checked against the scenario's model
// (engine/schema/backtest.ts OutcomesFile), every problem located at its file, field and line.
// Shell: reads the file.
import { decodeWith, OutcomesFile, outcomeProblem, parseDocument, SpecError, type ActualOutcome, type CompiledModel } from "../../engine/index.ts"
import { readInputText } from "./load.ts"
import { invalidAt, locateSpec } from "./located.ts"

const decodeOutcomes = decodeWith(OutcomesFile, "outcomes file")

/** Reads an outcomes file for a model. Throws InvalidInput (file, field, line) for anything wrong with it. */
export const loadOutcomes = async (file: string, compiled: CompiledModel): Promise<Record<string, ActualOutcome>> => {
  const { file: shown, text } = await readInputText(file)
  const doc = located(shown, () => parseDocument(text, "outcomes file"))
  const parsed = located(shown, () => decodeOutcomes(doc.value), doc)
  const outcomes: Record<string, ActualOutcome> = {}
  for (const [id, o] of Object.entries(parsed.outcomes)) {
    const outcome = typeof o === "number" ? { value: o } : o
    const problem = outcomeProblem(compiled, id, outcome.value)
    if (problem !== undefined) throw invalidAt(shown, ["outcomes", id], problem, doc)
    outcomes[id] = outcome
  }
  return outcomes
}

const located = <T>(file: string, run: () => T, doc?: Parameters<typeof locateSpec>[2]): T => {
  try {
    return run()
  } catch (e) {
    if (e instanceof SpecError) throw locateSpec(file, e, doc)
    throw e
  }
}
