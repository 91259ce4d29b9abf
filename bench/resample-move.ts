// `npm run bench:resample-move [-- --draws N] [-- --runs R] [-- --json]`: the cost of
// resample-move (engine/project/resample-move.ts) on a small model not affine in its errors,
// y = mu + exp(w) v (v an AR(1) error over 12 months, w a one-draw-per-run error, mu an
// uncertain intercept: 14 standard-normal coordinates per draw), conditioned on nine tight
// monthly releases (sd 0.1 pp). Times, interleaved round by round (best of R after a warm-up),
// project() at N draws (default 10,000) with the releases, against importance weighting alone
// (the same draws never resampled) and the unconditioned projection; reports resamplings,
// acceptance, the simulations run and each method's effective sample size. With --json the
// last line is one JSON object. Shell: clock.
import { compile } from "../engine/compile/index.ts"
import { drawPlan } from "../engine/project/draws.ts"
import { evidenceOf } from "../engine/project/evidence.ts"
import { indicatorFrames } from "../engine/project/frames.ts"
import { project } from "../engine/project/project.ts"
import { MOVES, ResampleMoveRunner } from "../engine/project/resample-move.ts"
import { fold } from "../engine/scenario/fold.ts"
import { toInputs } from "../engine/scenario/inputs.ts"
import { Model } from "../engine/schema/model.ts"
import { numberArg } from "./args.ts"
import { bestInterleaved } from "./timing.ts"

const argv = process.argv.slice(2)
const DRAWS = numberArg("draws", 10_000)
const RUNS = numberArg("runs", 3)
const say = (line: string): void => void process.stdout.write(line + "\n")

const compiled = compile(
  Model.parse({
    name: "scale",
    calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
    indicators: [{ id: "y", name: "y", kind: "flow", base: { growth: 5 }, release: { sd: 0.1 } }],
    variables: { v: { error: { dist: "normal", sd: 1 }, persistence: 0.8 }, w: { error: { dist: "normal", sd: 0.5 }, persistence: 1 } },
    parameters: { mu: { value: 5, uncertainty: { dist: "normal", sd: 1 } } },
    equations: { y: "mu + exp(w) * v", v: "0", w: "0" },
  }),
)
const V = [0.4, 0.9, 1.3, 1.1, 1.6, 1.8, 1.5, 2.0, 2.3]
const releases = V.map((_, T) => ({ id: `r${T + 1}`, type: "observe", indicator: "y", through: `2024-${String(T + 1).padStart(2, "0")}`, ytd: V.slice(0, T + 1).reduce((s, v) => s + 5.6 + 1.35 * v, 0) / (T + 1) }))
const state = fold(compiled, releases).state
const inputs = toInputs(compiled, state)
const weightsEss = (lw: Float64Array): number => {
  const ref = Math.max(...lw)
  let s = 0, s2 = 0
  for (const l of lw) (s += Math.exp(l - ref)), (s2 += Math.exp(2 * (l - ref)))
  return (s * s) / s2
}
const importance = () => new ResampleMoveRunner(compiled, drawPlan(compiled, inputs, 1), indicatorFrames(compiled), evidenceOf(compiled, inputs), 1, 2048, DRAWS, 0)
const runs = {
  "resample-move": () => project(compiled, state, { draws: DRAWS, seed: 1, scenario: "releases" }),
  importance,
  unconditioned: () => project(compiled, fold(compiled, []).state, { draws: DRAWS, seed: 1, scenario: "prior" }),
}
const names = Object.keys(runs) as (keyof typeof runs)[]
const times = bestInterleaved(RUNS, names.map((n) => () => void runs[n]()))
const best = Object.fromEntries(names.map((n, k) => [n, times[k]!])) as Record<keyof typeof runs, number>
const e = runs["resample-move"]().evidence!
const essImportance = weightsEss(importance().run(0, DRAWS).logWeight)
const simulations = DRAWS * (1 + (e.resamplings ?? 0) * MOVES)
say(`project() at ${DRAWS.toLocaleString("en-US")} draws, nine releases, best of ${RUNS} (ms):`)
for (const n of names) say(`  ${n.padEnd(14)} ${best[n].toFixed(0).padStart(8)}`)
say(`  resample-move: ${e.resamplings} resamplings, ${MOVES} sweeps each, acceptance ${(100 * (e.acceptance ?? 0)).toFixed(1)}%, ${simulations.toLocaleString("en-US")} path simulations`)
say(`  effective sample size: resample-move ${e.ess.toFixed(0)}, importance weights alone ${essImportance.toFixed(1)} of ${DRAWS}`)
if (argv.includes("--json")) say(JSON.stringify({ draws: DRAWS, ms: best, resamplings: e.resamplings, acceptance: e.acceptance, simulations, ess: { resampleMove: e.ess, importance: essImportance } }))
