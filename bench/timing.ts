// The benchmarks' wall-clock timing: one run's time, the best time of a function over runs after a warm-up, and
// the best times of several functions timed in turn, round after round, so that on a machine
// whose load changes each gets the same chances. Shell (reads the clock).

/** Wall time (ms) of one run of `f`. */
export const elapsed = (f: () => void): number => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

/** Best wall time (ms) of `runs` runs of `f` after one warm-up run. */
export const best = (runs: number, f: () => void): number => bestInterleaved(runs, [f])[0]!

/** Best wall times (ms) of several functions timed in turn, round after round, after one warm-up round. */
export const bestInterleaved = (runs: number, fs: readonly (() => void)[]): number[] => {
  for (const f of fs) f()
  const min = fs.map(() => Infinity)
  for (let i = 0; i < runs; i++)
    fs.forEach((f, k) => {
      min[k] = Math.min(min[k]!, elapsed(f))
    })
  return min
}
