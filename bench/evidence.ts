// `npm run bench:evidence [-- --draws N] [-- --runs R] [-- --worlds W] [-- --calibrate-draws M] [-- --json]`:
// the cost of releases as evidence on the Duji model. Times, interleaved round by round (best
// of R after a warm-up), project() of the releases scenario (41 releases through September)
// at N draws (default 100,000) conditioned on the releases (closed form per draw, weighted)
// against the same projection with every draw forced onto the releases (the old rule) and the
// unconditioned baseline; reports the conditioned projection's effective sample size; then
// times one `calibrate` of W worlds x M draws (default 400 x 2,000). With --json the last line
// is one JSON object. Shell: files, clock.
import { calibrate, project, toInputs } from "../engine/index.ts"
import { loadScenarioStrict } from "../adapters/files/load.ts"
import { numberArg } from "./args.ts"
import { bestInterleaved } from "./timing.ts"

const argv = process.argv.slice(2)
const DRAWS = numberArg("draws", 100_000)
const RUNS = numberArg("runs", 3)
const WORLDS = numberArg("worlds", 400)
const CAL_DRAWS = numberArg("calibrate-draws", 2000)
const say = (line: string): void => void process.stdout.write(line + "\n")

const releases = await loadScenarioStrict("scenarios/duji-2024/releases-2024.yaml")
const baseline = await loadScenarioStrict("scenarios/duji-2024/baseline.yaml")
const runs = {
  conditioned: () => project(releases.compiled, releases.state, { draws: DRAWS, seed: 1, scenario: "releases" }),
  exogenized: () => project(releases.compiled, releases.state, { draws: DRAWS, seed: 1, scenario: "releases", conditioning: "exogenize" }),
  baseline: () => project(baseline.compiled, baseline.state, { draws: DRAWS, seed: 1, scenario: "baseline" }),
}
const names = Object.keys(runs) as (keyof typeof runs)[]
const times = bestInterleaved(RUNS, names.map((n) => () => void runs[n]()))
const best = Object.fromEntries(names.map((n, k) => [n, times[k]!])) as Record<keyof typeof runs, number>
const ess = runs.conditioned().evidence!.ess
say(`project() at ${DRAWS.toLocaleString("en-US")} draws, best of ${RUNS} (ms):`)
for (const n of names) say(`  ${n.padEnd(12)} ${best[n].toFixed(0).padStart(8)}`)
say(`  conditioned / exogenized ${(best.conditioned / best.exogenized).toFixed(2)}x, conditioned / baseline ${(best.conditioned / best.baseline).toFixed(2)}x`)
say(`  effective sample size of the conditioned projection: ${ess.toFixed(0)} of ${DRAWS} draws`)
const t0 = performance.now()
const cal = calibrate(releases.compiled, toInputs(releases.compiled, releases.state), { worlds: WORLDS, draws: CAL_DRAWS, seed: 1 })
const calMs = performance.now() - t0
say(`calibrate ${WORLDS} worlds x ${CAL_DRAWS} draws: ${(calMs / 1000).toFixed(1)} s (effective sample size per world: min ${cal.ess.min.toFixed(0)}, median ${cal.ess.median.toFixed(0)})`)
for (const i of cal.indicators) say(`  ${i.id.padEnd(16)} coverage50 ${i.coverage50.toFixed(3)}  coverage90 ${i.coverage90.toFixed(3)}`)
if (argv.includes("--json"))
  say(JSON.stringify({ draws: DRAWS, ms: best, conditioned_vs_exogenized: best.conditioned / best.exogenized, conditioned_vs_baseline: best.conditioned / best.baseline, ess, calibrate: { worlds: WORLDS, draws: CAL_DRAWS, ms: calMs, ess: cal.ess } }))
