// A compute thread of a batch worker process: answers `{ id, job }` with `{ id, outcome }`
// (compute.ts), one job at a time, keeping its cache of rebuilt scenarios between jobs. The
// process's main thread stays free for NATS (progress acks keep flowing while this thread
// computes). Shell: a thread with its own message port.
import { parentPort } from "node:worker_threads"
import { computeJob, ScenarioCache } from "./nats-compute.ts"
import type { JobMessage } from "./nats-messages.ts"

const port = parentPort
if (!port) throw new Error("adapters/batch/nats-compute-thread.ts runs only as a worker thread")
const cache = new ScenarioCache()
port.on("message", (m: { id: number; job: JobMessage }) => {
  port.postMessage({ id: m.id, outcome: computeJob(m.job, cache) })
})
