// The ordered window of a batch: results arrive in any order (worker threads, workers on the
// bus) and leave in job order, with at most `width` jobs ahead of the output, so memory stays
// bounded for any batch size. Used by the local runner (local-runner.ts) and the NATS client
// (nats-client.ts) alike. Shell-side state, no I/O.
// Invariants: `take` yields position 0, 1, 2, ... once each; a result for a position already
// taken, or put twice, is ignored (the first stands); after `fail`, every wait rejects with the
// first failure.

/** Results by position, released in order. */
export class OrderedWindow<T> {
  private readonly results = new Map<number, T>()
  private waiters: (() => void)[] = []
  private failure: Error | undefined
  /** The next position to take: every position before it has been released. */
  released = 0

  /** Positions that may be in flight or waiting ahead of the output. */
  readonly width: number

  constructor(width: number) {
    this.width = width
  }

  /** Whether a failure has been recorded. */
  get failed(): boolean {
    return this.failure !== undefined
  }

  /** Whether position `i` may be started now: it is inside the window. */
  admits(i: number): boolean {
    return i < this.released + this.width
  }

  /** Whether position `i` has its result (waiting, or already taken). */
  has(i: number): boolean {
    return i < this.released || this.results.has(i)
  }

  /** Stores the result of position `i`; false when it was already there or taken (a duplicate). */
  put(i: number, result: T): boolean {
    if (this.has(i)) return false
    this.results.set(i, result)
    this.wake()
    return true
  }

  /** Fails every wait, now and later, with `e` (the first failure stands). */
  fail(e: unknown): void {
    this.failure ??= e instanceof Error ? e : new Error(String(e))
    this.wake()
  }

  /** Wakes the waits so they re-check their conditions (something else changed). */
  wake(): void {
    const ws = this.waiters
    this.waiters = []
    for (const w of ws) w()
  }

  /** Resolves once `cond` holds, re-checking on every wake; rejects on failure. `onWake` runs on each wake while waiting. */
  async until(cond: () => boolean, onWake?: () => void): Promise<void> {
    while (!cond()) {
      if (this.failure) throw this.failure
      await new Promise<void>((resolve) => this.waiters.push(resolve))
      onWake?.()
    }
    if (this.failure) throw this.failure
  }

  /** The result of the next position, once it is in; the window moves on by one. */
  async take(onWake?: () => void): Promise<T> {
    const i = this.released
    await this.until(() => this.results.has(i), onWake)
    const result = this.results.get(i)!
    this.results.delete(i)
    this.released = i + 1
    return result
  }
}
