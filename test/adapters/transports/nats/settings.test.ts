// adapters/transports/nats/settings.ts: connection settings from flags, URL credentials and the
// environment, in that order; defaults of the public contract; the connect timeout; the creds
// file read into an authenticator; refusals as OptionError that never show a secret.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { nkeys } from "@nats-io/transport-node"
import { addressText, checkCredsFile, connectionOptions, parseNatsSettings, parseServerUrl } from "../../../../adapters/transports/nats/settings.ts"
import { credsText } from "../../../support/nats-jwt.ts"

const tmp = mkdtempSync(join(tmpdir(), "plancast-settings-"))
/** The problem of the OptionError `f` throws. */
const problemOf = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return `${(e as { option?: string }).option}: ${(e as { problem?: string }).problem}`
  }
  throw new Error("no error thrown")
}

describe("parseNatsSettings", () => {
  it("defaults to the contract's names and a local server", () => {
    const s = parseNatsSettings({}, {})
    expect(s).toMatchObject({ servers: ["nats://127.0.0.1:4222"], stream: "PLANCAST_EVENTS", consumer: "plancast", bucket: "plancast-forecasts" })
  })

  it("reads flags, falls back to the environment, and a flag wins", () => {
    const env = { NATS_URL: "nats://a:1,nats://b:2", NATS_USER: "u", NATS_PASSWORD: "p", NATS_TLS_CA: "/ca.pem", PLANCAST_CONSUMER: "c2" }
    const s = parseNatsSettings({ stream: "S2", bucket: "b2" }, env)
    expect(s.servers).toEqual(["nats://a:1", "nats://b:2"])
    expect(s).toMatchObject({ user: "u", password: "p", stream: "S2", consumer: "c2", bucket: "b2", tls: { ca: "/ca.pem" } })
    expect(parseNatsSettings({ nats: "nats://c:3" }, env).servers).toEqual(["nats://c:3"])
    const o = connectionOptions(parseNatsSettings({ token: "t", "tls-cert": "/c.pem", "tls-key": "/k.pem" }, {}))
    expect(o).toMatchObject({ token: "t", tls: { certFile: "/c.pem", keyFile: "/k.pem" }, maxReconnectAttempts: -1 })
  })

  it("refuses incomplete or malformed settings", () => {
    expect(() => parseNatsSettings({ user: "u" }, {})).toThrow(/user and password/)
    expect(() => parseNatsSettings({ nats: "http://x y" }, {})).toThrow(/not a server URL/)
    expect(() => parseNatsSettings({ stream: "a.b" }, {})).toThrow(/not a valid name/)
    expect(() => parseNatsSettings({ "tls-cert": "/c.pem" }, {})).toThrow(/needs its key/)
    expect(() => parseNatsSettings({ nats: true }, {})).toThrow(/needs a value/)
  })
})

describe("parseServerUrl", () => {
  it("takes user:password and token credentials out of a URL", () => {
    expect(parseServerUrl("nats://bob:hunter2@127.0.0.1:4222")).toEqual({ server: "nats://127.0.0.1:4222", user: "bob", password: "hunter2" })
    expect(parseServerUrl("nats://s3cr3t@h:1")).toEqual({ server: "nats://h:1", token: "s3cr3t" })
    expect(parseServerUrl("tls://u%20x:p%40q%3Ar@h")).toEqual({ server: "tls://h", user: "u x", password: "p@q:r" })
    expect(parseServerUrl("nats://u:p@ss@h:2")).toEqual({ server: "nats://h:2", user: "u", password: "p@ss" })
    expect(parseServerUrl("h:4222")).toEqual({ server: "nats://h:4222" })
    expect(parseServerUrl("nats://[::1]:4222/")).toEqual({ server: "nats://[::1]:4222" })
  })

  it("refuses malformed URLs without showing their secret", () => {
    for (const [url, secret] of [["nats://u:pa/ss@h:1", "pa/ss"], ["nats://u:pa ss@h", "pa ss"], ["http://u:hunter2@h", "hunter2"], ["nats://:hunter2@h", "hunter2"], ["nats://u:%zz@h", "%zz"]]) {
      const problem = problemOf(() => parseServerUrl(url!))
      expect(problem).toMatch(/^--nats: /)
      expect(problem).not.toContain(secret)
    }
  })
})

describe("credentials", () => {
  it("come from the flags, else the URL, else the environment, whole", () => {
    const env = { NATS_USER: "envuser", NATS_PASSWORD: "envpass", NATS_TOKEN: undefined }
    expect(parseNatsSettings({ nats: "nats://h:1" }, env)).toMatchObject({ user: "envuser", password: "envpass" })
    expect(parseNatsSettings({ nats: "nats://urluser:urlpass@h:1" }, env)).toMatchObject({ servers: ["nats://h:1"], user: "urluser", password: "urlpass" })
    expect(parseNatsSettings({ nats: "nats://tok@h:1" }, env)).toMatchObject({ token: "tok" })
    expect(parseNatsSettings({ nats: "nats://tok@h:1" }, env).user).toBeUndefined()
    expect(parseNatsSettings({ nats: "nats://urluser:urlpass@h:1", user: "flaguser", password: "flagpass" }, env)).toMatchObject({ user: "flaguser", password: "flagpass" })
    // a user on the command line keeps its password in the environment, out of the process list
    expect(parseNatsSettings({ nats: "nats://h:1", user: "flaguser" }, { NATS_PASSWORD: "envpass" })).toMatchObject({ user: "flaguser", password: "envpass" })
    expect(parseNatsSettings({ nats: "nats://h:1" }, { NATS_TOKEN: "envtok" })).toMatchObject({ token: "envtok" })
    expect(parseNatsSettings({ nats: "nats://a:b@h1:1,nats://h2:2,nats://a:b@h3:3" }, {})).toMatchObject({ servers: ["nats://h1:1", "nats://h2:2", "nats://h3:3"], user: "a", password: "b" })
  })

  it("are passed to nats.js as options, the servers without them", () => {
    const o = connectionOptions(parseNatsSettings({ nats: "nats://bob:hunter2@h:1" }, {}))
    expect(o).toMatchObject({ servers: ["nats://h:1"], user: "bob", pass: "hunter2" })
    expect(connectionOptions(parseNatsSettings({ nats: "nats://tok@h:1" }, {}))).toMatchObject({ servers: ["nats://h:1"], token: "tok" })
  })

  it("refuses two kinds at once and differing URLs, without showing a secret", () => {
    expect(problemOf(() => parseNatsSettings({ user: "u", password: "hunter2", token: "t0k3n" }, {}))).toMatch(/one kind of credentials/)
    expect(problemOf(() => parseNatsSettings({}, { NATS_TOKEN: "t0k3n", NATS_USER: "u", NATS_PASSWORD: "hunter2" }))).toMatch(/one kind of credentials/)
    const p = problemOf(() => parseNatsSettings({ nats: "nats://a:hunter2@h1:1,nats://a:other@h2:2" }, {}))
    expect(p).toMatch(/different credentials/)
    expect(p).not.toMatch(/hunter2|other/)
  })

  it("are shown without their secret", () => {
    expect(addressText(parseNatsSettings({ nats: "nats://bob:hunter2@h:1,nats://h2:2" }, {}))).toBe("nats://bob:***@h:1,nats://bob:***@h2:2")
    expect(addressText(parseNatsSettings({ nats: "nats://h:1" }, { NATS_TOKEN: "t0k3n" }))).toBe("nats://***@h:1")
    expect(addressText(parseNatsSettings({ nats: "nats://h:1" }, {}))).toBe("nats://h:1")
  })
})

describe("creds file", () => {
  const user = nkeys.createUser()
  const seed = new TextDecoder().decode(user.getSeed())
  const file = join(tmp, "user.creds")
  writeFileSync(file, credsText("eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln", seed))

  it("is read into an authenticator that signs the server's nonce with the seed", () => {
    const o = connectionOptions(parseNatsSettings({ nats: "nats://h:1" }, { NATS_CREDS: file }))
    const auth = (o.authenticator as (nonce?: string) => { jwt: string; nkey: string; sig: string })("a-nonce")
    expect(auth.jwt).toBe("eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln")
    expect(auth.nkey).toBe(user.getPublicKey())
    const sig = new Uint8Array(Buffer.from(auth.sig, "base64url"))
    expect(nkeys.fromPublic(user.getPublicKey()).verify(new TextEncoder().encode("a-nonce"), sig)).toBe(true)
  })

  it("that is missing or not a creds file is a clear option error, its content never shown", () => {
    expect(problemOf(() => parseNatsSettings({ creds: join(tmp, "nope.creds") }, {}))).toBe(`--creds: ${join(tmp, "nope.creds")}: file not found`)
    const bad = join(tmp, "bad.creds")
    writeFileSync(bad, `not a creds file ${seed}\n`)
    const p = problemOf(() => checkCredsFile(bad))
    expect(p).toMatch(/not a NATS creds file/)
    expect(p).not.toContain(seed)
  })
})

describe("connect timeout", () => {
  it("defaults to 5 s for commands that fail fast, to none for the others, and shortens the handshake", () => {
    expect(parseNatsSettings({}, {}, "x", { failFast: true }).connectTimeoutMs).toBe(5000)
    expect(parseNatsSettings({}, {}, "x").connectTimeoutMs).toBeUndefined()
    expect(parseNatsSettings({ "connect-timeout": "2.5" }, {}, "x").connectTimeoutMs).toBe(2500)
    expect(parseNatsSettings({}, { PLANCAST_CONNECT_TIMEOUT: "30" }, "x", { failFast: true }).connectTimeoutMs).toBe(30_000)
    expect(connectionOptions(parseNatsSettings({ "connect-timeout": "0.5" }, {})).timeout).toBe(500)
    expect(connectionOptions(parseNatsSettings({ "connect-timeout": "60" }, {})).timeout).toBe(5000)
  })

  it("refuses what is not a positive number of seconds", () => {
    for (const v of ["0", "-1", "abc", "1e3", "100000"]) expect(problemOf(() => parseNatsSettings({ "connect-timeout": v }, {}))).toMatch(/^--connect-timeout: must be a number of seconds/)
  })
})
