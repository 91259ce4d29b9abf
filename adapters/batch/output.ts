// Writes batch rows to standard output, a file or a stream, as `plancast batch` prints them,
// for the local batch (cli.ts, from an async generator: writeRows) and the batch over NATS
// (adapters/batch/nats-client.ts, from a Stream: writeRowStream) alike, through one RowOutput.
// Invariants: the output is opened only once the first row (or the first failure) is in, so
// bad input leaves no empty file; text is written in blocks of at most 64 KiB with back-pressure;
// the rows' iterator is closed (its worker threads stopped) and the output ended whatever
// happens, an output that cannot be opened included. Shell.
import { createWriteStream } from "node:fs"
import { once } from "node:events"
import type { Writable } from "node:stream"
import { Effect, Stream } from "effect"
import type { BatchRow } from "../../engine/index.ts"
import { oneOf, trying } from "../service/cause.ts"
import { InvalidInput } from "../files/located.ts"
import { encoderOf, type BatchFormat } from "./output-format.ts"

const openOut = async (out: string | Writable | undefined): Promise<{ stream: Writable; close: () => Promise<void> }> => {
  if (out === undefined) return { stream: process.stdout, close: async () => {} }
  if (typeof out !== "string") return { stream: out, close: async () => {} }
  const stream = createWriteStream(out)
  try {
    await once(stream, "open")
  } catch (e) {
    throw new InvalidInput({ issues: [{ file: out, path: [], problem: `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})` }] })
  }
  return { stream, close: () => new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve()))) }
}

/**
 * The output of one batch: opened on the first row (or at the end, when there is none), text
 * kept in blocks of at most 64 KiB and written with back-pressure.
 */
class RowOutput {
  private readonly encoder: ReturnType<typeof encoderOf>
  private readonly out: string | Writable | undefined
  private output: { stream: Writable; close: () => Promise<void> } | undefined
  private buffer: string

  constructor(format: BatchFormat, out: string | Writable | undefined) {
    this.encoder = encoderOf(format)
    this.out = out
    this.buffer = this.encoder.header
  }

  private async open(): Promise<void> {
    this.output ??= await openOut(this.out)
  }

  private async flush(): Promise<void> {
    if (this.buffer === "") return
    const ok = this.output!.stream.write(this.buffer)
    this.buffer = ""
    if (!ok) await once(this.output!.stream, "drain")
  }

  /** Adds a row; a Promise to await first when the output must be opened or a block written. */
  add(row: BatchRow): Promise<void> | undefined {
    this.buffer += this.encoder.line(row)
    if (!this.output) return this.open()
    if (this.buffer.length >= 1 << 16) return this.flush()
    return undefined
  }

  /** Adds rows, awaiting what add asks for. */
  async addAll(rows: Iterable<BatchRow>): Promise<void> {
    for (const row of rows) {
      const pending = this.add(row)
      if (pending) await pending
    }
  }

  /** Writes what is held and ends the output (opening it first when no row came). */
  async end(): Promise<void> {
    await this.open()
    await this.flush()
    await this.close()
  }

  /** Ends the output, if it was opened, without what is still held (after a failure). */
  async close(): Promise<void> {
    const output = this.output
    this.output = undefined
    await output?.close()
  }
}

/** Writes every row of `rows` in `format` to `out` (a file path, a stream, or standard output when undefined). */
export const writeRows = async (
  rows: AsyncGenerator<BatchRow, unknown, undefined>,
  format: BatchFormat,
  out: string | Writable | undefined,
  onDone?: () => void,
): Promise<void> => {
  const output = new RowOutput(format, out)
  try {
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const pending = output.add(next.value)
      if (pending) await pending
    }
    await output.end()
  } finally {
    // also when the output cannot be opened: closing the rows stops the batch's worker threads
    await output.close()
    onDone?.()
    await rows.return(undefined)
  }
}

/**
 * writeRows for a Stream of rows, as an Effect: the stream is read (and its resources
 * released) within it; fails with the stream's failure, or InvalidInput when the output
 * cannot be opened. `onDone` runs however it ends.
 */
export const writeRowStream = <E>(rows: Stream.Stream<BatchRow, E>, format: BatchFormat, out: string | Writable | undefined, onDone?: () => void): Effect.Effect<void, E | InvalidInput> =>
  Effect.acquireUseRelease(
    Effect.sync(() => new RowOutput(format, out)),
    (output) =>
      Stream.runForEachArray(rows, (chunk) => trying(() => output.addAll(chunk), oneOf(InvalidInput))).pipe(
        Effect.andThen(trying(() => output.end(), oneOf(InvalidInput))),
      ),
    (output) => Effect.promise(() => output.close()).pipe(Effect.ensuring(Effect.sync(() => onDone?.()))),
  )
