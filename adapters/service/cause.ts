// The printable text of a foreign failure's cause, for the shell's tagged errors (source, sink,
// NATS): an Error's message, else its string form, else its JSON (some causes have neither). Pure.

/** A cause as one line of text; empty when there is none. */
export const causeText = (cause: unknown): string => {
  if (cause === undefined) return ""
  if (cause instanceof Error) return cause.message
  try {
    return String(cause)
  } catch {
    return JSON.stringify(cause) ?? "unknown cause"
  }
}
