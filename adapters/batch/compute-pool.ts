// The compute threads of a batch (node:worker_threads), the one pool both batches use: the
// local runner (local-runner.ts) hands it chunks of its plan's jobs, the NATS batch worker
// (nats-worker.ts) the jobs it takes from the bus. Each slot holds one thread
// (compute-thread.ts) that answers tasks in order (thread-messages.ts); `run` resolves with a
// task's result or rejects with the error it threw, rebuilt as its class (serialized-error.ts).
// Shell: threads.
// Invariants: every task settles exactly once: with its answer, or rejected when its thread
// dies (error or exit) or the pool closes; a dead thread is replaced on the next task for its
// slot (a thread with a plan then loads it again before answering); the pool never reorders
// results (ordering, where wanted, is ordered-window.ts's job).
import { Worker } from "node:worker_threads"
import type { BatchPlan } from "../../engine/index.ts"
import { deserializeError } from "./serialized-error.ts"
import type { Task, TaskRequest, TaskResult, ThreadInit, ThreadMessage } from "./thread-messages.ts"

const THREAD_URL = new URL("./compute-thread.ts", import.meta.url)

interface Thread {
  readonly worker: Worker
  /** Settles when the thread has loaded (rejects when loading fails or the thread dies first). */
  readonly ready: Promise<void>
}

interface Pending {
  readonly slot: number
  readonly resolve: (result: never) => void
  readonly reject: (e: Error) => void
}

/** A fixed number of compute threads, each with the same start (a plan's scenarios, or none). */
export class ComputePool {
  /** Slots, one thread each. */
  readonly size: number
  private readonly init: ThreadInit
  private readonly threads: (Thread | undefined)[]
  private readonly busy: number[]
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private closing = false

  constructor(size: number, plan?: BatchPlan) {
    this.size = size
    this.init = plan ? { plan } : {}
    this.threads = new Array<Thread | undefined>(size).fill(undefined)
    this.busy = new Array<number>(size).fill(0)
  }

  /** Starts the thread of every slot that has none (threads otherwise start on their slot's first task). */
  start(): void {
    for (let slot = 0; slot < this.size; slot++) this.thread(slot)
  }

  /** Resolves when every slot's thread has loaded; rejects with the first failure to load. */
  async ready(): Promise<void> {
    this.start()
    await Promise.all(this.threads.map((t) => t!.ready))
  }

  /** Tasks sent to `slot` and not yet settled. */
  load(slot: number): number {
    return this.busy[slot]!
  }

  /** The slot with the fewest unsettled tasks (the first of them on a tie). */
  leastBusy(): number {
    let w = 0
    for (let i = 1; i < this.size; i++) if (this.busy[i]! < this.busy[w]!) w = i
    return w
  }

  /** Computes a task on the thread of `slot` (default the least busy). */
  run<T extends Task>(task: T, slot = this.leastBusy()): Promise<TaskResult<T>> {
    const id = this.nextId++
    return new Promise<TaskResult<T>>((resolve, reject) => {
      this.pending.set(id, { slot, resolve: resolve as (result: never) => void, reject })
      this.busy[slot]!++
      const request: TaskRequest = { id, task }
      this.thread(slot).worker.postMessage(request)
    })
  }

  /** Terminates every thread; unsettled tasks reject. */
  async close(): Promise<void> {
    this.closing = true
    const all = this.threads.filter((t): t is Thread => t !== undefined)
    this.threads.fill(undefined)
    this.failSlots(() => true, new Error("the compute threads were closed"))
    await Promise.all(all.map((t) => t.worker.terminate()))
  }

  private thread(slot: number): Thread {
    const existing = this.threads[slot]
    if (existing) return existing
    const worker = new Worker(THREAD_URL, { workerData: this.init })
    let loaded: () => void = () => {}
    let notLoaded: (e: Error) => void = () => {}
    const ready = new Promise<void>((resolve, reject) => ((loaded = resolve), (notLoaded = reject)))
    ready.catch(() => {}) // a failure to load is also each pending task's; a caller of ready() sees it too
    const thread: Thread = { worker, ready }
    const die = (e: Error): void => {
      if (this.threads[slot] !== thread) return
      this.threads[slot] = undefined
      void worker.terminate() // a thread that failed to load is still running
      notLoaded(e)
      this.failSlots((s) => s === slot, e)
    }
    worker.on("message", (m: ThreadMessage) => {
      if (m.type === "ready") loaded()
      else if (m.type === "done") this.settle(m.id, (p) => p.resolve(m.result as never))
      else if (m.id !== undefined) this.settle(m.id, (p) => p.reject(deserializeError(m.error)))
      else die(deserializeError(m.error))
    })
    worker.on("error", die)
    worker.on("exit", (code) => {
      if (!this.closing) die(new Error(`compute thread ${slot} exited with code ${code}`))
    })
    this.threads[slot] = thread
    return thread
  }

  private settle(id: number, how: (p: Pending) => void): void {
    const p = this.pending.get(id)
    if (!p) return
    this.pending.delete(id)
    this.busy[p.slot]!--
    how(p)
  }

  private failSlots(which: (slot: number) => boolean, e: Error): void {
    for (const [id, p] of this.pending) if (which(p.slot)) this.settle(id, (q) => q.reject(e))
  }
}
