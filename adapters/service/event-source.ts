// The event source seam of the event-driven service: where scenario messages come from (memory
// bus, NDJSON on standard input, a JetStream consumer). A source offers two streams: `history`,
// the messages stored before the service started (replayed to rebuild every scenario), and
// `live`, the messages to process and acknowledge. Shell: an Effect service; the layers are
// `layerMemory` (adapters/memory), `layerStdio` (adapters/stdio) and `layerNats` (adapters/nats).
// Invariants: sequences grow along each stream; a live message may repeat one of the history or
// an earlier live one (a redelivery): the serve loop recognises it by sequence and event id.
import { Context, type Effect, type Stream } from "effect"
import type { TransportError } from "./cause.ts"

/** One message as it arrived, before any decoding. */
export interface SourceMessage {
  /**
   * The scenario named by the transport's addressing (the last token of `plancast.events.<scenario>`),
   * undefined where only the payload's `scenario` field can tell (standard input), or where the
   * subject has no single scenario token.
   */
  readonly scenario: string | undefined
  /** The transport address, for rejection reports (subject on NATS, `stdin` on standard input). */
  readonly subject: string
  /** The payload as received: bytes (any bytes, not necessarily UTF-8) or text. */
  readonly data: Uint8Array | string
  /** Position in the source: the stream sequence on NATS, the line number on standard input. */
  readonly sequence: number
  /** The `Nats-Msg-Id` header (or equivalent) when present. */
  readonly messageId?: string
  /** History only: the message was acknowledged by an earlier run (so its rejection, if any, was reported then). */
  readonly acknowledged?: boolean
  /** Acknowledges the message (a no-op for history and for sources without acknowledgements). */
  readonly ack: Effect.Effect<void, TransportError>
}

/** Where scenario messages come from. */
export class EventSource extends Context.Service<
  EventSource,
  {
    /** Messages stored before the service started with a sequence above `after` (a snapshot's), in sequence order; finite. Not acknowledged by the serve loop. */
    readonly history: (after: number) => Stream.Stream<SourceMessage, TransportError>
    /** Messages to apply, then acknowledge; unbounded on a broker, ends at end of input on standard input. */
    readonly live: Stream.Stream<SourceMessage, TransportError>
  }
>()("plancast/EventSource") {}
