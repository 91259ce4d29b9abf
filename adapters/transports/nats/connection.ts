// The NATS plumbing of plancast as scoped Effect resources: the connection (its first one tried
// with backoff until it is up or the connect timeout has passed, saying why while it waits;
// then reconnecting for ever; drained on release), the JetStream stream PLANCAST_EVENTS (created or updated), the
// durable pull consumer, and the KV bucket of latest forecasts. Every foreign failure becomes a
// NatsError naming the operation. Shell. Invariants: the stream keeps every event (limits
// retention, file storage, de-duplication window of 2 minutes); the consumer acknowledges
// explicitly and delivers from the first message; the bucket keeps one value per key; waiting
// for a first connection can always be interrupted (a signal stops it at once); no URL is shown
// with its secret (redact.ts).
import { Clock, Data, Effect, Result, Schedule, Stream, type Scope } from "effect"
import { connect, TimeoutError, type NatsConnection } from "@nats-io/transport-node"
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
import { Objm, type ObjectStore } from "@nats-io/obj"
import { addressText, connectionOptions, HANDSHAKE_TIMEOUT_MS, MAX_CONNECT_BACKOFF_MS, type NatsSettings } from "./settings.ts"
import { redactUrls } from "./redact.ts"
import { causeText, failureText } from "../../service/cause.ts"
import { EVENTS_WILDCARD } from "../../contract.ts"

/** De-duplication window of the stream (Nats-Msg-Id), in milliseconds. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000

/** A failure of a NATS operation (connect, create the stream, put in the bucket, ...). */
export class NatsError extends Data.TaggedError("NatsError")<{
  readonly operation: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return redactUrls(failureText("NATS", this.operation, this.cause))
  }
}

/** Runs a promise-returning NATS call, mapping its failure to a NatsError. */
export const attempt = <A>(operation: string, f: () => Promise<A>): Effect.Effect<A, NatsError> =>
  Effect.tryPromise({ try: f, catch: (cause) => new NatsError({ operation, cause }) })

/** Backoff of start-up calls: exponential from 100 ms, capped at 2 s, at most `times` retries. */
export const startupRetry = (times = 60) => Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("2 seconds")]).pipe(Schedule.upTo({ times }))

/** Milliseconds as the nanoseconds of JetStream configurations. */
export const nanos = (ms: number): number => ms * 1_000_000

/** The pause after failed attempt `attempt` (1-based) at a first connection: 100 ms, doubling, at most MAX_CONNECT_BACKOFF_MS. */
export const connectBackoffMs = (attempt: number): number => Math.min(MAX_CONNECT_BACKOFF_MS, 100 * 2 ** Math.min(Math.max(attempt - 1, 0), 10))

/** Repeats of the same failure to connect are logged at most this often, in milliseconds. */
const QUIET_MS = 30_000

/** Calls of nats.js `connect` not settled yet, abandoned ones included. */
let dialsUnderWay = 0

/**
 * One call of nats.js `connect`; interrupted before it settles, it closes the connection it
 * may still make (nats.js cannot cancel a dial under way).
 */
const connectOnce = (options: ReturnType<typeof connectionOptions>): Effect.Effect<NatsConnection, unknown> =>
  Effect.tryPromise({
    try: (signal) => {
      dialsUnderWay++
      const pending = connect(options)
      void pending.then(
        () => dialsUnderWay--,
        () => dialsUnderWay--,
      )
      signal.addEventListener("abort", () => void pending.then((nc) => nc.close()).catch(() => {}), { once: true })
      return pending
    },
    catch: (cause) => cause,
  })

/**
 * After a process signal has stopped a command's work: when an abandoned dial is still under
 * way (an address that never answers; nats.js leaves its socket connecting even past the
 * handshake timeout), ends the process shortly rather than waiting for the dial. Does nothing
 * otherwise, and nothing while anything else keeps the process busy for less than the grace.
 */
export const endAbandonedDials = (graceMs = 200): void => {
  if (dialsUnderWay > 0) setTimeout(() => process.exit(), graceMs).unref()
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`

/**
 * The first connection to the broker: attempts with backoff (connectBackoffMs) until one
 * succeeds or `settings.connectTimeoutMs` has passed, then a NatsError naming the address and
 * the last cause. While it has never connected it says so (the first failure, a changed cause,
 * and every 30 s). Interruptible at any point.
 */
export const firstConnection = (settings: NatsSettings, log: (line: string) => void = () => {}): Effect.Effect<NatsConnection, NatsError> => {
  const where = addressText(settings)
  const options = connectionOptions(settings)
  const limit = settings.connectTimeoutMs
  const loop = Effect.gen(function* () {
    log(`NATS: connecting to ${where}${limit === undefined ? "" : ` (giving up after ${seconds(limit)})`}`)
    const started = yield* Clock.currentTimeMillis
    let shown = ""
    let shownAt = -Infinity
    let cause: unknown
    for (let attempt = 1; ; attempt++) {
      const now = yield* Clock.currentTimeMillis
      const left = limit === undefined ? undefined : started + limit - now
      const handshake = options.timeout ?? HANDSHAKE_TIMEOUT_MS
      const timeout = Math.max(1, Math.min(handshake, left ?? Infinity))
      const result = yield* Effect.result(connectOnce({ ...options, timeout }))
      if (Result.isSuccess(result)) return result.success
      // a last attempt cut short by the deadline says less than the refusal before it
      if (cause === undefined || timeout >= handshake || !(result.failure instanceof TimeoutError)) cause = result.failure
      const why = causeText(cause) || "no reason given"
      const after = yield* Clock.currentTimeMillis
      if (limit !== undefined && after - started >= limit) {
        return yield* new NatsError({ operation: `connect to ${where} within ${seconds(limit)} (--connect-timeout)`, cause })
      }
      const wait = Math.min(connectBackoffMs(attempt), limit === undefined ? Infinity : started + limit - after)
      if (why !== shown || after - shownAt >= QUIET_MS) {
        const plan = limit === undefined ? "retrying" : `retrying until ${seconds(limit)} have passed`
        log(`NATS: never connected to ${where} (${why}); ${plan}, with backoff up to ${seconds(MAX_CONNECT_BACKOFF_MS)} (attempt ${attempt}, ${seconds(after - started)} so far)`)
        shown = why
        shownAt = after
      }
      yield* Effect.sleep(wait)
    }
  })
  if (limit === undefined) return loop
  // a hard bound too: a name lookup or a dial can outlast the handshake timeout
  return loop.pipe(
    Effect.timeoutOrElse({
      duration: limit + 1_000,
      orElse: () => Effect.fail(new NatsError({ operation: `connect to ${where} within ${seconds(limit)} (--connect-timeout)`, cause: "no answer" })),
    }),
  )
}

/**
 * A connection to the broker (firstConnection: retried until it is up or the connect timeout
 * has passed), then reconnecting by itself for ever; drained (pending publishes flushed) when
 * the scope closes. Disconnects and reconnects are logged by a fiber of the same scope.
 */
export const acquireConnection = (settings: NatsSettings, log: (line: string) => void = () => {}): Effect.Effect<NatsConnection, NatsError, Scope.Scope> =>
  Effect.gen(function* () {
    const nc = yield* Effect.acquireRelease(
      firstConnection(settings, log),
      (nc) =>
        Effect.promise(async () => {
          if (nc.isClosed()) return
          // at most 3 s for the drain; the timer must not keep the process alive after it
          let timer: ReturnType<typeof setTimeout> | undefined
          await Promise.race([nc.drain().catch(() => nc.close()), new Promise((r) => (timer = setTimeout(r, 3000)))])
          clearTimeout(timer)
          if (!nc.isClosed()) await nc.close().catch(() => {})
        }),
      // waiting for the broker must not hold off a signal
      { interruptible: true },
    )
    yield* Effect.forkScoped(
      Stream.fromAsyncIterable(nc.status(), (e) => e).pipe(
        Stream.runForEach((s) =>
          Effect.sync(() => {
            if (s.type === "disconnect") log(redactUrls(`NATS: disconnected from ${s.server}`))
            else if (s.type === "reconnect") log(redactUrls(`NATS: reconnected to ${s.server}`))
          }),
        ),
        Effect.ignore,
      ),
    )
    return nc
  })

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

/** The object store of a service's snapshots: the forecasts bucket's name with "-snapshots". */
export const snapshotBucket = (settings: NatsSettings): string => `${settings.bucket}-snapshots`

/** Opens (creating when absent) the object store of snapshots. */
export const ensureSnapshots = (nc: NatsConnection, bucket: string): Effect.Effect<ObjectStore, NatsError> =>
  attempt(`open object store ${bucket}`, () => new Objm(nc).create(bucket, { storage: StorageType.File, description: "plancast: the service's latest snapshot per consumer" }))

/** Whether a JetStream API failure says the stream or consumer does not exist. */
export const isNotFound = (e: unknown): boolean =>
  e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamNotFound || e.code === JetStreamApiCodes.ConsumerNotFound)
