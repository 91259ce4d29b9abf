// Encoders of batch rows: CSV (RFC 4180, a header line, then one line per row) and NDJSON (one
// JSON object per line, keys in column order). Used by the batch command's writer; pure
// string building, no I/O. Invariants: numbers print with the digits rule of text outputs
// (engine/precision.ts: 12 significant digits) in both formats, so the same rows give the same
// bytes and CSV and NDJSON carry the same figures; null prints as an empty CSV cell / JSON null
// (cells by adapters/csv.ts).
import { BATCH_COLUMNS, roundShown, type BatchRow } from "../../engine/index.ts"
import { csvLine } from "../csv.ts"

/** An output format of `plancast batch`. */
export type BatchFormat = "csv" | "ndjson"

/** The CSV header line (with its newline). */
export const csvHeader = (): string => BATCH_COLUMNS.join(",") + "\n"

/** One row as a CSV line (with its newline). */
export const csvRow = (row: BatchRow): string => csvLine(BATCH_COLUMNS.map((c) => row[c])) + "\n"

/** One row as an NDJSON line (with its newline). */
export const ndjsonLine = (row: BatchRow): string => {
  const o: Record<string, unknown> = {}
  for (const c of BATCH_COLUMNS) {
    const v = row[c]
    o[c] = typeof v === "number" ? roundShown(v) : v
  }
  return JSON.stringify(o) + "\n"
}

/** The text before the first row, and each row's text, of one format. */
export const encoderOf = (format: BatchFormat): { header: string; line: (row: BatchRow) => string } =>
  format === "csv" ? { header: csvHeader(), line: csvRow } : { header: "", line: ndjsonLine }
