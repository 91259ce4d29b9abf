// NATS connection settings of `serve --nats` and `publish`: servers, credentials, TLS, and the
// names of the stream, durable consumer and KV bucket, from command-line flags or the
// environment (a flag wins over its variable). Shell-side parsing only (reads the environment
// and, for a creds file, nothing until connecting). Invariants: at least one server; user and
// password come together; the names are valid JetStream names.
import type { ConnectionOptions } from "@nats-io/transport-node"
import { credsAuthenticator } from "@nats-io/transport-node"
import { readFileSync } from "node:fs"
import { OptionError } from "../../../engine/index.ts"

/** Default names of the public contract (README). */
export const DEFAULT_STREAM = "PLANCAST_EVENTS"
export const DEFAULT_CONSUMER = "plancast"
export const DEFAULT_BUCKET = "plancast-forecasts"
export const DEFAULT_SERVER = "nats://127.0.0.1:4222"

/** Everything needed to reach the broker and name the service's JetStream resources. */
export interface NatsSettings {
  readonly servers: readonly string[]
  readonly user?: string
  readonly password?: string
  readonly token?: string
  /** Path of a `.creds` file (JWT and nkey seed). */
  readonly creds?: string
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string }
  readonly stream: string
  readonly consumer: string
  readonly bucket: string
  /** Connection name shown by the server (`plancast serve`, `plancast publish`). */
  readonly name?: string
}

/**
 * The flags this module reads, each with the environment variable that stands in for it.
 * A CLI passes the values it parsed under these names (without the leading dashes).
 */
export const natsFlags = {
  nats: "NATS_URL",
  user: "NATS_USER",
  password: "NATS_PASSWORD",
  token: "NATS_TOKEN",
  creds: "NATS_CREDS",
  "tls-ca": "NATS_TLS_CA",
  "tls-cert": "NATS_TLS_CERT",
  "tls-key": "NATS_TLS_KEY",
  stream: "PLANCAST_STREAM",
  consumer: "PLANCAST_CONSUMER",
  bucket: "PLANCAST_BUCKET",
} as const

export type NatsFlag = keyof typeof natsFlags

const NAME = /^[A-Za-z0-9_-]{1,200}$/

/**
 * Settings from flags (`{ nats: "nats://h:4222,nats://h2:4222", user: ..., "tls-ca": ... }`) and
 * the environment (NATS_URL, NATS_USER, NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_TLS_CA,
 * NATS_TLS_CERT, NATS_TLS_KEY, PLANCAST_STREAM, PLANCAST_CONSUMER, PLANCAST_BUCKET); a flag wins.
 * `--nats` takes a comma-separated list of servers. Throws OptionError (exit 2 in the CLI).
 */
export const parseNatsSettings = (
  flags: Readonly<Partial<Record<NatsFlag, string | boolean | undefined>>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  name?: string,
): NatsSettings => {
  const get = (flag: NatsFlag): string | undefined => {
    const v = flags[flag]
    if (v === true) throw new OptionError({ option: `--${flag}`, problem: "needs a value" })
    if (typeof v === "string") return v
    const e = env[natsFlags[flag]]
    return e === undefined || e === "" ? undefined : e
  }
  const servers = (get("nats") ?? DEFAULT_SERVER)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
  if (servers.length === 0) throw new OptionError({ option: "--nats", problem: "needs at least one server URL" })
  for (const s of servers) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s]+$|^[^\s:/]+(:\d+)?$/.test(s)) {
      throw new OptionError({ option: "--nats", problem: `"${s}" is not a server URL (nats://host:port)` })
    }
  }
  const user = get("user")
  const password = get("password")
  if ((user === undefined) !== (password === undefined)) {
    throw new OptionError({ option: user === undefined ? "--user" : "--password", problem: "user and password go together" })
  }
  const names = { stream: get("stream") ?? DEFAULT_STREAM, consumer: get("consumer") ?? DEFAULT_CONSUMER, bucket: get("bucket") ?? DEFAULT_BUCKET }
  for (const [k, v] of Object.entries(names)) {
    if (!NAME.test(v)) throw new OptionError({ option: `--${k}`, problem: `"${v}" is not a valid name (letters, digits, "-" and "_")` })
  }
  const ca = get("tls-ca")
  const cert = get("tls-cert")
  const key = get("tls-key")
  if ((cert === undefined) !== (key === undefined)) throw new OptionError({ option: cert === undefined ? "--tls-cert" : "--tls-key", problem: "a client certificate needs its key" })
  return {
    servers,
    ...(user !== undefined ? { user, password } : {}),
    ...(get("token") !== undefined ? { token: get("token") } : {}),
    ...(get("creds") !== undefined ? { creds: get("creds") } : {}),
    ...(ca || cert ? { tls: { ca, cert, key } } : {}),
    ...names,
    ...(name ? { name } : {}),
  }
}

/**
 * The nats.js connection options of these settings: reconnect for ever (every 250 ms, with a
 * little jitter), credentials and TLS files, pings every 10 s so a dead broker is noticed soon.
 */
export const connectionOptions = (settings: NatsSettings): ConnectionOptions => {
  const options: ConnectionOptions = {
    servers: [...settings.servers],
    name: settings.name ?? "plancast",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 10_000,
    timeout: 5_000,
  }
  if (settings.user !== undefined) {
    options.user = settings.user
    options.pass = settings.password
  }
  if (settings.token !== undefined) options.token = settings.token
  if (settings.creds !== undefined) {
    const file = settings.creds
    options.authenticator = credsAuthenticator(() => new Uint8Array(readFileSync(file)))
  }
  if (settings.tls) {
    options.tls = {
      ...(settings.tls.ca ? { caFile: settings.tls.ca } : {}),
      ...(settings.tls.cert ? { certFile: settings.tls.cert } : {}),
      ...(settings.tls.key ? { keyFile: settings.tls.key } : {}),
    }
  }
  return options
}
