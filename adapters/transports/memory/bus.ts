// The in-process bus: the embedded, broker-free event source and forecast sink (`layerMemory`),
// and the reference implementation the contract tests hold the NATS and stdio layers to. It
// mimics the JetStream semantics the service relies on: an append-only log with sequences from
// 1, de-duplication of a repeated message id, acknowledgement per message, redelivery of what
// was never acknowledged to a new consumer, redelivery on demand (for tests), and a snapshot
// store of one object.
// Shell (Effect layer over mutable in-process state).
// Invariants: sequences are contiguous from 1; a message is acknowledged at most once; the live
// stream first offers every unacknowledged message, then each new one in order.
import { Effect, Layer, Queue, Stream } from "effect"
import { eventsSubject, scenarioOfSubject } from "../../contract.ts"
import { EventSource, type SourceMessage } from "../../service/event-source.ts"
import { ForecastSink, type Forecast, type Rejection } from "../../service/forecast-sink.ts"
import { SnapshotStore } from "../../service/snapshot.ts"

/** One stored message of the bus. */
export interface MemoryMessage {
  readonly sequence: number
  readonly subject: string
  readonly data: Uint8Array | string
  readonly messageId?: string
}

/** An in-process message bus with a JetStream-like event log and a record of what the service emitted. */
export class MemoryBus {
  /** The event log, index = sequence - 1. */
  readonly log: MemoryMessage[] = []
  readonly acknowledged = new Set<number>()
  /** Every forecast published, in order. */
  readonly forecasts: Forecast[] = []
  /** The latest forecast per scenario (the KV bucket). */
  readonly latest = new Map<string, Forecast>()
  readonly rejections: Rejection[] = []
  /** The service's latest snapshot (the object store). */
  snapshot: Uint8Array | undefined
  private readonly ids = new Set<string>()
  private readonly consumers = new Set<(m: MemoryMessage) => void>()

  /** Appends a message (unless its id is a duplicate) and offers it to the live consumers. */
  publish(subject: string, data: Uint8Array | string, options: { messageId?: string } = {}): { sequence: number; duplicate: boolean } {
    if (options.messageId !== undefined && this.ids.has(options.messageId)) {
      const prior = this.log.find((m) => m.messageId === options.messageId)
      return { sequence: prior?.sequence ?? 0, duplicate: true }
    }
    if (options.messageId !== undefined) this.ids.add(options.messageId)
    const message: MemoryMessage = { sequence: this.log.length + 1, subject, data, messageId: options.messageId }
    this.log.push(message)
    for (const deliver of this.consumers) deliver(message)
    return { sequence: message.sequence, duplicate: false }
  }

  /** Publishes one event to `plancast.events.<scenario>`, its id as message id (when it has one). */
  publishEvent(scenario: string, event: unknown, options: { messageId?: string } = {}): { sequence: number; duplicate: boolean } {
    const id = event !== null && typeof event === "object" && typeof (event as { id?: unknown }).id === "string" ? (event as { id: string }).id : undefined
    return this.publish(eventsSubject(scenario), JSON.stringify(event), { messageId: options.messageId ?? id })
  }

  /** Offers a stored message again to the live consumers (as a broker redelivers an unacknowledged one). */
  redeliver(sequence: number): void {
    const message = this.log[sequence - 1]
    if (message) for (const deliver of this.consumers) deliver(message)
  }

  /** Number of live consumers attached. */
  get consumerCount(): number {
    return this.consumers.size
  }

  /** @internal */
  attach(deliver: (m: MemoryMessage) => void): () => void {
    this.consumers.add(deliver)
    return () => this.consumers.delete(deliver)
  }
}

const toSource = (bus: MemoryBus, m: MemoryMessage, history: boolean): SourceMessage => ({
  scenario: scenarioOfSubject(m.subject),
  subject: m.subject,
  data: m.data,
  sequence: m.sequence,
  messageId: m.messageId,
  acknowledged: history ? bus.acknowledged.has(m.sequence) : undefined,
  ack: history ? Effect.void : Effect.sync(() => void bus.acknowledged.add(m.sequence)),
})

/** The event source and forecast sink over a MemoryBus. The live stream never ends (interrupt it). */
export const layerMemory = (bus: MemoryBus): Layer.Layer<EventSource | ForecastSink | SnapshotStore> =>
  Layer.mergeAll(
    Layer.succeed(EventSource, {
      history: (after) => Stream.suspend(() => Stream.fromIterable(bus.log.slice(after).map((m) => toSource(bus, m, true)))),
      live: Stream.callback<SourceMessage>((queue) =>
        Effect.acquireRelease(
          Effect.sync(() => {
            const detach = bus.attach((m) => void Queue.offerUnsafe(queue, toSource(bus, m, false)))
            for (const m of bus.log) if (!bus.acknowledged.has(m.sequence)) Queue.offerUnsafe(queue, toSource(bus, m, false))
            return detach
          }),
          (detach) => Effect.sync(detach),
        ),
      ),
    }),
    Layer.succeed(SnapshotStore, {
      load: Effect.sync(() => bus.snapshot),
      save: (bytes) => Effect.sync(() => void (bus.snapshot = bytes)),
    }),
    Layer.succeed(ForecastSink, {
      publish: (forecast) => Effect.sync(() => void bus.forecasts.push(forecast)),
      putLatest: (forecast) => Effect.sync(() => void bus.latest.set(forecast.scenario, forecast)),
      reject: (rejection) => Effect.sync(() => void bus.rejections.push(rejection)),
    }),
  )
