// A compute thread, the one thread entry of both batches (compute-pool.ts starts it): loads its
// plan's scenarios when it has one (models compiled once per thread), then answers each task
// (thread-messages.ts) in arrival order: plan jobs with their rows, a job from the bus with its
// outcome (nats-compute.ts, keeping its cache of rebuilt scenarios between jobs). Holds no
// state between tasks but the loaded scenarios and that cache, so a job's rows never depend on
// which thread ran it or what it ran before. Shell: a thread with its own message port.
import { parentPort, workerData } from "node:worker_threads"
import { jobAt, projectJob, type BatchPlan, type BatchRow, type BatchScenario } from "../../engine/index.ts"
import { computeJob, ScenarioCache, type JobOutcome } from "./nats-compute.ts"
import { loadBatchScenarios } from "./scenarios.ts"
import { serializeError } from "./serialized-error.ts"
import type { Task, TaskRequest, ThreadInit, ThreadMessage } from "./thread-messages.ts"

const port = parentPort
if (!port) throw new Error("adapters/batch/compute-thread.ts runs only as a worker thread")
const { plan } = (workerData ?? {}) as ThreadInit
const post = (m: ThreadMessage): void => port.postMessage(m)
const cache = new ScenarioCache()

const planRows = (plan: BatchPlan, scenarios: readonly BatchScenario[], start: number, end: number): BatchRow[] => {
  const rows: BatchRow[] = []
  for (let k = start; k < end; k++) {
    const job = jobAt(plan, k)
    for (const row of projectJob(scenarios[job.scenario]!, job.point, plan)) rows.push(row)
  }
  return rows
}

try {
  const scenarios = plan ? await loadBatchScenarios(plan) : undefined
  const compute = (task: Task): BatchRow[] | JobOutcome => {
    if (task.kind === "job") return computeJob(task.job, cache)
    if (!plan || !scenarios) throw new Error("a compute thread started without a plan cannot compute plan jobs")
    return planRows(plan, scenarios, task.start, task.end)
  }
  port.on("message", ({ id, task }: TaskRequest) => {
    try {
      post({ type: "done", id, result: compute(task) })
    } catch (e) {
      post({ type: "error", id, error: serializeError(e) })
    }
  })
  post({ type: "ready" })
} catch (e) {
  post({ type: "error", error: serializeError(e) })
}
