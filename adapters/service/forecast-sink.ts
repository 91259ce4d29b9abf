// The forecast sink seam of the event-driven service: where projections and rejections go
// (memory bus, NDJSON on standard output/error, NATS subjects and the KV bucket). Shell: an
// Effect service; layers `layerMemory`, `layerStdio`, `layerNats` as for the event source.
// Invariants: `publish` and `putLatest` receive the same document for one scenario and batch;
// the serve loop acknowledges a batch's messages only after both (and every rejection) succeeded.
import { Context, type Effect } from "effect"
import type { News, Projection } from "../../engine/index.ts"
import type { TransportError } from "./cause.ts"

/**
 * A projection (engine/schema/projection.ts) plus `sequence`, the last applied message's
 * sequence, and `news`, what the events since the scenario's previous forecast did to it
 * (engine/schema/news.ts, the `explain --news` contract).
 */
export type Forecast = Projection & { readonly sequence: number; readonly news: News }

/** A refused message, as published on `plancast.rejected.<scenario>` (or written to standard error). */
export interface Rejection {
  /** The scenario the message was for, or `_` when it cannot be determined. */
  readonly scenario: string
  /** The payload as text, or base64 when it is not UTF-8 (`encoding` says which); cut to a bounded size (`truncated`). */
  readonly raw: string
  readonly encoding: "utf-8" | "base64"
  /** Payload size in bytes. */
  readonly size: number
  readonly truncated?: boolean
  /** Why it was refused, one reason per problem. */
  readonly reasons: readonly string[]
  /** The event id, when the payload had a string one (or the message id header). */
  readonly id?: string
  /** Position in the source (stream sequence, or line number on standard input). */
  readonly sequence: number
  /** The transport address it arrived on. */
  readonly subject: string
}

/** Where forecasts and rejections go. */
export class ForecastSink extends Context.Service<
  ForecastSink,
  {
    /** Announces a scenario's new forecast (`plancast.forecasts.<scenario>`, a standard output line). */
    readonly publish: (forecast: Forecast) => Effect.Effect<void, TransportError>
    /** Stores the scenario's latest forecast (KV bucket `plancast-forecasts`, key `<scenario>`); a no-op where there is no store. */
    readonly putLatest: (forecast: Forecast) => Effect.Effect<void, TransportError>
    /** Reports a refused message (`plancast.rejected.<scenario>`, a standard error line). */
    readonly reject: (rejection: Rejection) => Effect.Effect<void, TransportError>
  }
>()("plancast/ForecastSink") {}
