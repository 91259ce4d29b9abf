// Writes batch rows to standard output, a file or a stream, as `plancast batch` prints them,
// for the local batch (cli.ts) and the batch over NATS (adapters/batch/nats-client.ts) alike.
// Invariants: the output is opened only once the first row (or the first failure) is in, so
// bad input leaves no empty file; text is written in blocks of at most 64 KiB with back-pressure;
// the rows' iterator is closed (its worker threads stopped) and the output ended whatever
// happens, an output that cannot be opened included. Shell.
import { createWriteStream } from "node:fs"
import { once } from "node:events"
import type { Writable } from "node:stream"
import type { BatchRow } from "../../engine/index.ts"
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

/** Writes every row of `rows` in `format` to `out` (a file path, a stream, or standard output when undefined). */
export const writeRows = async (
  rows: AsyncGenerator<BatchRow, unknown, undefined>,
  format: BatchFormat,
  out: string | Writable | undefined,
  onDone?: () => void,
): Promise<void> => {
  const encoder = encoderOf(format)
  try {
    let next = await rows.next()
    const output = await openOut(out)
    let buffer = encoder.header
    const flush = async (): Promise<void> => {
      if (buffer === "") return
      const ok = output.stream.write(buffer)
      buffer = ""
      if (!ok) await once(output.stream, "drain")
    }
    try {
      while (!next.done) {
        buffer += encoder.line(next.value)
        if (buffer.length >= 1 << 16) await flush()
        next = await rows.next()
      }
      await flush()
    } finally {
      await output.close()
    }
  } finally {
    // also when the output cannot be opened: closing the rows stops the batch's worker threads
    onDone?.()
    await rows.return(undefined)
  }
}
