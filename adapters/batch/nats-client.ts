// `plancast batch ... --nats URL`: the batch's projections computed by `plancast worker`
// processes anywhere on the bus. Takes the plan's jobs (nats-jobs.ts: chunks of consecutive
// projections, in the local batch's order), publishes them into the work-queue stream
// PLANCAST_JOBS, gathers their results from PLANCAST_RESULTS with an ordered consumer on
// `plancast.results.<batch>`, and yields the rows in job order (ordered-window.ts), or writes them as CSV/NDJSON
// exactly as `plancast batch` does. Shell: connection, streams, files.
// Invariants: the rows are those of the local batch with the same plan, byte for byte once
// encoded, whatever the number of workers and whatever died on the way (every projection
// uses the plan's seed, engine/batch/plan.ts; a job's rows depend only on the job); exactly
// one result per job is used, in job order (duplicates from redelivery are dropped, a result
// that does not fit its job is refused with reasons on `plancast.rejected.results` and the
// job published again, at most MAX_ATTEMPTS times); the batch id is a digest of the plan (or
// `--batch ID`), so a client that died is resumed by running it again: the results already
// stored are used, the jobs still queued are not published again (and Nats-Msg-Id drops any
// that are); at most `window` jobs are published ahead of the output. Memory is bounded by
// the window on a fresh batch; on a resume, the results already stored are all read at start
// and held until their turn, so memory grows with what was stored.
import type { Writable } from "node:stream"
import { Data, Effect, Exit, Scope } from "effect"
import type { NatsConnection, Subscription } from "@nats-io/transport-node"
import { jetstream, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"
import { OptionError } from "../../engine/index.ts"
import { jobCount, planBatch, type BatchOptions, type BatchPlan, type BatchRow } from "../../engine/index.ts"
import type { BatchFormat } from "./output-format.ts"
import { writeRows } from "./output.ts"
import { progressBar } from "./progress.ts"
import { deserializeError } from "./serialized-error.ts"
import { OrderedWindow } from "./ordered-window.ts"
import { acquireConnection, attempt, manager, startupRetry } from "../transports/nats/connection.ts"
import { parseNatsSettings, type NatsSettings } from "../transports/nats/settings.ts"
import { redactUrls } from "../transports/nats/redact.ts"
import {
  decodeResult,
  encode,
  jobSubject,
  messageId,
  REJECTED_JOBS,
  REJECTED_RESULTS,
  RESULTS_STREAM,
  resultsSubject,
  rowsFromWire,
  type JobRejection,
  type ResultRejection,
} from "./nats-messages.ts"
import { layoutOf, type JobLayout } from "./nats-jobs.ts"
import { ensureStreams, publishRetry, queuedJobs, storedCount } from "./nats-streams.ts"

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

/** How a distributed batch runs. */
export interface DistributedBatchOptions {
  /** Servers, comma-separated (`--nats`; NATS_URL when absent). Ignored when `settings` is given. */
  readonly nats?: string
  /** Other connection flags (`user`, `password`, `token`, `creds`, `tls-ca`, ..., `connect-timeout`: 5 s by default), as adapters/transports/nats/settings.ts reads them. */
  readonly natsFlags?: Readonly<Record<string, string | undefined>>
  /** Connection settings already parsed (wins over `nats` and `natsFlags`). */
  readonly settings?: NatsSettings
  /** The batch id (`--batch ID`); default: derived from the plan, so running the same plan again resumes it. */
  readonly batch?: string
  /** Projections per job; default: about a hundredth of the batch, between 1 and 64. Part of the plan's digest. */
  readonly chunkSize?: number
  /** Jobs published ahead of the output (default 256). */
  readonly window?: number
  /** Called after each job's rows are released, with the projections done and the total. */
  readonly onProgress?: (done: number, total: number) => void
  /** Called once the batch id is known and the stored results are read: jobs in all, jobs with a result already, jobs still queued. */
  readonly onResume?: (info: { batch: string; jobs: number; stored: number; queued: number }) => void
  /** Where status lines go (default: nowhere). */
  readonly log?: (line: string) => void
}

const settingsOf = (o: { nats?: string; natsFlags?: Readonly<Record<string, string | undefined>>; settings?: NatsSettings }, name: string): NatsSettings =>
  o.settings ?? parseNatsSettings({ ...(o.natsFlags ?? {}), ...(o.nats !== undefined ? { nats: o.nats } : {}) }, process.env, name, { failFast: true })

/**
 * Runs every projection of a plan on the bus and yields its rows in job order (scenario,
 * then grid point, then indicator), as `batchProjections` (adapters/batch) does locally.
 * Loads and checks the scenarios first, so bad files or grid ids throw (InvalidInput,
 * OptionError, EventError) before anything is published; an engine failure in a job is
 * rethrown as the local batch would throw it; a job refused by a worker is a
 * DistributedBatchError. Breaking out of the loop leaves the batch resumable.
 */
export async function* distributedProjections(plan: BatchPlan, options: DistributedBatchOptions = {}): AsyncGenerator<BatchRow, void, undefined> {
  const settings = settingsOf(options, "plancast batch")
  const layout = await layoutOf(plan, options)
  if (layout.total === 0) return
  const { batch, size, total } = layout
  const sink = options.log
  const log = (line: string): void => sink?.(redactUrls(line))
  const scope = Scope.makeUnsafe()
  let gathering: Gathering | undefined
  try {
    const { nc, jsm } = await Effect.runPromise(
      Effect.gen(function* () {
        const nc = yield* acquireConnection(settings, log)
        const jsm = yield* manager(nc)
        yield* ensureStreams(jsm).pipe(Effect.retry({ schedule: startupRetry(20) }))
        return { nc, jsm }
      }).pipe(Scope.provide(scope)),
    )
    gathering = new Gathering(nc, jsm, layout, options.window ?? 256, log)
    await gathering.start()
    options.onResume?.({ batch, jobs: layout.chunks, stored: gathering.storedAtStart, queued: gathering.queuedAtStart })
    log(`batch ${batch}: ${layout.chunks} jobs of ${size} projections; ${gathering.storedAtStart} have a result already, ${gathering.queuedAtStart} are queued`)
    for (let job = 0; job < layout.chunks; job++) {
      const rows = await gathering.take()
      yield* rows
      options.onProgress?.(layout.range(job)[1], total)
    }
  } finally {
    await gathering?.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** The state of one gathering: results received (the ordered window), jobs published. */
class Gathering {
  private readonly results: OrderedWindow<BatchRow[]>
  /** Attempt each job must be published with (raised by a refused result). */
  private readonly attempts: Uint8Array
  /** Attempt each job was published with plus one (0: not published). */
  private readonly published: Uint8Array
  private pumping = false
  private messages: ConsumerMessages | undefined
  private reading: Promise<void> | undefined
  private rejections: Subscription | undefined
  private readonly js: JetStreamClient
  private readonly maxPayload: number
  private lastResultAt = Date.now()
  doneCount = 0
  /** Results and queued jobs as of the same moment, the end of the catch-up (results keep arriving after it). */
  storedAtStart = 0
  queuedAtStart = 0

  private readonly nc: NatsConnection
  private readonly jsm: JetStreamManager
  private readonly layout: JobLayout
  private readonly log: (line: string) => void

  constructor(nc: NatsConnection, jsm: JetStreamManager, layout: JobLayout, window: number, log: (line: string) => void) {
    this.nc = nc
    this.jsm = jsm
    this.layout = layout
    this.results = new OrderedWindow<BatchRow[]>(window)
    this.log = log
    this.attempts = new Uint8Array(layout.chunks)
    this.published = new Uint8Array(layout.chunks)
    this.js = jetstream(nc)
    this.maxPayload = nc.info?.max_payload ?? 1024 * 1024
  }

  /** Listens for refused jobs, reads the stored results, then publishes the jobs that have neither a result nor a place in the queue. */
  async start(): Promise<void> {
    const { batch } = this.layout
    this.rejections = this.nc.subscribe(REJECTED_JOBS, {
      callback: (err, m) => {
        if (err) return
        try {
          const notice = JSON.parse(m.string()) as JobRejection
          if (notice.batch === batch) this.results.fail(new DistributedBatchError({ batch, job: notice.job, problem: `a worker refused the job: ${notice.reasons.join("; ")}` }))
        } catch {
          // not a notice of ours
        }
      },
    })
    // the queue first, then the results: a job leaves the queue only after its result is stored
    const queued = await Effect.runPromise(queuedJobs(this.jsm, batch))
    const stored = await Effect.runPromise(storedCount(this.jsm, resultsSubject(batch)))
    const consumer = await this.js.consumers.get(RESULTS_STREAM, { filter_subjects: resultsSubject(batch) })
    const messages = await consumer.consume()
    this.messages = messages
    let seen = 0
    let caughtUp = stored === 0
    this.reading = (async () => {
      for await (const m of messages) {
        seen++
        this.onResult(m)
        if (!caughtUp && (seen >= stored || m.info.pending === 0)) {
          caughtUp = true
          this.results.wake()
        }
      }
    })().catch((e: unknown) => this.results.fail(e))
    await this.results.until(() => caughtUp)
    for (const job of queued)
      if (job < this.layout.chunks && !this.results.has(job) && this.attempts[job] === 0) {
        this.published[job] = 1
        this.queuedAtStart++
      }
    this.storedAtStart = this.doneCount
    void this.pump()
  }

  private refuseResult(m: JsMsg, reasons: string[], job?: number): void {
    const notice: ResultRejection = { subject: m.subject, batch: this.layout.batch, ...(job !== undefined ? { job } : {}), sequence: m.seq, reasons }
    this.nc.publish(REJECTED_RESULTS, encode(notice))
    this.log(`batch ${this.layout.batch}: refused the result at sequence ${m.seq}${job !== undefined ? ` (job ${job})` : ""}: ${reasons.join("; ")}`)
    // a refused result must not be read again by a resumed client
    this.jsm.streams.deleteMessage(RESULTS_STREAM, m.seq, false).catch(() => {})
  }

  private onResult(m: JsMsg): void {
    const { batch, digest, chunks } = this.layout
    const decoded = decodeResult(m.data)
    if ("reasons" in decoded) return this.refuseResult(m, decoded.reasons)
    const r = decoded.result
    if (r.batch !== batch) return this.refuseResult(m, [`names batch ${r.batch}, published on ${m.subject}`])
    if (r.plan !== digest) return this.refuseResult(m, [`computed for another plan (${r.plan.slice(0, 12)}..., this one is ${digest.slice(0, 12)}...): the batch id was reused`])
    if (r.job >= chunks) return this.refuseResult(m, [`job ${r.job} is beyond the batch's ${chunks} jobs`])
    if (this.results.has(r.job)) return // a duplicate (redelivery, a resumed client): the first result stands
    if (r.error) {
      this.results.fail(deserializeError(r.error))
      return
    }
    const checked = rowsFromWire(r.rows!, this.layout.expected(r.job))
    if ("reasons" in checked) {
      this.refuseResult(m, checked.reasons, r.job)
      // only a refused result of the job's current attempt calls for another (an older one is already answered by a re-try)
      if (r.attempt < this.attempts[r.job]!) return
      const next = this.attempts[r.job]! + 1
      if (next >= MAX_ATTEMPTS) {
        this.results.fail(new DistributedBatchError({ batch, job: r.job, problem: `${MAX_ATTEMPTS} results refused, the last: ${checked.reasons.join("; ")}` }))
        return
      }
      this.attempts[r.job] = next
      this.results.wake()
      void this.pump()
      return
    }
    this.results.put(r.job, checked.rows)
    this.doneCount++
    this.lastResultAt = Date.now()
    void this.pump()
  }

  /** Publishes the jobs of the window that need it (serialised: one pump at a time). */
  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      let progressed = true
      while (progressed && !this.results.failed) {
        progressed = false
        for (let job = this.results.released; job < this.layout.chunks && this.results.admits(job) && !this.results.failed; job++) {
          if (this.results.has(job) || this.published[job] === this.attempts[job]! + 1) continue
          await this.publish(job, this.attempts[job]!)
          progressed = true
        }
      }
    } catch (e) {
      this.results.fail(e)
    } finally {
      this.pumping = false
    }
  }

  private async publish(job: number, attemptNo: number): Promise<void> {
    const { batch } = this.layout
    const data = encode(this.layout.message(job, attemptNo))
    if (data.length > this.maxPayload)
      throw new OptionError({ option: "--chunk", problem: `job ${job} is ${data.length} bytes, more than the server's ${this.maxPayload}: use fewer projections per job` })
    await Effect.runPromise(
      attempt(`publish job ${job} of ${batch}`, () => this.js.publish(jobSubject(batch, job), data, { msgID: messageId(batch, job, attemptNo), timeout: 10_000 })).pipe(
        Effect.retry({ schedule: publishRetry }),
      ),
    )
    this.published[job] = attemptNo + 1
  }

  /** The rows of the next job (jobs are taken in order), once its result is in. */
  async take(): Promise<BatchRow[]> {
    const quiet = setInterval(() => {
      if (Date.now() - this.lastResultAt > 30_000) {
        this.log(`batch ${this.layout.batch}: no result for 30 s, ${this.layout.chunks - this.doneCount} jobs outstanding (is a worker running? plancast worker --nats URL)`)
        this.lastResultAt = Date.now()
      }
    }, 5_000)
    try {
      const rows = await this.results.take()
      void this.pump()
      return rows
    } finally {
      clearInterval(quiet)
    }
  }

  async close(): Promise<void> {
    this.rejections?.unsubscribe()
    this.messages?.stop()
    await this.reading
  }
}

/** What `plancast batch ... --nats URL` runs. */
export interface RunDistributedBatchOptions extends DistributedBatchOptions {
  /** The plan, or the options to build it with (scenario files, grids, draws, seed). */
  readonly plan: BatchPlan | BatchOptions
  /** csv (default) or ndjson. */
  readonly format?: BatchFormat
  /** A file to write, or a stream (default standard output). */
  readonly out?: string | Writable
  /** Show a progress bar on standard error (default: when it is a terminal). */
  readonly progress?: boolean
}

/**
 * Runs a distributed batch and writes its rows as `plancast batch` does (same encoders, same
 * order, header first for CSV); the output file is opened only once the first row is in, so
 * bad input leaves no empty file. Returns the exit status (errors are thrown, tagged).
 */
export const runDistributedBatch = async (options: RunDistributedBatchOptions): Promise<number> => {
  const plan = "grid" in options.plan ? options.plan : planBatch(options.plan)
  const bar = (options.progress ?? process.stderr.isTTY) ? progressBar(process.stderr, jobCount(plan)) : undefined
  const rows = distributedProjections(plan, { ...options, onProgress: (done, total) => (bar?.update(done, total), options.onProgress?.(done, total)) })
  await writeRows(rows, options.format ?? "csv", options.out, bar?.done)
  return 0
}
