// The seam between a command's declaration (effect/cli) and its implementation (a function in
// commands/, loaded only when the command runs): `handle` runs the implementation, turns what
// it throws or fails with into a message on standard error (failure.ts) and its exit status
// into the Effect's result: success for 0, else an ExitStatus failure that carries the status
// for the runtime (Runtime.errorExitCode, read by NodeRuntime.runMain and by main.ts's
// in-process entry). An implementation resolves with its status, or with a Program: an Effect
// (serve, publish, worker, batch --nats) that the handler yields, so the command runs in the
// one runtime of the process. Interruption (SIGINT/SIGTERM through runMain) stops a command at
// once; a Program's status when stopped so is its own (`stopped`, recorded in SignalExit for
// main.ts's teardown); a command that handles those signals itself (studio) is left to finish,
// and its own status is the process's. Shell.
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import type { StoppableProgram } from "../transports/nats/program.ts"

/** A command finished with a non-zero exit status; what went wrong is already on standard error. */
export class ExitStatus extends Data.TaggedError("ExitStatus")<{ readonly status: number }> {
  override get [Runtime.errorExitCode](): number {
    return this.status
  }
  override get [Runtime.errorReported](): boolean {
    return false
  }
}

/**
 * How a run stopped by a signal ends (main.ts): the signal received, and the exit status a
 * command recorded for it (instead of the runtime's 130).
 */
export class SignalExit extends Context.Service<SignalExit, { readonly signal: () => NodeJS.Signals | undefined; readonly record: (status: number) => void }>()("plancast/cli/SignalExit") {}

/** How a command treats SIGINT/SIGTERM: `interrupt` (the default) stops it; `own` lets it stop itself. */
export type Signals = "interrupt" | "own"

/** A command run as an Effect: its status, and its status when a signal (named, if known) stops it. */
export type Program = StoppableProgram

const isProgram = (outcome: number | Program): outcome is Program => typeof outcome !== "number"

/** The failure on standard error; its exit status. */
const reported = (name: string, e: unknown): Effect.Effect<number> =>
  Effect.promise(async () => {
    const { describeFailure } = await import("./failure.ts")
    const { lines, status } = describeFailure(name, e)
    process.stderr.write(lines.join("\n") + "\n")
    return status
  })

/**
 * Runs a command's implementation `run` (which resolves with the exit status or a Program, or
 * throws a tagged error) as the handler of the command `name`.
 */
export const handle = (name: string, run: () => Promise<number | Program>, signals: Signals = "interrupt"): Effect.Effect<void, ExitStatus, SignalExit> => {
  const body = Effect.gen(function* () {
    const exit = yield* SignalExit
    const outcome = yield* Effect.tryPromise({ try: run, catch: (e) => e })
    if (!isProgram(outcome)) {
      // a command that stopped itself on the signal ends the interrupted run with its own status
      if (signals === "own") exit.record(outcome)
      return outcome
    }
    // only the program itself is open to interruption: a signal during the checks before it stops it as it starts
    return yield* outcome.program.pipe(
      Effect.interruptible,
      Effect.onInterrupt(() => Effect.sync(() => exit.record(outcome.stopped(exit.signal())))),
    )
  }).pipe(
    Effect.catchCause((cause) => (Cause.hasInterruptsOnly(cause) ? Effect.interrupt : reported(name, Cause.squash(cause)))),
    Effect.flatMap((code) => (code === 0 ? Effect.void : Effect.fail(new ExitStatus({ status: code })))),
  )
  // the program runs uninterruptibly (main.ts); a command that does not handle signals itself opens it to interruption
  return signals === "own" ? body : Effect.interruptible(body)
}
