// A CSV file of historical series (a model's `data.file`) as the model's `data`: the first
// column holds the periods (a header such as `period` or `year`, then labels 1920, 1920-Q1 or
// 1920-01, consecutive), every other column one series named by its header; an empty cell or
// NA is a missing value. Pure: text in, { start, series } out; throws SeriesCsvError with the
// line of the problem.
import { SeriesCsvError } from "../errors.ts"

const ordinal = (label: string, frequency: "annual" | "quarterly" | "monthly"): number | undefined => {
  const m = frequency === "annual" ? /^(\d{4})$/.exec(label) : frequency === "quarterly" ? /^(\d{4})-?Q([1-4])$/.exec(label) : /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label)
  if (m === null) return undefined
  const p = frequency === "annual" ? 1 : frequency === "quarterly" ? 4 : 12
  return Number(m[1]) * p + (m[2] !== undefined ? Number(m[2]) - 1 : 0)
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Parses a CSV of series in the given frequency. @throws SeriesCsvError */
export const parseSeriesCsv = (text: string, frequency: "annual" | "quarterly" | "monthly"): { start: string; series: Record<string, (number | null)[]> } => {
  const lines = text.split(/\r?\n/).map((l, i) => ({ line: i + 1, cells: l.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1")) })).filter((l) => l.cells.some((c) => c !== ""))
  const fail = (line: number, problem: string): never => {
    throw new SeriesCsvError({ line, problem })
  }
  if (lines.length < 2) return fail(1, "a header (period, then series names) and at least one row are needed")
  const [header, ...rows] = lines
  const names = header!.cells.slice(1)
  if (names.length === 0) fail(header!.line, "no series: the columns after the period column name the series")
  names.forEach((n) => {
    if (!IDENT.test(n)) fail(header!.line, `"${n}" is not a series name (a letter or _ followed by letters, digits or _)`)
  })
  if (new Set(names).size !== names.length) fail(header!.line, "a series name appears twice")
  const series: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]))
  let previous: number | undefined
  for (const row of rows) {
    if (row.cells.length !== names.length + 1) fail(row.line, `${row.cells.length} cells where the header has ${names.length + 1}`)
    const o = ordinal(row.cells[0]!, frequency)
    if (o === undefined) fail(row.line, `"${row.cells[0]}" is not a ${frequency} period`)
    if (previous !== undefined && o !== previous + 1) fail(row.line, `${row.cells[0]} does not follow the period before it: periods must be consecutive`)
    previous = o
    names.forEach((n, i) => {
      const c = row.cells[i + 1]!
      if (c === "" || c.toUpperCase() === "NA") return series[n]!.push(null)
      const v = Number(c)
      if (!Number.isFinite(v)) fail(row.line, `${n}: "${c}" is not a number`)
      series[n]!.push(v)
    })
  }
  const first = rows[0]!.cells[0]!
  return { start: frequency === "quarterly" ? first.replace(/^(\d{4})-?Q/, "$1-Q") : first, series }
}
