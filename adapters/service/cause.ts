// The printable text of a foreign failure's cause, for the shell's tagged errors (transport,
// NATS): an Error's message, a plain value's JSON, else its string form; and TransportError,
// the one failure of a transport under the service's ports (event source and forecast sink);
// and `trying`, the one way the shell's programs take a throwing call into Effect's error
// channel. Pure.
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

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

/**
 * A call that may throw (or reject) as an Effect: what `expected` accepts (the tagged errors of
 * bad input) fails the Effect, anything else is a defect.
 */
export const trying = <A, E>(f: () => A | PromiseLike<A>, expected: (e: unknown) => e is E): Effect.Effect<A, E> =>
  Effect.tryPromise({ try: async () => f(), catch: (e) => e }).pipe(Effect.catch((e) => (expected(e) ? Effect.fail(e) : Effect.die(e))))

/** Whether `e` is an instance of one of `classes` (for `trying`). */
export const oneOf =
  <const Cs extends readonly (abstract new (...args: never) => unknown)[]>(...classes: Cs) =>
  (e: unknown): e is InstanceType<Cs[number]> =>
    classes.some((c) => e instanceof c)
