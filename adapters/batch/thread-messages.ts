// The message protocol of the compute threads (compute-pool.ts, compute-thread.ts), the one
// both batches use: the local batch hands a thread chunks of its plan's jobs, the NATS batch
// worker hands it the jobs it takes from the bus. Every request carries an id and gets exactly
// one answer with that id (its result, or the error it threw). Engine errors travel as
// serialized-error.ts flattens them. Shell-side data.
import type { BatchPlan, BatchRow } from "../../engine/index.ts"
import type { JobOutcome } from "./nats-compute.ts"
import type { JobMessage } from "./nats-messages.ts"
import type { SerializedError } from "./serialized-error.ts"

/** What every thread starts with (workerData): with a plan, the thread loads its scenarios before it is ready. */
export interface ThreadInit {
  readonly plan?: BatchPlan
}

/** A unit of work for a thread. */
export type Task =
  /** Jobs [start, end) of the thread's plan: their rows, in job order. */
  | { readonly kind: "jobs"; readonly start: number; readonly end: number }
  /** A job taken from the bus (decoded): its outcome (nats-compute.ts). */
  | { readonly kind: "job"; readonly job: JobMessage }

/** What a task gives. */
export type TaskResult<T extends Task> = T extends { readonly kind: "jobs" } ? BatchRow[] : JobOutcome

/** Main -> thread. */
export interface TaskRequest {
  readonly id: number
  readonly task: Task
}

/** Thread -> main: ready once loaded; each request's result or error; an error without an id when loading failed. */
export type ThreadMessage =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly id: number; readonly result: BatchRow[] | JobOutcome }
  | { readonly type: "error"; readonly id?: number; readonly error: SerializedError }
