// What the running and checking commands take (validate, batch, serve, publish, worker,
// studio, start), declared with effect/cli: summary, help description and config per command,
// as in analysis.ts. The NATS connection options and the batch options are the shared groups
// of ../options.ts, declared once. Declarations only: loaded at start-up. Shell-side, pure.
import { Argument, type Command } from "effect/cli"
import * as Option from "effect/Option"
import { batchGroup, connectionGroup, flag, format, port, runGroup, text, whole } from "../options.ts"
import type { Declared } from "./analysis.ts"

const declare = <const Config extends Command.Command.Config>(d: Declared<Config>): Declared<Config> => d
const file = (name: string, description: string) => Argument.String(name).pipe(Argument.withDescription(description))

/** The studio's default Monte Carlo draws: enough for stable probabilities, fast enough to follow a slider. */
export const STUDIO_DRAWS = 10_000
export const STUDIO_PORT = 7370
export const STUDIO_SCENARIO = "scenarios/duji-2024/baseline.yaml"

export const validate = declare({
  summary: "check a model, scenario or NDJSON events file",
  description:
    'Checks a model file, a scenario file (with its model and base chain, every event applied) or an NDJSON events file (one event per line, each with its "scenario", a valid scenario name: letters, digits, "-" and "_"). Prints what the file is and "ok", or every problem as file:line: field.path: problem.\n\nExit status: 0 valid; 2 invalid; 1 anything else.',
  config: {
    file: file("file", "the model, scenario or events file"),
    base: text(
      "base",
      'check the events file as the service started on this base scenario would take it: scenario names, the fold against the model and each scenario\'s earlier events, and admission (the scenario must still project: converge, stay finite and inside the model\'s plausible ranges); every scenario starts from the base. A refused line is reported as file:line: event "id" refused: reason',
      "FILE",
    ),
    blocks: flag("blocks", "print the model's equation blocks in solution order: each block's variables, simultaneous or recursive, linear or not, its solver and size"),
    format: format(
      ["table", "csv", "json"],
      "with --blocks: table (default), csv (block, simultaneous, linear, solver, size, variables separated by spaces) or json ({model, forwardLooking, periods, equations, tolerance, blocks: [{block, variables, simultaneous, linear, solver, method, size}]})",
    ),
  },
})

export const batch = declare({
  summary: "many projections at once (grids, files), for scripts",
  description:
    "Projects every scenario at every point of a grid of assumptions and writes one row per scenario, grid point and indicator: scenario, point, indicator, mean, p05, p50, p95 (annual growth, %), probability (of meeting the target), required (growth needed in the periods not yet observed), met (the deterministic projection meets the target). \n\n" +
    "Rows come in a fixed order: scenarios as given, grid points with the last grid varying fastest, indicators in model order. A progress bar shows on standard error when it is a terminal.\n\n" +
    'With --nats URL the projections are computed on "plancast worker" processes over NATS JetStream instead of local threads; the rows are the same. Running the same command again after a failure resumes the batch (results already stored are used).\n\n' +
    "Exit status: 0 done; 2 invalid input (file, grid, option, id); 1 anything else.",
  config: {
    scenarios: file("scenario", "the scenario files").pipe(Argument.variadic({ min: 1 })),
    ...batchGroup(),
    workers: text("workers", "worker threads (default: every core; 0 = none); the rows do not depend on it. Not with --nats", "K"),
    batch: text("batch", "with --nats: the batch's id on the bus (default: a digest of the plan)", "ID"),
    chunk: whole("chunk", "with --nats: projections per job on the bus (default: about 1/100 of the batch, at most 64)"),
    connection: connectionGroup("default 5"),
  },
})

export const serve = declare({
  summary: "the event-driven service: events in (NATS or stdin), forecasts out",
  description:
    "Runs the event-driven service. Every scenario extends the base scenario file. With --nats: consumes plancast.events.<scenario> from the JetStream stream PLANCAST_EVENTS, publishes plancast.forecasts.<scenario>, plancast.rejected.<scenario> and the KV bucket plancast-forecasts, answers plancast.project requests. With --stdio: reads NDJSON events (each with \"scenario\") on standard input, writes one projection JSON line per applied batch on standard output, rejections on standard error. Stops on SIGINT/SIGTERM.",
  config: {
    stdio: flag("stdio", "read NDJSON events on standard input instead of NATS (see above)"),
    base: text("base", "the base scenario (required)", "FILE"),
    ...runGroup(),
    http: port(
      "http",
      "also serve a live page on http://127.0.0.1:PORT with every scenario's charts, updated as forecasts arrive (server-sent events), and the studio on the base scenario at /studio/ (see plancast studio; its own draws: --draws, or 10,000)",
    ),
    stream: text("stream", "JetStream stream (PLANCAST_STREAM; default PLANCAST_EVENTS)", "NAME"),
    consumer: text("consumer", "durable consumer (PLANCAST_CONSUMER; default plancast)", "NAME"),
    bucket: text("bucket", "KV bucket (PLANCAST_BUCKET; default plancast-forecasts)", "NAME"),
    connection: connectionGroup("default: retry for ever, saying so on standard error"),
  },
})

export const publish = declare({
  summary: "publish scenario events from an NDJSON file to NATS",
  description:
    'Publishes each line of the file (one event with its "scenario" field) to plancast.events.<scenario>, with the header Nats-Msg-Id set to the event\'s id so a repeated publish is stored once. "-" reads standard input.',
  config: {
    file: file("events", 'the NDJSON events file ("-": standard input)'),
    connection: connectionGroup("default 5"),
  },
})

export const worker = declare({
  summary: "compute batch jobs from NATS JetStream for `batch --nats` clients",
  description:
    'Computes batch jobs for "plancast batch ... --nats URL" clients anywhere on the bus: takes jobs from the JetStream work-queue stream PLANCAST_JOBS (shared consumer plancast-workers), publishes each job\'s rows on plancast.results.<batch> (stream PLANCAST_RESULTS) and acknowledges the job once they are stored. Run as many as you have machines and cores; a job whose worker dies goes to another after the ack wait. Stops on SIGINT/SIGTERM.',
  config: {
    concurrency: whole("concurrency", "jobs computed at once, each in its own thread (default 1)"),
    "ack-wait": whole("ack-wait", "ack wait of the shared consumer when this worker creates it (default 30000, at least 100); a job in progress is kept alive however long it takes", "MS"),
    connection: connectionGroup("default: retry for ever, saying so on standard error"),
  },
})

export const studio = declare({
  summary: "a local web page to change assumptions and watch the targets' probabilities move",
  description: `Serves the studio on http://127.0.0.1:P/ (default port ${STUDIO_PORT}): pick a scenario, see every indicator's fan chart with its target, P(target), the growth still required and the joint probability, and change assumptions directly: a slider per uncertain parameter and exogenous series, shocks by variable and period, measures on or off, a data release typed in. Each change is a scenario event; "Save as scenario" writes them as a scenario file (base: the scenario picked) that project, compare and explain read like any other. Stops on SIGINT/SIGTERM.`,
  config: {
    scenario: file("scenario", `the scenario to start from (default ${STUDIO_SCENARIO})`).pipe(Argument.optional, Argument.map(Option.getOrUndefined)),
    port: port("port", `port (default ${STUDIO_PORT}; 0 picks a free one)`),
    ...runGroup(),
    dir: text("dir", "the folder whose scenario files are listed and saved into (default: the scenario's)", "DIR"),
    host: text("host", "address to listen on (default 127.0.0.1: this machine only)", "H"),
  },
})

export const start = declare({
  summary: "the Duji 2024 baseline and its alternative scenarios side by side (npm start)",
  description:
    "Projects scenarios/duji-2024/baseline.yaml as a table, then it and every other scenario file of the folder side by side (annual growth p50, ✓ target met, ✗ not).",
  config: {
    ...runGroup(),
    dir: text("dir", "another folder of scenarios (its baseline.yaml first)", "DIR"),
  },
})

export type ValidateInput = Command.Command.Config.Infer<typeof validate.config>
export type BatchInput = Command.Command.Config.Infer<typeof batch.config>
export type ServeInput = Command.Command.Config.Infer<typeof serve.config>
export type PublishInput = Command.Command.Config.Infer<typeof publish.config>
export type WorkerInput = Command.Command.Config.Infer<typeof worker.config>
export type StudioInput = Command.Command.Config.Infer<typeof studio.config>
export type StartInput = Command.Command.Config.Infer<typeof start.config>
