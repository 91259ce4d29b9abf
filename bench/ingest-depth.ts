// Benchmark of admission as one scenario's log grows: the events of one Duji scenario are
// admitted one after another (`admitEvent`: the log's checks, then the deterministic
// projection of the state it leaves), and the cost of one event is printed over the window of
// events just before each depth (1,000, 10,000, 30,000 and 50,000 events in the log by
// default): wall-clock mean and median, and the process's CPU time per event (user + system,
// garbage collection included; less disturbed than the wall clock when the machine is
// shared). A flat column means the 50,000th event costs what the first ones cost. A warm-up
// scenario of 1,000 events runs first, so the first window is not the compiler's. With
// `--sd S` every shock is uncertain (a normal of spread S), so the projection inputs also
// carry one uncertain term per event. With `--retract K` every K-th event is a retract: each
// block of K events is K - 2 shocks, a passing shock on another indicator, and the retract of
// that passing shock (so the scenario stays inside the model's ranges). Prints figures;
// asserts nothing. Shell.
// Run: npm run bench:ingest -- [--events N] [--window W] [--sd S] [--retract K]
import { performance } from "node:perf_hooks"
import { loadBase } from "../adapters/cli/serve.ts"
import { admitEvent, decodeEvent, type ScenarioEvent } from "../engine/index.ts"
import { numberArg } from "./args.ts"

const EVENTS = numberArg("events", 50_000)
const WINDOW = numberArg("window", 1_000)
const SD = numberArg("sd", 0, { min: 0, whole: false })
const RETRACT = numberArg("retract", 0, { min: 0 })
if (RETRACT === 1 || RETRACT === 2) {
  process.stderr.write("bench: --retract must be 0 (none) or at least 3 (a block of shocks, a passing shock and its retract)\n")
  process.exit(2)
}
const INDICATORS = ["fai", "retail_sales", "trade", "industry_va", "fiscal_revenue"]
const depths = [1_000, 10_000, 30_000, 50_000, EVENTS].filter((d, i, all) => d <= EVENTS && all.indexOf(d) === i)

const base = await loadBase("scenarios/duji-2024/baseline.yaml")
const shock = (id: string, k: number): ScenarioEvent =>
  decodeEvent({
    id,
    type: "shock",
    indicator: INDICATORS[k % INDICATORS.length],
    // each indicator's shocks alternate +0.1, -0.1, so the scenario stays inside the model's plausible ranges
    value: Math.floor(k / INDICATORS.length) % 2 === 0 ? 0.1 : -0.1,
    ...(SD > 0 ? { sd: SD } : {}),
  })
const shocks = (n: number, prefix: string, retract = 0): ScenarioEvent[] => {
  let s = 0
  return Array.from({ length: n }, (_, k) => {
    if (retract === 0 || k % retract < retract - 2) return shock(`${prefix}${k}`, s++)
    // the block's passing shock, then its retract
    if (k % retract === retract - 2) return decodeEvent({ id: `${prefix}${k}`, type: "shock", indicator: "gdp", value: 0.1, ...(SD > 0 ? { sd: SD } : {}) })
    return decodeEvent({ id: `${prefix}${k}`, type: "retract", event: `${prefix}${k - 1}` })
  })
}

let warm = base.state
for (const e of shocks(1_000, "w", RETRACT)) warm = admitEvent(base.compiled, warm, e)

const events = shocks(EVENTS, "e", RETRACT)
console.log(
  `admitting ${EVENTS.toLocaleString("en-US")} ${RETRACT > 0 ? `events (every ${RETRACT}th a retract)` : "shocks"} into one scenario of ${base.name}${SD > 0 ? ` (each shock uncertain, sd ${SD})` : ""}; per event, over the ${WINDOW.toLocaleString("en-US")} events before each depth:`,
)
console.log("   events in the log   wall mean   wall median   CPU mean")
const times: number[] = []
let cpu = process.cpuUsage()
let state = base.state
const t0 = performance.now()
for (let k = 0; k < EVENTS; k++) {
  const windowStart = depths[0]! - Math.min(WINDOW, depths[0]!)
  if (k === windowStart) {
    times.length = 0
    cpu = process.cpuUsage()
  }
  const t = performance.now()
  state = admitEvent(base.compiled, state, events[k]!)
  if (k >= windowStart) times.push(performance.now() - t)
  if (k + 1 === depths[0]) {
    const used = process.cpuUsage(cpu)
    const sorted = [...times].sort((a, b) => a - b)
    const mean = times.reduce((a, b) => a + b, 0) / times.length
    const ms = (x: number) => `${x.toFixed(3)} ms`.padStart(12)
    console.log(`   ${(k + 1).toLocaleString("en-US").padStart(17)} ${ms(mean)} ${ms(sorted[Math.floor(sorted.length / 2)]!)}  ${ms((used.user + used.system) / 1000 / times.length)}`)
    depths.shift()
  }
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s for ${state.log.length.toLocaleString("en-US")} events in the log`)
