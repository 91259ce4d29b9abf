// `npm run bench [-- --json] [-- --draws N]`: the engine against its peers on the Duji model
// (scenarios/duji-2024/model.yaml), 100,000 draws by default. First ASSERTS that every
// implementation gives the same annual growth of every indicator per draw (to 1e-9) on the
// same pre-sampled inputs, then times each (one warm-up, best of several runs):
//   engine       compiled.simulate (generated kernel) + the year-to-date reduction
//   handwritten  bench/peers/handwritten.ts, the equations as a plain TypeScript loop
//   mathjs       bench/peers/mathjs.ts, compile().evaluate(scope) per equation, period, draw
//                (timed on a subset of draws and scaled: it is too slow for all of them)
//   numpy        bench/peers/duji_numpy.py, vectorized over draws (timed inside Python)
// plus the full project() at 100,000 draws, batch throughput with 1 and 2 worker threads, and
// the peak memory of `plancast project <baseline> --draws 1000000` (/usr/bin/time -v).
// With --json the last line of standard output is one JSON object: engine_vs_handwritten,
// engine_vs_numpy, engine_vs_mathjs (engine time over peer time), batch_workers_1_per_s,
// batch_workers_2_per_s, peak_rss_kb_1e6_draws and nested timings. Shell: files, processes.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir, cpus } from "node:os"
import { join } from "node:path"
import { project } from "../engine/index.ts"
import { planBatch } from "../engine/batch/index.ts"
import { loadModelFile, loadScenarioStrict } from "../adapters/files/load.ts"
import { batchProjections } from "../adapters/batch/local-runner.ts"
import { numberArg } from "./args.ts"
import { best, bestInterleaved } from "./timing.ts"
import { annualLayout, chunksOf, reduceAnnual, sampleInputs, writeInputs } from "./inputs.ts"
import { handwrittenDuji } from "./peers/handwritten.ts"
import { mathjsPeer } from "./peers/mathjs.ts"
import { montecarloVersusNumpy } from "./montecarlo.ts"

const MODEL = "scenarios/duji-2024/model.yaml"
const BASELINE = "scenarios/duji-2024/baseline.yaml"
const TOLERANCE = 1e-9

const argv = process.argv.slice(2)
const json = argv.includes("--json")
const DRAWS = numberArg("draws", 100_000)
const MATHJS_DRAWS = Math.min(DRAWS, numberArg("mathjs-draws", 2_000))
const RUNS = numberArg("runs", 10)
const SEED = 20240101
const BATCH_DRAWS = 1000
/** Draws solved and reduced together by the engine and the hand-written peer. */
const CHUNK = numberArg("chunk", 256)

// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, where this machine sets them, slow a current numpy: unset for its processes only
const numpyEnv = { ...process.env }
delete numpyEnv.OPENBLAS_CORETYPE
delete numpyEnv.OPENBLAS_L2_SIZE

const say = (line: string): void => {
  process.stdout.write(line + "\n")
}

const maxDiff = (a: Float64Array, b: Float64Array, n = a.length): number => {
  let m = 0
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i]! - b[i]!)
    if (!(d <= m)) m = d // NaN makes it NaN, and fails the check below
  }
  return m
}

const assertEqual = (what: string, diff: number): void => {
  if (!(diff <= TOLERANCE)) throw new Error(`${what}: results differ from the engine's by ${diff} (tolerance ${TOLERANCE})`)
  say(`  equal: ${what} (max |difference| ${diff.toExponential(2)})`)
}

const main = async (): Promise<void> => {
  say(`plancast benchmark: ${MODEL}, ${DRAWS.toLocaleString("en")} draws, ${cpus().length} cores, node ${process.version}`)
  const { compiled } = await loadModelFile(MODEL)
  const inputs = sampleInputs(compiled, DRAWS, SEED)
  const T = inputs.T
  const n = compiled.endogenous.length
  const layout = annualLayout(compiled)
  const nInd = layout.column.length
  const block = compiled.blocks.filter((b) => b.simultaneous)
  say(
    `  model: ${n} endogenous (${nInd} indicators), ${compiled.parameters.length} parameters, ${compiled.exogenous.length} exogenous, ${T} periods; ` +
      `simultaneous blocks: ${block.map((b) => `{${b.variables.join(", ")}}${b.linear ? " linear" : ""}`).join(" ") || "none"}`,
  )

  // the same work for everyone: solve every draw, then the annual growth of every indicator;
  // engine and hand-written alike go through the draws in chunks of CHUNK (as project() does),
  // each chunk's solution reduced while it is in cache
  const chunks = chunksOf(inputs, CHUNK)
  const out = new Float64Array(CHUNK * T * n)
  const engineAnnual = new Float64Array(DRAWS * nInd)
  const engine = (): void => {
    for (const c of chunks) {
      const view = out.subarray(0, c.input.draws * T * n)
      compiled.simulate(c.input, view)
      reduceAnnual(layout, view, c.input.draws, T, n, engineAnnual.subarray(c.start * nInd))
    }
  }
  const handOut = new Float64Array(CHUNK * T * n)
  const handAnnual = new Float64Array(DRAWS * nInd)
  const handSolver = handwrittenDuji(compiled)
  const hand = (): void => {
    for (const c of chunks) handSolver(c.input, handOut.subarray(0, c.input.draws * T * n), handAnnual.subarray(c.start * nInd))
  }
  const mathAnnual = new Float64Array(MATHJS_DRAWS * nInd)
  const mathSolver = mathjsPeer(compiled)

  say("checking that every implementation gives the same results")
  engine()
  hand()
  assertEqual("hand-written TypeScript", maxDiff(engineAnnual, handAnnual))
  const mathStats = mathSolver(inputs, MATHJS_DRAWS, mathAnnual)
  assertEqual(`mathjs evaluate (first ${MATHJS_DRAWS} draws)`, maxDiff(engineAnnual, mathAnnual, MATHJS_DRAWS * nInd))
  const dir = mkdtempSync(join(tmpdir(), "plancast-bench-"))
  let numpy: { seconds: number; repeat: number; numpy: string; python: string } | undefined
  try {
    writeInputs(dir, compiled, inputs)
    const py = spawnSync("python3", ["bench/peers/duji_numpy.py", "kernel", dir, "--repeat", String(Math.max(3, Math.min(RUNS, 5)))], { encoding: "utf8", env: numpyEnv, maxBuffer: 1 << 24 })
    if (py.status !== 0) throw new Error(`the numpy peer failed (exit ${py.status}): ${py.stderr.trim().split("\n").slice(-3).join(" | ")}`)
    numpy = JSON.parse(py.stdout.trim().split("\n").at(-1)!)
    const buf = readFileSync(join(dir, "annual.f64"))
    const numpyAnnual = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8)
    assertEqual("numpy", maxDiff(engineAnnual, numpyAnnual))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  say(`timing (best of ${RUNS} rounds after a warm-up, peers timed in turn each round, single thread; engine and hand-written in chunks of ${CHUNK} draws)`)
  const kernelOnly = (): void => {
    for (const c of chunks) compiled.simulate(c.input, out.subarray(0, c.input.draws * T * n))
  }
  const [engineMs, handMs, simulateMs] = bestInterleaved(RUNS, [engine, hand, kernelOnly]) as [number, number, number]
  // the same two over the whole batch at once (one 100,000-draw call, a 115 MB solution array each):
  // memory traffic then weighs on both, and the ratio is kinder to the engine
  const wholeOut = new Float64Array(DRAWS * T * n)
  const [engineWholeMs, handWholeMs] = bestInterleaved(Math.min(RUNS, 5), [
    () => {
      compiled.simulate(inputs, wholeOut)
      reduceAnnual(layout, wholeOut, DRAWS, T, n, engineAnnual)
    },
    () => handSolver(inputs, wholeOut, handAnnual),
  ]) as [number, number]
  const mathSubsetMs = best(2, () => mathSolver(inputs, MATHJS_DRAWS, mathAnnual))
  const mathMs = (mathSubsetMs * DRAWS) / MATHJS_DRAWS
  const numpyMs = numpy!.seconds * 1000
  const evalsPerDraw = mathStats.evaluations / MATHJS_DRAWS
  say(`  engine (kernel + ytd)  ${engineMs.toFixed(1)} ms   (kernel alone ${simulateMs.toFixed(1)} ms)`)
  say(`  hand-written TS        ${handMs.toFixed(1)} ms`)
  say(`  (whole batch in one call: engine ${engineWholeMs.toFixed(1)} ms, hand-written ${handWholeMs.toFixed(1)} ms, ratio ${round(engineWholeMs / handWholeMs)})`)
  say(`  numpy ${numpy!.numpy.padEnd(16)} ${numpyMs.toFixed(1)} ms   (timed inside python ${numpy!.python}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for it)`)
  say(
    `  mathjs evaluate        ${mathMs.toFixed(0)} ms   (measured ${mathSubsetMs.toFixed(0)} ms on ${MATHJS_DRAWS} draws, scaled x${DRAWS / MATHJS_DRAWS}; ` +
      `${evalsPerDraw.toFixed(0)} evaluations per draw, ${(mathStats.sweeps / (MATHJS_DRAWS * T)).toFixed(1)} Gauss-Seidel sweeps per period)`,
  )
  const ratios = {
    engine_vs_handwritten: round(engineMs / handMs),
    engine_vs_numpy: round(engineMs / numpyMs),
    engine_vs_mathjs: round(engineMs / mathMs, 6),
  }
  say(`  engine / hand-written ${ratios.engine_vs_handwritten} (target <= 1.5), engine / numpy ${ratios.engine_vs_numpy} (target < 1), engine / mathjs ${ratios.engine_vs_mathjs} (target < 0.01)`)

  say("full projection: project(baseline) with sampling, solve, quantiles")
  const baseline = await loadScenarioStrict(BASELINE)
  let projectMs: number | null = null
  try {
    projectMs = best(Math.min(3, RUNS), () => void project(baseline.compiled, baseline.state, { draws: DRAWS, seed: 1, scenario: baseline.name }))
    say(`  project ${DRAWS.toLocaleString("en")} draws: ${projectMs.toFixed(0)} ms`)
  } catch (e) {
    say(`  project failed: ${e instanceof Error ? e.message : String(e)}`)
  }

  const mc = montecarloVersusNumpy({ draws: DRAWS, projectMs, say, env: numpyEnv })

  say("batch throughput (projections per second after the workers have started)")
  const batchPlan = planBatch({ scenarios: [BASELINE], grids: ["fai=-10:10:0.5"], draws: BATCH_DRAWS, seed: 1 })
  // cpu_per_wall: CPU time of all threads over wall time; far below the worker count means the machine is busy elsewhere
  const batch = async (workers: number): Promise<{ perSecond: number; startupMs: number; rows: number; cpuPerWall: number }> => {
    const t0 = performance.now()
    let ready = t0
    let cpu = process.cpuUsage()
    let rows = 0
    const onReady = (): void => {
      ready = performance.now()
      cpu = process.cpuUsage()
    }
    for await (const _ of batchProjections(batchPlan, { workers, onReady })) rows++
    const end = performance.now()
    const used = process.cpuUsage(cpu)
    return {
      perSecond: round(batchPlan.grid.size / ((end - ready) / 1000), 3),
      startupMs: Math.round(ready - t0),
      rows,
      cpuPerWall: round((used.user + used.system) / 1000 / (end - ready), 2),
    }
  }
  const w1 = await batch(1)
  const w2 = await batch(2)
  say(`  ${batchPlan.grid.size} projections of ${BATCH_DRAWS} draws: 1 worker ${w1.perSecond}/s, 2 workers ${w2.perSecond}/s (x${round(w2.perSecond / w1.perSecond, 3)}); CPU per wall second ${w1.cpuPerWall} / ${w2.cpuPerWall}; worker start-up ${w1.startupMs} / ${w2.startupMs} ms`)

  say("memory: npx plancast project <baseline> --draws 1000000 (as a user runs it)")
  const time = spawnSync("/usr/bin/time", ["-v", "npx", "--no-install", "plancast", "project", BASELINE, "--draws", "1000000", "--seed", "1", "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  })
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(time.stderr ?? "")
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(time.stderr ?? "")
  const peakKb = time.status === 0 && rss ? Number(rss[1]) : null
  say(peakKb !== null ? `  peak RSS ${peakKb} kB (${(peakKb / 1024).toFixed(0)} MB, target < 200 MB), wall ${wall?.[1]}` : `  failed (exit ${time.status}): ${(time.stderr ?? "").trim().split("\n").slice(0, 2).join(" | ")}`)

  if (json)
    say(
      JSON.stringify({
        ...ratios,
        engine_vs_handwritten_whole_batch: round(engineWholeMs / handWholeMs),
        batch_workers_1_per_s: w1.perSecond,
        batch_workers_2_per_s: w2.perSecond,
        peak_rss_kb_1e6_draws: peakKb,
        draws: DRAWS,
        chunk: CHUNK,
        timings_ms: {
          engine: round(engineMs, 5),
          engine_kernel_only: round(simulateMs, 5),
          handwritten: round(handMs, 5),
          numpy: round(numpyMs, 5),
          mathjs: Math.round(mathMs),
          mathjs_measured: { draws: MATHJS_DRAWS, ms: round(mathSubsetMs, 5), evaluations_per_draw: round(evalsPerDraw, 4) },
          engine_whole_batch: round(engineWholeMs, 5),
          handwritten_whole_batch: round(handWholeMs, 5),
          project_100k: projectMs === null ? null : round(projectMs, 5),
        },
        montecarlo: mc,
        batch: { projections: batchPlan.grid.size, draws: BATCH_DRAWS, workers_1: w1, workers_2: w2 },
        environment: { cores: cpus().length, node: process.version, numpy: numpy!.numpy, python: numpy!.python },
      }),
    )
}

const round = (x: number, digits = 4): number => Number(x.toPrecision(digits))

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
