// The library's batch runner: `batchProjections(plan, { workers })` is an async iterable of
// rows, in the plan's job order, computed by a pool of worker threads (node:worker_threads)
// that each load the models once and take chunks of consecutive jobs. Shell: threads, files.
// Invariants: rows come out in job order whatever the number of workers and whatever order
// the chunks finish in (the ordered window, ordered-window.ts: at most three chunks per
// worker are in flight or waiting, so memory stays bounded for any grid size); every job uses
// the plan's seed (common random numbers, engine/batch/plan.ts), so the rows are identical
// for any number of workers, 0 included (in-process). Breaking out of the loop, or an error,
// terminates the workers.
import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"
import { OptionError } from "../../engine/index.ts"
import { jobAt, jobCount, projectJob, type BatchPlan, type BatchRow } from "../../engine/index.ts"
import { deserializeError, type ChunkRequest, type WorkerInit, type WorkerMessage } from "./thread-messages.ts"
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

const WORKER_URL = new URL("./local-thread.ts", import.meta.url)

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
  // the workers boot (import the engine, load the models: seconds) while this thread checks the input
  const pool = workers > 0 && total > 0 ? new ChunkPool(plan, Math.min(workers, chunks)) : undefined
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
    const window = pool.window
    let next = 0 // next chunk to hand out
    const feed = (): void => {
      while (next < chunks && window.admits(next) && pool.idle()) {
        pool.send({ type: "chunk", chunk: next, start: next * size, end: Math.min(total, (next + 1) * size) })
        next++
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

/** Worker threads with per-worker queues of at most two chunks; finished chunks go to the ordered window. */
class ChunkPool {
  private readonly workers: Worker[] = []
  private readonly busy: number[] = []
  private readyCount = 0
  private closing = false

  readonly size: number
  /** Chunks in flight or waiting to be yielded: three per worker. */
  readonly window: OrderedWindow<BatchRow[]>

  constructor(plan: BatchPlan, size: number) {
    this.size = size
    this.window = new OrderedWindow<BatchRow[]>(size * 3)
    const init: WorkerInit = { plan }
    for (let w = 0; w < size; w++) {
      const worker = new Worker(WORKER_URL, { workerData: init })
      worker.on("message", (m: WorkerMessage) => this.onMessage(w, m))
      worker.on("error", (e) => this.window.fail(e))
      worker.on("exit", (code) => {
        if (code !== 0 && !this.closing) this.window.fail(new Error(`batch worker ${w} exited with code ${code}`))
      })
      this.workers.push(worker)
      this.busy.push(0)
    }
  }

  private onMessage(w: number, m: WorkerMessage): void {
    if (m.type === "ready") {
      this.readyCount++
      this.window.wake()
    } else if (m.type === "rows") {
      this.busy[w]!--
      this.window.put(m.chunk, m.rows)
    } else this.window.fail(deserializeError(m.error))
  }

  /** Resolves when every worker has loaded its scenarios. */
  ready(): Promise<void> {
    return this.window.until(() => this.readyCount === this.size)
  }

  /** Whether some worker has room for another chunk. */
  idle(): boolean {
    return this.busy.some((b) => b < 2)
  }

  /** Hands a chunk to the least busy worker. */
  send(req: ChunkRequest): void {
    let w = 0
    for (let i = 1; i < this.size; i++) if (this.busy[i]! < this.busy[w]!) w = i
    this.busy[w]!++
    this.workers[w]!.postMessage(req)
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
