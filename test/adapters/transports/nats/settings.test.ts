// adapters/transports/nats/settings.ts: connection settings from flags and environment, flags first,
// defaults of the public contract, and refusals as OptionError.
import { describe, expect, it } from "vitest"
import { connectionOptions, parseNatsSettings } from "../../../../adapters/transports/nats/settings.ts"

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
