// Distributed batches against a real nats-server (started here, on a free port, never 4222)
// and real worker processes: the output equals the local batch's with 1, 2 and 3 workers; a
// worker SIGKILLed in the middle of a job leaves it to another and the output is unchanged;
// a client SIGKILLed after publishing is resumed by running it again (stored results used,
// queued jobs not published twice); malformed jobs and results are refused with reasons.
// Integration tests (shell: processes, sockets, files).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { NatsConnection } from "@nats-io/transport-node"
import { jetstream, type JetStreamManager } from "@nats-io/jetstream"
import { NatsServer } from "../../support/nats-server.ts"
import { planBatch, type BatchOptions } from "../../../engine/batch/index.ts"
import { distributedProjections, runDistributedBatch, type RunDistributedBatchOptions } from "../../../adapters/batch/nats-client.ts"
import { describeBatch } from "../../../adapters/batch/nats-jobs.ts"
import { encode, JOBS_STREAM, jobSubject, PROTOCOL, REJECTED_JOBS, REJECTED_RESULTS, resultsSubject, type JobRejection, type ResultRejection } from "../../../adapters/batch/nats-messages.ts"
import { queuedJobs } from "../../../adapters/batch/nats-streams.ts"
import { Effect } from "effect"
import { Child, doneJobs, freshBatch, inspect, localOutput, startClient, startWorker, tookJobs, waitFor } from "./nats-harness.ts"

const SCENARIOS = ["scenarios/duji-2024/fai-slump.yaml", "scenarios/duji-2024/export-shock.yaml"]
const OPTIONS: BatchOptions = { scenarios: SCENARIOS, grids: ["fai=-1:1:1"], draws: 100, seed: 7 }

let server: NatsServer
let dir: string
let nc: NatsConnection
let jsm: JetStreamManager
const children: Child[] = []
let local: { csv: string; ndjson: string }

const worker = (...extra: string[]): Child => {
  const w = startWorker(server.url, ...extra)
  children.push(w)
  return w
}

/** A distributed batch run in this process, its output as text. */
const distributed = async (options: BatchOptions, batch: string, format: "csv" | "ndjson" = "csv", extra: Partial<RunDistributedBatchOptions> = {}): Promise<string> => {
  const out = join(dir, `${batch}.${format}`)
  await runDistributedBatch({ plan: options, nats: server.url, batch, chunkSize: 1, format, out, progress: false, ...extra })
  return readFileSync(out, "utf8")
}

beforeAll(async () => {
  server = await NatsServer.start()
  dir = mkdtempSync(join(tmpdir(), "plancast-distributed-"))
  ;({ nc, jsm } = await inspect(server.url))
  local = { csv: await localOutput(OPTIONS, "csv"), ndjson: await localOutput(OPTIONS, "ndjson") }
})

// every test starts the workers it needs; none outlives its test
afterEach(async () => {
  await Promise.all(children.map((c) => c.stop()))
})

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()))
  await nc?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe("plancast batch --nats", () => {
  it("gives the local batch's rows with 1, 2 and 3 worker processes", async () => {
    expect(local.csv.split("\n").length).toBe(1 + 2 * 3 * 8 + 1) // header, 2 scenarios x 3 points x 8 indicators, final newline
    const workers = [worker()]
    expect(await distributed(OPTIONS, freshBatch("one"))).toBe(local.csv)
    workers.push(worker())
    expect(await distributed(OPTIONS, freshBatch("two"), "ndjson")).toBe(local.ndjson)
    workers.push(worker("--concurrency", "2")) // two compute threads in this one
    const three = freshBatch("three")
    expect(await distributed(OPTIONS, three)).toBe(local.csv)
    // each of the 6 jobs of the last batch was done once, by one of the three (a worker logs
    // "done" after its result is stored, so the client may have its output first)
    const doneOfThree = () => workers.flatMap((w) => doneJobs(w.stderr)).filter((t) => t.startsWith(three + ":"))
    await waitFor("the workers to log the last batch's six jobs", () => doneOfThree().length >= 6)
    const done = doneOfThree()
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5].map((j) => `${three}:${j}`).sort())
    await Promise.all(workers.map((w) => w.stop()))
  }, 120_000)

  it("redoes elsewhere the job of a worker killed in the middle of it; the output is unchanged", async () => {
    const options: BatchOptions = { ...OPTIONS, draws: 400 }
    const expected = await localOutput(options)
    const batch = freshBatch("kill")
    const victim = worker()
    const run = distributed(options, batch)
    // the victim takes the first job; it dies before acknowledging it
    const taken = await waitFor("the victim to take a job", () => tookJobs(victim.stderr).find((t) => t.tag.startsWith(batch + ":")))
    await victim.kill()
    expect(doneJobs(victim.stderr)).not.toContain(taken.tag)
    const rescuer = worker()
    expect(await run).toBe(expected)
    // the rescuer got the victim's job again, as a second delivery
    expect(tookJobs(rescuer.stderr)).toContainEqual({ tag: taken.tag, delivery: 2 })
    await rescuer.stop()
  }, 120_000)

  it("resumes a batch whose client was killed: stored results are used, queued jobs are not published again", async () => {
    const options: BatchOptions = { scenarios: [SCENARIOS[0]!], grids: ["fai=-4:4:1"], draws: 100, seed: 3 }
    const expected = await localOutput(options)
    const batch = freshBatch("resume")
    const out = join(dir, "resume-first.csv")
    // no worker yet: the client publishes its 9 jobs and waits; then it dies
    const client = startClient(server.url, [...options.scenarios, "--grid", options.grids![0]!, "--draws", "100", "--seed", "3", "--chunk", "1", "--batch", batch, "--out", out])
    children.push(client)
    await waitFor("the client to publish its jobs", async () => (await Effect.runPromise(queuedJobs(jsm, batch))).size === 9, 60_000)
    await client.kill()
    const w = worker()
    await waitFor("a first result", () => doneJobs(w.stderr).some((t) => t.startsWith(batch + ":")))
    let resumed: { stored: number; queued: number; jobs: number } | undefined
    expect(await distributed(options, batch, "csv", { onResume: (info) => (resumed = info) })).toBe(expected)
    expect(resumed!.jobs).toBe(9)
    expect(resumed!.stored).toBeGreaterThan(0)
    expect(resumed!.stored + resumed!.queued).toBe(9)
    // every job was computed exactly once
    const took = tookJobs(w.stderr).filter((t) => t.tag.startsWith(batch + ":"))
    expect(took.map((t) => t.tag).sort()).toEqual([...Array(9).keys()].map((j) => `${batch}:${j}`).sort())
    // and running it once more reads everything from the results stream, with no worker at all
    await w.stop()
    let again: { stored: number } | undefined
    expect(await distributed(options, batch, "csv", { onResume: (info) => (again = info) })).toBe(expected)
    expect(again!.stored).toBe(9)
  }, 120_000)
})

const collect = <T>(subject: string): T[] => {
  const got: T[] = []
  nc.subscribe(subject, { callback: (_e, m) => void got.push(JSON.parse(m.string()) as T) })
  return got
}

describe("refusals", () => {
  // one worker for these tests (started once: a worker process takes seconds to start)
  let w: Child
  beforeAll(() => {
    w = startWorker(server.url)
  })
  afterAll(async () => {
    await w.stop()
  })

  it("a worker terminates malformed jobs and says why on plancast.rejected.jobs", async () => {
    const notices = collect<JobRejection>(REJECTED_JOBS)
    await nc.flush()
    const js = jetstream(nc)
    const model = { name: "m" }
    const job = (over: Record<string, unknown>) =>
      encode({ protocol: PROTOCOL, batch: "bad", plan: "p", job: 2, attempt: 0, draws: 0, scenarios: [{ index: 0, name: "s", model: { file: "m.yaml", text: JSON.stringify(model) }, events: [] }], projections: [{ index: 0, scenario: 0, point: { index: 0, shocks: [], label: "" }, seed: 1 }], ...over })
    await js.publish(jobSubject("bad", 0), new TextEncoder().encode("{not json"))
    await js.publish(jobSubject("bad", 1), encode({ protocol: PROTOCOL, batch: "bad" }))
    await js.publish(jobSubject("bad", 2), job({}))
    await js.publish(jobSubject("bad", 3), job({ job: 3, projections: [{ index: 0, scenario: 5, point: { index: 0, shocks: [{ id: "x", value: 1 }], label: "y" }, seed: 1 }] }))
    await waitFor("four notices", () => notices.length >= 4)
    const by = (s: string) => notices.find((n) => n.subject === s)!
    expect(by(jobSubject("bad", 0)).reasons[0]).toMatch(/^not JSON/)
    expect(by(jobSubject("bad", 1)).reasons.join("\n")).toMatch(/plan/)
    expect(by(jobSubject("bad", 2)).reasons.join("\n")).toMatch(/scenarios\.0 \(s\)/) // the model does not compile
    expect(by(jobSubject("bad", 2)).batch).toBe("bad")
    expect(by(jobSubject("bad", 3)).reasons).toEqual([
      "projections.0.scenario: 5 is not among the job's scenarios",
      'projections.0.point.label: "y" does not match its shocks',
    ])
    // terminated: gone from the work queue, never redelivered
    await waitFor("the queue to be empty of them", async () => (await Effect.runPromise(queuedJobs(jsm, "bad"))).size === 0)
    expect(tookJobs(w.stderr).filter((t) => t.tag.startsWith("bad:")).map((t) => t.tag)).toEqual(["bad:2"]) // only job 2 got as far as a thread
  }, 60_000)

  it("a client refuses results that are not its jobs' rows, publishes the job again, and still writes the local output", async () => {
    const notices = collect<ResultRejection>(REJECTED_RESULTS)
    await nc.flush()
    const batch = freshBatch("forged")
    const { digest, jobs } = await describeBatch(planBatch(OPTIONS), { batch, chunkSize: 1 })
    expect(jobs).toBe(6)
    const js = jetstream(nc)
    const base = { protocol: PROTOCOL, batch, attempt: 0, worker: "forger" }
    // stored before the client starts, so it meets them while reading the stream
    await js.publish(resultsSubject(batch), new TextEncoder().encode("garbage"))
    await js.publish(resultsSubject(batch), encode({ ...base, plan: "another-plan", job: 0, rows: [] }))
    // job 0's own message id: the worker's honest result for attempt 0 would be dropped as a duplicate
    await js.publish(resultsSubject(batch), encode({ ...base, plan: digest, job: 0, rows: [["fai-slump", "fai=-1", "gdp", 1, 1, 1, 1, null, null, null]] }), { msgID: `${batch}:0` })
    await js.publish(resultsSubject(batch), encode({ ...base, plan: digest, job: 99, rows: [] }))
    expect(await distributed(OPTIONS, batch)).toBe(local.csv)
    const reasons = notices.filter((n) => n.batch === batch).map((n) => n.reasons.join("; "))
    expect(reasons).toHaveLength(4)
    expect(reasons[0]).toMatch(/^not JSON/)
    expect(reasons[1]).toMatch(/another plan/)
    expect(reasons[2]).toBe("1 rows, the job has 8")
    expect(reasons[3]).toBe("job 99 is beyond the batch's 6 jobs")
    // job 0 went out again as a second attempt, with its own message id
    expect(tookJobs(w.stderr).filter((t) => t.tag === `${batch}:0`)).toHaveLength(1)
    expect(w.stderr).toContain(`job ${batch}:0 done`)
  }, 90_000)

  it("a job's engine failure reaches the client as the engine's own error", async () => {
    const batch = freshBatch("failing")
    const plan = planBatch(OPTIONS)
    const { digest } = await describeBatch(plan, { batch, chunkSize: 1 })
    // a worker's result for job 0 carrying a block that did not converge: thrown as a local batch would
    await jetstream(nc).publish(
      resultsSubject(batch),
      encode({ protocol: PROTOCOL, batch, plan: digest, job: 0, attempt: 0, worker: "w", error: { tag: "ConvergenceError", fields: { variables: ["gdp"], period: "2024-03", iterations: 100, residual: 1 }, message: "x" } }),
      { msgID: `${batch}:0` },
    )
    const rows = distributedProjections(plan, { nats: server.url, batch, chunkSize: 1 })
    await expect(rows.next()).rejects.toMatchObject({ _tag: "ConvergenceError", period: "2024-03", variables: ["gdp"] })
  }, 60_000)
})

describe("a refused job", () => {
  it("a job a worker refuses fails the batch with the worker's reasons", async () => {
    const batch = freshBatch("refused")
    const rows = distributedProjections(planBatch(OPTIONS), { nats: server.url, batch, chunkSize: 1 })
    const first = rows.next()
    // no worker runs: the jobs wait in the queue until a (simulated) worker refuses one
    await waitFor("the jobs to be queued", async () => (await Effect.runPromise(queuedJobs(jsm, batch))).size === 6)
    const notice: JobRejection = { subject: jobSubject(batch, 4), batch, job: 4, reasons: ["protocol: expected 1"], raw: "{}" }
    nc.publish(REJECTED_JOBS, encode(notice))
    await expect(first).rejects.toMatchObject({ _tag: "DistributedBatchError", batch, job: 4 })
    await expect(first).rejects.toThrow(/a worker refused the job: protocol: expected 1/)
    await jsm.streams.purge(JOBS_STREAM, { filter: `plancast.jobs.${batch}.>` })
  }, 60_000)
})
