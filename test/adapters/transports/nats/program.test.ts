// adapters/transports/nats/program.ts: runProgram, the one place the NATS programs are run from
// a Promise. An abort or a process signal (emitted on `process`, so no real signal is sent)
// interrupts the program at whatever stage it is, every resource it acquired is released once,
// in reverse order, and the caller gets `whenInterrupted` with the signal's name; a failure is
// rethrown as itself; the signal handlers are gone afterwards. Nothing here waits on time.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { OptionError } from "../../../../engine/index.ts"
import { runProgram } from "../../../../adapters/transports/nats/program.ts"

/** A program of `stages` resources acquired one after another, calling `at(k)` once resource k is held, then waiting for ever. */
const staged = (stages: number, journal: string[], at: (k: number) => void) =>
  Effect.scoped(
    Effect.gen(function* () {
      for (let k = 0; k < stages; k++) {
        yield* Effect.acquireRelease(
          Effect.sync(() => journal.push(`acquire ${k}`)),
          () => Effect.sync(() => journal.push(`release ${k}`)),
        )
        at(k)
        yield* Effect.yieldNow
      }
      return yield* Effect.never
    }),
  )

const listeners = () => ({ SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") })

describe("runProgram", () => {
  test.prop([fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))])(
    "an abort at any stage releases what was acquired, in reverse order, and resolves with whenInterrupted",
    async ([stages, stop]) => {
      const journal: string[] = []
      const abort = new AbortController()
      const status = await runProgram(staged(stages, journal, (k) => k === stop && abort.abort()), (signal) => `interrupted by ${signal ?? "the abort"}`, { signal: abort.signal, handleSignals: false })
      expect(status).toBe("interrupted by the abort")
      const held = [...Array(stop + 1).keys()]
      expect(journal).toEqual([...held.map((k) => `acquire ${k}`), ...held.reverse().map((k) => `release ${k}`)])
    },
  )

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`turns ${signal} into interruption, names it to the caller, and removes its handlers`, async () => {
      const before = listeners()
      const journal: string[] = []
      const status = await runProgram(staged(2, journal, (k) => k === 1 && process.emit(signal, signal)), (s) => s)
      expect(status).toBe(signal)
      expect(journal).toEqual(["acquire 0", "acquire 1", "release 1", "release 0"])
      expect(listeners()).toEqual(before)
    })
  }

  it("stops at once a program whose signal was aborted before it started", async () => {
    const journal: string[] = []
    const abort = new AbortController()
    abort.abort()
    expect(await runProgram(staged(3, journal, () => {}), () => 0, { signal: abort.signal, handleSignals: false })).toBe(0)
    const acquired = journal.filter((l) => l.startsWith("acquire")).length
    expect(acquired).toBeLessThan(3)
    expect(journal.filter((l) => l.startsWith("release")).length).toBe(acquired)
  })

  it("resolves with the program's value and rethrows its failure as itself", async () => {
    expect(await runProgram(Effect.succeed(7), () => 0, { handleSignals: false })).toBe(7)
    const bad = new OptionError({ option: "--x", problem: "no" })
    await expect(runProgram(Effect.fail(bad), () => 0, { handleSignals: false })).rejects.toBe(bad)
  })
})
