// Command-line front of distributed batches, for the `plancast` dispatcher and the entry
// files: `plancast worker --nats URL [--concurrency N] [--ack-wait MS]` and `plancast batch
// <scenario>... --nats URL [--batch ID] [--chunk N] [batch options]`. Parses arguments with
// the CLI's own parser (adapters/cli/args.ts) and calls runWorker / runDistributedBatch.
// Shell. Invariants: the same flags and defaults as `plancast batch` for the plan and the
// output (--grid, --draws, --seed, --format, --out), so a distributed batch differs from a
// local one only by --nats; bad arguments throw UsageError / OptionError (exit 2).
import { planBatch } from "../../../engine/index.ts"
import { OptionError } from "../../../engine/index.ts"
import { optionList, optionNumber, optionString, parseArgs, UsageError, type CommandSpec, type OptionKind, type ParsedArgs } from "../args.ts"
import type { BatchFormat } from "../../batch/output-format.ts"
import { batchOptions } from "./batch-options.ts"
import { runDistributedBatch } from "../../batch/nats-client.ts"
import { checkBatchId, checkChunkSize } from "../../batch/nats-jobs.ts"
import { checkConcurrency, runWorker } from "../../batch/nats-worker.ts"

const connectionFlags = ["user", "password", "token", "creds", "tls-ca", "tls-cert", "tls-key", "connect-timeout"] as const
const stringOptions = (names: readonly string[]): Record<string, OptionKind> => Object.fromEntries(names.map((n) => [n, { kind: "string" } as const]))
const flagsOf = (args: ParsedArgs): Record<string, string> =>
  Object.fromEntries(connectionFlags.flatMap((n) => (optionString(args, n) !== undefined ? [[n, optionString(args, n)!]] : [])))

const wholeNumber = (args: ParsedArgs, name: string): number | undefined => {
  const raw = optionString(args, name)
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw)) throw new OptionError({ option: `--${name}`, problem: `must be a whole number, got ${JSON.stringify(raw)}` })
  return Number(raw)
}

const natsUrl = (args: ParsedArgs, command: string): string => {
  const nats = optionString(args, "nats") ?? process.env.NATS_URL
  if (nats === undefined || nats === "") throw new UsageError({ command, problem: "missing --nats URL (or set NATS_URL)" })
  return nats
}

const workerSpec: CommandSpec = {
  command: "worker",
  options: { nats: { kind: "string" }, concurrency: { kind: "string" }, "ack-wait": { kind: "string" }, ...stringOptions(connectionFlags) },
  positionals: { min: 0, max: 0, name: "" },
}

/** The help text of `plancast worker`. */
export const workerHelp = `usage: plancast worker --nats URL [--concurrency N] [--ack-wait MS]

Computes batch jobs for "plancast batch ... --nats URL" clients anywhere on the bus: takes jobs
from the JetStream work-queue stream PLANCAST_JOBS (shared consumer plancast-workers),
publishes each job's rows on plancast.results.<batch> (stream PLANCAST_RESULTS) and
acknowledges the job once they are stored. Run as many as you have machines and cores; a job
whose worker dies goes to another after the ack wait. Stops on SIGINT/SIGTERM.

  --concurrency N   jobs computed at once, each in its own thread (default 1)
  --ack-wait MS     ack wait of the shared consumer when this worker creates it (default
                    30000); a job in progress is kept alive however long it takes
  --nats URL[,URL]  servers (NATS_URL); credentials in the URL, --user/--password, --token,
                    --creds, --tls-ca, --tls-cert, --tls-key as for "plancast serve"
  --connect-timeout S  give up when the broker is not reached within S seconds (exit 1;
                    default: retry for ever, saying so on standard error)
`

/** Runs `plancast worker` with the arguments after the command name; returns the exit status. */
export const workerCommand = async (argv: readonly string[]): Promise<number> => {
  const args = parseArgs(workerSpec, argv)
  if (args.help) return process.stdout.write(workerHelp), 0
  const concurrency = checkConcurrency(wholeNumber(args, "concurrency") ?? 1)
  const ackWaitMs = wholeNumber(args, "ack-wait")
  if (ackWaitMs !== undefined && ackWaitMs < 100) throw new OptionError({ option: "--ack-wait", problem: `at least 100 ms, not ${ackWaitMs}` })
  return runWorker({ nats: natsUrl(args, "worker"), natsFlags: flagsOf(args), concurrency, ...(ackWaitMs !== undefined ? { ackWaitMs } : {}) })
}

const batchSpec: CommandSpec = {
  command: "batch",
  options: {
    ...batchOptions,
    nats: { kind: "string" },
    batch: { kind: "string" },
    chunk: { kind: "string" },
    ...stringOptions(connectionFlags),
  },
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, name: "a scenario file (plancast batch <scenario>... --nats URL)" },
}

/** The part of `plancast batch --help` about --nats. */
export const distributedBatchHelp = `  --nats URL[,URL]         compute on "plancast worker" processes over NATS JetStream instead
                           of local threads; the rows are the same. Running the same command
                           again after a failure resumes the batch (results already stored
                           are used)
  --batch ID               the batch's id on the bus (default: a digest of the plan)
  --chunk N                projections per job on the bus (default: about 1/100 of the batch,
                           at most 64)
  --connect-timeout S      give up when the broker is not reached within S seconds (exit 1;
                           default 5); credentials in the URL, --user/--password, --token,
                           --creds and the TLS flags as for "plancast serve"
`

/** Runs `plancast batch ... --nats URL` with the arguments after the command name; returns the exit status. */
export const distributedBatchCommand = async (argv: readonly string[]): Promise<number> => {
  const args = parseArgs(batchSpec, argv)
  if (args.help) return process.stdout.write(distributedBatchHelp), 0
  if (optionString(args, "workers") !== undefined)
    throw new UsageError({ command: "batch", problem: "--workers sets local threads; with --nats the work is done by \"plancast worker\" processes (each with --concurrency)" })
  const plan = planBatch({ scenarios: args.positionals, grids: optionList(args, "grid"), draws: optionNumber(args, "draws") ?? 0, seed: optionNumber(args, "seed") ?? 1 })
  const chunk = wholeNumber(args, "chunk")
  const batch = optionString(args, "batch")
  const out = optionString(args, "out")
  return runDistributedBatch({
    plan,
    nats: natsUrl(args, "batch"),
    natsFlags: flagsOf(args),
    format: (optionString(args, "format") ?? "csv") as BatchFormat,
    ...(out !== undefined ? { out } : {}),
    ...(chunk !== undefined ? { chunkSize: checkChunkSize(chunk) } : {}),
    ...(batch !== undefined ? { batch: checkBatchId(batch) } : {}),
    log: process.env.PLANCAST_VERBOSE ? (line) => void process.stderr.write(line + "\n") : undefined,
  })
}
