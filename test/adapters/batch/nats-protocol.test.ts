// The wire format of distributed batches, without a server: rows survive the trip bit for bit
// (non-finite numbers included), a result's rows must be exactly the job's (keys in order,
// values of the right types), malformed jobs come back with their reasons, and subjects,
// message ids and batch ids are what the streams expect. Unit tests (pure).
import { describe, expect, it } from "vitest"
import type { BatchRow } from "../../../engine/batch/index.ts"
import { decodeJob, decodeResult, encode, jobSubject, messageId, planDigest, PROTOCOL, rowsFromWire, rowToWire, type ScenarioDefinition } from "../../../adapters/batch/nats-messages.ts"

const row: BatchRow = { scenario: "s", point: "fai=-1", indicator: "gdp", mean: 0.1 + 0.2, p05: -0, p50: NaN, p95: Infinity, probability: null, required: -Infinity, met: false }
const key = { scenario: "s", point: "fai=-1", indicator: "gdp" }

describe("rows on the wire", () => {
  it("come back identical, non-finite numbers included", () => {
    const wire = JSON.parse(JSON.stringify([rowToWire(row)]))
    const back = rowsFromWire(wire, [key])
    expect("rows" in back && back.rows[0]).toEqual(row)
    expect("rows" in back && Object.is(back.rows[0]!.mean, 0.30000000000000004)).toBe(true)
    const named = { ...row, scenario: "NaN", point: "-0" }
    expect(rowsFromWire([rowToWire(named)], [{ ...key, scenario: "NaN", point: "-0" }])).toEqual({ rows: [named] })
  })

  it("are refused when they are not the job's", () => {
    expect(rowsFromWire([], [key])).toEqual({ reasons: ["0 rows, the job has 1"] })
    expect(rowsFromWire([rowToWire({ ...row, indicator: "fai" })], [key])).toEqual({ reasons: ['rows.0: ["s","fai=-1","fai"], expected ["s","fai=-1","gdp"]'] })
    expect(rowsFromWire([["s", "fai=-1", "gdp", "1", 1, 1, 1, null, null, null]], [key])).toEqual({ reasons: ["rows.0: a value of the wrong type"] })
  })
})

describe("messages", () => {
  const def: ScenarioDefinition = { index: 0, name: "s", model: { file: "m.yaml", text: "name: m" }, events: [] }
  const job = { protocol: PROTOCOL, batch: "b1", plan: "d", job: 3, attempt: 0, draws: 10, scenarios: [def], projections: [{ index: 3, scenario: 0, point: { index: 3, shocks: [{ id: "fai", value: -1 }], label: "fai=-1" }, seed: 1 }] }

  it("a well-formed job decodes; a job on another subject or with a wrong label does not", () => {
    expect(decodeJob(jobSubject("b1", 3), encode(job))).toEqual({ job })
    expect(decodeJob(jobSubject("b1", 4), encode(job))).toEqual({ reasons: ["published on plancast.jobs.b1.4, not plancast.jobs.b1.3"] })
    const relabelled = { ...job, projections: [{ ...job.projections[0]!, point: { ...job.projections[0]!.point, label: "fai=1" } }] }
    expect(decodeJob(jobSubject("b1", 3), encode(relabelled))).toEqual({ reasons: ['projections.0.point.label: "fai=1" does not match its shocks'] })
  })

  it("refuses jobs of another protocol, bad batch ids, and bytes that are not JSON", () => {
    const reasons = (data: Uint8Array) => ("reasons" in decodeJob("plancast.jobs.x.0", data) ? (decodeJob("plancast.jobs.x.0", data) as { reasons: string[] }).reasons : [])
    expect(reasons(encode({ ...job, protocol: 2 })).join()).toMatch(/^protocol: /)
    expect(reasons(encode({ ...job, batch: "a.b" })).join()).toMatch(/^batch: /)
    expect(reasons(new Uint8Array([0xff, 0xfe]))[0]).toMatch(/^not JSON/)
  })

  it("a result has rows or an error, not both nor neither", () => {
    const base = { protocol: PROTOCOL, batch: "b1", plan: "d", job: 0, attempt: 0, worker: "w" }
    expect(decodeResult(encode(base))).toEqual({ reasons: ["a result has either rows or an error"] })
    expect(decodeResult(encode({ ...base, rows: [], error: { message: "x" } }))).toEqual({ reasons: ["a result has either rows or an error"] })
    expect("result" in decodeResult(encode({ ...base, rows: [] }))).toBe(true)
  })

  it("message ids drop redelivered duplicates and tell re-tries apart; the digest follows the plan", () => {
    expect(messageId("b1", 7)).toBe("b1:7")
    expect(messageId("b1", 7, 2)).toBe("b1:7:2")
    const plan = { scenarios: [def], axes: [{ id: "fai", values: [-1, 0, 1] }], draws: 10, seed: 1, chunkSize: 4 }
    expect(planDigest(plan)).toBe(planDigest({ ...plan }))
    expect(planDigest({ ...plan, seed: 2 })).not.toBe(planDigest(plan))
    expect(planDigest({ ...plan, chunkSize: 5 })).not.toBe(planDigest(plan))
    expect(planDigest({ ...plan, scenarios: [{ ...def, events: [{ id: "e" }] }] })).not.toBe(planDigest(plan))
  })
})
