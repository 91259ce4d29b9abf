// Command-line front of distributed batches: `plancast worker --nats URL [--concurrency N]
// [--ack-wait MS]` and `plancast batch <scenario>... --nats URL [--batch ID] [--chunk N] [batch
// options]`, on the options the command table parsed (configs/running.ts): the programs
// workerCommand (adapters/batch/nats-worker.ts) and distributedBatchCommand
// (adapters/batch/nats-client.ts), which the handler yields (../handler.ts).
// Shell. Invariants: the same options and defaults as `plancast batch` for the plan and the
// output (--grid, --draws, --seed, --format, --out: one group, options.ts), so a distributed
// batch differs from a local one only by --nats; bad arguments throw UsageError / OptionError
// (exit 2).
import { OptionError, planBatch } from "../../../engine/index.ts"
import type { BatchInput, WorkerInput } from "../configs/running.ts"
import { UsageError } from "../failure.ts"
import { connectionFlags, type Connection } from "../options.ts"
import { distributedBatchCommand } from "../../batch/nats-client.ts"
import { checkBatchId, checkChunkSize } from "../../batch/nats-jobs.ts"
import { checkConcurrency, workerCommand } from "../../batch/nats-worker.ts"
import { asCommand, type StoppableProgram } from "../../transports/nats/program.ts"

const natsUrl = (connection: Connection, command: string): string => {
  const nats = connection.nats ?? process.env.NATS_URL
  if (nats === undefined || nats === "") throw new UsageError({ command, problem: "missing --nats URL (or set NATS_URL)" })
  return nats
}

/** `plancast worker`: its options checked, the worker as a program (workerCommand). */
export const runWorkerCommand = async (args: WorkerInput): Promise<StoppableProgram> => {
  const concurrency = checkConcurrency(args.concurrency ?? 1)
  const ackWaitMs = args["ack-wait"]
  if (ackWaitMs !== undefined && ackWaitMs < 100) throw new OptionError({ option: "--ack-wait", problem: `at least 100 ms, not ${ackWaitMs}` })
  return asCommand(workerCommand({ nats: natsUrl(args.connection, "worker"), natsFlags: connectionFlags(args.connection), concurrency, ...(ackWaitMs !== undefined ? { ackWaitMs } : {}) }))
}

/** `plancast batch ... --nats URL`: its options checked, the batch as a program (distributedBatchCommand). */
export const distributedBatch = async (args: BatchInput): Promise<StoppableProgram> => {
  if (args.workers !== undefined)
    throw new UsageError({ command: "batch", problem: "--workers sets local threads; with --nats the work is done by \"plancast worker\" processes (each with --concurrency)" })
  const plan = planBatch({ scenarios: args.scenarios, grids: args.grid, draws: args.draws ?? 0, seed: args.seed ?? 1 })
  return asCommand(distributedBatchCommand({
    plan,
    nats: natsUrl(args.connection, "batch"),
    natsFlags: connectionFlags(args.connection),
    format: args.format ?? "csv",
    ...(args.out !== undefined ? { out: args.out } : {}),
    ...(args.chunk !== undefined ? { chunkSize: checkChunkSize(args.chunk) } : {}),
    ...(args.batch !== undefined ? { batch: checkBatchId(args.batch) } : {}),
    log: process.env.PLANCAST_VERBOSE ? (line) => void process.stderr.write(line + "\n") : undefined,
  }))
}
