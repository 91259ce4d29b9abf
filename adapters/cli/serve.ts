// `plancast serve`: the event-driven service. Loads the base scenario once, picks the layer
// (NATS: JetStream in, forecasts/rejections/KV out, plus the plancast.project endpoint; stdio:
// NDJSON in, projection lines out), and runs the serve loop until end of input (stdio) or a
// SIGINT/SIGTERM (NATS), start-up included: a signal while the broker is still being waited
// for stops it at once. One Effect, serveProgram; runServe runs it from a Promise and turns the
// signals into its interruption (../transports/nats/program.ts). Shell: composes Effect layers.
// Invariants: every scenario starts as the base's state; with NATS the service never stops by
// itself on a broker failure (it reconnects, and retries a first connection for ever unless
// --connect-timeout is given); invalid base or options are thrown before any I/O on the bus
// (the CLI maps them to exit 2); every diagnostic line has its URLs redacted.
import { Effect } from "effect"
import { OptionError } from "../../engine/index.ts"
import { loadScenarioStrict } from "../files/load.ts"
import { InvalidInput } from "../files/located.ts"
import { layerNats, NatsLink } from "../transports/nats/layer.ts"
import type { NatsError } from "../transports/nats/connection.ts"
import { runProgram, type StoppableProgram } from "../transports/nats/program.ts"
import { oneOf, trying, type TransportError } from "../service/cause.ts"
import { serveProjectEndpoint } from "../transports/nats/project-endpoint.ts"
import { addressText, parseNatsSettings, type NatsFlag, type NatsSettings } from "../transports/nats/settings.ts"
import { redactUrls } from "../transports/nats/redact.ts"
import { layerStdio, type StdioStreams } from "../transports/stdio/ndjson.ts"
import { ScenarioRegistry, type BaseScenario } from "../service/registry.ts"
import { projectRequest } from "../service/request.ts"
import { serveLoop, type ForecastListener } from "../service/serve-loop.ts"

export type { ForecastListener } from "../service/serve-loop.ts"

/** Options of `plancast serve` (the CLI passes the first five; the rest are for embedding and tests). */
export interface ServeOptions {
  /** NATS server URL(s), comma-separated; absent with `stdio`. Falls back to NATS_URL when `stdio` is false. */
  readonly nats?: string
  /** Serve NDJSON on standard input/output instead of NATS. */
  readonly stdio: boolean
  /** The base scenario file every served scenario extends. */
  readonly base: string
  readonly draws?: number
  readonly seed?: number
  /** Further NATS flags (user, password, token, creds, tls-ca, tls-cert, tls-key, connect-timeout, stream, consumer, bucket). */
  readonly natsFlags?: Readonly<Partial<Record<NatsFlag, string | undefined>>>
  /** Environment for NATS settings (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Called after each forecast is out (the live page of `--http` registers here). */
  readonly onForecast?: ReadonlyArray<ForecastListener>
  /** Streams of `stdio` mode (process.stdin/stdout/stderr by default). */
  readonly streams?: StdioStreams
  /** Stops the service (in addition to SIGINT/SIGTERM). */
  readonly signal?: AbortSignal
  /** Diagnostics lines (standard error by default). */
  readonly log?: (line: string) => void
}

/** Loads the base scenario of a service: its compiled model and folded state (a refused event in it is invalid input). */
export const loadBase = async (file: string): Promise<BaseScenario> => {
  const loaded = await loadScenarioStrict(file)
  return { name: loaded.name, compiled: loaded.compiled, state: loaded.state, rejected: loaded.rejected.length }
}

/** Why a service stops on its own: bad base or options, a broker not reached (with --connect-timeout), a transport that failed for good. */
export type ServeError = InvalidInput | OptionError | NatsError | TransportError

/**
 * The service as one Effect: loads the base, then serves until end of input with `stdio`
 * (status 0), or until interrupted with NATS (a signal, at any stage, start-up retries
 * included), its connection, endpoint and loop in its scope. Fails with the base's
 * InvalidInput, an OptionError, or a NatsError when the broker cannot be reached at start.
 */
export const serveProgram = (options: Omit<ServeOptions, "signal">): Effect.Effect<number, ServeError> =>
  Effect.gen(function* () {
    const sink = options.log ?? ((line: string) => void process.stderr.write(`plancast serve: ${line}\n`))
    const log = (line: string): void => sink(redactUrls(line))
    const draws = options.draws ?? 0
    const seed = options.seed ?? 1
    const settings: NatsSettings | undefined = options.stdio
      ? undefined
      : yield* trying(() => parseNatsSettings({ ...options.natsFlags, nats: options.nats ?? options.natsFlags?.nats }, options.env ?? process.env, "plancast serve"), oneOf(OptionError))
    const base = yield* trying(() => loadBase(options.base), oneOf(InvalidInput, OptionError))
    const registry = new ScenarioRegistry(base, { draws, seed })
    const loop = serveLoop(registry, { onForecast: options.onForecast, log })
    if (!settings) yield* loop.pipe(Effect.provide(layerStdio(options.streams ?? { input: process.stdin, output: process.stdout, errors: process.stderr })))
    else
      yield* Effect.gen(function* () {
        const link = yield* NatsLink
        yield* serveProjectEndpoint(link.connection, (body) => projectRequest(body, base, options.base, { draws, seed }, registry), log)
        log(`serving ${base.name} on ${addressText(settings)} (stream ${settings.stream}, consumer ${settings.consumer}, bucket ${settings.bucket})`)
        yield* loop
      }).pipe(Effect.scoped, Effect.provide(layerNats(settings, { log })))
    return 0
  })

/**
 * Runs the service (serveProgram, stopped by SIGINT/SIGTERM or `signal`); resolves with the
 * exit status (0) when it ends. Rejects with the base's InvalidInput, an OptionError, or a
 * NatsError when the broker cannot be reached at start.
 */
export const runServe = (options: ServeOptions): Promise<number> => runProgram(serveProgram(options), serveStopped, { signal: options.signal })

/** Stopped by SIGINT/SIGTERM, the service has done its work: status 0. */
const serveStopped = (): number => 0

/** `plancast serve` as a program (see serveStopped). */
export const serveCommand = (options: ServeOptions): StoppableProgram => ({ program: serveProgram(options), stopped: serveStopped })
