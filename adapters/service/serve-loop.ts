// The serve loop of the event-driven service, over the EventSource and ForecastSink seams (and
// a SnapshotStore where the transport has one): restore the latest snapshot, replay the history
// after it (rebuild every scenario), publish one forecast per scenario, then take the
// live messages in batches (whatever is pending when the loop is free: a lone message is
// handled at once, a burst coalesces), apply them, publish one forecast per changed scenario,
// report rejections, and only then acknowledge the batch. Shell (Effect).
// Invariants: a message is acknowledged only after its event is applied and the forecasts and
// rejections of its batch are out; a refused message is acknowledged too (no poison loop); a
// sink failure is retried with backoff and holds the acknowledgements back meanwhile; a forecast
// that fails is that scenario's rejection, never the loop's end; a snapshot is taken only at a
// sequence through which every message is processed, after that batch's acknowledgements.
import { Cause, Effect, Option, Queue, Schedule, Stream } from "effect"
import type { ScenarioEvent } from "../../engine/index.ts"
import { EventSource, type SourceMessage } from "./event-source.ts"
import { ForecastSink, type Forecast, type Rejection, } from "./forecast-sink.ts"
import type { TransportError } from "./cause.ts"
import type { ScenarioRegistry } from "./registry.ts"
import { decodeSnapshot, encodeSnapshot, SnapshotStore } from "./snapshot.ts"

/** Called after each forecast is out: the scenario, its forecast document, the last event applied to it. */
export type ForecastListener = (scenario: string, projection: Forecast, lastEvent: ScenarioEvent | undefined) => void

export interface ServeLoopOptions {
  /** Called after each forecast is published (a live page, a test). */
  readonly onForecast?: ReadonlyArray<ForecastListener>
  /** Diagnostics (reconnects, retries); standard error by default in runServe. */
  readonly log?: (line: string) => void
  /** When a burst is pending, wait this long (ms) for more before applying it, so forecasts coalesce (default 5). */
  readonly lingerMs?: number
  /** Messages processed between two snapshots (where the source has a SnapshotStore; default SNAPSHOT_EVERY). */
  readonly snapshotEvery?: number
}

/** Messages processed between two snapshots by default. */
export const SNAPSHOT_EVERY = 5_000

/** Retry policy of the sink: exponential from 50 ms, capped at 2 s, without end (the acks wait). */
export const sinkRetry = Schedule.min([Schedule.exponential("50 millis"), Schedule.spaced("2 seconds")])

/** Runs the service until the live stream ends (end of input) or fails. */
export const serveLoop = (registry: ScenarioRegistry, options: ServeLoopOptions = {}) =>
  Effect.gen(function* () {
    const source = yield* EventSource
    const sink = yield* ForecastSink
    const log = options.log ?? (() => {})
    const retrying = <A>(what: string, effect: Effect.Effect<A, TransportError>) =>
      effect.pipe(
        Effect.tapError((e) => Effect.sync(() => log(`${what}: ${e.message}; retrying`))),
        Effect.retry({ schedule: sinkRetry }),
      )

    const report = (rejections: readonly Rejection[]) =>
      Effect.forEach(rejections, (r) => retrying(`rejection on ${r.scenario}`, sink.reject(r)), { discard: true })

    // forecasts first (core publishes, no round trip), then the KV puts side by side
    const emit = (scenarios: Iterable<string>) =>
      Effect.gen(function* () {
        const out: { scenario: string; forecast: Forecast; lastEvent: ScenarioEvent | undefined }[] = []
        const failures: Rejection[] = []
        for (const scenario of scenarios) {
          const f = registry.forecast(scenario)
          if ("failure" in f) failures.push(f.failure)
          else out.push({ scenario, ...f })
        }
        yield* report(failures)
        for (const { scenario, forecast } of out) yield* retrying(`forecast of ${scenario}`, sink.publish(forecast))
        yield* Effect.forEach(out, ({ scenario, forecast }) => retrying(`latest forecast of ${scenario}`, sink.putLatest(forecast)), {
          concurrency: 32,
          discard: true,
        })
        for (const { scenario, forecast, lastEvent } of out) {
          for (const listener of options.onForecast ?? []) {
            try {
              listener(scenario, forecast, lastEvent)
            } catch (e) {
              log(`forecast listener failed: ${e instanceof Error ? e.message : String(e)}`)
            }
          }
        }
      })

    // 0. the latest snapshot, when there is one of this base: the replay starts after it
    const store = yield* Effect.serviceOption(SnapshotStore)
    let restored = 0
    if (Option.isSome(store)) {
      const bytes = yield* store.value.load.pipe(
        Effect.catch((e) => Effect.sync(() => (log(`snapshot: cannot load (${e.message}); replaying the whole stream`), undefined))),
      )
      if (bytes !== undefined) {
        const d = decodeSnapshot(registry.base, bytes)
        if ("image" in d) {
          registry.restore(d.image)
          restored = d.image.floor
          log(`restored the snapshot through sequence ${restored}: ${registry.names().length} scenario(s)`)
        } else log(`snapshot ignored: ${d.ignored}; replaying the whole stream`)
      }
    }
    const every = options.snapshotEvery ?? SNAPSHOT_EVERY
    let sinceSnapshot = 0
    const snapshot = Effect.gen(function* () {
      if (Option.isNone(store)) return
      const image = registry.image()
      if (image === undefined) return
      sinceSnapshot = 0
      yield* store.value.save(encodeSnapshot(registry.base, image)).pipe(Effect.catch((e) => Effect.sync(() => log(`snapshot: cannot save (${e.message})`))))
    })

    // 1. rebuild every scenario from the stored messages after the snapshot
    let lastHistory = restored
    const replayRejections: Rejection[] = []
    yield* source.history(restored).pipe(
      Stream.runForEach((m: SourceMessage) =>
        Effect.sync(() => {
          const outcome = registry.receive(m)
          if (m.sequence > lastHistory) lastHistory = m.sequence
          // a refusal already reported by an earlier run (the message was acknowledged) is not reported again
          if (outcome.kind === "rejected" && !m.acknowledged) replayRejections.push(outcome.rejection)
        }),
      ),
    )
    registry.processedThrough(lastHistory)
    if (lastHistory > restored) log(`replayed the stream through sequence ${lastHistory}: ${registry.names().length} scenario(s)`)
    yield* report(replayRejections)
    // a long replay is kept at once, once its rejections are out and before the first forecasts
    if (lastHistory - restored >= every) yield* snapshot
    yield* emit(registry.names())

    // 2. live messages, batch by batch: whatever is pending when the loop is free; when more than
    // one message was waiting (a burst), linger a moment so the batch, and its coalescing, grow
    const linger = options.lingerMs ?? 5
    const processBatch = (batch: readonly SourceMessage[]) =>
      Effect.gen(function* () {
        const changed = new Set<string>()
        const rejections: Rejection[] = []
        for (const m of batch) {
          const outcome = registry.receive(m)
          if (outcome.kind === "applied") changed.add(outcome.scenario)
          else if (outcome.kind === "rejected") rejections.push(outcome.rejection)
        }
        yield* emit(changed)
        yield* report(rejections)
        yield* Effect.forEach(batch, (m) => m.ack.pipe(Effect.catch((e) => Effect.sync(() => log(`ack of ${m.sequence}: ${e.message}`)))), {
          discard: true,
        })
        sinceSnapshot += batch.length
        if (sinceSnapshot >= every) yield* snapshot
      })
    yield* Effect.scoped(
      Effect.gen(function* () {
        const queue = yield* Stream.toQueue(source.live, { capacity: "unbounded" })
        for (;;) {
          const first = yield* Queue.takeAll(queue)
          let batch: readonly SourceMessage[] = first
          if (first.length > 1 && linger > 0) {
            yield* Effect.sleep(linger)
            batch = first.concat(yield* Queue.clear(queue))
          }
          yield* processBatch(batch)
        }
      }),
    ).pipe(Effect.catchIf(Cause.isDone, () => Effect.void))
  })
