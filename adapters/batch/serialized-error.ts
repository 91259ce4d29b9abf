// The round trip of engine errors across a thread boundary or the bus (structured clone and
// JSON drop classes, so a tagged error travels as its tag and fields and is rebuilt as the same
// class on arrival): the compute threads (thread-messages.ts) and a NATS job's result
// (nats-messages.ts) carry errors this way. Shell-side data, no I/O.
import {
  ConvergenceError,
  EventError,
  ModelError,
  NonFiniteError,
  OptionError,
  SeekError,
  SpecError,
} from "../../engine/index.ts"
import { InvalidInput } from "../files/located.ts"

/** An error as it crosses a thread or the bus. */
export interface SerializedError {
  readonly tag?: string
  readonly fields?: Record<string, unknown>
  readonly message: string
}

const rebuild: Record<string, (fields: any) => Error> = {
  SpecError: (f) => new SpecError(f),
  ModelError: (f) => new ModelError(f),
  EventError: (f) => new EventError(f),
  ConvergenceError: (f) => new ConvergenceError(f),
  NonFiniteError: (f) => new NonFiniteError(f),
  SeekError: (f) => new SeekError(f),
  OptionError: (f) => new OptionError(f),
  InvalidInput: (f) => new InvalidInput(f),
}

/** Flattens an error for postMessage: the tag and own fields of a tagged error, the stack of anything else. */
export const serializeError = (e: unknown): SerializedError => {
  if (typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string") {
    const fields: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(e)) if (k !== "_tag" && k !== "stack") fields[k] = v
    return { tag: (e as { _tag: string })._tag, fields, message: (e as Error).message }
  }
  return { message: e instanceof Error ? (e.stack ?? e.message) : String(e) }
}

/** The error a serialized one stands for: the same tagged class where it is one of ours, else a plain Error. */
export const deserializeError = (s: SerializedError): Error => {
  const make = s.tag !== undefined ? rebuild[s.tag] : undefined
  if (make && s.fields) {
    try {
      return make(s.fields)
    } catch {
      // fall through to a plain error with the same message
    }
  }
  return new Error(s.message)
}
