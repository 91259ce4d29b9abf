// Runs the plancast command line as a user does, in a child process (node adapters/cli/bin.mjs,
// the `plancast` bin), and collects its exit status and output. Test support for test/cli.
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url))
const BIN = fileURLToPath(new URL("../../../adapters/cli/bin.mjs", import.meta.url))

export interface RunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `plancast ...args` with the repository root as working directory (unless `cwd`). */
export const plancast = (args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult => {
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
