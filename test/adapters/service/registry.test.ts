// adapters/service/registry.ts: one message in, one outcome out. Scenario from subject or
// payload (and refused when they disagree or neither names one), duplicates by id, redeliveries
// by sequence, non-UTF-8 and oversized payloads, rejected counts in the forecast, the live view
// a request reads.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { MAX_EVENT_BYTES, MAX_REJECTED_RAW, UNKNOWN_SCENARIO } from "../../../adapters/contract.ts"
import { ScenarioRegistry } from "../../../adapters/service/registry.ts"
import type { SourceMessage } from "../../../adapters/service/event-source.ts"
import { compile, emptyState, Model } from "../../../engine/index.ts"
import { duji, forecastOf, shock } from "./harness.ts"

let seq = 0
const msg = (data: string | Uint8Array, scenario?: string, sequence = ++seq): SourceMessage => ({
  scenario,
  subject: scenario !== undefined ? `plancast.events.${scenario}` : "stdin",
  data,
  sequence,
  ack: Effect.void,
})

describe("ScenarioRegistry", () => {
  it("applies an event to the scenario of its subject, once per id and once per sequence", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    const m = msg(JSON.stringify(shock("a", "s", "fai", 1)), "s")
    expect(r.receive(m).kind).toBe("applied")
    expect(r.receive(m).kind).toBe("seen")
    expect(r.receive(msg(JSON.stringify(shock("a", "s", "fai", 1)), "s")).kind).toBe("duplicate")
    expect(r.receive(msg(JSON.stringify({ id: "b", type: "shock", indicator: "trade", value: 1 }), "s")).kind).toBe("applied")
    expect(r.stateOf("s").events.map((e) => e.id)).toEqual(["a", "b"])
    const { forecast } = forecastOf(r, "s")
    expect(forecast.scenario).toBe("s")
    expect(forecast.sequence).toBe(seq)
    expect((forecast.events as { applied: number }).applied).toBe(2)
  })

  it("shows a live scenario once a message names it: its state and its rejected count, as its forecast", async () => {
    const base = await duji()
    const r = new ScenarioRegistry(base, { draws: 0, seed: 1 })
    expect(r.live("s")).toBeUndefined()
    expect(r.size).toBe(0)
    r.receive(msg(JSON.stringify(shock("a", "s", "nope", 1)), "s"))
    expect(r.live("s")).toEqual({ state: base.state, rejected: base.rejected + 1 })
    r.receive(msg(JSON.stringify(shock("b", "s", "fai", 1)), "s"))
    const live = r.live("s")!
    expect(live.state).toBe(r.stateOf("s"))
    expect(live.state.events.map((e) => e.id)).toEqual([...base.state.events.map((e) => e.id), "b"])
    expect(live.rejected).toBe((forecastOf(r, "s").forecast.events as { rejected: number }).rejected)
    expect(r.live("t")).toBeUndefined()
    expect(r.size).toBe(1)
  })

  it("takes the scenario from the payload where the transport names none, and refuses a mismatch", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    expect(r.receive(msg(JSON.stringify(shock("a", "p", "fai", 1)))).kind).toMatch("applied")
    const mismatch = r.receive(msg(JSON.stringify(shock("b", "other", "fai", 1)), "s"))
    expect(mismatch.kind === "rejected" && mismatch.rejection.scenario).toBe("s")
    const none = r.receive(msg(JSON.stringify({ id: "c", type: "shock", indicator: "fai", value: 1 })))
    expect(none.kind === "rejected" && none.rejection).toMatchObject({ scenario: UNKNOWN_SCENARIO, id: "c" })
    const badSubject = r.receive(msg(JSON.stringify(shock("d", "x", "fai", 1)), "a.b"))
    expect(badSubject.kind === "rejected" && badSubject.rejection.scenario).toBe(UNKNOWN_SCENARIO)
    expect((forecastOf(r, "s").forecast.events as { rejected: number }).rejected).toBe(1)
  })

  it("refuses non-UTF-8 (reported in base64) and oversized payloads (reported cut)", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    const bytes = r.receive(msg(new Uint8Array([0x7b, 0xff, 0x7d]), "s"))
    expect(bytes.kind === "rejected" && bytes.rejection).toMatchObject({ encoding: "base64", raw: "e/99", reasons: ["payload is not UTF-8 text"] })
    const big = r.receive(msg(JSON.stringify({ ...shock("big", "s", "fai", 1), note: "é".repeat(MAX_EVENT_BYTES) }), "s"))
    expect(big.kind).toBe("rejected")
    if (big.kind === "rejected") {
      expect(big.rejection.truncated).toBe(true)
      expect(big.rejection.encoding).toBe("utf-8")
      expect(Buffer.byteLength(big.rejection.raw)).toBeLessThanOrEqual(MAX_REJECTED_RAW + 3)
      expect(big.rejection.reasons[0]).toMatch(/exceeds the limit/)
    }
  })

  it("refuses events the fold refuses, with the engine's reason", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    const out = r.receive(msg(JSON.stringify({ id: "r", type: "retract", event: "ghost" }), "s"))
    expect(out.kind === "rejected" && out.rejection.reasons.join(" ")).toMatch(/ghost/)
    expect(r.stateOf("s").events).toHaveLength(0)
  })

  it("refuses a release the model's own path cannot take (a month below a zero level), and keeps serving", () => {
    // projected January +50 and February -50: a Jan-Feb release of -99 keeps that pattern and
    // shifts it by -99, so February would need a negative level; the fold alone cannot see it
    const model = Model.parse({
      name: "steep",
      calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
      indicators: [{ id: "x", name: "x", kind: "flow", base: { growth: 0 } }],
      exogenous: { z: { values: [50, -50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } },
      equations: { x: "z" },
    })
    const r = new ScenarioRegistry({ name: "steep", compiled: compile(model), state: emptyState, rejected: 0 }, { draws: 0, seed: 1 })
    const bad = r.receive(msg(JSON.stringify({ id: "r1", type: "observe", indicator: "x", through: "2024-02", ytd: -99 }), "s"))
    expect(bad.kind === "rejected" && bad.rejection).toMatchObject({ id: "r1" })
    expect(r.stateOf("s").events).toHaveLength(0)
    expect(r.receive(msg(JSON.stringify({ id: "r2", type: "observe", indicator: "x", through: "2024-02", ytd: -10 }), "s")).kind).toBe("applied")
  })
})

describe("ScenarioRegistry: conflicts and news", () => {
  const release = (id: string, indicator: string, through: string, ytd: number) => JSON.stringify({ id, scenario: "s", type: "observe", indicator, through, ytd })

  it("refuses another payload under a seen id with both payloads in the reason; the same payload is a duplicate", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    expect(r.receive(msg(release("rel-fai", "fai", "2024-02", -12), "s")).kind).toBe("applied")
    expect(r.receive(msg(release("rel-fai", "fai", "2024-02", -12), "s")).kind).toBe("duplicate")
    const conflict = r.receive(msg(release("rel-fai", "fai", "2024-02", -11), "s"))
    expect(conflict.kind).toBe("rejected")
    if (conflict.kind === "rejected") {
      expect(conflict.rejection).toMatchObject({ scenario: "s", id: "rel-fai" })
      expect(conflict.rejection.reasons).toEqual([
        "conflicts with the event already in the log under this id (ytd: -12 in the log, -11 here): an id names one event; publish a revision or correction under a new id",
      ])
    }
    // a revision under a new id is applied, and the value in effect is the revised one
    expect(r.receive(msg(release("rel-fai-rev", "fai", "2024-02", -11), "s")).kind).toBe("applied")
    const fai = (forecastOf(r, "s").forecast.indicators as { id: string; path: { ytd: { p50: number } }[] }[]).find((i) => i.id === "fai")!
    expect(fai.path[1].ytd.p50).toBeCloseTo(-11, 9)
  })

  it("every forecast after a release carries that release's news, against the previous forecast", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 100, seed: 3 })
    type News = { start: Record<string, { mean: number }>; end: Record<string, { mean: number }>; steps: { kind: string; events: string[]; releases: { id: string; expected: number; actual: number; surprise: number }[]; impact: Record<string, { mean: number }> }[] }
    const newsOf = (f: { news?: unknown }) => f.news as News
    r.receive(msg(JSON.stringify(shock("k", "s", "trade", 1)), "s"))
    const first = forecastOf(r, "s").forecast
    expect(newsOf(first).steps.map((x) => [x.kind, x.events])).toEqual([["other", ["k"]]])
    // two batches arrive before the next forecast: both are in its news, each against the state before it
    r.receive(msg(release("f2", "fai", "2024-02", -12), "s"))
    r.receive(msg(release("i2", "industry_va", "2024-02", 1.5), "s"))
    r.receive(msg(release("f3", "fai", "2024-03", -10), "s"))
    const second = forecastOf(r, "s").forecast
    const n = newsOf(second)
    expect(n.steps.map((x) => [x.kind, x.events])).toEqual([
      ["release", ["f2", "i2"]],
      ["release", ["f3"]],
    ])
    const firstFai = (first.indicators as { id: string; path: { ytd: { mean: number } }[] }[]).find((i) => i.id === "fai")!
    expect(n.steps[0].releases[0]).toMatchObject({ id: "f2", expected: firstFai.path[1].ytd.mean, actual: -12 })
    for (const i of second.indicators as { id: string; annual: { mean: number } }[]) {
      expect(n.start[i.id].mean).toBe((first.indicators as { id: string; annual: { mean: number } }[]).find((x) => x.id === i.id)!.annual.mean)
      expect(n.end[i.id].mean).toBe(i.annual.mean)
      expect(Math.abs(n.steps.reduce((a, x) => a + x.impact[i.id].mean, n.start[i.id].mean) - i.annual.mean)).toBeLessThanOrEqual(1e-9)
    }
    // a forecast with nothing new has no steps
    expect(newsOf(forecastOf(r, "s").forecast).steps).toEqual([])
  })

  it("the first forecast of a run (after a replay) carries the news of the log's last step", async () => {
    const r = new ScenarioRegistry(await duji(), { draws: 0, seed: 1 })
    r.receive(msg(release("f2", "fai", "2024-02", -12), "s"))
    r.receive(msg(JSON.stringify(shock("k", "s", "trade", 1)), "s"))
    r.receive(msg(release("f3", "fai", "2024-03", -10), "s"))
    const n = forecastOf(r, "s").forecast.news as { steps: { events: string[] }[] }
    expect(n.steps.map((x) => x.events)).toEqual([["f3"]])
  })
})
