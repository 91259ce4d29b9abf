// The standard input/output layer of the event-driven service (`serve --stdio`): NDJSON events
// in, one per line with a `scenario` field; one projection JSON line per changed scenario per
// batch out; one rejection JSON line per refused line on the error stream. Shell (Effect layer
// over Node streams; tests pass in-process streams).
// Invariants: the sequence of a message is its 1-based line number; blank lines are skipped;
// the live stream ends at end of input, so the serve loop ends after the last batch's output;
// there is no history and nothing to acknowledge.
import type { Readable, Writable } from "node:stream"
import { createInterface } from "node:readline"
import { Cause, Effect, Layer, Queue, Stream } from "effect"
import { EventSource, type SourceMessage } from "../../service/event-source.ts"
import { TransportError } from "../../service/cause.ts"
import { ForecastSink } from "../../service/forecast-sink.ts"

export interface StdioStreams {
  /** NDJSON events (process.stdin). */
  readonly input: Readable
  /** Projection lines (process.stdout). */
  readonly output: Writable
  /** Rejection lines (process.stderr). */
  readonly errors: Writable
}

const write = (stream: Writable, line: string, operation: string) =>
  Effect.callback<void, TransportError>((resume) => {
    const ok = stream.write(line + "\n", (err) => {
      if (err) resume(Effect.fail(new TransportError({ transport: "stdio", operation, cause: err })))
    })
    // honour back-pressure: a full buffer waits for its drain
    if (ok) resume(Effect.void)
    else stream.once("drain", () => resume(Effect.void))
  })

/**
 * Event source and forecast sink over NDJSON streams. Rejection lines carry `line` (the 1-based
 * line number), `id` where the line had one, `scenario` and `reasons`.
 */
export const layerStdio = (streams: StdioStreams): Layer.Layer<EventSource | ForecastSink> =>
  Layer.mergeAll(
    Layer.succeed(EventSource, {
      history: () => Stream.empty,
      live: Stream.callback<SourceMessage, TransportError>((queue) =>
        Effect.acquireRelease(
          Effect.sync(() => {
            const lines = createInterface({ input: streams.input, crlfDelay: Infinity })
            let n = 0
            lines.on("line", (text) => {
              n++
              if (text.trim() === "") return
              Queue.offerUnsafe(queue, { scenario: undefined, subject: "stdin", data: text, sequence: n, ack: Effect.void })
            })
            lines.on("close", () => Queue.endUnsafe(queue))
            streams.input.on("error", (cause) => Queue.failCauseUnsafe(queue, Cause.fail(new TransportError({ transport: "stdio", operation: "read", cause }))))
            return lines
          }),
          (lines) => Effect.sync(() => lines.close()),
        ),
      ),
    }),
    Layer.succeed(ForecastSink, {
      publish: (forecast) => write(streams.output, JSON.stringify(forecast), "write a projection"),
      putLatest: () => Effect.void,
      reject: (r) =>
        write(
          streams.errors,
          JSON.stringify({ line: r.sequence, ...(r.id !== undefined ? { id: r.id } : {}), scenario: r.scenario, reasons: r.reasons, raw: r.raw, encoding: r.encoding, ...(r.truncated ? { truncated: true } : {}) }),
          "write a rejection",
        ),
    }),
  )
