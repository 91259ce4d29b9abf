// `plancast publish` before any service has run: it creates the events stream with the
// service's settings, so the events are kept for the service to replay when it starts.
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect } from "@nats-io/transport-node"
import { jetstreamManager } from "@nats-io/jetstream"
import { NatsServer } from "../../../support/nats-server.ts"
import { shock } from "../../service/harness.ts"

let server: NatsServer
beforeAll(async () => {
  server = await NatsServer.start()
})
afterAll(async () => {
  await server?.stop()
})

describe("plancast publish on a fresh broker", () => {
  it("creates PLANCAST_EVENTS and stores the events", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "plancast-publish-")), "events.ndjson")
    writeFileSync(file, [shock("f1", "fresh", "fai", -1), shock("f2", "fresh", "trade", 2)].map((e) => JSON.stringify(e)).join("\n") + "\n")
    const r = spawnSync(process.execPath, ["adapters/cli/bin.mjs", "publish", file, "--nats", server.url], { encoding: "utf8", timeout: 60_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/f2 -> plancast.events.fresh: stored at sequence 2/)
    const nc = await connect({ servers: server.url })
    try {
      const info = await (await jetstreamManager(nc)).streams.info("PLANCAST_EVENTS")
      expect(info.state.messages).toBe(2)
      expect(info.config.subjects).toContain("plancast.events.>")
    } finally {
      await nc.close()
    }
  })
})
