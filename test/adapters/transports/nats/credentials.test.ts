// NATS credentials end to end, against private brokers started here (never the one on 4222):
// one with --user/--pass, one with --auth (a token), one in operator mode (JWTs, a creds file).
// `publish` and `serve` (in process: the subject is what they do, not the process) reach each
// with credentials from the URL, the environment, flags and a creds file, and are refused with
// wrong ones. Every line they print or log, everything written to standard output and error
// meanwhile, and every message on `>` of every broker, is then searched for the secrets.
import { randomUUID } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node"
import { runPublish } from "../../../../adapters/transports/nats/publish.ts"
import { runServe } from "../../../../adapters/cli/serve.ts"
import { describeFailure } from "../../../../adapters/cli/failure.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { operatorSetup } from "../../../support/nats-jwt.ts"
import { BASE_FILE, shock } from "../../service/harness.ts"

const PASSWORD = `pw-${randomUUID()}`
const WRONG_PASSWORD = `wrong-${randomUUID()}`
const TOKEN = `tok-${randomUUID()}`
const operator = operatorSetup()
const alice = operator.userCreds("alice")
const sniffer = operator.userCreds("sniffer")
const stranger = operator.userCreds("stranger", true)
const secrets = [PASSWORD, WRONG_PASSWORD, TOKEN, alice.seed, sniffer.seed, stranger.seed]

const tmp = mkdtempSync(join(tmpdir(), "plancast-credentials-"))
const aliceCreds = join(tmp, "alice.creds")
const strangerCreds = join(tmp, "stranger.creds")
writeFileSync(aliceCreds, alice.text)
writeFileSync(strangerCreds, stranger.text)

/** Everything shown: report lines, log lines, and raw writes to standard output and error. */
const shown: string[] = []
/** Everything on the brokers: subject, headers and payload of each message on `>`. */
const onBus: string[] = []
const record = (line: string) => void shown.push(line)

let userBroker: NatsServer
let tokenBroker: NatsServer
let operatorBroker: NatsServer
const sniffers: NatsConnection[] = []

const sniff = async (nc: NatsConnection) => {
  nc.subscribe(">", {
    callback: (_e, m) => void onBus.push(`${m.subject} ${m.headers ? JSON.stringify([...m.headers]) : ""} ${new TextDecoder().decode(m.data)}`),
  })
  await nc.flush()
  sniffers.push(nc)
}

beforeAll(async () => {
  ;[userBroker, tokenBroker, operatorBroker] = await Promise.all([
    NatsServer.start({ args: ["--user", "plancast", "--pass", PASSWORD] }),
    NatsServer.start({ args: ["--auth", TOKEN] }),
    NatsServer.start({ config: operator.config }),
  ])
  await sniff(await connect({ servers: userBroker.url, user: "plancast", pass: PASSWORD }))
  await sniff(await connect({ servers: tokenBroker.url, token: TOKEN }))
  await sniff(await connect({ servers: operatorBroker.url, authenticator: credsAuthenticator(new TextEncoder().encode(sniffer.text)) }))
  // raw writes too, whoever makes them
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      shown.push(String(chunk))
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof stream.write)
  }
}, 60_000)

afterAll(async () => {
  vi.restoreAllMocks()
  for (const nc of sniffers) await nc.close().catch(() => {})
  await Promise.all([userBroker?.stop(), tokenBroker?.stop(), operatorBroker?.stop()])
})

const hostOf = (s: NatsServer) => `127.0.0.1:${s.port}`

const eventsFile = (name: string, scenario: string, ids: readonly string[]) => {
  const file = join(tmp, `${name}.ndjson`)
  writeFileSync(file, ids.map((id, i) => JSON.stringify(shock(id, scenario, "fai", -1 - i))).join("\n") + "\n")
  return file
}

const publish = (file: string, nats: string, env: Record<string, string> = {}, natsFlags: Record<string, string> = {}) =>
  runPublish({ file, nats, env, natsFlags, out: record, err: record })

/** Runs `serve` in process until the forecast after event `lastId` of `scenario` is out, then stops it; resolves with its exit status. */
const serveUntil = async (options: { nats: string; env?: Record<string, string>; natsFlags?: Record<string, string> }, scenario: string, lastId: string) => {
  const stop = new AbortController()
  const served = runServe({
    nats: options.nats,
    stdio: false,
    base: BASE_FILE,
    env: options.env ?? {},
    natsFlags: options.natsFlags ?? {},
    log: record,
    signal: stop.signal,
    onForecast: [
      (sc, _projection, last) => {
        if (sc === scenario && last?.id === lastId) stop.abort()
      },
    ],
  })
  return served
}

/** The failure of a command as the CLI would print it, and its exit status. */
const failureOf = async (command: string, run: () => Promise<unknown>) => {
  try {
    await run()
  } catch (e) {
    const { lines, status } = describeFailure(command, e)
    shown.push(...lines)
    return { text: lines.join("\n"), status }
  }
  throw new Error(`${command} did not fail`)
}

describe("a broker with --user/--pass", () => {
  it("takes the credentials written in the URL, for publish and serve", async () => {
    const url = `nats://plancast:${encodeURIComponent(PASSWORD)}@${hostOf(userBroker)}`
    expect(await publish(eventsFile("url", "url-creds", ["u1", "u2"]), url)).toBe(0)
    expect(shown).toContain("2 event(s) published: 2 stored, 0 duplicate(s)")
    expect(await serveUntil({ nats: url }, "url-creds", "u2")).toBe(0)
    expect(shown.some((l) => l.includes(`serving`) && l.includes(`nats://plancast:***@${hostOf(userBroker)}`))).toBe(true)
  }, 120_000)

  it("takes them from NATS_USER and NATS_PASSWORD, and from --user with the password in the environment", async () => {
    expect(await publish(eventsFile("env", "env-creds", ["e1"]), `nats://${hostOf(userBroker)}`, { NATS_USER: "plancast", NATS_PASSWORD: PASSWORD })).toBe(0)
    expect(await publish(eventsFile("env2", "env-creds", ["e2"]), `nats://${hostOf(userBroker)}`, { NATS_PASSWORD: PASSWORD }, { user: "plancast" })).toBe(0)
    expect(await serveUntil({ nats: `nats://${hostOf(userBroker)}`, env: { NATS_USER: "plancast", NATS_PASSWORD: PASSWORD } }, "env-creds", "e2")).toBe(0)
  }, 120_000)

  it("refuses a wrong password: publish gives up within its timeout naming the address, serve says it never connected", async () => {
    const url = `nats://plancast:${WRONG_PASSWORD}@${hostOf(userBroker)}`
    const f = await failureOf("publish", () => publish(eventsFile("wrong", "wrong", ["w1"]), url, {}, { "connect-timeout": "1" }))
    expect(f.status).toBe(1)
    expect(f.text).toContain(`nats://plancast:***@${hostOf(userBroker)} within 1 s (--connect-timeout) failed`)
    expect(f.text).toMatch(/authorization/i)

    const stop = new AbortController()
    const served = runServe({ nats: url, stdio: false, base: BASE_FILE, env: {}, log: (line) => {
      record(line)
      if (line.includes("never connected")) stop.abort()
    }, signal: stop.signal })
    expect(await served).toBe(0)
    expect(shown.some((l) => l.includes(`never connected to nats://plancast:***@${hostOf(userBroker)}`) && /authorization/i.test(l))).toBe(true)
  }, 120_000)
})

describe("a broker with a token", () => {
  it("takes nats://token@host:port for publish and NATS_TOKEN for serve", async () => {
    expect(await publish(eventsFile("token", "token-creds", ["t1", "t2"]), `nats://${TOKEN}@${hostOf(tokenBroker)}`)).toBe(0)
    expect(await serveUntil({ nats: `nats://${hostOf(tokenBroker)}`, env: { NATS_TOKEN: TOKEN } }, "token-creds", "t2")).toBe(0)
    expect(shown.some((l) => l.includes("serving") && l.includes(`nats://***@${hostOf(tokenBroker)}`))).toBe(true)
  }, 120_000)
})

describe("a broker in operator mode (JWT)", () => {
  it("takes a creds file from NATS_CREDS for publish and --creds for serve", async () => {
    expect(await publish(eventsFile("creds", "creds-file", ["c1", "c2"]), `nats://${hostOf(operatorBroker)}`, { NATS_CREDS: aliceCreds })).toBe(0)
    expect(await serveUntil({ nats: `nats://${hostOf(operatorBroker)}`, natsFlags: { creds: aliceCreds } }, "creds-file", "c2")).toBe(0)
  }, 120_000)

  it("refuses a user of another account, and a missing creds file is an option error", async () => {
    const f = await failureOf("publish", () => publish(eventsFile("stranger", "stranger", ["s1"]), `nats://${hostOf(operatorBroker)}`, { NATS_CREDS: strangerCreds }, { "connect-timeout": "1" }))
    expect(f.status).toBe(1)
    expect(f.text).toContain(`nats://${hostOf(operatorBroker)} (creds ${strangerCreds}) within 1 s`)
    const missing = await failureOf("publish", () => publish(eventsFile("missing", "missing", ["m1"]), `nats://${hostOf(operatorBroker)}`, { NATS_CREDS: join(tmp, "none.creds") }))
    expect(missing).toEqual({ text: `plancast publish: --creds: ${join(tmp, "none.creds")}: file not found`, status: 2 })
  }, 60_000)
})

describe("no secret is ever shown", () => {
  it("in any output line, any write to standard output or error, or any message on the brokers", async () => {
    // what was searched is not empty: the runs above spoke and published
    expect(shown.join("\n")).toContain("***@")
    expect(onBus.some((m) => m.startsWith("plancast.events.url-creds"))).toBe(true)
    expect(onBus.some((m) => m.startsWith("plancast.forecasts.creds-file"))).toBe(true)
    for (const secret of secrets) {
      expect(shown.filter((l) => l.includes(secret))).toEqual([])
      expect(onBus.filter((m) => m.includes(secret))).toEqual([])
    }
  })
})
