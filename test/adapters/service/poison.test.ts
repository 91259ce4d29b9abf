// Poison events through `serve --stdio` (in process, over streams): events valid by the schema
// whose scenario would no longer project (a division by zero, overflow, a parameter outside its
// range) are each rejected with their id and reason; the service keeps serving, every other
// event is applied, and every forecast equals the offline projection of the admitted events,
// with a number wherever a number belongs.
import { PassThrough } from "node:stream"
import { describe, expect, it } from "vitest"
import { runServe } from "../../../adapters/cli/serve.ts"
import { annuals, BASE_FILE, duji, offline } from "./harness.ts"

const valid = (scenario: string, k: number) => ({ id: `ok-${k}`, scenario, type: "shock", indicator: "fai", value: (k % 5) - 2 })
const POISON = [
  { id: "apc-zero", scenario: "a", type: "set-parameter", parameter: "apc_u", value: 0 },
  { id: "buoy-huge", scenario: "b", type: "set-parameter", parameter: "buoy", value: 1e308 },
  { id: "shock-huge", scenario: "a", type: "shock", indicator: "fai", value: 1e308 },
  { id: "exo-huge", scenario: "b", type: "shock", indicator: "inc_nat", value: -1e308 },
]

const collect = (stream: PassThrough): string[] => {
  const lines: string[] = []
  let rest = ""
  stream.on("data", (b: Buffer) => {
    const parts = (rest + b.toString()).split("\n")
    rest = parts.pop()!
    lines.push(...parts.filter((l) => l !== ""))
  })
  return lines
}

describe("serve --stdio with poison events", () => {
  it("rejects each poison event with its id and keeps serving every scenario", async () => {
    const events: object[] = []
    for (let k = 0; k < 21; k++) events.push(valid(k % 2 ? "a" : "b", k))
    POISON.forEach((p, i) => events.splice(3 + i * 5, 0, p))
    const input = new PassThrough()
    const output = new PassThrough()
    const errors = new PassThrough()
    const out = collect(output)
    const err = collect(errors)
    input.end(events.map((e) => JSON.stringify(e)).join("\n") + "\n")
    expect(await runServe({ base: BASE_FILE, stdio: true, streams: { input, output, errors }, log: () => {} })).toBe(0)
    const rejected = err.map((l) => JSON.parse(l) as { id: string; reasons: string[] })
    expect(rejected.map((r) => r.id).sort()).toEqual(POISON.map((p) => p.id).sort())
    expect(rejected.find((r) => r.id === "apc-zero")!.reasons[0]).toMatch(/outside the model's plausible range/)
    expect(rejected.find((r) => r.id === "shock-huge")!.reasons[0]).toMatch(/would no longer project/)
    const base = await duji()
    for (const scenario of ["a", "b"]) {
      const last = out.map((l) => JSON.parse(l)).filter((f) => f.scenario === scenario).at(-1)
      for (const i of last.indicators as { annual: Record<string, unknown>; path: { ytd: Record<string, unknown>; growth: unknown }[] }[])
        for (const v of [...Object.values(i.annual), ...i.path.flatMap((p) => [...Object.values(p.ytd), p.growth])]) expect(Number.isFinite(v)).toBe(true)
      const mine = events.filter((e) => (e as { scenario: string }).scenario === scenario)
      expect(annuals(last)).toEqual(annuals(offline(base, scenario, mine)))
      expect(last.events.applied).toBe(mine.length - POISON.filter((p) => p.scenario === scenario).length)
    }
  })
})
