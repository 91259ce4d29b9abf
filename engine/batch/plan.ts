// The batch plan: which scenarios, which grid of assumptions, how many draws, which seed; the
// checks of those options, and the order of the jobs (one job = one scenario at one grid
// point). Sits between the command line / library call and job.ts; pure.
//
// Seeds: common random numbers. Every job projects with the batch's own seed. The engine's
// random streams are keyed by (seed, source, draw) (engine/project/rng.ts), and a grid point
// adds only deterministic shocks, so every job sees the very same noise: the difference
// between two grid points (or two scenarios) is the effect of the assumptions, not sampling
// noise, and a job's rows depend on nothing but (scenario, point, draws, seed) - never on
// which worker ran it, on the chunking, or on the number of workers.
//
// Order: scenario-major (in the order given), then grid points (last axis fastest, see
// grid.ts), then the model's indicators in model order. Job k is scenario
// floor(k / grid.size), point k mod grid.size.
import { OptionError } from "../errors.ts"
import { MAX_DRAWS } from "../project/project.ts"
import { MAX_GRID_POINTS, parseGrid, gridPoint, type Grid, type GridPoint } from "./grid.ts"

/** A scenario of a batch: where the shell loads it from (its rows carry the name the file gives it). */
export interface BatchScenarioRef {
  /** A scenario file path (resolved by the shell, relative to the working directory). */
  readonly file: string
}

/** A validated batch: everything a worker needs to compute any job of it. Plain data (structured-cloneable). */
export interface BatchPlan {
  readonly scenarios: readonly BatchScenarioRef[]
  /** The `--grid` arguments as given (kept so workers can rebuild the same grid). */
  readonly gridSpecs: readonly string[]
  readonly grid: Grid
  /** Monte Carlo draws per job; 0 = the deterministic projection. */
  readonly draws: number
  /** The seed of every job (common random numbers). */
  readonly seed: number
}

/** What a caller gives to build a plan; defaults: no grid, 0 draws (deterministic), seed 1. */
export interface BatchOptions {
  readonly scenarios: readonly string[]
  readonly grids?: readonly string[]
  readonly draws?: number
  readonly seed?: number
}

/** Refuses a draw count that is not an integer in [0, MAX_DRAWS]. */
export const checkDraws = (draws: number): number => {
  if (!Number.isInteger(draws) || draws < 0)
    throw new OptionError({ option: "--draws", problem: `must be a whole number >= 0 (0 = deterministic), not ${draws}` })
  if (draws > MAX_DRAWS)
    throw new OptionError({ option: "--draws", problem: `${draws} is more than the ${MAX_DRAWS.toLocaleString("en")} draws a batch job may take` })
  return draws
}

/** Refuses a seed that is not a safe integer. */
export const checkSeed = (seed: number): number => {
  if (!Number.isSafeInteger(seed)) throw new OptionError({ option: "--seed", problem: `must be a whole number with |seed| < 2^53, not ${seed}` })
  return seed
}

/**
 * Builds and checks a plan from options. Throws OptionError for no scenario, a malformed or
 * too large grid, bad draws or seed. Grid ids are checked against the models later
 * (`checkGridIds`), when the shell has loaded them.
 */
export const planBatch = (options: BatchOptions): BatchPlan => {
  if (options.scenarios.length === 0) throw new OptionError({ option: "batch", problem: "needs at least one scenario file" })
  const gridSpecs = [...(options.grids ?? [])]
  const grid = parseGrid(gridSpecs)
  if (grid.size * options.scenarios.length > MAX_GRID_POINTS)
    throw new OptionError({
      option: "--grid",
      problem: `${options.scenarios.length} scenarios x ${grid.size} grid points make more than ${MAX_GRID_POINTS.toLocaleString("en")} projections`,
    })
  return {
    scenarios: options.scenarios.map((file) => ({ file })),
    gridSpecs,
    grid,
    draws: checkDraws(options.draws ?? 0),
    seed: checkSeed(options.seed ?? 1),
  }
}

/** The number of jobs (projections) of a plan. */
export const jobCount = (plan: BatchPlan): number => plan.scenarios.length * plan.grid.size

/** Job `k` of a plan: its scenario's position and its grid point. */
export interface BatchJob {
  readonly index: number
  readonly scenario: number
  readonly point: GridPoint
}

/** The job at position `k` (0 <= k < jobCount(plan)); throws RangeError outside. */
export const jobAt = (plan: BatchPlan, k: number): BatchJob => {
  if (!(Number.isInteger(k) && k >= 0 && k < jobCount(plan))) throw new RangeError(`job ${k} outside 0..${jobCount(plan) - 1}`)
  return { index: k, scenario: Math.floor(k / plan.grid.size), point: gridPoint(plan.grid, k % plan.grid.size) }
}
