// The library's batch runner: `batchProjections(plan, { workers })` is an async iterable of
// rows, in the plan's job order, computed by the compute threads (compute-pool.ts) that each
// load the models once and take chunks of consecutive jobs. Shell: threads, files.
// Invariants: rows come out in job order whatever the number of workers and whatever order
// the chunks finish in (the ordered window, ordered-window.ts: at most two chunks per thread
// in flight, three per thread in flight or waiting, so memory stays bounded for any grid
// size); every job uses the plan's seed (common random numbers, engine/batch/plan.ts), so the
// rows are identical for any number of workers, 0 included (in-process). Breaking out of the
// loop, or an error, terminates the threads.
import { availableParallelism } from "node:os"
import { OptionError } from "../../engine/index.ts"
import { jobAt, jobCount, projectJob, type BatchPlan, type BatchRow } from "../../engine/index.ts"
import { ComputePool } from "./compute-pool.ts"
import { loadBatchScenarios } from "./scenarios.ts"
import { OrderedWindow } from "./ordered-window.ts"

/** The most worker threads a batch may start. */
export const MAX_WORKERS = 256

/** How a batch runs. */
export interface BatchRunOptions {
  /** Worker threads; default all cores (`os.availableParallelism()`); 0 runs in this thread. */
  readonly workers?: number
  /** Jobs per chunk handed to a worker; default chosen from the job count and the workers. */
  readonly chunkSize?: number
  /** Called after each chunk of jobs is released, with the jobs done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void
  /** Called once the scenarios are loaded everywhere (workers started), just before the first job is handed out. */
  readonly onReady?: () => void
}

/** Refuses a worker count that is not an integer in [0, MAX_WORKERS]. */
export const checkWorkers = (workers: number): number => {
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS)
    throw new OptionError({ option: "--workers", problem: `must be a whole number from 0 to ${MAX_WORKERS}, not ${workers}` })
  return workers
}

/** The default number of workers: every core. */
export const defaultWorkers = (): number => Math.max(1, Math.min(MAX_WORKERS, availableParallelism()))

/** Chunks a thread may hold at once (one computing, one queued behind it). */
const CHUNKS_PER_THREAD = 2
/** Chunks a thread may have in flight or waiting to be yielded. */
const WINDOW_PER_THREAD = 3

/**
 * Runs every job of a plan and yields its rows in job order (scenario, then grid point, then
 * indicator). Loads and checks the scenarios first, so bad files or grid ids throw
 * (InvalidInput, OptionError, EventError) before any row.
 */
export async function* batchProjections(plan: BatchPlan, options: BatchRunOptions = {}): AsyncGenerator<BatchRow, void, undefined> {
  const workers = checkWorkers(options.workers ?? defaultWorkers())
  const total = jobCount(plan)
  const progress = options.onProgress ?? (() => {})
  const size = options.chunkSize ?? Math.max(1, Math.min(64, Math.ceil(total / (Math.max(1, workers) * 16))))
  if (!(Number.isInteger(size) && size >= 1)) throw new OptionError({ option: "chunkSize", problem: `must be a whole number >= 1, not ${size}` })
  const chunks = Math.ceil(total / size)
  // the threads boot (import the engine, load the models: seconds) while this thread checks the input
  const pool = workers > 0 && total > 0 ? new ComputePool(Math.min(workers, chunks), plan) : undefined
  pool?.start()
  try {
    const scenarios = await loadBatchScenarios(plan)
    if (!pool) {
      options.onReady?.()
      for (let k = 0; k < total; k++) {
        const job = jobAt(plan, k)
        yield* projectJob(scenarios[job.scenario]!, job.point, plan)
        progress(k + 1, total)
      }
      return
    }
    await pool.ready()
    options.onReady?.()
    const window = new OrderedWindow<BatchRow[]>(pool.size * WINDOW_PER_THREAD)
    let next = 0 // next chunk to hand out
    const feed = (): void => {
      while (next < chunks && window.admits(next) && pool.load(pool.leastBusy()) < CHUNKS_PER_THREAD) {
        const chunk = next++
        pool.run({ kind: "jobs", start: chunk * size, end: Math.min(total, (chunk + 1) * size) }).then(
          (rows) => window.put(chunk, rows),
          (e) => window.fail(e),
        )
      }
    }
    feed()
    while (window.released < chunks) {
      const rows = await window.take(feed)
      feed()
      yield* rows
      progress(Math.min(total, window.released * size), total)
    }
  } finally {
    await pool?.close()
  }
}
