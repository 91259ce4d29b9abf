// The JetStream resources of distributed batches: the work-queue stream PLANCAST_JOBS, the
// results stream PLANCAST_RESULTS, the durable pull consumer every worker shares, and the
// look-up of the jobs still queued for a batch. Created on first use by whichever side
// comes first (client or worker), then reused. Shell (NATS calls as Effects failing with
// NatsError, retried at start-up by the callers).
// Invariants (nats-server 2.9): PLANCAST_JOBS has work-queue retention (a job is deleted
// when a worker acknowledges it), so exactly one consumer (WORKERS_CONSUMER, filter
// `plancast.jobs.>`) reads it; both streams de-duplicate on Nats-Msg-Id over
// DUPLICATE_WINDOW_MS; results are kept RESULTS_MAX_AGE_MS so a dead client can resume.
import { Effect, Schedule } from "effect"
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream"
import { attempt, DUPLICATE_WINDOW_MS, isNotFound, nanos, type NatsError } from "../transports/nats/connection.ts"
import { JOBS_STREAM, JOBS_WILDCARD, RESULTS_STREAM, RESULTS_WILDCARD, WORKERS_CONSUMER } from "./nats-messages.ts"

/** How long results stay in PLANCAST_RESULTS (a batch can be resumed or re-gathered that long): 7 days. */
export const RESULTS_MAX_AGE_MS = 7 * 24 * 3600 * 1000
/** Default ack wait of the workers' consumer: a job not acknowledged (nor marked in progress) that long goes to another worker. */
export const DEFAULT_ACK_WAIT_MS = 30_000

/** Backoff of a JetStream publish of a job or a result: exponential from 200 ms, capped at 3 s, at most 20 retries. */
export const publishRetry = Schedule.min([Schedule.exponential("200 millis"), Schedule.spaced("3 seconds")]).pipe(Schedule.upTo({ times: 20 }))

const ensure = (jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string; subjects: string[] }): Promise<StreamInfo> =>
  (async () => {
    let info: StreamInfo | undefined
    try {
      info = await jsm.streams.info(config.name)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    if (!info) {
      try {
        return await jsm.streams.add(config)
      } catch (e) {
        // another client or worker created it meanwhile
        return await jsm.streams.info(config.name).catch(() => Promise.reject(e))
      }
    }
    const subjects = info.config.subjects ?? []
    if (!config.subjects.every((s) => subjects.includes(s))) return jsm.streams.update(config.name, { ...info.config, subjects: [...new Set([...subjects, ...config.subjects])] })
    return info
  })()

/** Creates PLANCAST_JOBS (work-queue retention, file storage, de-duplication) unless it exists. */
export const ensureJobsStream = (jsm: JetStreamManager): Effect.Effect<StreamInfo, NatsError> =>
  attempt(`create stream ${JOBS_STREAM}`, () =>
    ensure(jsm, {
      name: JOBS_STREAM,
      subjects: [JOBS_WILDCARD],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      description: "plancast batch jobs: one chunk of a batch per message, Nats-Msg-Id = <batch>:<job>",
    }),
  )

/** Creates PLANCAST_RESULTS (limits retention, kept RESULTS_MAX_AGE_MS, de-duplication) unless it exists. */
export const ensureResultsStream = (jsm: JetStreamManager): Effect.Effect<StreamInfo, NatsError> =>
  attempt(`create stream ${RESULTS_STREAM}`, () =>
    ensure(jsm, {
      name: RESULTS_STREAM,
      subjects: [RESULTS_WILDCARD],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(RESULTS_MAX_AGE_MS),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      description: "plancast batch results: the rows of one job per message, Nats-Msg-Id = <batch>:<job>",
    }),
  )

/** Both streams. */
export const ensureStreams = (jsm: JetStreamManager): Effect.Effect<void, NatsError> =>
  Effect.all([ensureJobsStream(jsm), ensureResultsStream(jsm)]).pipe(Effect.asVoid)

/**
 * The durable pull consumer all workers share (explicit acks, `ackWaitMs`), created unless it
 * exists; an existing one keeps its own ack wait (read it from the returned info).
 */
export const ensureWorkersConsumer = (jsm: JetStreamManager, ackWaitMs: number, durable = WORKERS_CONSUMER): Effect.Effect<ConsumerInfo, NatsError> =>
  attempt(`create consumer ${durable} on ${JOBS_STREAM}`, async () => {
    try {
      return await jsm.consumers.info(JOBS_STREAM, durable)
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    try {
      return await jsm.consumers.add(JOBS_STREAM, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: JOBS_WILDCARD,
        ack_wait: nanos(ackWaitMs),
        max_ack_pending: 10_000,
        description: "plancast workers: a job is acknowledged once its result is stored",
      })
    } catch (e) {
      return await jsm.consumers.info(JOBS_STREAM, durable).catch(() => Promise.reject(e))
    }
  })

/** The job numbers of `batch` still in PLANCAST_JOBS (waiting, or taken and not yet acknowledged). */
export const queuedJobs = (jsm: JetStreamManager, batch: string): Effect.Effect<Set<number>, NatsError> =>
  attempt(`list the queued jobs of ${batch}`, async () => {
    const prefix = `plancast.jobs.${batch}.`
    const info = await jsm.streams.info(JOBS_STREAM, { subjects_filter: `${prefix}*` }).catch((e: unknown) => {
      if (isNotFound(e)) return undefined
      throw e
    })
    if (!info) return new Set<number>()
    const out = new Set<number>()
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const n = Number(subject.slice(prefix.length))
      if (Number.isInteger(n)) out.add(n)
    }
    return out
  })

/** How many messages PLANCAST_RESULTS holds on one subject (0 when none). */
export const storedCount = (jsm: JetStreamManager, subject: string): Effect.Effect<number, NatsError> =>
  attempt(`count the messages on ${subject}`, async () => {
    const info = await jsm.streams.info(RESULTS_STREAM, { subjects_filter: subject }).catch((e: unknown) => {
      if (isNotFound(e)) return undefined
      throw e
    })
    return info?.state.subjects?.[subject] ?? 0
  })
