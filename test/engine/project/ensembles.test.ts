// Unit tests of projections made together (engine/project/ensembles.ts) on the tiny quarterly
// model: every projection and its kept draws are the same bits as projectEnsemble of its
// inputs alone; runs conditioned in closed form whose plans agree and whose releases are
// prefixes of one another are grouped, and no others (a shock between them, releases that are
// not a prefix, resample-move, no releases).
import { describe, expect, it } from "vitest"
import { conditionedGroups, isPrefixOf, projectEnsembles, samePlanDraws } from "../../../engine/project/ensembles.ts"
import { prepareRun, projectEnsemble } from "../../../engine/project/project.ts"
import { releaseBatches } from "../../../engine/project/backtest.ts"
import { asOf, fold, toInputs, type ScenarioState } from "../../../engine/scenario/index.ts"
import type { CompiledModel } from "../../../engine/compile/index.ts"
import type { ScenarioEvent } from "../../../engine/schema/scenario.ts"
import { compiled, linearModel } from "./fixtures.ts"

// every error a centred normal: releases condition in closed form (kalman)
const normal = linearModel()
const kalman = compiled({ ...normal, indicators: normal.indicators!.map((i) => (i.id === "r" ? { ...i, error: { dist: "normal" as const, sd: 0.5 } } : i)) })
// r's triangular error: resample-move
const resampleMove = compiled(linearModel())
const obs = (id: string, indicator: string, through: string, ytd: number): ScenarioEvent => ({ id, type: "observe", indicator, through, ytd, sd: 1 })
const stateOf = (m: CompiledModel, events: ScenarioEvent[]): ScenarioState => {
  const r = fold(m, events)
  expect(r.rejected).toEqual([])
  return r.state
}
/** The inputs of every release batch's prefix of a log. */
const prefixes = (m: CompiledModel, events: ScenarioEvent[]) => {
  const s = stateOf(m, events)
  return releaseBatches(m, s).map((b) => toInputs(m, asOf(s, b.end)))
}
const OPTS = { draws: 300, seed: 4, scenario: "log", chunk: 128 }

// a shock after the first batch; a revision; r's first release in the last batch
const LOG = [
  obs("y1", "y", "2024-Q1", 6.3),
  obs("c1", "c", "2024-Q1", 5.5),
  { id: "k2", type: "shock", indicator: "c", value: 0.2 },
  obs("y2", "y", "2024-Q2", 7.4),
  obs("y2r", "y", "2024-Q2", 7.6),
  obs("r3", "r", "2024-Q3", 2.8),
] as ScenarioEvent[]
// c's Q2 release after y's Q3: the last batch's releases are not the earlier ones' continuation
const LATE = [obs("y1", "y", "2024-Q1", 6.3), obs("y2", "y", "2024-Q2", 7.2), obs("y3", "y", "2024-Q3", 8.1), obs("c2", "c", "2024-Q2", 6.1)]

const expectSame = (m: CompiledModel, inputs: ReturnType<typeof prefixes>) => {
  const together = projectEnsembles(m, inputs, OPTS)
  inputs.forEach((i, k) => {
    const alone = projectEnsemble(m, i, OPTS)
    expect(together[k].projection).toEqual(alone.projection)
    expect(together[k].ensemble.annual).toEqual(alone.ensemble.annual)
    expect(together[k].ensemble.logWeight).toEqual(alone.ensemble.logWeight)
  })
}

describe("projections made together", () => {
  it.each([
    ["a log with a shock and a revision (kalman)", kalman, LOG],
    ["releases that are not a prefix (kalman)", kalman, LATE],
    ["resample-move", resampleMove, LOG],
  ] as const)("are the same bits as each made alone: %s", (_, m, log) => {
    expectSame(m, prefixes(m, [...log]))
  })

  it("the same inputs twice, and inputs without releases, are the same bits as each alone", () => {
    const s = stateOf(kalman, LOG)
    expectSame(kalman, [toInputs(kalman, asOf(s, 0)), toInputs(kalman, s), toInputs(kalman, s), toInputs(kalman, asOf(s, 3))])
  })

  it("group the closed-form runs that differ only in releases, each a prefix of the group's first", () => {
    const runs = (m: CompiledModel, log: ScenarioEvent[]) => prefixes(m, log).map((i) => prepareRun(m, i, OPTS))
    // batches [y1 c1] | k2 [y2] | [y2r] | [r3]: the shock parts the first from the rest
    expect(conditionedGroups(kalman, runs(kalman, LOG))).toEqual([[3, 1, 2]])
    // batches [y1] [y2] [y3] [c2]: c's Q2 release sorts before y's Q3, so the last is no continuation of the third
    expect(conditionedGroups(kalman, runs(kalman, LATE))).toEqual([[3, 1, 0]])
    expect(conditionedGroups(resampleMove, runs(resampleMove, LOG))).toEqual([])
    expect(conditionedGroups(kalman, runs(kalman, LOG).map((r) => ({ ...r, conditioned: false })))).toEqual([])
  })

  it("plans agree unless the log between them changes what is drawn; releases are a prefix by series, period and sd", () => {
    const [a, b, c, d] = prefixes(kalman, LOG).map((i) => prepareRun(kalman, i, OPTS))
    expect(samePlanDraws(a.plan, b.plan)).toBe(false)
    expect(samePlanDraws(b.plan, d.plan)).toBe(true)
    expect(isPrefixOf(b.evidence, c.evidence)).toBe(true)
    expect(isPrefixOf(c.evidence, d.evidence)).toBe(true)
    expect(isPrefixOf(d.evidence, c.evidence)).toBe(false)
    expect(isPrefixOf(c.evidence, d.evidence.map((e) => ({ ...e, sd: 2 })))).toBe(false)
  })
})
