// Benchmark of the command line's start-up: the time from spawning a process to the first byte
// of its standard output and to its exit, for `validate` and `project --draws 0` of the Duji
// model, run by the `plancast` bin from its bundle (dist/cli/, `npm run build`) and from its
// sources (PLANCAST_SOURCES=1), against a bare `node -e 0`. The variants are interleaved
// round by round, so a load that comes and goes on a shared machine falls on all of them; the
// table gives each one's minimum, median and maximum, and the minimum's excess over the bare
// node's. On Linux it also gives the processor time (user + system) each child used, read from
// the children's times in /proc/self/stat (10 ms ticks): a figure that a busy machine inflates
// far less than the elapsed time. Checks first that both ways print the same output. Prints
// figures; asserts nothing. Shell. Run: npm run bench:startup -- [--rounds N]
import { spawn, spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { freshBundle } from "../adapters/cli/bundle.mjs"
import { numberArg } from "./args.ts"

const ROUNDS = numberArg("rounds", 10)
const ROOT = fileURLToPath(new URL("../", import.meta.url))
const BIN = "adapters/cli/bin.mjs"
const FLAGS = ["--max-semi-space-size=4"] // the bin's shebang

interface Variant {
  readonly name: string
  readonly args: readonly string[]
  readonly env?: Record<string, string>
}

const COMMANDS: readonly (readonly string[])[] = [
  ["validate", "scenarios/duji-2024/model.yaml"],
  ["project", "scenarios/duji-2024/baseline.yaml", "--draws", "0"],
]

if (freshBundle() === undefined) {
  process.stderr.write("dist/cli/ is missing or older than its sources: run `npm run build` first\n")
  process.exit(1)
}

const variants: Variant[] = [{ name: "node -e 0", args: ["-e", "0"] }]
for (const command of COMMANDS) {
  variants.push({ name: `${command.slice(0, 1).join(" ")} (bundle)`, args: [...FLAGS, BIN, ...command] })
  variants.push({ name: `${command.slice(0, 1).join(" ")} (sources)`, args: [...FLAGS, BIN, ...command], env: { PLANCAST_SOURCES: "1" } })
}

for (const command of COMMANDS) {
  const run = (env: Record<string, string>) => spawnSync(process.execPath, [...FLAGS, BIN, ...command], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" })
  const [bundled, sources] = [run({}), run({ PLANCAST_SOURCES: "1" })]
  if (bundled.status !== 0 || bundled.stdout !== sources.stdout || bundled.stderr !== sources.stderr) {
    process.stderr.write(`${command.join(" ")}: the bundle and the sources disagree (status ${bundled.status} and ${sources.status})\n`)
    process.exit(1)
  }
}

const TICK_MS = 1000 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim() || 100)

/** Milliseconds of processor time used by the children this process has waited for (NaN off Linux). */
const childrenCpu = (): number => {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[13]) + Number(fields[14])) * TICK_MS // cutime, cstime
  } catch {
    return Number.NaN
  }
}

/** Spawns one variant; resolves with the milliseconds to the first byte of output, to exit, and of processor time. */
const time = (v: Variant): Promise<{ first: number; exit: number; cpu: number }> =>
  new Promise((done, fail) => {
    const cpu0 = childrenCpu()
    const t0 = performance.now()
    let first = Number.NaN
    const child = spawn(process.execPath, v.args, { cwd: ROOT, env: { ...process.env, ...v.env }, stdio: ["ignore", "pipe", "ignore"] })
    child.stdout.once("data", () => (first = performance.now() - t0))
    child.stdout.resume()
    child.once("error", fail)
    child.once("close", (status) =>
      status === 0 ? done({ first, exit: performance.now() - t0, cpu: childrenCpu() - cpu0 }) : fail(new Error(`${v.name}: exit ${status}`)),
    )
  })

const samples = new Map(variants.map((v) => [v.name, { first: [] as number[], exit: [] as number[], cpu: [] as number[] }]))
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) {
    const t = await time(v)
    const s = samples.get(v.name)!
    s.first.push(t.first)
    s.exit.push(t.exit)
    s.cpu.push(t.cpu)
  }
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)
const ms = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(0)).padStart(6)
const bare = sorted(samples.get(variants[0].name)!.exit)[0]
process.stdout.write(`start-up, ${ROUNDS} rounds, node ${process.version} (ms: min / median / max; "over bare" = min minus node -e 0's min exit)\n`)
process.stdout.write(`${"variant".padEnd(22)}${"first byte".padStart(22)}${"exit".padStart(22)}${"over bare".padStart(11)}${"cpu".padStart(22)}\n`)
for (const v of variants) {
  const { first, exit, cpu } = samples.get(v.name)!
  const [f, e, c] = [sorted(first), sorted(exit), sorted(cpu)]
  const mid = (xs: number[]) => xs[Math.floor(xs.length / 2)]
  const range = (xs: number[]) => `${ms(xs[0])} /${ms(mid(xs))} /${ms(xs[xs.length - 1])}`
  const over = v.name === variants[0].name ? Number.NaN : f[0] - bare
  process.stdout.write(`${v.name.padEnd(22)}${range(f)}${range(e)}${ms(over).padStart(11)}${range(c)}\n`)
}
