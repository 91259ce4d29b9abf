// Runs the plancast command line and collects its exit status and output, two ways:
// `plancast` calls the command line's `main` in this process (standard output and error
// captured, working directory and environment set for the call), as fast as a function call;
// `plancastProcess` runs `node adapters/cli/bin.mjs` (the `plancast` bin) as a child, for the
// tests whose subject is the process itself (the bin, standard input, signals, exit codes of a
// real process). Test support for test/adapters/cli.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { main } from "../../../adapters/cli/main.ts"

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url))
const BIN = fileURLToPath(new URL("../../../adapters/cli/bin.mjs", import.meta.url))

export interface RunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  /** Working directory of the run (the repository root by default). */
  readonly cwd?: string
  /** Environment variables set for the run, on top of this process's. */
  readonly env?: Record<string, string>
}

let running: Promise<unknown> = Promise.resolve()

/**
 * Runs `plancast ...args` in this process. One run at a time: the runs of a file are chained,
 * since output, working directory and environment are the process's own.
 */
export const plancast = (args: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
  const run = running.then(() => runInProcess(args, options))
  running = run.catch(() => undefined)
  return run
}

const runInProcess = async (args: readonly string[], options: RunOptions): Promise<RunResult> => {
  const out: string[] = []
  const err: string[] = []
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
      const done = typeof encoding === "function" ? encoding : callback
      if (typeof done === "function") queueMicrotask(() => (done as () => void)())
      return true
    }) as typeof process.stdout.write
  const writes = { out: process.stdout.write, err: process.stderr.write }
  const cwd = process.cwd()
  const env = { PLANCAST_DEBUG: "", ...options.env }
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  process.stdout.write = capture(out)
  process.stderr.write = capture(err)
  process.chdir(options.cwd ?? ROOT)
  Object.assign(process.env, env)
  try {
    const status = await main(args)
    return { status, stdout: out.join(""), stderr: err.join("") }
  } finally {
    process.stdout.write = writes.out
    process.stderr.write = writes.err
    process.chdir(cwd)
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** Runs `plancast ...args` as a child process (with `input` on its standard input). */
export const plancastProcess = (args: readonly string[], options: RunOptions & { input?: string } = {}): RunResult => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    timeout: 120_000,
    input: options.input,
    env: { ...process.env, PLANCAST_DEBUG: "", ...options.env },
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A stack trace line as Node prints it: "    at fn (file:line:col)". */
export const STACK_LINE = /\n\s+at (?:.+ \()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/

export const BASELINE = "scenarios/duji-2024/baseline.yaml"
export const DUJI_IDS = ["gdp", "industry_va", "fai", "fiscal_revenue", "retail_sales", "trade", "urban_income", "rural_income"]
