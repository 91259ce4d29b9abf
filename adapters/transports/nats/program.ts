// The seams of the NATS programs (`serve`, `publish`, `worker`, `batch --nats`), each one
// Effect: the command line yields them in the process's one runtime (`asCommand`, with their
// status when a signal stops them: a StoppableProgram), and `runProgram` runs one from a
// Promise for in-process callers (tests, benchmarks). SIGINT/SIGTERM and an AbortSignal
// interrupt the program's fiber; its scope then releases what it holds (connections drained,
// threads ended). Shell: process signals.
// Invariants: a process signal handler is installed only while the program runs, once per
// signal, and removed afterwards; after a process signal, an abandoned dial to a silent
// address does not hold the process (connection.ts endAbandonedDials); an interruption
// alone is not a failure (the caller says what it means: today an exit status of 0).
import { Cause, Effect, Exit } from "effect"
import { endAbandonedDials } from "./connection.ts"

/** A program and its exit status when a signal (named, when known) stops it. */
export interface StoppableProgram {
  readonly program: Effect.Effect<number, unknown>
  readonly stopped: (signal: NodeJS.Signals | undefined) => number
}

/** The status of a run a signal stopped, as a shell shows a process ended by it: 143 for SIGTERM, else 130. */
export const signalStatus = (signal: NodeJS.Signals | undefined): number => (signal === "SIGTERM" ? 143 : 130)

/**
 * `p` as the command line runs it, interrupted by the process's signals (NodeRuntime.runMain):
 * once interrupted, an abandoned dial to a silent address does not hold the process.
 */
export const asCommand = (p: StoppableProgram): StoppableProgram => ({ program: p.program.pipe(Effect.onInterrupt(() => Effect.sync(() => endAbandonedDials()))), stopped: p.stopped })

/** How a program run from a Promise is stopped. */
export interface StopOptions {
  /** Interrupts the program when aborted. */
  readonly signal?: AbortSignal | undefined
  /** Interrupt it on SIGINT and SIGTERM too (default true). */
  readonly handleSignals?: boolean | undefined
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"]

/**
 * Runs `program` to its end: its value, its failure thrown (the first of its cause), or
 * `whenInterrupted(signal)` when a process signal (named) or `options.signal` (undefined)
 * interrupted it.
 */
export const runProgram = async <A, E>(program: Effect.Effect<A, E>, whenInterrupted: (signal: NodeJS.Signals | undefined) => A, options: StopOptions = {}): Promise<A> => {
  const stop = new AbortController()
  let signalled: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled ??= signal
    stop.abort()
  }
  const onAbort = (): void => stop.abort()
  const handleSignals = options.handleSignals !== false
  if (options.signal?.aborted) stop.abort()
  options.signal?.addEventListener("abort", onAbort, { once: true })
  if (handleSignals) for (const s of SIGNALS) process.once(s, onSignal)
  try {
    const exit = await Effect.runPromiseExit(program, { signal: stop.signal })
    if (Exit.isSuccess(exit)) return exit.value
    if (Cause.hasInterruptsOnly(exit.cause)) return whenInterrupted(signalled)
    throw Cause.squash(exit.cause)
  } finally {
    if (handleSignals) for (const s of SIGNALS) process.off(s, onSignal)
    options.signal?.removeEventListener("abort", onAbort)
    // a signal asked the process to end: a dial to a silent address must not hold it
    if (signalled !== undefined) endAbandonedDials()
  }
}
