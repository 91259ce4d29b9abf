// The seam between a command's declaration (effect/cli) and its implementation (a plain async
// function in commands/, loaded only when the command runs): `handle` runs the implementation,
// turns what it throws into a message on standard error (failure.ts) and its exit status into
// the Effect's result: success for 0, else an ExitStatus failure that carries the status for
// the runtime (Runtime.errorExitCode, read by NodeRuntime.runMain and by main.ts's in-process
// entry). Interruption (SIGINT/SIGTERM through runMain) stops a command at once, except a
// command that handles those signals itself (serve, worker, studio): its run is left to
// finish, and its own status, left in SelfStopped, is the process's (main.ts). Shell.
import * as Context from "effect/Context"
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

/**
 * Where a command that stops itself on SIGINT/SIGTERM leaves its exit status: the run that the
 * signal interrupted ends with it (main.ts's teardown) rather than with 130.
 */
export class SelfStopped extends Context.Service<SelfStopped, { readonly record: (status: number) => void }>()("plancast/cli/SelfStopped") {}

/** How a command treats SIGINT/SIGTERM: `interrupt` (the default) stops it; `own` lets it stop itself. */
export type Signals = "interrupt" | "own"

/**
 * Runs a command's implementation `run` (which resolves with the exit status or throws a
 * tagged error) as the handler of the command `name`.
 */
export const handle = (name: string, run: () => Promise<number>, signals: Signals = "interrupt"): Effect.Effect<void, ExitStatus, SelfStopped> => {
  const status = Effect.tryPromise({ try: run, catch: (e) => e }).pipe(
    Effect.catch((e) =>
      Effect.promise(async () => {
        const { describeFailure } = await import("./failure.ts")
        const { lines, status } = describeFailure(name, e)
        process.stderr.write(lines.join("\n") + "\n")
        return status
      }),
    ),
  )
  const body = Effect.gen(function* () {
    const stopped = yield* SelfStopped
    const code = yield* status
    if (signals === "own") stopped.record(code)
    if (code !== 0) return yield* new ExitStatus({ status: code })
  })
  // the program runs uninterruptibly (main.ts); a command that does not handle signals itself opens it to interruption
  return signals === "own" ? body : Effect.interruptible(body)
}
