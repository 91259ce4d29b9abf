// `plancast worker --nats URL [--concurrency N]`: takes batch jobs from the work-queue stream
// PLANCAST_JOBS through the durable pull consumer all workers share, computes each in a
// compute thread with the engine's batch functions, publishes its result into
// PLANCAST_RESULTS, and only then acknowledges the job. Shell: connection, threads, signals.
// Invariants: a job is acknowledged only after the server stored its result (PubAck), so a
// worker that dies at any point leaves its job to be redelivered to another after the ack
// wait; while a job computes, its message is marked in progress every third of the ack
// wait; a malformed job (not JSON, wrong schema, scenarios that do not rebuild) or one
// delivered more than `maxDeliveries` times is terminated, never redelivered, and its
// reasons published on `plancast.rejected.jobs` (no poison loops); the result of a job
// depends only on the job, so it does not matter which worker ran it or how often.
import { hostname } from "node:os"
import { Cause, Effect, Exit, Scope } from "effect"
import type { NatsConnection } from "@nats-io/transport-node"
import { jetstream, type Consumer, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"
import { OptionError } from "../../engine/index.ts"
import { acquireConnection, attempt, endAbandonedDials, manager, startupRetry } from "../transports/nats/connection.ts"
import { parseNatsSettings, type NatsSettings } from "../transports/nats/settings.ts"
import { redactUrls } from "../transports/nats/redact.ts"
import { ComputePool } from "./compute-pool.ts"
import type { JobOutcome } from "./nats-compute.ts"
import { decodeJob, encode, JOBS_STREAM, messageId, PROTOCOL, REJECTED_JOBS, resultsSubject, WORKERS_CONSUMER, type JobRejection, type ResultMessage } from "./nats-messages.ts"
import { DEFAULT_ACK_WAIT_MS, ensureStreams, ensureWorkersConsumer, publishRetry } from "./nats-streams.ts"

/** The most compute threads one worker process may run. */
export const MAX_CONCURRENCY = 256
/** Deliveries of one job after which a worker refuses it (each earlier worker died or timed out on it). */
export const DEFAULT_MAX_DELIVERIES = 5

/** How a worker runs. */
export interface WorkerOptions {
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
  /** Stops the worker (after the jobs in hand are finished) when aborted. */
  readonly signal?: AbortSignal
  /** Stop on SIGINT and SIGTERM too (default true). */
  readonly handleSignals?: boolean
  /** Where progress lines go (default standard error). */
  readonly log?: (line: string) => void
}

/** Refuses a concurrency that is not an integer in [1, MAX_CONCURRENCY]. */
export const checkConcurrency = (n: number): number => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new OptionError({ option: "--concurrency", problem: `must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${n}` })
  return n
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Runs a worker until stopped (signal, SIGINT/SIGTERM, at any stage): connects (retrying for
 * ever, or until the settings' connect timeout: then a NatsError), creates the
 * streams and the shared consumer when missing, and takes `concurrency` jobs at a time.
 * Returns the exit status (0 when stopped). Throws OptionError on bad options.
 */
export const runWorker = async (options: WorkerOptions = {}): Promise<number> => {
  const concurrency = checkConcurrency(options.concurrency ?? 1)
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES
  const settings = options.settings ?? parseNatsSettings({ ...(options.natsFlags ?? {}), ...(options.nats !== undefined ? { nats: options.nats } : {}) }, process.env, "plancast worker")
  const sink = options.log ?? ((line: string) => void process.stderr.write(line + "\n"))
  const log = (line: string): void => sink(redactUrls(line))
  const durable = options.consumer ?? WORKERS_CONSUMER
  const me = `${hostname()}:${process.pid}`

  const stop = new AbortController()
  let signalled = false
  const onSignal = (): void => {
    signalled = true
    stop.abort()
  }
  const onAbort = (): void => stop.abort()
  options.signal?.addEventListener("abort", onAbort, { once: true })
  if (options.signal?.aborted) stop.abort()
  if (options.handleSignals !== false) {
    process.once("SIGINT", onSignal)
    process.once("SIGTERM", onSignal)
  }

  const scope = Scope.makeUnsafe()
  const threads = new ComputePool(concurrency)
  try {
    // a signal while the broker is still being waited for stops the worker at once
    const started = await Effect.runPromiseExit(
      Effect.gen(function* () {
        const nc = yield* acquireConnection(settings, log)
        const jsm = yield* manager(nc)
        yield* ensureStreams(jsm).pipe(Effect.retry({ schedule: startupRetry(20) }))
        const info = yield* ensureWorkersConsumer(jsm, options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS, durable).pipe(Effect.retry({ schedule: startupRetry(20) }))
        const consumer = yield* attempt(`open consumer ${durable}`, () => jetstream(nc).consumers.get(JOBS_STREAM, durable))
        return { nc, jsm, consumer, ackWaitMs: (info.config.ack_wait ?? 0) / 1_000_000 || DEFAULT_ACK_WAIT_MS }
      }).pipe(Scope.provide(scope)),
      { signal: stop.signal },
    )
    if (Exit.isFailure(started)) {
      if (Cause.hasInterruptsOnly(started.cause)) return log(`plancast worker ${me}: stopped before it connected`), 0
      throw Cause.squash(started.cause)
    }
    const { nc, jsm, consumer, ackWaitMs } = started.value
    log(`plancast worker ${me}: taking jobs from ${JOBS_STREAM} (consumer ${durable}, ack wait ${ackWaitMs} ms, ${concurrency} at a time)`)
    const ctx: SlotContext = { nc, jsm, consumer, threads, ackWaitMs, maxDeliveries, me, log, stop: stop.signal }
    await Promise.all(Array.from({ length: concurrency }, (_, slot) => slotLoop(ctx, slot)))
    log(`plancast worker ${me}: stopped`)
    return 0
  } finally {
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    options.signal?.removeEventListener("abort", onAbort)
    await threads.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
    // a signal asked the process to end: a dial to a silent address must not hold it
    if (signalled) endAbandonedDials()
  }
}

interface SlotContext {
  readonly nc: NatsConnection
  readonly jsm: JetStreamManager
  readonly consumer: Consumer
  readonly threads: ComputePool
  readonly ackWaitMs: number
  readonly maxDeliveries: number
  readonly me: string
  readonly log: (line: string) => void
  readonly stop: AbortSignal
}

const slotLoop = async (ctx: SlotContext, slot: number): Promise<void> => {
  while (!ctx.stop.aborted) {
    let m: JsMsg | null
    try {
      m = await ctx.consumer.next({ expires: 2_000 })
    } catch (e) {
      if (ctx.stop.aborted) return
      ctx.log(`plancast worker ${ctx.me}: cannot fetch a job (${e instanceof Error ? e.message : String(e)}); retrying`)
      await sleep(1_000)
      continue
    }
    if (m) await handle(ctx, slot, m)
  }
}

const jobOfSubject = (subject: string): { batch: string; job: number } | undefined => {
  const m = /^plancast\.jobs\.([A-Za-z0-9_-]{1,64})\.(\d+)$/.exec(subject)
  return m ? { batch: m[1]!, job: Number(m[2]) } : undefined
}

const refuse = (ctx: SlotContext, m: JsMsg, reasons: string[], job?: { batch: string; job: number }): void => {
  m.term(reasons.join("; ").slice(0, 500))
  // a terminated message stays in a work-queue stream (nats-server 2.9): remove it, so the queue holds no dead job
  ctx.jsm.streams.deleteMessage(JOBS_STREAM, m.info.streamSequence, false).catch(() => {})
  const text = new TextDecoder().decode(m.data.subarray(0, 2_000))
  const notice: JobRejection = { subject: m.subject, ...(job ? { batch: job.batch, job: job.job } : {}), reasons, raw: text }
  ctx.nc.publish(REJECTED_JOBS, encode(notice))
  ctx.log(`plancast worker ${ctx.me}: refused ${m.subject}: ${reasons.join("; ")}`)
}

const handle = async (ctx: SlotContext, slot: number, m: JsMsg): Promise<void> => {
  const decoded = decodeJob(m.subject, m.data)
  // the subject still names the batch and the job, so their client hears of it even when the payload is unreadable
  if ("reasons" in decoded) return refuse(ctx, m, decoded.reasons, jobOfSubject(m.subject))
  const job = decoded.job
  const tag = `${job.batch}:${job.job}`
  if (m.info.deliveryCount > ctx.maxDeliveries)
    return refuse(ctx, m, [`delivered ${m.info.deliveryCount} times without a result (each worker that took it died or ran out of time)`], job)
  ctx.log(`plancast worker ${ctx.me}: took job ${tag} (${job.projections.length} projections, delivery ${m.info.deliveryCount})`)
  const started = performance.now()
  const heartbeat = setInterval(() => m.working(), Math.max(100, ctx.ackWaitMs / 3))
  try {
    let outcome: JobOutcome
    try {
      outcome = await ctx.threads.run({ kind: "job", job }, slot)
    } catch (e) {
      ctx.log(`plancast worker ${ctx.me}: job ${tag} lost its thread (${e instanceof Error ? e.message : String(e)}); handing it back`)
      m.nak(1_000)
      return
    }
    if (outcome.kind === "malformed") return refuse(ctx, m, outcome.reasons, job)
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
    const stored = await Effect.runPromise(
      attempt(`publish the result of ${tag}`, () => js.publish(resultsSubject(job.batch), encode(result), { msgID: messageId(job.batch, job.job, job.attempt), timeout: 10_000 })).pipe(
        Effect.retry({ schedule: publishRetry }),
        Effect.result,
      ),
    )
    if (stored._tag === "Failure") {
      ctx.log(`plancast worker ${ctx.me}: ${stored.failure.message}; handing the job back`)
      m.nak(1_000)
      return
    }
    m.ack()
    ctx.log(`plancast worker ${ctx.me}: job ${tag} ${outcome.kind === "rows" ? "done" : "failed (" + outcome.error.message.split("\n")[0] + ")"} in ${Math.round(performance.now() - started)} ms${stored.success.duplicate ? " (result already stored)" : ""}`)
  } finally {
    clearInterval(heartbeat)
  }
}
