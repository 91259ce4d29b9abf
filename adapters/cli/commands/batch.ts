// `plancast batch <scenario>... [--grid ID=from:to:step]... [--draws N] [--seed S]
// [--format csv|ndjson] [--workers K] [--out FILE]`: many projections at once for scripts,
// rows written as they come (in job order) to standard output or a file, a progress bar on
// standard error when it is a terminal. The options are parsed by the command table
// (configs/running.ts). Shell: files, streams, threads.
// Invariants: bad input (options, grids, files, ids) fails before the first row with a tagged
// error the command line maps to exit 2; the output bytes depend only on the plan, never on
// --workers.
import { OptionError } from "../../../engine/index.ts"
import { jobCount, planBatch } from "../../../engine/index.ts"
import type { BatchInput } from "../configs/running.ts"
import type { BatchFormat } from "../../batch/output-format.ts"
import { batchProjections, checkWorkers, defaultWorkers, MAX_WORKERS } from "../../batch/local-runner.ts"
import { progressBar } from "../../batch/progress.ts"
import { writeRows } from "../../batch/output.ts"


const parseWorkers = (raw: string | undefined): number => {
  if (raw === undefined) return defaultWorkers()
  if (!/^\d+$/.test(raw)) throw new OptionError({ option: "--workers", problem: `must be a whole number from 0 to ${MAX_WORKERS}, got ${JSON.stringify(raw)}` })
  return checkWorkers(Number(raw))
}

/** Runs `plancast batch` on local threads with its parsed options; returns the exit status (errors are thrown, tagged). */
export const runBatch = async (args: BatchInput): Promise<number> => {
  const plan = planBatch({ scenarios: args.scenarios, grids: args.grid, draws: args.draws ?? 0, seed: args.seed ?? 1 })
  const workers = parseWorkers(args.workers)
  const format: BatchFormat = args.format ?? "csv"
  const bar = process.stderr.isTTY ? progressBar(process.stderr, jobCount(plan)) : undefined
  await writeRows(batchProjections(plan, { workers, onProgress: bar?.update }), format, args.out, bar?.done)
  return 0
}
