// `plancast batch <scenario>... [--grid ID=from:to:step]... [--draws N] [--seed S]
// [--format csv|ndjson] [--workers K] [--out FILE]`: many projections at once for scripts,
// rows written as they come (in job order) to standard output or a file, a progress bar on
// standard error when it is a terminal. Shell: arguments, files, streams, threads.
// Invariants: bad input (options, grids, files, ids) fails before the first row with a tagged
// error the command line maps to exit 2; the output bytes depend only on the plan, never on
// --workers.
import { OptionError } from "../../../engine/index.ts"
import { jobCount, planBatch } from "../../../engine/index.ts"
import { optionList, optionNumber, optionString, parseArgs, type CommandSpec } from "../args.ts"
import { batchOptions } from "./batch-options.ts"
import type { BatchFormat } from "../../batch/output-format.ts"
import { batchProjections, checkWorkers, defaultWorkers, MAX_WORKERS } from "../../batch/local-runner.ts"
import { progressBar } from "../../batch/progress.ts"
import { writeRows } from "../../batch/output.ts"


const spec: CommandSpec = {
  command: "batch",
  options: batchOptions,
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, name: "a scenario file (plancast batch <scenario>...)" },
}

/** The help text of `plancast batch`. */
export const batchHelp = `usage: plancast batch <scenario>... [--grid ID=from:to:step]... [--draws N] [--seed S]
                      [--format csv|ndjson] [--workers K] [--out FILE]

Projects every scenario at every point of a grid of assumptions and writes one row per
scenario, grid point and indicator: scenario, point, indicator, mean, p05, p50, p95 (annual
growth, %), probability (of meeting the target), required (growth needed in the periods not
yet observed), met (the deterministic projection meets the target).

  --grid ID=from:to:step   a shock of each value (pp) on the growth of indicator or variable
                           ID over the whole horizon, as event "grid:ID=value"; also ID=a,b,c
                           or ID=v. Several grids make their cartesian product (at most
                           1,000,000 points); the point column reads "fai=-15;industry_va=2"
  --draws N                Monte Carlo draws per projection (0 = deterministic, the default)
  --seed S                 seed (default 1), the same for every projection: common random
                           numbers, so differences between points are not sampling noise
  --format F               csv (default, with a header line) or ndjson
  --workers K              worker threads (default: every core; 0 = none); the rows do not
                           depend on it
  --out FILE               write to FILE instead of standard output

Rows come in a fixed order: scenarios as given, grid points with the last grid varying
fastest, indicators in model order. A progress bar shows on standard error when it is a
terminal. Exit status: 0 done; 2 invalid input (file, grid, option, id); 1 anything else.
`

const parseWorkers = (raw: string | undefined): number => {
  if (raw === undefined) return defaultWorkers()
  if (!/^\d+$/.test(raw)) throw new OptionError({ option: "--workers", problem: `must be a whole number from 0 to ${MAX_WORKERS}, got ${JSON.stringify(raw)}` })
  return checkWorkers(Number(raw))
}

/** Runs `plancast batch` with the arguments after the command name; returns the exit status (errors are thrown, tagged). */
export const runBatch = async (argv: readonly string[]): Promise<number> => {
  // the same batch spread over `plancast worker` processes through JetStream work queues
  if (argv.some((a) => a === "--nats" || a.startsWith("--nats="))) return (await import("./worker.ts")).distributedBatchCommand(argv)
  const args = parseArgs(spec, argv)
  if (args.help) {
    process.stdout.write(batchHelp + "\n" + (await import("./worker.ts")).distributedBatchHelp)
    return 0
  }
  const plan = planBatch({
    scenarios: args.positionals,
    grids: optionList(args, "grid"),
    draws: optionNumber(args, "draws") ?? 0,
    seed: optionNumber(args, "seed") ?? 1,
  })
  const workers = parseWorkers(optionString(args, "workers"))
  const format = (optionString(args, "format") ?? "csv") as BatchFormat
  const bar = process.stderr.isTTY ? progressBar(process.stderr, jobCount(plan)) : undefined
  await writeRows(batchProjections(plan, { workers, onProgress: bar?.update }), format, optionString(args, "out"), bar?.done)
  return 0
}
