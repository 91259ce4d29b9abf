// Computing one job: rebuild its scenarios from their definitions (cached by content, so a
// worker compiles each model once however many jobs use it), then project each of its
// projections with the engine's own batch functions, in order. Runs inside a compute thread
// (compute-thread.ts); no I/O, but not pure (the cache).
// Invariants: the rows depend only on the job's contents (scenario definitions, points,
// draws, seeds), never on what the thread computed before; a job whose scenarios cannot be
// rebuilt is `malformed` (the client rebuilds them the same way before publishing, so only a
// forged or corrupted job gets there); an engine failure while projecting is `failed` with
// the tagged error, which the client rethrows as the local batch would have thrown it.
import { projectJob, type BatchScenario } from "../../engine/index.ts"
import { serializeError, type SerializedError } from "./serialized-error.ts"
import { rowToWire, sha256, type JobMessage, type WireRow } from "./nats-messages.ts"
import { scenarioFromDefinition } from "./nats-scenarios.ts"

/** What computing a job gives. */
export type JobOutcome =
  | { readonly kind: "rows"; readonly rows: WireRow[] }
  | { readonly kind: "malformed"; readonly reasons: string[] }
  | { readonly kind: "failed"; readonly error: SerializedError }

const CACHE_SIZE = 32

/** Rebuilt scenarios by the digest of their definition. */
export class ScenarioCache {
  private readonly entries = new Map<string, BatchScenario>()
  get(def: JobMessage["scenarios"][number]): BatchScenario {
    const key = sha256(JSON.stringify([def.name, def.model.text, def.events]))
    let s = this.entries.get(key)
    if (!s) {
      s = scenarioFromDefinition(def)
      if (this.entries.size >= CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(key, s)
    }
    return s
  }
}

const reasonsOf = (e: unknown): string[] => {
  const issues = (e as { issues?: { path?: (string | number)[]; problem?: string; message?: string }[] }).issues
  if (Array.isArray(issues)) return issues.map((i) => `${i.path?.length ? i.path.join(".") + ": " : ""}${i.problem ?? i.message ?? ""}`)
  return [e instanceof Error ? e.message : String(e)]
}

/** Computes a (decoded) job. */
export const computeJob = (job: JobMessage, cache: ScenarioCache): JobOutcome => {
  const scenarios = new Map<number, BatchScenario>()
  for (const def of job.scenarios) {
    try {
      scenarios.set(def.index, cache.get(def))
    } catch (e) {
      return { kind: "malformed", reasons: reasonsOf(e).map((r) => `scenarios.${def.index} (${def.name}): ${r}`) }
    }
  }
  const rows: WireRow[] = []
  try {
    for (const p of job.projections) for (const row of projectJob(scenarios.get(p.scenario)!, p.point, { draws: job.draws, seed: p.seed })) rows.push(rowToWire(row))
  } catch (e) {
    return { kind: "failed", error: serializeError(e) }
  }
  return { kind: "rows", rows }
}
