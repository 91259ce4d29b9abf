// `plancast serve`, `plancast publish` and `plancast batch`: the checks of options that go
// together, then the work in the adapters that own it, loaded only when asked for (so other
// commands never load NATS): the programs `serveCommand(options)` (adapters/cli/serve.ts) and
// `publishCommand(options)` (adapters/transports/nats/publish.ts), which the handler yields
// (handler.ts), `runBatch(input)` (./batch.ts) or, with --nats, `distributedBatch(input)`
// (./worker.ts). The options are parsed by the command table (configs/running.ts). Shell.
import type { ServeOptions } from "../serve.ts"
import type { PublishOptions } from "../../transports/nats/publish.ts"
import { OptionError } from "../../../engine/index.ts"
import type { BatchInput, PublishInput, ServeInput } from "../configs/running.ts"
import { Unavailable, UsageError } from "../failure.ts"
import { connectionFlags } from "../options.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED } from "./command.ts"
import * as Effect from "effect/Effect"
import { asCommand, type StoppableProgram } from "../../transports/nats/program.ts"

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

/** `plancast serve`: its options checked, the service as a program (serveCommand) that closes the live page when it ends. */
export const runServeCommand = async (args: ServeInput): Promise<StoppableProgram> => {
  const nats = args.connection.nats
  const stdio = args.stdio
  if (nats !== undefined && stdio) throw new UsageError({ command: "serve", problem: "give either --nats URL or --stdio, not both" })
  if (nats === undefined && !stdio && !process.env.NATS_URL) throw new UsageError({ command: "serve", problem: "give --nats URL (or set NATS_URL) or --stdio" })
  const base = args.base
  if (base === undefined) throw new UsageError({ command: "serve", problem: "missing --base <scenario>" })
  // loaded before the live page starts, so a failure here leaves no server holding the process
  const { serveCommand } = await loadAdapter("adapters/cli/serve.ts", () => import("../serve.ts"))
  const draws = args.draws ?? DEFAULT_DRAWS
  const seed = args.seed ?? DEFAULT_SEED
  const live = args.http === undefined ? undefined : await startLive(args.http, base, draws, seed)
  if (live) process.stderr.write(`plancast serve: live page on ${live.url}, studio on ${live.url}studio/\n`)
  const names = Object.fromEntries((["stream", "consumer", "bucket"] as const).flatMap((n) => (args[n] !== undefined ? [[n, args[n]]] : [])))
  const options: ServeOptions = {
    nats,
    stdio,
    base,
    draws,
    seed,
    natsFlags: { ...connectionFlags(args.connection), ...names },
    onForecast: live ? [(scenario, projection, lastEvent) => live.publish(scenario, projection, { id: lastEvent?.id ?? "(base)", at: new Date().toISOString(), kind: lastEvent?.type === "observe" ? "release" : "event" })] : [],
  }
  const service = asCommand(serveCommand(options))
  return live ? { program: service.program.pipe(Effect.ensuring(Effect.promise(() => live.close()))), stopped: service.stopped } : service
}

/** `plancast publish`: its options checked, the publishing as a program (publishCommand). */
export const runPublishCommand = async (args: PublishInput): Promise<StoppableProgram> => {
  const nats = args.connection.nats
  if (nats === undefined && !process.env.NATS_URL) throw new UsageError({ command: "publish", problem: "missing --nats URL (or set NATS_URL)" })
  const options: PublishOptions = { file: args.file, nats, natsFlags: connectionFlags(args.connection) }
  const { publishCommand } = await loadAdapter("adapters/transports/nats/publish.ts", () => import("../../transports/nats/publish.ts"))
  return asCommand(publishCommand(options))
}

/** Runs `plancast batch`: on local threads, or with --nats on `plancast worker` processes. */
export const runBatchCommand = async (args: BatchInput): Promise<number | StoppableProgram> => {
  if (args.connection.nats !== undefined) return (await loadAdapter("adapters/cli/commands/worker.ts", () => import("./worker.ts"))).distributedBatch(args)
  const natsOnly = [...Object.keys(connectionFlags(args.connection)), ...(args.batch !== undefined ? ["batch"] : []), ...(args.chunk !== undefined ? ["chunk"] : [])]
  if (natsOnly.length > 0) throw new UsageError({ command: "batch", problem: `--${natsOnly[0]} goes with --nats URL (a batch over NATS)` })
  const { runBatch } = await loadAdapter("adapters/cli/commands/batch.ts", () => import("./batch.ts"))
  return await runBatch(args)
}
