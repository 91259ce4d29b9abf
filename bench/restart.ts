// Benchmark of the service's restart over loopback NATS: N events over K scenarios are stored
// in the stream, then a service (in process, the serve loop over the NATS layer) is started
// three times: cold (no snapshot: replays every message), after a stop (restores the snapshot
// taken at the end of the first replay, replays nothing), and after M more events arrived
// while it was down (restores, replays the tail). Reports the time from start to the first
// forecasts of every scenario. Starts its own nats-server on a free port. Prints figures;
// asserts nothing. Shell. Run: npm run bench:restart -- [--events N] [--scenarios K] [--tail M]
import { performance } from "node:perf_hooks"
import { Effect, Fiber } from "effect"
import { connect } from "@nats-io/transport-node"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { NatsServer } from "../test/support/nats-server.ts"
import { loadBase } from "../adapters/cli/serve.ts"
import { ScenarioRegistry } from "../adapters/service/registry.ts"
import { serveLoop } from "../adapters/service/serve-loop.ts"
import { layerNats } from "../adapters/transports/nats/layer.ts"
import { parseNatsSettings } from "../adapters/transports/nats/settings.ts"
import { ensureStream } from "../adapters/transports/nats/connection.ts"
import { eventMessageId } from "../adapters/contract.ts"
import { decodeEvent } from "../engine/index.ts"
import { numberArg } from "./args.ts"

const EVENTS = numberArg("events", 20_000)
const SCENARIOS = numberArg("scenarios", 20)
const TAIL = numberArg("tail", 1_000)
const INDICATORS = ["fai", "retail_sales", "trade", "industry_va", "fiscal_revenue"]

const server = await NatsServer.start()
const base = await loadBase("scenarios/duji-2024/baseline.yaml")
const settings = parseNatsSettings({ nats: server.url }, {})
const nc = await connect({ servers: server.url })
const js = jetstream(nc)

const publish = async (from: number, to: number): Promise<void> => {
  const pending: Promise<unknown>[] = []
  for (let k = from; k < to; k++) {
    const scenario = `s${k % SCENARIOS}`
    const e = { id: `e${k}`, scenario, type: "shock", indicator: INDICATORS[k % INDICATORS.length], value: ((k * 7) % 21) / 10 - 1 }
    pending.push(js.publish(`plancast.events.${scenario}`, JSON.stringify(e), { msgID: eventMessageId(scenario, decodeEvent(e)) }))
    if (pending.length >= 1000) await Promise.all(pending.splice(0))
  }
  await Promise.all(pending)
}

/** Starts a service; resolves with the seconds to its first forecast of every scenario, and its stop. */
const start = async (): Promise<{ seconds: number; stop: () => Promise<unknown> }> => {
  const t0 = performance.now()
  const seen = new Set<string>()
  let done: (s: number) => void = () => {}
  const ready = new Promise<number>((r) => (done = r))
  const registry = new ScenarioRegistry(base, { draws: 0, seed: 1 })
  const loop = serveLoop(registry, {
    log: (l) => void (/^(restored|replayed|snapshot)/.test(l) ? console.log(`  ${l}`) : undefined),
    onForecast: [
      (scenario) => {
        seen.add(scenario)
        if (seen.size === SCENARIOS) done((performance.now() - t0) / 1000)
      },
    ],
  })
  const fiber = Effect.runFork(loop.pipe(Effect.provide(layerNats(settings))) as Effect.Effect<void, unknown>)
  return { seconds: await ready, stop: () => Effect.runPromise(Fiber.interrupt(fiber)) }
}

// the events stream as the service creates it
await Effect.runPromise(ensureStream(await jetstreamManager(nc), settings.stream))
console.log(`publishing ${EVENTS.toLocaleString("en-US")} events over ${SCENARIOS} scenarios`)
await publish(0, EVENTS)
const cold = await start()
console.log(`cold start (no snapshot, replays ${EVENTS.toLocaleString("en-US")}): ${cold.seconds.toFixed(2)} s to the first forecasts`)
await cold.stop()
const warm = await start()
console.log(`restart from the snapshot: ${warm.seconds.toFixed(2)} s`)
await warm.stop()
await publish(EVENTS, EVENTS + TAIL)
const tail = await start()
console.log(`restart from the snapshot with ${TAIL.toLocaleString("en-US")} new events: ${tail.seconds.toFixed(2)} s`)
await tail.stop()
await nc.close()
await server.stop()
