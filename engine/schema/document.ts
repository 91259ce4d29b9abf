// Text to value, keeping positions: parses a YAML or JSON document (JSON is read as YAML, its
// superset) into a plain value and answers "on which line is this field path?", so every
// error about a model, scenario or event file can name its line. Pure: text in, values out, no I/O.
// Invariants: lines and columns are 1-based; a path that does not exist in the document maps
// to the line of its nearest existing ancestor; a syntax error is a SpecError whose issue
// carries the line and column.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument as parseYaml, type Node } from "yaml"
import { SpecError, type FieldPath } from "../errors.ts"

/** A parsed document: its value and where each field sits in the text. */
export interface SourceDocument {
  /** The document as plain data (maps become objects, sequences arrays). */
  readonly value: unknown
  /**
   * The 1-based line of the field at `path` (the line of its key for a map entry), or of its
   * nearest existing ancestor when the path goes beyond the document; undefined for an empty document.
   */
  lineOf(path: FieldPath): number | undefined
}

/** A position in a text, 1-based. */
export interface Position {
  readonly line: number
  readonly column: number
}

/**
 * Parses YAML or JSON text. Throws a SpecError (`what` names the document) with one issue: the first
 * syntax error, with its line and a message ending in "(column N)".
 */
export const parseDocument = (text: string, what = "document"): SourceDocument => {
  const lineCounter = new LineCounter()
  const doc = parseYaml(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false })
  if (doc.errors.length > 0) {
    // the first error is the one to fix; the rest usually follow from it
    const first = doc.errors[0]!
    const { line, col } = lineCounter.linePos(first.pos[0])
    throw new SpecError({ what, issues: [{ path: [], line, message: `YAML syntax: ${firstLine(first.message)} (column ${col})` }] })
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 })
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line
  return {
    value,
    lineOf: (path) => {
      let node: unknown = doc.contents
      if (!node) return undefined
      let line = rangeLine(node, lineAt) ?? 1
      for (const key of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(key))
          if (!pair) break
          line = rangeLine(pair.key, lineAt) ?? line
          node = pair.value
        } else if (isSeq(node) && typeof key === "number") {
          const item = node.items[key]
          if (item === undefined) break
          line = rangeLine(item, lineAt) ?? line
          node = item
        } else break
      }
      return line
    },
  }
}

const keyOf = (key: unknown): string | undefined => (isScalar(key) ? String(key.value) : undefined)

const rangeLine = (node: unknown, lineAt: (offset: number) => number): number | undefined => {
  const range = (node as Node | null | undefined)?.range
  return range ? lineAt(range[0]) : undefined
}

const firstLine = (message: string): string => message.split("\n")[0]!.trim()
