// Escaping for everything the report writes into HTML or SVG markup: text nodes and
// attribute values alike. Every string that comes from a model, a scenario, an event or a
// user option passes through `esc` before it reaches markup; numbers pass through the
// formatters in format.ts, which only ever produce digits, signs and fixed words.
// Pure: no I/O.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
}

/**
 * Escapes a value for use in an HTML/SVG text node or a quoted attribute value.
 * Non-strings are converted with String(); null and undefined become "".
 * Control characters other than tab, newline and carriage return are dropped.
 */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return ""
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/[&<>"'`]/g, (c) => ENTITIES[c])
}

/**
 * A token safe to use inside an id attribute or url(#...) reference: letters, digits,
 * "-" and "_" only; anything else becomes "_" (distinct inputs may collide, so callers add
 * an index where uniqueness matters).
 */
export function idToken(value: string): string {
  const t = value.replace(/[^A-Za-z0-9_-]/g, "_")
  return /^[A-Za-z]/.test(t) ? t : `x${t}`
}
