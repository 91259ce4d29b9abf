// How a command's failure reaches the user: the message on standard error and the exit
// status. Expected failures (tagged errors: invalid input, usage, options, engine errors) get
// status 2 and a message of file, line, field path and problem, never a stack trace; a goal-seek
// that cannot succeed gets status 1 with its reason; anything else is a defect: a short message
// and status 1 (its stack only with PLANCAST_DEBUG=1). Shell.
import * as Data from "effect/Data"
import { formatIssue } from "../files/located.ts"

/** A command used the wrong way beyond what its options' parsing checks (options that go together or exclude each other). */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly command: string
  readonly problem: string
}> {
  override get message(): string {
    return this.problem
  }
}

/** A part of plancast this build does not have (a command whose adapter is missing). */
export class Unavailable extends Data.TaggedError("Unavailable")<{ readonly what: string }> {
  override get message(): string {
    return `${this.what} is not available in this build`
  }
}

/** Exit statuses of the command line (README). */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_INVALID = 2

const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string" ? (e as { _tag: string })._tag : undefined

/** The message lines and exit status for a failure of `command`. */
export const describeFailure = (command: string, e: unknown): { lines: string[]; status: number } => {
  const err = e as Record<string, any>
  switch (tagOf(e)) {
    case "InvalidInput":
      return { lines: err.issues.map(formatIssue), status: EXIT_INVALID }
    case "UsageError":
      return { lines: [`plancast ${command}: ${err.problem}`, `run "plancast ${command} --help" for its usage`], status: EXIT_INVALID }
    case "OptionError":
      return { lines: [`plancast ${command}: ${err.option}: ${err.problem}`], status: EXIT_INVALID }
    case "SpecError":
    case "ModelError":
    case "EventError":
    case "ConvergenceError":
    case "NonFiniteError":
    case "SeriesCsvError":
      // reaching here unlocated means the input came from no file (a generated or in-memory document)
      return { lines: [`plancast ${command}: ${err.message}`], status: EXIT_INVALID }
    case "Unavailable":
    case "SeekError":
    case "NatsError":
    case "DistributedBatchError":
      return { lines: [`plancast ${command}: ${err.message}`], status: EXIT_FAILURE }
    default: {
      const message = e instanceof Error ? e.message : String(e)
      const lines = [`plancast ${command}: internal error: ${message}`]
      if (process.env.PLANCAST_DEBUG === "1" && e instanceof Error && e.stack) lines.push(e.stack)
      else lines.push("(set PLANCAST_DEBUG=1 to see where it happened)")
      return { lines, status: EXIT_FAILURE }
    }
  }
}
