// `plancast publish <events.ndjson> --nats URL`: publishes each line of an NDJSON events file
// (one event with its `scenario` field) to plancast.events.<scenario>, header Nats-Msg-Id =
// scenario, id and payload digest (contract.ts eventMessageId), and reports per line what the
// stream acknowledged: stored at sequence S, or a duplicate (PubAck.duplicate) of the same event
// already in the stream's de-duplication window. Another payload under a seen id is stored, and
// the service refuses it as a conflict. Shell.
// Invariants: the file is checked whole first (JSON, event schema, scenario field and name):
// if any line is invalid, every invalid line is reported (`file:line: reason`) and nothing is
// published (exit 2); lines are published in file order, each awaiting its acknowledgement.
import { readFile } from "node:fs/promises"
import { Effect } from "effect"
import { jetstream } from "@nats-io/jetstream"
import { decodeNdjsonLine, EventError, OptionError } from "../../../engine/index.ts"
import { eventMessageId, eventsSubject, MAX_EVENT_BYTES, SCENARIO_NAME } from "../../contract.ts"
import { acquireConnection, attempt, ensureStream, manager, startupRetry, type NatsError } from "./connection.ts"
import { runProgram, signalStatus, type StoppableProgram } from "./program.ts"
import { oneOf, trying } from "../../service/cause.ts"
import { parseNatsSettings, type NatsFlag } from "./settings.ts"

/** Options of `plancast publish` (the CLI passes `file` and `nats`). */
export interface PublishOptions {
  /** The NDJSON events file; "-" reads standard input. */
  readonly file: string
  /** NATS server URL(s), comma-separated (NATS_URL when absent). */
  readonly nats?: string
  /** Further NATS flags (user, password, token, creds, tls-ca, tls-cert, tls-key, connect-timeout: 5 s by default). */
  readonly natsFlags?: Readonly<Partial<Record<NatsFlag, string | undefined>>>
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Report lines (standard output by default) and problems (standard error by default). */
  readonly out?: (line: string) => void
  readonly err?: (line: string) => void
}

/** One line of the file, ready to publish. */
export interface OutgoingEvent {
  readonly line: number
  readonly id: string
  readonly scenario: string
  readonly text: string
  /** Nats-Msg-Id (contract.ts eventMessageId). */
  readonly messageId: string
}

/** What the stream said about one published line. */
export interface PublishReport {
  readonly line: number
  readonly id: string
  readonly subject: string
  readonly sequence: number
  readonly duplicate: boolean
}

/** Checks every line of an NDJSON text; returns the events to publish or the problems, `line: reason`, 1-based. */
export const checkEventLines = (text: string): { events: OutgoingEvent[]; problems: { line: number; problem: string }[] } => {
  const events: OutgoingEvent[] = []
  const problems: { line: number; problem: string }[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    if (raw.trim() === "") return
    if (Buffer.byteLength(raw) > MAX_EVENT_BYTES) return void problems.push({ line, problem: `longer than ${MAX_EVENT_BYTES} bytes` })
    try {
      const { scenario, event } = decodeNdjsonLine(raw, i)
      if (!SCENARIO_NAME.test(scenario)) {
        problems.push({ line, problem: `scenario: "${scenario}" is not a valid scenario name (one token of letters, digits, "-" and "_")` })
      } else events.push({ line, id: event.id, scenario, text: raw, messageId: eventMessageId(scenario, event) })
    } catch (e) {
      if (!(e instanceof EventError)) throw e
      const where = e.path.length ? `${e.path.join(".")}: ` : ""
      problems.push({ line, problem: `${e.id !== undefined ? `event ${JSON.stringify(e.id)}: ` : ""}${where}${e.problem}` })
    }
  })
  return { events, problems }
}

/**
 * Publishes the events, each awaiting its PubAck (retried with backoff while the broker is
 * away); a broker not reached within the settings' connect timeout is a NatsError. The events stream is created first when no service has created it yet, with the
 * service's own settings, so events published before the service starts are kept.
 */
export const publishEvents = (settings: Parameters<typeof acquireConnection>[0], events: readonly OutgoingEvent[], onReport: (r: PublishReport) => void = () => {}) =>
  Effect.scoped(
    Effect.gen(function* () {
      const nc = yield* acquireConnection(settings)
      yield* ensureStream(yield* manager(nc), settings.stream).pipe(Effect.retry({ schedule: startupRetry(30) }))
      const js = jetstream(nc)
      const reports: PublishReport[] = []
      for (const e of events) {
        const subject = eventsSubject(e.scenario)
        const ack = yield* attempt(`publish line ${e.line} to ${subject}`, () => js.publish(subject, e.text, { msgID: e.messageId })).pipe(
          Effect.retry({ schedule: startupRetry(30) }),
        )
        const report = { line: e.line, id: e.id, subject, sequence: ack.seq, duplicate: ack.duplicate }
        reports.push(report)
        onReport(report)
      }
      return reports
    }),
  )

/**
 * `plancast publish` as one Effect: reads and checks the file, then publishes it
 * (publishEvents), reporting each line. Succeeds with the exit status: 0 published, 2 an
 * unreadable file or invalid lines (nothing published). Fails with an OptionError on bad
 * settings, a NatsError when the broker is not reached within the connect timeout.
 */
export const publishProgram = (options: PublishOptions): Effect.Effect<number, OptionError | NatsError> =>
  Effect.gen(function* () {
    const out = options.out ?? ((l: string) => void process.stdout.write(l + "\n"))
    const err = options.err ?? ((l: string) => void process.stderr.write(l + "\n"))
    const settings = yield* trying(
      () => parseNatsSettings({ ...options.natsFlags, nats: options.nats ?? options.natsFlags?.nats }, options.env ?? process.env, "plancast publish", { failFast: true }),
      oneOf(OptionError),
    )
    const shown = options.file === "-" ? "<stdin>" : options.file
    const read = yield* Effect.result(Effect.tryPromise({ try: () => (options.file === "-" ? readStdin() : readFile(options.file, "utf8")), catch: (e) => e }))
    if (read._tag === "Failure") {
      const code = (read.failure as NodeJS.ErrnoException).code
      err(`${shown}: ${code === "ENOENT" ? "file not found" : `cannot read (${code ?? String(read.failure)})`}`)
      return 2
    }
    const { events, problems } = checkEventLines(read.success)
    if (problems.length > 0) {
      for (const p of problems) err(`${shown}:${p.line}: ${p.problem}`)
      err(`${shown}: ${problems.length} invalid line(s): nothing published`)
      return 2
    }
    let stored = 0
    let duplicates = 0
    yield* publishEvents(settings, events, (r) => {
      if (r.duplicate) duplicates++
      else stored++
      out(`${shown}:${r.line}: ${r.id} -> ${r.subject}: ${r.duplicate ? `duplicate (already stored at sequence ${r.sequence})` : `stored at sequence ${r.sequence}`}`)
    })
    out(`${events.length} event(s) published: ${stored} stored, ${duplicates} duplicate(s)`)
    return 0
  })

/**
 * Runs `plancast publish` (publishProgram); resolves with the exit status: 0 published, 2
 * invalid lines (nothing published); stopped by SIGINT/SIGTERM, 130/143 as a shell shows a
 * process ended by them (the lines reported so far are stored).
 */
export const runPublish = (options: PublishOptions): Promise<number> => runProgram(publishProgram(options), signalStatus)

/** `plancast publish` as a program: stopped by SIGINT/SIGTERM, 130/143 (the lines reported so far are stored). */
export const publishCommand = (options: PublishOptions): StoppableProgram => ({ program: publishProgram(options), stopped: signalStatus })

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}
