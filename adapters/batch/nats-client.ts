// `plancast batch ... --nats URL`: the batch's projections computed by `plancast worker`
// processes anywhere on the bus. Takes the plan's jobs (nats-jobs.ts: chunks of consecutive
// projections, in the local batch's order), publishes them into the work-queue stream
// PLANCAST_JOBS, gathers their results from PLANCAST_RESULTS with an ordered consumer on
// `plancast.results.<batch>`, and yields the rows in job order (ordered-window.ts), or writes them as CSV/NDJSON
// exactly as `plancast batch` does. One Stream of rows, distributedRows (the connection and the
// gathering, nats-gathering.ts, in its scope), and one Effect, distributedBatchProgram, that
// writes it; distributedProjections and runDistributedBatch run them from an async generator
// and a Promise. Shell: connection, streams, files.
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
import { Effect, Stream } from "effect"
import { jobCount, planBatch, type BatchOptions, type BatchPlan, type BatchRow } from "../../engine/index.ts"
import type { BatchFormat } from "./output-format.ts"
import { writeRowStream } from "./output.ts"
import { progressBar } from "./progress.ts"
import { acquireConnection, manager, startupRetry } from "../transports/nats/connection.ts"
import { runProgram, signalStatus, type StoppableProgram } from "../transports/nats/program.ts"
import { trying } from "../service/cause.ts"
import { parseNatsSettings, type NatsSettings } from "../transports/nats/settings.ts"
import { redactUrls } from "../transports/nats/redact.ts"
import { layoutOf } from "./nats-jobs.ts"
import { startGathering } from "./nats-gathering.ts"
import { ensureStreams } from "./nats-streams.ts"

export { DistributedBatchError, MAX_ATTEMPTS } from "./nats-gathering.ts"

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

/**
 * What stops a distributed batch: before anything is published, the scenarios' InvalidInput,
 * an OptionError or an EventError; a NatsError (broker not reached within the connect timeout,
 * a publish that kept failing); a DistributedBatchError (a job refused by a worker, or its
 * results refused too often); an engine failure of a job, rebuilt as the local batch throws it.
 * All are Errors, the tagged ones with their `_tag`.
 */
export type DistributedBatchFailure = Error

const isError = (e: unknown): e is Error => e instanceof Error

const settingsOf = (o: { nats?: string; natsFlags?: Readonly<Record<string, string | undefined>>; settings?: NatsSettings }, name: string): NatsSettings =>
  o.settings ?? parseNatsSettings({ ...(o.natsFlags ?? {}), ...(o.nats !== undefined ? { nats: o.nats } : {}) }, process.env, name, { failFast: true })

/**
 * Every projection of a plan computed on the bus, its rows in job order (scenario, then grid
 * point, then indicator), as `batchProjections` (adapters/batch) gives them locally. Loads
 * and checks the scenarios first, so bad files or grid ids fail before anything is published.
 * The connection and the gathering live as long as the stream is read; a stream not read to
 * its end (interrupted, or its reader gone) leaves the batch resumable.
 */
export const distributedRows = (plan: BatchPlan, options: DistributedBatchOptions = {}): Stream.Stream<BatchRow, DistributedBatchFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const settings = yield* trying(() => settingsOf(options, "plancast batch"), isError)
      const layout = yield* trying(() => layoutOf(plan, options), isError)
      if (layout.total === 0) return Stream.empty
      const { batch, size, total } = layout
      const sink = options.log
      const log = (line: string): void => sink?.(redactUrls(line))
      const nc = yield* acquireConnection(settings, log)
      const jsm = yield* manager(nc)
      yield* ensureStreams(jsm).pipe(Effect.retry({ schedule: startupRetry(20) }))
      const gathering = yield* startGathering(nc, jsm, layout, options.window ?? 256, log)
      options.onResume?.({ batch, jobs: layout.chunks, stored: gathering.storedAtStart, queued: gathering.queuedAtStart })
      log(`batch ${batch}: ${layout.chunks} jobs of ${size} projections; ${gathering.storedAtStart} have a result already, ${gathering.queuedAtStart} are queued`)
      return Stream.range(0, layout.chunks - 1).pipe(
        Stream.flatMap((job) =>
          Stream.fromEffect(gathering.take).pipe(
            Stream.flattenIterable,
            Stream.concat(Stream.drain(Stream.fromEffect(Effect.sync(() => options.onProgress?.(layout.range(job)[1], total))))),
          ),
        ),
      )
    }),
  )

/**
 * Runs every projection of a plan on the bus and yields its rows in job order: distributedRows
 * read from an async generator. Rejects (at the first `next`) as the stream fails; breaking
 * out of the loop closes the connection and leaves the batch resumable.
 */
export async function* distributedProjections(plan: BatchPlan, options: DistributedBatchOptions = {}): AsyncGenerator<BatchRow, void, undefined> {
  yield* Stream.toAsyncIterable(distributedRows(plan, options))
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
 * `plancast batch ... --nats URL` as one Effect: writes the rows of distributedRows as
 * `plancast batch` does (same encoders, same order, header first for CSV); the output file is
 * opened only once the first row is in, so bad input leaves no empty file. Succeeds with the
 * exit status 0; interrupted, it stops reading and leaves the batch resumable.
 */
export const distributedBatchProgram = (options: RunDistributedBatchOptions): Effect.Effect<number, DistributedBatchFailure> =>
  Effect.gen(function* () {
    const given = options.plan
    const plan = "grid" in given ? given : yield* trying(() => planBatch(given), isError)
    const bar = (options.progress ?? process.stderr.isTTY) ? progressBar(process.stderr, jobCount(plan)) : undefined
    const rows = distributedRows(plan, { ...options, onProgress: (done, total) => (bar?.update(done, total), options.onProgress?.(done, total)) })
    yield* writeRowStream(rows, options.format ?? "csv", options.out, bar?.done)
    return 0
  })

/**
 * Runs a distributed batch (distributedBatchProgram) and resolves with the exit status
 * (errors are thrown, tagged); stopped by SIGINT/SIGTERM, 130/143 as a shell shows a process
 * ended by them (the batch stays resumable).
 */
export const runDistributedBatch = (options: RunDistributedBatchOptions): Promise<number> =>
  runProgram(distributedBatchProgram(options), signalStatus)

/** `plancast batch --nats` as a program: stopped by SIGINT/SIGTERM, 130/143 (its stored results stay for a resume). */
export const distributedBatchCommand = (options: RunDistributedBatchOptions): StoppableProgram => ({ program: distributedBatchProgram(options), stopped: signalStatus })
