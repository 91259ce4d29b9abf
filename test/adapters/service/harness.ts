// Shared helpers of the adapter tests: the Duji base scenario, running the serve loop over a
// layer in the background, waiting for a condition, the offline fold and projection a service
// must agree with, and a NATS observer (a plain client subscribed to forecasts and rejections).
// Test support (shell: fibers, sockets).
import { Effect, Fiber, Layer } from "effect"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { admitEvents, project, type Projection, type ScenarioEvent } from "../../../engine/index.ts"
import { loadBase } from "../../../adapters/cli/serve.ts"
import { ScenarioRegistry, type BaseScenario } from "../../../adapters/service/registry.ts"
import { serveLoop, type ServeLoopOptions } from "../../../adapters/service/serve-loop.ts"
import type { EventSource } from "../../../adapters/service/event-source.ts"
import type { Forecast, ForecastSink, Rejection } from "../../../adapters/service/forecast-sink.ts"

export const BASE_FILE = "scenarios/duji-2024/baseline.yaml"

let cached: Promise<BaseScenario> | undefined
/** The Duji baseline, loaded once per test file. */
export const duji = (): Promise<BaseScenario> => (cached ??= loadBase(BASE_FILE))

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `f` every 20 ms until it returns a value other than undefined/false, or fails after `ms`. */
export const waitFor = async <T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
  const until = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Runs the serve loop over a layer in the background; `stop()` interrupts it and waits for its end. */
export const startLoop = (base: BaseScenario, layer: Layer.Layer<EventSource | ForecastSink, unknown>, draws = 0, seed = 1, options: ServeLoopOptions = {}) => {
  const registry = new ScenarioRegistry(base, { draws, seed })
  const fiber = Effect.runFork(serveLoop(registry, options).pipe(Effect.provide(layer)) as Effect.Effect<void, unknown>)
  return {
    registry,
    fiber,
    done: Effect.runPromise(Fiber.await(fiber)),
    stop: () => Effect.runPromise(Fiber.interrupt(fiber)),
  }
}

/** The offline projection of the base plus these raw events (the fold every service run must equal). */
export const offline = (base: BaseScenario, scenario: string, events: readonly unknown[], draws = 0, seed = 1): Projection => {
  const { state, rejected } = admitEvents(base.compiled, events, base.state)
  return project(base.compiled, state, { draws, seed, scenario, rejected: rejected.length })
}

/** Annual p50 per indicator: what two projections are compared on. */
export const annuals = (p: { indicators: readonly { id: string; annual: { p50: number } }[] }) => Object.fromEntries(p.indicators.map((i) => [i.id, i.annual.p50]))

/** The applied count of a forecast. */
export const appliedOf = (f: Forecast | undefined): number | undefined => (f?.events as { applied?: number } | undefined)?.applied

/** A plain NATS client recording forecasts and rejections (as an outside subscriber would). */
export const observe = async (url: string) => {
  const nc: NatsConnection = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
  const forecasts: Forecast[] = []
  const rejections: Rejection[] = []
  const f = nc.subscribe("plancast.forecasts.>", { callback: (_e, m) => void forecasts.push(m.json<Forecast>()) })
  const r = nc.subscribe("plancast.rejected.>", { callback: (_e, m) => void rejections.push(m.json<Rejection>()) })
  await nc.flush()
  return {
    nc,
    forecasts,
    rejections,
    last: (scenario: string) => forecasts.filter((x) => x.scenario === scenario).at(-1),
    close: async () => {
      f.unsubscribe()
      r.unsubscribe()
      await nc.close()
    },
  }
}

/** A valid shock event. */
export const shock = (id: string, scenario: string, indicator: string, value: number) => ({ id, scenario, type: "shock", indicator, value })

/** A scenario's forecast from the registry; fails the test when the forecast failed. */
export const forecastOf = (registry: ScenarioRegistry, scenario: string): { forecast: Forecast; lastEvent: ScenarioEvent | undefined } => {
  const f = registry.forecast(scenario)
  if ("failure" in f) throw new Error(f.failure.reasons.join("; "))
  return f
}
