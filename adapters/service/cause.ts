// The printable text of a foreign failure's cause, for the shell's tagged errors (transport,
// NATS): an Error's message, a plain value's JSON, else its string form; and TransportError,
// the one failure of a transport under the service's ports (event source and forecast sink). Pure.
import * as Data from "effect/Data"

/** A cause as one line of text; empty when there is none. */
export const causeText = (cause: unknown): string => {
  if (cause === undefined) return ""
  if (cause instanceof Error) return cause.message
  if (typeof cause === "string") return cause
  if (typeof cause === "object" && cause !== null) {
    try {
      const json = JSON.stringify(cause)
      if (json !== undefined) return json
    } catch {
      // a cycle or a BigInt: fall back to the string form
    }
  }
  try {
    return String(cause)
  } catch {
    return "unknown cause"
  }
}

/** The message of a shell error: `<who>: <operation> failed[: <cause>]`. */
export const failureText = (who: string, operation: string, cause: unknown): string => {
  const why = causeText(cause)
  return `${who}: ${operation} failed${why ? `: ${why}` : ""}`
}

/** A failure of the transport under an event source or a forecast sink (connection, read, publish), with its cause. */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly transport: string
  readonly operation: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return failureText(this.transport, this.operation, this.cause)
  }
}
