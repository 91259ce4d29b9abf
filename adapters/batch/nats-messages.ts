// The wire format of distributed batches: subjects, message ids, the job message a client
// publishes into the work-queue stream PLANCAST_JOBS, the result message a worker publishes
// into PLANCAST_RESULTS, the rejection notices, and the batch id (a digest of the plan).
// Sits between the client (client.ts) and the workers (worker.ts); shell-side data only (no
// I/O; node:crypto for digests).
// Invariants: a job is self-sufficient (model text, the scenario's whole event log, grid
// points, draws and seed inline: a worker on another machine needs no file of the client);
// job `j` of batch `b` is published on `plancast.jobs.<b>.<j>` with Nats-Msg-Id `<b>:<j>`,
// its result on `plancast.results.<b>` with the same Nats-Msg-Id, so the streams drop the
// duplicates of redelivery and of a resumed client (a re-try after a refused result carries
// `:<attempt>`); numbers survive the wire bit for bit (non-finite ones and -0 travel as strings);
// decoders never throw, they return the reasons a message is refused.
import { createHash } from "node:crypto"
import { z } from "zod"
import { BATCH_COLUMNS, MAX_DRAWS, type BatchRow, type GridPoint } from "../../engine/index.ts"
import type { SerializedError } from "./serialized-error.ts"

/** Version of the messages below; a worker refuses a job of another version. */
export const PROTOCOL = 1

/** The work-queue stream of jobs, its subjects and the durable consumer all workers share. */
export const JOBS_STREAM = "PLANCAST_JOBS"
export const JOBS_WILDCARD = "plancast.jobs.>"
export const WORKERS_CONSUMER = "plancast-workers"
/** The stream of results (limits retention: a gathered batch stays resumable until max age). */
export const RESULTS_STREAM = "PLANCAST_RESULTS"
export const RESULTS_WILDCARD = "plancast.results.>"
/** Where refused jobs and refused results are reported (core NATS, not stored). */
export const REJECTED_JOBS = "plancast.rejected.jobs"
export const REJECTED_RESULTS = "plancast.rejected.results"

/** Subject of job `job` of batch `batch`. */
export const jobSubject = (batch: string, job: number): string => `plancast.jobs.${batch}.${job}`
/** Subject of every result of batch `batch`. */
export const resultsSubject = (batch: string): string => `plancast.results.${batch}`
/** Nats-Msg-Id of a job and of its result: `<batch>:<job>`, `<batch>:<job>:<attempt>` for a re-try. */
export const messageId = (batch: string, job: number, attempt = 0): string => (attempt === 0 ? `${batch}:${job}` : `${batch}:${job}:${attempt}`)

/** A batch id is one subject token: letters, digits, `-` and `_`, at most 64. */
export const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/

/** A scenario as a worker needs it: the model (as text) and the whole event log (base chain first), raw. */
export interface ScenarioDefinition {
  /** Position of the scenario in the plan. */
  readonly index: number
  /** The name its rows carry. */
  readonly name: string
  /** The model: a file name for messages and its text (YAML or JSON). */
  readonly model: { readonly file: string; readonly text: string }
  readonly events: readonly unknown[]
}

/** One projection of a job: plan position, scenario position, grid point, seed. */
export interface JobProjection {
  readonly index: number
  readonly scenario: number
  readonly point: GridPoint
  readonly seed: number
}

/** A job: a chunk of consecutive projections of a batch, everything needed to compute them. */
export interface JobMessage {
  readonly protocol: number
  readonly batch: string
  /** Digest of the whole plan: results of another plan under the same batch id are refused. */
  readonly plan: string
  readonly job: number
  readonly attempt: number
  readonly draws: number
  /** The scenarios the projections refer to (only those). */
  readonly scenarios: readonly ScenarioDefinition[]
  readonly projections: readonly JobProjection[]
}

/** A row on the wire: the values in BATCH_COLUMNS order, non-finite numbers as strings. */
export type WireRow = readonly (string | number | boolean | null)[]

/** The result of a job: its rows (projection order, then indicator order) or the engine error that stopped it. */
export interface ResultMessage {
  readonly protocol: number
  readonly batch: string
  readonly plan: string
  readonly job: number
  readonly attempt: number
  /** Who computed it (`host:pid`), for logs only. */
  readonly worker: string
  readonly rows?: readonly WireRow[]
  readonly error?: SerializedError
}

/** What a worker publishes on `plancast.rejected.jobs` when it refuses a job (and terminates it). */
export interface JobRejection {
  readonly subject: string
  readonly batch?: string
  readonly job?: number
  readonly reasons: readonly string[]
  /** The first 2,000 characters of the payload. */
  readonly raw: string
}

/** What a client publishes on `plancast.rejected.results` when it refuses a result. */
export interface ResultRejection {
  readonly subject: string
  readonly batch: string
  readonly job?: number
  readonly sequence: number
  readonly reasons: readonly string[]
}

// JSON has no NaN, no infinities and no negative zero: those travel as strings
const wireNumber = (x: number): number | string => (Object.is(x, -0) ? "-0" : Number.isFinite(x) ? x : String(x))
const fromWire = (x: unknown): unknown => (x === "NaN" ? NaN : x === "Infinity" ? Infinity : x === "-Infinity" ? -Infinity : x === "-0" ? -0 : x)

/** A row as it travels. */
export const rowToWire = (row: BatchRow): WireRow =>
  BATCH_COLUMNS.map((c) => {
    const v = row[c]
    return typeof v === "number" ? wireNumber(v) : v
  })

const SafeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const Shock = z.object({ id: z.string().min(1), value: z.number() })
const Point = z.object({ index: SafeInt, shocks: z.array(Shock), label: z.string() })
const Projection = z.object({ index: SafeInt, scenario: SafeInt, point: Point, seed: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) })
const Definition = z.object({
  index: SafeInt,
  name: z.string().min(1),
  model: z.object({ file: z.string(), text: z.string().min(1) }),
  events: z.array(z.unknown()),
})
const Job = z.object({
  protocol: z.literal(PROTOCOL),
  batch: z.string().regex(BATCH_ID),
  plan: z.string().min(1),
  job: SafeInt,
  attempt: SafeInt,
  draws: SafeInt.max(MAX_DRAWS),
  scenarios: z.array(Definition).min(1),
  projections: z.array(Projection).min(1),
})
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()])
const Result = z.object({
  protocol: z.literal(PROTOCOL),
  batch: z.string().regex(BATCH_ID),
  plan: z.string().min(1),
  job: SafeInt,
  attempt: SafeInt,
  worker: z.string(),
  rows: z.array(z.array(Cell).length(BATCH_COLUMNS.length)).optional(),
  error: z.object({ tag: z.string().optional(), fields: z.record(z.string(), z.unknown()).optional(), message: z.string() }).optional(),
})

const issuesOf = (e: z.ZodError): string[] => e.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`)

const parseJson = (data: Uint8Array): { value: unknown } | { reasons: string[] } => {
  try {
    return { value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data)) }
  } catch (e) {
    return { reasons: [`not JSON: ${e instanceof Error ? e.message : String(e)}`] }
  }
}

/** The grid point label of `shocks`, as engine/batch writes it (`fai=-15;industry_va=2`). */
export const pointLabel = (shocks: readonly { readonly id: string; readonly value: number }[]): string => shocks.map((s) => `${s.id}=${s.value}`).join(";")

/** Decodes a job message, or the reasons it is refused (schema, subject, references, labels). */
export const decodeJob = (subject: string, data: Uint8Array): { job: JobMessage } | { reasons: string[] } => {
  const parsed = parseJson(data)
  if ("reasons" in parsed) return parsed
  const r = Job.safeParse(parsed.value)
  if (!r.success) return { reasons: issuesOf(r.error) }
  const job = r.data as JobMessage
  const reasons: string[] = []
  if (subject !== jobSubject(job.batch, job.job)) reasons.push(`published on ${subject}, not ${jobSubject(job.batch, job.job)}`)
  const known = new Set(job.scenarios.map((s) => s.index))
  if (known.size !== job.scenarios.length) reasons.push("scenarios: an index is listed twice")
  job.projections.forEach((p, k) => {
    if (!known.has(p.scenario)) reasons.push(`projections.${k}.scenario: ${p.scenario} is not among the job's scenarios`)
    if (p.point.label !== pointLabel(p.point.shocks)) reasons.push(`projections.${k}.point.label: ${JSON.stringify(p.point.label)} does not match its shocks`)
  })
  return reasons.length ? { reasons } : { job }
}

/** Decodes a result message, or the reasons it is refused (its contents are checked against the plan by the client). */
export const decodeResult = (data: Uint8Array): { result: ResultMessage } | { reasons: string[] } => {
  const parsed = parseJson(data)
  if ("reasons" in parsed) return parsed
  const r = Result.safeParse(parsed.value)
  if (!r.success) return { reasons: issuesOf(r.error) }
  const result = r.data as ResultMessage
  if ((result.rows === undefined) === (result.error === undefined)) return { reasons: ["a result has either rows or an error"] }
  return { result }
}

/**
 * The rows of a result, checked against what the job must give: for each expected
 * (scenario, point, indicator) in order, a row with those keys and numbers where numbers go.
 */
export const rowsFromWire = (
  rows: readonly WireRow[],
  expected: readonly { readonly scenario: string; readonly point: string; readonly indicator: string }[],
): { rows: BatchRow[] } | { reasons: string[] } => {
  if (rows.length !== expected.length) return { reasons: [`${rows.length} rows, the job has ${expected.length}`] }
  const out: BatchRow[] = []
  const num = (v: unknown): v is number => typeof v === "number"
  for (let k = 0; k < rows.length; k++) {
    const w = rows[k]!
    const e = expected[k]!
    const [scenario, point, indicator] = w
    // only the number columns carry the strings that stand for NaN, infinities and -0 (a scenario may be named "NaN")
    const [mean, p05, p50, p95, probability, required] = w.slice(3, 9).map(fromWire)
    const met = w[9]
    if (scenario !== e.scenario || point !== e.point || indicator !== e.indicator)
      return { reasons: [`rows.${k}: ${JSON.stringify([scenario, point, indicator])}, expected ${JSON.stringify([e.scenario, e.point, e.indicator])}`] }
    if (!(num(mean) && num(p05) && num(p50) && num(p95)) || !(probability === null || num(probability)) || !(required === null || num(required)) || !(met === null || typeof met === "boolean"))
      return { reasons: [`rows.${k}: a value of the wrong type`] }
    out.push({ scenario, point, indicator, mean, p05, p50, p95, probability, required, met } as BatchRow)
  }
  return { rows: out }
}

/** Hex SHA-256 of a text. */
export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

/**
 * The digest of a plan as the bus runs it: scenario definitions, grid axes, draws, seed and
 * projections per job (job numbers depend on it). The default batch id is its first 20 characters.
 */
export const planDigest = (plan: {
  readonly scenarios: readonly ScenarioDefinition[]
  readonly axes: readonly { readonly id: string; readonly values: readonly number[] }[]
  readonly draws: number
  readonly seed: number
  readonly chunkSize: number
}): string =>
  sha256(
    JSON.stringify({
      protocol: PROTOCOL,
      scenarios: plan.scenarios.map((s) => ({ name: s.name, model: s.model.text, events: s.events })),
      axes: plan.axes.map((a) => ({ id: a.id, values: a.values })),
      draws: plan.draws,
      seed: plan.seed,
      chunkSize: plan.chunkSize,
    }),
  )

/** Bytes of a message. */
export const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))
