// adapters/batch/nats-worker.ts as the Effect the command line runs (workerProgram), against a
// real nats-server (started here, on a free port): interrupted with a job in hand, a worker
// acknowledges nothing, stores no result and hands the job back at once (nak), so the next
// worker takes it as a second delivery long before the consumer's ack wait (10 minutes, more
// than this test's bound) could have moved it on; that worker stores its result once and the
// job leaves the queue. Integration test (shell: sockets, threads), with @effect/vitest's
// `it.live` (the real clock: the worker's pauses are real).
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import { NatsServer } from "../../support/nats-server.ts"
import { planBatch } from "../../../engine/batch/index.ts"
import { workerProgram } from "../../../adapters/batch/nats-worker.ts"
import { layoutOf } from "../../../adapters/batch/nats-jobs.ts"
import { encode, jobSubject, messageId, resultsSubject } from "../../../adapters/batch/nats-messages.ts"
import { ensureStreams, queuedJobs, storedCount } from "../../../adapters/batch/nats-streams.ts"
import { acquireConnection, attempt, manager } from "../../../adapters/transports/nats/connection.ts"
import { parseNatsSettings } from "../../../adapters/transports/nats/settings.ts"
import { jetstream } from "@nats-io/jetstream"
import { freshBatch, tookJobs } from "./nats-harness.ts"

let server: NatsServer

beforeAll(async () => {
  server = await NatsServer.start()
})

afterAll(async () => {
  await server?.stop()
})

/** A worker forked in the test's scope, its log kept; `took` completes when it logs that it took a job of `batch`. */
const forkWorker = (batch: string) =>
  Effect.gen(function* () {
    const took = yield* Deferred.make<void>()
    const lines: string[] = []
    const log = (line: string): void => {
      lines.push(line)
      if (tookJobs(line).some((t) => t.tag.startsWith(batch + ":"))) Deferred.doneUnsafe(took, Exit.void)
    }
    const fiber = yield* Effect.forkScoped(workerProgram({ nats: server.url, ackWaitMs: 600_000, log }))
    return { fiber, took, lines }
  })

describe("workerProgram", () => {
  it.live(
    "interrupted with a job in hand, stores nothing, acknowledges nothing and hands the job back for the next worker",
    () =>
      Effect.gen(function* () {
        // one projection with many draws: its job outlasts the interruption by far
        const plan = planBatch({ scenarios: ["scenarios/duji-2024/fai-slump.yaml"], grids: [], draws: 200_000, seed: 5 })
        const batch = freshBatch("stop")
        const layout = yield* Effect.promise(() => layoutOf(plan, { batch, chunkSize: 1 }))
        expect(layout.chunks).toBe(1)
        const nc = yield* acquireConnection(parseNatsSettings({ nats: server.url }, {}, "test"))
        const jsm = yield* manager(nc)
        yield* ensureStreams(jsm)
        yield* attempt("publish the job", () => jetstream(nc).publish(jobSubject(batch, 0), encode(layout.message(0, 0)), { msgID: messageId(batch, 0, 0) }))

        const first = yield* forkWorker(batch)
        yield* Deferred.await(first.took)
        yield* Fiber.interrupt(first.fiber)
        expect(first.lines.at(-1)).toMatch(/: stopped$/)
        expect(first.lines.some((l) => / done in | failed \(/.test(l))).toBe(false)
        expect(yield* storedCount(jsm, resultsSubject(batch))).toBe(0)
        expect([...(yield* queuedJobs(jsm, batch))]).toEqual([0])

        // taken again at once, as its second delivery (the ack wait is 10 minutes); stopped too
        const second = yield* forkWorker(batch)
        yield* Deferred.await(second.took)
        expect(tookJobs(second.lines.join("\n"))).toEqual([{ tag: `${batch}:0`, delivery: 2 }])
        yield* Fiber.interrupt(second.fiber)
        expect(yield* storedCount(jsm, resultsSubject(batch))).toBe(0)
        expect([...(yield* queuedJobs(jsm, batch))]).toEqual([0])
        yield* attempt("purge the job", () => jsm.streams.purge("PLANCAST_JOBS", { filter: `plancast.jobs.${batch}.>` }))
      }),
    120_000,
  )
})
