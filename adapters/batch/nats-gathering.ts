// The gathering of one distributed batch on an open connection (nats-client.ts opens it):
// listens for refused jobs on `plancast.rejected.jobs`, reads the batch's stored results from
// PLANCAST_RESULTS with an ordered consumer on `plancast.results.<batch>`, publishes the jobs
// that have neither a result nor a place in the queue into PLANCAST_JOBS, and hands out each
// job's rows in job order (ordered-window.ts). The subscription, the consumer, the reading
// fiber and the publishing fiber all live in the caller's scope. Shell: NATS.
// Invariants: exactly one result per job is used (duplicates from redelivery are dropped, the
// first stands); a result that does not fit its job is refused with reasons on
// `plancast.rejected.results`, deleted from the stream, and its job published again, at most
// MAX_ATTEMPTS times; at most the window's width of jobs is published ahead of the output;
// publishing is one fiber, woken whenever something may need it, so no two publish at once.
import { Cause, Data, Effect, Queue, Stream, type Scope } from "effect"
import type { NatsConnection } from "@nats-io/transport-node"
import { jetstream, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"
import { OptionError, type BatchRow } from "../../engine/index.ts"
import { deserializeError } from "./serialized-error.ts"
import { OrderedWindow } from "./ordered-window.ts"
import { attempt, type NatsError } from "../transports/nats/connection.ts"
import { decodeResult, encode, jobSubject, messageId, REJECTED_JOBS, REJECTED_RESULTS, RESULTS_STREAM, resultsSubject, rowsFromWire, type JobRejection, type ResultRejection } from "./nats-messages.ts"
import type { JobLayout } from "./nats-jobs.ts"
import { publishRetry, queuedJobs, storedCount } from "./nats-streams.ts"

/** Times a job is published at most (the first time and after each refused result). */
export const MAX_ATTEMPTS = 3
/** A distributed batch that cannot finish: a job refused by a worker, or refused results too many times. */
export class DistributedBatchError extends Data.TaggedError("DistributedBatchError")<{
  readonly batch: string
  readonly job?: number
  readonly problem: string
}> {
  override get message(): string {
    return `batch ${this.batch}${this.job !== undefined ? ` job ${this.job}` : ""}: ${this.problem}`
  }
}

/** A batch under way: what was there at the start, and its rows job by job. */
export interface Gathering {
  /** Jobs with a result already, at the end of the catch-up (results keep arriving after it). */
  readonly storedAtStart: number
  /** Jobs still queued at that same moment. */
  readonly queuedAtStart: number
  /** The rows of the next job (jobs are taken in order), once its result is in; fails with the batch's first failure. */
  readonly take: Effect.Effect<BatchRow[], Error>
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)))

/** Records a failure of a fiber of the gathering in the window (every wait then fails with it); an interruption stays one. */
const failInto =
  (results: OrderedWindow<BatchRow[]>) =>
  <E>(cause: Cause.Cause<E>): Effect.Effect<void, E> =>
    Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.sync(() => results.fail(Cause.squash(cause)))

/** Waits until `cond` holds, re-checking on every change of the window. */
const until = (results: OrderedWindow<BatchRow[]>, cond: () => boolean): Effect.Effect<void, Error> =>
  Effect.tryPromise({ try: () => results.until(cond), catch: asError })

/**
 * Starts gathering the batch of `layout`: reads the queued jobs, then the stored results (the
 * queue first: a job leaves it only after its result is stored), then publishes the rest.
 */
export const startGathering = (
  nc: NatsConnection,
  jsm: JetStreamManager,
  layout: JobLayout,
  window: number,
  log: (line: string) => void,
): Effect.Effect<Gathering, NatsError | Error, Scope.Scope> =>
  Effect.gen(function* () {
    const { batch, digest, chunks } = layout
    const results = new OrderedWindow<BatchRow[]>(window)
    /** Attempt each job must be published with (raised by a refused result). */
    const attempts = new Uint8Array(chunks)
    /** Attempt each job was published with plus one (0: not published). */
    const published = new Uint8Array(chunks)
    const js = jetstream(nc)
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024
    let lastResultAt = Date.now()
    let doneCount = 0
    // one pending wake-up is enough: a pass sees everything that changed before it
    const wakeups = yield* Queue.sliding<void>(1)
    const publishSoon = Queue.offer(wakeups, undefined)

    yield* Effect.acquireRelease(
      Effect.sync(() =>
        nc.subscribe(REJECTED_JOBS, {
          callback: (err, m) => {
            if (err) return
            try {
              const notice = JSON.parse(m.string()) as JobRejection
              if (notice.batch === batch) results.fail(new DistributedBatchError({ batch, job: notice.job, problem: `a worker refused the job: ${notice.reasons.join("; ")}` }))
            } catch {
              // not a notice of ours
            }
          },
        }),
      ),
      (sub) => Effect.sync(() => sub.unsubscribe()),
    )

    const refuseResult = (m: JsMsg, reasons: string[], job?: number): Effect.Effect<void> =>
      Effect.gen(function* () {
        const notice: ResultRejection = { subject: m.subject, batch, ...(job !== undefined ? { job } : {}), sequence: m.seq, reasons }
        nc.publish(REJECTED_RESULTS, encode(notice))
        log(`batch ${batch}: refused the result at sequence ${m.seq}${job !== undefined ? ` (job ${job})` : ""}: ${reasons.join("; ")}`)
        // a refused result must not be read again by a resumed client
        yield* attempt("delete a refused result", () => jsm.streams.deleteMessage(RESULTS_STREAM, m.seq, false)).pipe(Effect.ignore)
      })

    const onResult = (m: JsMsg): Effect.Effect<void> =>
      Effect.gen(function* () {
        const decoded = decodeResult(m.data)
        if ("reasons" in decoded) return yield* refuseResult(m, decoded.reasons)
        const r = decoded.result
        if (r.batch !== batch) return yield* refuseResult(m, [`names batch ${r.batch}, published on ${m.subject}`])
        if (r.plan !== digest) return yield* refuseResult(m, [`computed for another plan (${r.plan.slice(0, 12)}..., this one is ${digest.slice(0, 12)}...): the batch id was reused`])
        if (r.job >= chunks) return yield* refuseResult(m, [`job ${r.job} is beyond the batch's ${chunks} jobs`])
        if (results.has(r.job)) return // a duplicate (redelivery, a resumed client): the first result stands
        if (r.error) return results.fail(deserializeError(r.error))
        const checked = rowsFromWire(r.rows!, layout.expected(r.job))
        if ("reasons" in checked) {
          yield* refuseResult(m, checked.reasons, r.job)
          // only a refused result of the job's current attempt calls for another (an older one is already answered by a re-try)
          if (r.attempt < attempts[r.job]!) return
          const next = attempts[r.job]! + 1
          if (next >= MAX_ATTEMPTS) return results.fail(new DistributedBatchError({ batch, job: r.job, problem: `${MAX_ATTEMPTS} results refused, the last: ${checked.reasons.join("; ")}` }))
          attempts[r.job] = next
          results.wake()
          return yield* publishSoon
        }
        results.put(r.job, checked.rows)
        doneCount++
        lastResultAt = Date.now()
        yield* publishSoon
      })

    const publish = (job: number, attemptNo: number): Effect.Effect<void, OptionError | NatsError> =>
      Effect.gen(function* () {
        const data = encode(layout.message(job, attemptNo))
        if (data.length > maxPayload)
          return yield* new OptionError({ option: "--chunk", problem: `job ${job} is ${data.length} bytes, more than the server's ${maxPayload}: use fewer projections per job` })
        yield* attempt(`publish job ${job} of ${batch}`, () => js.publish(jobSubject(batch, job), data, { msgID: messageId(batch, job, attemptNo), timeout: 10_000 })).pipe(
          Effect.retry({ schedule: publishRetry }),
        )
        published[job] = attemptNo + 1
      })

    /** Publishes the jobs of the window that need it, until a pass finds none. */
    const publishPass: Effect.Effect<void, OptionError | NatsError> = Effect.gen(function* () {
      let progressed = true
      while (progressed && !results.failed) {
        progressed = false
        for (let job = results.released; job < chunks && results.admits(job) && !results.failed; job++) {
          if (results.has(job) || published[job] === attempts[job]! + 1) continue
          yield* publish(job, attempts[job]!)
          progressed = true
        }
      }
    })

    // the queue first, then the results: a job leaves the queue only after its result is stored
    const queued = yield* queuedJobs(jsm, batch)
    const stored = yield* storedCount(jsm, resultsSubject(batch))
    const consumer = yield* attempt(`read the results of ${batch}`, () => js.consumers.get(RESULTS_STREAM, { filter_subjects: resultsSubject(batch) }))
    const messages = yield* Effect.acquireRelease(
      attempt(`read the results of ${batch}`, () => consumer.consume()),
      (messages) => Effect.sync(() => messages.stop()),
    )
    let seen = 0
    let caughtUp = stored === 0
    yield* Effect.forkScoped(
      Stream.fromAsyncIterable(messages, asError).pipe(
        Stream.runForEach((m) =>
          Effect.andThen(
            onResult(m),
            Effect.sync(() => {
              seen++
              if (!caughtUp && (seen >= stored || m.info.pending === 0)) {
                caughtUp = true
                results.wake()
              }
            }),
          ),
        ),
        Effect.catchCause(failInto(results)),
      ),
    )
    yield* until(results, () => caughtUp)
    let queuedAtStart = 0
    for (const job of queued)
      if (job < chunks && !results.has(job) && attempts[job] === 0) {
        published[job] = 1
        queuedAtStart++
      }
    const storedAtStart = doneCount
    yield* Effect.forkScoped(Effect.forever(Effect.andThen(Queue.take(wakeups), publishPass.pipe(Effect.catchCause(failInto(results))))))
    yield* publishSoon

    /** Says so every 30 s while no result comes. */
    const quiet = Effect.forever(
      Effect.andThen(
        Effect.sleep("5 seconds"),
        Effect.sync(() => {
          if (Date.now() - lastResultAt > 30_000) {
            log(`batch ${batch}: no result for 30 s, ${chunks - doneCount} jobs outstanding (is a worker running? plancast worker --nats URL)`)
            lastResultAt = Date.now()
          }
        }),
      ),
    )
    const take = Effect.gen(function* () {
      yield* Effect.forkScoped(quiet)
      const rows = yield* Effect.tryPromise({ try: () => results.take(), catch: asError })
      yield* publishSoon
      return rows
    }).pipe(Effect.scoped)
    return { storedAtStart, queuedAtStart, take }
  })
