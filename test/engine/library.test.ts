// The library surface (engine/index.ts) does what the CLI does: a model from text, compiled,
// a scenario folded from events, projected; the same numbers as `plancast project`.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { compile, fold, loadModel, project, SpecError } from "../../engine/index.ts"
import { plancast } from "../adapters/cli/run.ts"

describe("engine/index.ts", () => {
  it("loads, compiles, folds and projects as the command line does", async () => {
    const compiled = compile(loadModel(readFileSync("scenarios/duji-2024/model.yaml", "utf8")))
    const { state, rejected } = fold(compiled, [{ id: "s1", type: "shock", indicator: "fai", value: -10 }])
    expect(rejected).toHaveLength(0)
    const p = project(compiled, state, { draws: 0, seed: 1, scenario: "fai-down" })
    const cli = await plancast(["project", "test/fixtures/fai-down.yaml", "--format", "json"])
    expect(cli.status).toBe(0)
    const fromCli = JSON.parse(cli.stdout) as typeof p
    expect(p.indicators.map((i) => i.annual.p50)).toEqual(fromCli.indicators.map((i) => i.annual.p50))
    expect(p.events.applied).toBe(1)
  })

  it("refuses a model text with a syntax error, naming the line", async () => {
    let error: unknown
    try {
      loadModel("name: x\ncalendar: [\n")
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SpecError)
    expect((error as SpecError).issues[0]!.line).toBeGreaterThan(1)
  })
})
