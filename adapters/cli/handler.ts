// The seam between a command's declaration (effect/cli) and its implementation (a plain async
// function in commands/, loaded only when the command runs): `handle` runs the implementation,
// turns what it throws into a message on standard error (failure.ts) and its exit status into
// the Effect's result: success for 0, else an ExitStatus failure that carries the status for
// the runtime (Runtime.errorExitCode, read by NodeRuntime.runMain and by main.ts's in-process
// entry). Interruption (SIGINT/SIGTERM through runMain) stops a command at once, except a
// command that handles those signals itself (serve, publish, worker, batch --nats, studio):
// its run is left to finish, and its own status is the process's. Shell.
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"

/** A command finished with a non-zero exit status; what went wrong is already on standard error. */
export class ExitStatus extends Data.TaggedError("ExitStatus")<{ readonly status: number }> {
  override get [Runtime.errorExitCode](): number {
    return this.status
  }
  override get [Runtime.errorReported](): boolean {
    return false
  }
}

/** How a command treats SIGINT/SIGTERM: `interrupt` (the default) stops it; `own` lets it stop itself. */
export type Signals = "interrupt" | "own"

/**
 * Runs a command's implementation `run` (which resolves with the exit status or throws a
 * tagged error) as the handler of the command `name`.
 */
export const handle = (name: string, run: () => Promise<number>, signals: Signals = "interrupt"): Effect.Effect<void, ExitStatus> => {
  const body = Effect.tryPromise({ try: run, catch: (e) => e }).pipe(
    Effect.catch((e) =>
      Effect.promise(async () => {
        const { describeFailure } = await import("./failure.ts")
        const { lines, status } = describeFailure(name, e)
        process.stderr.write(lines.join("\n") + "\n")
        return status
      }),
    ),
    Effect.flatMap((status) => (status === 0 ? Effect.void : Effect.fail(new ExitStatus({ status })))),
  )
  // the program runs uninterruptibly (main.ts); a command that does not handle signals itself opens it to interruption
  return signals === "own" ? body : Effect.interruptible(body)
}
