// The snapshot codec (adapters/service/snapshot.ts): an image comes back as it was stored; a
// snapshot of another base (another model or base events), of another format, or unreadable
// bytes are ignored with the reason, never restored.
import { gzipSync } from "node:zlib"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { decodeSnapshot, encodeSnapshot } from "../../../adapters/service/snapshot.ts"
import { ScenarioRegistry, type RegistryImage } from "../../../adapters/service/registry.ts"
import { admitEvents } from "../../../engine/index.ts"
import { duji, shock } from "./harness.ts"

const message = (scenario: string, event: object, sequence: number) => ({
  scenario,
  subject: `plancast.events.${scenario}`,
  data: JSON.stringify(event),
  sequence,
  ack: Effect.void,
})

describe("snapshots", () => {
  it("give back the image they were taken of, and restore the same registry", async () => {
    const base = await duji()
    const registry = new ScenarioRegistry(base, { draws: 0, seed: 1 })
    registry.receive(message("a", shock("s1", "a", "fai", -2), 1))
    registry.receive(message("a", { id: "bad", scenario: "a", type: "shock", indicator: "nope", value: 1 }, 2))
    registry.receive(message("b", shock("s2", "b", "trade", 1), 3))
    const image = registry.image()!
    const decoded = decodeSnapshot(base, encodeSnapshot(base, image))
    expect(decoded).toEqual({ image: JSON.parse(JSON.stringify(image)) })
    const again = new ScenarioRegistry(base, { draws: 0, seed: 1 })
    again.restore((decoded as { image: RegistryImage }).image)
    for (const s of ["a", "b"]) expect(again.stateOf(s).events).toEqual(registry.stateOf(s).events)
    expect(again.image()).toEqual(image)
  })

  it("of another base, another format or unreadable bytes are ignored with the reason", async () => {
    const base = await duji()
    const image: RegistryImage = { floor: 0, scenarios: [] }
    const other = { ...base, state: admitEvents(base.compiled, [shock("x", "base", "fai", 1)], base.state).state }
    expect(decodeSnapshot(other, encodeSnapshot(base, image))).toEqual({ ignored: "taken with another model or base scenario" })
    expect(decodeSnapshot(base, gzipSync(JSON.stringify({ format: "plancast-snapshot/0", base: "x", image })))).toEqual({ ignored: "not a plancast-snapshot/1 snapshot" })
    expect(decodeSnapshot(base, new Uint8Array([1, 2, 3]))).toMatchObject({ ignored: expect.stringMatching(/^unreadable/) })
  })
})
