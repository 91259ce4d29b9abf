// `plancast serve`, `plancast publish` and `plancast batch`: argument parsing here, the work in
// the adapters that own it, loaded only when asked for (so other commands never load NATS):
// `runServe(options)` (adapters/cli/serve.ts), `runPublish(options)` (adapters/transports/nats/publish.ts),
// `runBatch(args)` (adapters/cli/commands/batch.ts, which parses its own arguments). Shell.
import type { ServeOptions } from "../serve.ts"
import type { PublishOptions } from "../../transports/nats/publish.ts"
import { parseArgs, optionFlag, optionNumber, optionString, UsageError, type OptionKind, type ParsedArgs } from "../args.ts"
import { OptionError } from "../../../engine/index.ts"
import { Unavailable } from "../failure.ts"
import { DEFAULT_DRAWS, DEFAULT_SEED, print, runOptions, type Command } from "./command.ts"

/** The NATS connection flags `serve` and `publish` pass on (adapters/transports/nats/settings.ts reads them; each has an environment fallback). */
const connectionFlags = ["user", "password", "token", "creds", "tls-ca", "tls-cert", "tls-key", "connect-timeout"] as const
const serviceFlags = ["stream", "consumer", "bucket"] as const
const stringOptions = (names: readonly string[]): Record<string, OptionKind> => Object.fromEntries(names.map((n) => [n, { kind: "string" } as const]))
const flagsOf = (args: ParsedArgs, names: readonly string[]): Record<string, string | undefined> =>
  Object.fromEntries(names.flatMap((n) => (optionString(args, n) !== undefined ? [[n, optionString(args, n)]] : [])))

const natsHelp = (timeout: string) => `NATS connection (each falls back to its environment variable; prefer the variables for
secrets, a flag's value shows in the process list):
  --nats URL[,URL]   servers (NATS_URL): nats://host:port, nats://user:password@host:port
                     or nats://token@host:port (URL credentials are used when no flag gives any)
  --user U / --password P (NATS_USER, NATS_PASSWORD)   --token T (NATS_TOKEN)
  --creds FILE       a creds file: user JWT and nkey seed (NATS_CREDS)
  --tls-ca FILE / --tls-cert FILE / --tls-key FILE (NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY)
  --connect-timeout S  seconds to try the first connection before giving up (exit 1)
                     (PLANCAST_CONNECT_TIMEOUT; ${timeout})
Addresses in messages never show a password or token (nats://user:***@host:port).`

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
  options: { ...runOptions, nats: { kind: "string" }, stdio: { kind: "flag" }, base: { kind: "string" }, http: { kind: "string" }, ...stringOptions([...connectionFlags, ...serviceFlags]) },
  positionals: { min: 0, max: 0, name: "" },
} as const

/** `--http PORT`: a port number 0..65535 (0 picks a free one). */
const httpPort = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new OptionError({ option: "--http", problem: `must be a port number 0..65535, got ${JSON.stringify(value)}` })
  return port
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

export const serveCommand: Command = {
  name: "serve",
  help: `usage: plancast serve (--nats URL | --stdio) --base <scenario> [--draws N] [--seed S] [--http PORT]

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
  --http PORT    also serve a live page on http://127.0.0.1:PORT with every scenario's charts,
                 updated as forecasts arrive (server-sent events), and the studio on the base
                 scenario at /studio/ (see plancast studio; its own draws: --draws, or 10,000)
  --stream NAME / --consumer NAME / --bucket NAME
                 JetStream stream, durable consumer and KV bucket (PLANCAST_STREAM,
                 PLANCAST_CONSUMER, PLANCAST_BUCKET; defaults PLANCAST_EVENTS, plancast,
                 plancast-forecasts)
${natsHelp("default: retry for ever, saying so on standard error")}
`,
  run: async (argv) => {
    const args = parseArgs(serveSpec, argv)
    if (args.help) return print(serveCommand.help), 0
    const nats = optionString(args, "nats")
    const stdio = optionFlag(args, "stdio")
    if (nats !== undefined && stdio) throw new UsageError({ command: "serve", problem: "give either --nats URL or --stdio, not both" })
    if (nats === undefined && !stdio && !process.env.NATS_URL) throw new UsageError({ command: "serve", problem: "give --nats URL (or set NATS_URL) or --stdio" })
    const base = optionString(args, "base")
    if (base === undefined) throw new UsageError({ command: "serve", problem: "missing --base <scenario>" })
    const port = httpPort(optionString(args, "http"))
    // loaded before the live page starts, so a failure here leaves no server holding the process
    const { runServe } = await loadAdapter("adapters/cli/serve.ts", () => import("../serve.ts"))
    const draws = optionNumber(args, "draws") ?? DEFAULT_DRAWS
    const seed = optionNumber(args, "seed") ?? DEFAULT_SEED
    const live = port === undefined ? undefined : await startLive(port, base, draws, seed)
    if (live) process.stderr.write(`plancast serve: live page on ${live.url}, studio on ${live.url}studio/\n`)
    const options: ServeOptions = {
      nats,
      stdio,
      base,
      draws,
      seed,
      natsFlags: flagsOf(args, [...connectionFlags, ...serviceFlags]),
      onForecast: live ? [(scenario, projection, lastEvent) => live.publish(scenario, projection, { id: lastEvent?.id ?? "(base)", at: new Date().toISOString(), kind: lastEvent?.type === "observe" ? "release" : "event" })] : [],
    }
    try {
      return await runServe(options)
    } finally {
      await live?.close()
    }
  },
}

const publishSpec = {
  command: "publish",
  options: { nats: { kind: "string" }, ...stringOptions(connectionFlags) },
  positionals: { min: 1, max: 1, name: "the NDJSON events file (plancast publish <events.ndjson> --nats URL)" },
} as const

export const publishCommand: Command = {
  name: "publish",
  help: `usage: plancast publish <events.ndjson> [--nats URL]

Publishes each line of the file (one event with its "scenario" field) to
plancast.events.<scenario>, with the header Nats-Msg-Id set to the event's id so a repeated
publish is stored once. "-" reads standard input.
${natsHelp("default 5")}
`,
  run: async (argv) => {
    const args = parseArgs(publishSpec, argv)
    if (args.help) return print(publishCommand.help), 0
    const nats = optionString(args, "nats")
    if (nats === undefined && !process.env.NATS_URL) throw new UsageError({ command: "publish", problem: "missing --nats URL (or set NATS_URL)" })
    const options: PublishOptions = { file: args.positionals[0]!, nats, natsFlags: flagsOf(args, connectionFlags) }
    const { runPublish } = await loadAdapter("adapters/transports/nats/publish.ts", () => import("../../transports/nats/publish.ts"))
    return await runPublish(options)
  },
}

export const batchCommand: Command = {
  name: "batch",
  help: `usage: plancast batch ...   (run "plancast batch --help" for its options)
`,
  run: async (argv) => {
    const { runBatch } = await loadAdapter("adapters/cli/commands/batch.ts", () => import("./batch.ts"))
    return await runBatch(argv)
  },
}
