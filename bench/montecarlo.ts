// The full Monte Carlo against the numpy peer (bench/peers/duji_numpy.py mc), for bench/run.ts:
// first CHECKS it (uncertainty off: every draw central, the year-to-date bands of every
// indicator and period equal to the engine's to 1e-9; uncertainty on: the annual bands agree
// in distribution, each within five standard errors of the difference of two independent
// samples plus the engine's quantile bound), then times project() against the peer's own
// timing of the same work (sampling, solve, year-to-date, exact quantiles, shares meeting the
// target), and the whole command `plancast project <baseline> --draws N` against the whole
// script (interpreter start, imports, reading the model file) by wall clock. Shell: processes.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse } from "yaml"
import { Model, compile, emptyState, project, type Projection } from "../engine/index.ts"

const MODEL = "scenarios/duji-2024/model.yaml"
const BASELINE = "scenarios/duji-2024/baseline.yaml"
const QUANTILES = ["p05", "p25", "p50", "p75", "p95"] as const

interface PeerBand {
  mean: number
  p05: number
  p25: number
  p50: number
  p75: number
  p95: number
}
interface PeerResult {
  indicators: { id: string; probability: number | null; path: PeerBand[] }[]
  seconds: { sample: number; solve: number; ytd: number; quantiles: number; total: number }
  numpy: string
}

/** The model file without any distribution: parameters at their values, no exogenous uncertainty, no equation errors. */
const withoutUncertainty = (raw: Record<string, any>): Record<string, any> => ({
  ...raw,
  parameters: Object.fromEntries(Object.entries(raw.parameters).map(([k, p]: [string, any]) => [k, { ...p, uncertainty: undefined }])),
  exogenous: Object.fromEntries(Object.entries(raw.exogenous).map(([k, x]: [string, any]) => [k, { ...x, uncertainty: undefined }])),
  indicators: raw.indicators.map((i: any) => ({ ...i, error: undefined })),
  variables: Object.fromEntries(Object.entries(raw.variables ?? {}).map(([k, v]: [string, any]) => [k, { ...v, error: undefined }])),
})

const peer = (args: string[], env: NodeJS.ProcessEnv): PeerResult => {
  const dir = mkdtempSync(join(tmpdir(), "plancast-mc-"))
  try {
    const out = join(dir, "result.json")
    const py = spawnSync("python3", ["bench/peers/duji_numpy.py", "mc", ...args, "--out", out], { encoding: "utf8", env, maxBuffer: 1 << 24 })
    if (py.status !== 0) throw new Error(`the numpy Monte Carlo failed (exit ${py.status}): ${py.stderr.trim().split("\n").slice(-3).join(" | ")}`)
    return JSON.parse(readFileSync(out, "utf8")) as PeerResult
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Best wall time (ms) of `runs` runs of a command. */
const wall = (runs: number, cmd: string, args: string[], env: NodeJS.ProcessEnv): number => {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
    const ms = performance.now() - t0
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`)
    best = Math.min(best, ms)
  }
  return best
}

export interface MonteCarloFigures {
  readonly draws: number
  readonly deterministic_max_diff: number
  readonly distribution_max_z: number
  readonly project_ms: number | null
  readonly numpy_ms: number
  readonly numpy_parts_ms: Record<string, number>
  readonly project_vs_numpy: number | null
  readonly command_ms: number
  readonly script_ms: number
  readonly command_vs_script: number
}

export const montecarloVersusNumpy = (opts: { draws: number; projectMs: number | null; say: (line: string) => void; env: NodeJS.ProcessEnv }): MonteCarloFigures => {
  const { draws, say, env } = opts
  const raw = parse(readFileSync(MODEL, "utf8")) as Record<string, any>
  say("full Monte Carlo against numpy (bench/peers/duji_numpy.py mc: default Generator, exact quantiles)")

  // uncertainty off: both sides' draws are all central
  const dir = mkdtempSync(join(tmpdir(), "plancast-mc-model-"))
  let deterministic = 0
  try {
    const stripped = withoutUncertainty(raw)
    const file = join(dir, "model.json")
    writeFileSync(file, JSON.stringify(stripped))
    const engine = project(compile(Model.parse(stripped)), emptyState, { draws: 1000, seed: 1, scenario: "check" })
    const numpy = peer([file, "--draws", "1000", "--repeat", "1"], env)
    engine.indicators.forEach((ind, k) =>
      ind.path.forEach((pt, t) => {
        for (const q of ["mean", ...QUANTILES] as const) deterministic = Math.max(deterministic, Math.abs(pt.ytd[q] - numpy.indicators[k]!.path[t]![q]))
      }),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  if (!(deterministic <= 1e-9)) throw new Error(`numpy Monte Carlo without uncertainty differs from the engine's by ${deterministic} (tolerance 1e-9)`)
  say(`  equal without uncertainty: every indicator's year-to-date bands in every period (max |difference| ${deterministic.toExponential(2)})`)

  // uncertainty on: the same distribution, from independent streams
  const engine: Projection = project(compile(Model.parse(raw)), emptyState, { draws, seed: 1, scenario: "baseline" })
  const numpy = peer([MODEL, "--draws", String(draws), "--seed", "7", "--repeat", "3"], env)
  let maxZ = 0
  engine.indicators.forEach((ind, k) => {
    const a = ind.annual
    const b = numpy.indicators[k]!.path.at(-1)!
    const sd = (a.p95 - a.p05) / 3.29
    // standard error of a difference of two independent sample quantiles (at most about 2.2 sd / sqrt(n) each, at 5% and 95%)
    const se = 2.2 * sd * Math.sqrt(2 / draws)
    for (const q of ["mean", ...QUANTILES] as const) {
      const z = (Math.abs(a[q] - b[q]) - ind.quantileError) / Math.max(se, 1e-12)
      maxZ = Math.max(maxZ, z)
      if (!(z <= 5)) throw new Error(`numpy Monte Carlo: ${ind.id} annual ${q} ${b[q]} against the engine's ${a[q]} (${z.toFixed(1)} standard errors)`)
    }
  })
  say(`  same distribution with uncertainty: every indicator's annual mean and quantiles within ${maxZ.toFixed(2)} standard errors (limit 5)`)

  const numpyMs = numpy.seconds.total * 1000
  const parts = Object.fromEntries(Object.entries(numpy.seconds).map(([k, v]) => [k, Math.round(v * 10000) / 10]))
  say(`  numpy full Monte Carlo ${draws.toLocaleString("en")} draws: ${numpyMs.toFixed(0)} ms (sampling ${parts.sample}, solve ${parts.solve}, year-to-date ${parts.ytd}, quantiles and shares ${parts.quantiles}; timed inside python)`)
  const ratio = opts.projectMs === null ? null : Math.round((opts.projectMs / numpyMs) * 1000) / 1000
  say(`  project() / numpy full Monte Carlo: ${ratio} (target < 1)`)

  const command = wall(3, process.execPath, ["adapters/cli/bin.mjs", "project", BASELINE, "--draws", String(draws), "--seed", "1", "--format", "json"], process.env)
  const script = wall(3, "python3", ["bench/peers/duji_numpy.py", "mc", MODEL, "--draws", String(draws), "--repeat", "1"], env)
  const whole = Math.round((command / script) * 1000) / 1000
  say(`  whole command \`plancast project baseline --draws ${draws}\` ${command.toFixed(0)} ms, whole numpy script ${script.toFixed(0)} ms: ratio ${whole} (target < 1)`)
  return {
    draws,
    deterministic_max_diff: deterministic,
    distribution_max_z: Math.round(maxZ * 100) / 100,
    project_ms: opts.projectMs,
    numpy_ms: Math.round(numpyMs),
    numpy_parts_ms: parts,
    project_vs_numpy: ratio,
    command_ms: Math.round(command),
    script_ms: Math.round(script),
    command_vs_script: whole,
  }
}
