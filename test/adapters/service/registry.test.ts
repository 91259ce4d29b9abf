// adapters/service/registry.ts: one message in, one outcome out. Scenario from subject or
// payload (and refused when they disagree or neither names one), duplicates by id, redeliveries
// by sequence, non-UTF-8 and oversized payloads, rejected counts in the forecast.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { MAX_EVENT_BYTES, MAX_REJECTED_RAW, UNKNOWN_SCENARIO } from "../../../adapters/contract.ts"
import { ScenarioRegistry } from "../../../adapters/service/registry.ts"
import type { SourceMessage } from "../../../adapters/service/event-source.ts"
import { compile, emptyState, Model } from "../../../engine/index.ts"
import { duji, shock } from "./harness.ts"

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
    const { forecast } = r.forecast("s")
    expect(forecast.scenario).toBe("s")
    expect(forecast.sequence).toBe(seq)
    expect((forecast.events as { applied: number }).applied).toBe(2)
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
    expect((r.forecast("s").forecast.events as { rejected: number }).rejected).toBe(1)
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
