// A batch worker thread: loads the plan's scenarios (models compiled once per thread), then
// answers chunk requests with the rows of jobs [start, end) in job order. Holds no state
// between chunks but the loaded scenarios, so a job's rows never depend on which worker ran
// it or what it ran before. Shell: a thread with its own message port.
import { parentPort, workerData } from "node:worker_threads"
import { jobAt, projectJob, type BatchRow } from "../../engine/index.ts"
import { serializeError, type ChunkRequest, type WorkerInit, type WorkerMessage } from "./thread-messages.ts"
import { loadBatchScenarios } from "./scenarios.ts"

const port = parentPort
if (!port) throw new Error("adapters/batch/local-thread.ts runs only as a worker thread")
const { plan } = workerData as WorkerInit
const post = (m: WorkerMessage): void => port.postMessage(m)

try {
  const scenarios = await loadBatchScenarios(plan)
  port.on("message", (req: ChunkRequest) => {
    try {
      const rows: BatchRow[] = []
      for (let k = req.start; k < req.end; k++) {
        const job = jobAt(plan, k)
        for (const row of projectJob(scenarios[job.scenario]!, job.point, plan)) rows.push(row)
      }
      post({ type: "rows", chunk: req.chunk, rows })
    } catch (e) {
      post({ type: "error", chunk: req.chunk, error: serializeError(e) })
    }
  })
  post({ type: "ready" })
} catch (e) {
  post({ type: "error", error: serializeError(e) })
}
