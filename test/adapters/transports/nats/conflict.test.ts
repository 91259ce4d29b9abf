// A conflicting payload under a seen event id over NATS: `publish` sends the Nats-Msg-Id of
// scenario, id and payload digest, so the broker stores a re-sent copy once (a duplicate) but
// lets another payload under the same id through, and the service refuses it as a conflict
// naming both versions. Against a nats-server started here; publish and serve run in process.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { runPublish } from "../../../../adapters/transports/nats/publish.ts"
import { layerNats } from "../../../../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../../../../adapters/transports/nats/settings.ts"
import { eventMessageId } from "../../../../adapters/contract.ts"
import { decodeEvent } from "../../../../engine/index.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { duji, observe, shock, startLoop, waitFor } from "../../service/harness.ts"

let server: NatsServer | undefined
afterAll(async () => {
  await server?.stop()
})

describe("a conflicting payload under a seen id, over NATS", () => {
  it("is stored by the broker and refused by the service, naming both versions; a re-sent copy is a duplicate", async () => {
    server = await NatsServer.start()
    const settings = parseNatsSettings({ nats: server.url }, {})
    const watch = await observe(server.url)
    const loop = startLoop(await duji(), layerNats(settings, { log: () => {} }))
    try {
      const file = join(mkdtempSync(join(tmpdir(), "plancast-conflict-")), "events.ndjson")
      const lines = [shock("a1", "c", "fai", -5), shock("a1", "c", "fai", -5), shock("a1", "c", "fai", -7), shock("a2", "c", "trade", 1)]
      writeFileSync(file, lines.map((e) => JSON.stringify(e)).join("\n") + "\n")
      const out: string[] = []
      expect(await runPublish({ file, nats: server.url, env: {}, out: (l) => void out.push(l), err: () => {} })).toBe(0)
      expect(out[0]).toMatch(/:1: a1 -> plancast.events.c: stored at sequence \d+/)
      expect(out[1]).toMatch(/:2: a1 -> plancast.events.c: duplicate/)
      expect(out[2]).toMatch(/:3: a1 -> plancast.events.c: stored at sequence \d+/)
      const rejection = await waitFor("the conflict's rejection", () => watch.rejections.find((r) => r.scenario === "c"))
      expect(rejection.id).toBe("a1")
      expect(rejection.reasons[0]).toMatch(/conflicts with the event already in the log under this id \(value: -5 in the log, -7 here\)/)
      await waitFor("a2 applied", () => loop.registry.stateOf("c").events.some((e) => e.id === "a2"))
      expect(loop.registry.stateOf("c").events.filter((e) => e.id === "a1")).toEqual([decodeEvent(lines[0])])
    } finally {
      await loop.stop()
      await watch.close()
    }
  })

  it("gives one message id per scenario, id and payload, whatever the key order", () => {
    const a = decodeEvent({ id: "x", type: "shock", indicator: "fai", value: 1 })
    const b = decodeEvent({ value: 1, indicator: "fai", type: "shock", id: "x", scenario: "s" })
    expect(eventMessageId("s", a)).toBe(eventMessageId("s", b))
    expect(eventMessageId("s", a)).toMatch(/^s\/x\/[0-9a-f]{32}$/)
    expect(eventMessageId("t", a)).not.toBe(eventMessageId("s", a))
    expect(eventMessageId("s", decodeEvent({ id: "x", type: "shock", indicator: "fai", value: 2 }))).not.toBe(eventMessageId("s", a))
  })
})
