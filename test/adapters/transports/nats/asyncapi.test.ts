// adapters/transports/nats/asyncapi.ts: the committed asyncapi.yaml is exactly what the generator makes from
// the zod schemas, and it describes the public contract (subjects, payload schemas, endpoint).
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { Effect } from "effect"
import { ASYNCAPI_FILE, asyncapiYaml, ForecastPayload, RejectionPayload } from "../../../../adapters/transports/nats/asyncapi.ts"
import { ScenarioRegistry } from "../../../../adapters/service/registry.ts"
import { duji, forecastOf } from "../../service/harness.ts"

describe("asyncapi.yaml", () => {
  it("equals the generated document (run `node adapters/transports/nats/asyncapi.ts` after changing a schema)", () => {
    expect(readFileSync(ASYNCAPI_FILE, "utf8")).toBe(asyncapiYaml())
  })

  it("names the public subjects and carries the event schema from engine/spec", () => {
    const doc = parse(asyncapiYaml())
    expect(doc.asyncapi).toBe("3.0.0")
    const addresses = Object.values(doc.channels as Record<string, { address: string }>).map((c) => c.address)
    expect(addresses).toEqual(["plancast.events.{scenario}", "plancast.forecasts.{scenario}", "plancast.rejected.{scenario}", "plancast.project"])
    const event = doc.channels.events.messages.scenarioEvent.payload.schema
    const types = event.oneOf.map((o: { properties: { type: { const: string } } }) => o.properties.type.const)
    expect(types).toEqual(["shock", "observe", "set-parameter", "measure", "retract"])
  })

  it("its payload schemas accept what the service sends and refuse what it never sends", () => {
    const band = (x: number) => ({ mean: x, p05: x, p25: x, p50: x, p75: x, p95: x })
    const forecast = {
      model: "m", scenario: "s", seed: 1, draws: 0, periods: ["2024-01"],
      indicators: [{ id: "gdp", name: "GDP", unit: "%", kind: "flow", target: null, annual: band(5), probability: null, outcomes: null, required: null, met: null, quantileError: 0, path: [{ period: "2024-01", ytd: band(5), growth: 5, observed: false }] }],
      joint: { targets: 0, all: 1, count: [1] },
      events: { applied: 0, rejected: 0 }, solution: { periods: ["2024-01"], variables: { gdp: [5] } }, sequence: 3,
      news: { scenario: "s", method: "news", draws: 0, seed: 1, start: {}, steps: [], end: {} },
    }
    expect(ForecastPayload.safeParse(forecast).success).toBe(true)
    expect(ForecastPayload.safeParse({ ...forecast, sequence: undefined }).success).toBe(false)
    expect(ForecastPayload.safeParse({ ...forecast, news: undefined }).success).toBe(false)
    expect(ForecastPayload.safeParse({ ...forecast, indicators: [{ ...forecast.indicators[0], annual: { ...band(5), p50: null } }] }).success).toBe(false)
    expect(RejectionPayload.safeParse({ scenario: "_", raw: "{x", encoding: "utf-8", size: 2, reasons: ["not JSON"], sequence: 4, subject: "plancast.events.a.b" }).success).toBe(true)
    expect(RejectionPayload.safeParse({ scenario: "_", raw: "{x", encoding: "utf-8", size: 2, reasons: [], sequence: 4, subject: "x" }).success).toBe(false)
  })

  it("its forecast schema accepts a forecast the registry makes after a release, news included", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 50, seed: 1 })
    r.receive({ scenario: "s", subject: "plancast.events.s", data: JSON.stringify({ id: "f2", type: "observe", indicator: "fai", through: "2024-02", ytd: -12 }), sequence: 1, ack: Effect.void })
    const { forecast } = forecastOf(r, "s")
    const parsed = ForecastPayload.safeParse(forecast)
    expect(parsed.error).toBeUndefined()
    expect(forecast.news.steps.map((x) => x.kind)).toEqual(["release"])
  })
})
