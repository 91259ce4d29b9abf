// `plancast serve`, `plancast publish` and `plancast batch`: the checks of options that go
// together, then the work in the adapters that own it, loaded only when asked for (so other
// commands never load NATS): `runServe(options)` (adapters/cli/serve.ts), `runPublish(options)`
// (adapters/transports/nats/publish.ts), `runBatch(input)` (./batch.ts) or, with --nats,
// `distributedBatch(input)` (./worker.ts, which calls runDistributedBatch). The options are
// parsed by the command table (configs/running.ts). Shell.
import type { ServeOptions } from "../serve.ts"
import type { PublishOptions } from "../../transports/nats/publish.ts"
import { OptionError } from "../../../engine/index.ts"
import type { BatchInput, PublishInput, ServeInput } from "../configs/running.ts"
import { Unavailable, UsageError } from "../failure.ts"
import { connectionFlags } from "../options.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED } from "./command.ts"

/** Loads a module of another adapter; a missing module is a clear "not available" failure, not a stack. */
const loadAdapter = async <T>(what: string, load: () => Promise<T>): Promise<T> => {
  try {
    return await load()
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes(what))
      throw new Unavailable({ what })
    throw e
  }
}

/** Starts the live page on `port`, with the studio on the base under /studio/; a port that cannot be bound (in use, not permitted) is an option error, not a defect. */
const startLive = async (port: number, base: string, draws: number, seed: number) => {
  const { startLivePage } = await import("../../report/index.ts")
  const { studioRoutes } = await import("./studio.ts")
  const routes = await studioRoutes(base, draws, seed)
  try {
    return await startLivePage({ port, routes })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === "EADDRINUSE" || code === "EACCES") throw new OptionError({ option: "--http", problem: `cannot listen on port ${port} (${code})` })
    throw e
  }
}

/** Runs `plancast serve`; resolves with runServe's exit status. */
export const runServeCommand = async (args: ServeInput): Promise<number> => {
  const nats = args.connection.nats
  const stdio = args.stdio
  if (nats !== undefined && stdio) throw new UsageError({ command: "serve", problem: "give either --nats URL or --stdio, not both" })
  if (nats === undefined && !stdio && !process.env.NATS_URL) throw new UsageError({ command: "serve", problem: "give --nats URL (or set NATS_URL) or --stdio" })
  const base = args.base
  if (base === undefined) throw new UsageError({ command: "serve", problem: "missing --base <scenario>" })
  // loaded before the live page starts, so a failure here leaves no server holding the process
  const { runServe } = await loadAdapter("adapters/cli/serve.ts", () => import("../serve.ts"))
  const draws = args.draws ?? DEFAULT_DRAWS
  const seed = args.seed ?? DEFAULT_SEED
  const live = args.http === undefined ? undefined : await startLive(args.http, base, draws, seed)
  if (live) process.stderr.write(`plancast serve: live page on ${live.url}, studio on ${live.url}studio/\n`)
  const service = Object.fromEntries((["stream", "consumer", "bucket"] as const).flatMap((n) => (args[n] !== undefined ? [[n, args[n]]] : [])))
  const options: ServeOptions = {
    nats,
    stdio,
    base,
    draws,
    seed,
    natsFlags: { ...connectionFlags(args.connection), ...service },
    onForecast: live ? [(scenario, projection, lastEvent) => live.publish(scenario, projection, { id: lastEvent?.id ?? "(base)", at: new Date().toISOString(), kind: lastEvent?.type === "observe" ? "release" : "event" })] : [],
  }
  try {
    return await runServe(options)
  } finally {
    await live?.close()
  }
}

/** Runs `plancast publish`; resolves with runPublish's exit status. */
export const runPublishCommand = async (args: PublishInput): Promise<number> => {
  const nats = args.connection.nats
  if (nats === undefined && !process.env.NATS_URL) throw new UsageError({ command: "publish", problem: "missing --nats URL (or set NATS_URL)" })
  const options: PublishOptions = { file: args.file, nats, natsFlags: connectionFlags(args.connection) }
  const { runPublish } = await loadAdapter("adapters/transports/nats/publish.ts", () => import("../../transports/nats/publish.ts"))
  return await runPublish(options)
}

/** Runs `plancast batch`: on local threads, or with --nats on `plancast worker` processes. */
export const runBatchCommand = async (args: BatchInput): Promise<number> => {
  if (args.connection.nats !== undefined) return (await loadAdapter("adapters/cli/commands/worker.ts", () => import("./worker.ts"))).distributedBatch(args)
  const natsOnly = [...Object.keys(connectionFlags(args.connection)), ...(args.batch !== undefined ? ["batch"] : []), ...(args.chunk !== undefined ? ["chunk"] : [])]
  if (natsOnly.length > 0) throw new UsageError({ command: "batch", problem: `--${natsOnly[0]} goes with --nats URL (a batch over NATS)` })
  const { runBatch } = await loadAdapter("adapters/cli/commands/batch.ts", () => import("./batch.ts"))
  return await runBatch(args)
}
