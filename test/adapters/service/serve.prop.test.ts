// Property of the serve loop: any stream of valid and invalid messages, published with and
// without message ids (so duplicates get past the broker's de-duplication), redelivered at
// random, with the service restarted at random points (a new registry rebuilding from the
// history), ends in the same scenario states as the offline fold of the stored messages, and
// every message is acknowledged; with snapshots every few messages, a restart resumes from the
// latest one and ends in what a full replay gives. Poison events (valid by the schema, extreme in value, at any
// parameter or variable) are refused by admission and the scenario keeps its forecasts. Many runs over the memory bus, a few over a real nats-server.
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { admitEvents, type ScenarioState } from "../../../engine/index.ts"
import { MemoryBus, layerMemory } from "../../../adapters/transports/memory/bus.ts"
import { layerNats } from "../../../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../../../adapters/transports/nats/settings.ts"
import type { BaseScenario } from "../../../adapters/service/registry.ts"
import { NatsServer } from "../../support/nats-server.ts"
import { annuals, appliedOf, duji, forecastOf, observe, offline, sleep, startLoop, waitFor } from "./harness.ts"

const SCENARIOS = ["s1", "s2"] as const
const INDICATORS = ["fai", "retail_sales", "trade", "industry_va", "gdp"]
const IDS = ["v0", "v1", "v2", "v3", "v4", "v5"]
const dujiModel = await duji()
const PARAMETERS = dujiModel.compiled.parameters
const VARIABLES = [...dujiModel.compiled.endogenous, ...dujiModel.compiled.exogenous]

type Payload = string | Uint8Array
interface Publish {
  readonly kind: "publish"
  readonly scenario: string
  readonly payload: Payload
  readonly id?: string
}
type Op = Publish | { readonly kind: "redeliver"; readonly at: number } | { readonly kind: "restart" }

const shockArb = fc.record({
  id: fc.constantFrom(...IDS),
  indicator: fc.constantFrom(...INDICATORS),
  value: fc.integer({ min: -30, max: 30 }).map((x) => x / 10),
})
const EXTREMES = [1e308, -1e308, 1e300, 0, 5e-324, -1e-300, 1e12]
const poisonArb = (scenario: string): fc.Arbitrary<{ payload: Payload; id?: string }> =>
  fc
    .tuple(fc.constantFrom("p0", "p1", "p2"), fc.boolean(), fc.constantFrom(...EXTREMES), fc.nat())
    .map(([id, parameter, value, k]) => ({
      payload: JSON.stringify(
        parameter
          ? { id, scenario, type: "set-parameter", parameter: PARAMETERS[k % PARAMETERS.length], value }
          : { id, scenario, type: "shock", indicator: VARIABLES[k % VARIABLES.length], value },
      ),
      id,
    }))
const payloadArb = (scenario: string): fc.Arbitrary<{ payload: Payload; id?: string }> =>
  fc.oneof(
    { weight: 5, arbitrary: shockArb.map((s) => ({ payload: JSON.stringify({ ...s, scenario, type: "shock" }), id: s.id })) },
    {
      weight: 2,
      arbitrary: fc.record({ id: fc.constantFrom("r0", "r1", "r2"), event: fc.constantFrom(...IDS, "ghost") }).map((r) => ({
        payload: JSON.stringify({ ...r, scenario, type: "retract" }),
        id: r.id,
      })),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant({ payload: "{not json" }),
        fc.string({ maxLength: 20 }).map((s) => ({ payload: s })),
        fc.constant({ payload: JSON.stringify({ id: "bad", scenario, type: "shock", indicator: "nope", value: 1 }), id: "bad" }),
        fc.constant({ payload: JSON.stringify({ id: "w", scenario, type: "shock", indicator: "fai", value: "x" }) }),
        fc.constant({ payload: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
      ),
    },
    // poison: valid by the schema, extreme in value, at any parameter or variable
    { weight: 2, arbitrary: poisonArb(scenario) },
  )
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...SCENARIOS)
      .chain((scenario) => fc.tuple(fc.constant(scenario), payloadArb(scenario), fc.boolean()))
      .map(([scenario, p, withId]): Op => ({ kind: "publish", scenario, payload: p.payload, ...(withId && p.id ? { id: p.id } : {}) })),
  },
  { weight: 2, arbitrary: fc.nat({ max: 60 }).map((at): Op => ({ kind: "redeliver", at: at + 1 })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: "restart" }) },
)
const opsArb = fc.array(opArb, { minLength: 1, maxLength: 40 })

const utf8 = new TextDecoder("utf-8", { fatal: true })
const asRaw = (data: Payload): unknown => {
  try {
    return JSON.parse(typeof data === "string" ? data : utf8.decode(data))
  } catch {
    return "not an event"
  }
}

/** The fold of what a bus stored for one scenario, in sequence order: the state every run must end in. */
const expectedState = (base: BaseScenario, bus: MemoryBus, scenario: string): ScenarioState =>
  admitEvents(base.compiled, bus.log.filter((m) => m.subject === `plancast.events.${scenario}`).map((m) => asRaw(m.data)), base.state).state

const ids = (s: ScenarioState) => ({ events: s.events.map((e) => e.id), retracted: [...s.retracted].sort() })

describe("serve loop property: any delivery ends in the fold of the stored messages", () => {
  it("over the memory bus, with duplicates, redeliveries and restarts", async () => {
    const base = await duji()
    await fc.assert(
      fc.asyncProperty(opsArb, fc.integer({ min: 1, max: 6 }), async (ops, snapshotEvery) => {
        const bus = new MemoryBus()
        // snapshots every few messages: a restart resumes from the latest one
        const start = () => startLoop(base, layerMemory(bus), 0, 1, { snapshotEvery })
        let loop = start()
        for (const op of ops) {
          if (op.kind === "publish") bus.publish(`plancast.events.${op.scenario}`, op.payload, { messageId: op.id })
          else if (op.kind === "redeliver") bus.redeliver(op.at)
          else {
            await loop.stop()
            loop = start()
          }
          if (ops.indexOf(op) % 7 === 0) await sleep(0)
        }
        await waitFor("every message acknowledged", () => bus.log.every((m) => bus.acknowledged.has(m.sequence)), 5_000)
        for (const s of SCENARIOS) {
          const want = JSON.stringify(ids(expectedState(base, bus, s)))
          // a service restarted last may still be replaying: give it the time to catch up
          await waitFor(`state of ${s}`, () => JSON.stringify(ids(loop.registry.stateOf(s))) === want, 2_000).catch(() => {})
          expect(ids(loop.registry.stateOf(s))).toEqual(ids(expectedState(base, bus, s)))
          // and it still serves the scenario: its forecast projects
          expect("failure" in loop.registry.forecast(s)).toBe(false)
        }
        await loop.stop()
        // a full replay, with the snapshot thrown away, gives the same scenarios and counts
        bus.snapshot = undefined
        const full = startLoop(base, layerMemory(bus))
        for (const s of SCENARIOS) {
          await waitFor(`full replay of ${s}`, () => JSON.stringify(ids(full.registry.stateOf(s))) === JSON.stringify(ids(loop.registry.stateOf(s))), 2_000).catch(() => {})
          expect(ids(full.registry.stateOf(s))).toEqual(ids(loop.registry.stateOf(s)))
          expect(forecastOf(full.registry, s).forecast.events).toEqual(forecastOf(loop.registry, s).forecast.events)
        }
        await full.stop()
      }),
      { numRuns: 60 },
    )
  })
})

describe("serve loop property over NATS (few runs)", () => {
  let server: NatsServer | undefined
  afterAll(async () => {
    await server?.stop()
  })

  it("ends in the fold of what the stream stored, forecasts included", async () => {
    server = await NatsServer.start()
    const url = server.url
    const base = await duji()
    const watch = await observe(url)
    const jsm = await jetstreamManager(watch.nc)
    const js = jetstream(watch.nc)
    let run = 0
    try {
      await fc.assert(
        fc.asyncProperty(opsArb, async (ops) => {
          run++
          const settings = parseNatsSettings({ nats: url, stream: `PROP_${run}`, consumer: `prop_${run}`, bucket: `prop-${run}` }, {})
          // the reference: the same publishes on a memory bus, which de-duplicates message ids as the stream does
          const reference = new MemoryBus()
          const lines: string[] = []
          const log = (l: string) => void lines.push(l)
          let loop = startLoop(base, layerNats(settings, { log }))
          try {
            await waitFor("the stream", () => jsm.streams.info(settings.stream).then(() => true, () => false))
            for (const op of ops) {
              if (op.kind === "publish") {
                reference.publish(`plancast.events.${op.scenario}`, op.payload, { messageId: op.id })
                await js.publish(`plancast.events.${op.scenario}`, op.payload, op.id ? { msgID: op.id } : undefined)
              } else if (op.kind === "restart") {
                await loop.stop()
                loop = startLoop(base, layerNats(settings, { log }))
              }
            }
            await waitFor(
              "every message acknowledged",
              async () => {
                const info = await jsm.consumers.info(settings.stream, settings.consumer)
                return info.num_ack_pending === 0 && info.num_pending === 0
              },
              20_000,
            )
            for (const s of SCENARIOS) {
              const expected = expectedState(base, reference, s)
              // a service restarted last may still be replaying: give it the time to catch up
              const want0 = JSON.stringify(ids(expected))
              await waitFor(`state of ${s}`, () => JSON.stringify(ids(loop.registry.stateOf(s))) === want0, 30_000).catch(() => {})
              expect(ids(loop.registry.stateOf(s))).toEqual(ids(expected))
              if (expected.events.length > 0) {
                const want = offline(base, s, reference.log.filter((m) => m.subject === `plancast.events.${s}`).map((m) => asRaw(m.data)))
                const f = await waitFor(`forecast of ${s}`, () => (appliedOf(watch.last(s)) === want.events.applied ? watch.last(s) : undefined), 30_000)
                expect(annuals(f as never)).toEqual(annuals(want))
              }
            }
          } catch (e) {
            console.error(`run ${run} failed: ${e instanceof Error ? e.message : String(e)}; ops ${JSON.stringify(ops)}\n${lines.join("\n")}`)
            throw e
          } finally {
            await loop.stop()
            await jsm.streams.delete(settings.stream).catch(() => {})
            watch.forecasts.length = 0
          }
        }),
        { numRuns: 3 },
      )
    } finally {
      await watch.close()
    }
  }, 180_000)
})
