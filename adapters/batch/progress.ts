// A one-line progress bar for long batches, drawn on a terminal stream (standard error) with
// carriage returns, at most ten times a second, and erased when done. Shell: writes to the
// stream it is given; the caller decides whether that stream is a terminal.
import type { Writable } from "node:stream"

/** A progress bar: `update(done, total)` redraws (throttled), `done()` erases the line. */
export interface ProgressBar {
  readonly update: (done: number, total: number) => void
  readonly done: () => void
}

const WIDTH = 30

/** The text of the bar for `done` of `total` jobs, with the time left at `rate` jobs per second (none when unknown). Pure. */
export const progressLine = (done: number, total: number, rate?: number): string => {
  const share = total > 0 ? Math.min(1, done / total) : 1
  const filled = Math.round(share * WIDTH)
  const eta = rate !== undefined && rate > 0 && done < total ? ` eta ${Math.ceil((total - done) / rate)}s` : ""
  return `batch [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done}/${total} projections${eta}`
}

/**
 * A progress bar on `stream` for `total` jobs. The rate behind the time left is measured from
 * the first update on, so the workers' start-up does not skew it.
 */
export const progressBar = (stream: Writable, total: number, now: () => number = () => performance.now()): ProgressBar => {
  let first: { t: number; done: number } | undefined
  let last = -Infinity
  let drawn = false
  return {
    update: (done, all = total) => {
      const t = now()
      first ??= { t, done }
      if (t - last < 100 && done < all) return
      last = t
      drawn = true
      const rate = t > first.t ? ((done - first.done) * 1000) / (t - first.t) : undefined
      stream.write(`\r${progressLine(done, all, rate)}\x1b[K`)
    },
    done: () => {
      if (drawn) stream.write("\r\x1b[K")
    },
  }
}
