// `plancast serve`, `plancast publish` and `plancast batch`: argument parsing here, the work in
// the adapters that own it, loaded only when asked for (so other commands never load NATS):
// `runServe(options)` (adapters/service/serve.ts), `runPublish(options)` (adapters/nats/publish.ts),
// `runBatch(args)` (adapters/batch/cli.ts, which parses its own arguments). Shell.
import { parseArgs, optionFlag, optionNumber, optionString, UsageError } from "../args.ts"
import { Unavailable } from "../failure.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, runOptions, type Command } from "./command.ts"

/** Options of `plancast serve`, as handed to runServe. */
export interface ServeOptions {
  /** NATS server URL(s), comma-separated; absent with --stdio. */
  readonly nats?: string
  /** Read NDJSON events on standard input, write projection lines on standard output. */
  readonly stdio: boolean
  /** The scenario file every served scenario extends. */
  readonly base: string
  readonly draws: number
  readonly seed: number
}

/** Options of `plancast publish`, as handed to runPublish. */
export interface PublishOptions {
  /** The NDJSON events file ("-" for standard input). */
  readonly file: string
  readonly nats: string
}

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

const serveSpec = {
  command: "serve",
  options: { ...runOptions, nats: { kind: "string" }, stdio: { kind: "flag" }, base: { kind: "string" } },
  positionals: { min: 0, max: 0, name: "" },
} as const

export const serveCommand: Command = {
  name: "serve",
  help: `usage: plancast serve (--nats URL | --stdio) --base <scenario> [--draws N] [--seed S]

Runs the event-driven service. Every scenario extends the base scenario file.
  --nats URL     consume plancast.events.<scenario> from the JetStream stream PLANCAST_EVENTS,
                 publish plancast.forecasts.<scenario>, plancast.rejected.<scenario> and the KV
                 bucket plancast-forecasts; answer plancast.project requests
  --stdio        read NDJSON events (each with "scenario") on standard input, write one
                 projection JSON line per applied batch on standard output, rejections on
                 standard error
  --base FILE    the base scenario (required)
  --draws N      Monte Carlo draws per projection (default 0)
  --seed S       seed (default 1)
`,
  run: async (argv) => {
    const args = parseArgs(serveSpec, argv)
    if (args.help) return print(serveCommand.help), 0
    const nats = optionString(args, "nats")
    const stdio = optionFlag(args, "stdio")
    if ((nats === undefined) === !stdio) throw new UsageError({ command: "serve", problem: "give exactly one of --nats URL or --stdio" })
    const base = optionString(args, "base")
    if (base === undefined) throw new UsageError({ command: "serve", problem: "missing --base <scenario>" })
    const options: ServeOptions = { nats, stdio, base, draws: optionNumber(args, "draws") ?? DEFAULT_DRAWS, seed: optionNumber(args, "seed") ?? DEFAULT_SEED }
    const { runServe } = await loadAdapter("adapters/service/serve.ts", () => import("../../service/serve.ts" as string) as Promise<{ runServe: (o: ServeOptions) => Promise<number | void> }>)
    return (await runServe(options)) ?? 0
  },
}

const publishSpec = {
  command: "publish",
  options: { nats: { kind: "string" } },
  positionals: { min: 1, max: 1, name: "the NDJSON events file (plancast publish <events.ndjson> --nats URL)" },
} as const

export const publishCommand: Command = {
  name: "publish",
  help: `usage: plancast publish <events.ndjson> --nats URL

Publishes each line of the file (one event with its "scenario" field) to
plancast.events.<scenario>, with the header Nats-Msg-Id set to the event's id so a repeated
publish is stored once. "-" reads standard input.
`,
  run: async (argv) => {
    const args = parseArgs(publishSpec, argv)
    if (args.help) return print(publishCommand.help), 0
    const nats = optionString(args, "nats")
    if (nats === undefined) throw new UsageError({ command: "publish", problem: "missing --nats URL" })
    const options: PublishOptions = { file: args.positionals[0]!, nats }
    const { runPublish } = await loadAdapter("adapters/nats/publish.ts", () => import("../../nats/publish.ts" as string) as Promise<{ runPublish: (o: PublishOptions) => Promise<number | void> }>)
    return (await runPublish(options)) ?? 0
  },
}

export const batchCommand: Command = {
  name: "batch",
  help: `usage: plancast batch ...   (run "plancast batch --help" for its options)
`,
  run: async (argv) => {
    const { runBatch } = await loadAdapter("adapters/batch/cli.ts", () => import("../../batch/cli.ts" as string) as Promise<{ runBatch: (args: readonly string[]) => Promise<number | void> }>)
    return (await runBatch(argv)) ?? 0
  },
}
