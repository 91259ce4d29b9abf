// adapters/transports/nats/layer.ts against a real nats-server started here (never the one on 4222): the
// history replays only the subjects the durable consumer reads, so a message an operator
// stores on another subject of the events stream is never applied, even when its payload
// names a scenario. Integration test (shell: a broker process, sockets).
import { afterAll, beforeAll, expect, it } from "vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { layerNats } from "../../../../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../../../../adapters/transports/nats/settings.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { appliedOf, duji, observe, shock, startLoop, waitFor } from "../../service/harness.ts"

let server: NatsServer
beforeAll(async () => {
  server = await NatsServer.start()
})
afterAll(async () => {
  await server?.stop()
})

it("replays only plancast.events.> from a stream that holds other subjects too", async () => {
  const base = await duji()
  const settings = parseNatsSettings({ nats: server.url, stream: "MIXED", consumer: "mixed", bucket: "mixed" }, {})
  const watch = await observe(server.url)
  const jsm = await jetstreamManager(watch.nc)
  const js = jetstream(watch.nc)
  // an operator's stream with a subject of its own besides the events
  await jsm.streams.add({ name: settings.stream, subjects: ["audit.>", "plancast.events.>"] })
  await js.publish("plancast.events.s", JSON.stringify(shock("own", "s", "fai", -1)), { msgID: "own" })
  await js.publish("audit.copy", JSON.stringify(shock("foreign", "s", "trade", 2)), { msgID: "foreign" })
  let loop = startLoop(base, layerNats(settings))
  try {
    await waitFor("the forecast of s", () => appliedOf(watch.last("s")) !== undefined)
    expect(loop.registry.stateOf("s").events.map((e) => e.id)).toEqual(["own"])
    // once more after a restart (the history then covers everything), with a live event after it
    await loop.stop()
    watch.forecasts.length = 0
    loop = startLoop(base, layerNats(settings))
    await waitFor("the replayed forecast of s", () => appliedOf(watch.last("s")) !== undefined)
    await js.publish("plancast.events.s", JSON.stringify(shock("later", "s", "retail_sales", 1)), { msgID: "later" })
    await waitFor("the live event", () => loop.registry.stateOf("s").events.some((e) => e.id === "later"))
    expect(loop.registry.stateOf("s").events.map((e) => e.id)).toEqual(["own", "later"])
    expect(watch.rejections).toEqual([])
  } finally {
    await loop.stop()
    await watch.close()
  }
}, 60_000)
