// The target rule: when a plan indicator's annual growth meets its target, the boundary the
// required growth and goal-seek aim at, the three outcomes of an `around` target, and the
// verdict a table may print beside a probability. One place, read by the projection (and its
// tally of targets met, engine/project/tally.ts), seek, the CLI and the report.
//
// Rule: `atLeast v` is met at annual >= v, `atMost v` at annual <= v, and `around v ± b`
// ("v左右") at annual >= v - b, the band's lower edge, as officials read it: growth above the
// band is an overshoot, not a miss. The boundary of every target is the growth at which it is
// just met (v, v, v - b). An `around` target also has outcomes: below the band
// (annual < v - b), inside it (v - b <= annual <= v + b) and above it (annual > v + b). Pure.
import type { Target } from "./schema/model.ts"

/** The annual growth at which a target is just met: atLeast and atMost their value, around its band's lower edge. */
export const targetBoundary = (target: Target): number => (target.kind === "around" ? target.value - target.band : target.value)

/** Whether an annual growth meets a target: atLeast >=, atMost <=, around at or above the band's lower edge (value - band). */
export const meetsTarget = (target: Target, annual: number): boolean =>
  target.kind === "atMost" ? annual <= target.value : annual >= targetBoundary(target)

/** Where an annual growth falls against an `around` target's band (edges inside). */
export type Outcome = "below" | "inside" | "above"

/** The band outcome of an annual growth against an `around` target; undefined for other kinds. */
export const outcomeOf = (target: Target, annual: number): Outcome | undefined => {
  if (target.kind !== "around") return undefined
  return annual < target.value - target.band ? "below" : annual > target.value + target.band ? "above" : "inside"
}

/** What a table may say of a probability of meeting a target. */
export type Verdict = "likely" | "toss-up" | "unlikely"

/** Probabilities at or above this are `likely`. */
export const LIKELY = 2 / 3
/** Probabilities at or below this are `unlikely`. */
export const UNLIKELY = 1 / 3

/**
 * The verdict of a probability: likely at 2/3 or more, unlikely at 1/3 or less, else a toss-up.
 * A table passes the probability as it shows it (a rounded percentage read back), so the word
 * never contradicts the figure beside it.
 */
export const verdictOf = (probability: number): Verdict => (probability >= LIKELY ? "likely" : probability <= UNLIKELY ? "unlikely" : "toss-up")
