// The option kinds of the command line and the option groups commands share, declared once
// with Effect's CLI module (effect/cli Flag): each kind parses and checks its own value, so a
// command's handler only ever sees values of the right type and range. Loaded with the command
// table at start-up: it imports effect/cli and two constants of the engine, nothing that runs.
// Invariants: a value of the wrong kind or out of range is refused by the parser (an
// InvalidValue naming the option, exit 2) before any command runs; `--name value` and
// `--name=value` are the same (the CLI module's lexer); an option not given is `undefined`
// (each command applies its defaults, README), a repeatable one an empty list; a switch is
// false unless given. Shell-side but pure: declarations only.
import { Flag } from "effect/cli"
import * as Option from "effect/Option"
import { MAX_DRAWS } from "../../engine/index.ts"

/** A value refused by an option kind's check; the parser reports it as an InvalidValue of the flag. */
class Refused {
  readonly problem: string
  constructor(problem: string) {
    this.problem = problem
  }
}

const problemOf = (e: unknown): string => (e instanceof Refused ? e.problem : String(e))

/** A flag whose string value `check` turns into a value or refuses (throwing `refuse(...)`), optional. */
const checked = <A>(name: string, description: string, metavar: string, check: (raw: string) => A): Flag.Flag<A | undefined> =>
  Flag.String(name).pipe(
    Flag.withDescription(description),
    Flag.withMetavar(metavar),
    Flag.mapTryCatch(check, problemOf),
    Flag.optional,
    Flag.map(Option.getOrUndefined),
  )

const refuse = (problem: string): never => {
  throw new Refused(problem)
}

/** A non-empty string value (a file, an id, a URL). */
export const text = (name: string, description: string, metavar = "TEXT"): Flag.Flag<string | undefined> =>
  checked(name, description, metavar, (raw) => (raw === "" ? refuse("must not be empty") : raw))

/** A repeatable non-empty string value, in the order given (`--grid a --grid b`). */
export const texts = (name: string, description: string, metavar = "TEXT"): Flag.Flag<readonly string[]> =>
  Flag.String(name).pipe(
    Flag.withDescription(`${description} (repeatable)`),
    Flag.withMetavar(metavar),
    Flag.mapTryCatch((raw) => (raw === "" ? refuse("must not be empty") : raw), problemOf),
    Flag.atLeast(0),
  )

/** A switch: true when given. */
export const flag = (name: string, description: string): Flag.Flag<boolean> =>
  Flag.Boolean(name).pipe(Flag.withDescription(description), Flag.withoutNegation, Flag.withDefault(false))

/** A number of Monte Carlo draws: a non-negative integer, at most MAX_DRAWS. */
export const drawsValue = (raw: string): number => {
  if (!/^\d+$/.test(raw)) refuse(`must be a non-negative integer, got ${JSON.stringify(raw)}`)
  const n = Number(raw)
  if (n > MAX_DRAWS) refuse(`at most ${MAX_DRAWS} draws, got ${raw}`)
  return n
}

/** A seed: a safe integer (|seed| < 2^53). */
export const seedValue = (raw: string): number => {
  const n = Number(raw)
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) refuse(`must be an integer, got ${JSON.stringify(raw)}`)
  return n
}

/** A probability strictly between 0 and 1. */
export const probabilityValue = (raw: string): number => {
  const n = Number(raw)
  if (raw.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 1) refuse(`must be a number strictly between 0 and 1, got ${JSON.stringify(raw)}`)
  return n
}

/** A whole number (digits only): a count, milliseconds. */
export const wholeValue = (raw: string): number => (/^\d+$/.test(raw) ? Number(raw) : refuse(`must be a whole number, got ${JSON.stringify(raw)}`))

/** A TCP port, 0..65535 (0 picks a free one). */
export const portValue = (raw: string): number => {
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port > 65535) refuse(`must be a port number 0..65535, got ${JSON.stringify(raw)}`)
  return port
}

/** One of the given values. */
const choiceValue =
  <const V extends string>(values: readonly V[]) =>
  (raw: string): V =>
    (values as readonly string[]).includes(raw) ? (raw as V) : refuse(`must be one of ${values.join(", ")}, got ${JSON.stringify(raw)}`)

export const draws = (description = "Monte Carlo draws (0 = deterministic, the default; at most 10000000)"): Flag.Flag<number | undefined> =>
  checked("draws", description, "N", drawsValue)
export const seed = (description = "seed of the random draws (integer, default 1); same seed, same numbers"): Flag.Flag<number | undefined> =>
  checked("seed", description, "S", seedValue)
/** A count bounded like --draws under another name (`--worlds`). */
export const count = (name: string, description: string): Flag.Flag<number | undefined> => checked(name, description, "N", drawsValue)
export const probability = (name: string, description: string): Flag.Flag<number | undefined> => checked(name, description, "P", probabilityValue)
export const whole = (name: string, description: string, metavar = "N"): Flag.Flag<number | undefined> => checked(name, description, metavar, wholeValue)
export const port = (name: string, description: string): Flag.Flag<number | undefined> => checked(name, description, "PORT", portValue)
export const choice = <const V extends string>(name: string, values: readonly V[], description: string): Flag.Flag<V | undefined> =>
  checked(name, description, values.join("|"), choiceValue(values))
/** `--format`, one of the command's output formats (the first is the default). */
export const format = <const V extends string>(values: readonly V[], description: string): Flag.Flag<V | undefined> => choice("format", values, description)

/** The options of the projecting commands: --draws and --seed (defaults per the README: 0 and 1). */
export const runGroup = () => ({ draws: draws(), seed: seed() })

/**
 * The NATS connection options `serve`, `publish`, `worker` and `batch --nats` pass on
 * (adapters/transports/nats/settings.ts reads them; each falls back to its environment variable).
 */
export const connectionGroup = (timeout: string) => ({
  nats: text("nats", "servers (NATS_URL): nats://host:port, nats://user:password@host:port or nats://token@host:port (URL credentials are used when no flag gives any); several separated by commas", "URL[,URL]"),
  user: text("user", "user name (NATS_USER); prefer the variables for secrets: a flag's value shows in the process list", "U"),
  password: text("password", "password (NATS_PASSWORD)", "P"),
  token: text("token", "token (NATS_TOKEN)", "T"),
  creds: text("creds", "a creds file: user JWT and nkey seed (NATS_CREDS)", "FILE"),
  "tls-ca": text("tls-ca", "CA certificate file (NATS_TLS_CA)", "FILE"),
  "tls-cert": text("tls-cert", "client certificate file (NATS_TLS_CERT)", "FILE"),
  "tls-key": text("tls-key", "client key file (NATS_TLS_KEY)", "FILE"),
  "connect-timeout": text("connect-timeout", `seconds to try the first connection before giving up (exit 1) (PLANCAST_CONNECT_TIMEOUT; ${timeout}); addresses in messages never show a password or token`, "S"),
})

/** The parsed NATS connection options. */
export type Connection = { readonly [K in keyof ReturnType<typeof connectionGroup>]: string | undefined }

/** The connection options given, by flag name, without --nats (what the NATS settings read as `natsFlags`). */
export const connectionFlags = (c: Connection): Record<string, string> =>
  Object.fromEntries(Object.entries(c).flatMap(([name, value]) => (name !== "nats" && value !== undefined ? [[name, value]] : [])))

/** The options of `plancast batch` that say what to compute and how to write it, local or over NATS. */
export const batchGroup = () => ({
  grid: texts(
    "grid",
    'a shock of each value (pp) on the growth of indicator or variable ID over the whole horizon, as event "grid:ID=value"; also ID=a,b,c or ID=v. Several grids make their cartesian product (at most 1,000,000 points); the point column reads "fai=-15;industry_va=2"',
    "ID=from:to:step",
  ),
  draws: draws("Monte Carlo draws per projection (0 = deterministic, the default)"),
  seed: seed("seed (default 1), the same for every projection: common random numbers, so differences between points are not sampling noise"),
  format: format(["csv", "ndjson"], "csv (default, with a header line) or ndjson"),
  out: text("out", "write to FILE instead of standard output", "FILE"),
})
