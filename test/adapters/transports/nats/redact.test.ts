// adapters/transports/nats/redact.ts: the password or token of every URL in a text replaced,
// the user name, host and port kept, text without credentials unchanged.
import { describe, expect, it } from "vitest"
import { redactUrls } from "../../../../adapters/transports/nats/redact.ts"

describe("redactUrls", () => {
  it("hides passwords and tokens, keeps users, hosts and ports", () => {
    expect(redactUrls("nats://bob:hunter2@127.0.0.1:4222")).toBe("nats://bob:***@127.0.0.1:4222")
    expect(redactUrls("tls://s3cr3t-token@h:4443")).toBe("tls://***@h:4443")
    expect(redactUrls("connect to nats://a:b@h1:1,nats://t@h2:2 failed: x")).toBe("connect to nats://a:***@h1:1,nats://***@h2:2 failed: x")
    expect(redactUrls('"wss://u:p%40q@h"')).toBe('"wss://u:***@h"')
  })

  it("hides a password holding an unescaped @", () => {
    expect(redactUrls("nats://u:p@ss@h:1")).toBe("nats://u:***@h:1")
  })

  it("leaves text without credentials alone", () => {
    for (const t of ["nats://127.0.0.1:4222", "mail bob@example.org", "no url at all", "nats://h:1/path@x"]) expect(redactUrls(t)).toBe(t)
  })
})
