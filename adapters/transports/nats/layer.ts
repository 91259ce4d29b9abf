// The NATS layer of the event-driven service (`layerNats`): the event source is JetStream
// stream PLANCAST_EVENTS (history: an ordered consumer replaying its plancast.events.>
// messages after the restored snapshot (from 1 without one) to the last one stored at start; live: the durable pull consumer),
// the forecast sink is the subjects plancast.forecasts.<scenario> /
// plancast.rejected.<scenario> and the KV bucket plancast-forecasts; snapshots go to the object
// store plancast-forecasts-snapshots (one object per stream and consumer). Connection, stream,
// consumer and buckets are scoped resources of the layer; the live subscription is scoped to
// the stream that reads it. Shell.
// Invariants: a live message is acknowledged only through its `ack` (called by the serve
// loop); a consumer that ends or is lost (broker restart without it, deletion) is re-created
// and re-read with backoff; the history reads the subjects the live consumer reads (never an
// operator's other subjects of the stream) and ends at the last of their messages stored at start.
import { Cause, Context, Effect, Layer, Queue, Schedule, Stream } from "effect"
import type { NatsConnection } from "@nats-io/transport-node"
import { DeliverPolicy, jetstream, type JetStreamManager, type JsMsg } from "@nats-io/jetstream"
import { EventSource, type SourceMessage } from "../../service/event-source.ts"
import { TransportError } from "../../service/cause.ts"
import { ForecastSink } from "../../service/forecast-sink.ts"
import { SnapshotStore } from "../../service/snapshot.ts"
import {
  acquireConnection,
  attempt,
  ensureBucket,
  ensureConsumer,
  ensureSnapshots,
  ensureStream,
  manager,
  NatsError,
  snapshotBucket,
  startupRetry,
} from "./connection.ts"
import { EVENTS_WILDCARD, forecastsSubject, rejectedSubject, scenarioOfSubject } from "../../contract.ts"
import type { NatsSettings } from "./settings.ts"

/** The live broker link of a running NATS layer, for what else runs on it (the project endpoint). */
export class NatsLink extends Context.Service<
  NatsLink,
  { readonly connection: NatsConnection; readonly manager: JetStreamManager; readonly settings: NatsSettings }
>()("plancast/NatsLink") {}

export interface NatsLayerOptions {
  /** Diagnostics: connection status, re-created consumers, retries. */
  readonly log?: (line: string) => void
  /** Messages per pull request of the durable consumer (default 1000). */
  readonly batch?: number
}

const toSource = (m: JsMsg, acknowledged: boolean | undefined, ack: boolean): SourceMessage => ({
  scenario: scenarioOfSubject(m.subject),
  subject: m.subject,
  data: m.data,
  sequence: m.seq,
  messageId: m.headers?.get("Nats-Msg-Id") || undefined,
  acknowledged,
  ack: ack ? Effect.try({ try: () => m.ack(), catch: (cause) => new TransportError({ transport: "nats", operation: `ack ${m.seq}`, cause }) }) : Effect.void,
})

const sourceError = (operation: string) => (e: NatsError | unknown) =>
  new TransportError({ transport: "nats", operation, cause: e instanceof NatsError ? (e.cause ?? e) : e })

/**
 * Event source, forecast sink and the broker link over NATS JetStream. Building the layer
 * connects (retrying with backoff), creates or updates the stream, the durable consumer and the
 * KV bucket; closing it drains the connection.
 */
export const layerNats = (settings: NatsSettings, options: NatsLayerOptions = {}): Layer.Layer<EventSource | ForecastSink | SnapshotStore | NatsLink, NatsError> => {
  const log = options.log ?? (() => {})
  return Layer.effectContext(
    Effect.gen(function* () {
      const nc = yield* acquireConnection(settings, log)
      log(`connected to ${nc.getServer()}`)
      const jsm = yield* manager(nc)
      log(`JetStream ready`)
      yield* ensureStream(jsm, settings.stream).pipe(Effect.retry({ schedule: startupRetry(20) }))
      yield* ensureConsumer(jsm, settings.stream, settings.consumer).pipe(Effect.retry({ schedule: startupRetry(20) }))
      const kv = yield* ensureBucket(nc, settings.bucket).pipe(Effect.retry({ schedule: startupRetry(20) }))
      log(`stream ${settings.stream}, consumer ${settings.consumer} and bucket ${settings.bucket} ready`)
      const js = jetstream(nc)

      const snapshots = yield* ensureSnapshots(nc, snapshotBucket(settings)).pipe(Effect.retry({ schedule: startupRetry(20) }))
      const history = (after: number): Stream.Stream<SourceMessage, TransportError> => Stream.unwrap(
        Effect.gen(function* () {
          const consumer = yield* ensureConsumer(jsm, settings.stream, settings.consumer)
          const ackFloor = consumer.ack_floor.stream_seq
          // the stream may also hold an operator's other subjects: replay only what the durable
          // consumer reads (plancast.events.>), up to the last such message stored now
          const lastEvent = yield* attempt(`last message of ${settings.stream} on ${EVENTS_WILDCARD}`, () =>
            jsm.streams.getMessage(settings.stream, { last_by_subj: EVENTS_WILDCARD }),
          )
          if (!lastEvent || lastEvent.seq <= after) return Stream.empty
          const last = lastEvent.seq
          return Stream.callback<SourceMessage, TransportError>((queue) =>
            Effect.acquireRelease(
              attempt("replay the stream", async () => {
                const ordered = await js.consumers.get(
                  settings.stream,
                  after > 0
                    ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1, filter_subjects: EVENTS_WILDCARD }
                    : { deliver_policy: DeliverPolicy.All, filter_subjects: EVENTS_WILDCARD },
                )
                const messages = await ordered.consume({
                  max_messages: 1000,
                  callback: (m) => {
                    Queue.offerUnsafe(queue, toSource(m, m.seq <= ackFloor, false))
                    if (m.seq >= last || m.info.pending === 0) Queue.endUnsafe(queue)
                  },
                })
                return messages
              }),
              (messages) => Effect.promise(() => messages.close().catch(() => {})),
            ).pipe(Effect.mapError(sourceError("replay the stream"))),
          )
        }).pipe(Effect.mapError(sourceError("replay the stream"))),
      )

      const subscribe = Stream.callback<SourceMessage, TransportError>((queue) =>
        Effect.gen(function* () {
          const messages = yield* Effect.acquireRelease(
            Effect.gen(function* () {
              yield* ensureConsumer(jsm, settings.stream, settings.consumer)
              return yield* attempt(`consume ${settings.consumer}`, async () => {
                const consumer = await js.consumers.get(settings.stream, settings.consumer)
                return consumer.consume({
                  max_messages: options.batch ?? 1000,
                  callback: (m) => void Queue.offerUnsafe(queue, toSource(m, undefined, true)),
                })
              })
            }).pipe(Effect.mapError(sourceError("consume"))),
            (messages) => Effect.promise(() => messages.close().catch(() => {})),
          )
          // the consumer is gone: end this subscription with a failure, the retry re-creates it
          const gone = (cause: unknown) => Effect.sync(() => Queue.failCauseUnsafe(queue, Cause.fail(new TransportError({ transport: "nats", operation: "consume", cause }))))
          yield* Effect.forkScoped(
            Stream.fromAsyncIterable(messages.status(), (e) => e).pipe(
              Stream.runForEach((s) =>
                s.type === "consumer_deleted" || s.type === "consumer_not_found" || s.type === "stream_not_found"
                  ? Effect.andThen(Effect.sync(() => log(`NATS: ${s.type.replaceAll("_", " ")}; re-creating`)), gone(s.type))
                  : Effect.void,
              ),
              Effect.ignore,
            ),
          )
          yield* Effect.forkScoped(Effect.flatMap(Effect.promise(() => messages.closed()), (err) => (err ? gone(err) : Effect.void)))
        }),
      )
      const live = subscribe.pipe(
        Stream.retry(
          Schedule.min([Schedule.exponential("200 millis"), Schedule.spaced("5 seconds")]).pipe(
            Schedule.tap(() => Effect.sync(() => log(`NATS: consumer failed; subscribing again`))),
          ),
        ),
      )

      const encoder = new TextEncoder()
      const sink = ForecastSink.of({
        publish: (forecast) =>
          Effect.try({
            try: () => nc.publish(forecastsSubject(forecast.scenario), encoder.encode(JSON.stringify(forecast))),
            catch: (cause) => new TransportError({ transport: "nats", operation: `publish ${forecastsSubject(forecast.scenario)}`, cause }),
          }),
        putLatest: (forecast) =>
          Effect.tryPromise({
            try: () => kv.put(forecast.scenario, encoder.encode(JSON.stringify(forecast))),
            catch: (cause) => new TransportError({ transport: "nats", operation: `put ${settings.bucket}.${forecast.scenario}`, cause }),
          }).pipe(Effect.asVoid),
        reject: (rejection) =>
          Effect.try({
            try: () => nc.publish(rejectedSubject(rejection.scenario), encoder.encode(JSON.stringify(rejection))),
            catch: (cause) => new TransportError({ transport: "nats", operation: `publish ${rejectedSubject(rejection.scenario)}`, cause }),
          }),
      })

      // the latest snapshot of this service: one object per stream and consumer
      const snapshotName = `${settings.stream}/${settings.consumer}`
      const store = SnapshotStore.of({
        load: Effect.tryPromise({
          try: async () => (await snapshots.getBlob(snapshotName)) ?? undefined,
          catch: (cause) => new TransportError({ transport: "nats", operation: `read snapshot ${snapshotName}`, cause }),
        }),
        save: (bytes) =>
          Effect.tryPromise({
            try: () => snapshots.putBlob({ name: snapshotName }, bytes),
            catch: (cause) => new TransportError({ transport: "nats", operation: `store snapshot ${snapshotName}`, cause }),
          }).pipe(Effect.asVoid),
      })

      return Context.make(EventSource, EventSource.of({ history, live }))
        .pipe(Context.add(ForecastSink, sink))
        .pipe(Context.add(SnapshotStore, store))
        .pipe(Context.add(NatsLink, NatsLink.of({ connection: nc, manager: jsm, settings })))
    }),
  )
}
