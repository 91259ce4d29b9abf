// Scores of a forecast against what happened: the one place for the scoring rules that
// `calibrate` (against simulated worlds) and `backtest` (against real outcomes) share.
//   - coverage: whether the outcome lies in the 50% (p25..p75) and 90% (p05..p95) bands, edges inside;
//   - PIT: the bin of the predictive cdf at the outcome in a 10-bin histogram (the cdf itself is
//     WeightedSketch.cdf: weight below, half of any weight at it);
//   - CRPS of a weighted ensemble: E|X - y| - E|X - X'|/2 with X, X' independent draws of the
//     weighted empirical distribution (a point mass gives the absolute error);
//   - Brier score of a probability of meeting a target, (p - met)^2, met by engine/target.ts;
//   - log score, -ln of the probability given to what happened, with p clipped to
//     [1/(N+1), N/(N+1)] for N draws, so a share of 0 or 1 out of N draws scores finitely.
// CRPS, Brier and log score are negatively oriented: lower is better. Pure.
import type { Band } from "../schema/projection.ts"

/** Whether y lies in [lo, hi] (edges inside). */
export const inside = (y: number, lo: number, hi: number): boolean => y >= lo && y <= hi

/** Whether y lies in the 50% band (p25..p75) and the 90% band (p05..p95). */
export const coverage = (band: Pick<Band, "p05" | "p25" | "p75" | "p95">, y: number): { readonly inside50: boolean; readonly inside90: boolean } => ({
  inside50: inside(y, band.p25, band.p75),
  inside90: inside(y, band.p05, band.p95),
})

/** The bin (0..bins-1) of a share in [0, 1] cut into `bins` equal bins, 1 in the last. */
export const binOf = (u: number, bins = 10): number => Math.min(bins - 1, Math.max(0, Math.floor(u * bins)))

/** Brier score of one probability forecast of a yes/no outcome: (p - met)^2, in [0, 1]. */
export const brierScore = (p: number, met: boolean): number => (p - (met ? 1 : 0)) ** 2

/**
 * Log score of one probability forecast: -ln of the probability given to what happened, p
 * first clipped to [1/(N+1), N/(N+1)] for a share of N draws. Throws RangeError for N < 1.
 */
export const logScore = (p: number, met: boolean, draws: number): number => {
  if (!(draws >= 1)) throw new RangeError(`a log score needs at least one draw, not ${draws}`)
  const q = Math.min(draws / (draws + 1), Math.max(1 / (draws + 1), p))
  return -Math.log(met ? q : 1 - q)
}

/**
 * The order of an ensemble's values, ascending (ties by index), for `crps` of several outcomes
 * against one ensemble without sorting it again.
 */
export const ascending = (values: ArrayLike<number>): Uint32Array => {
  const order = new Uint32Array(values.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((a, b) => values[a] - values[b] || a - b)
}

/**
 * CRPS of the weighted empirical distribution of `values` (weights >= 0, any scale; all 1 when
 * omitted) at the outcome y, shifted by `shift` (the ensemble values + shift are scored). In
 * O(N) given `order` (ascending(values)): E|X - y| - sum_{i>j} w_i w_j (x_i - x_j) over the
 * sorted values with normalised weights. NaN without weight.
 */
export const crps = (values: ArrayLike<number>, weights: ArrayLike<number> | undefined, y: number, order: ArrayLike<number> = ascending(values), shift = 0): number => {
  let total = 0
  for (let k = 0; k < order.length; k++) total += weights === undefined ? 1 : weights[order[k]]
  if (!(total > 0)) return Number.NaN
  const target = y - shift
  let absError = 0
  let spread = 0
  let below = 0 // normalised weight of the values before this one
  let belowX = 0 // their weighted sum
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    const w = (weights === undefined ? 1 : weights[i]) / total
    if (w === 0) continue
    const x = values[i]
    absError += w * Math.abs(x - target)
    spread += w * (x * below - belowX)
    below += w
    belowX += w * x
  }
  return absError - spread
}
