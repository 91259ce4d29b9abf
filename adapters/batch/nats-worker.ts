// `plancast worker --nats URL [--concurrency N]`: takes batch jobs from the work-queue stream
// PLANCAST_JOBS through the durable pull consumer all workers share, computes each in a
// compute thread with the engine's batch functions, publishes its result into
// PLANCAST_RESULTS, and only then acknowledges the job. One Effect, workerProgram: the
// connection and the threads in its scope, one fiber per slot; runWorker runs it from a
// Promise, with signals (../transports/nats/program.ts). Shell: connection, threads.
// Invariants: a job is acknowledged only after the server stored its result (PubAck), so a
// worker that dies at any point leaves its job to be redelivered to another after the ack
// wait; while a job computes, its message is marked in progress every third of the ack
// wait; a malformed job (not JSON, wrong schema, scenarios that do not rebuild) or one
// delivered more than `maxDeliveries` times is terminated, never redelivered, and its
// reasons published on `plancast.rejected.jobs` (no poison loops); the result of a job
// depends only on the job, so it does not matter which worker ran it or how often; an
// interrupted worker (a signal) acknowledges nothing more and hands its jobs in hand back (nak).
import { hostname } from "node:os"
import { Effect } from "effect"
import type { NatsConnection } from "@nats-io/transport-node"
import { jetstream, type Consumer, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"
import { OptionError } from "../../engine/index.ts"
import { acquireConnection, attempt, manager, startupRetry, type NatsError } from "../transports/nats/connection.ts"
import { runProgram, type StoppableProgram } from "../transports/nats/program.ts"
import { oneOf, trying } from "../service/cause.ts"
import { parseNatsSettings, type NatsSettings } from "../transports/nats/settings.ts"
import { redactUrls } from "../transports/nats/redact.ts"
import { ComputePool } from "./compute-pool.ts"
import type { JobOutcome } from "./nats-compute.ts"
import { decodeJob, encode, JOBS_STREAM, messageId, PROTOCOL, REJECTED_JOBS, resultsSubject, WORKERS_CONSUMER, type JobMessage, type JobRejection, type ResultMessage } from "./nats-messages.ts"
import { DEFAULT_ACK_WAIT_MS, ensureStreams, ensureWorkersConsumer, publishRetry } from "./nats-streams.ts"

/** The most compute threads one worker process may run. */
export const MAX_CONCURRENCY = 256
/** Deliveries of one job after which a worker refuses it (each earlier worker died or timed out on it). */
export const DEFAULT_MAX_DELIVERIES = 5

/** How a worker runs. */
export interface WorkerProgramOptions {
  /** Servers, comma-separated (`--nats`; NATS_URL when absent). Ignored when `settings` is given. */
  readonly nats?: string
  /** Other connection flags (`user`, `password`, `token`, `creds`, `tls-ca`, ...), as adapters/transports/nats/settings.ts reads them. */
  readonly natsFlags?: Readonly<Record<string, string | undefined>>
  /** Connection settings already parsed (wins over `nats` and `natsFlags`). */
  readonly settings?: NatsSettings
  /** Jobs computed at once, each in its own thread (default 1). */
  readonly concurrency?: number
  /** Ack wait of the workers' consumer when this worker creates it (default 30 s). */
  readonly ackWaitMs?: number
  /** Deliveries after which a job is refused (default 5). */
  readonly maxDeliveries?: number
  /** Durable name of the workers' consumer (default `plancast-workers`). */
  readonly consumer?: string
  /** Where progress lines go (default standard error). */
  readonly log?: (line: string) => void
}

/** How `runWorker` runs a worker and stops it. */
export interface WorkerOptions extends WorkerProgramOptions {
  /** Stops the worker when aborted, as SIGINT/SIGTERM do (the jobs in hand go back to the queue). */
  readonly signal?: AbortSignal
  /** Stop on SIGINT and SIGTERM too (default true). */
  readonly handleSignals?: boolean
}

/** Refuses a concurrency that is not an integer in [1, MAX_CONCURRENCY]. */
export const checkConcurrency = (n: number): number => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new OptionError({ option: "--concurrency", problem: `must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${n}` })
  return n
}

/**
 * The worker as one Effect: connects (retrying for ever, or until the settings' connect
 * timeout: then a NatsError), creates the streams and the shared consumer when missing, and
 * runs `concurrency` slots, each taking one job at a time, as fibers of the program's scope
 * with the compute threads and the connection. It runs until interrupted: then each job in
 * hand goes back to the queue unacknowledged (nak), the threads end, the connection is
 * drained, and it logs that it stopped. Fails with OptionError on bad options.
 */
export const workerProgram = (options: WorkerProgramOptions = {}): Effect.Effect<number, OptionError | NatsError> =>
  Effect.gen(function* () {
    const concurrency = yield* trying(() => checkConcurrency(options.concurrency ?? 1), oneOf(OptionError))
    const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES
    const settings = yield* trying(
      () => options.settings ?? parseNatsSettings({ ...(options.natsFlags ?? {}), ...(options.nats !== undefined ? { nats: options.nats } : {}) }, process.env, "plancast worker"),
      oneOf(OptionError),
    )
    const sink = options.log ?? ((line: string) => void process.stderr.write(line + "\n"))
    const log = (line: string): void => sink(redactUrls(line))
    const durable = options.consumer ?? WORKERS_CONSUMER
    const me = `${hostname()}:${process.pid}`
    let connected = false
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const threads = yield* Effect.acquireRelease(
          Effect.sync(() => new ComputePool(concurrency)),
          (pool) => Effect.promise(() => pool.close()),
        )
        const nc = yield* acquireConnection(settings, log)
        const jsm = yield* manager(nc)
        yield* ensureStreams(jsm).pipe(Effect.retry({ schedule: startupRetry(20) }))
        const info = yield* ensureWorkersConsumer(jsm, options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS, durable).pipe(Effect.retry({ schedule: startupRetry(20) }))
        const consumer = yield* attempt(`open consumer ${durable}`, () => jetstream(nc).consumers.get(JOBS_STREAM, durable))
        const ackWaitMs = (info.config.ack_wait ?? 0) / 1_000_000 || DEFAULT_ACK_WAIT_MS
        connected = true
        log(`plancast worker ${me}: taking jobs from ${JOBS_STREAM} (consumer ${durable}, ack wait ${ackWaitMs} ms, ${concurrency} at a time)`)
        const ctx: SlotContext = { nc, jsm, consumer, threads, ackWaitMs, maxDeliveries, me, log }
        yield* Effect.forEach(slotsOf(concurrency), (slot) => slotLoop(ctx, slot), { concurrency: "unbounded", discard: true })
        return 0
      }),
    ).pipe(Effect.onInterrupt(() => Effect.sync(() => log(`plancast worker ${me}: stopped${connected ? "" : " before it connected"}`))))
  })

const slotsOf = (n: number): number[] => Array.from({ length: n }, (_, slot) => slot)

/**
 * Runs a worker until stopped (`signal`, SIGINT/SIGTERM, at any stage): workerProgram run to
 * its end. Returns the exit status (0 when stopped). Rejects with OptionError on bad options,
 * NatsError when the broker is not reached within the connect timeout.
 */
export const runWorker = (options: WorkerOptions = {}): Promise<number> =>
  runProgram(workerProgram(options), workerStopped, { signal: options.signal, handleSignals: options.handleSignals })

/** Stopped by SIGINT/SIGTERM, a worker has handed its jobs back to the queue: status 0. */
const workerStopped = (): number => 0

/** `plancast worker` as a program (see workerStopped). */
export const workerCommand = (options: WorkerProgramOptions = {}): StoppableProgram => ({ program: workerProgram(options), stopped: workerStopped })

interface SlotContext {
  readonly nc: NatsConnection
  readonly jsm: JetStreamManager
  readonly consumer: Consumer
  readonly threads: ComputePool
  readonly ackWaitMs: number
  readonly maxDeliveries: number
  readonly me: string
  readonly log: (line: string) => void
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The next job of the consumer, or null when none came within 2 s. Interrupted while the pull
 * is under way, the pull is stopped (so the connection drains at once) and a job that still
 * arrives for it goes straight back to the queue.
 */
const fetchJob = (ctx: SlotContext): Effect.Effect<JsMsg | null> =>
  Effect.tryPromise({
    try: async (signal) => {
      const pull = await ctx.consumer.fetch({ max_messages: 1, expires: 2_000 })
      const stop = (): void => void pull.stop()
      if (signal.aborted) stop()
      signal.addEventListener("abort", stop, { once: true })
      try {
        for await (const m of pull) {
          if (!signal.aborted) return m
          m.nak()
        }
        return null
      } finally {
        signal.removeEventListener("abort", stop)
      }
    },
    catch: (e) => e,
  }).pipe(
    Effect.catch((e) =>
      Effect.sync(() => ctx.log(`plancast worker ${ctx.me}: cannot fetch a job (${messageOf(e)}); retrying`)).pipe(Effect.andThen(Effect.sleep("1 second")), Effect.as(null)),
    ),
  )

/**
 * One slot: takes a job, handles it, and again, until interrupted. Interrupted at any point
 * after a job is in hand, the job goes back to the queue at once (nak); after its ack or its
 * refusal that nak is nothing (nats.js settles a message once).
 */
const slotLoop = (ctx: SlotContext, slot: number): Effect.Effect<never> =>
  Effect.forever(
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(fetchJob(ctx)), (m) => (m ? restore(handle(ctx, slot, m)).pipe(Effect.onInterrupt(() => Effect.sync(() => m.nak()))) : Effect.void)),
    ),
  )

const jobOfSubject = (subject: string): { batch: string; job: number } | undefined => {
  const m = /^plancast\.jobs\.([A-Za-z0-9_-]{1,64})\.(\d+)$/.exec(subject)
  return m ? { batch: m[1]!, job: Number(m[2]) } : undefined
}

const refuse = (ctx: SlotContext, m: JsMsg, reasons: string[], job?: { batch: string; job: number }): Effect.Effect<void> =>
  Effect.gen(function* () {
    m.term(reasons.join("; ").slice(0, 500))
    const text = new TextDecoder().decode(m.data.subarray(0, 2_000))
    const notice: JobRejection = { subject: m.subject, ...(job ? { batch: job.batch, job: job.job } : {}), reasons, raw: text }
    ctx.nc.publish(REJECTED_JOBS, encode(notice))
    ctx.log(`plancast worker ${ctx.me}: refused ${m.subject}: ${reasons.join("; ")}`)
    // a terminated message stays in a work-queue stream (nats-server 2.9): remove it, so the queue holds no dead job
    yield* attempt("delete a refused job", () => ctx.jsm.streams.deleteMessage(JOBS_STREAM, m.info.streamSequence, false)).pipe(Effect.ignore)
  })

/** What became of a job taken in hand. */
type Handled =
  | { readonly kind: "lost"; readonly why: string }
  | { readonly kind: "malformed"; readonly reasons: string[] }
  | { readonly kind: "unstored"; readonly why: string }
  | { readonly kind: "stored"; readonly outcome: Exclude<JobOutcome, { kind: "malformed" }>; readonly duplicate: boolean }

/** Computes a job in the slot's thread and stores its result, marking the job in progress meanwhile. */
const computeAndStore = (ctx: SlotContext, slot: number, m: JsMsg, job: JobMessage): Effect.Effect<Handled> =>
  Effect.gen(function* () {
    yield* Effect.forkScoped(Effect.forever(Effect.andThen(Effect.sleep(Math.max(100, ctx.ackWaitMs / 3)), Effect.sync(() => m.working()))))
    const computed = yield* Effect.result(Effect.tryPromise({ try: () => ctx.threads.run({ kind: "job", job }, slot), catch: messageOf }))
    if (computed._tag === "Failure") return { kind: "lost", why: computed.failure } as const
    const outcome = computed.success
    if (outcome.kind === "malformed") return { kind: "malformed", reasons: outcome.reasons } as const
    const result: ResultMessage = {
      protocol: PROTOCOL,
      batch: job.batch,
      plan: job.plan,
      job: job.job,
      attempt: job.attempt,
      worker: ctx.me,
      ...(outcome.kind === "rows" ? { rows: outcome.rows } : { error: outcome.error }),
    }
    const js = jetstream(ctx.nc)
    const stored = yield* attempt(`publish the result of ${job.batch}:${job.job}`, () =>
      js.publish(resultsSubject(job.batch), encode(result), { msgID: messageId(job.batch, job.job, job.attempt), timeout: 10_000 }),
    ).pipe(Effect.retry({ schedule: publishRetry }), Effect.result)
    if (stored._tag === "Failure") return { kind: "unstored", why: stored.failure.message } as const
    return { kind: "stored", outcome, duplicate: stored.success.duplicate } as const
  }).pipe(Effect.scoped)

const handle = (ctx: SlotContext, slot: number, m: JsMsg): Effect.Effect<void> =>
  Effect.gen(function* () {
    const decoded = decodeJob(m.subject, m.data)
    // the subject still names the batch and the job, so their client hears of it even when the payload is unreadable
    if ("reasons" in decoded) return yield* refuse(ctx, m, decoded.reasons, jobOfSubject(m.subject))
    const job = decoded.job
    const tag = `${job.batch}:${job.job}`
    if (m.info.deliveryCount > ctx.maxDeliveries)
      return yield* refuse(ctx, m, [`delivered ${m.info.deliveryCount} times without a result (each worker that took it died or ran out of time)`], job)
    ctx.log(`plancast worker ${ctx.me}: took job ${tag} (${job.projections.length} projections, delivery ${m.info.deliveryCount})`)
    const started = performance.now()
    const handled = yield* computeAndStore(ctx, slot, m, job)
    switch (handled.kind) {
      case "lost":
        ctx.log(`plancast worker ${ctx.me}: job ${tag} lost its thread (${handled.why}); handing it back`)
        return m.nak(1_000)
      case "malformed":
        return yield* refuse(ctx, m, handled.reasons, job)
      case "unstored":
        ctx.log(`plancast worker ${ctx.me}: ${handled.why}; handing the job back`)
        return m.nak(1_000)
      case "stored": {
        m.ack()
        const { outcome } = handled
        ctx.log(`plancast worker ${ctx.me}: job ${tag} ${outcome.kind === "rows" ? "done" : "failed (" + outcome.error.message.split("\n")[0] + ")"} in ${Math.round(performance.now() - started)} ms${handled.duplicate ? " (result already stored)" : ""}`)
      }
    }
  })
