// Snapshots over NATS: a service that snapshots every few messages and is stopped between
// snapshots restarts from the latest one (it says so, and replays only the messages after it)
// and ends in the scenarios a full replay gives (a service under another consumer name, which
// has no snapshot). Against a nats-server started here; the services run in process.
import { afterAll, describe, expect, it } from "vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { layerNats } from "../../../../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../../../../adapters/transports/nats/settings.ts"
import { eventMessageId } from "../../../../adapters/contract.ts"
import { decodeEvent } from "../../../../engine/index.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { duji, forecastOf, shock, startLoop, waitFor } from "../../service/harness.ts"

let server: NatsServer | undefined
afterAll(async () => {
  await server?.stop()
})

const ids = (s: { events: readonly { id: string }[]; retracted: ReadonlySet<string> }) => ({ events: s.events.map((e) => e.id), retracted: [...s.retracted].sort() })

describe("snapshots over NATS", () => {
  it("a restart replays only the messages after the latest snapshot and equals a full replay", async () => {
    server = await NatsServer.start()
    const base = await duji()
    const nc = await connect({ servers: server.url })
    const js = jetstream(nc)
    const publish = async (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        const e = k % 9 === 8 ? { id: `r${k}`, scenario: `s${k % 3}`, type: "retract", event: `e${k - 3}` } : shock(`e${k}`, `s${k % 3}`, k % 2 ? "fai" : "trade", (k % 7) - 3)
        await js.publish(`plancast.events.${e.scenario}`, JSON.stringify(e), { msgID: eventMessageId(e.scenario, decodeEvent(e)) })
      }
    }
    const settings = (consumer: string) => parseNatsSettings({ nats: server!.url, consumer }, {})
    const lines: string[] = []
    const log = (l: string) => void lines.push(l)
    try {
      let loop = startLoop(base, layerNats(settings("snap"), { log }), 0, 1, { snapshotEvery: 7, log })
      const jsm = await jetstreamManager(nc)
      await waitFor("the events stream", () => jsm.streams.info("PLANCAST_EVENTS").then(() => true, () => false))
      await publish(0, 40)
      await waitFor("40 messages processed", () => loop.registry.processed(40))
      await loop.stop()
      await publish(40, 52) // while the service is down
      lines.length = 0
      loop = startLoop(base, layerNats(settings("snap"), { log }), 0, 1, { snapshotEvery: 7, log })
      await waitFor("52 messages processed", () => loop.registry.processed(52))
      const restored = lines.map((l) => /restored the snapshot through sequence (\d+)/.exec(l)?.[1]).find((x) => x !== undefined)
      // some snapshot of the first run, taken after a batch once 7 or more messages had passed
      expect(Number(restored)).toBeGreaterThanOrEqual(7)
      expect(Number(restored)).toBeLessThanOrEqual(40)
      expect(lines).toContain("replayed the stream through sequence 52: 3 scenario(s)")
      const full = startLoop(base, layerNats(settings("full"), { log: () => {} }))
      await waitFor("the full replay", () => full.registry.processed(52))
      for (const s of ["s0", "s1", "s2"]) {
        expect(ids(loop.registry.stateOf(s))).toEqual(ids(full.registry.stateOf(s)))
        expect(forecastOf(loop.registry, s).forecast.indicators).toEqual(forecastOf(full.registry, s).forecast.indicators)
      }
      await loop.stop()
      await full.stop()
    } finally {
      await nc.close()
    }
  })
})
