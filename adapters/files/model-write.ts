// Writing estimates back into a model file: each named parameter's `value` is replaced in the
// YAML (or JSON) text, everything else (comments, order, layout) left as written. Used by
// `plancast estimate --write/--out`. Shell: reads and writes files.
import { readFile, writeFile } from "node:fs/promises"
import { parseDocument } from "yaml"
import { InvalidInput } from "./located.ts"

/** The model text with `parameters.<name>.value` set for each entry of `values`. */
export const withParameterValues = (text: string, json: boolean, values: ReadonlyMap<string, number>): string => {
  if (json) {
    const value = JSON.parse(text) as { parameters?: Record<string, { value?: number }> }
    for (const [name, v] of values) value.parameters![name]!.value = v
    return JSON.stringify(value, null, 2) + "\n"
  }
  const doc = parseDocument(text)
  for (const [name, v] of values) doc.setIn(["parameters", name, "value"], v)
  return doc.toString({ lineWidth: 0 })
}

/** Rewrites the parameter values of the model file `from` into `to` (the same file for --write). Throws InvalidInput when it cannot write. */
export const writeParameterValues = async (from: string, to: string, values: ReadonlyMap<string, number>): Promise<void> => {
  const text = await readFile(from, "utf8")
  try {
    await writeFile(to, withParameterValues(text, /\.json$/i.test(from), values))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code) throw new InvalidInput({ issues: [{ file: to, path: [], problem: `cannot write the model (${code})` }] })
    throw e
  }
}
