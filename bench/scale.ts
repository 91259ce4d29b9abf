// `npm run bench:scale [-- --sizes 10,100,1000,5000] [-- --draws N] [-- --pairs N]
// [-- --node-flags "--no-maglev"] [-- --copies K] [-- --json]`: the engine on generated models
// of growing size (bench/scale-models.ts: recursive chains, lags, simultaneous blocks of 2 to
// 20 variables, a quarter of the equations nonlinear, a monthly calendar of 12 periods).
// Each size runs in a process of its own, so its peak memory is its own: it times compile()
// (parse, blocks, Jacobians, code generation, the first kernel), a first project() straight
// after (cold: what a one-off run sees, while V8 is still optimising the generated code), then
// runs the kernel until V8 has settled (its code space stopped growing) and times the kernel
// alone (central inputs, project()'s chunks) and the full Monte Carlo project() (sampling of
// every parameter, exogenous series and equation error, solve, quantile sketches) in steady
// state. The growth factor per 10x equations (1 = flat) compares two sizes in one process:
// both models compiled and settled, then project() of each in turn, pair after pair, so that
// both sizes see the same machine (on a shared host the speed of a size alone moves by 2x
// between minutes); it is the median ratio of the pairs' times per equation-period, scaled to
// a tenfold step. With --json the last line is one JSON object of the figures. With --copies K
// each model is K disjoint copies of a model of size / K (copiesModel): size alone, without
// reads that range over the whole model. Shell: processes.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import v8 from "node:v8"
import { Model, centralInputs, compile, emptyState, project } from "../engine/index.ts"
import { chunkFor } from "../engine/project/project.ts"
import { copiesModel, scaleModel } from "./scale-models.ts"
import { best, elapsed } from "./timing.ts"

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
  /** The first project() after compile(), per equation-period. */
  cold_ns_per_equation_period: number
  /** From the start of compile() until V8's code space stopped growing. */
  settled_s: number
  kernel_us_per_draw: number
  project_us_per_draw: number
  project_ns_per_equation_period: number
  peak_rss_mb: number
}

interface Pair {
  /** Median over the pairs of the larger model's time per equation-period over the smaller's. */
  ratio: number
  ratios: number[]
}

/** One model of the bench, compiled, with its timed runs. */
const prepare = (size: number) => {
  const copies = option("--copies")
  const generated = copies === undefined ? scaleModel(size) : copiesModel(size, Number(copies))
  const model = Model.parse(generated.model)
  const t0 = performance.now()
  const compiled = compile(model)
  const compileMs = performance.now() - t0
  const T = compiled.periods.length
  const draws = drawsFor(size)
  const chunk = Math.min(chunkFor(compiled), draws)
  const input = centralInputs(compiled, chunk)
  const out = new Float64Array(chunk * T * compiled.endogenous.length)
  const rounds = Math.ceil(draws / chunk)
  return {
    generated,
    draws,
    t0,
    compileMs,
    kernel: (): void => {
      for (let r = 0; r < rounds; r++) compiled.simulate(input, out)
    },
    project: (): void => void project(compiled, emptyState, { draws, seed: 1, scenario: "synthetic" }),
    /** A kernel() time (ms) per draw, in us. */
    kernelUsPerDraw: (ms: number): number => (ms * 1000) / (rounds * chunk),
    /** A project() time (ms) per equation-period, in ns. */
    projectNsPerEquationPeriod: (ms: number): number => (ms * 1e6) / (draws * size * T),
    /** A project() time (ms) per draw, in us. */
    projectUsPerDraw: (ms: number): number => (ms * 1000) / draws,
  }
}

const codeSpace = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === "code_space")?.space_used_size ?? 0
// about five of the generated group functions' optimised code
const SETTLED_BYTES = 64 * 1024
const SETTLE_LIMIT_MS = 180_000

/**
 * Runs `round` until V8 has stopped installing optimised code (the code space grew by less than
 * SETTLED_BYTES over the last three rounds; at most SETTLE_LIMIT_MS): V8 optimises the large
 * generated functions on a background thread, some seconds of compiling per 1,000 equations.
 */
const settle = (round: () => void): void => {
  const start = performance.now()
  const sizes: number[] = []
  do {
    round()
    sizes.push(codeSpace())
  } while (!(sizes.length >= 4 && sizes.at(-1)! - sizes.at(-4)! < SETTLED_BYTES) && performance.now() - start < SETTLE_LIMIT_MS)
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** One size, in this process. */
const measure = (size: number): Figures => {
  const m = prepare(size)
  const cold = elapsed(m.project)
  settle(m.kernel)
  const settledS = (performance.now() - m.t0) / 1000
  const kernel = best(2, m.kernel)
  const steady = best(2, m.project)
  return {
    equations: size,
    blocks: m.generated.blocks.length,
    largest_block: Math.max(0, ...m.generated.blocks),
    nonlinear: m.generated.nonlinear,
    draws: m.draws,
    compile_ms: Math.round(m.compileMs),
    cold_ns_per_equation_period: round(m.projectNsPerEquationPeriod(cold)),
    settled_s: round(settledS),
    kernel_us_per_draw: round(m.kernelUsPerDraw(kernel)),
    project_us_per_draw: round(m.projectUsPerDraw(steady)),
    project_ns_per_equation_period: round(m.projectNsPerEquationPeriod(steady)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

/** Two sizes in this process, settled, then project() of each in turn. */
const pair = (small: number, large: number, pairs: number): Pair => {
  const a = prepare(small)
  const b = prepare(large)
  settle(() => (a.kernel(), b.kernel()))
  a.project()
  b.project()
  const ratios = Array.from({ length: pairs }, () => {
    const x = a.projectNsPerEquationPeriod(elapsed(a.project))
    return b.projectNsPerEquationPeriod(elapsed(b.project)) / x
  })
  return { ratio: round(median(ratios)), ratios: ratios.map(round) }
}

const round = (x: number): number => Number(x.toPrecision(4))

const flags = (option("--node-flags") ?? "").split(" ").filter((f) => f !== "")
const passed = ["--draws", "--copies"].flatMap((name) => (option(name) === undefined ? [] : [name, option(name)!]))
/** This bench in a child process with the plancast command's V8 settings (adapters/cli/bin.mjs), then any given; its last line of output as JSON. */
const child = <R>(args: readonly string[]): R | string => {
  const run = spawnSync(process.execPath, ["--max-semi-space-size=4", "--no-maglev-destroy-on-background", ...flags, fileURLToPath(import.meta.url), ...args, ...passed], { encoding: "utf8", maxBuffer: 1 << 20 })
  if (run.status !== 0) return `failed (${run.signal ?? `exit ${run.status}`}): ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as R
}

const one = option("--one")
const both = option("--pair")
if (one !== undefined) {
  process.stdout.write(JSON.stringify(measure(Number(one))) + "\n")
} else if (both !== undefined) {
  const [small, large] = both.split(",").map(Number)
  process.stdout.write(JSON.stringify(pair(small!, large!, Number(option("--pairs") ?? 5))) + "\n")
} else {
  const sizes = (option("--sizes") ?? "10,100,1000,5000").split(",").map(Number)
  const json = argv.includes("--json")
  const rows: (Figures & { growth?: number; ratios?: number[] })[] = []
  const say = (s: string): void => void process.stdout.write(s + "\n")
  say(`plancast scaling bench: generated models${option("--copies") === undefined ? "" : ` (each ${option("--copies")} disjoint copies)`}, 12 monthly periods, one process per size and per pair of sizes (node ${process.version} ${option("--node-flags") ?? ""})`)
  say("equations | blocks (largest) | nonlinear | draws | compile | cold ns/(eq*period) | V8 settled | kernel/draw | project/draw | project ns/(eq*period) | growth per 10x (paired) | peak RSS")
  for (const size of sizes) {
    const f = child<Figures>(["--one", String(size)])
    if (typeof f === "string") {
      say(`${size}: ${f}`)
      continue
    }
    const prev = rows.at(-1)
    let growth = ""
    if (prev !== undefined) {
      const p = child<Pair>(["--pair", `${prev.equations},${size}`, "--pairs", option("--pairs") ?? "5"])
      if (typeof p === "string") growth = p
      else {
        // the ratio of time per equation-period, scaled to a tenfold step (1000 -> 5000 is a factor 5)
        const g = round(p.ratio ** (1 / Math.log10(size / prev.equations)))
        growth = `${g} (pairs ${p.ratios.join(", ")})`
        Object.assign(f, { growth: g, ratios: p.ratios })
      }
    }
    rows.push(f)
    say(
      `${f.equations} | ${f.blocks} (${f.largest_block}) | ${f.nonlinear} | ${f.draws} | ${f.compile_ms} ms | ${f.cold_ns_per_equation_period} | ${f.settled_s} s | ${f.kernel_us_per_draw} us | ${f.project_us_per_draw} us | ${f.project_ns_per_equation_period} | ${growth} | ${f.peak_rss_mb} MB`,
    )
  }
  if (json) say(JSON.stringify({ sizes: rows }))
}
