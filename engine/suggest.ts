// "Did you mean": the one rule for suggesting a known name in place of a misspelt one, used by
// the engine's refusals (an unknown indicator, variable or parameter in an event) and by the
// command line (commands, options, ids given as options). The distance is the optimal string
// alignment distance (insertions, deletions, substitutions, and a swap of two neighbouring
// characters as one edit), case-insensitive; a name is suggested when it is at most a third of
// the longer name's length away (at least 1 edit) and keeps at least one character (so "x" never
// suggests "y"), the closest first, ties in the order given.
// Pure.

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export const editDistance = (a: string, b: string): number => {
  const m = a.length
  const n = b.length
  if (m === 0 || n === 0) return m + n
  // three rows of the dynamic programme: two back (for swaps), one back, this one
  let back2 = new Array<number>(n + 1).fill(0)
  let back1 = Array.from({ length: n + 1 }, (_, j) => j)
  let row = new Array<number>(n + 1).fill(0)
  for (let i = 1; i <= m; i++) {
    row[0] = i
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(back1[j]! + 1, row[j - 1]! + 1, back1[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, back2[j - 2]! + 1)
      row[j] = d
    }
    ;[back2, back1, row] = [back1, row, back2]
  }
  return back1[n]!
}

/** The largest distance at which `candidate` still reads as a misspelling of `word`. */
const close = (word: string, candidate: string, distance: number): boolean => {
  const longer = Math.max(word.length, candidate.length)
  return distance <= Math.max(1, Math.floor(longer / 3)) && distance < longer
}

/** The known names close enough to `word` to be what was meant, closest first (none for an exact match). */
export const closestNames = (word: string, known: Iterable<string>, limit = 3): string[] => {
  const w = word.toLowerCase()
  const scored: { name: string; distance: number; order: number }[] = []
  let order = 0
  for (const name of known) {
    const distance = editDistance(w, name.toLowerCase())
    if (name !== word && close(w, name, distance)) scored.push({ name, distance, order: order++ })
  }
  const seen = new Set<string>()
  return scored
    .sort((x, y) => x.distance - y.distance || x.order - y.order)
    .map((s) => s.name)
    .filter((n) => !seen.has(n) && (seen.add(n), true))
    .slice(0, limit)
}

/**
 * The suggestion to append to a message about an unknown `word`: ` (did you mean "fai"?)`, or
 * ` (did you mean "a" or "b"?)`, or "" when no known name is close. `quote` writes a name as
 * the message does (JSON quotes by default; `--draws` for an option).
 */
export const didYouMean = (word: string, known: Iterable<string>, quote: (name: string) => string = (n) => JSON.stringify(n)): string => {
  const names = closestNames(word, known, 2).map(quote)
  return names.length === 0 ? "" : ` (did you mean ${names.join(" or ")}?)`
}
