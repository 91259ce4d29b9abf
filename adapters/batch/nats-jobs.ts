// The layout of a distributed batch: its plan cut into jobs of consecutive projections (in the
// local batch's order), the batch id (a digest of the plan, or `--batch ID`), each job's
// message and the rows its result must give; and the checks of the options that shape it.
// Read by the client (nats-client.ts) and the CLI. Shell (loads the scenario files).
import { OptionError } from "../../engine/index.ts"
import { jobAt, jobCount, type BatchPlan, type BatchScenario } from "../../engine/index.ts"
import { BATCH_ID, planDigest, PROTOCOL, type JobMessage, type ScenarioDefinition } from "./nats-messages.ts"
import { indicatorIds, loadDefinitions } from "./nats-scenarios.ts"

/** The most projections one job may hold. */
export const MAX_CHUNK = 10_000

/**
 * The seed of projection `k` of a plan: the plan's seed, for every projection (common random
 * numbers, as the local batch: engine/batch/plan.ts). It depends on the plan and the
 * projection's position only, never on the worker that computes it.
 */
export const jobSeed = (plan: BatchPlan, _k: number): number => plan.seed

/** The default projections per job for `total` projections. */
export const defaultChunkSize = (total: number): number => Math.max(1, Math.min(64, Math.ceil(total / 100)))

/** Refuses a chunk size that is not an integer in [1, MAX_CHUNK]. */
export const checkChunkSize = (n: number): number => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CHUNK) throw new OptionError({ option: "--chunk", problem: `must be a whole number from 1 to ${MAX_CHUNK}, not ${n}` })
  return n
}

/** Refuses a batch id that is not one subject token. */
export const checkBatchId = (id: string): string => {
  if (!BATCH_ID.test(id)) throw new OptionError({ option: "--batch", problem: `${JSON.stringify(id)} is not a batch id (1 to 64 letters, digits, "-" or "_")` })
  return id
}

/** A batch laid out as jobs: who is in which job and what rows each must give. */
export class JobLayout {
  readonly plan: BatchPlan
  readonly definitions: readonly ScenarioDefinition[]
  readonly scenarios: readonly BatchScenario[]
  readonly size: number
  readonly batch: string
  readonly digest: string
  readonly total: number
  readonly chunks: number
  constructor(plan: BatchPlan, definitions: readonly ScenarioDefinition[], scenarios: readonly BatchScenario[], size: number, batch: string, digest: string) {
    this.plan = plan
    this.definitions = definitions
    this.scenarios = scenarios
    this.size = size
    this.batch = batch
    this.digest = digest
    this.total = jobCount(plan)
    this.chunks = Math.ceil(this.total / size)
  }
  range(job: number): [number, number] {
    return [job * this.size, Math.min(this.total, (job + 1) * this.size)]
  }
  message(job: number, attempt: number): JobMessage {
    const [start, end] = this.range(job)
    const projections = []
    const used = new Set<number>()
    for (let k = start; k < end; k++) {
      const j = jobAt(this.plan, k)
      used.add(j.scenario)
      projections.push({ index: k, scenario: j.scenario, point: j.point, seed: jobSeed(this.plan, k) })
    }
    return {
      protocol: PROTOCOL,
      batch: this.batch,
      plan: this.digest,
      job,
      attempt,
      draws: this.plan.draws,
      scenarios: [...used].sort((a, b) => a - b).map((s) => this.definitions[s]!),
      projections,
    }
  }
  expected(job: number): { scenario: string; point: string; indicator: string }[] {
    const [start, end] = this.range(job)
    const out = []
    for (let k = start; k < end; k++) {
      const j = jobAt(this.plan, k)
      const s = this.scenarios[j.scenario]!
      for (const indicator of indicatorIds(s)) out.push({ scenario: s.name, point: j.point.label, indicator })
    }
    return out
  }
}

export const layoutOf = async (plan: BatchPlan, options: { readonly chunkSize?: number; readonly batch?: string }): Promise<JobLayout> => {
  const { definitions, scenarios } = await loadDefinitions(plan)
  const size = checkChunkSize(options.chunkSize ?? defaultChunkSize(jobCount(plan)))
  const digest = planDigest({ scenarios: definitions, axes: plan.grid.axes, draws: plan.draws, seed: plan.seed, chunkSize: size })
  const batch = options.batch !== undefined ? checkBatchId(options.batch) : `b${digest.slice(0, 20)}`
  return new JobLayout(plan, definitions, scenarios, size, batch, digest)
}

/**
 * How a plan runs on the bus: its batch id, the digest its results must carry, its jobs and
 * their size. Loads the scenario files (throws as `distributedProjections` does).
 */
export const describeBatch = async (plan: BatchPlan, options: { readonly chunkSize?: number; readonly batch?: string } = {}): Promise<{ batch: string; digest: string; jobs: number; chunkSize: number }> => {
  const l = await layoutOf(plan, options)
  return { batch: l.batch, digest: l.digest, jobs: l.chunks, chunkSize: l.size }
}
