// Tests of adapters/batch/compute-pool.ts, the compute threads both batches use: plan jobs come
// back with the rows the plan gives in process, a job from the bus with the same rows (in their
// wire form), a task a thread cannot do rejects with its error and the thread keeps serving, a
// plan that cannot load fails `ready` with the loader's own error class, and closing rejects
// what is still unanswered. Thread start-up dominates the time.
import { afterAll, describe, expect, it } from "vitest"
import { jobAt, planBatch, projectJob, type BatchRow } from "../../../engine/batch/index.ts"
import { ComputePool } from "../../../adapters/batch/compute-pool.ts"
import { layoutOf } from "../../../adapters/batch/nats-jobs.ts"
import { rowToWire } from "../../../adapters/batch/nats-messages.ts"
import { loadBatchScenarios } from "../../../adapters/batch/scenarios.ts"
import { InvalidInput } from "../../../adapters/files/located.ts"

const plan = planBatch({ scenarios: ["scenarios/duji-2024/baseline.yaml"], grids: ["fai=-10:10:10"], draws: 20, seed: 3 })
const pools: ComputePool[] = []
const pool = (size: number, p?: typeof plan): ComputePool => {
  const made = new ComputePool(size, p)
  pools.push(made)
  return made
}
afterAll(() => Promise.all(pools.map((p) => p.close())))

const inProcess = async (start: number, end: number): Promise<BatchRow[]> => {
  const scenarios = await loadBatchScenarios(plan)
  const rows: BatchRow[] = []
  for (let k = start; k < end; k++) rows.push(...projectJob(scenarios[jobAt(plan, k).scenario]!, jobAt(plan, k).point, plan))
  return rows
}

describe("ComputePool", () => {
  it("answers plan jobs and jobs from the bus with the rows the plan gives in process", async () => {
    const threads = pool(2, plan)
    await threads.ready()
    const want = await inProcess(0, 2)
    expect(await threads.run({ kind: "jobs", start: 0, end: 2 })).toEqual(want)
    const layout = await layoutOf(plan, { chunkSize: 2 })
    const job = layout.message(0, 0)
    expect(await threads.run({ kind: "job", job }, 1)).toEqual({ kind: "rows", rows: want.map(rowToWire) })
    const forged = { ...job, scenarios: job.scenarios.map((d) => ({ ...d, model: { file: "m.yaml", text: "name: m" } })) }
    expect((await threads.run({ kind: "job", job: forged })).kind).toBe("malformed")
  })

  it("rejects a task its thread cannot do, and the thread keeps serving", async () => {
    const threads = pool(1)
    await expect(threads.run({ kind: "jobs", start: 0, end: 1 })).rejects.toThrow(/without a plan/)
    expect(threads.load(0)).toBe(0)
    const job = (await layoutOf(plan, { chunkSize: 1 })).message(2, 0)
    expect(await threads.run({ kind: "job", job })).toEqual({ kind: "rows", rows: (await inProcess(2, 3)).map(rowToWire) })
  })

  it("fails ready() with the loader's error when a plan cannot load, and close() rejects what is unanswered", async () => {
    const missing = planBatch({ scenarios: ["no/such/scenario.yaml"], grids: [], draws: 0, seed: 1 })
    await expect(pool(1, missing).ready()).rejects.toBeInstanceOf(InvalidInput)
    const threads = pool(1, plan)
    const pending = threads.run({ kind: "jobs", start: 0, end: 1 })
    const closed = threads.close()
    await expect(pending).rejects.toThrow(/closed/)
    await closed
  })
})
