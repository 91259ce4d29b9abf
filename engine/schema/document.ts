// Text to value, keeping positions: parses a YAML or JSON document (JSON is read as YAML, its
// superset) into a plain value and answers "on which line is this field path?", so every
// error about a model, scenario or event file can name its line. Pure: text in, values out, no I/O.
// Invariants: lines and columns are 1-based; a path that does not exist in the document maps
// to the line of its nearest existing ancestor; a syntax error is a SpecError whose issue
// carries the line and column; a key given twice in one map is such an error, found in one
// pass (the yaml library's own check compares every key with every earlier one: quadratic).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument as parseYaml, visit, type Document, type Node } from "yaml"
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
  const doc = parseYaml(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false })
  const syntaxError = (offset: number, message: string): SpecError => {
    const { line, col } = lineCounter.linePos(offset)
    return new SpecError({ what, issues: [{ path: [], line, message: `YAML syntax: ${message} (column ${col})` }] })
  }
  // the first error is the one to fix; the rest usually follow from it
  const first = doc.errors[0]
  if (first) throw syntaxError(first.pos[0], firstLine(first.message))
  const duplicate = firstDuplicateKey(doc)
  if (duplicate !== undefined) throw syntaxError(duplicate, "Map keys must be unique")
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

/** The offset of the first key in the text that repeats an earlier key of its map (scalar keys, by value), if any. */
const firstDuplicateKey = (doc: Document): number | undefined => {
  let found: number | undefined
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        if (seen.has(pair.key.value)) {
          const offset = pair.key.range?.[0] ?? 0
          if (found === undefined || offset < found) found = offset
          return
        }
        seen.add(pair.key.value)
      }
    },
  })
  return found
}

const keyOf = (key: unknown): string | undefined => (isScalar(key) ? String(key.value) : undefined)

const rangeLine = (node: unknown, lineAt: (offset: number) => number): number | undefined => {
  const range = (node as Node | null | undefined)?.range
  return range ? lineAt(range[0]) : undefined
}

const firstLine = (message: string): string => message.split("\n")[0]!.trim()
