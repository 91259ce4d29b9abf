// `npm run bench:scale [-- --sizes 10,100,1000,5000] [-- --draws N] [-- --node-flags "--no-maglev"]
// [-- --copies K] [-- --json]`: the engine on
// generated models of growing size (bench/scale-models.ts: recursive chains, lags, simultaneous
// blocks of 2 to 20 variables, a quarter of the equations nonlinear, a monthly calendar of 12
// periods). Each size runs in a process of its own, so its peak memory is its own: it times
// compile() (parse, blocks, Jacobians, code generation, the first kernel and its warm-up), the
// kernel alone (compiled.simulate over the draws in project()'s chunks, central inputs) and the
// full Monte Carlo project() (sampling of every parameter, exogenous series and equation error,
// solve, quantile sketches), and reads the process's peak resident set. Prints a table with
// the time per equation-period and its growth factor per 10x equations (1 = flat); with
// --json the last line is one JSON object of the same figures. With --copies K each model is K
// disjoint copies of a model of size / K (copiesModel): size alone, without reads that range
// over the whole model. Shell: processes.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Model, centralInputs, compile, emptyState, project } from "../engine/index.ts"
import { chunkFor } from "../engine/project/project.ts"
import { copiesModel, scaleModel } from "./scale-models.ts"

const argv = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i < 0 ? undefined : argv[i + 1]
}
/** Draws for a model of `size` equations: enough work to time at every size. */
const drawsFor = (size: number): number => Number(option("--draws") ?? Math.max(1000, Math.min(20_000, Math.round(2_000_000 / size))))

interface Figures {
  equations: number
  blocks: number
  largest_block: number
  nonlinear: number
  draws: number
  compile_ms: number
  kernel_us_per_draw: number
  project_us_per_draw: number
  project_ns_per_equation_period: number
  peak_rss_mb: number
}

/** One size, in this process: the figures as one JSON line. */
const measure = (size: number): Figures => {
  const copies = option("--copies")
  const generated = copies === undefined ? scaleModel(size) : copiesModel(size, Number(copies))
  const model = Model.parse(generated.model)
  const t0 = performance.now()
  const compiled = compile(model)
  const compileMs = performance.now() - t0
  const T = compiled.periods.length
  const n = compiled.endogenous.length
  const draws = drawsFor(size)
  const chunk = Math.min(chunkFor(compiled), draws)
  const input = centralInputs(compiled, chunk)
  const out = new Float64Array(chunk * T * n)
  const kernel = (): number => {
    const t = performance.now()
    for (let d = 0; d < draws; d += chunk) compiled.simulate(input, out)
    return performance.now() - t
  }
  kernel()
  const kernelMs = Math.min(kernel(), kernel())
  const run = (): number => {
    const t = performance.now()
    project(compiled, emptyState, { draws, seed: 1, scenario: "synthetic" })
    return performance.now() - t
  }
  run()
  const projectMs = Math.min(run(), run())
  return {
    equations: size,
    blocks: generated.blocks.length,
    largest_block: Math.max(0, ...generated.blocks),
    nonlinear: generated.nonlinear,
    draws,
    compile_ms: Math.round(compileMs),
    kernel_us_per_draw: round((kernelMs * 1000) / (Math.ceil(draws / chunk) * chunk)),
    project_us_per_draw: round((projectMs * 1000) / draws),
    project_ns_per_equation_period: round((projectMs * 1e6) / (draws * size * T)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

const round = (x: number): number => Number(x.toPrecision(4))

const one = option("--one")
if (one !== undefined) {
  process.stdout.write(JSON.stringify(measure(Number(one))) + "\n")
} else {
  const sizes = (option("--sizes") ?? "10,100,1000,5000").split(",").map(Number)
  const json = argv.includes("--json")
  const rows: Figures[] = []
  const say = (s: string): void => void process.stdout.write(s + "\n")
  say(`plancast scaling bench: generated models${option("--copies") === undefined ? "" : ` (each ${option("--copies")} disjoint copies)`}, 12 monthly periods, one process per size (node ${process.version} ${option("--node-flags") ?? ""})`)
  say("equations | blocks (largest) | nonlinear | draws | compile | kernel/draw | project/draw | project ns/(equation*period) | growth per 10x | peak RSS")
  for (const size of sizes) {
    const extra = ["--draws", "--copies"].flatMap((name) => (option(name) === undefined ? [] : [name, option(name)!]))
    const flags = (option("--node-flags") ?? "").split(" ").filter((f) => f !== "")
    // the V8 settings of the plancast command (adapters/cli/bin.mjs), then any given
    const child = spawnSync(process.execPath, ["--max-semi-space-size=4", "--no-maglev-destroy-on-background", ...flags, fileURLToPath(import.meta.url), "--one", String(size), ...extra], { encoding: "utf8", maxBuffer: 1 << 20 })
    if (child.status !== 0) {
      say(`${size}: failed (${child.signal ?? `exit ${child.status}`}): ${child.stderr.trim().split("\n").slice(-3).join(" | ")}`)
      continue
    }
    const f = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Figures
    const prev = rows.at(-1)
    // the ratio of time per equation-period, scaled to a tenfold step (1000 -> 5000 is a factor 5)
    const growth = prev === undefined ? "" : String(round((f.project_ns_per_equation_period / prev.project_ns_per_equation_period) ** (1 / Math.log10(f.equations / prev.equations))))
    rows.push(f)
    say(
      `${f.equations} | ${f.blocks} (${f.largest_block}) | ${f.nonlinear} | ${f.draws} | ${f.compile_ms} ms | ${f.kernel_us_per_draw} us | ${f.project_us_per_draw} us | ${f.project_ns_per_equation_period} | ${growth} | ${f.peak_rss_mb} MB`,
    )
  }
  if (json) say(JSON.stringify({ sizes: rows }))
}
