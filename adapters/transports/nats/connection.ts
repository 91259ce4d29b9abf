// The NATS plumbing of plancast as scoped Effect resources: the connection (reconnecting for
// ever, drained on release), the JetStream stream PLANCAST_EVENTS (created or updated), the
// durable pull consumer, and the KV bucket of latest forecasts. Every foreign failure becomes a
// NatsError naming the operation. Shell. Invariants: the stream keeps every event (limits
// retention, file storage, de-duplication window of 2 minutes); the consumer acknowledges
// explicitly and delivers from the first message; the bucket keeps one value per key.
import { Data, Effect, Schedule, type Scope } from "effect"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from "@nats-io/jetstream"
import { Kvm, type KV } from "@nats-io/kv"
import { connectionOptions, type NatsSettings } from "./settings.ts"
import { failureText } from "../../service/cause.ts"
import { EVENTS_WILDCARD } from "../../contract.ts"

/** De-duplication window of the stream (Nats-Msg-Id), in milliseconds. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000

/** A failure of a NATS operation (connect, create the stream, put in the bucket, ...). */
export class NatsError extends Data.TaggedError("NatsError")<{
  readonly operation: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return failureText("NATS", this.operation, this.cause)
  }
}

/** Runs a promise-returning NATS call, mapping its failure to a NatsError. */
export const attempt = <A>(operation: string, f: () => Promise<A>): Effect.Effect<A, NatsError> =>
  Effect.tryPromise({ try: f, catch: (cause) => new NatsError({ operation, cause }) })

/** Backoff of start-up calls: exponential from 100 ms, capped at 2 s, at most `times` retries. */
export const startupRetry = (times = 60) => Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("2 seconds")]).pipe(Schedule.upTo({ times }))

/** Milliseconds as the nanoseconds of JetStream configurations. */
export const nanos = (ms: number): number => ms * 1_000_000

/**
 * A connection to the broker, retried with backoff until it is up (about two minutes), then
 * reconnecting by itself for ever; drained (pending publishes flushed) when the scope closes.
 * Disconnects and reconnects are logged.
 */
export const acquireConnection = (settings: NatsSettings, log: (line: string) => void = () => {}): Effect.Effect<NatsConnection, NatsError, Scope.Scope> =>
  Effect.acquireRelease(
    attempt(`connect to ${settings.servers.join(",")}`, () => connect(connectionOptions(settings))).pipe(
      Effect.tapError((e) => Effect.sync(() => log(`${e.message}; retrying`))),
      Effect.retry({ schedule: startupRetry() }),
      Effect.tap((nc) =>
        Effect.sync(() => {
          void (async () => {
            for await (const s of nc.status()) {
              if (s.type === "disconnect") log(`NATS: disconnected from ${s.server}`)
              else if (s.type === "reconnect") log(`NATS: reconnected to ${s.server}`)
            }
          })().catch(() => {})
        }),
      ),
    ),
    (nc) =>
      Effect.promise(async () => {
        if (nc.isClosed()) return
        await Promise.race([nc.drain().catch(() => nc.close()), new Promise((r) => setTimeout(r, 3000))])
        if (!nc.isClosed()) await nc.close().catch(() => {})
      }),
  )

/** The JetStream manager of a connection. */
export const manager = (nc: NatsConnection): Effect.Effect<JetStreamManager, NatsError> => attempt("open JetStream", () => jetstreamManager(nc))

/**
 * Creates the events stream, or updates its subjects and de-duplication window when it exists
 * with others (keeping whatever else an operator configured).
 */
export const ensureStream = (jsm: JetStreamManager, name: string): Effect.Effect<StreamInfo, NatsError> =>
  attempt(`create stream ${name}`, async () => {
    const wanted = { subjects: [EVENTS_WILDCARD], duplicate_window: nanos(DUPLICATE_WINDOW_MS) }
    let info: StreamInfo | undefined
    try {
      info = await jsm.streams.info(name)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    if (!info) {
      return jsm.streams.add({
        name,
        ...wanted,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        description: "plancast scenario events, one per message, Nats-Msg-Id = scenario/id/payload digest",
      })
    }
    const c = info.config
    if (c.duplicate_window !== wanted.duplicate_window || !(c.subjects ?? []).includes(EVENTS_WILDCARD)) {
      return jsm.streams.update(name, { ...c, subjects: [...new Set([...(c.subjects ?? []), EVENTS_WILDCARD])], duplicate_window: wanted.duplicate_window })
    }
    return info
  })

/** Creates the durable consumer (explicit acks, from the first message) unless it exists. */
export const ensureConsumer = (jsm: JetStreamManager, stream: string, durable: string): Effect.Effect<ConsumerInfo, NatsError> =>
  attempt(`create consumer ${durable} on ${stream}`, async () => {
    try {
      return await jsm.consumers.info(stream, durable)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    return jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: EVENTS_WILDCARD,
      ack_wait: nanos(10_000),
      max_ack_pending: 20_000,
      description: "plancast serve: applies each event, acknowledges it after its forecast is out",
    })
  })

/** Opens the KV bucket of latest forecasts, creating it (one value per key, file storage) when missing. */
export const ensureBucket = (nc: NatsConnection, bucket: string): Effect.Effect<KV, NatsError> =>
  attempt(`open KV bucket ${bucket}`, () => new Kvm(nc).create(bucket, { history: 1, storage: StorageType.File, description: "plancast: latest forecast per scenario" }))

/** Whether a JetStream API failure says the stream or consumer does not exist. */
export const isNotFound = (e: unknown): boolean =>
  e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamNotFound || e.code === JetStreamApiCodes.ConsumerNotFound)
