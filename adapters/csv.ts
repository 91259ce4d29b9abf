// CSV cells and lines (RFC 4180) for every table the shell writes: the CLI's projection CSV and
// the batch rows. One rule: null, undefined and non-finite numbers are empty cells; numbers
// print with the digits rule of text outputs (engine/precision.ts: 12 significant digits, so
// 7.000000000000006 is 7; the same values give the same bytes); a cell with a quote, comma or
// line break is quoted. Pure.
import { numberText } from "../engine/index.ts"

/** One CSV cell. */
export const csvCell = (v: string | number | boolean | null | undefined): string => {
  if (v === null || v === undefined) return ""
  const s = typeof v === "number" ? (Number.isFinite(v) ? numberText(v) : "") : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** One CSV line of cells (without its newline). */
export const csvLine = (cells: readonly (string | number | boolean | null | undefined)[]): string => cells.map(csvCell).join(",")
