// plancast.project's `live` field against a real nats-server started here (never the one on
// 4222), with the service in process (runServe, stopped by a signal): a request for a live
// scenario answers the projection of the events the service applied to it, the same as the
// offline fold of those events and as its last published forecast; extra `events` go on top
// of that state, and the live scenario stays as it was; a name the service has never seen is
// refused with a 400 service error. Integration test (shell: a broker process, sockets).
import { isDeepStrictEqual } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { ServiceError } from "@nats-io/services"
import type { Msg } from "@nats-io/transport-node"
import { runServe } from "../../../../adapters/cli/serve.ts"
import { PROJECT_SUBJECT } from "../../../../adapters/transports/nats/project-endpoint.ts"
import { eventMessageId } from "../../../../adapters/contract.ts"
import { decodeEvent, type Projection } from "../../../../engine/index.ts"
import type { Forecast } from "../../../../adapters/service/forecast-sink.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { BASE_FILE, duji, observe, offline, shock, waitFor } from "../../service/harness.ts"

let server: NatsServer
let watch: Awaited<ReturnType<typeof observe>>
let served: Promise<number>
const stop = new AbortController()
const lines: string[] = []

beforeAll(async () => {
  server = await NatsServer.start()
  watch = await observe(server.url)
  served = runServe({ nats: server.url, stdio: false, base: BASE_FILE, env: {}, signal: stop.signal, log: (l) => void lines.push(l) })
  const jsm = await jetstreamManager(watch.nc)
  await waitFor("the stream PLANCAST_EVENTS", () => jsm.streams.info("PLANCAST_EVENTS").then(() => true, () => false), 30_000)
  await waitFor("the plancast service", () => lines.some((l) => l.startsWith("serving ")), 30_000)
})

afterAll(async () => {
  stop.abort()
  expect(await served).toBe(0)
  await watch?.close().catch(() => {})
  await server?.stop()
})

const publish = async (events: readonly { id: string; scenario: string }[]) => {
  const js = jetstream(watch.nc)
  for (const e of events) {
    // a refused event has no message id of its own (it does not decode): its id is enough here
    let msgID = `${e.scenario}/${e.id}`
    try {
      msgID = eventMessageId(e.scenario, decodeEvent(e))
    } catch {}
    await js.publish(`plancast.events.${e.scenario}`, JSON.stringify(e), { msgID })
  }
}

/** A forecast without what only a forecast has (its stream sequence and news): a projection. */
const projectionOf = ({ sequence: _sequence, news: _news, ...rest }: Forecast): unknown => rest

/** Waits until the service has published `expected` as the forecast of `scenario` (it applied those events). */
const applied = (scenario: string, expected: Projection): Promise<Forecast> =>
  waitFor(`the forecast of ${scenario} with ${JSON.stringify(expected.events)}`, () => {
    const f = watch.last(scenario)
    return f !== undefined && isDeepStrictEqual(projectionOf(f), expected) ? f : undefined
  })

const request = (body: unknown): Promise<Msg> => watch.nc.request(PROJECT_SUBJECT, JSON.stringify(body), { timeout: 10_000 })

const projection = (reply: Msg): Projection => {
  expect(ServiceError.toServiceError(reply)).toBeNull()
  return reply.json<Projection>()
}

describe("plancast.project with live", () => {
  const sc = "desk"
  // the refused one first: a refusal alone brings no new forecast, the next applied event does
  const first = [shock("a0", sc, "nope", 1), shock("a1", sc, "fai", -5), shock("a2", sc, "trade", -3)]

  it("answers the projection of the live scenario's current state, as offline and as its forecast", async () => {
    const base = await duji()
    await publish(first)
    const expected = offline(base, sc, first)
    expect(expected.events).toEqual({ applied: 2, rejected: 1 })
    // the service published exactly the offline projection as the scenario's forecast
    await applied(sc, expected)

    expect(projection(await request({ live: sc }))).toEqual(expected)
    // the base alone differs: the answer is the live scenario's, not the base's
    expect(projection(await request({})).events).toEqual({ applied: 0, rejected: 0 })

    // the request's draws and seed, and `scenario` a label only
    expect(projection(await request({ live: sc, draws: 40, seed: 5 }))).toEqual(offline(base, sc, first, 40, 5))
    expect(projection(await request({ live: sc, scenario: "what-if" }))).toEqual(offline(base, "what-if", first))

    // the state is read at each request: later events are in the next answer
    const more = [shock("a4", sc, "retail_sales", 2), { id: "r1", scenario: sc, type: "retract", event: "a2" }]
    await publish(more)
    const after = offline(base, sc, [...first, ...more])
    await applied(sc, after)
    expect(projection(await request({ live: sc }))).toEqual(after)
  })

  it("applies the request's events on top of the live state, leaving the live scenario as it was", async () => {
    const base = await duji()
    const sc2 = "desk2"
    const events = [shock("b1", sc2, "fai", -4)]
    await publish(events)
    const before = offline(base, sc2, events)
    await applied(sc2, before)

    const extra = [shock("w1", sc2, "retail_sales", 3)]
    expect(projection(await request({ live: sc2, events: extra }))).toEqual(offline(base, sc2, [...events, ...extra]))
    expect(projection(await request({ live: sc2 }))).toEqual(before)

    // on the base, another payload under b1 would be new; on the live scenario it is refused
    const clash = await request({ live: sc2, events: [shock("b1", sc2, "fai", 4)] })
    expect(ServiceError.toServiceError(clash)?.code).toBe(400)
    expect(ServiceError.toServiceError(clash)?.message).toMatch(/b1/)
    expect(projection(await request({ events: [shock("b1", sc2, "fai", 4)] })).events).toEqual({ applied: 1, rejected: 0 })
  })

  it("refuses a live name the service has never seen, with the reason", async () => {
    const reply = await request({ live: "nobody", events: [shock("x1", "nobody", "fai", 1)] })
    const error = ServiceError.toServiceError(reply)
    expect(error?.code).toBe(400)
    expect(error?.message).toMatch(/^live: "nobody" is not a scenario of this service: no event has named it yet/)
    expect(ServiceError.toServiceError(await request({ live: 3 }))?.code).toBe(400)
    // a scenario file has no live scenario: the field is refused there
    const file = await watch.nc.request(PROJECT_SUBJECT, `name: alt\nmodel: ./model.yaml\nlive: ${sc}\n`, { timeout: 10_000 })
    expect(ServiceError.toServiceError(file)?.code).toBe(400)
    expect(ServiceError.toServiceError(file)?.message).toMatch(/live/)
  })
})
