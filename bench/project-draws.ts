// `node bench/project-draws.ts [--draws N] [--runs R]`: the time of one full project() of the
// Duji baseline (scenarios/duji-2024/baseline.yaml) at N draws (default 10,000), in process
// after one warm-up run, printed for each of R runs (default 3) and as their range. Shell: files.
import { project } from "../engine/index.ts"
import { loadScenarioStrict } from "../adapters/files/load.ts"
import { numberArg } from "./args.ts"

const DRAWS = numberArg("draws", 10_000)
const RUNS = numberArg("runs", 3)
const baseline = await loadScenarioStrict("scenarios/duji-2024/baseline.yaml")
const once = (): number => {
  const t0 = performance.now()
  project(baseline.compiled, baseline.state, { draws: DRAWS, seed: 1, scenario: baseline.name })
  return performance.now() - t0
}
once()
const times = Array.from({ length: RUNS }, once)
for (const t of times) process.stdout.write(`project(baseline), ${DRAWS} draws: ${t.toFixed(1)} ms\n`)
process.stdout.write(`range ${Math.min(...times).toFixed(1)}-${Math.max(...times).toFixed(1)} ms over ${RUNS} runs\n`)
