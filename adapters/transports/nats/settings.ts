// NATS connection settings of every command on the bus (`serve --nats`, `publish`, `worker`,
// `batch --nats`): servers, credentials, TLS, how long to try the first connection, and the
// names of the stream, durable consumer and KV bucket, from command-line flags, credentials
// written into the URL and the environment; and the one place that turns them into nats.js
// connection options. Shell-side parsing (reads the environment and checks a creds file).
// Invariants: at least one server, kept without its credentials (nats.js v3 ignores them in a
// URL: they are parsed out here and passed as options); credentials come from the flags, else
// the URL, else the environment; one kind of credentials (user and password, a token, or a
// creds file); user and password come together; the names are valid JetStream names; a
// message about a URL never shows its secret (redact.ts).
import type { ConnectionOptions } from "@nats-io/transport-node"
import { credsAuthenticator } from "@nats-io/transport-node"
import { readFileSync } from "node:fs"
import { OptionError } from "../../../engine/index.ts"
import { REDACTED, redactUrls } from "./redact.ts"

/** Default names of the public contract (README). */
export const DEFAULT_STREAM = "PLANCAST_EVENTS"
export const DEFAULT_CONSUMER = "plancast"
export const DEFAULT_BUCKET = "plancast-forecasts"
export const DEFAULT_SERVER = "nats://127.0.0.1:4222"
/** How long `publish` and `batch --nats` try to reach the broker before giving up, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_S = 5
/** Longest pause between two attempts at a first connection, in milliseconds. */
export const MAX_CONNECT_BACKOFF_MS = 2_000

/** Everything needed to reach the broker and name the service's JetStream resources. */
export interface NatsSettings {
  /** Server URLs without credentials (safe to show). */
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
  /**
   * Give up when no first connection is made within this many milliseconds; absent: retry
   * for ever (with backoff). Only the first connection: once up, it reconnects for ever.
   */
  readonly connectTimeoutMs?: number
}

/** How a command treats a broker it cannot reach at start. */
export interface ConnectPolicy {
  /** Give up after DEFAULT_CONNECT_TIMEOUT_S unless `--connect-timeout` says otherwise (publish, batch); else retry for ever unless it is given (serve, worker). */
  readonly failFast?: boolean
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
  "connect-timeout": "PLANCAST_CONNECT_TIMEOUT",
  stream: "PLANCAST_STREAM",
  consumer: "PLANCAST_CONSUMER",
  bucket: "PLANCAST_BUCKET",
} as const

export type NatsFlag = keyof typeof natsFlags

const NAME = /^[A-Za-z0-9_-]{1,200}$/

/** A server URL with its credentials taken out. */
export interface ServerAddress {
  /** The URL without credentials. */
  readonly server: string
  readonly user?: string
  readonly password?: string
  readonly token?: string
}

const SCHEME = /^(nats|tls|ws|wss):\/\//i

/**
 * Splits the credentials off a server URL: `nats://user:password@host:port` gives a user and a
 * password, `nats://token@host:port` a token (percent-escapes decoded); a bare `host[:port]`
 * is read as `nats://host[:port]`. Throws OptionError (showing the URL redacted).
 */
export const parseServerUrl = (raw: string): ServerAddress => {
  const other = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !SCHEME.test(raw)
  const text = SCHEME.test(raw) || other ? raw : `nats://${raw}`
  const scheme = text.slice(0, text.indexOf("://") + 3)
  const rest = text.slice(scheme.length)
  const end = rest.search(/[/?#]|$/)
  // the credentials run to the last "@" (an unescaped "@" in a password included)
  const at = rest.lastIndexOf("@", end - 1)
  const userinfo = at < 0 ? undefined : rest.slice(0, at)
  const hostport = at < 0 ? rest : rest.slice(at + 1)
  // shown from its parts, so no secret survives whatever the URL looks like
  const shown =
    userinfo === undefined
      ? text.includes("@") ? `${scheme}${REDACTED}@${text.slice(text.lastIndexOf("@") + 1)}` : text
      : `${scheme}${userinfo.includes(":") ? `${userinfo.slice(0, userinfo.indexOf(":"))}:` : ""}${REDACTED}@${hostport}`
  if (other) throw new OptionError({ option: "--nats", problem: `"${redactUrls(shown)}" is not a server URL: the scheme must be nats://, tls://, ws:// or wss://` })
  if (!/^(\[[0-9a-f:.]+\]|[^\s:/@?#[\]]+)(:\d{1,5})?\/?$/i.test(hostport) || /\s/.test(userinfo ?? "")) {
    throw new OptionError({ option: "--nats", problem: `"${shown}" is not a server URL (nats://host:port, nats://user:password@host:port or nats://token@host:port)` })
  }
  const server = `${scheme.toLowerCase()}${hostport.replace(/\/$/, "")}`
  if (userinfo === undefined) return { server }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part)
    } catch {
      throw new OptionError({ option: "--nats", problem: `"${shown}": the ${what} is not valid percent-encoding` })
    }
  }
  const colon = userinfo.indexOf(":")
  if (colon < 0) {
    if (userinfo === "") throw new OptionError({ option: "--nats", problem: `"${shown}": empty credentials before "@"` })
    return { server, token: decode(userinfo, "token") }
  }
  const user = decode(userinfo.slice(0, colon), "user")
  if (user === "") throw new OptionError({ option: "--nats", problem: `"${shown}": a password needs a user name` })
  return { server, user, password: decode(userinfo.slice(colon + 1), "password") }
}

/** Reads `--connect-timeout` (seconds, > 0, at most a day). */
const connectTimeout = (raw: string | undefined, policy: ConnectPolicy): number | undefined => {
  if (raw === undefined) return policy.failFast ? DEFAULT_CONNECT_TIMEOUT_S * 1000 : undefined
  const seconds = Number(raw)
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(raw.trim()) || !(seconds > 0) || seconds > 86_400) {
    throw new OptionError({ option: "--connect-timeout", problem: `must be a number of seconds above 0 (at most 86400), got ${JSON.stringify(raw)}` })
  }
  return Math.max(1, Math.round(seconds * 1000))
}

/**
 * Checks that a creds file can be read and holds a JWT and an nkey seed, so a wrong path is an
 * option error at start rather than an endless failure to connect. Never shows its content.
 */
export const checkCredsFile = (file: string): void => {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(readFileSync(file))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new OptionError({ option: "--creds", problem: `${file}: ${code === "ENOENT" ? "file not found" : `cannot read (${code ?? "unknown error"})`}` })
  }
  try {
    credsAuthenticator(bytes)("")
  } catch {
    throw new OptionError({ option: "--creds", problem: `${file}: not a NATS creds file (a user JWT and an nkey seed, each between "-----BEGIN ...-----" and "------END ...------" lines)` })
  }
}

/**
 * Settings from flags (`{ nats: "nats://h:4222,nats://h2:4222", user: ..., "tls-ca": ... }`),
 * credentials in the URLs, and the environment (NATS_URL, NATS_USER, NATS_PASSWORD,
 * NATS_TOKEN, NATS_CREDS, NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY, PLANCAST_CONNECT_TIMEOUT,
 * PLANCAST_STREAM, PLANCAST_CONSUMER, PLANCAST_BUCKET); a flag wins over its variable.
 * Credentials come whole from the first source that gives any: the flags (--user/--password,
 * --token, --creds), else the URL, else the variables; a user from a flag or the URL without a
 * password takes NATS_PASSWORD. `--nats` takes a comma-separated list of servers; credentials
 * written in several of them must be the same. Throws OptionError (exit 2 in the CLI).
 */
export const parseNatsSettings = (
  flags: Readonly<Partial<Record<NatsFlag, string | boolean | undefined>>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  name?: string,
  policy: ConnectPolicy = {},
): NatsSettings => {
  const flag = (f: NatsFlag): string | undefined => {
    const v = flags[f]
    if (v === true) throw new OptionError({ option: `--${f}`, problem: "needs a value" })
    return typeof v === "string" ? v : undefined
  }
  const variable = (f: NatsFlag): string | undefined => {
    const e = env[natsFlags[f]]
    return e === undefined || e === "" ? undefined : e
  }
  const get = (f: NatsFlag): string | undefined => flag(f) ?? variable(f)
  const addresses = (get("nats") ?? DEFAULT_SERVER)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseServerUrl)
  if (addresses.length === 0) throw new OptionError({ option: "--nats", problem: "needs at least one server URL" })
  const inUrl = addresses.find((a) => a.user !== undefined || a.token !== undefined)
  if (inUrl && addresses.some((a) => (a.user !== undefined || a.token !== undefined) && (a.user !== inUrl.user || a.password !== inUrl.password || a.token !== inUrl.token))) {
    throw new OptionError({ option: "--nats", problem: "the servers' URLs carry different credentials (give them once, with --user/--password, --token or NATS_* variables)" })
  }
  // the credentials of the first source that gives any: flags, the URL, the environment
  type Credentials = { user?: string; password?: string; token?: string; creds?: string }
  const sources: Credentials[] = [
    { user: flag("user"), password: flag("password"), token: flag("token"), creds: flag("creds") },
    { user: inUrl?.user, password: inUrl?.password, token: inUrl?.token },
    { user: variable("user"), password: variable("password"), token: variable("token"), creds: variable("creds") },
  ]
  const chosen = sources.find((c) => Object.values(c).some((v) => v !== undefined)) ?? {}
  const { user, token, creds } = chosen
  // a user named on the command line may keep its password out of the process list
  const password = chosen.password ?? (user !== undefined ? variable("password") : undefined)
  if ((user === undefined) !== (password === undefined)) {
    throw new OptionError({ option: user === undefined ? "--user" : "--password", problem: "user and password go together" })
  }
  const kinds = [user !== undefined ? "a user and password" : "", token !== undefined ? "a token" : "", creds !== undefined ? "a creds file" : ""].filter(Boolean)
  if (kinds.length > 1) {
    throw new OptionError({ option: creds !== undefined ? "--creds" : "--token", problem: `give one kind of credentials, not ${kinds.join(" and ")}` })
  }
  if (creds !== undefined) checkCredsFile(creds)
  const names = { stream: get("stream") ?? DEFAULT_STREAM, consumer: get("consumer") ?? DEFAULT_CONSUMER, bucket: get("bucket") ?? DEFAULT_BUCKET }
  for (const [k, v] of Object.entries(names)) {
    if (!NAME.test(v)) throw new OptionError({ option: `--${k}`, problem: `"${v}" is not a valid name (letters, digits, "-" and "_")` })
  }
  const ca = get("tls-ca")
  const cert = get("tls-cert")
  const key = get("tls-key")
  if ((cert === undefined) !== (key === undefined)) throw new OptionError({ option: cert === undefined ? "--tls-cert" : "--tls-key", problem: "a client certificate needs its key" })
  const timeoutMs = connectTimeout(get("connect-timeout"), policy)
  return {
    servers: addresses.map((a) => a.server),
    ...(user !== undefined ? { user, password } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(creds !== undefined ? { creds } : {}),
    ...(ca || cert ? { tls: { ca, cert, key } } : {}),
    ...names,
    ...(name ? { name } : {}),
    ...(timeoutMs !== undefined ? { connectTimeoutMs: timeoutMs } : {}),
  }
}

/**
 * The servers as messages show them, with the credentials in use and no secret:
 * `nats://bob:***@host:4222`, `nats://***@host:4222` (a token), `nats://host:4222 (creds FILE)`.
 */
export const addressText = (settings: NatsSettings): string => {
  const who = settings.user !== undefined ? `${encodeURIComponent(settings.user)}:${REDACTED}@` : settings.token !== undefined ? `${REDACTED}@` : ""
  const servers = settings.servers.map((s) => s.replace("://", `://${who}`)).join(",")
  return settings.creds !== undefined ? `${servers} (creds ${settings.creds})` : servers
}

/** Handshake timeout of one connection attempt, in milliseconds (a connect timeout below it shortens it). */
export const HANDSHAKE_TIMEOUT_MS = 5_000

/**
 * The nats.js connection options of these settings: once connected, reconnect for ever (every
 * 250 ms, with a little jitter); credentials and TLS files; pings every 10 s so a dead broker
 * is noticed soon. One call of `connect` with them makes one attempt at each server (the
 * retries of a first connection are connection.ts's).
 */
export const connectionOptions = (settings: NatsSettings): ConnectionOptions => {
  const options: ConnectionOptions = {
    servers: [...settings.servers],
    name: settings.name ?? "plancast",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 10_000,
    timeout: Math.min(HANDSHAKE_TIMEOUT_MS, settings.connectTimeoutMs ?? HANDSHAKE_TIMEOUT_MS),
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
