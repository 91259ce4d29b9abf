// Contract of the EventSource/ForecastSink seam: the same assertions against every layer
// (memory bus, NDJSON over in-process streams, NATS JetStream against a real nats-server the
// test starts). Valid events apply once (duplicates by id do not count), hostile messages are
// each refused with a reason on the rejection channel and the service keeps going, the final
// forecast equals the offline projection of the fold, every message ends up acknowledged.
import { PassThrough } from "node:stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Layer } from "effect"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { MemoryBus, layerMemory } from "../../../adapters/transports/memory/bus.ts"
import { layerStdio } from "../../../adapters/transports/stdio/ndjson.ts"
import { layerNats } from "../../../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../../../adapters/transports/nats/settings.ts"
import type { EventSource } from "../../../adapters/service/event-source.ts"
import type { Forecast, ForecastSink } from "../../../adapters/service/forecast-sink.ts"
import { NatsServer } from "../../support/nats-server.ts"
import { annuals, appliedOf, duji, observe, offline, shock, startLoop, waitFor } from "./harness.ts"

/** What a layer under test offers the contract. */
interface Subject {
  readonly layer: Layer.Layer<EventSource | ForecastSink, unknown>
  /** Whether payloads travel as bytes (so non-UTF-8 reaches the decoder); NDJSON lines are text. */
  readonly bytes: boolean
  send(scenario: string, payload: string | Uint8Array, messageId?: string): Promise<void>
  forecasts(): Forecast[]
  rejections(): { scenario: string; reasons: readonly string[]; id?: string }[]
  /** End of input (standard input closed); a no-op for a bus. */
  end(): Promise<void>
  /** Whether every message was acknowledged. */
  allAcknowledged(): Promise<boolean>
  close(): Promise<void>
}

const memorySubject = async (): Promise<Subject> => {
  const bus = new MemoryBus()
  return {
    layer: layerMemory(bus),
    bytes: true,
    send: async (scenario, payload, messageId) => void bus.publish(`plancast.events.${scenario}`, payload, { messageId }),
    forecasts: () => bus.forecasts,
    rejections: () => bus.rejections,
    end: async () => {},
    allAcknowledged: async () => bus.log.every((m) => bus.acknowledged.has(m.sequence)),
    close: async () => {},
  }
}

const stdioSubject = async (): Promise<Subject> => {
  const input = new PassThrough()
  const output = new PassThrough()
  const errors = new PassThrough()
  const forecasts: Forecast[] = []
  const rejections: { scenario: string; reasons: string[]; id?: string }[] = []
  const lines = (s: PassThrough, sink: unknown[]) => {
    let rest = ""
    s.on("data", (d: Buffer) => {
      const parts = (rest + d.toString()).split("\n")
      rest = parts.pop()!
      for (const p of parts) if (p) sink.push(JSON.parse(p))
    })
  }
  lines(output, forecasts)
  lines(errors, rejections)
  return {
    layer: layerStdio({ input, output, errors }),
    bytes: false,
    send: async (_scenario, payload) => void input.write(typeof payload === "string" ? payload.replaceAll("\n", " ") + "\n" : Buffer.concat([payload, Buffer.from("\n")])),
    forecasts: () => forecasts,
    rejections: () => rejections,
    end: async () => void input.end(),
    allAcknowledged: async () => true,
    close: async () => {},
  }
}

let server: NatsServer | undefined
const natsSubject = async (): Promise<Subject> => {
  server ??= await NatsServer.start()
  const n = Math.random().toString(36).slice(2, 8)
  const settings = parseNatsSettings({ nats: server.url, stream: `CONTRACT_${n}`, consumer: `c_${n}`, bucket: `contract-${n}` }, {})
  const watch = await observe(server.url)
  const js = jetstream(watch.nc)
  const jsm = await jetstreamManager(watch.nc)
  return {
    layer: layerNats(settings),
    bytes: true,
    send: async (scenario, payload, messageId) => {
      // the stream exists once the layer is built: wait for it
      await waitFor("the stream", () => jsm.streams.info(settings.stream).then(() => true, () => false))
      await js.publish(`plancast.events.${scenario}`, payload, messageId ? { msgID: messageId } : undefined)
    },
    forecasts: () => watch.forecasts,
    rejections: () => watch.rejections,
    end: async () => {},
    allAcknowledged: async () => {
      const info = await jsm.consumers.info(settings.stream, settings.consumer)
      return info.num_ack_pending === 0 && info.num_pending === 0
    },
    close: async () => {
      await jsm.streams.delete(settings.stream).catch(() => {})
      await watch.close()
    },
  }
}

afterAll(async () => {
  await server?.stop()
})

const layers: [string, () => Promise<Subject>][] = [
  ["memory", memorySubject],
  ["stdio", stdioSubject],
  ["nats", natsSubject],
]

describe.each(layers)("EventSource/ForecastSink contract: %s", (_name, make) => {
  let subject: Subject
  beforeAll(async () => {
    subject = await make()
  })
  afterAll(async () => {
    await subject.close()
  })

  it("applies valid events once, refuses hostile ones with reasons, keeps serving, and acknowledges everything", async () => {
    const base = await duji()
    const loop = startLoop(base, subject.layer)
    // stopped whatever happens: a loop left running keeps its broker connection reconnecting
    try {
      const sc = "contract"
      const e1 = shock("e1", sc, "fai", -5)
      const e2 = shock("e2", sc, "retail_sales", 1)
      const e3 = shock("e3", sc, "trade", -3)
      const r1 = { id: "r1", scenario: sc, type: "retract", event: "e2" }
      const o6 = { id: "o6", scenario: sc, type: "observe", indicator: "industry_va", through: "2024-06", ytd: 5.1 }
      const o3 = { id: "o3", scenario: sc, type: "observe", indicator: "industry_va", through: "2024-03", ytd: 5.3 }
      const hostile: (string | Uint8Array)[] = [
        "{not json",
        JSON.stringify(shock("bad-ind", sc, "nonexistent_ind", 1)),
        JSON.stringify({ id: "bad-type", scenario: sc, type: "shock", indicator: "fai", value: "five" }),
        JSON.stringify({ id: "bad-retract", scenario: sc, type: "retract", event: "no-such-event" }),
        "[".repeat(100_000) + "]".repeat(100_000),
        `{"id":"deep","scenario":"${sc}","type":"shock","indicator":"fai","value":1,"uncertainty":${"[".repeat(50_000) + "]".repeat(50_000)}}`,
        JSON.stringify({ id: "big", scenario: sc, type: "shock", indicator: "fai", value: 1, note: "x".repeat(600_000) }),
        JSON.stringify({ id: "nan", scenario: sc, type: "shock", indicator: "fai", value: 1e999 }),
        JSON.stringify({ scenario: sc, type: "shock", indicator: "fai", value: 1 }),
        ...(subject.bytes ? [new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])] : []),
      ]
      // the retract comes early so that only the final state has as many events in effect as
      // the expected one (the wait below keys on that count, whatever batches the loop makes)
      const valid = [e1, e2, r1, o6, e3, o3]
      await subject.send(sc, JSON.stringify(e1), "e1")
      await subject.send(sc, JSON.stringify(e1)) // past JetStream's de-duplication: the fold must ignore it
      await subject.send(sc, JSON.stringify(e2), "e2")
      for (const h of hostile) await subject.send(sc, h)
      await subject.send(sc, JSON.stringify(r1), "r1")
      await subject.send(sc, JSON.stringify(o6), "o6")
      await subject.send(sc, JSON.stringify(e3), "e3")
      await subject.send(sc, JSON.stringify(o3), "o3")
      await subject.send(sc, JSON.stringify(e1)) // and once more at the end
      await subject.end()

      const expected = offline(base, sc, valid)
      const final = await waitFor("the final forecast", () => {
        const f = subject.forecasts().filter((x) => x.scenario === sc).at(-1)
        return appliedOf(f) === expected.events.applied && subject.rejections().length >= hostile.length ? f : undefined
      })
      expect(annuals(final as never)).toEqual(annuals(expected))
      expect(final.sequence).toBeGreaterThan(0)
      const rejected = subject.rejections()
      expect(rejected).toHaveLength(hostile.length)
      for (const r of rejected) {
        expect(r.reasons.length).toBeGreaterThan(0)
        expect(r.reasons.join(" ")).not.toBe("")
      }
      expect(rejected.filter((r) => r.id === "bad-ind")[0]?.scenario).toBe(sc)
      expect(rejected.find((r) => r.id === "bad-ind")?.reasons.join(" ")).toMatch(/nonexistent_ind/)
      expect(rejected.find((r) => r.id === "bad-retract")?.reasons.join(" ")).toMatch(/no-such-event/)
      expect((final.events as { rejected: number }).rejected).toBe(hostile.length - rejected.filter((r) => r.scenario === "_").length)
      await waitFor("every message acknowledged", () => subject.allAcknowledged())
    } finally {
      await loop.stop()
    }
  })
})
